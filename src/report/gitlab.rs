//! GitLab Code Quality JSON: an array of issues with `description`, `check_name`,
//! `fingerprint`, `severity` and `location` (`path`, `lines.begin`, `lines.end`).

use std::collections::HashMap;
use std::io::{self, Write};

use serde_json::{Value, json};

use super::sarif;
use crate::findings::{InputError, Scan};
use crate::rules::{Finding, Level};

/// The `check_name` of inputs that could not be read or parsed.
pub const INPUT_ERROR_CHECK: &str = "acr-lint/input-error";

pub fn render(scan: &Scan, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &document(scan))?;
    writeln!(out)
}

pub fn document(scan: &Scan) -> Value {
    let mut fingerprints = UniqueFingerprints::default();
    let mut issues = Vec::with_capacity(scan.findings.len() + scan.errors.len());
    for finding in &scan.findings {
        let fingerprint = fingerprints.next(sarif::fingerprint(scan, finding));
        issues.push(finding_issue(scan, finding, fingerprint));
    }
    for error in &scan.errors {
        let fingerprint = fingerprints.next(input_error_fingerprint(error));
        issues.push(input_error_issue(scan, error, fingerprint));
    }
    Value::Array(issues)
}

/// Critical, major, minor: GitLab's scale has five steps; these three match the levels.
fn severity(level: Level) -> &'static str {
    match level {
        Level::Error => "critical",
        Level::Warning => "major",
        Level::Note => "minor",
    }
}

fn finding_issue(scan: &Scan, finding: &Finding, fingerprint: String) -> Value {
    let start = scan.sources.start(finding.primary.span);
    let end = scan.sources.end(finding.primary.span);
    json!({
        "description": finding.message,
        "check_name": finding.rule.id,
        "fingerprint": fingerprint,
        "severity": severity(finding.level),
        "location": {
            "path": scan.sources.name(finding.primary.span.file),
            "lines": {"begin": start.line, "end": end.line},
        },
    })
}

fn input_error_issue(scan: &Scan, error: &InputError, fingerprint: String) -> Value {
    let line = error.span.map_or(1, |s| scan.sources.start(s).line);
    json!({
        "description": error.message,
        "check_name": INPUT_ERROR_CHECK,
        "fingerprint": fingerprint,
        "severity": severity(Level::Error),
        "location": {
            "path": error.path,
            "lines": {"begin": line, "end": line},
        },
    })
}

fn input_error_fingerprint(error: &InputError) -> String {
    let key = format!(
        "{INPUT_ERROR_CHECK}\u{0}{}\u{0}{}",
        error.path, error.message
    );
    format!("{:016x}", sarif::fnv1a(key.as_bytes()))
}

/// GitLab takes issues with the same fingerprint for one; a repeat gets `-2`, `-3`, … appended.
#[derive(Default)]
struct UniqueFingerprints {
    seen: HashMap<String, usize>,
}

impl UniqueFingerprints {
    fn next(&mut self, base: String) -> String {
        let count = self.seen.entry(base.clone()).or_insert(0);
        *count += 1;
        if *count == 1 {
            base
        } else {
            format!("{base}-{count}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_fingerprints_are_made_unique() {
        let mut fingerprints = UniqueFingerprints::default();
        assert_eq!(fingerprints.next("a".into()), "a");
        assert_eq!(fingerprints.next("b".into()), "b");
        assert_eq!(fingerprints.next("a".into()), "a-2");
        assert_eq!(fingerprints.next("a".into()), "a-3");
    }
}
