//! The binary as users run it: exit codes, formats, subcommands.

mod common;

use std::fs;

use assert_cmd::Command;
use common::scratch;
use predicates::prelude::*;
use serde_json::Value;

fn acr_lint() -> Command {
    let mut cmd = Command::cargo_bin("acr-lint").expect("binary built");
    cmd.current_dir(common::repo()).env_remove("NO_COLOR");
    cmd
}

const ADMIN_CASE: &str = "testdata/terraform/acr001/fires-explicit";
const CLEAN_TF: &str = r#"resource "azurerm_container_registry" "ok" {
  name                          = "acrclean001"
  resource_group_name           = "rg"
  location                      = "westeurope"
  sku                           = "Premium"
  public_network_access_enabled = false
  identity {
    type = "SystemAssigned"
  }
}
"#;

#[test]
fn exit_0_when_nothing_blocks() {
    let dir = scratch(&[("main.tf", CLEAN_TF.as_bytes())]);
    acr_lint()
        .arg(dir.path())
        .args(["--select", "ACR001"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("No problems found"));
    acr_lint()
        .arg(dir.path())
        .args(["--fail-on", "error"])
        .assert()
        .code(0);
}

#[test]
fn select_is_the_whole_set_and_extend_select_adds() {
    let concise = |args: &[&str]| {
        let output = acr_lint()
            .arg(ADMIN_CASE)
            .args(["-f", "concise", "--fail-on", "never"])
            .args(args)
            .output()
            .expect("runs");
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    let only = concise(&["--select", "ACR001"]);
    assert_eq!(only.lines().count(), 1, "{only}");
    assert!(only.contains("error[ACR001]"));
    let extended = concise(&["--extend-select", "ACR304"]);
    assert!(extended.contains("[ACR304]") && extended.contains("[ACR003]"));
    let ignored = concise(&["--select", "ACR0", "--ignore", "admin-user-enabled"]);
    assert!(ignored.contains("[ACR003]") && !ignored.contains("[ACR001]"));
}

#[test]
fn a_selection_that_enables_nothing_is_a_usage_error() {
    for args in [
        &["--ignore", "ALL", "--select", "ACR001"][..],
        &["--ignore", "ALL"],
        &["--select", "ACR303"],
    ] {
        acr_lint()
            .arg(ADMIN_CASE)
            .args(args)
            .assert()
            .code(2)
            .stdout(predicate::str::is_empty())
            .stderr(predicate::str::contains(
                "error: the rule selection enables no rule",
            ));
    }
}

#[test]
fn selecting_a_removed_rule_warns_why_and_rules_lists_it_as_removed() {
    acr_lint()
        .arg(ADMIN_CASE)
        .args(["--extend-select", "ACR303", "-f", "concise"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "warning: ACR303 (zone-redundancy-disabled) was removed: Azure now makes every registry",
        ))
        .stdout(predicate::str::contains("ACR303").not());
    acr_lint()
        .arg("rules")
        .assert()
        .code(0)
        .stdout(
            predicate::str::is_match(r"(?m)^ACR303 +zone-redundancy-disabled +note +removed ")
                .unwrap(),
        )
        .stdout(
            predicate::str::is_match(r"(?m)^ACR302 +no-geo-replication +note +opt-in ").unwrap(),
        );
    acr_lint()
        .args(["rules", "--select", "ACR0"])
        .assert()
        .code(0)
        .stdout(predicate::str::is_match(r"(?m)^ACR001 +admin-user-enabled +error +yes ").unwrap())
        .stdout(
            predicate::str::is_match(r"(?m)^ACR101 +unrestricted-network-access +warning +off ")
                .unwrap(),
        );
    acr_lint()
        .args(["explain", "ACR303"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("Removed"));
}

#[test]
fn exit_1_on_blocking_findings_with_pretty_output() {
    acr_lint()
        .arg(ADMIN_CASE)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("error[ACR001]"))
        .stdout(predicate::str::contains("main.tf:6:25"))
        .stdout(predicate::str::contains(
            "help: set `admin_enabled = false`",
        ))
        .stdout(predicate::str::contains("rules/ACR001.md"))
        .stdout(predicate::str::contains(
            "Found 9 problems (1 error, 4 warnings, 4 notes) in 1 file (1 registry)",
        ))
        .stdout(predicate::str::contains(
            "3 not applicable to the registry SKU",
        ));
}

#[test]
fn fail_on_decides_what_blocks() {
    let case = "testdata/terraform/acr003/fires-default";
    acr_lint()
        .args([case, "--fail-on", "warning"])
        .assert()
        .code(1);
    acr_lint()
        .args([case, "--fail-on", "error"])
        .assert()
        .code(0);
    acr_lint()
        .args([ADMIN_CASE, "--fail-on", "error"])
        .assert()
        .code(1);
    acr_lint()
        .args([ADMIN_CASE, "--fail-on", "never"])
        .assert()
        .code(0);
    acr_lint()
        .args([case, "--fail-on", "note"])
        .assert()
        .code(1);
}

#[test]
fn warnings_do_not_block_by_default() {
    acr_lint()
        .arg("testdata/terraform/acr003/fires-default")
        .assert()
        .code(0);
    acr_lint().arg(ADMIN_CASE).assert().code(1);
}

#[test]
fn exit_2_on_usage_errors() {
    acr_lint()
        .args(["--format", "xml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown format `xml`"));
    acr_lint().args(["--fail-on", "sometimes"]).assert().code(2);
    acr_lint().args(["explain", "ACR999"]).assert().code(2);
    // A report that cannot be written: its directory would lie below a plain file.
    acr_lint()
        .args([ADMIN_CASE, "-f", "json=Cargo.toml/reports/out.json"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "could not write Cargo.toml/reports/out.json",
        ));
}

#[test]
fn exit_3_on_unparsable_input_and_the_rest_is_still_reported() {
    let dir = scratch(&[
        ("broken/main.tf", b"resource \"azurerm_container_registry\" \"x\" {\n  name = \n"),
        ("bad.json", b"{\"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#\",\n  \"resources\": [,]}"),
        ("binary.tf", b"\x00\x01\x02"),
        ("latin1.tf", b"# caf\xe9\n"),
        ("ok/main.tf", br#"resource "azurerm_container_registry" "a" {
  name                = "acradmin001"
  resource_group_name = "rg"
  location            = "westeurope"
  sku                 = "Basic"
  admin_enabled       = true
}
"#),
    ]);
    acr_lint()
        .arg(dir.path())
        .args(["-f", "concise", "--color", "never"])
        .assert()
        .code(3)
        .stdout(predicate::str::contains("main.tf:6:25: error[ACR001]"))
        .stderr(predicate::str::contains("broken/main.tf:2:10"))
        .stderr(predicate::str::contains("bad.json:2:17"))
        .stderr(predicate::str::contains("binary.tf:1:1: binary file"))
        .stderr(predicate::str::contains("latin1.tf:1:6: not valid UTF-8"));
}

#[test]
fn a_file_given_by_name_that_acr_lint_does_not_read_gets_a_note() {
    let dir = scratch(&[("main.tf", CLEAN_TF.as_bytes()), ("notes.txt", b"notes\n")]);
    acr_lint()
        .current_dir(dir.path())
        .args(["main.tf", "notes.txt", "--select", "ACR001"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("No problems found"))
        .stderr(predicate::str::contains(
            "note: notes.txt: skipped: not a kind of file acr-lint reads",
        ));
    acr_lint()
        .current_dir(dir.path())
        .args(["notes.txt"])
        .assert()
        .code(0)
        .stderr(predicate::str::contains(
            "notes.txt: skipped: not a kind of file",
        ))
        .stdout(predicate::str::contains("No files checked"));
    let many: Vec<String> = (0..8).map(|i| format!("n{i}.txt")).collect();
    for name in &many {
        fs::write(dir.path().join(name), "notes\n").expect("write");
    }
    acr_lint()
        .current_dir(dir.path())
        .arg("main.tf")
        .args(&many)
        .assert()
        .code(0)
        .stderr(predicate::str::contains(
            "note: skipped 8 files given by name that are of no kind acr-lint reads: \
             n0.txt, n1.txt, n2.txt, n3.txt, n4.txt and 3 more\n",
        ));
}

#[test]
fn exit_3_on_a_missing_path() {
    acr_lint()
        .arg("no/such/dir")
        .assert()
        .code(3)
        .stderr(predicate::str::contains("no/such/dir: no such file"));
}

/// `acr-lint check .`, as other linters are run, says that acr-lint takes the paths alone; the
/// rest of the paths is still scanned.
#[test]
fn a_command_of_other_linters_in_place_of_a_path_says_what_to_type() {
    acr_lint()
        .args(["check", ADMIN_CASE, "-f", "concise"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains(
            "check: no such file or directory; acr-lint takes the paths to scan, with no `check` \
             command before them: `acr-lint .`",
        ))
        .stdout(predicate::str::contains("error[ACR001]"));
    acr_lint()
        .args(["rule", "ACR001"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains(
            "rule: no such file or directory; `acr-lint explain ACR001` prints a rule's page",
        ));
}

#[test]
fn concise_format() {
    acr_lint()
        .args([ADMIN_CASE, "-f", "concise"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "testdata/terraform/acr001/fires-explicit/main.tf:6:25: error[ACR001] registry `azurerm_container_registry.acr` enables the admin user",
        ));
}

#[test]
fn json_format_is_versioned_and_complete() {
    let output = acr_lint()
        .args([ADMIN_CASE, "-f", "json"])
        .output()
        .expect("ran");
    assert_eq!(output.status.code(), Some(1));
    let doc: Value = serde_json::from_slice(&output.stdout).expect("valid JSON");
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["tool"]["name"], "acr-lint");
    assert_eq!(doc["summary"]["errors"], 1);
    let admin = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "ACR001")
        .expect("ACR001 finding");
    assert_eq!(admin["level"], "error");
    assert_eq!(
        admin["location"]["file"],
        "testdata/terraform/acr001/fires-explicit/main.tf"
    );
    assert_eq!(admin["location"]["line"], 6);
    assert_eq!(admin["location"]["column"], 25);
    assert_eq!(admin["location"]["end_line"], 6);
    assert_eq!(admin["location"]["end_column"], 29);
    assert_eq!(admin["resource"], "azurerm_container_registry.acr");
    assert_eq!(admin["property"], "properties.adminUserEnabled");
}

#[test]
fn several_formats_in_one_run() {
    let dir = tempfile::tempdir().unwrap();
    // A report's directory is made when it is missing.
    let sarif = dir.path().join("reports/acr-lint/out.sarif");
    let json = dir.path().join("out.json");
    acr_lint()
        .args([ADMIN_CASE, "-f", "concise", "-f"])
        .arg(format!("sarif={}", sarif.display()))
        .arg("-f")
        .arg(format!("json={}", json.display()))
        .assert()
        .code(1)
        .stdout(predicate::str::contains("error[ACR001]"));
    let sarif: Value = serde_json::from_str(&fs::read_to_string(sarif).unwrap()).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let json: Value = serde_json::from_str(&fs::read_to_string(json).unwrap()).unwrap();
    assert_eq!(json["version"], 1);
}

/// A validator for the JSON schema at `path` in the repository.
fn validator(path: &str) -> jsonschema::Validator {
    let text = fs::read_to_string(common::repo().join(path)).expect("schema readable");
    let schema: Value = serde_json::from_str(&text).expect("schema is JSON");
    jsonschema::validator_for(&schema).expect("schema compiles")
}

fn schema_errors(validator: &jsonschema::Validator, doc: &Value) -> Vec<String> {
    validator
        .iter_errors(doc)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect()
}

const SUPPRESSED_TF: &str = r#"# acr-lint:ignore ACR001 reason="legacy build agents" until=2099-12-31
resource "azurerm_container_registry" "a" {
  name                = "contosoregistry1"
  resource_group_name = "rg"
  location            = "westeurope"
  sku                 = "Basic"
  admin_enabled       = true
}

variable "admin" {
  type = bool
}

resource "azurerm_container_registry" "b" {
  name                = "contosoregistry2"
  resource_group_name = "rg"
  location            = "westeurope"
  sku                 = "Standard"
  admin_enabled       = var.admin
}
"#;

#[test]
fn json_report_lists_suppressed_and_baselined_findings_and_follows_its_schema() {
    let config = "suppress:\n  - rule: ACR003\n    path: \"main.tf\"\n    resource: azurerm_container_registry.a\n    reason: identity comes from the platform\n";
    let dir = scratch(&[
        ("main.tf", SUPPRESSED_TF.as_bytes()),
        (".acr-lint.yaml", config.as_bytes()),
    ]);
    let run = |args: &[&str]| {
        acr_lint()
            .current_dir(dir.path())
            .args(args)
            .output()
            .expect("ran")
    };
    run(&[
        "baseline",
        "create",
        "baseline.json",
        ".",
        "--select",
        "ACR101",
    ]);
    fs::write(dir.path().join("broken.tf"), "resource {").expect("written");
    let output = run(&[
        ".",
        "-f",
        "json",
        "--baseline",
        "baseline.json",
        "--show-unknown",
    ]);
    assert_eq!(output.status.code(), Some(3));
    let doc: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let errors = schema_errors(&validator("docs/json-report.schema.json"), &doc);
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    for list in [
        "findings",
        "suppressed",
        "baselined",
        "not_applicable",
        "unknown",
        "input_errors",
    ] {
        assert!(
            !doc[list].as_array().expect(list).is_empty(),
            "{list} is empty"
        );
    }
    let suppression = |rule: &str| {
        doc["suppressed"]
            .as_array()
            .and_then(|list| list.iter().find(|s| s["rule"] == rule))
            .map(|s| s["suppression"].clone())
            .unwrap_or_else(|| panic!("{rule} not suppressed: {doc}"))
    };
    let inline = suppression("ACR001");
    assert_eq!(inline["reason"], "legacy build agents");
    assert_eq!(inline["until"], "2099-12-31");
    assert_eq!(inline["origin"], "inline");
    assert_eq!(inline["location"]["line"], 1);
    let config = suppression("ACR003");
    assert_eq!(config["origin"], "config");
    assert_eq!(config["until"], Value::Null);
    assert!(
        config["location"]["file"]
            .as_str()
            .is_some_and(|f| f.ends_with(".acr-lint.yaml"))
    );
    let baselined = &doc["baselined"][0];
    assert_eq!(baselined["rule"], "ACR101");
    assert_eq!(baselined["suppression"]["origin"], "baseline");
    assert_eq!(doc["summary"]["suppressed"], 2);
    assert_eq!(
        doc["summary"]["baselined"],
        doc["baselined"].as_array().map(Vec::len).unwrap_or(0)
    );
    let mut broken = doc.clone();
    broken["suppressed"][0]["suppression"]["until"] = Value::from("soon");
    assert!(!schema_errors(&validator("docs/json-report.schema.json"), &broken).is_empty());
}

#[test]
fn sarif_is_valid_against_the_schema() {
    let validator = validator("tests/schemas/sarif-2.1.0.json");
    let dir = scratch(&[("broken.tf", b"resource {")]);
    for target in [common::repo().join("testdata"), dir.path().to_path_buf()] {
        let output = acr_lint()
            .arg(&target)
            .args(["-f", "sarif"])
            .output()
            .expect("ran");
        let doc: Value = serde_json::from_slice(&output.stdout).expect("SARIF is JSON");
        let errors = schema_errors(&validator, &doc);
        assert!(errors.is_empty(), "{}", errors.join("\n"));
    }
}

#[test]
fn sarif_follows_the_contract() {
    let output = acr_lint()
        .args([ADMIN_CASE, "-f", "sarif"])
        .output()
        .expect("ran");
    let doc: Value = serde_json::from_slice(&output.stdout).expect("SARIF is JSON");
    let run = &doc["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    let mut unique = ids.clone();
    unique.dedup();
    assert_eq!(ids, unique);
    for rule in rules {
        assert!(
            rule["helpUri"]
                .as_str()
                .unwrap()
                .ends_with(&format!("rules/{}.md", rule["id"].as_str().unwrap()))
        );
        assert!(
            rule["help"]["markdown"]
                .as_str()
                .unwrap()
                .starts_with("# ACR")
        );
        assert!(rule["defaultConfiguration"]["level"].is_string());
        let severity: f64 = rule["properties"]["security-severity"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!((0.0..=10.0).contains(&severity));
        assert!(!rule["properties"]["tags"].as_array().unwrap().is_empty());
    }
    let result = run["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "ACR001")
        .unwrap();
    let location = &result["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uriBaseId"], "%SRCROOT%");
    assert_eq!(
        location["artifactLocation"]["uri"],
        "testdata/terraform/acr001/fires-explicit/main.tf"
    );
    assert_eq!(location["region"]["startLine"], 6);
    assert_eq!(location["region"]["startColumn"], 25);
    assert_eq!(
        rules[result["ruleIndex"].as_u64().unwrap() as usize]["id"],
        "ACR001"
    );
    assert!(result["partialFingerprints"]["acrLintFinding/v1"].is_string());
}

#[test]
fn fingerprints_ignore_line_numbers() {
    let original = CLEAN_TF.replace(
        "public_network_access_enabled = false",
        "admin_enabled = true\n  public_network_access_enabled = false",
    );
    let moved = format!("\n\n\n{original}");
    let fingerprint = |text: &str| {
        let dir = scratch(&[("main.tf", text.as_bytes())]);
        let output = acr_lint()
            .arg(dir.path())
            .args(["-f", "sarif"])
            .current_dir(dir.path())
            .output()
            .unwrap();
        let doc: Value = serde_json::from_slice(&output.stdout).unwrap();
        doc["runs"][0]["results"][0]["partialFingerprints"]["acrLintFinding/v1"].clone()
    };
    assert_eq!(fingerprint(&original), fingerprint(&moved));
}

#[test]
fn select_and_ignore_choose_the_rules() {
    let case = "testdata/terraform/acr003/fires-default";
    let output = acr_lint()
        .args([
            case,
            "-f",
            "concise",
            "--ignore",
            "ACR0,ACR2,ACR4",
            "--select",
            "ACR304",
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(stdout.contains("[ACR304]"), "{stdout}");
    assert!(!stdout.contains("[ACR003]"), "{stdout}");
    acr_lint()
        .args([case, "--select", "ACR8"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no rule matches `ACR8`"));
    acr_lint()
        .args([
            "rules",
            "--select",
            "ACR304",
            "--ignore",
            "admin-user-enabled",
        ])
        .assert()
        .code(0)
        .stdout(predicate::str::is_match(r"ACR001 +admin-user-enabled +error +off").unwrap())
        .stdout(predicate::str::is_match(r"ACR304 +no-delete-lock +note +yes").unwrap())
        .stdout(predicate::str::is_match(r"ACR306 +no-push-webhook +note +opt-in").unwrap());
}

#[test]
fn show_unknown_reports_what_could_not_be_decided() {
    let case = "testdata/terraform/acr001/unknown";
    acr_lint()
        .args([case, "-f", "concise"])
        .assert()
        .stdout(predicate::str::contains("could not verify").not());
    acr_lint()
        .args([case, "-f", "concise", "--show-unknown"])
        .assert()
        .stdout(predicate::str::contains(
            "note[ACR001] could not verify admin-user-enabled: variable `admin_enabled`",
        ));
}

#[test]
fn rules_lists_every_rule() {
    let assert = acr_lint().arg("rules").assert().code(0);
    let stdout = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    for rule in acr_lint::rules::all() {
        let meta = rule.meta();
        assert!(stdout.lines().any(|l| l.starts_with(meta.id)
            && l.contains(meta.slug)
            && l.contains(meta.level.as_str())));
    }
}

#[test]
fn explain_prints_the_page_by_id_or_slug() {
    acr_lint()
        .args(["explain", "ACR104"])
        .assert()
        .code(0)
        .stdout(predicate::str::starts_with(
            "# ACR104: trusted-services-blocked",
        ));
    acr_lint()
        .args(["explain", "admin-user-enabled"])
        .assert()
        .code(0)
        .stdout(predicate::str::starts_with("# ACR001"));
}

#[test]
fn help_documents_exit_codes() {
    acr_lint()
        .arg("--help")
        .assert()
        .code(0)
        .stdout(predicate::str::contains("Exit codes:"))
        .stdout(predicate::str::contains("3  an input could not be read"));
}

#[test]
fn color_follows_the_choice() {
    let ansi = "\u{1b}[";
    acr_lint()
        .args([ADMIN_CASE, "--color", "always"])
        .assert()
        .stdout(predicate::str::contains(ansi));
    acr_lint()
        .args([ADMIN_CASE, "--color", "never"])
        .assert()
        .stdout(predicate::str::contains(ansi).not());
    acr_lint()
        .args([ADMIN_CASE, "--color", "auto"])
        .assert()
        .stdout(predicate::str::contains(ansi).not());
}

#[test]
fn default_path_is_the_working_directory() {
    let dir = scratch(&[(
        "main.tf",
        CLEAN_TF
            .replace(
                "public_network_access_enabled = false",
                "admin_enabled = true",
            )
            .as_bytes(),
    )]);
    acr_lint()
        .current_dir(dir.path())
        .args(["-f", "concise"])
        .assert()
        .code(1)
        .stdout(predicate::str::starts_with("main.tf:"));
}

#[cfg(unix)]
#[test]
fn symlink_loops_and_unreadable_files_do_not_stop_the_scan() {
    let dir = scratch(&[(
        "ok/main.tf",
        CLEAN_TF
            .replace(
                "public_network_access_enabled = false",
                "admin_enabled = true",
            )
            .as_bytes(),
    )]);
    std::os::unix::fs::symlink(dir.path(), dir.path().join("ok/loop")).unwrap();
    acr_lint()
        .arg(dir.path())
        .args(["-f", "concise"])
        .assert()
        .code(3)
        .stdout(predicate::str::contains("error[ACR001]"))
        .stderr(predicate::str::contains("loop"));
}

#[test]
fn two_formats_to_standard_output_is_a_usage_error() {
    acr_lint()
        .args([ADMIN_CASE, "-f", "json", "-f", "sarif"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicates::str::contains(
            "`-f json` and `-f sarif` both write to standard output",
        ));
}

/// A report path that is a named pipe, a device or a symbolic link is written through: the
/// pipe's reader gets the report, `/dev/null` stays the null device (and takes two reports),
/// and a link still points at the file that now holds the report.
#[cfg(unix)]
#[test]
fn reports_to_a_pipe_a_device_or_a_link_are_written_through_not_replaced() {
    use std::os::unix::fs::FileTypeExt;
    let dir = scratch(&[("reports/old.json", b"{\"previous\": true}")]);
    let pipe = dir.path().join("report.pipe");
    let made = std::process::Command::new("mkfifo").arg(&pipe).status();
    assert!(made.is_ok_and(|s| s.success()), "mkfifo {}", pipe.display());
    let (sender, received) = std::sync::mpsc::channel();
    let reader_end = pipe.clone();
    std::thread::spawn(move || sender.send(fs::read_to_string(reader_end)));
    std::os::unix::fs::symlink("reports/old.json", dir.path().join("linked.json")).unwrap();
    std::os::unix::fs::symlink("reports/new.sarif", dir.path().join("dangling.sarif")).unwrap();
    let case = common::repo().join(ADMIN_CASE);
    acr_lint()
        .current_dir(dir.path())
        .arg(&case)
        .args(["-f", "sarif=report.pipe", "-f", "json=linked.json"])
        .args([
            "-f",
            "sarif=dangling.sarif",
            "-f",
            "json=/dev/null",
            "-f",
            "sarif=/dev/null",
        ])
        .assert()
        .code(1)
        .stderr("");
    let piped = received
        .recv_timeout(std::time::Duration::from_secs(30))
        .expect("the pipe's reader got the report")
        .expect("pipe read");
    let sarif: Value = serde_json::from_str(&piped).expect("SARIF through the pipe");
    assert_eq!(sarif["version"], "2.1.0");
    assert!(fs::metadata(&pipe).unwrap().file_type().is_fifo());
    assert!(
        fs::metadata("/dev/null")
            .unwrap()
            .file_type()
            .is_char_device()
    );
    for (link, target) in [
        ("linked.json", "reports/old.json"),
        ("dangling.sarif", "reports/new.sarif"),
    ] {
        let kind = fs::symlink_metadata(dir.path().join(link))
            .unwrap()
            .file_type();
        assert!(kind.is_symlink(), "{link} is still a link");
        let written = fs::read_to_string(dir.path().join(target)).unwrap();
        let report: Value = serde_json::from_str(&written).expect("a report in the link's target");
        assert!(
            report.get("previous").is_none(),
            "{target} holds the new report"
        );
    }
}

/// Runs acr-lint with its standard output (and, if asked, standard error) read by nobody: the
/// pipe is closed before the process writes.
fn exit_with_closed_pipes(args: &[&str], close_stderr: bool) -> std::process::ExitStatus {
    use std::process::{Command, Stdio};
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("acr-lint"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("acr-lint starts");
    drop(child.stdout.take());
    let stderr = if close_stderr {
        drop(child.stderr.take());
        String::new()
    } else {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut child.stderr.take().expect("stderr"), &mut text)
            .expect("stderr readable");
        text
    };
    let status = child.wait().expect("acr-lint ends");
    assert!(
        !stderr.contains("panicked") && !stderr.contains("Broken pipe"),
        "{args:?}: {stderr}"
    );
    status
}

#[test]
fn a_reader_that_closes_early_ends_every_subcommand_quietly() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let baseline = dir.path().join("baseline.json");
    let baseline = baseline.to_str().expect("UTF-8 path");
    let mut runs: Vec<Vec<&str>> = vec![
        vec!["rules"],
        vec!["explain", "ACR001"],
        vec!["config"],
        vec!["config", ADMIN_CASE],
        vec!["--help"],
        vec!["--version"],
        vec!["baseline", "create", baseline, ADMIN_CASE],
        vec!["lsp"],
        vec![ADMIN_CASE, "--fail-on", "never", "--show-unknown"],
        vec!["testdata/examples", "--fail-on", "never", "--select", "ALL"],
        vec!["no-such-directory"],
        vec!["--select", "nope"],
    ];
    for format in acr_lint::report::Format::ALL.iter().map(|f| f.name()) {
        runs.push(vec![
            "testdata/examples",
            "--fail-on",
            "never",
            "-f",
            format,
        ]);
    }
    for args in &runs {
        for close_stderr in [false, true] {
            let status = exit_with_closed_pipes(args, close_stderr);
            let code = status.code();
            assert!(
                matches!(code, Some(0..=3)),
                "{args:?} (standard error closed: {close_stderr}) ended with {status}"
            );
        }
    }
}

#[test]
fn a_terraform_json_module_outside_the_scanned_paths_reports_at_its_json_value() {
    let module = br#"{
  "variable": { "anonymous": { "type": "bool" } },
  "resource": { "azurerm_container_registry": { "acr": {
    "name": "contosoregistry", "sku": "Basic", "anonymous_pull_enabled": "${var.anonymous}"
  } } }
}"#;
    let dir = scratch(&[
        ("modules/acr/main.tf.json", module),
        (
            "root/main.tf",
            b"module \"acr\" {\n  source    = \"../modules/acr\"\n  anonymous = true\n}\n",
        ),
    ]);
    acr_lint()
        .current_dir(dir.path().join("root"))
        .args([".", "-f", "concise", "--select", "ACR402"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("main.tf:3:15: error[ACR402]"));
    acr_lint()
        .current_dir(dir.path().join("root"))
        .args([".", "--select", "ACR402"])
        .assert()
        .stdout(predicate::str::contains("../modules/acr/main.tf.json:4:74"));
}

#[test]
fn terraform_json_syntax_is_read_and_its_errors_are_reported() {
    let dir = scratch(&[
        (
            "ok/main.tf.json",
            br#"{"resource": {"azurerm_container_registry": {"acr": {"name": "contosoregistry", "sku": "Basic", "admin_enabled": true}}}}"#,
        ),
        ("broken/main.tf.json", b"{\"resource\": [}"),
    ]);
    acr_lint()
        .current_dir(dir.path())
        .args(["-f", "concise", "--select", "ACR001"])
        .assert()
        .code(3)
        .stdout(predicate::str::contains(
            "ok/main.tf.json:1:114: error[ACR001]",
        ))
        .stderr(predicate::str::contains("broken/main.tf.json:1:15"));
}

/// The README's table of options names every option `--help` lists, and its `-f` row every
/// format: an option added without a word in the README fails here.
#[test]
fn the_readme_documents_every_option_and_format() {
    let help = acr_lint().arg("--help").output().expect("ran");
    let help = String::from_utf8_lossy(&help.stdout).into_owned();
    let readme = fs::read_to_string(common::repo().join("README.md")).expect("README.md");
    let table: Vec<&str> = readme.lines().filter(|l| l.starts_with("| `-")).collect();
    // An option's line starts `  -f, --format` or `      --config`; its description is
    // indented further.
    let options: Vec<&str> = help
        .split("\nOptions:\n")
        .nth(1)
        .expect("the options in --help")
        .lines()
        .filter(|line| line.len() - line.trim_start().len() <= 6)
        .filter_map(|line| line.split_whitespace().find(|word| word.starts_with("--")))
        .filter(|option| !matches!(*option, "--help" | "--version"))
        .collect();
    assert!(options.len() > 15, "{help}");
    for option in &options {
        assert!(
            table
                .iter()
                .any(|row| row.contains(&format!("`{option}"))
                    || row.contains(&format!(", {option}"))),
            "{option} is not in the README's table of options"
        );
    }
    let formats = help
        .split("written to a file: ")
        .nth(1)
        .and_then(|rest| rest.split('.').next())
        .expect("the formats in --help");
    let format_row = table
        .iter()
        .find(|row| row.starts_with("| `-f, --format"))
        .expect("the -f row");
    for format in formats.split(',').map(str::trim) {
        assert!(
            format_row.contains(&format!("`{format}`")),
            "format {format} is not in the README's -f row"
        );
    }
}

/// `acr-lint config .` beside a configuration file that holds `config`.
fn load_configuration(config: &str) -> std::process::Output {
    let dir = scratch(&[(".acr-lint.yaml", config.as_bytes())]);
    acr_lint()
        .current_dir(dir.path())
        .args(["config", "."])
        .output()
        .expect("ran")
}

/// The keys a section of the configuration takes, as the loader lists them when `config` holds
/// one it does not know.
fn keys_the_loader_takes(config: &str) -> Vec<String> {
    let output = load_configuration(config);
    assert_eq!(output.status.code(), Some(2), "{config}");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let listed = stderr
        .split("expected one of ")
        .nth(1)
        .and_then(|rest| rest.lines().next())
        .unwrap_or_else(|| panic!("no list of keys: {stderr}"));
    let mut keys: Vec<String> = listed.split(", ").map(|k| k.trim().to_string()).collect();
    keys.sort();
    keys
}

fn schema_keys(section: &Value) -> Vec<String> {
    let mut keys: Vec<String> = section["properties"]
        .as_object()
        .expect("properties")
        .keys()
        .cloned()
        .collect();
    keys.sort();
    keys
}

/// `docs/config.schema.json` (for editors' YAML support) takes exactly the keys the loader
/// takes, in every section: a key added to one is missing from the other here.
#[test]
fn the_configuration_schema_takes_the_keys_the_loader_takes() {
    let text = fs::read_to_string(common::repo().join("docs/config.schema.json")).expect("schema");
    let schema: Value = serde_json::from_str(&text).expect("schema is JSON");
    let properties = &schema["properties"];
    for (config, section) in [
        ("no-such-key: 1\n", &schema),
        (
            "suppress:\n  - rule: ACR001\n    no-such-key: 1\n",
            &properties["suppress"]["items"],
        ),
        (
            "parameters:\n  - no-such-key: 1\n",
            &properties["parameters"]["items"],
        ),
        (
            "rules:\n  ACR001: {no-such-key: 1}\n",
            &properties["rules"]["additionalProperties"],
        ),
    ] {
        assert_eq!(
            keys_the_loader_takes(config),
            schema_keys(section),
            "{config}"
        );
    }
}

/// The README's example configuration is valid against the schema, and what the loader refuses
/// the schema refuses too.
#[test]
fn the_readme_configuration_example_is_valid_against_the_schema() {
    let readme = fs::read_to_string(common::repo().join("README.md")).expect("README.md");
    let example = readme
        .split("\n## Configuration\n")
        .nth(1)
        .and_then(|section| section.split("```yaml\n").nth(1))
        .and_then(|block| block.split("```").next())
        .expect("the README's example configuration");
    let validator = validator("docs/config.schema.json");
    let document: Value = serde_saphyr::from_str(example).expect("the example is YAML");
    assert_eq!(schema_errors(&validator, &document), Vec::<String>::new());
    for refused in [
        "no-such-key: 1\n",
        "fail-on: sometimes\n",
        "show-unknown: maybe\n",
        "rules:\n  ACR001: {level: loud}\n",
        "suppress:\n  - rule: ACR001\n    path: \"*.json\"\n",
        "suppress:\n  - rule: ACR001\n    reason: no place\n",
        "suppress:\n  - rule: ACR001\n    path: \"*.json\"\n    reason: r\n    until: soon\n",
        "parameters:\n  - template: main.json\n",
    ] {
        let document: Value = serde_saphyr::from_str(refused).expect("YAML");
        assert!(
            !schema_errors(&validator, &document).is_empty(),
            "the schema takes {refused}"
        );
        let output = load_configuration(refused);
        assert_eq!(output.status.code(), Some(2), "the loader takes {refused}");
    }
}

/// `--statistics` prints one line per rule with findings, most first (then by id), in place of
/// the findings: in `pretty` with the summary after it, in `concise` alone; other formats and
/// the exit code are as without it.
#[test]
fn statistics_count_the_findings_of_each_rule_in_place_of_them() {
    let scan = |args: &[&str]| {
        let output = acr_lint()
            .args(["testdata/examples", "--color", "never"])
            .args(args)
            .output()
            .expect("acr-lint runs");
        (
            String::from_utf8_lossy(&output.stdout).into_owned(),
            output.status.code(),
        )
    };
    let (json, code) = scan(&["-f", "json", "--ignore", "ACR2"]);
    let report: Value = serde_json::from_str(&json).expect("JSON report");
    let mut counts: Vec<(usize, String, String, String)> = Vec::new();
    for finding in report["findings"].as_array().expect("findings") {
        let rule = finding["rule"].as_str().unwrap_or_default().to_string();
        match counts.iter_mut().find(|(_, id, _, _)| *id == rule) {
            Some(row) => row.0 += 1,
            None => counts.push((
                1,
                rule,
                finding["slug"].as_str().unwrap_or_default().to_string(),
                finding["level"].as_str().unwrap_or_default().to_string(),
            )),
        }
    }
    counts.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    assert!(counts.len() > 3, "{counts:?}");
    let (statistics, statistics_code) = scan(&["--statistics", "--ignore", "ACR2"]);
    let lines: Vec<&str> = statistics.lines().collect();
    for (line, (count, id, slug, level)) in lines.iter().zip(&counts) {
        let words: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(
            words,
            [count.to_string().as_str(), id, slug, level],
            "{statistics}"
        );
    }
    assert!(lines[counts.len()].starts_with("Found "), "{statistics}");
    assert_eq!(statistics_code, code);
    let (concise, _) = scan(&["--statistics", "--ignore", "ACR2", "-f", "concise"]);
    assert_eq!(concise.lines().count(), counts.len(), "{concise}");
    assert_eq!(concise.lines().next(), lines.first().copied());
    let (json_with_statistics, _) = scan(&["-f", "json", "--ignore", "ACR2", "--statistics"]);
    assert_eq!(json_with_statistics, json);
}

/// `-o FILE` sends what would go to standard output to the file, as `-f FORMAT=FILE` does: the
/// default `pretty` output, or the one `-f` without a file. With no such output, or two, it is
/// a usage error.
#[test]
fn output_file_takes_what_would_go_to_standard_output() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let sarif = dir.path().join("out.sarif");
    let pretty = dir.path().join("out.txt");
    let json = dir.path().join("out.json");
    let run = |args: &[&str]| {
        acr_lint()
            .arg("testdata/examples")
            .args(args)
            .output()
            .expect("acr-lint runs")
    };
    let path = |p: &std::path::Path| p.to_string_lossy().into_owned();
    let written = run(&[
        "-f",
        "sarif",
        "-o",
        &path(&sarif),
        "-f",
        &format!("json={}", path(&json)),
    ]);
    assert_eq!(written.status.code(), Some(1));
    assert!(written.stdout.is_empty());
    let by_name = run(&["-f", "sarif"]);
    let content = fs::read(&sarif).expect("SARIF written");
    let report: Value = serde_json::from_slice(&content).expect("SARIF");
    let expected: Value = serde_json::from_slice(&by_name.stdout).expect("SARIF");
    assert_eq!(report["runs"][0]["results"], expected["runs"][0]["results"]);
    assert!(json.is_file());
    let default = run(&["--output-file", &path(&pretty)]);
    assert!(default.stdout.is_empty());
    let text = fs::read_to_string(&pretty).expect("pretty written");
    assert!(
        text.contains("error[ACR001]") && text.contains("Found 18 problems"),
        "{text}"
    );
    assert!(!text.contains('\u{1b}'), "{text}");
    for args in [
        vec!["-f", "json=/dev/null", "-o", "x.txt"],
        vec!["-f", "json", "-f", "sarif", "-o", "x.txt"],
    ] {
        let refused = run(&args);
        assert_eq!(refused.status.code(), Some(2), "{args:?}");
        let said = String::from_utf8_lossy(&refused.stderr);
        assert!(said.contains("error: --output-file x.txt: "), "{said}");
    }
}
