//! Inline suppressions: Terraform comments and ARM metadata, with reasons, expiry and the
//! diagnostics about suppressions themselves.

mod common;

use std::fs;

use acr_lint::{Scan, ScanOptions};
use assert_cmd::Command;
use predicates::prelude::*;

fn scan_files(files: &[(&str, &str)]) -> (tempfile::TempDir, Scan) {
    let dir = tempfile::tempdir().expect("temporary directory");
    for (name, text) in files {
        fs::write(dir.path().join(name), text).expect("file written");
    }
    let scan = acr_lint::scan(&ScanOptions::new(vec![dir.path().to_path_buf()]));
    (dir, scan)
}

fn ids(scan: &Scan) -> Vec<String> {
    let mut ids: Vec<String> = scan
        .findings
        .iter()
        .map(|f| format!("{}@{}", f.rule.id, scan.sources.start(f.primary.span).line))
        .collect();
    ids.sort();
    ids
}

fn suppressed_ids(scan: &Scan) -> Vec<&str> {
    scan.suppressed.iter().map(|s| s.finding.rule.id).collect()
}

const REGISTRY: &str = r#"resource "azurerm_container_registry" "acr" {
  name                = "contosoregistry"
  resource_group_name = "rg"
  location            = "westeurope"
  sku                 = "Basic"
  admin_enabled       = true
}
"#;

fn with_comment_above(comment: &str, line: usize) -> String {
    let mut lines: Vec<String> = REGISTRY.lines().map(str::to_string).collect();
    lines.insert(line, comment.to_string());
    lines.join("\n") + "\n"
}

#[test]
fn comment_above_a_resource_suppresses_its_findings() {
    let text = with_comment_above(
        "# acr-lint:ignore ACR001,no-managed-identity reason=\"legacy agents\"",
        0,
    );
    let (_dir, scan) = scan_files(&[("main.tf", &text)]);
    let mut suppressed = suppressed_ids(&scan);
    suppressed.sort();
    assert_eq!(suppressed, vec!["ACR001", "ACR003"]);
    assert!(
        !ids(&scan)
            .iter()
            .any(|id| id.starts_with("ACR001") || id.starts_with("ACR003"))
    );
    assert_eq!(scan.suppressed[0].reason, "legacy agents");
}

#[test]
fn comment_above_an_attribute_covers_only_that_attribute() {
    let text = with_comment_above("  // acr-lint:ignore ACR001 reason=\"break glass\"", 5);
    let (_dir, scan) = scan_files(&[("main.tf", &text)]);
    assert_eq!(suppressed_ids(&scan), vec!["ACR001"]);
    assert!(ids(&scan).iter().any(|id| id.starts_with("ACR003")));
}

/// Findings of one rule, suppressed and reported, as `file:line`.
fn placed(scan: &Scan, rule: &str) -> (Vec<String>, Vec<String>) {
    let at = |f: &acr_lint::rules::Finding| {
        let path = std::path::Path::new(scan.sources.name(f.primary.span.file));
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        format!("{name}:{}", scan.sources.start(f.primary.span).line)
    };
    let of_rule = |f: &&acr_lint::rules::Finding| f.rule.id == rule;
    let suppressed = scan.suppressed.iter().map(|s| &*s.finding);
    let reported = scan.findings.iter().map(|f| &**f);
    (
        suppressed.filter(of_rule).map(at).collect(),
        reported.filter(of_rule).map(at).collect(),
    )
}

