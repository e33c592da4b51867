//! What a scan found: the results of rules, the suppressed and baselined ones, and the inputs
//! that could not be read; this is what reports render.

use std::time::Duration;

pub use crate::model::InputError;
pub use crate::model::suppression::{DirectiveError, Suppression};
pub use crate::rules::{Finding, Findings, Level, RuleMeta, Undecided};
use crate::source::{SourceMap, Span};
pub use crate::suppress::Suppressed;

/// The kinds of files a scan reads, for a summary that found none; kept in step with
/// `discover::Candidate::of`.
pub const KINDS_READ: &str = "Terraform (`.tf`, `.tf.json`, `.tfvars`, `.tfvars.json`), ARM templates, parameters files and Terraform plans (`.json`, `.jsonc`), and Bicep (`.bicep`, `.bicepparam`)";

/// Why a scan that read nothing and found nothing checked no file: a sentence without its end.
pub fn why_nothing_was_checked(scan: &Scan) -> String {
    let excluded = "excluded by the configuration (`exclude`)";
    let ignored = "left out by ignore files (`.gitignore`, `.ignore`, git's excludes)";
    match (scan.files_excluded, scan.files_ignored) {
        (0, 0) => format!(
            "No files checked: the paths hold none of the files acr-lint reads: {KINDS_READ}"
        ),
        (0, 1) => format!(
            "No files checked: the one file acr-lint would read in the paths is {ignored}; \
             `--no-ignore` reads it"
        ),
        (0, n) => format!(
            "No files checked: all {n} files acr-lint would read in the paths are {ignored}; \
             `--no-ignore` reads them"
        ),
        (1, _) => {
            format!("No files checked: the one file acr-lint would read in the paths is {excluded}")
        }
        (n, _) => format!(
            "No files checked: all {n} files acr-lint would read in the paths are {excluded}"
        ),
    }
}

/// Everything one scan found.
#[derive(Debug)]
pub struct Scan {
    pub sources: SourceMap,
    /// Where secret values are written in the sources: masked wherever source is shown.
    pub secrets: Vec<Span>,
    pub findings: Findings,
    /// Findings kept out of the report by a suppression, with its reason.
    pub suppressed: Vec<Suppressed>,
    /// Baseline entries that no finding matched any more (fixed problems).
    pub stale_baseline_entries: usize,
    /// Things the scan could not follow, such as modules that are not downloaded.
    pub notices: Vec<String>,
    /// Bicep registry modules that could not be read and are not among the notices (only
    /// `--show-unknown` names them).
    pub unnamed_registry_modules: usize,
    /// Parameters files found in the scanned directories that no template is read with and
    /// that are not among the notices (only `--show-unknown` names them).
    pub unnamed_unpaired_parameters_files: usize,
    /// Terraform variable files found in the scanned directories that Terraform applies only
    /// when given with `-var-file`, not given so, and not among the notices.
    pub unnamed_unapplied_variable_files: usize,
    /// The lowest level that blocks (`--fail-on`), for summaries; `None` when nothing blocks.
    pub fail_on: Option<Level>,
    pub not_applicable: Vec<Undecided>,
    pub unknown: Vec<Undecided>,
    pub errors: Vec<InputError>,
    /// Files read as ARM templates, parameters files or Terraform.
    pub files_scanned: usize,
    /// Files of the paths that the configuration's `exclude` globs left out.
    pub files_excluded: usize,
    /// When no file was checked: how many files ignore files left out.
    pub files_ignored: usize,
    pub registries: usize,
    pub elapsed: Duration,
    /// The rules that ran.
    pub rules: Vec<&'static RuleMeta>,
}
