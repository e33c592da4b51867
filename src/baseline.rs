//! Baselines: the findings a team accepts for now, keyed by rule, file, resource and property
//! (never by line), so moved code stays baselined and new problems are still reported.

use std::collections::HashMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::findings::Scan;
use crate::rules::{Finding, Findings};
use crate::source::FileId;
use crate::suppress::Suppressed;

pub const BASELINE_VERSION: u32 = 1;

/// One accepted finding (or several with the same key).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub rule: String,
    pub file: String,
    pub resource: String,
    pub property: String,
    /// The message when the entry was written, for readers of the file.
    #[serde(default)]
    pub message: String,
}

impl Entry {
    fn key(&self) -> (&str, &str, &str, &str) {
        (&self.rule, &self.file, &self.resource, &self.property)
    }

    fn of(finding: &Finding, file: &str) -> Entry {
        Entry {
            rule: finding.rule.id.to_string(),
            file: file.to_string(),
            resource: finding.resource.to_string(),
            property: finding.property.to_string(),
            message: finding.message.clone(),
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    pub version: u32,
    pub entries: Vec<Entry>,
}

impl Baseline {
    pub fn read(path: &Path) -> Result<Baseline, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read baseline {}: {e}", path.display()))?;
        let baseline: Baseline = serde_json::from_str(&text)
            .map_err(|e| format!("{}:{}:{}: {e}", path.display(), e.line(), e.column()))?;
        if baseline.version != BASELINE_VERSION {
            return Err(format!(
                "{}: baseline version {} is not supported",
                path.display(),
                baseline.version
            ));
        }
        Ok(baseline)
    }

    pub fn write(&self, path: &Path) -> Result<(), String> {
        let text = serde_json::to_string_pretty(self).map_err(|e| e.to_string())?;
        crate::source::write_atomically(path, crate::source::Durability::Synced, |out| {
            std::io::Write::write_all(out, (text + "\n").as_bytes())
        })
        .map_err(|e| format!("cannot write baseline {}: {e}", path.display()))
    }

    /// A baseline accepting every finding of a scan.
    pub fn of_scan(scan: &Scan) -> Baseline {
        let mut entries: Vec<Entry> = scan
            .findings
            .iter()
            .filter(|f| !f.rule.id.starts_with("ACR9"))
            .map(|f| Entry::of(f, scan.sources.name(f.primary.span.file)))
            .collect();
        entries.sort_by(|a, b| a.key().cmp(&b.key()));
        entries.dedup_by(|a, b| a.key() == b.key());
        Baseline {
            version: BASELINE_VERSION,
            entries,
        }
    }

    /// The entries still matched by a scan's findings (baselined ones included).
    pub fn without_stale(&self, scan: &Scan) -> Baseline {
        let findings = scan.findings.iter().chain(
            scan.suppressed
                .iter()
                .filter(|s| s.origin == ORIGIN)
                .map(|s| &s.finding),
        );
        let name = |file| scan.sources.name(file);
        let mut live: std::collections::HashSet<(&str, &str, &str, &str)> = Default::default();
        for finding in findings {
            for file in files_of(finding, &name) {
                let (resource, property) = (&*finding.resource, &*finding.property);
                live.insert((finding.rule.id, file, resource, property));
            }
        }
        let entries = self
            .entries
            .iter()
            .filter(|e| live.contains(&e.key()))
            .cloned()
            .collect();
        Baseline {
            version: BASELINE_VERSION,
            entries,
        }
    }
}

/// The files an entry of `finding` may name: where its value was written, then where that value
/// is used, so that an entry stays matched when the value moves between the two (a variable
/// given a default, a literal moved into `locals`).
fn files_of<'s>(
    finding: &Finding,
    file_name: &'s dyn Fn(FileId) -> &'s str,
) -> impl Iterator<Item = &'s str> {
    let written = file_name(finding.primary.span.file);
    let used = finding
        .used_at
        .map(|span| file_name(span.file))
        .filter(|used| *used != written);
    std::iter::once(written).chain(used)
}

pub const ORIGIN: &str = "baseline";

/// Moves the findings a baseline accepts out of the report; returns the rest, the baselined
/// ones, and how many entries matched nothing (stale). An entry matches a finding of its rule,
/// resource and property in the file the finding's value was written in or used in.
pub fn apply<'s>(
    findings: Findings,
    baseline: &Baseline,
    file_name: &'s dyn Fn(FileId) -> &'s str,
) -> (Findings, Vec<Suppressed>, usize) {
    let index: HashMap<(&str, &str, &str, &str), usize> = baseline
        .entries
        .iter()
        .enumerate()
        .map(|(i, e)| (e.key(), i))
        .collect();
    let mut seen = vec![false; baseline.entries.len()];
    let mut kept = Vec::new();
    let mut baselined = Vec::new();
    for finding in findings {
        let (resource, property) = (&*finding.resource, &*finding.property);
        let found = files_of(&finding, file_name)
            .find_map(|file| index.get(&(finding.rule.id, file, resource, property)))
            .copied();
        match found {
            Some(entry) => {
                if let Some(flag) = seen.get_mut(entry) {
                    *flag = true;
                }
                baselined.push(Suppressed {
                    finding,
                    reason: "accepted in the baseline".into(),
                    until: None,
                    directive: None,
                    origin: ORIGIN.into(),
                });
            }
            None => kept.push(finding),
        }
    }
    let stale = seen.iter().filter(|seen| !**seen).count();
    (kept, baselined, stale)
}
