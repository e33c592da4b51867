//! The configuration file: discovery, validation with positions, precedence, and effect.

mod common;

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;

const REGISTRY: &str = r#"variable "admin" {
  type    = bool
  default = false
}

resource "azurerm_container_registry" "acr" {
  name                = "contosoregistry"
  resource_group_name = "rg"
  location            = "westeurope"
  sku                 = "Basic"
  admin_enabled       = var.admin
}
"#;

fn project(config: Option<&str>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary directory");
    fs::create_dir_all(dir.path().join("infra")).unwrap();
    fs::write(dir.path().join("infra/main.tf"), REGISTRY).unwrap();
    if let Some(config) = config {
        fs::write(dir.path().join(".acr-lint.yaml"), config).unwrap();
    }
    dir
}

fn run(dir: &Path, args: &[&str]) -> assert_cmd::assert::Assert {
    Command::cargo_bin("acr-lint")
        .unwrap()
        .current_dir(dir)
        .args(args)
        .assert()
}

#[test]
fn config_is_found_above_the_scanned_path_and_applied() {
    let config = "extend-select: [ACR304]\nignore: [ACR004]\nfail-on: never\nrules:\n  ACR003: {level: error}\n";
    let dir = project(Some(config));
    run(&dir.path().join("infra"), &["-f", "concise", "."])
        .code(0)
        .stdout(predicate::str::contains("note[ACR304]"))
        .stdout(predicate::str::contains("error[ACR003]"))
        .stdout(predicate::str::contains("ACR004").not());
}

#[test]
fn command_line_wins_over_the_config() {
    let dir = project(Some("fail-on: never\n"));
    run(dir.path(), &["infra", "-f", "concise"]).code(0);
    run(
        dir.path(),
        &["infra", "-f", "concise", "--fail-on", "warning"],
    )
    .code(1);
}

#[test]
fn config_errors_show_file_line_and_column_and_exit_2() {
    for (config, expected) in [
        (
            "select: [ACR001]\nfial-on: error\n",
            ".acr-lint.yaml:2:1: unknown field `fial-on`",
        ),
        (
            "select: [ACR3O4]\n",
            ".acr-lint.yaml:1:10: no rule matches `ACR3O4`",
        ),
        (
            "fail-on: sometimes\n",
            ".acr-lint.yaml:1:10: `fail-on: sometimes`",
        ),
        (
            "rules:\n  ACR001: {level: loud}\n",
            ".acr-lint.yaml:2:11: `level: loud`",
        ),
        (
            "var-files: [missing.tfvars]\n",
            ".acr-lint.yaml:1:13: var file `missing.tfvars` does not exist",
        ),
        (
            "suppress:\n  - rule: ACR001\n    path: \"**\"\n",
            ".acr-lint.yaml:2:5: a `suppress` entry needs a `reason`",
        ),
    ] {
        let dir = project(Some(config));
        run(dir.path(), &["infra"])
            .code(2)
            .stderr(predicate::str::contains(expected));
    }
}

#[test]
fn select_in_the_config_is_the_whole_set_and_the_command_line_refines_it() {
    let dir = project(Some("select: [ACR0]\nignore: [ACR004]\n"));
    run(dir.path(), &["infra", "-f", "concise"])
        .stdout(predicate::str::contains("[ACR003]"))
        .stdout(predicate::str::contains("[ACR101]").not())
        .stdout(predicate::str::contains("[ACR004]").not());
    run(
        dir.path(),
        &["infra", "-f", "concise", "--extend-select", "ACR101"],
    )
    .stdout(predicate::str::contains("[ACR101]"))
    .stdout(predicate::str::contains("[ACR004]").not());
    run(
        dir.path(),
        &["infra", "-f", "concise", "--select", "ACR101"],
    )
    .stdout(predicate::str::contains("[ACR101]"))
    .stdout(predicate::str::contains("[ACR003]").not());
    run(dir.path(), &["infra", "--select", "ACR004"]).stdout(predicate::str::contains("[ACR004]"));
}

#[test]
fn a_config_selection_that_enables_nothing_is_a_usage_error() {
    let dir = project(Some("select: [ACR001]\nignore: [ACR0]\n"));
    run(dir.path(), &["infra"])
        .code(2)
        .stderr(predicate::str::contains("enables no rule"));
}