#[test]
fn a_comment_above_an_attribute_covers_its_value_set_elsewhere() {
    let registry = |admin: &str, comment_above_sku: &str, comment_above_admin: &str| {
        format!(
            "resource \"azurerm_container_registry\" \"acr\" {{
  name                = \"contosoregistry\"
  resource_group_name = \"rg\"
  location            = \"westeurope\"
{comment_above_sku}
  sku                 = \"Premium\"
{comment_above_admin}
  admin_enabled       = {admin}
}}
"
        )
    };
    let comment = "  # acr-lint:ignore ACR001 reason=\"break glass\"";
    let variables = "variable \"admin\" {\n  default = true\n}\n";
    let (_dir, scan) = scan_files(&[
        ("main.tf", &registry("var.admin", "", comment)),
        ("variables.tf", variables),
    ]);
    let suppressed = vec!["variables.tf:2".to_string()];
    assert_eq!(placed(&scan, "ACR001"), (suppressed, Vec::new()));
    assert!(scan.findings.iter().all(|f| f.rule.id != "ACR903"));
    let (_dir, scan) = scan_files(&[
        ("main.tf", &registry("var.admin", comment, "")),
        ("variables.tf", variables),
    ]);
    let reported = vec!["variables.tf:2".to_string()];
    assert_eq!(placed(&scan, "ACR001"), (Vec::new(), reported));

    let bicep = |admin_default: &str| {
        format!(
            "{admin_default}
resource acr 'Microsoft.ContainerRegistry/registries@2023-07-01' = {{
  name: 'contosoregistry'
  location: 'westeurope'
  sku: {{
    name: 'Premium'
  }}
  properties: {{
    // acr-lint:ignore ACR001 reason=\"break glass\"
    adminUserEnabled: admin
  }}
}}
"
        )
    };
    for declaration in ["param admin bool = true", "var admin = true"] {
        let (_dir, scan) = scan_files(&[("main.bicep", &bicep(declaration))]);
        let suppressed = vec!["main.bicep:1".to_string()];
        assert_eq!(
            placed(&scan, "ACR001"),
            (suppressed, Vec::new()),
            "{declaration}"
        );
    }
    let (_dir, scan) = scan_files(&[
        (
            "main.bicep",
            &bicep("var admin = loadJsonContent('settings.json').admin"),
        ),
        ("settings.json", "{\"admin\": true}"),
    ]);
    assert_eq!(placed(&scan, "ACR001").1, Vec::<String>::new());
    assert_eq!(placed(&scan, "ACR001").0.len(), 1);
}

#[test]
fn a_comment_above_an_assignment_of_an_applied_variable_file_covers_its_value() {
    let main = "variable \"admin\" {\n  default = false\n}\n\n".to_string()
        + &REGISTRY.replace(
            "admin_enabled       = true",
            "admin_enabled       = var.admin",
        );
    let vars = |comment: &str| format!("{comment}\nadmin = true\n");
    for file in ["terraform.tfvars", "x.auto.tfvars"] {
        let comment = "# acr-lint:ignore ACR001 reason=\"break glass\"";
        let (_dir, scan) = scan_files(&[("main.tf", &main), (file, &vars(comment))]);
        let suppressed = vec![format!("{file}:2")];
        assert_eq!(placed(&scan, "ACR001"), (suppressed, Vec::new()), "{file}");
        let other = "# acr-lint:ignore ACR002 reason=\"another rule\"";
        let (_dir, scan) = scan_files(&[("main.tf", &main), (file, &vars(other))]);
        assert_eq!(
            placed(&scan, "ACR001"),
            (Vec::new(), vec![format!("{file}:2")])
        );
        assert_eq!(placed(&scan, "ACR903").1, vec![format!("{file}:1")]);
    }
}

