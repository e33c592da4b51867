//! Properties over arbitrary input: any bytes scan to a result (input errors allowed, never a
//! panic), every reported span lies inside its file on character boundaries, and line/column
//! positions convert back to the offsets they came from.

use std::fs;
use std::path::PathBuf;

use acr_lint::source::{SourceFile, Span};
use acr_lint::{Scan, ScanOptions};
use proptest::prelude::*;

const TERRAFORM_SEED: &str = r#"variable "admin" {
  default = true
}

locals {
  sku = "Premium"
}

resource "azurerm_container_registry" "acr" {
  name                          = "acrprop${var.admin ? "a" : "b"}"
  resource_group_name           = "rg"
  location                      = "westeurope"
  sku                           = local.sku
  admin_enabled                 = var.admin
  public_network_access_enabled = true
  network_rule_set {
    default_action = "Allow"
    ip_rule {
      action   = "Allow"
      ip_range = "0.0.0.0/0"
    }
  }
  georeplications {
    location = "northeurope"
  }
}
"#;

const ARM_SEED: &str = r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {"admin": {"type": "bool", "defaultValue": true}},
  "variables": {"name": "[concat('acr', uniqueString(resourceGroup().id))]"},
  "resources": [{
    "type": "Microsoft.ContainerRegistry/registries",
    "apiVersion": "2023-07-01",
    "name": "[variables('name')]",
    "location": "westeurope",
    "sku": {"name": "Premium"},
    "properties": {
      "adminUserEnabled": "[parameters('admin')]",
      "anonymousPullEnabled": "[if(parameters('admin'), true(), false())]",
      "networkRuleSet": {"defaultAction": "Allow", "ipRules": [{"value": "0.0.0.0/0"}]}
    }
  }]
}
"#;

const TFVARS_SEED: &str = "admin = true\nsku = \"Basic\"\ntags = { a = \"b\" }\n";

/// Bytes: wholly arbitrary, or a seed with a few bytes replaced, inserted or removed (so that
/// most inputs get past the first syntax error).
fn input(seed: &'static str) -> impl Strategy<Value = Vec<u8>> {
    let edits = prop::collection::vec((any::<prop::sample::Index>(), 0u8..3, any::<u8>()), 0..8);
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..512),
        edits.prop_map(move |edits| mutate(seed.as_bytes(), &edits)),
        ".{0,200}".prop_map(String::into_bytes),
    ]
}

fn mutate(seed: &[u8], edits: &[(prop::sample::Index, u8, u8)]) -> Vec<u8> {
    let mut bytes = seed.to_vec();
    for (at, kind, byte) in edits {
        let i = at.index(bytes.len() + 1);
        match kind {
            0 if i < bytes.len() => bytes[i] = *byte,
            1 => bytes.insert(i, *byte),
            _ if i < bytes.len() => {
                bytes.remove(i);
            }
            _ => bytes.push(*byte),
        }
    }
    bytes
}

/// Writes `bytes` as `name` in a fresh directory and scans it.
fn scan_file(name: &str, bytes: &[u8]) -> Scan {
    let dir = tempfile::tempdir().expect("temporary directory");
    fs::write(dir.path().join(name), bytes).expect("file written");
    acr_lint::scan(&ScanOptions::new(vec![PathBuf::from(dir.path())]))
}

fn check_span(scan: &Scan, span: Span, what: &str) -> Result<(), TestCaseError> {
    let file = scan.sources.get(span.file);
    prop_assert!(file.is_some(), "{what}: span in an unknown file {span:?}");
    let text = file.map_or("", |f| f.text.as_str());
    prop_assert!(
        span.start <= span.end && span.end <= text.len(),
        "{what}: span {span:?} outside a file of {} bytes",
        text.len()
    );
    prop_assert!(
        text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
        "{what}: span {span:?} splits a character"
    );
    Ok(())
}

fn check_spans(scan: &Scan) -> Result<(), TestCaseError> {
    for finding in &scan.findings {
        check_span(scan, finding.primary.span, finding.rule.id)?;
        for label in &finding.secondary {
            check_span(scan, label.span, finding.rule.id)?;
        }
    }
    for undecided in scan.unknown.iter().chain(&scan.not_applicable) {
        check_span(scan, undecided.span, undecided.rule.id)?;
    }
    for error in &scan.errors {
        if let Some(span) = error.span {
            check_span(scan, span, &error.message)?;
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn any_bytes_as_main_tf_scan(bytes in input(TERRAFORM_SEED)) {
        check_spans(&scan_file("main.tf", &bytes))?;
    }

    #[test]
    fn any_bytes_as_azuredeploy_json_scan(bytes in input(ARM_SEED)) {
        check_spans(&scan_file("azuredeploy.json", &bytes))?;
    }

    #[test]
    fn any_bytes_as_tfvars_scan(bytes in input(TFVARS_SEED)) {
        let dir = tempfile::tempdir().expect("temporary directory");
        fs::write(dir.path().join("main.tf"), TERRAFORM_SEED).expect("main.tf written");
        fs::write(dir.path().join("x.auto.tfvars"), &bytes).expect("tfvars written");
        fs::write(dir.path().join("x.tfvars"), &bytes).expect("tfvars written");
        let scan = acr_lint::scan(&ScanOptions::new(vec![PathBuf::from(dir.path())]));
        check_spans(&scan)?;
    }

    #[test]
    fn positions_and_offsets_round_trip(text in "(\r\n|\r|\n|[a-z]|é|\u{1F600}|\u{feff}){0,64}") {
        let file = SourceFile::new(PathBuf::from("f"), "f".into(), text);
        let text = file.text.as_str();
        for (offset, _) in text.char_indices().chain([(text.len(), ' ')]) {
            let position = file.position(offset);
            let back = file.offset(position.line, position.column);
            // Carriage returns take no column: the offset after one shares its position.
            let after_cr = text.get(..offset).is_some_and(|t| t.ends_with('\r'));
            if !after_cr {
                prop_assert_eq!(back, offset, "{:?} at {}: {:?}", text, offset, position);
            }
            prop_assert_eq!(file.position(back), position);
        }
    }
}
