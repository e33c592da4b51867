//! Terraform instances (`count`, `for_each`) reported once with the instances named, and
//! plans: sensitive values never shown, values taken from the plan named as such.

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

fn write(root: &Path, files: &[(&str, &str)]) {
    for (name, text) in files {
        let path = root.join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
}

/// `acr-lint ARGS` in `dir`: standard output.
fn run(dir: &Path, args: &[&str]) -> String {
    let output = Command::cargo_bin("acr-lint")
        .unwrap()
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap();
    String::from_utf8(output.stdout).unwrap()
}

fn findings(dir: &Path, rule: &str) -> Vec<Value> {
    let report: Value = serde_json::from_str(&run(dir, &["-f", "json", "."])).unwrap();
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == rule)
        .cloned()
        .collect()
}

const COUNTED: &str = r#"resource "azurerm_container_registry" "acr" {
  count               = 3
  name                = "contosoregistry${count.index}"
  resource_group_name = "rg"
  location            = "westeurope"
  sku                 = "Premium"
  admin_enabled       = count.index > 0
}
"#;

#[test]
fn a_finding_every_instance_shares_is_reported_once_naming_them() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), &[("main.tf", COUNTED)]);
    let identity = findings(dir.path(), "ACR003");
    assert_eq!(identity.len(), 1, "{identity:?}");
    let finding = &identity[0];
    assert_eq!(finding["resource"], "azurerm_container_registry.acr");
    assert!(
        finding["message"]
            .as_str()
            .unwrap()
            .contains("`azurerm_container_registry.acr`")
    );
    let notes: Vec<&str> = finding["notes"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(
        notes.contains(&"in instances acr[0], acr[1], acr[2]"),
        "{notes:?}"
    );
    // Two instances of three enable the admin user: one finding at the expression, naming them.
    let admin = findings(dir.path(), "ACR001");
    assert_eq!(admin.len(), 1, "{admin:?}");
    assert!(
        admin[0]["notes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n == "in instances acr[1], acr[2]")
    );
}

#[test]
fn what_every_instance_leaves_undecided_or_not_applicable_is_counted_once() {
    let dir = tempfile::tempdir().unwrap();
    let counted = COUNTED.replace(
        "  admin_enabled       = count.index > 0\n",
        "  admin_enabled       = count.index > 0\n  export_policy_enabled = var.export\n",
    ) + "variable \"export\" {\n  type = bool\n}\n";
    write(dir.path(), &[("main.tf", &counted)]);
    let report: Value = serde_json::from_str(&run(
        dir.path(),
        &["-f", "json", "--select", "ACR204,ACR206", "."],
    ))
    .unwrap();
    let rules_of = |list: &str| -> Vec<String> {
        report[list]
            .as_array()
            .unwrap()
            .iter()
            .map(|result| result["rule"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(rules_of("unknown"), ["ACR204"], "{report:#}");
    assert_eq!(rules_of("not_applicable"), ["ACR206"], "{report:#}");
    assert_eq!(report["summary"]["unknown"], 1);
    assert_eq!(report["summary"]["not_applicable"], 1);
}

const SECRET: &str = "Sup3rS3cretHeaderValue";

fn plan(header: &str) -> String {
    format!(
        r#"{{
  "format_version": "1.2",
  "resource_changes": [
    {{
      "address": "azurerm_container_registry_webhook.hook",
      "mode": "managed",
      "type": "azurerm_container_registry_webhook",
      "name": "hook",
      "change": {{
        "actions": ["create"],
        "after": {{
          "name": "hook",
          "registry_name": "contosoregistry",
          "service_uri": "http://hooks.example.com/acr",
          "actions": ["push"],
          "custom_headers": {{ "Authorization": "{header}" }}
        }},
        "after_unknown": {{ "id": true }},
        "after_sensitive": {{ "custom_headers": true }}
      }}
    }},
    {{
      "address": "azurerm_container_registry.acr",
      "mode": "managed",
      "type": "azurerm_container_registry",
      "name": "acr",
      "change": {{
        "actions": ["update"],
        "after": {{
          "name": "contosoregistry",
          "location": "westeurope",
          "sku": "Premium",
          "admin_enabled": true
        }},
        "after_unknown": {{}},
        "after_sensitive": {{}}
      }}
    }}
  ]
}}
"#
    )
}

#[test]
fn sensitive_plan_values_are_never_shown() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), &[("plan.json", &plan(SECRET))]);
    // The plan is read: its webhook posts over plain HTTP, linked to the registry by name.
    assert_eq!(findings(dir.path(), "ACR108").len(), 1);
    for format in ["pretty", "json", "sarif", "github", "markdown"] {
        let out = run(
            dir.path(),
            &["-f", format, "--show-unknown", "--select", "ALL", "."],
        );
        assert!(!out.contains(SECRET), "{format}: {out}");
    }
}

#[test]
fn values_only_the_plan_knows_point_at_the_configuration() {
    let dir = tempfile::tempdir().unwrap();
    let main = r#"variable "admin" {
  type = bool
}

resource "azurerm_container_registry" "acr" {
  name                = "contosoregistry"
  resource_group_name = "rg"
  location            = "westeurope"
  sku                 = "Premium"
  admin_enabled       = var.admin
}
"#;
    write(dir.path(), &[("main.tf", main), ("plan.json", &plan("x"))]);
    let admin = findings(dir.path(), "ACR001");
    assert_eq!(admin.len(), 1, "{admin:?}");
    assert_eq!(admin[0]["location"]["file"], "main.tf");
    assert_eq!(admin[0]["location"]["line"], 10);
    let related = &admin[0]["related"][0];
    assert_eq!(related["location"]["file"], "plan.json");
    assert_eq!(related["message"], "value comes from the plan `plan.json`");
}

#[test]
fn sensitive_variable_values_are_never_shown() {
    let dir = tempfile::tempdir().unwrap();
    let main = r#"variable "registry_name" {
  type      = string
  sensitive = true
  default   = "Secret_Name!"
}

variable "hook_uri" {
  type      = string
  sensitive = true
  default   = "http://ci:Secret_Name!@hooks.contoso.com/acr"
}

resource "azurerm_container_registry" "acr" {
  name                = var.registry_name
  resource_group_name = "rg"
  location            = "westeurope"
  sku                 = "Premium"
}

resource "azurerm_container_registry_webhook" "hook" {
  name                = "pushhook"
  resource_group_name = "rg"
  registry_name       = azurerm_container_registry.acr.name
  location            = "westeurope"
  service_uri         = var.hook_uri
  actions             = ["push"]
}
"#;
    write(dir.path(), &[("main.tf", main)]);
    assert!(findings(dir.path(), "ACR405").is_empty());
    assert!(findings(dir.path(), "ACR108").is_empty());
    for format in ["pretty", "json", "sarif", "github", "markdown"] {
        let out = run(
            dir.path(),
            &["-f", format, "--show-unknown", "--select", "ALL", "."],
        );
        assert!(!out.contains("Secret_Name"), "{format}: {out}");
    }
    let unknown = run(dir.path(), &["-f", "concise", "--show-unknown", "."]);
    assert!(
        unknown.contains("variable `hook_uri` is sensitive: its value is not read"),
        "{unknown}"
    );
}