#[test]
fn a_comment_in_a_var_file_covers_its_value_once_however_the_file_is_given() {
    let main = "variable \"admin\" {\n  default = false\n}\n\n".to_string()
        + &REGISTRY.replace(
            "admin_enabled       = true",
            "admin_enabled       = var.admin",
        );
    let vars = "# acr-lint:ignore ACR001 reason=\"break glass\"\nadmin = true\n";
    let (dir, _) = scan_files(&[("main.tf", &main), ("terraform.tfvars", vars)]);
    let outside = tempfile::tempdir().expect("temporary directory");
    fs::write(outside.path().join("prod.tfvars"), vars).expect("file written");
    for var_file in [
        dir.path().join("terraform.tfvars"),
        outside.path().join("prod.tfvars"),
    ] {
        let mut options = ScanOptions::new(vec![dir.path().to_path_buf()]);
        options.var_files.push(var_file.clone());
        let scan = acr_lint::scan(&options);
        let name = var_file.file_name().unwrap().to_string_lossy().to_string();
        let suppressed = vec![format!("{name}:2")];
        assert_eq!(placed(&scan, "ACR001"), (suppressed, Vec::new()), "{name}");
        let unused = placed(&scan, "ACR903").1;
        let expected = if name == "prod.tfvars" {
            // The module's own file sets the value too, but the var file's value wins.
            vec!["terraform.tfvars:1".to_string()]
        } else {
            Vec::new()
        };
        assert_eq!(unused, expected, "{name}");
    }
}

#[test]
fn expired_suppressions_stop_suppressing_and_say_so() {
    let text = with_comment_above(
        "# acr-lint:ignore ACR001 reason=\"temporary\" until=2001-01-01",
        0,
    );
    let (_dir, scan) = scan_files(&[("main.tf", &text)]);
    assert!(suppressed_ids(&scan).is_empty());
    let found = ids(&scan);
    assert!(found.contains(&"ACR001@7".to_string()), "{found:?}");
    assert!(found.contains(&"ACR904@1".to_string()), "{found:?}");
}

#[test]
fn future_expiry_still_suppresses() {
    let text = with_comment_above(
        "# acr-lint:ignore ACR001 reason=\"temporary\" until=2999-12-31",
        0,
    );
    let (_dir, scan) = scan_files(&[("main.tf", &text)]);
    assert_eq!(suppressed_ids(&scan), vec!["ACR001"]);
}

#[test]
fn malformed_unknown_and_unused_suppressions_are_reported() {
    let cases = [
        ("# acr-lint:ignore ACR001", "ACR901"),
        ("# acr-lint:ignore ACR01 reason=\"typo\"", "ACR902"),
        (
            "# acr-lint:ignore ACR002 reason=\"nothing to suppress on Basic\"",
            "ACR903",
        ),
        (
            "# acr-lint:ignore ACR001 reason=\"x\" until=someday",
            "ACR901",
        ),
    ];
    for (comment, expected) in cases {
        let text = with_comment_above(comment, 0);
        let (_dir, scan) = scan_files(&[("main.tf", &text)]);
        let found = ids(&scan);
        assert!(
            found.contains(&format!("{expected}@1")),
            "{comment}: {found:?}"
        );
        assert!(
            found.iter().any(|id| id.starts_with("ACR001")),
            "{comment} must not suppress: {found:?}"
        );
    }
}

/// What the suppressions say of themselves is reported where the scan reports: a file given by
/// name (as pre-commit gives a commit's files) hears nothing of the suppressions in its
/// siblings or in the configuration, which a scan of the directory reports.
#[test]
fn a_given_file_reports_nothing_of_other_files_suppressions() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let clean = REGISTRY.replace("admin_enabled       = true", "admin_enabled       = false");
    fs::write(dir.path().join("main.tf"), &clean).expect("main.tf");
    let stale = with_comment_above("# acr-lint:ignore ACR001 reason=\"fixed since\"", 0)
        .replace("admin_enabled       = true", "admin_enabled       = false")
        .replace("\"acr\"", "\"other\"");
    fs::write(dir.path().join("other.tf"), stale).expect("other.tf");
    let config = "suppress:\n  - rule: ACR001\n    path: \"gone/*.tf\"\n    reason: moved away\n";
    fs::write(dir.path().join(".acr-lint.yaml"), config).expect("configuration");
    let unused = |given: &str| {
        let output = Command::cargo_bin("acr-lint")
            .expect("binary built")
            .current_dir(dir.path())
            .args([given, "-f", "concise", "--select", "ACR001"])
            .output()
            .expect("acr-lint runs");
        let stdout = String::from_utf8(output.stdout).expect("UTF-8");
        common::concise_places(&stdout, "ACR903")
    };
    assert_eq!(unused("."), [".acr-lint.yaml:2:5", "other.tf:1:1"]);
    assert_eq!(unused("other.tf"), ["other.tf:1:1"]);
    assert!(unused("main.tf").is_empty(), "{:?}", unused("main.tf"));
}

