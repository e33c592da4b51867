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
pub mod baseline;
pub mod config;
pub mod discover;
pub mod lsp;
pub mod model;
pub mod report;
pub mod rules;
pub mod source;
pub mod suppress;
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

/// Terraform files with more words than this are refused (about 12 MB of ordinary HCL).
pub const MAX_HCL_WORDS: usize = 2_000_000;

/// A Terraform variable value given like `terraform -var NAME=VALUE`: it overrides the var files
/// before it and is overridden by those after it.
#[derive(Debug, Clone, PartialEq)]
pub struct VarValue {
    pub name: String,
    pub value: String,
    /// How many of [`ScanOptions::var_files`] precede it.
    pub files_before: usize,
}

/// What to scan and with which rules.
pub struct ScanOptions {
    pub paths: Vec<PathBuf>,
    pub rules: Vec<&'static dyn Rule>,
    pub rule_options: rules::RuleOptions,
    /// Report undecided results as `note` findings that name the missing input.
    pub show_unknown: bool,
    /// Honour suppressions written in the scanned files.
    pub inline_suppressions: bool,
    /// Tool diagnostics (ACR9xx) switched off.
    pub ignored_diagnostics: Vec<&'static str>,
    /// Globs of files not to scan (relative to the working directory).
    pub exclude: Vec<String>,
    /// Terraform variable files applied to every module, later ones winning.
    pub var_files: Vec<PathBuf>,
    /// Terraform variable values given one by one (`--var`), placed among `var_files`.
    pub var_values: Vec<VarValue>,
    /// Levels that replace rules' defaults.
    pub levels: Vec<(&'static str, rules::Level)>,
    /// The configuration file, whose suppression entries apply.
    pub config: Option<config::Config>,
    /// Findings accepted for now; they are reported as baselined, not as problems.
    pub baseline: Option<baseline::Baseline>,
    /// Parameters files paired with a template explicitly (besides pairing by name).
    pub parameter_pairs: Vec<(PathBuf, Vec<PathBuf>)>,
    /// Text to read instead of the file on disk (an editor's unsaved buffers), keyed by the
    /// path as given or discovered. A given path that exists only here is scanned too.
    pub overlays: HashMap<PathBuf, String>,
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
            inline_suppressions: true,
            ignored_diagnostics: Vec::new(),
            exclude: Vec::new(),
            var_files: Vec::new(),
            var_values: Vec::new(),
            levels: Vec::new(),
            config: None,
            baseline: None,
            parameter_pairs: Vec::new(),
            overlays: HashMap::new(),
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
    /// Findings kept out of the report by a suppression, with its reason.
    pub suppressed: Vec<suppress::Suppressed>,
    /// Baseline entries that no finding matched any more (fixed problems).
    pub stale_baseline_entries: usize,
    /// Things the scan could not follow, such as modules that are not downloaded.
    pub notices: Vec<String>,
    /// The lowest level that blocks (`--fail-on`), for summaries; `None` when nothing blocks.
    pub fail_on: Option<rules::Level>,
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
    arm: Option<ArmDocument>,
    error: Option<(Option<Span>, String)>,
    scanned: bool,
}

/// Discovers, parses and checks everything below `options.paths`.
pub fn scan(options: &ScanOptions) -> Scan {
    let started = Instant::now();
    let base = std::env::current_dir().unwrap_or_default();
    let overlays: HashMap<PathBuf, &str> = options
        .overlays
        .iter()
        .map(|(path, text)| (terraform::normalize(path), text.as_str()))
        .collect();
    let (in_memory, on_disk): (Vec<PathBuf>, Vec<PathBuf>) = options
        .paths
        .iter()
        .cloned()
        .partition(|p| options.overlays.contains_key(p) && !p.exists());
    let (mut files, walk_errors) = discover::discover(&on_disk);
    files.extend(
        in_memory
            .iter()
            .filter_map(|p| Candidate::of(p).map(|c| (terraform::normalize(p), c))),
    );
    // Files read only as context for given files (the rest of their module) are not reported on.
    let given: std::collections::HashSet<PathBuf> = files.iter().map(|(p, _)| p.clone()).collect();
    files.extend(discover::context(&options.paths, &files));
    // By directory first, so that each directory's files are adjacent (`by_directory`) even
    // where a subdirectory's name sorts between them.
    files.sort_by(|(a, _), (b, _)| (a.parent(), a).cmp(&(b.parent(), b)));
    files.dedup_by(|a, b| a.0 == b.0);
    if !options.exclude.is_empty() {
        files.retain(|(path, _)| {
            let name = source::display_name(path, &base);
            !options
                .exclude
                .iter()
                .any(|glob| suppress::glob_matches(glob, &name))
        });
    }
    let reported_files: Vec<bool> = files.iter().map(|(p, _)| given.contains(p)).collect();
    let reported = |file: FileId| reported_files.get(file).copied().unwrap_or(true);
    let (outside, var_sources, var_errors) = outside_values(options, files.len(), &base);
    let directories = by_directory(&files);
    let known_files: HashMap<PathBuf, FileId> = files
        .iter()
        .enumerate()
        .map(|(id, (path, _))| (path.clone(), id))
        .collect();
    let (explicit_parameters, parameter_sources, parameter_errors) =
        explicit_parameters(options, files.len() + options.var_files.len(), &base);
    let next_id = std::sync::atomic::AtomicUsize::new(
        files.len() + options.var_files.len() + parameter_sources.len(),
    );
    let context = terraform::ModuleContext {
        base: &base,
        outside: &outside,
        known_files: &known_files,
        next_id: &next_id,
        overlays: &overlays,
    };
    let explicit = &explicit_parameters;
    let loaded: Vec<DirectoryResult> = directories
        .par_iter()
        .map(|group| load_directory(group, &context, explicit))
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
    let mut results = Vec::with_capacity(files.len());
    let mut module_sources = Vec::new();
    let mut called = std::collections::HashSet::new();
    let mut called_from: Vec<(String, Vec<String>)> = Vec::new();
    let mut notices = Vec::new();
    for mut directory in loaded {
        resources.extend(directory.resources);
        for unit in directory.units {
            merge_unit(&mut units, &mut unit_index, unit);
        }
        results.extend(directory.files);
        module_sources.extend(directory.modules.sources);
        let callees: Vec<String> = directory
            .modules
            .called
            .iter()
            .map(|d| source::display_name(d, &base))
            .collect();
        called.extend(callees.iter().cloned());
        called_from.push((std::mem::take(&mut directory.modules.root), callees));
        notices.extend(directory.modules.notices);
        errors.extend(
            directory
                .modules
                .errors
                .into_iter()
                .map(|(path, span, message)| InputError {
                    path,
                    span,
                    message,
                    show_source: false,
                }),
        );
    }
    // A directory called as a module is reported through its callers. So is what it calls
    // when a reported (uncalled) directory reaches it; in a cycle of directories calling each
    // other, that is left to the calls' own units.
    let covered: std::collections::HashSet<&str> = called_from
        .iter()
        .filter(|(root, _)| !called.contains(root))
        .flat_map(|(_, callees)| callees.iter().map(String::as_str))
        .collect();
    let called_root = |unit: &str| {
        called.contains(unit)
            || unit.match_indices('/').any(|(at, _)| {
                unit.get(..at).is_some_and(|dir| covered.contains(dir))
                    && unit
                        .get(at + 1..)
                        .is_some_and(|rest| rest.starts_with("module."))
            })
    };
    resources.retain(|r| !called_root(&r.unit));
    units.retain(|u| !called_root(&u.id));
    notices.sort();
    notices.dedup();
    for (id, result) in results.into_iter().enumerate() {
        if let Some(unit) = result.unit {
            merge_unit(&mut units, &mut unit_index, unit);
        }
        files_scanned += usize::from(result.scanned && reported(id));
        if let Some((span, message)) = result.error.filter(|_| reported(id)) {
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

    for source in var_sources {
        sources.push(source);
    }
    for source in parameter_sources {
        sources.push(source);
    }
    errors.extend(parameter_errors);
    module_sources.sort_by_key(|(id, _)| *id);
    for (_, source) in module_sources {
        sources.push(source);
    }
    errors.extend(var_errors);
    let registries = resources
        .iter()
        .filter(|r| r.is_registry() && !r.existing)
        .map(|r| r.decl)
        .collect::<std::collections::HashSet<_>>()
        .len();
    let implied = model::graph::implied_registries(&resources);
    resources.extend(implied);
    let graph = model::graph::link(&resources, &units);
    let outcomes = rules::run(&graph, &options.rules, &options.rule_options);
    let mut findings = merge_variants(outcomes.findings);
    let mut unknown = outcomes.unknown;
    let mut not_applicable = outcomes.not_applicable;
    // A finding is in a given file when it points there or is about a resource declared there
    // (a bad variable default in a sibling file, used by a registry in the given file).
    findings.retain(|f| {
        reported(f.primary.span.file) || f.resource_decl.is_some_and(|d| reported(d.file))
    });
    unknown.retain(|u| reported(u.span.file));
    not_applicable.retain(|u| reported(u.span.file));
    if options.show_unknown {
        findings.extend(unknown.iter().map(rules::could_not_verify));
    }
    for finding in &mut findings {
        if let Some((_, level)) = options.levels.iter().find(|(id, _)| *id == finding.rule.id) {
            finding.level = *level;
        }
    }
    let config_suppressions = config_suppressions(options, &mut sources, &base);
    let (findings, mut suppressed) =
        apply_suppressions(findings, &units, options, &sources, config_suppressions);
    let (mut findings, stale_baseline_entries) = match &options.baseline {
        Some(accepted) => {
            let name = |f: &Finding| sources.name(f.primary.span.file).to_string();
            let (kept, baselined, stale) = baseline::apply(findings, accepted, &name);
            suppressed.extend(baselined);
            (kept, stale)
        }
        None => (findings, 0),
    };
    findings.par_sort_by(|a, b| {
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
        suppressed,
        stale_baseline_entries,
        notices,
        fail_on: Some(rules::Level::Warning),
        not_applicable,
        unknown,
        errors,
        files_scanned,
        registries,
        elapsed: started.elapsed(),
        rules: options
            .rules
            .iter()
            .map(|r| r.meta())
            .chain(rules::tool::ALL.iter().copied())
            .collect(),
    }
}

/// Variable values for every module: the environment's and the `--var-file` files' (which
/// take file ids after the discovered files, in order).
fn outside_values(
    options: &ScanOptions,
    first_id: FileId,
    base: &Path,
) -> (terraform::OutsideValues, Vec<SourceFile>, Vec<InputError>) {
    let mut outside = terraform::OutsideValues {
        environment: terraform::environment_values(),
        var_files: Vec::new(),
    };
    let mut sources = Vec::new();
    let mut errors = Vec::new();
    let given_before = |count: usize| {
        options
            .var_values
            .iter()
            .filter(move |v| v.files_before == count)
            .map(|v| {
                (
                    v.name.clone(),
                    terraform::command_line_value(&v.name, &v.value),
                )
            })
    };
    for (index, path) in options.var_files.iter().enumerate() {
        outside.var_files.extend(given_before(index));
        let id = first_id + index;
        let name = source::display_name(path, base);
        let text = match read_text(path) {
            Ok(text) => text,
            Err(failure) => {
                errors.push(InputError {
                    path: name.clone(),
                    span: None,
                    message: failure.message,
                    show_source: false,
                });
                String::new()
            }
        };
        let source = SourceFile::new(path.clone(), name.clone(), text);
        match terraform::var_file_values(id, &source) {
            Ok(values) => outside.var_files.extend(values),
            Err((offset, message)) => errors.push(InputError {
                path: name,
                span: Some(Span::new(id, offset, offset)),
                message,
                show_source: true,
            }),
        }
        sources.push(source);
    }
    let after_all = options
        .var_values
        .iter()
        .filter(|v| v.files_before >= options.var_files.len());
    outside.var_files.extend(after_all.map(|v| {
        (
            v.name.clone(),
            terraform::command_line_value(&v.name, &v.value),
        )
    }));
    (outside, sources, errors)
}

/// The discovered files of one directory, with their file ids.
type DirectoryFiles<'a> = Vec<(FileId, &'a Path, Candidate)>;

/// Groups files by directory (discovery sorts them, so each directory's files are adjacent).
fn by_directory(files: &[(PathBuf, Candidate)]) -> Vec<DirectoryFiles<'_>> {
    let mut groups: Vec<DirectoryFiles<'_>> = Vec::new();
    for (id, (path, candidate)) in files.iter().enumerate() {
        let directory = path.parent();
        match groups.last_mut() {
            Some(group) if group.first().map(|(_, p, _)| p.parent()) == Some(directory) => {
                group.push((id, path, *candidate));
            }
            _ => groups.push(vec![(id, path, *candidate)]),
        }
    }
    groups
}

/// What one directory contributed: its files, and its Terraform module's resources.
struct DirectoryResult {
    files: Vec<FileResult>,
    resources: Vec<Resource>,
    units: Vec<model::Unit>,
    modules: terraform::Evaluated,
}

/// Loads a directory's files in parallel, then evaluates its Terraform module, so that a
/// module's syntax trees live only while it is evaluated.
fn load_directory(
    group: &[(FileId, &Path, Candidate)],
    context: &terraform::ModuleContext<'_>,
    explicit: &[(PathBuf, Vec<(String, model::Node)>)],
) -> DirectoryResult {
    let base = context.base;
    let mut files: Vec<FileResult> = group
        .par_iter()
        .map(|(id, path, candidate)| {
            let overlay = context.overlays.get(*path).copied();
            load(*id, path, *candidate, overlay, base)
        })
        .collect();
    let terraform_files: Vec<terraform::TerraformFile> = files
        .iter_mut()
        .filter_map(|f| f.terraform.take())
        .collect();
    let mut result = DirectoryResult {
        files: Vec::new(),
        resources: Vec::new(),
        units: Vec::new(),
        modules: terraform::Evaluated::default(),
    };
    let directory = group.first().and_then(|(_, p, _)| p.parent());
    if let Some(directory) = directory.filter(|_| !terraform_files.is_empty()) {
        let first_id = group.first().map_or(0, |(id, _, _)| *id);
        let source_of = |id: FileId| files.get(id.wrapping_sub(first_id)).map(|f| &f.source);
        if let Some(mut evaluated) =
            terraform::evaluate_directory(directory, &terraform_files, &source_of, context)
        {
            result.resources = std::mem::take(&mut evaluated.resources);
            result.units = std::mem::take(&mut evaluated.units);
            result.modules = evaluated;
        }
    }
    drop(terraform_files);
    read_plans(&files, &mut result);
    read_templates(&mut files, &mut result, explicit);
    result.files = files;
    result
}

/// A parsed ARM file waiting for its pairing with parameters files, or a Terraform plan
/// waiting for the configuration beside it.
enum ArmDocument {
    Template(model::Node),
    Parameters(model::Node),
    Plan(model::Node),
}

/// Reads each Terraform plan of a directory. Resources the directory's configuration declares
/// keep their `.tf` source, taking from the plan the values the configuration cannot know.
fn read_plans(files: &[FileResult], result: &mut DirectoryResult) {
    let mut rest = Vec::new();
    for file in files {
        let Some(ArmDocument::Plan(root)) = &file.arm else {
            continue;
        };
        let plan = terraform::read_plan(root, &file.source.name);
        let name = &file.source.name;
        rest.extend(terraform::combine_plan(
            &mut result.resources,
            plan.resources,
            name,
        ));
        result.units.push(plan.unit);
    }
    result.resources.extend(rest);
}

/// Reads each template of a directory once per parameters file paired with it by name
/// (`x.json` with `x.parameters.json` and `x.parameters.<env>.json`), or once with its
/// defaults when it has none.
fn read_templates(
    files: &mut [FileResult],
    result: &mut DirectoryResult,
    explicit: &[(PathBuf, Vec<(String, model::Node)>)],
) {
    let parameters: Vec<(String, &model::Node)> = files
        .iter()
        .filter_map(|f| match &f.arm {
            Some(ArmDocument::Parameters(root)) => {
                Some((f.source.name.clone(), root.get("parameters")?))
            }
            _ => None,
        })
        .collect();
    for file in files.iter() {
        let Some(ArmDocument::Template(root)) = &file.arm else {
            continue;
        };
        let name = &file.source.name;
        let mut paired: Vec<(String, &model::Node)> = parameters
            .iter()
            .filter(|(p, _)| arm::pairs_with(name, p))
            .map(|(p, n)| (p.clone(), *n))
            .collect();
        let template_path = (!explicit.is_empty()).then(|| canonical(&file.source.path));
        for (_, values) in explicit
            .iter()
            .filter(|(t, _)| Some(t) == template_path.as_ref())
        {
            for (parameters_name, root) in values {
                if !paired.iter().any(|(p, _)| p == parameters_name)
                    && let Some(values) = root.get("parameters")
                {
                    paired.push((parameters_name.clone(), values));
                }
            }
        }
        if paired.is_empty() {
            let template = arm::read(root, name, None);
            result.resources.extend(template.resources);
            result.units.push(template.unit);
        }
        for (parameters_name, values) in &paired {
            let short = parameters_name
                .rsplit('/')
                .next()
                .unwrap_or(parameters_name);
            let file = arm::ParametersFile {
                name: short,
                parameters: values,
            };
            let template = arm::read(root, name, Some(&file));
            result.resources.extend(template.resources);
            result.units.push(template.unit);
        }
    }
}

/// A path made absolute, for comparing paths given in different ways.
fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| terraform::normalize(path))
}