#[test]
fn config_subcommand_takes_paths_and_finds_their_configuration() {
    let dir = project(None);
    fs::write(
        dir.path().join("infra/.acr-lint.yaml"),
        "fail-on: warning\n",
    )
    .unwrap();
    let file = fs::canonicalize(dir.path().join("infra/.acr-lint.yaml")).unwrap();
    run(dir.path(), &["config", "infra"])
        .code(0)
        .stdout(predicate::str::contains(format!(
            "config-file: {}",
            file.display()
        )))
        .stdout(predicate::str::contains(format!(
            "fail-on: warning    # from {}",
            file.display()
        )))
        .stdout(predicate::str::contains("exclude: []    # from default"))
        .stdout(predicate::str::contains(
            "show-unknown: false    # from default",
        ));
    run(dir.path(), &["config"])
        .code(0)
        .stdout(predicate::str::contains("config-file: (none found)"))
        .stdout(predicate::str::contains("fail-on: error    # from default"));
    run(&dir.path().join("infra"), &["config"])
        .code(0)
        .stdout(predicate::str::contains("fail-on: warning    # from"));
}

#[test]
fn config_subcommand_shows_selection_from_each_origin_and_the_rules_enabled() {
    let dir = project(Some("select: [ACR0]\nignore: [ACR004]\n"));
    run(
        dir.path(),
        &["config", "infra", "--extend-select", "ACR101"],
    )
    .code(0)
    .stdout(predicate::str::is_match(r"(?m)^select: ACR0    # from .*\.acr-lint\.yaml$").unwrap())
    .stdout(predicate::str::contains(
        "extend-select: ACR101    # from command line",
    ))
    .stdout(predicate::str::is_match(r"(?m)^ignore: ACR004    # from .*\.acr-lint\.yaml$").unwrap())
    .stdout(predicate::str::contains(
        "enabled: 8 rules: ACR001, ACR002, ACR003, ACR005, ACR006, ACR007, ACR008, ACR101",
    ));
}

#[test]
fn config_subcommand_prints_values_and_origins() {
    let dir = project(Some("fail-on: error\nexclude: [\"legacy/**\"]\n"));
    run(dir.path(), &["config", "--select", "ACR304"])
        .code(0)
        .stdout(predicate::str::contains(
            "select: ACR304    # from command line",
        ))
        .stdout(predicate::str::contains("fail-on: error    # from"))
        .stdout(predicate::str::contains("ignore: []    # from default"))
        .stdout(predicate::str::contains("exclude: legacy/**"));
}

#[test]
fn explicit_config_file_and_missing_one() {
    let dir = project(None);
    fs::write(dir.path().join("strict.yaml"), "fail-on: never\n").unwrap();
    run(dir.path(), &["infra", "--config", "strict.yaml"]).code(0);
    run(dir.path(), &["infra", "--config", "nope.yaml"])
        .code(2)
        .stderr(predicate::str::contains("nope.yaml does not exist"));
}

#[test]
fn exclude_globs_skip_files_and_a_scan_they_leave_empty_says_so() {
    let dir = project(Some("exclude: [\"infra/**\"]\n"));
    run(dir.path(), &[".", "-f", "concise"])
        .code(0)
        .stdout(predicate::str::is_empty())
        .stderr("note: no files checked: the one file acr-lint would read in the paths is excluded by the configuration (`exclude`)\n");
    fs::write(dir.path().join("infra/variables.tf"), "variable \"x\" {}\n").unwrap();
    run(dir.path(), &["infra/main.tf", "infra/variables.tf"])
        .code(0)
        .stdout("No files checked: all 2 files acr-lint would read in the paths are excluded by the configuration (`exclude`).\n");
}