#[test]
fn a_directive_that_stands_above_nothing_is_malformed() {
    let text = format!("{REGISTRY}\n# acr-lint:ignore ACR001 reason=\"dangling\"\n");
    let (_dir, scan) = scan_files(&[("main.tf", &text)]);
    assert!(
        ids(&scan).contains(&"ACR901@9".to_string()),
        "{:?}",
        ids(&scan)
    );
}

const TEMPLATE: &str = r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  METADATA
  "resources": [
    {
      "type": "Microsoft.ContainerRegistry/registries",
      "apiVersion": "2023-07-01",
      "name": "contosoregistry",
      "location": "westeurope",
      "sku": { "name": "Basic" },
      RESOURCE_METADATA
      "properties": { "adminUserEnabled": true }
    }
  ]
}
"#;

fn template(metadata: &str, resource_metadata: &str) -> String {
    TEMPLATE
        .replace("RESOURCE_METADATA", resource_metadata)
        .replace("METADATA", metadata)
}

#[test]
fn arm_resource_metadata_suppresses() {
    let text = template(
        "",
        r#""metadata": {"acr-lint": {"ignore": [{"id": "ACR001", "reason": "legacy pipeline", "until": "2999-01-01"}]}},"#,
    );
    let (_dir, scan) = scan_files(&[("azuredeploy.json", &text)]);
    assert_eq!(suppressed_ids(&scan), vec!["ACR001"]);
    assert!(ids(&scan).iter().any(|id| id.starts_with("ACR003")));
}

#[test]
fn arm_template_metadata_covers_the_whole_file() {
    let text = template(
        r#""metadata": {"acr-lint": {"ignore": [{"id": ["ACR001", "ACR003"], "reason": "sandbox"}]}},"#,
        "",
    );
    let (_dir, scan) = scan_files(&[("azuredeploy.json", &text)]);
    let mut suppressed = suppressed_ids(&scan);
    suppressed.sort();
    assert_eq!(suppressed, vec!["ACR001", "ACR003"]);
}

#[test]
fn arm_entries_need_a_reason() {
    let text = template(
        "",
        r#""metadata": {"acr-lint": {"ignore": [{"id": "ACR001"}]}},"#,
    );
    let (_dir, scan) = scan_files(&[("azuredeploy.json", &text)]);
    assert!(suppressed_ids(&scan).is_empty());
    assert!(ids(&scan).iter().any(|id| id.starts_with("ACR901")));
}

#[test]
fn no_inline_suppressions_reports_everything_and_sarif_carries_justifications() {
    let dir = tempfile::tempdir().unwrap();
    let text = with_comment_above("# acr-lint:ignore ACR001 reason=\"legacy agents\"", 0);
    fs::write(dir.path().join("main.tf"), text).unwrap();
    let run = |extra: &[&str]| {
        let mut cmd = Command::cargo_bin("acr-lint").unwrap();
        cmd.arg(dir.path()).args(["-f", "concise"]).args(extra);
        cmd.assert()
    };
    run(&["--fail-on", "error"])
        .code(0)
        .stdout(predicate::str::contains("ACR001").not());
    run(&["--fail-on", "error", "--no-inline-suppressions"])
        .code(1)
        .stdout(predicate::str::contains("error[ACR001]"));
    let output = Command::cargo_bin("acr-lint")
        .unwrap()
        .arg(dir.path())
        .args(["-f", "sarif"])
        .output()
        .unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let results = doc["runs"][0]["results"].as_array().unwrap();
    let suppressed = results
        .iter()
        .find(|r| r["ruleId"] == "ACR001")
        .expect("suppressed result kept in SARIF");
    assert_eq!(suppressed["suppressions"][0]["kind"], "inSource");
    assert_eq!(
        suppressed["suppressions"][0]["justification"],
        "legacy agents"
    );
}

