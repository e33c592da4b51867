//! acr-lint: static analysis of Azure Container Registry configuration in ARM templates and
//! Terraform. The binary is a thin layer over [`scan`] and the renderers in [`report`].

pub mod arm;
pub mod discover;
pub mod model;
pub mod report;
pub mod rules;
pub mod source;
pub mod terraform;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use discover::Candidate;
use model::Resource;
use rules::{Finding, Outcomes, Rule, Undecided};
use source::{FileId, SourceFile, SourceMap, Span};

pub const REPOSITORY: &str = "https://github.com/acr-lint/acr-lint";
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Files larger than this are refused: ARM limits templates to 4 MB.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// What to scan and with which rules.
pub struct ScanOptions {
    pub paths: Vec<PathBuf>,
    pub rules: Vec<&'static dyn Rule>,
}

impl ScanOptions {
    pub fn new(paths: Vec<PathBuf>) -> Self {
        let rules = rules::all()
            .iter()
            .copied()
            .filter(|r| r.meta().enabled_by_default)
            .collect();
        ScanOptions { paths, rules }
    }
}

/// An input that could not be read or parsed.
#[derive(Debug, Clone)]
pub struct InputError {
    pub path: String,
    /// Where in the file, when the file could be read.
    pub span: Option<Span>,
    pub message: String,
}

/// Everything one scan found.
#[derive(Debug)]
pub struct Scan {
    pub sources: SourceMap,
    pub findings: Vec<Finding>,
    pub not_applicable: Vec<Undecided>,
    pub unknown: Vec<Undecided>,
    pub errors: Vec<InputError>,
    /// Files read as ARM templates, parameters files or Terraform.
    pub files_scanned: usize,
    pub registries: usize,
    pub elapsed: Duration,
}

/// What one file contributed.
struct FileResult {
    source: SourceFile,
    resources: Vec<Resource>,
    error: Option<(Option<Span>, String)>,
    scanned: bool,
}

/// Discovers, parses and checks everything below `options.paths`.
pub fn scan(options: &ScanOptions) -> Scan {
    let started = Instant::now();
    let base = std::env::current_dir().unwrap_or_default();
    let (files, walk_errors) = discover::discover(&options.paths);
    let results: Vec<FileResult> = files
        .par_iter()
        .enumerate()
        .map(|(id, (path, candidate))| load(id, path, *candidate, &base))
        .collect();

    let mut sources = SourceMap::default();
    let mut resources = Vec::new();
    let mut errors: Vec<InputError> = walk_errors
        .into_iter()
        .map(|e| InputError {
            path: source::display_name(&e.path, &base),
            span: None,
            message: e.message,
        })
        .collect();
    let mut files_scanned = 0;
    for result in results {
        files_scanned += usize::from(result.scanned);
        if let Some((span, message)) = result.error {
            errors.push(InputError {
                path: result.source.name.clone(),
                span,
                message,
            });
        }
        resources.extend(result.resources);
        sources.push(result.source);
    }

    let registries = resources.iter().filter(|r| r.is_registry() && !r.existing).count();
    let outcomes = check(&resources, &options.rules);
    let mut findings = outcomes.findings;
    findings.sort_by_key(|f| (sources.name(f.primary.span.file).to_string(), f.primary.span.start, f.rule.id));
    Scan {
        sources,
        findings,
        not_applicable: outcomes.not_applicable,
        unknown: outcomes.unknown,
        errors,
        files_scanned,
        registries,
        elapsed: started.elapsed(),
    }
}

fn check(resources: &[Resource], selected: &[&'static dyn Rule]) -> Outcomes {
    resources
        .par_chunks(64)
        .map(|chunk| rules::run(chunk, selected))
        .reduce(Outcomes::default, |mut a, b| {
            a.findings.extend(b.findings);
            a.not_applicable.extend(b.not_applicable);
            a.unknown.extend(b.unknown);
            a
        })
}

fn load(id: FileId, path: &Path, candidate: Candidate, base: &Path) -> FileResult {
    let name = source::display_name(path, base);
    let failed = |message: String| FileResult {
        source: SourceFile::new(path.to_path_buf(), name.clone(), String::new()),
        resources: Vec::new(),
        error: Some((None, message)),
        scanned: false,
    };
    let text = match read_text(path) {
        Ok(text) => text,
        Err(message) => return failed(message),
    };
    let source = SourceFile::new(path.to_path_buf(), name.clone(), text);
    let mut result = FileResult {
        source,
        resources: Vec::new(),
        error: None,
        scanned: true,
    };
    let text = result.source.text.as_str();
    match candidate {
        Candidate::Terraform => match terraform::parse(text) {
            Ok(body) => result.resources = terraform::resources(&body, id, text),
            Err(e) => result.error = Some((Some(Span::new(id, e.offset, e.offset)), e.message)),
        },
        Candidate::TfVars => {
            if let Err(e) = terraform::parse(text) {
                result.error = Some((Some(Span::new(id, e.offset, e.offset)), e.message));
            }
        }
        Candidate::TfVarsJson => {
            if let Err(e) = arm::json::parse(text, id) {
                result.error = Some((Some(Span::new(id, e.start, e.end)), e.message));
            }
        }
        Candidate::Json => load_json(id, &mut result),
    }
    if !result.scanned {
        result.source.text = String::new();
    }
    result
}

fn load_json(id: FileId, result: &mut FileResult) {
    let text = result.source.text.as_str();
    if !arm::may_be_arm(text) {
        result.scanned = false;
        return;
    }
    match arm::json::parse(text, id) {
        Ok(Some(root)) => match arm::classify(&root) {
            arm::JsonKind::Template => {
                result.resources = arm::resources(&root, &|t: &str| t.eq_ignore_ascii_case(model::REGISTRY_TYPE));
            }
            arm::JsonKind::Parameters => {}
            arm::JsonKind::Other => result.scanned = false,
        },
        Ok(None) => result.scanned = false,
        Err(e) => result.error = Some((Some(Span::new(id, e.start, e.end)), format!("invalid JSON: {}", e.message))),
    }
}

/// Reads a file as UTF-8 text, refusing binary, oversized and unreadable files.
fn read_text(path: &Path) -> Result<String, String> {
    let size = std::fs::metadata(path).map_err(|e| e.to_string())?.len();
    if size > MAX_FILE_BYTES {
        return Err(format!(
            "file is {} MiB; files over {} MiB are not read",
            size / (1024 * 1024),
            MAX_FILE_BYTES / (1024 * 1024)
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    if memchr::memchr(0, &bytes).is_some() {
        return Err("binary file (contains NUL bytes), not a text file".into());
    }
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "not valid UTF-8 (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        )
    })
}