/// The configuration's globs name files from its own directory, as its `var-files` do, so a
/// scan run from a subdirectory, or given the file with `--config` from elsewhere, excludes and
/// suppresses the same files as one run beside it.
#[test]
fn exclude_and_suppress_globs_are_relative_to_the_configuration_file() {
    let config = "exclude: [\"legacy/**\"]\nsuppress:\n  - rule: ACR001\n    path: \"infra/*.tf\"\n    reason: the platform team rotates the password\n";
    let dir = project(Some(config));
    let admin = REGISTRY.replace("default = false", "default = true");
    fs::write(dir.path().join("infra/main.tf"), &admin).unwrap();
    fs::create_dir_all(dir.path().join("legacy")).unwrap();
    fs::write(dir.path().join("legacy/main.tf"), &admin).unwrap();
    let elsewhere = tempfile::tempdir().expect("temporary directory");
    let config_file = dir.path().join(".acr-lint.yaml");
    let config_file = config_file.to_str().expect("UTF-8 path");
    let top = dir.path().to_str().expect("UTF-8 path");
    let runs: [(&Path, Vec<&str>); 5] = [
        (dir.path(), vec!["."]),
        (&dir.path().join("infra"), vec!["."]),
        (&dir.path().join("infra"), vec!["main.tf"]),
        (&dir.path().join("legacy"), vec!["main.tf"]),
        (elsewhere.path(), vec![top, "--config", config_file]),
    ];
    for (directory, args) in runs {
        let args = [&args[..], &["-f", "concise", "--select", "ACR001"]].concat();
        run(directory, &args)
            .code(0)
            .stdout(predicate::str::contains("ACR001").not());
    }
    // The same files, named from the working directory, are not what the globs name.
    let moved = tempfile::tempdir().expect("temporary directory");
    fs::copy(config_file, moved.path().join("acr-lint.yaml")).unwrap();
    let moved_config = moved.path().join("acr-lint.yaml");
    let moved_config = moved_config.to_str().expect("UTF-8 path");
    run(
        dir.path(),
        &[
            ".",
            "--config",
            moved_config,
            "-f",
            "concise",
            "--select",
            "ACR001",
        ],
    )
    .code(1)
    .stdout(predicate::str::contains(
        "infra/main.tf:3:13: error[ACR001]",
    ))
    .stdout(predicate::str::contains(
        "legacy/main.tf:3:13: error[ACR001]",
    ));
}

#[test]
fn suppress_entries_cover_paths_and_resources_and_unused_ones_are_reported() {
    let config = "suppress:\n  - rule: ACR003\n    path: \"infra/*.tf\"\n    reason: identity comes from the platform team\n  - rule: ACR001\n    resource: azurerm_container_registry.other\n    reason: no such registry\n";
    let dir = project(Some(config));
    run(dir.path(), &[".", "-f", "concise", "--fail-on", "never"])
        .stdout(predicate::str::contains("[ACR003]").not())
        .stdout(predicate::str::contains(
            ".acr-lint.yaml:5:5: warning[ACR903]",
        ));
}

/// An entry for files a scan did not read is not said to suppress nothing: `acr-lint legacy`
/// hears nothing of the entries for `infra/`, which a scan of `infra` uses, nor of those that
/// may cover files anywhere (a `resource` with no `path`, a `**` glob), but does of one for
/// `legacy/`. Scanned from the configuration's directory, an entry whose glob names no file
/// read (a typo) suppresses nothing, and so do those that suppress nothing anywhere.
#[test]
fn an_entry_for_files_a_scan_did_not_read_is_not_reported_unused() {
    let config = "suppress:\n  - rule: ACR003\n    path: \"infra/*.tf\"\n    reason: identity comes from the platform team\n  - rule: ACR003\n    path: \"infar/*.tf\"\n    reason: a typo\n  - rule: ACR001\n    resource: azurerm_container_registry.other\n    reason: anywhere\n  - rule: ACR001\n    path: \"**/*.tf\"\n    reason: anywhere\n  - rule: ACR001\n    path: \"./legacy/*.tf\"\n    reason: here\n";
    let dir = project(Some(config));
    fs::create_dir_all(dir.path().join("legacy")).unwrap();
    fs::write(dir.path().join("legacy/main.tf"), REGISTRY).unwrap();
    let unused = |args: &[&str]| {
        let output = run(
            dir.path(),
            &[args, &["-f", "concise", "--fail-on", "never"]].concat(),
        );
        let stdout = String::from_utf8_lossy(&output.get_output().stdout).into_owned();
        common::concise_places(&stdout, "ACR903")
    };
    let everywhere = [
        ".acr-lint.yaml:11:5",
        ".acr-lint.yaml:14:5",
        ".acr-lint.yaml:5:5",
        ".acr-lint.yaml:8:5",
    ];
    assert_eq!(unused(&["legacy"]), [".acr-lint.yaml:14:5"]);
    assert_eq!(
        unused(&["legacy/main.tf", "legacy"]),
        [".acr-lint.yaml:14:5"]
    );
    assert_eq!(unused(&["legacy/"]), [".acr-lint.yaml:14:5"]);
    assert_eq!(unused(&["infra"]), Vec::<String>::new());
    assert_eq!(unused(&["."]), everywhere);
    assert_eq!(unused(&[]), everywhere);
    let within = dir.path().join("legacy");
    let from_within = run(&within, &["..", "-f", "concise", "--fail-on", "never"]);
    let stdout = String::from_utf8_lossy(&from_within.get_output().stdout).into_owned();
    let above = everywhere.map(|place| format!("../{place}"));
    assert_eq!(common::concise_places(&stdout, "ACR903"), above);
}