/// A suppression of a rule the scan did not run says so when it reports that it suppresses
/// nothing (`--select` leaves the rule out), and says nothing more when the rule ran.
#[test]
fn an_unused_suppression_of_a_rule_not_enabled_says_so() {
    let text = with_comment_above("# acr-lint:ignore ACR001,ACR003 reason=\"legacy\"", 0);
    let dir = tempfile::tempdir().expect("temporary directory");
    fs::write(dir.path().join("main.tf"), text).expect("file written");
    let unused = |select: &str| {
        let mut options = ScanOptions::new(vec![dir.path().to_path_buf()]);
        options.rules = acr_lint::rules::matching(select).expect("a rule");
        let scan = acr_lint::scan(&options);
        let messages: Vec<String> = scan
            .findings
            .iter()
            .filter(|f| f.rule.id == "ACR903")
            .map(|f| f.message.clone())
            .collect();
        messages
    };
    assert_eq!(
        unused("ACR206"),
        ["suppression of ACR001, ACR003 suppresses nothing: ACR001, ACR003 are not enabled"]
    );
    assert_eq!(unused("ACR001"), Vec::<String>::new());
    let fixed = with_comment_above("# acr-lint:ignore ACR003 reason=\"legacy\"", 0);
    fs::write(dir.path().join("main.tf"), fixed).expect("file written");
    assert_eq!(
        unused("ACR001"),
        ["suppression of ACR003 suppresses nothing: ACR003 is not enabled"]
    );
    // A removed rule has a warning of its own and is not said to be left out.
    let removed = with_comment_above("# acr-lint:ignore ACR303,ACR003 reason=\"legacy\"", 0);
    fs::write(dir.path().join("main.tf"), removed).expect("file written");
    let messages = unused("ACR001");
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert!(messages[0].starts_with("ACR303 (zone-redundancy-disabled) was removed"));
    assert_eq!(
        messages[1],
        "suppression of ACR303, ACR003 suppresses nothing: ACR003 is not enabled"
    );
}

/// Two registries with the admin user on in Terraform's JSON syntax: `COMMENT` stands for
/// the `"//"` properties of the second one, of its `network_rule_set` block and of the file.
const JSON_SYNTAX: &str = r#"{
  "resource": {
    "azurerm_container_registry": {
      "other": {
        "name": "otherregistry",
        "resource_group_name": "rg",
        "location": "westeurope",
        "sku": "Premium",
        "admin_enabled": true
      },
      "acr": {
        RESOURCE_COMMENT
        "name": "contosoregistry",
        "resource_group_name": "rg",
        "location": "westeurope",
        "sku": "Premium",
        "admin_enabled": true,
        "network_rule_set": [{
          BLOCK_COMMENT
          "default_action": "Deny",
          "ip_rule": [{ "action": "Allow", "ip_range": "0.0.0.0/0" }]
        }]
      }
    }
  },
  FILE_COMMENT
  "output": { "id": { "value": "${azurerm_container_registry.acr.id}" } }
}
"#;

fn json_syntax(resource: &str, block: &str, file: &str) -> String {
    JSON_SYNTAX
        .replace("RESOURCE_COMMENT", resource)
        .replace("BLOCK_COMMENT", block)
        .replace("FILE_COMMENT", file)
}