/// Parameters files given explicitly, parsed (they take file ids after the variable files).
#[allow(clippy::type_complexity)]
fn explicit_parameters(
    options: &ScanOptions,
    first_id: FileId,
    base: &Path,
) -> (
    Vec<(PathBuf, Vec<(String, model::Node)>)>,
    Vec<SourceFile>,
    Vec<InputError>,
) {
    let mut pairs = Vec::new();
    let mut sources = Vec::new();
    let mut errors = Vec::new();
    for (template, parameter_files) in &options.parameter_pairs {
        let mut parsed = Vec::new();
        for path in parameter_files {
            let id = first_id + sources.len();
            let name = source::display_name(path, base);
            let text = read_text(path).unwrap_or_else(|failure| {
                errors.push(InputError {
                    path: name.clone(),
                    span: None,
                    message: failure.message,
                    show_source: false,
                });
                String::new()
            });
            match arm::json::parse(&text, id) {
                Ok(Some(root)) => parsed.push((name.clone(), root)),
                Ok(None) => {}
                Err(error) => errors.push(InputError {
                    path: name.clone(),
                    span: Some(Span::new(id, error.start, error.end)),
                    message: format!("invalid JSON: {}", error.message),
                    show_source: true,
                }),
            }
            sources.push(SourceFile::new(path.clone(), name, text));
        }
        pairs.push((canonical(template), parsed));
    }
    (pairs, sources, errors)
}

