//! A file read from standard input (`-` with `--stdin-filename`), as editors pipe an unsaved
//! buffer: checked as the file it names, with the files beside it on disk, and reported alone.

mod common;

use std::path::Path;

use assert_cmd::Command;
use common::scratch;
use predicates::prelude::*;

fn acr_lint_in(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("acr-lint").expect("binary built");
    cmd.current_dir(dir)
        .env_remove("NO_COLOR")
        .args(["--color", "never"]);
    cmd
}

const VARIABLES: &str = "variable \"admin\" {\n  default = true\n}\n";

fn registry(admin: &str) -> String {
    format!(
        r#"resource "azurerm_container_registry" "acr" {{
  name                = "acrexample001"
  resource_group_name = "rg"
  location            = "westeurope"
  sku                 = "Premium"
  admin_enabled       = {admin}
}}
"#
    )
}

/// The exit code and the concise ACR001 findings of a run in `dir` with `args`, `text` piped in.
fn admin_findings(dir: &Path, args: &[&str], text: &str) -> (Option<i32>, String) {
    let output = acr_lint_in(dir)
        .args(["-f", "concise", "--select", "ACR001"])
        .args(args)
        .write_stdin(text)
        .output()
        .expect("acr-lint runs");
    let stdout = String::from_utf8(output.stdout).expect("UTF-8");
    (output.status.code(), stdout)
}

const ADMIN_USER: &str =
    "error[ACR001] registry `azurerm_container_registry.acr` enables the admin user";

#[test]
fn the_text_is_checked_as_the_named_file_with_the_files_beside_it_and_reported_alone() {
    let on_disk = registry("false");
    let other = registry("true").replace("\"acr\"", "\"other\"");
    let dir = scratch(&[
        ("infra/variables.tf", VARIABLES.as_bytes()),
        ("infra/main.tf", on_disk.as_bytes()),
        ("infra/other.tf", other.as_bytes()),
    ]);
    // What is on disk is clean; the text piped in enables the admin user two lines further
    // down, and then through the variable whose default only the file beside it holds.
    let piped = |admin: &str| format!("# edited\n\n{}", registry(admin));
    let given = ["--stdin-filename", "infra/main.tf", "-"];
    assert_eq!(
        admin_findings(dir.path(), &["infra/main.tf"], ""),
        (Some(0), String::new())
    );
    let (code, found) = admin_findings(dir.path(), &given, &piped("true"));
    assert_eq!(code, Some(1));
    assert_eq!(found.lines().collect::<Vec<_>>().len(), 1, "{found}");
    assert!(
        found.starts_with(&format!("infra/main.tf:8:25: {ADMIN_USER}")),
        "{found}"
    );
    let (code, found) = admin_findings(dir.path(), &given, &piped("var.admin"));
    assert_eq!(code, Some(1));
    assert_eq!(found.lines().collect::<Vec<_>>().len(), 1, "{found}");
    assert!(
        found.starts_with(&format!("infra/variables.tf:2:13: {ADMIN_USER}")),
        "{found}"
    );
    // With no path, and under a name that is not on disk yet (a new buffer).
    let infra = dir.path().join("infra");
    let (code, found) = admin_findings(&infra, &["--stdin-filename", "new.tf"], &piped("true"));
    assert_eq!(code, Some(1));
    assert_eq!(found.lines().collect::<Vec<_>>().len(), 1, "{found}");
    assert!(found.starts_with("new.tf:8:25: error[ACR001]"), "{found}");
}

#[test]
fn a_data_file_piped_in_is_what_the_bicep_file_beside_it_loads() {
    let loading = common::ADMIN_REGISTRY.replace(
        "param adminEnabled bool = false",
        "var adminEnabled = loadJsonContent('settings.json').admin",
    );
    let dir = scratch(&[
        ("main.bicep", loading.as_bytes()),
        ("settings.json", b"{\"admin\": false}\n"),
    ]);
    let given = ["--stdin-filename", "settings.json", "-"];
    let (code, found) = admin_findings(dir.path(), &given, "{\n  \"admin\": true\n}\n");
    assert_eq!(code, Some(1));
    assert!(
        found
            .starts_with("settings.json:2:12: error[ACR001] registry `acr` enables the admin user"),
        "{found}"
    );
}

#[test]
fn standard_input_needs_a_name_it_can_read_and_stands_alone() {
    let dir = scratch(&[("main.tf", registry("true").as_bytes())]);
    let refused = |args: &[&str], says: &str| {
        acr_lint_in(dir.path())
            .args(args)
            .write_stdin(registry("true"))
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicate::str::contains(says.to_string()));
    };
    refused(&["-"], "name it with --stdin-filename PATH");
    refused(
        &["--stdin-filename", "main.tf", "-", "main.tf"],
        "is given alone",
    );
    refused(
        &["--stdin-filename", "main.tf", "."],
        "give `-` as the path, or no path",
    );
    refused(
        &["--stdin-filename", "notes.txt", "-"],
        "--stdin-filename notes.txt: acr-lint reads Terraform",
    );
}

#[test]
fn standard_input_that_is_not_text_is_an_input_error_at_its_first_bad_byte() {
    let dir = scratch(&[]);
    acr_lint_in(dir.path())
        .args(["--stdin-filename", "main.tf", "-"])
        .write_stdin(b"# one\n# two \xff\n".to_vec())
        .assert()
        .code(3)
        .stderr(predicate::str::contains(
            "error: main.tf:2:7: not valid UTF-8 text",
        ));
    let sarif = acr_lint_in(dir.path())
        .args(["--stdin-filename", "main.tf", "-f", "sarif"])
        .write_stdin(b"\0\x01".to_vec())
        .assert()
        .code(3)
        .stderr(predicate::str::contains(
            "main.tf:1:1: binary file (contains NUL bytes)",
        ))
        .get_output()
        .stdout
        .clone();
    let sarif: serde_json::Value = serde_json::from_slice(&sarif).expect("SARIF");
    let notification = &sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"][0];
    assert_eq!(notification["level"], "error");
    assert_eq!(
        notification["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "main.tf"
    );
}
