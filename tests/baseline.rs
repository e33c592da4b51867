//! Baselines: created from a scan, matched by rule, file, resource and property (not lines),
//! stale entries reported and pruned by `update`.

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;

const REGISTRY: &str = r#"resource "azurerm_container_registry" "acr" {
  name                = "contosoregistry"
  resource_group_name = "rg"
  location            = "westeurope"
  sku                 = "Basic"
  admin_enabled       = true
}
"#;

fn acr_lint(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("acr-lint").unwrap();
    cmd.current_dir(dir);
    cmd
}

fn create_baseline(dir: &Path) {
    acr_lint(dir)
        .args(["baseline", "create", "baseline.json", "."])
        .assert()
        .code(0);
}

#[test]
fn baselined_findings_do_not_block_and_moved_code_stays_baselined() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("main.tf"), REGISTRY).unwrap();
    create_baseline(dir.path());
    let written: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(dir.path().join("baseline.json")).unwrap())
            .unwrap();
    assert_eq!(written["version"], 1);
    assert!(
        written["entries"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["rule"] == "ACR001" && e["file"] == "main.tf")
    );

    fs::write(
        dir.path().join("main.tf"),
        format!("\n\n# moved down\n{REGISTRY}"),
    )
    .unwrap();
    acr_lint(dir.path())
        .args([".", "--baseline", "baseline.json"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("baselined"))
        .stdout(predicate::str::contains("No problems found"));
}

#[test]
fn a_new_resource_with_the_same_name_in_another_file_is_not_baselined() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("a")).unwrap();
    fs::create_dir_all(dir.path().join("b")).unwrap();
    fs::write(dir.path().join("a/main.tf"), REGISTRY).unwrap();
    create_baseline(dir.path());
    fs::write(dir.path().join("b/main.tf"), REGISTRY).unwrap();
    acr_lint(dir.path())
        .args([".", "--baseline", "baseline.json", "-f", "concise"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("b/main.tf:6:25: error[ACR001]"))
        .stdout(predicate::str::contains("a/main.tf").not());
}

#[test]
fn a_value_moved_into_another_file_that_the_finding_now_points_at_stays_baselined() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("main.tf"), REGISTRY).unwrap();
    create_baseline(dir.path());
    let reads_a_local = REGISTRY.replace("= true", "= local.admin");
    fs::write(dir.path().join("main.tf"), reads_a_local).unwrap();
    fs::write(
        dir.path().join("locals.tf"),
        "locals {\n  admin = true\n}\n",
    )
    .unwrap();
    acr_lint(dir.path())
        .args([".", "--select", "ACR001", "-f", "concise"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("locals.tf:2:11: error[ACR001]"));
    acr_lint(dir.path())
        .args([".", "--baseline", "baseline.json", "--select", "ACR001"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("No problems found"))
        .stdout(predicate::str::contains("stale").not());
    acr_lint(dir.path())
        .args(["baseline", "update", "baseline.json", "."])
        .assert()
        .code(0);
    let kept = fs::read_to_string(dir.path().join("baseline.json")).unwrap();
    assert!(kept.contains("\"ACR001\""), "{kept}");
}

#[test]
fn stale_entries_are_reported_and_update_prunes_them() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("main.tf"), REGISTRY).unwrap();
    create_baseline(dir.path());
    let count = |dir: &Path| {
        let text = fs::read_to_string(dir.join("baseline.json")).unwrap();
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        value["entries"].as_array().unwrap().len()
    };
    let before = count(dir.path());
    fs::write(
        dir.path().join("main.tf"),
        REGISTRY.replace("admin_enabled       = true", "admin_enabled       = false"),
    )
    .unwrap();
    acr_lint(dir.path())
        .args([".", "--baseline", "baseline.json"])
        .assert()
        .stdout(predicate::str::contains("1 baseline entry no longer found"));
    acr_lint(dir.path())
        .args(["baseline", "update", "baseline.json", "."])
        .assert()
        .code(0)
        .stderr(predicate::str::contains("1 stale removed"));
    assert_eq!(count(dir.path()), before - 1);
}