/// The configuration file's suppression entries, pointing into the file (added to the sources
/// so diagnostics about them can show it).
fn config_suppressions(
    options: &ScanOptions,
    sources: &mut SourceMap,
    base: &Path,
) -> Vec<suppress::Suppression> {
    let Some(config) = &options.config else {
        return Vec::new();
    };
    let Some(path) = &config.path else {
        return config.suppressions.clone();
    };
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let file = sources.push(SourceFile::new(
        path.clone(),
        source::display_name(path, base),
        text,
    ));
    let Some(source) = sources.get(file) else {
        return Vec::new();
    };
    config
        .suppressions
        .iter()
        .zip(&config.suppression_positions)
        .map(|(suppression, &(line, column))| {
            let start = source.offset(line as usize, column as usize);
            let end = source
                .text
                .get(start..)
                .and_then(|rest| rest.find('\n'))
                .map_or(source.text.len(), |n| start + n);
            suppress::Suppression {
                directive: Span::new(file, start, end),
                ..suppression.clone()
            }
        })
        .collect()
}

/// Applies the inline suppressions of every unit (unless switched off).
fn apply_suppressions(
    findings: Vec<Finding>,
    units: &[model::Unit],
    options: &ScanOptions,
    sources: &SourceMap,
    config_suppressions: Vec<suppress::Suppression>,
) -> (Vec<Finding>, Vec<suppress::Suppressed>) {
    let inline = units.iter().filter(|_| options.inline_suppressions);
    let mut seen = std::collections::HashSet::new();
    let mut suppressions: Vec<suppress::Suppression> = inline
        .clone()
        .flat_map(|u| u.suppressions.iter())
        .filter(|s| seen.insert((s.directive, s.rules.clone())))
        .cloned()
        .collect();
    suppressions.extend(config_suppressions);
    let mut seen = std::collections::HashSet::new();
    let problems: Vec<suppress::Problem> = inline
        .flat_map(|u| u.suppression_problems.iter())
        .filter(|p| seen.insert(p.span))
        .cloned()
        .collect();
    let name = |id: FileId| sources.name(id).to_string();
    let (kept, suppressed) = suppress::apply(
        findings,
        &suppressions,
        &problems,
        suppress::Date::today(),
        &name,
    );
    let kept = kept
        .into_iter()
        .filter(|f| !options.ignored_diagnostics.contains(&f.rule.id))
        .collect();
    (kept, suppressed)
}

