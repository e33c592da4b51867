//! acr-lint: static analysis of Azure Container Registry configuration in ARM templates and
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::panic
    )
)]
//! Terraform. The binary is a thin layer over [`scan`] and the renderers in [`report`].

pub mod arm;
pub mod discover;
pub mod model;
pub mod report;
pub mod rules;
pub mod source;
pub mod terraform;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use discover::Candidate;
use model::Resource;
use rules::{Finding, Rule, Undecided};
use source::{FileId, SourceFile, SourceMap, Span};

pub const REPOSITORY: &str = "https://github.com/acr-lint/acr-lint";
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Files larger than this are refused: ARM limits templates to 4 MB.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// Files holding more values than this are refused: each value costs 100 to 200 bytes of syntax
/// tree, so a dense 16 MiB file (eight million values) would take gigabytes. Real templates and
/// modules hold far fewer (a 4 MB ARM template, the largest Azure accepts, about 200,000).
pub const MAX_FILE_VALUES: usize = 1_000_000;

/// What to scan and with which rules.
pub struct ScanOptions {
    pub paths: Vec<PathBuf>,
    pub rules: Vec<&'static dyn Rule>,
    pub rule_options: rules::RuleOptions,
    /// Report undecided results as `note` findings that name the missing input.
    pub show_unknown: bool,
}

impl ScanOptions {
    pub fn new(paths: Vec<PathBuf>) -> Self {
        let rules = rules::all()
            .iter()
            .copied()
            .filter(|r| r.meta().enabled_by_default)
            .collect();
        ScanOptions {
            paths,
            rules,
            rule_options: rules::RuleOptions::default(),
            show_unknown: false,
        }
    }
}

/// An input that could not be read or parsed.
#[derive(Debug, Clone)]
pub struct InputError {
    pub path: String,
    /// Where in the file, when the file could be read.
    pub span: Option<Span>,
    pub message: String,
    /// Whether showing the source around `span` helps (a syntax error, not a binary file).
    pub show_source: bool,
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
    /// The rules that ran.
    pub rules: Vec<&'static rules::RuleMeta>,
}

/// What one file contributed.
struct FileResult {
    source: SourceFile,
    resources: Vec<Resource>,
    unit: Option<model::Unit>,
    terraform: Option<terraform::TerraformFile>,
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
            show_source: false,
        })
        .collect();
    let mut files_scanned = 0;
    let mut units: Vec<model::Unit> = Vec::new();
    let mut unit_index = HashMap::new();
    let mut terraform_inputs = Vec::new();
    for result in results {
        terraform_inputs.extend(result.terraform);
        if let Some(unit) = result.unit {
            merge_unit(&mut units, &mut unit_index, unit);
        }
        files_scanned += usize::from(result.scanned);
        if let Some((span, message)) = result.error {
            errors.push(InputError {
                path: result.source.name.clone(),
                span,
                message,
                show_source: result.scanned,
            });
        }
        resources.extend(result.resources);
        sources.push(result.source);
    }

    let (module_resources, module_units) = terraform::evaluate(&terraform_inputs, &sources, &base);
    resources.extend(module_resources);
    for unit in module_units {
        merge_unit(&mut units, &mut unit_index, unit);
    }
    drop(terraform_inputs);
    let registries = resources
        .iter()
        .filter(|r| r.is_registry() && !r.existing)
        .count();
    let implied = model::graph::implied_registries(&resources);
    resources.extend(implied);
    let graph = model::graph::link(&resources, &units);
    let outcomes = rules::run(&graph, &options.rules, &options.rule_options);
    let mut findings = outcomes.findings;
    if options.show_unknown {
        findings.extend(outcomes.unknown.iter().map(rules::could_not_verify));
    }
    findings.sort_by(|a, b| {
        let key = |f: &Finding| {
            (
                sources.name(f.primary.span.file),
                f.primary.span.start,
                f.rule.id,
            )
        };
        key(a).cmp(&key(b))
    });
    Scan {
        sources,
        findings,
        not_applicable: outcomes.not_applicable,
        unknown: outcomes.unknown,
        errors,
        files_scanned,
        registries,
        elapsed: started.elapsed(),
        rules: options.rules.iter().map(|r| r.meta()).collect(),
    }
}

/// Adds a file's unit facts; the files of one Terraform module share a unit.
fn merge_unit(units: &mut Vec<model::Unit>, index: &mut HashMap<String, usize>, unit: model::Unit) {
    match index.get(&unit.id).and_then(|&i| units.get_mut(i)) {
        Some(existing) => {
            existing.outputs.extend(unit.outputs);
            existing.inputs.extend(unit.inputs);
        }
        None => {
            index.insert(unit.id.clone(), units.len());
            units.push(unit);
        }
    }
}