/// An expired entry that may cover files a partial scan did not read still says it expired
/// where it covers a finding.
#[test]
fn an_expired_entry_covering_a_finding_of_a_partial_scan_says_so() {
    let config = "suppress:\n  - rule: ACR003\n    resource: azurerm_container_registry.acr\n    reason: platform identity\n    until: 2020-01-31\n";
    let dir = project(Some(config));
    fs::create_dir_all(dir.path().join("legacy")).unwrap();
    fs::write(dir.path().join("legacy/main.tf"), REGISTRY).unwrap();
    run(
        dir.path(),
        &["legacy", "-f", "concise", "--fail-on", "never"],
    )
    .stdout(predicate::str::contains(
        ".acr-lint.yaml:2:5: warning[ACR904] suppression of ACR003 expired on 2020-01-31",
    ))
    .stdout(predicate::str::contains(
        "legacy/main.tf:6:10: warning[ACR003]",
    ));
}

/// A configuration found above the working directory, and the files it names, are named from
/// the working directory, as the scanned files are.
#[test]
fn a_configuration_found_above_is_named_from_the_working_directory() {
    let dir = project(Some("var-files: [prod.tfvars]\nbad-key: 1\n"));
    fs::write(dir.path().join("prod.tfvars"), "admin = true\n").unwrap();
    let infra = dir.path().join("infra");
    run(&infra, &["-f", "concise"])
        .code(2)
        .stderr(predicate::str::starts_with("error: ../.acr-lint.yaml:2:1:"));
    fs::write(
        dir.path().join(".acr-lint.yaml"),
        "var-files: [prod.tfvars]\n",
    )
    .unwrap();
    run(&infra, &["-f", "concise"])
        .code(1)
        .stdout(predicate::str::starts_with(
            "../prod.tfvars:1:9: error[ACR001]",
        ));
    run(&infra, &["config"]).stdout(predicate::str::starts_with(
        "config-file: ../.acr-lint.yaml\n",
    ));
    let absolute = infra.to_string_lossy().into_owned();
    run(&infra, &[absolute.as_str(), "-f", "concise"])
        .code(1)
        .stdout(predicate::str::contains(format!(
            "{}:1:9: error[ACR001]",
            dir.path().join("prod.tfvars").display()
        )));
}

#[test]
fn var_files_from_the_command_line_and_config_set_variables() {
    let dir = project(None);
    fs::write(dir.path().join("prod.tfvars"), "admin = true\n").unwrap();
    run(
        dir.path(),
        &["infra", "-f", "concise", "--var-file", "prod.tfvars"],
    )
    .code(1)
    .stdout(predicate::str::contains("prod.tfvars:1:9: error[ACR001]"));
    fs::write(
        dir.path().join(".acr-lint.yaml"),
        "var-files: [prod.tfvars]\n",
    )
    .unwrap();
    run(dir.path(), &["infra", "-f", "concise"])
        .stdout(predicate::str::contains("prod.tfvars:1:9: error[ACR001]"));
    run(dir.path(), &["infra", "--var-file", "missing.tfvars"]).code(2);
}