/// One finding per rule and place: the same finding from several parameters files, module
/// calls, ARM copies or Terraform instances (`count`, `for_each`) is kept once, naming them all.
fn merge_variants(findings: Vec<Finding>) -> Vec<Finding> {
    let mut merged: Vec<(Finding, Option<(String, String)>)> = Vec::with_capacity(findings.len());
    let mut index: HashMap<(&'static str, Span, String), usize> = HashMap::new();
    for finding in findings {
        if finding.variants.is_empty() {
            merged.push((finding, None));
            continue;
        }
        // An instance's finding, as it reads for the resource rather than the instance.
        let generic = match finding.variants.as_slice() {
            [variant] => terraform::instance_generic(variant, &finding.resource, &finding.message),
            _ => None,
        };
        let message = generic
            .as_ref()
            .map_or_else(|| copy_stem_message(&finding), |(m, _)| m.clone());
        let key = (finding.rule.id, finding.primary.span, message);
        match index.get(&key).and_then(|&i| merged.get_mut(i)) {
            Some((existing, _)) => existing.variants.extend(finding.variants),
            None => {
                index.insert(key, merged.len());
                merged.push((finding, generic));
            }
        }
    }
    let mut out = Vec::with_capacity(merged.len());
    for (mut finding, generic) in merged {
        if let Some((message, resource)) = generic {
            // One instance only: it reads as it is.
            if finding.variants.len() > 1 {
                finding
                    .notes
                    .push(terraform::instances_note(&finding.variants));
                finding.message = message;
                finding.resource = resource;
            }
            out.push(finding);
            continue;
        }
        finding.variants.sort();
        finding.variants.dedup();
        if finding.variants.iter().all(|v| v.starts_with("module.")) {
            if finding.variants.len() > 1 {
                let calls = finding.variants.join(", ");
                finding.notes.push(format!("in module calls {calls}"));
            }
            out.push(finding);
            continue;
        }
        describe_arm_variants(&mut finding);
        out.push(finding);
    }
    out
}

/// Notes naming the parameters files and copies an ARM finding was found with.
fn describe_arm_variants(finding: &mut Finding) {
    let mut files = Vec::new();
    let mut copies = Vec::new();
    for variant in &finding.variants {
        let (file, copy) = arm::split_variant(variant);
        files.extend(file);
        copies.extend(copy);
    }
    files.sort_unstable();
    files.dedup();
    copies.sort_by_key(|address| natural_key(address));
    copies.dedup();
    let mut notes = Vec::new();
    if !files.is_empty() {
        let noun = if files.len() == 1 { "file" } else { "files" };
        notes.push(format!("with parameters {noun} {}", files.join(", ")));
    }
    if copies.len() > 1 {
        finding.message = copy_stem_message(finding);
        finding.resource = arm::copy_stem(&finding.resource);
        notes.push(format!("in copies {}", copies.join(", ")));
    }
    finding.notes.extend(notes);
}

/// A finding's message with its copy instance's address (`acr[1]`) as its loop's (`acr`), so
/// that the same finding in every instance merges.
fn copy_stem_message(finding: &Finding) -> String {
    let copied = finding
        .variants
        .iter()
        .any(|v| arm::split_variant(v).1.is_some());
    if copied {
        let stem = arm::copy_stem(&finding.resource);
        finding.message.replace(&finding.resource, &stem)
    } else {
        finding.message.clone()
    }
}

/// Sorts `acr[2]` before `acr[10]`.
fn natural_key(text: &str) -> Vec<(String, u64)> {
    let mut key = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let letters = rest.len() - rest.trim_start_matches(|c: char| !c.is_ascii_digit()).len();
        let (word, tail) = rest.split_at(letters);
        let digits = tail.len() - tail.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let (number, tail) = tail.split_at(digits);
        key.push((word.to_string(), number.parse().unwrap_or(u64::MAX)));
        rest = tail;
    }
    key
}