fn load(id: FileId, path: &Path, candidate: Candidate, base: &Path) -> FileResult {
    let name = source::display_name(path, base);
    let text = match read_text(path) {
        Ok(text) => text,
        Err(failure) => {
            let readable = failure.text.is_some();
            let source =
                SourceFile::new(path.to_path_buf(), name, failure.text.unwrap_or_default());
            // The text read is what comes before the offending byte.
            let end = source.text.len();
            let span = readable.then(|| Span::new(id, end, end));
            return FileResult {
                source,
                resources: Vec::new(),
                unit: None,
                terraform: None,
                error: Some((span, failure.message)),
                scanned: false,
            };
        }
    };
    let source = SourceFile::new(path.to_path_buf(), name.clone(), text);
    let mut result = FileResult {
        source,
        resources: Vec::new(),
        unit: None,
        terraform: None,
        error: None,
        scanned: true,
    };
    let text = result.source.text.as_str();
    if let Some(message) = too_many_values(text, candidate) {
        result.error = Some((None, message));
        result.source.text = String::new();
        result.scanned = false;
        return result;
    }
    match candidate {
        Candidate::Terraform | Candidate::TfVars => match terraform::parse(text) {
            Ok(body) => {
                let kind = if candidate == Candidate::Terraform {
                    terraform::InputKind::Config
                } else {
                    terraform::InputKind::Vars
                };
                result.terraform = Some(terraform::TerraformFile::hcl(id, path, kind, body));
            }
            Err(e) => result.error = Some((Some(Span::new(id, e.offset, e.offset)), e.message)),
        },
        Candidate::TfVarsJson => match arm::json::parse(text, id) {
            Ok(node) => {
                result.terraform = node.map(|n| terraform::TerraformFile::json_vars(id, path, n))
            }
            Err(e) => result.error = Some((Some(Span::new(id, e.start, e.end)), e.message)),
        },
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
                let template = arm::read(&root, &result.source.name);
                result.resources = template.resources;
                result.unit = Some(template.unit);
            }
            arm::JsonKind::Parameters => {
                if let Some(template) = arm::missing_template(&result.source.path) {
                    result.error = Some((
                        None,
                        format!(
                            "parameters file for template `{template}`, which does not exist \
                             beside it (nor a `.bicep` of that name)"
                        ),
                    ));
                }
            }
            arm::JsonKind::Other => result.scanned = false,
        },
        Ok(None) => result.scanned = false,
        Err(e) => {
            result.error = Some((
                Some(Span::new(id, e.start, e.end)),
                format!("invalid JSON: {}", e.message),
            ))
        }
    }
}

/// Refuses a file that would be parsed and holds more than [`MAX_FILE_VALUES`] values, counted
/// (generously: strings and comments are not skipped) by the bytes that open or separate them:
/// `,` `[` `{` `=` `:`. Unquoted HCL block labels (`a b c {}`) are not counted.
fn too_many_values(text: &str, candidate: Candidate) -> Option<String> {
    if candidate == Candidate::Json && !arm::may_be_arm(text) {
        return None;
    }
    let bytes = text.as_bytes();
    let count = memchr::memchr3_iter(b',', b'[', b'{', bytes).count()
        + memchr::memchr2_iter(b'=', b':', bytes).count();
    (count > MAX_FILE_VALUES).then(|| {
        format!(
            "file holds more than {MAX_FILE_VALUES} values (counted by their separators); \
             files that large are not read"
        )
    })
}

/// Why a file could not be read as text; `text` is the (lossy) text before the offending byte,
/// for positions, when the file was read but is not UTF-8 text.
struct ReadFailure {
    message: String,
    text: Option<String>,
}

impl ReadFailure {
    fn unreadable(error: impl ToString) -> Self {
        ReadFailure {
            message: error.to_string(),
            text: None,
        }
    }
}

/// Reads a file as UTF-8 text, refusing binary, oversized and unreadable files.
fn read_text(path: &Path) -> Result<String, ReadFailure> {
    let size = std::fs::metadata(path)
        .map_err(ReadFailure::unreadable)?
        .len();
    if size > MAX_FILE_BYTES {
        return Err(ReadFailure::unreadable(format!(
            "file is {} MiB; files over {} MiB are not read",
            size / (1024 * 1024),
            MAX_FILE_BYTES / (1024 * 1024)
        )));
    }
    let bytes = std::fs::read(path).map_err(ReadFailure::unreadable)?;
    // The error points just past the text before the offending byte; that text is lossy, so
    // positions are taken from its length, never from the byte offset in the file.
    let not_text = |message: &str, before: &[u8]| ReadFailure {
        message: message.to_string(),
        text: Some(String::from_utf8_lossy(before).into_owned()),
    };
    if let Some(offset) = memchr::memchr(0, &bytes) {
        let before = bytes.get(..offset).unwrap_or_default();
        return Err(not_text(
            "binary file (contains NUL bytes), not a text file",
            before,
        ));
    }
    String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let valid = e.as_bytes().get(..offset).unwrap_or_default();
        not_text("not valid UTF-8 text", valid)
    })
}