/// Where each diagnostic of `rule` points: `line:column`.
fn columns(scan: &Scan, rule: &str) -> Vec<String> {
    let findings = scan
        .findings
        .iter()
        .map(|f| &**f)
        .filter(|f| f.rule.id == rule);
    let at = |f: &acr_lint::rules::Finding| {
        let start = scan.sources.start(f.primary.span);
        format!("{}:{}", start.line, start.column)
    };
    findings.map(at).collect()
}

/// Terraform reads a `"//"` property of any object of its JSON syntax as a comment: one that
/// holds an `acr-lint:ignore` suppresses on the resource or block whose object holds it, as the
/// comment above it does in native syntax, and the diagnostics about it point at its string.
#[test]
fn a_comment_property_in_terraform_json_syntax_suppresses_on_its_resource_or_block() {
    let admin = r#""//": "acr-lint:ignore ACR001 reason=\"legacy agents\" until=2099-12-31","#;
    let text = json_syntax(admin, "", "");
    let (_dir, scan) = scan_files(&[("main.tf.json", &text)]);
    assert_eq!(
        placed(&scan, "ACR001"),
        (
            vec!["main.tf.json:17".to_string()],
            vec!["main.tf.json:9".to_string()]
        )
    );
    assert_eq!(scan.suppressed[0].reason, "legacy agents");
    let suppression = scan.suppressed[0].directive.expect("written in the file");
    assert_eq!(scan.sources.start(suppression).line, 12);
    assert!(
        ids(&scan).iter().all(|id| !id.starts_with("ACR90")),
        "{:?}",
        ids(&scan)
    );

    let several = r#""//": ["generated by cdktf", "acr-lint:ignore ACR001 reason=\"legacy\"", "acr-lint:ignore ACR999 reason=\"x\""],"#;
    let (_dir, scan) = scan_files(&[("main.tf.json", &json_syntax(several, "", ""))]);
    assert_eq!(placed(&scan, "ACR001").0, vec!["main.tf.json:17"]);
    assert_eq!(columns(&scan, "ACR902"), vec!["12:82"]);

    let on_the_block = r#""//": "acr-lint:ignore ACR103 reason=\"office range\"","#;
    let (_dir, scan) = scan_files(&[("main.tf.json", &json_syntax("", on_the_block, ""))]);
    let (_dir, unsuppressed) = scan_files(&[("main.tf.json", &json_syntax("", "", ""))]);
    let (suppressed, reported) = placed(&unsuppressed, "ACR103");
    assert!(
        suppressed.is_empty() && !reported.is_empty(),
        "{reported:?}"
    );
    assert_eq!(placed(&scan, "ACR103"), (reported, Vec::new()));
    assert!(columns(&scan, "ACR903").is_empty());

    let on_nothing = r#""//": "acr-lint:ignore ACR001 reason=\"everything\"","#;
    let (_dir, scan) = scan_files(&[("main.tf.json", &json_syntax("", "", on_nothing))]);
    assert_eq!(columns(&scan, "ACR901"), vec!["26:9"]);
    assert_eq!(placed(&scan, "ACR001").0, Vec::<String>::new());
    // CDK for Terraform writes `"//"` as an object of its metadata; `addOverride("//.acr-lint",
    // ...)` puts a directive beside it.
    let cdktf = r#""//": {"metadata": {"path": "root/acr"}, "acr-lint": "acr-lint:ignore ACR001 reason=\"legacy\""},"#;
    let (_dir, scan) = scan_files(&[("main.tf.json", &json_syntax(cdktf, "", ""))]);
    assert_eq!(placed(&scan, "ACR001").0, vec!["main.tf.json:17"]);
    assert_eq!(columns(&scan, "ACR901"), Vec::<String>::new());
    let unused = r#""//": "acr-lint:ignore ACR002 reason=\"never\"","#;
    let (_dir, scan) = scan_files(&[("main.tf.json", &json_syntax(unused, "", ""))]);
    assert_eq!(columns(&scan, "ACR903"), vec!["12:15"]);
}