/// A value no file holds says where it was set: `--var` or the environment.
#[test]
fn a_value_given_on_the_command_line_or_in_the_environment_says_where_it_was_set() {
    let dir = project(None);
    let origin = |args: &[&str], environment: Option<&str>| {
        let mut command = Command::cargo_bin("acr-lint").unwrap();
        command.current_dir(dir.path()).env_remove("TF_VAR_admin");
        if let Some(value) = environment {
            command.env("TF_VAR_admin", value);
        }
        let output = command
            .args(["infra", "-f", "json", "--select", "ACR001"])
            .args(args)
            .output()
            .unwrap();
        let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        report["findings"][0]["related"][0]["message"].clone()
    };
    assert_eq!(
        origin(&["--var", "admin=true"], None),
        "value comes from `var.admin`, set by `--var admin=...`"
    );
    assert_eq!(
        origin(&[], Some("true")),
        "value comes from `var.admin`, set by environment variable `TF_VAR_admin`"
    );
}

/// `--var` overrides the var files before it and is overridden by those after it, whatever
/// the configuration file lists first; lists and objects are read in HCL syntax.
#[test]
fn var_values_take_their_place_among_var_files() {
    let dir = project(None);
    fs::write(dir.path().join("on.tfvars"), "admin = true\n").unwrap();
    fs::write(dir.path().join("off.tfvars"), "admin = false\n").unwrap();
    let admin = |args: &[&str]| {
        let mut all = vec!["infra", "-f", "concise", "--fail-on", "never"];
        all.extend_from_slice(args);
        let output = run(dir.path(), &all).get_output().stdout.clone();
        String::from_utf8(output).unwrap().contains("[ACR001]")
    };
    assert!(!admin(&[]));
    assert!(admin(&["--var", "admin=true"]));
    assert!(!admin(&["--var", "admin=true", "--var-file", "off.tfvars"]));
    assert!(admin(&["--var-file", "off.tfvars", "--var", "admin=true"]));
    assert!(!admin(&["--var-file", "on.tfvars", "--var", "admin=false"]));
    fs::write(
        dir.path().join(".acr-lint.yaml"),
        "var-files: [on.tfvars]\n",
    )
    .unwrap();
    assert!(!admin(&["--var", "admin=false"]));
    assert!(admin(&["--var", "admin=false", "--var-file", "on.tfvars"]));
    run(dir.path(), &["infra", "--var", "admin"])
        .code(2)
        .stderr(predicate::str::contains("expected NAME=VALUE"));
}

/// Options that shape the scan are accepted after a subcommand too: a baseline made for one
/// environment's variables, and `config` showing them.
#[test]
fn scan_options_apply_after_subcommands() {
    let dir = project(None);
    fs::write(dir.path().join("on.tfvars"), "admin = true\n").unwrap();
    run(
        dir.path(),
        &[
            "baseline",
            "create",
            "baseline.json",
            "infra",
            "--var-file",
            "on.tfvars",
        ],
    )
    .code(0);
    let baseline = fs::read_to_string(dir.path().join("baseline.json")).unwrap();
    assert!(baseline.contains("ACR001"), "{baseline}");
    run(
        dir.path(),
        &["config", "--var", "admin=true", "--show-unknown"],
    )
    .stdout(predicate::str::contains("vars: admin"))
    .stdout(predicate::str::contains("show-unknown: true"));
}

const TEMPLATE: &str = r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": { "admin": { "type": "bool", "defaultValue": false } },
  "resources": [
    {
      "type": "Microsoft.ContainerRegistry/registries",
      "apiVersion": "2023-07-01",
      "name": "contosoregistry",
      "location": "westeurope",
      "sku": { "name": "Basic" },
      "properties": { "adminUserEnabled": "[parameters('admin')]" }
    }
  ]
}
"#;

const PARAMETERS: &str = "{\n  \"contentVersion\": \"1.0.0.0\",\n  \"parameters\": {\n    \"admin\": { \"value\": true }\n  }\n}\n";

