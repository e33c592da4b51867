//! Baselines: the findings a team accepts for now, keyed by rule, file, resource and property
//! (never by line), so moved code stays baselined and new problems are still reported. Files
//! are named from the top of the repository the baseline lies in (outside one, from its
//! directory), so a scan run from any directory matches.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::findings::Scan;
use crate::rules::{Finding, Findings};
use crate::source::{FileId, GlobBase, SourceMap};
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
    /// The file it was read from, whose directory its entries name files from.
    #[serde(skip)]
    pub path: Option<PathBuf>,
}

/// The names a baseline gives the files of a scan: relative to the top of the repository the
/// baseline lies in (outside one, to its directory) for a file below it, and as the scan shows
/// them (relative to the working directory), as entries written from there before name them.
pub struct FileNames<'s> {
    sources: &'s SourceMap,
    below_baseline: Vec<Option<String>>,
}

impl<'s> FileNames<'s> {
    /// The names of `sources` for the baseline file at `path`.
    pub fn new(sources: &'s SourceMap, path: Option<&Path>) -> Self {
        let working = std::env::current_dir().unwrap_or_default();
        let Some(directory) = path.and_then(Path::parent) else {
            return FileNames {
                sources,
                below_baseline: Vec::new(),
            };
        };
        let directory = crate::source::normalize(&working.join(directory));
        let top = crate::source::repository_top(&directory).unwrap_or(directory);
        let base = GlobBase::new(Some(&top), &working);
        // From the working directory, the names are those the sources show.
        let below_baseline = match base.is_working_directory() {
            true => Vec::new(),
            false => sources.iter().map(|f| base.name(&f.path)).collect(),
        };
        FileNames {
            sources,
            below_baseline,
        }
    }

    /// The name an entry written now gives the file.
    fn written(&self, file: FileId) -> &str {
        match self.below_baseline.get(file) {
            Some(Some(name)) => name,
            _ => self.sources.name(file),
        }
    }

    /// Every name an entry may give the file.
    fn accepted(&self, file: FileId) -> impl Iterator<Item = &str> {
        let shown = self.sources.name(file);
        let written = self.written(file);
        std::iter::once(written).chain((shown != written).then_some(shown))
    }
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
        Ok(Baseline {
            path: Some(path.to_path_buf()),
            ..baseline
        })
    }

    pub fn write(&self, path: &Path) -> Result<(), String> {
        let text = serde_json::to_string_pretty(self).map_err(|e| e.to_string())?;
        crate::source::write_atomically(path, crate::source::Durability::Synced, |out| {
            std::io::Write::write_all(out, (text + "\n").as_bytes())
        })
        .map_err(|e| format!("cannot write baseline {}: {e}", path.display()))
    }

    /// A baseline accepting every finding of a scan, to be written at `path`.
    pub fn of_scan(scan: &Scan, path: &Path) -> Baseline {
        let names = FileNames::new(&scan.sources, Some(path));
        let mut entries: Vec<Entry> = scan
            .findings
            .iter()
            .filter(|f| !f.rule.id.starts_with("ACR9"))
            .map(|f| Entry::of(f, names.written(f.primary.span.file)))
            .collect();
        entries.sort_by(|a, b| a.key().cmp(&b.key()));
        entries.dedup_by(|a, b| a.key() == b.key());
        Baseline {
            version: BASELINE_VERSION,
            entries,
            path: Some(path.to_path_buf()),
        }
    }

    /// The entries still matched by a scan's findings (baselined ones included), and those of
    /// files the scan did not read (`baseline update FILE infra` keeps the entries of `legacy/`).
    pub fn without_stale(&self, scan: &Scan) -> Baseline {
        let findings = scan.findings.iter().chain(
            scan.suppressed
                .iter()
                .filter(|s| s.origin == ORIGIN)
                .map(|s| &s.finding),
        );
        let names = FileNames::new(&scan.sources, self.path.as_deref());
        let mut live: std::collections::HashSet<(&str, &str, &str, &str)> = Default::default();
        for finding in findings {
            for file in files_of(finding, &names) {
                let (resource, property) = (&*finding.resource, &*finding.property);
                live.insert((finding.rule.id, file, resource, property));
            }
        }
        let read: std::collections::HashSet<&str> = (0..scan.sources.len())
            .flat_map(|file| names.accepted(file))
            .collect();
        let entries = self
            .entries
            .iter()
            .filter(|e| live.contains(&e.key()) || !read.contains(e.file.as_str()))
            .cloned()
            .collect();
        Baseline {
            version: BASELINE_VERSION,
            entries,
            path: self.path.clone(),
        }
    }
}

/// The files an entry of `finding` may name: where its value was written, then where that value
/// is used, so that an entry stays matched when the value moves between the two (a variable
/// given a default, a literal moved into `locals`).
fn files_of<'n>(finding: &Finding, names: &'n FileNames<'_>) -> impl Iterator<Item = &'n str> {
    let written = finding.primary.span.file;
    let used = finding
        .used_at
        .map(|span| span.file)
        .filter(|used| *used != written);
    std::iter::once(written)
        .chain(used)
        .flat_map(|file| names.accepted(file))
}

pub const ORIGIN: &str = "baseline";

/// Moves the findings a baseline accepts out of the report; returns the rest, the baselined
/// ones, and how many entries matched nothing (stale). An entry matches a finding of its rule,
/// resource and property in the file the finding's value was written in or used in.
pub fn apply(
    findings: Findings,
    baseline: &Baseline,
    sources: &SourceMap,
) -> (Findings, Vec<Suppressed>, usize) {
    let names = FileNames::new(sources, baseline.path.as_deref());
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
        let found = files_of(&finding, &names)
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
