//! Terraform modules: local sources evaluated with the caller's inputs, call chains in
//! addresses, downloaded modules, cycles and missing sources.

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;

const MODULE: &str = r#"variable "admin_enabled" {
  type    = bool
  default = false
}

variable "sku" {
  type    = string
  default = "Premium"
}

resource "azurerm_container_registry" "this" {
  name                = "contosoregistry"
  resource_group_name = "rg"
  location            = "westeurope"
  sku                 = var.sku
  admin_enabled       = var.admin_enabled
}
"#;

fn write(root: &Path, files: &[(&str, &str)]) {
    for (name, text) in files {
        let path = root.join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
}

fn acr_lint(dir: &Path, args: &[&str]) -> assert_cmd::assert::Assert {
    Command::cargo_bin("acr-lint")
        .unwrap()
        .current_dir(dir)
        .args(args)
        .assert()
}

#[test]
fn module_inputs_come_from_the_caller_and_findings_name_the_call() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[
            ("modules/acr/main.tf", MODULE),
            (
                "main.tf",
                "module \"acr\" {\n  source        = \"./modules/acr\"\n  admin_enabled = true\n}\n",
            ),
        ],
    );
    let output = Command::cargo_bin("acr-lint")
        .unwrap()
        .current_dir(dir.path())
        .args([".", "-f", "json"])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let admin: Vec<&serde_json::Value> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "ACR001")
        .collect();
    assert_eq!(
        admin.len(),
        1,
        "one finding, not one per evaluation: {admin:?}"
    );
    assert_eq!(
        admin[0]["resource"],
        "module.acr.azurerm_container_registry.this"
    );
    assert_eq!(admin[0]["location"]["file"], "main.tf");
    assert_eq!(admin[0]["location"]["line"], 3);
    assert_eq!(
        admin[0]["related"][0]["location"]["file"],
        "modules/acr/main.tf"
    );
}

#[test]
fn nested_calls_chain_their_addresses() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[
            ("acr/main.tf", MODULE),
            (
                "platform/main.tf",
                "variable \"admin\" {}\nmodule \"acr\" {\n  source        = \"../acr\"\n  admin_enabled = var.admin\n}\n",
            ),
            (
                "root/main.tf",
                "module \"platform\" {\n  source = \"../platform\"\n  admin  = true\n}\n",
            ),
        ],
    );
    acr_lint(dir.path(), &["root", "-f", "concise"])
        .code(1)
        .stdout(predicate::str::contains("registry `module.platform.module.acr.azurerm_container_registry.this` enables the admin user"));
}

#[test]
fn module_count_zero_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[
            ("modules/acr/main.tf", MODULE),
            (
                "main.tf",
                "module \"acr\" {\n  source        = \"./modules/acr\"\n  count         = 0\n  admin_enabled = true\n}\n",
            ),
        ],
    );
    acr_lint(dir.path(), &[".", "-f", "concise"]).stdout(predicate::str::contains("ACR001").not());
}

#[test]
fn cycles_are_reported_and_never_hang() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[
            ("a/main.tf", "module \"b\" {\n  source = \"../b\"\n}\n"),
            ("b/main.tf", "module \"a\" {\n  source = \"../a\"\n}\n"),
            ("c/main.tf", "module \"self\" {\n  source = \"./\"\n}\n"),
        ],
    );
    acr_lint(dir.path(), &["."])
        .code(3)
        .stderr(predicate::str::contains(
            "calls itself through its own modules",
        ))
        .stderr(predicate::str::contains(
            "error: c/main.tf:1:8: module `self`",
        ));
}

#[test]
fn a_module_source_that_leads_back_to_the_scanned_directory_is_read() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[
            ("main.tf", MODULE),
            (
                "examples/main.tf",
                "module \"example\" {\n  source = \"../\"\n  admin_enabled = true\n}\n",
            ),
        ],
    );
    acr_lint(dir.path(), &[".", "-f", "concise"])
        .code(1)
        .stdout(predicate::str::contains(
            "examples/main.tf:3:19: error[ACR001] registry `module.example.azurerm_container_registry.this`",
        ))
        .stderr(predicate::str::contains("does not exist").not());
}

#[test]
fn missing_and_remote_sources_are_noted() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[(
            "main.tf",
            "module \"gone\" {\n  source = \"./nowhere\"\n}\nmodule \"remote\" {\n  source  = \"Azure/avm-res-containerregistry-registry/azurerm\"\n  version = \"0.4.0\"\n}\n",
        )],
    );
    acr_lint(dir.path(), &["."])
        .code(0)
        .stderr(predicate::str::contains("note: .: module `gone` source `./nowhere` does not exist"))
        .stderr(predicate::str::contains("note: .: module `remote` (Azure/avm-res-containerregistry-registry/azurerm) is not available locally"));
}

#[test]
fn downloaded_modules_are_found_through_the_modules_manifest() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[
            (
                ".terraform/modules/modules.json",
                r#"{"Modules":[{"Key":"","Source":"","Dir":"."},{"Key":"registry","Source":"registry.terraform.io/x/y/azurerm","Dir":".terraform/modules/registry"}]}"#,
            ),
            (".terraform/modules/registry/main.tf", MODULE),
            (
                "main.tf",
                "module \"registry\" {\n  source        = \"x/y/azurerm\"\n  admin_enabled = true\n}\n",
            ),
        ],
    );
    acr_lint(dir.path(), &[".", "-f", "concise"])
        .code(1)
        .stdout(predicate::str::contains("main.tf:3:19: error[ACR001] registry `module.registry.azurerm_container_registry.this`"));
}

