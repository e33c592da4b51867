//! Every case under `testdata/<format>/<rule>/<case>/` is scanned on its own; the findings of
//! the case's rule must be exactly those listed in its `expected.txt`.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use acr_lint::ScanOptions;

fn cases() -> Vec<PathBuf> {
    let mut cases = Vec::new();
    for format in ["terraform", "arm", "bicep"] {
        let Ok(rules) = fs::read_dir(common::repo().join("testdata").join(format)) else {
            continue;
        };
        for rule in rules.flatten() {
            for case in fs::read_dir(rule.path()).into_iter().flatten().flatten() {
                if case.path().join("expected.txt").is_file() {
                    cases.push(case.path());
                }
            }
        }
    }
    cases.sort();
    cases
}

/// The scan options of a case: the defaults plus the arguments in its `args.txt`, if any.
fn options(case: &Path) -> ScanOptions {
    let mut options = ScanOptions::new(vec![case.to_path_buf()]);
    let args = fs::read_to_string(case.join("args.txt")).unwrap_or_default();
    let words: Vec<&str> = args
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let mut select = Vec::new();
    let mut ignore = Vec::new();
    let mut words = words.into_iter();
    while let Some(flag) = words.next() {
        match flag {
            "--show-unknown" => options.show_unknown = true,
            "--select" => select.extend(split(words.next())),
            "--ignore" => ignore.extend(split(words.next())),
            "--allowed-locations" => options
                .rule_options
                .allowed_locations
                .extend(split(words.next())),
            "--var-file" => options
                .var_files
                .push(case.join(words.next().expect("a file after --var-file"))),
            "--var" => {
                let assignment = words.next().expect("NAME=VALUE after --var");
                let (name, value) = assignment.split_once('=').expect("NAME=VALUE");
                options.var_values.push(acr_lint::VarValue {
                    name: name.to_string(),
                    value: value.to_string(),
                    files_before: options.var_files.len(),
                });
            }
            other => panic!(
                "{}: unsupported argument `{other}` in args.txt",
                case.display()
            ),
        }
    }
    options.rules = acr_lint::rules::selection(&select, &ignore).expect("valid rule selection");
    options
}