/// A scan of `arm/` with `arm/registry.json` paired with `parameters` on the command line.
fn run_paired(dir: &Path, parameters: &str) -> assert_cmd::assert::Assert {
    let pairing = [
        "--template",
        "arm/registry.json",
        "--parameters",
        parameters,
    ];
    run(dir, &[&["arm", "-f", "concise"][..], &pairing].concat())
}

#[test]
fn parameters_files_paired_explicitly_on_the_command_line_and_in_the_config() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("arm")).unwrap();
    fs::create_dir_all(dir.path().join("env")).unwrap();
    fs::write(dir.path().join("arm/registry.json"), TEMPLATE).unwrap();
    fs::write(dir.path().join("env/prod.json"), PARAMETERS).unwrap();
    run(dir.path(), &["arm", "-f", "concise"])
        .code(0)
        .stdout(predicate::str::contains("ACR001").not());
    run_paired(dir.path(), "env/prod.json")
        .code(1)
        .stdout(predicate::str::contains(
            "env/prod.json:4:25: error[ACR001]",
        ));
    run(
        dir.path(),
        &[
            "arm",
            "--template",
            "arm/registry.json",
            "--parameters",
            "env/none.json",
        ],
    )
    .code(2);
    fs::write(
        dir.path().join(".acr-lint.yaml"),
        "parameters:\n  - template: arm/registry.json\n    files: [env/prod.json]\n",
    )
    .unwrap();
    run(dir.path(), &["arm", "-f", "concise"]).stdout(predicate::str::contains(
        "env/prod.json:4:25: error[ACR001]",
    ));
    fs::write(
        dir.path().join(".acr-lint.yaml"),
        "parameters:\n  - template: arm/nope.json\n    files: [env/prod.json]\n",
    )
    .unwrap();
    run(dir.path(), &["arm"])
        .code(2)
        .stderr(predicate::str::contains(
            ".acr-lint.yaml:2:5: template `arm/nope.json` does not exist",
        ));
}

/// A parameters file whose name pairs it with no template is an input error, until it is paired
/// explicitly: then it is read, and never reported as unread.
#[test]
fn a_parameters_file_named_for_no_template_is_read_once_paired_explicitly() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("arm/parameters")).unwrap();
    fs::write(dir.path().join("arm/registry.json"), TEMPLATE).unwrap();
    let parameters = "arm/parameters/mc-registry.parameters.prod.json";
    fs::write(dir.path().join(parameters), PARAMETERS).unwrap();
    run(dir.path(), &["arm", "-f", "concise"])
        .code(3)
        .stderr(predicate::str::contains(format!(
            "{parameters}: parameters file for template `mc-registry.json`, which does not exist \
             in the directory above it (nor a `.bicep` of that name); pair it in the \
             configuration (`parameters:`) or with `--template` and `--parameters`"
        )));
    let finding = format!("{parameters}:4:25: error[ACR001]");
    run_paired(dir.path(), parameters)
        .code(1)
        .stdout(predicate::str::contains(&finding))
        .stderr(predicate::str::is_empty());
    fs::write(
        dir.path().join(".acr-lint.yaml"),
        format!("parameters:\n  - template: arm/registry.json\n    files: [{parameters}]\n"),
    )
    .unwrap();
    run(dir.path(), &["arm", "-f", "concise"])
        .code(1)
        .stdout(predicate::str::contains(&finding))
        .stderr(predicate::str::is_empty());
}

#[test]
fn config_subcommand_names_the_origin_of_each_var_file() {
    let dir = project(Some("var-files: [base.tfvars]\n"));
    fs::write(dir.path().join("base.tfvars"), "admin = false\n").unwrap();
    fs::write(dir.path().join("prod.tfvars"), "admin = true\n").unwrap();
    run(
        dir.path(),
        &["config", "infra", "--var-file", "prod.tfvars"],
    )
    .code(0)
    .stdout(
        predicate::str::is_match(r"(?m)^var-files: .*base\.tfvars    # from .*\.acr-lint\.yaml$")
            .unwrap(),
    )
    .stdout(
        predicate::str::is_match(r"(?m)^var-files: prod\.tfvars    # from command line$").unwrap(),
    );
}
