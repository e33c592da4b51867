//! Every case under `testdata/<format>/<rule>/<case>/` is scanned on its own; the findings of
//! the case's rule must be exactly those listed in its `expected.txt`.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

fn cases() -> Vec<PathBuf> {
    let mut cases = Vec::new();
    for format in ["terraform", "arm"] {
        let Ok(rules) = fs::read_dir(common::repo().join("testdata").join(format)) else {
            continue;
        };
        for rule in rules.flatten() {
            for case in fs::read_dir(rule.path()).into_iter().flatten().flatten() {
                if case.path().join("expected.txt").is_file() {
                    cases.push(case.path());
                }
            }
        }
    }
    cases.sort();
    cases
}

fn expected(case: &Path) -> Vec<String> {
    let text = fs::read_to_string(case.join("expected.txt")).expect("readable expected.txt");
    let mut lines: Vec<String> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect();
    lines.sort();
    lines
}

#[test]
fn every_case_produces_exactly_its_expected_findings() {
    let cases = cases();
    assert!(cases.len() >= 100, "only {} cases found", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let rule = case
            .parent()
            .and_then(Path::file_name)
            .map(|n| n.to_string_lossy().to_ascii_uppercase())
            .expect("case below a rule directory");
        let scan = common::scan(case);
        assert!(
            scan.errors.is_empty(),
            "{}: {:?}",
            case.display(),
            scan.errors
        );
        let actual: Vec<String> = common::finding_lines(&scan, case)
            .into_iter()
            .filter(|line| line.ends_with(&format!(" {rule}")))
            .collect();
        let expected = expected(case);
        if actual != expected {
            failures.push(format!(
                "{}\n  expected {expected:?}\n  actual   {actual:?}",
                case.display()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases differ:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn every_rule_has_failing_and_passing_cases_in_both_formats() {
    let cases = cases();
    for rule in acr_lint::rules::all() {
        let id = rule.meta().id.to_ascii_lowercase();
        for format in ["terraform", "arm"] {
            let of_rule: Vec<&PathBuf> = cases
                .iter()
                .filter(|c| {
                    c.parent()
                        .is_some_and(|p| p.ends_with(Path::new(format).join(&id)))
                })
                .collect();
            assert!(
                of_rule.iter().any(|c| !expected(c).is_empty()),
                "{id} has no failing {format} case"
            );
            assert!(
                of_rule.iter().any(|c| expected(c).is_empty()),
                "{id} has no passing {format} case"
            );
        }
    }
}