fn split(list: Option<&str>) -> Vec<String> {
    list.unwrap_or("")
        .split(',')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

fn expected(case: &Path) -> Vec<String> {
    let text = fs::read_to_string(case.join("expected.txt")).expect("readable expected.txt");
    let mut lines: Vec<String> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect();
    lines.sort();
    lines
}

#[test]
fn every_case_produces_exactly_its_expected_findings() {
    let cases = cases();
    assert!(cases.len() >= 100, "only {} cases found", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let rule = case
            .parent()
            .and_then(Path::file_name)
            .map(|n| n.to_string_lossy().to_ascii_uppercase())
            .expect("case below a rule directory");
        let scan = acr_lint::scan(&options(case));
        assert!(
            scan.errors.is_empty(),
            "{}: {:?}",
            case.display(),
            scan.errors
        );
        let actual: Vec<String> = common::finding_lines(&scan, case)
            .into_iter()
            .filter(|line| line.ends_with(&format!(" {rule}")))
            .collect();
        let expected = expected(case);
        if actual != expected {
            failures.push(format!(
                "{}\n  expected {expected:?}\n  actual   {actual:?}",
                case.display()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases differ:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn every_rule_has_failing_and_passing_cases_in_both_formats() {
    let cases = cases();
    for rule in acr_lint::rules::all() {
        let id = rule.meta().id.to_ascii_lowercase();
        for format in ["terraform", "arm"] {
            let of_rule: Vec<&PathBuf> = cases
                .iter()
                .filter(|c| {
                    c.parent()
                        .is_some_and(|p| p.ends_with(Path::new(format).join(&id)))
                })
                .collect();
            assert!(
                of_rule.iter().any(|c| !expected(c).is_empty()),
                "{id} has no failing {format} case"
            );
            assert!(
                of_rule.iter().any(|c| expected(c).is_empty()),
                "{id} has no passing {format} case"
            );
        }
    }
}

#[test]
fn a_literal_task_secret_is_reported_once_by_acr502_and_never_by_acr208() {
    for case in [
        "terraform/acr208/passes-literals-are-acr502",
        "terraform/acr208/passes-literal-password-is-acr502",
        "terraform/acr208/passes-literal-token-is-acr502",
        "arm/acr208/passes-literal-password-is-acr502",
        "arm/acr208/passes-literal-token-is-acr502",
    ] {
        let scan = common::scan(&common::repo().join("testdata").join(case));
        let secrets: Vec<&str> = scan
            .findings
            .iter()
            .map(|f| f.rule.id)
            .filter(|id| ["ACR208", "ACR502"].contains(id))
            .collect();
        assert!(!secrets.is_empty(), "{case}: no finding");
        assert!(
            secrets.iter().all(|id| *id == "ACR502"),
            "{case}: {secrets:?}"
        );
    }
}

/// Each file of each case without directories, given alone with the case's options, reports
/// what the scan of the case reports in it: its context (module, parameters and template files,
/// Bicep callers, plans and configuration) is read as a scan of the directory reads it. (A case
/// with directories is left out: a directory's scan reads them too, a given file only its own
/// directory.)
#[test]
fn every_file_of_a_case_given_alone_reports_what_the_case_reports_in_it() {
    let readable = [
        ".tf",
        ".tfvars",
        ".json",
        ".bicep",
        ".bicepparam",
        ".yaml",
        ".yml",
    ];
    let mut files_checked = 0;
    for case in cases() {
        let entries: Vec<PathBuf> = fs::read_dir(&case)
            .expect("a case directory")
            .flatten()
            .map(|e| e.path())
            .collect();
        if entries.iter().any(|p| p.is_dir()) {
            continue;
        }
        let whole = acr_lint::scan(&options(&case));
        let mut names: Vec<String> = entries
            .iter()
            .filter_map(|p| Some(p.file_name()?.to_str()?.to_string()))
            .filter(|n| readable.iter().any(|e| n.ends_with(e)))
            .collect();
        names.sort();
        for name in names {
            let mut alone = options(&case);
            alone.paths = vec![case.join(&name)];
            let alone = acr_lint::scan(&alone);
            common::assert_reports_as_the_scan(&whole, &alone, &case, &name);
            files_checked += 1;
        }
    }
    assert!(files_checked > 1000, "{files_checked}");
}

/// The reports of a directory in every format (pretty's code frames mask secrets), with every
/// rule and undecided results shown. Checked where they are read, the parts nothing else
/// reaches are checked as the command line has them checked for each report: told whether the
/// report shows where not-applicable results are (the others' scans free texts only those
/// results point into) and whether it counts them (the others' scans record none). Otherwise
/// one scan that holds every model and records everything makes every report.
fn reports_checked_where_read(dir: &Path, where_read: bool) -> String {
    use acr_lint::report::Format;
    let scan_for = |shown: bool, counted: bool| {
        let mut options = ScanOptions::new(vec![dir.to_path_buf()]);
        options.rules = acr_lint::rules::all().to_vec();
        options.show_unknown = true;
        options.rules_where_read = where_read;
        options.not_applicable_shown = shown;
        options.not_applicable_counted = counted;
        let mut scan = acr_lint::scan(&options);
        scan.elapsed = std::time::Duration::ZERO;
        scan
    };
    let whole = scan_for(true, true);
    let mut out = Vec::new();
    for &format in Format::ALL {
        let shown = format.shows_where_not_applicable();
        let counted = format.counts_not_applicable();
        let told = (where_read && !(shown && counted)).then(|| scan_for(shown, counted));
        let scan = told.as_ref().unwrap_or(&whole);
        acr_lint::report::render(scan, format, false, &mut out).expect("rendered");
    }
    String::from_utf8(out).expect("UTF-8 reports")
}

/// Copies every file below `from` to the same place below `to`, prefixed with `prefix`.
fn copy_tree(from: &Path, to: &Path, prefix: &str) {
    for entry in fs::read_dir(from).expect("a directory").flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if path.is_dir() {
            copy_tree(&path, &to.join(&name), prefix);
        } else {
            fs::create_dir_all(to).expect("directory made");
            fs::copy(&path, to.join(format!("{prefix}{name}"))).expect("file copied");
        }
    }
}

/// A template nothing else in the scan reaches, and a Terraform module that calls none, is
/// checked where it is read and only its results kept: the reports are those of a scan that
/// holds every model until the rules run. The ARM cases of each rule are scanned together, and
/// again with the Terraform cases of the same rule written into the same directories (a
/// directory's Terraform resources come before its templates' in the model).
#[test]
fn checking_parts_where_they_are_read_reports_what_holding_every_model_does() {
    let testdata = common::repo().join("testdata");
    let mut compared = 0;
    for rule in fs::read_dir(testdata.join("arm"))
        .expect("testdata/arm")
        .flatten()
    {
        let arm = rule.path();
        let mixed = tempfile::tempdir().expect("temporary directory");
        copy_tree(&arm, mixed.path(), "");
        let terraform = testdata.join("terraform").join(rule.file_name());
        if terraform.is_dir() {
            copy_tree(&terraform, mixed.path(), "tf-");
        }
        for dir in [arm.as_path(), mixed.path()] {
            let held = reports_checked_where_read(dir, false);
            let where_read = reports_checked_where_read(dir, true);
            assert!(held == where_read, "{} reports differently", arm.display());
            compared += 1;
        }
    }
    assert!(compared > 80, "{compared}");
    // Terraform modules are checked where they are read too: each rule's cases together (with
    // modules they call, plans, sensitive values and suppressions), and all of them at once.
    let terraform = testdata.join("terraform");
    let mut directories: Vec<PathBuf> = fs::read_dir(&terraform)
        .expect("testdata/terraform")
        .flatten()
        .map(|rule| rule.path())
        .collect();
    directories.push(terraform);
    for dir in &directories {
        let held = reports_checked_where_read(dir, false);
        assert!(
            held == reports_checked_where_read(dir, true),
            "{} reports differently",
            dir.display()
        );
    }
    assert!(directories.len() > 40, "{}", directories.len());
    // A directory named like a module call shares the call's unit, whose output is checked.
    let named_like_a_call = tempfile::tempdir().expect("temporary directory");
    let write = |name: &str, text: &str| {
        let path = named_like_a_call.path().join(name);
        fs::create_dir_all(path.parent().expect("a parent")).expect("directory made");
        fs::write(path, text).expect("file written");
    };
    let registry = "resource \"azurerm_container_registry\" \"acr\" {\n  name = \"crshared\"\n  resource_group_name = \"rg\"\n  location = \"westeurope\"\n  sku = \"Premium\"\n}\n";
    let output =
        "output \"password\" {\n  value = azurerm_container_registry.acr.admin_password\n}\n";
    write("shared/main.tf", &format!("{registry}{output}"));
    write(
        "app/main.tf",
        "module \"acr\" {\n  source = \"../shared\"\n}\n",
    );
    write("app/module.acr/main.tf", registry);
    assert!(
        reports_checked_where_read(named_like_a_call.path(), false)
            == reports_checked_where_read(named_like_a_call.path(), true),
        "a directory named like a module call reports differently"
    );
    // A module that reads a data file, scanned whole and with only the data file given (the
    // module is then read for it, as context).
    let data = tempfile::tempdir().expect("temporary directory");
    fs::create_dir_all(data.path().join(".git")).expect(".git");
    let yaml_config = testdata.join("terraform/acr001/fires-yaml-config");
    copy_tree(&yaml_config, &data.path().join("infra"), "");
    for given in [
        data.path().to_path_buf(),
        data.path().join("infra/config.yaml"),
    ] {
        assert!(
            reports_checked_where_read(&given, false) == reports_checked_where_read(&given, true),
            "{} reports differently",
            given.display()
        );
    }
    // A template's unit-wide results (the Defender plan's tier, not known) come before those of
    // the Terraform module read after it.
    let ordered = tempfile::tempdir().expect("temporary directory");
    copy_tree(
        &testdata.join("arm/acr305/unknown"),
        &ordered.path().join("a"),
        "",
    );
    copy_tree(
        &testdata.join("terraform/acr305/unknown"),
        &ordered.path().join("b"),
        "",
    );
    assert_eq!(
        reports_checked_where_read(ordered.path(), false),
        reports_checked_where_read(ordered.path(), true)
    );
}