#[test]
fn baselined_results_are_marked_in_sarif_and_json() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("main.tf"), REGISTRY).unwrap();
    create_baseline(dir.path());
    let output = acr_lint(dir.path())
        .args([".", "--baseline", "baseline.json", "-f", "sarif"])
        .output()
        .unwrap();
    let sarif: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let result = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "ACR001")
        .unwrap()
        .clone();
    assert_eq!(result["suppressions"][0]["kind"], "external");
    let output = acr_lint(dir.path())
        .args([".", "--baseline", "baseline.json", "-f", "json"])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(json["summary"]["baselined"].as_u64().unwrap() >= 1);
    assert_eq!(json["summary"]["suppressed"], 0);
}

#[test]
fn a_broken_baseline_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("main.tf"), REGISTRY).unwrap();
    fs::write(
        dir.path().join("baseline.json"),
        "{\"version\": 1, \"entries\": [{\"rule\": 5}]}",
    )
    .unwrap();
    acr_lint(dir.path())
        .args([".", "--baseline", "baseline.json"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("baseline.json:1:"));
}

/// The ACR001 entries of a baseline file, by file name.
fn admin_entries(path: &Path) -> Vec<String> {
    let written: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap();
    let mut files: Vec<String> = written["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["rule"] == "ACR001")
        .filter_map(|e| e["file"].as_str().map(str::to_string))
        .collect();
    files.sort();
    files
}

/// Entries name files from the top of the repository the baseline lies in, so a scan run from a
/// subdirectory matches them, and `update` of a part of the repository keeps the entries of the
/// rest; entries written from a subdirectory before (named from there) still match there.
#[test]
fn a_baseline_matches_from_any_directory_and_update_keeps_what_it_did_not_scan() {
    let dir = tempfile::tempdir().unwrap();
    for directory in [".git", ".ci", "infra", "legacy"] {
        fs::create_dir_all(dir.path().join(directory)).unwrap();
    }
    fs::write(dir.path().join("infra/main.tf"), REGISTRY).unwrap();
    fs::write(dir.path().join("legacy/main.tf"), REGISTRY).unwrap();
    let infra = dir.path().join("infra");
    let baseline = dir.path().join(".ci/baseline.json");
    acr_lint(&infra)
        .args(["baseline", "create", "../.ci/baseline.json", ".."])
        .assert()
        .code(0);
    assert_eq!(
        admin_entries(&baseline),
        ["infra/main.tf", "legacy/main.tf"]
    );
    let quiet = ["-f", "concise", "--baseline", "../.ci/baseline.json"];
    acr_lint(&infra)
        .args([&quiet[..], &["."]].concat())
        .assert()
        .code(0)
        .stdout("");
    acr_lint(&infra)
        .args([&quiet[..], &["main.tf"]].concat())
        .assert()
        .code(0)
        .stdout("");
    fs::write(
        dir.path().join("infra/main.tf"),
        REGISTRY.replace("= true", "= false"),
    )
    .unwrap();
    acr_lint(&infra)
        .args(["baseline", "update", "../.ci/baseline.json", "."])
        .assert()
        .code(0);
    assert_eq!(admin_entries(&baseline), ["legacy/main.tf"]);
    let earlier = r#"{"version": 1, "entries": [{"rule": "ACR001", "file": "main.tf",
        "resource": "azurerm_container_registry.acr", "property": "properties.adminUserEnabled"}]}"#;
    fs::write(&baseline, earlier).unwrap();
    let legacy = dir.path().join("legacy");
    acr_lint(&legacy)
        .args(["-f", "concise", "--select", "ACR001"])
        .args(["--baseline", "../.ci/baseline.json", "."])
        .assert()
        .code(0)
        .stdout("");
}