#[test]
fn a_suppression_above_a_module_call_covers_what_it_creates() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[
            ("modules/acr/main.tf", MODULE),
            (
                "main.tf",
                "# acr-lint:ignore ACR001 reason=\"sandbox registry\"\nmodule \"acr\" {\n  source        = \"./modules/acr\"\n  admin_enabled = true\n}\n",
            ),
        ],
    );
    acr_lint(dir.path(), &[".", "-f", "concise"])
        .stdout(predicate::str::contains("ACR001").not())
        .stdout(predicate::str::contains("ACR903").not());
}

/// `(rule, related file, related line, related message)` of each label of the JSON findings of
/// `rules`, in order.
fn related_labels(json: &serde_json::Value, rules: &[&str]) -> Vec<(String, String, u64, String)> {
    let mut labels = Vec::new();
    for finding in json["findings"].as_array().unwrap() {
        let rule = finding["rule"].as_str().unwrap();
        if !rules.contains(&rule) {
            continue;
        }
        for related in finding["related"].as_array().unwrap() {
            labels.push((
                rule.to_string(),
                related["location"]["file"].as_str().unwrap().to_string(),
                related["location"]["line"].as_u64().unwrap(),
                related["message"].as_str().unwrap().to_string(),
            ));
        }
    }
    labels
}

#[test]
fn a_finding_on_a_network_restricted_registry_points_at_what_restricts_it() {
    let dir = tempfile::tempdir().unwrap();
    let module = MODULE.replace(
        "  admin_enabled       = var.admin_enabled\n",
        "  admin_enabled       = var.admin_enabled\n  \
         public_network_access_enabled = var.public\n  \
         network_rule_bypass_option    = \"None\"\n",
    ) + "\nvariable \"public\" {\n  type    = bool\n  default = true\n}\n";
    write(
        dir.path(),
        &[
            ("modules/acr/main.tf", &module),
            (
                "main.tf",
                "module \"acr\" {\n  source = \"./modules/acr\"\n  public = false\n}\n",
            ),
        ],
    );
    let output = Command::cargo_bin("acr-lint")
        .unwrap()
        .current_dir(dir.path())
        .args([".", "-f", "json", "--select", "ACR104,ACR106"])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let restricted_here = |rule: &str| {
        (
            rule.to_string(),
            "main.tf".to_string(),
            3,
            "public network access disabled here".to_string(),
        )
    };
    assert_eq!(
        related_labels(&json, &["ACR104", "ACR106"]),
        vec![restricted_here("ACR106"), restricted_here("ACR104")],
        "{json:#}"
    );
}

#[test]
fn a_suppression_above_a_module_call_covers_what_the_module_sets_itself() {
    let dir = tempfile::tempdir().unwrap();
    let admin_module = MODULE.replace("default = false", "default = true");
    write(
        dir.path(),
        &[
            ("modules/acr/main.tf", &admin_module),
            (
                "modules/outer/main.tf",
                "# acr-lint:ignore ACR001 reason=\"inner sandbox\"\nmodule \"inner\" {\n  source = \"../acr\"\n}\n",
            ),
            (
                "main.tf",
                "# acr-lint:ignore ACR001 reason=\"sandboxes\"\nmodule \"sandbox\" {\n  source = \"./modules/acr\"\n  count  = 2\n}\n\n\
                 module \"outer\" {\n  source = \"./modules/outer\"\n}\n\n\
                 module \"prod\" {\n  source = \"./modules/acr\"\n}\n",
            ),
        ],
    );
    let output = Command::cargo_bin("acr-lint")
        .unwrap()
        .current_dir(dir.path())
        .args([".", "-f", "json", "--select", "ACR001,ACR903"])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let resources = |list: &str| -> Vec<String> {
        let mut found: Vec<String> = json[list]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                let f = f.get("finding").unwrap_or(f);
                format!(
                    "{} {}",
                    f["rule"].as_str().unwrap(),
                    f["resource"].as_str().unwrap()
                )
            })
            .collect();
        found.sort();
        found
    };
    // Each call's finding is its own: the one without a suppression above it stays.
    assert_eq!(
        resources("findings"),
        ["ACR001 module.prod.azurerm_container_registry.this"],
        "{json:#}"
    );
    assert_eq!(
        resources("suppressed"),
        [
            "ACR001 module.outer.module.inner.azurerm_container_registry.this",
            "ACR001 module.sandbox.azurerm_container_registry.this",
        ],
        "{json:#}"
    );
}

/// A module's name holds no dot, so `module.registry.json` beside a called module is a template
/// of its own, reported as `registry.json` beside it is.
#[test]
fn a_template_named_like_a_module_call_in_a_called_module_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let template = include_str!("../testdata/arm/acr001/fires-explicit/azuredeploy.json");
    write(
        dir.path(),
        &[
            ("modules/acr/main.tf", MODULE),
            ("modules/acr/module.registry.json", template),
            ("modules/acr/registry.json", template),
            (
                "main.tf",
                "module \"acr\" {\n  source = \"./modules/acr\"\n}\n",
            ),
        ],
    );
    acr_lint(dir.path(), &[".", "-f", "concise", "--select", "ACR001"])
        .code(1)
        .stdout(predicate::str::contains(
            "modules/acr/module.registry.json:14:29: error[ACR001]",
        ))
        .stdout(predicate::str::contains(
            "modules/acr/registry.json:14:29: error[ACR001]",
        ));
}
