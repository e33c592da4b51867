//! The examples on each rule page are executed: `noncompliant` blocks (`hcl`, `json` and
//! `bicep`) must produce the page's rule, `compliant` blocks must not.

mod common;

use std::fs;

/// The `--allowed-locations` the page examples assume (ACR307).
const ALLOWED_LOCATIONS: &[&str] = &["westeurope", "northeurope", "swedencentral"];

struct Example {
    language: String,
    compliant: bool,
    code: String,
    line: usize,
}

fn examples(page: &str) -> Vec<Example> {
    let mut examples = Vec::new();
    let mut current: Option<Example> = None;
    for (index, line) in page.lines().enumerate() {
        match current.as_mut() {
            Some(_) if line.trim_start().starts_with("```") => examples.extend(current.take()),
            Some(example) => {
                example.code.push_str(line);
                example.code.push('\n');
            }
            None => {
                let Some(info) = line.trim_start().strip_prefix("```") else {
                    continue;
                };
                let words: Vec<&str> = info.split_whitespace().collect();
                if let [language, kind] = words.as_slice()
                    && matches!(*language, "hcl" | "json" | "bicep")
                    && matches!(*kind, "compliant" | "noncompliant")
                {
                    current = Some(Example {
                        language: language.to_string(),
                        compliant: *kind == "compliant",
                        code: String::new(),
                        line: index + 1,
                    });
                }
            }
        }
    }
    examples
}

#[test]
fn every_page_example_behaves_as_labelled() {
    let mut failures = Vec::new();
    for rule in acr_lint::rules::all() {
        let meta = rule.meta();
        let examples = examples(meta.page);
        for (language, compliant) in [
            ("hcl", false),
            ("hcl", true),
            ("json", false),
            ("json", true),
            ("bicep", false),
            ("bicep", true),
        ] {
            assert!(
                examples
                    .iter()
                    .any(|e| e.language == language && e.compliant == compliant),
                "rules/{}.md lacks a `{language} {}` example",
                meta.id,
                if compliant {
                    "compliant"
                } else {
                    "noncompliant"
                }
            );
        }
        for example in examples {
            let dir = tempfile::tempdir().expect("temporary directory");
            let name = match example.language.as_str() {
                "hcl" => "main.tf",
                "bicep" => "main.bicep",
                _ => "azuredeploy.json",
            };
            fs::write(dir.path().join(name), &example.code).expect("writable temporary file");
            let mut options = acr_lint::ScanOptions::new(vec![dir.path().to_path_buf()]);
            options.rules = vec![*rule];
            options.rule_options.allowed_locations =
                ALLOWED_LOCATIONS.iter().map(|l| l.to_string()).collect();
            let scan = acr_lint::scan(&options);
            if !scan.errors.is_empty() {
                failures.push(format!(
                    "rules/{}.md:{} does not parse: {:?}",
                    meta.id, example.line, scan.errors
                ));
                continue;
            }
            let fired = scan.findings.iter().any(|f| f.rule.id == meta.id);
            if fired == example.compliant {
                let verdict = if example.compliant {
                    "fires on a compliant"
                } else {
                    "misses a noncompliant"
                };
                failures.push(format!(
                    "rules/{}.md:{}: {} {verdict} example",
                    meta.id, example.line, meta.id
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The "Enabled by default" cell of a page's header table.
fn enabled_cell(page: &str) -> String {
    let row = page.lines().nth(4).unwrap_or_default();
    row.split('|').nth(2).unwrap_or_default().trim().to_string()
}

#[test]
fn every_page_states_whether_its_rule_is_on_by_default_opt_in_or_removed() {
    for rule in acr_lint::rules::all() {
        let meta = rule.meta();
        let expected = if meta.enabled_by_default {
            "yes".to_string()
        } else {
            format!("no (opt-in: --extend-select {})", meta.id)
        };
        assert_eq!(enabled_cell(meta.page), expected, "rules/{}.md", meta.id);
    }
    for removed in acr_lint::rules::removed::ALL {
        assert_eq!(enabled_cell(removed.meta.page), "removed");
        assert!(removed.meta.page.contains("## Removed"));
    }
}
