//! The Bicep share of the benchmark corpus (`benches/support/bicep_share.rs`) yields, registry
//! by registry and rule by rule, what the ARM templates it was written from yield, and reads
//! without an input error: the benchmarks that scan it measure a real scan, not a clean pass.

mod common;

#[path = "../benches/support/bicep_share.rs"]
mod bicep_share;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn main() -> std::process::ExitCode {
    common::run_trials(vec![common::trial(
        "bicep_share_yields_the_findings_of_the_arm_templates_it_repeats",
        common::shared("bench/synthetic"),
        bicep_share_yields_the_findings_of_the_arm_templates_it_repeats,
    )])
}

fn bicep_share_yields_the_findings_of_the_arm_templates_it_repeats(synthetic: PathBuf) {
    let share = tempfile::tempdir().expect("temporary directory");
    let written =
        bicep_share::write_share(&synthetic, share.path(), usize::MAX).expect("share written");
    assert_eq!(written, 2_000);

    let bicep = findings_by_template(share.path());
    let arm = findings_by_template(&synthetic.join("arm"));
    let differences: Vec<String> = arm
        .keys()
        .chain(bicep.keys())
        .filter(|key| arm.get(*key) != bicep.get(*key))
        .map(|key| format!("{key}: ARM {:?}, Bicep {:?}", arm.get(key), bicep.get(key)))
        .collect();
    assert!(differences.is_empty(), "{}", differences.join("\n"));

    let rules: std::collections::BTreeSet<&str> = bicep
        .keys()
        .filter_map(|key| key.split(' ').nth(1))
        .collect();
    for rule in [
        "ACR001", "ACR002", "ACR101", "ACR401", "ACR403", "ACR404", "ACR408",
    ] {
        assert!(
            rules.contains(rule),
            "no {rule} in the Bicep share: {rules:?}"
        );
    }
}

/// How many findings of each rule each template yields, keyed `acr_0000 ACR001`, after a scan
/// that must read every file without an input error.
fn findings_by_template(root: &Path) -> BTreeMap<String, usize> {
    let scan = common::scan(root);
    let errors: Vec<String> = scan
        .errors
        .iter()
        .map(|e| format!("{}: {}", e.path, e.message))
        .collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    let mut counts = BTreeMap::new();
    for line in common::finding_lines(&scan, root) {
        let (location, rule) = line.split_once(' ').expect("`file:line:col RULE`");
        let file = location.split(':').next().unwrap_or(location);
        let stem = Path::new(file)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned());
        *counts
            .entry(format!("{} {rule}", stem.unwrap_or_default()))
            .or_insert(0) += 1;
    }
    counts
}