/// Adds a file's unit facts; the files of one Terraform module share a unit.
fn merge_unit(units: &mut Vec<model::Unit>, index: &mut HashMap<String, usize>, unit: model::Unit) {
    match index.get(&unit.id).and_then(|&i| units.get_mut(i)) {
        Some(existing) => {
            existing.outputs.extend(unit.outputs);
            existing.inputs.extend(unit.inputs);
            existing.suppressions.extend(unit.suppressions);
            existing
                .suppression_problems
                .extend(unit.suppression_problems);
            existing.input_links.extend(unit.input_links);
            existing.handoffs.extend(unit.handoffs);
            existing.caller = existing.caller.take().or(unit.caller);
        }
        None => {
            index.insert(unit.id.clone(), units.len());
            units.push(unit);
        }
    }
}

fn load(
    id: FileId,
    path: &Path,
    candidate: Candidate,
    overlay: Option<&str>,
    base: &Path,
) -> FileResult {
    let name = source::display_name(path, base);
    let text = match overlay.map_or_else(|| read_text(path), |text| Ok(text.to_string())) {
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
                arm: None,
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
        arm: None,
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
            arm::JsonKind::Template => result.arm = Some(ArmDocument::Template(root)),
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
                result.arm = Some(ArmDocument::Parameters(root));
            }
            arm::JsonKind::Plan => result.arm = Some(ArmDocument::Plan(root)),
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
/// `,` `[` `{` `=` `:`. HCL files are also refused above [`MAX_HCL_WORDS`] whitespace-separated
/// words, which bounds what separators miss: unquoted block labels (`a b c {}`).
fn too_many_values(text: &str, candidate: Candidate) -> Option<String> {
    if candidate == Candidate::Json && !arm::may_be_arm(text) {
        return None;
    }
    let bytes = text.as_bytes();
    let count = memchr::memchr3_iter(b',', b'[', b'{', bytes).count()
        + memchr::memchr2_iter(b'=', b':', bytes).count();
    if count > MAX_FILE_VALUES {
        return Some(format!(
            "file holds more than {MAX_FILE_VALUES} values (counted by their separators); \
             files that large are not read"
        ));
    }
    let hcl = matches!(candidate, Candidate::Terraform | Candidate::TfVars);
    (hcl && word_count(bytes) > MAX_HCL_WORDS).then(|| {
        format!(
            "file holds more than {MAX_HCL_WORDS} words (separated by whitespace); \
             files that large are not read"
        )
    })
}

fn word_count(bytes: &[u8]) -> usize {
    let starts = bytes
        .windows(2)
        .filter(
            |pair| matches!(pair, [a, b] if a.is_ascii_whitespace() && !b.is_ascii_whitespace()),
        )
        .count();
    starts + usize::from(bytes.first().is_some_and(|b| !b.is_ascii_whitespace()))
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
