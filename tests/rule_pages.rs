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
        let mut outcomes = Vec::new();
        for example in &examples {
            match outcome(*rule, example) {
                Ok(outcome) => {
                    if outcome.fired == example.compliant {
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
                    outcomes.push((example, outcome));
                }
                Err(errors) => failures.push(format!(
                    "rules/{}.md:{} does not parse: {errors}",
                    meta.id, example.line
                )),
            }
        }
        failures.extend(bicep_differences_from_arm(meta.id, &outcomes));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// What scanning one example produced, for comparing a Bicep example with its ARM twin.
#[derive(Debug, PartialEq)]
struct Outcome {
    fired: bool,
    registries: usize,
    undecided: bool,
}

fn outcome(rule: &'static dyn acr_lint::rules::Rule, example: &Example) -> Result<Outcome, String> {
    let id = rule.meta().id;
    let dir = tempfile::tempdir().expect("temporary directory");
    let name = match example.language.as_str() {
        "hcl" => "main.tf",
        "bicep" => "main.bicep",
        _ => "azuredeploy.json",
    };
    fs::write(dir.path().join(name), &example.code).expect("writable temporary file");
    let mut options = acr_lint::ScanOptions::new(vec![dir.path().to_path_buf()]);
    options.rules = vec![rule];
    options.rule_options.allowed_locations =
        ALLOWED_LOCATIONS.iter().map(|l| l.to_string()).collect();
    let scan = acr_lint::scan(&options);
    if !scan.errors.is_empty() {
        return Err(format!("{:?}", scan.errors));
    }
    Ok(Outcome {
        fired: scan.findings.iter().any(|f| f.rule.id == id),
        registries: scan.registries,
        undecided: scan
            .unknown
            .iter()
            .chain(&scan.not_applicable)
            .any(|u| u.rule.id == id),
    })
}

/// Each Bicep example must read as the ARM example of the same kind in the same place on the
/// page: as many registries, the same verdict, decided or undecided alike.
fn bicep_differences_from_arm(id: &str, outcomes: &[(&Example, Outcome)]) -> Vec<String> {
    let of = |language: &str, compliant: bool| -> Vec<&(&Example, Outcome)> {
        outcomes
            .iter()
            .filter(|(e, _)| e.language == language && e.compliant == compliant)
            .collect()
    };
    let mut differences = Vec::new();
    for compliant in [false, true] {
        let (arm, bicep) = (of("json", compliant), of("bicep", compliant));
        if arm.len() != bicep.len() {
            differences.push(format!(
                "rules/{id}.md has {} ARM and {} Bicep examples marked {}",
                arm.len(),
                bicep.len(),
                if compliant {
                    "compliant"
                } else {
                    "noncompliant"
                }
            ));
            continue;
        }
        for ((arm, arm_outcome), (bicep, bicep_outcome)) in arm.into_iter().zip(bicep) {
            if arm_outcome != bicep_outcome {
                differences.push(format!(
                    "rules/{id}.md:{}: the Bicep example reads as {bicep_outcome:?}, its ARM twin at line {} as {arm_outcome:?}",
                    bicep.line, arm.line
                ));
            }
        }
    }
    differences
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
