//! The scan driver: runs the stages in order. Discovery classifies files, the read stage parses
//! them, each front end turns the documents of a directory into model units (directories in
//! parallel), then the model is linked, rules run, variants merge, and suppressions and the
//! baseline apply. A new input format is a folder and one line in [`read_directory`].

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicUsize;
use std::time::Instant;

use rayon::prelude::*;

use crate::discover::{self, Candidate};
use crate::findings::Scan;
use crate::model::{self, FrontEndOutput, InputError, JsonDocument, Node, Resource, Unit, Value};
use crate::read::{self, Document, ReadFile};
use crate::rules::{self, Finding, Rule};
use crate::source::{self, FileId, SourceFile, SourceMap, Span};
use crate::terraform::VarValue;
use crate::{arm, baseline, bicep, config, suppress, terraform, variants};

mod settle;

use settle::{Settle, SettledParts, settle_module, settle_part, settles_where_read};

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
    /// Globs of files not to scan (relative to the configuration file's directory, or without
    /// one, the working directory).
    pub exclude: Vec<String>,
    /// Whether directories are listed without what ignore files name (`--no-ignore`).
    pub ignore_files: discover::IgnoreFiles,
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
    /// The process exits once this scan is reported: the model is left for the exit to
    /// reclaim instead of being freed piece by piece.
    pub exit_after: bool,
    /// Run the rules on each template that nothing else in the scan can reach, and on each
    /// Terraform module that calls none, as soon as it is read, and keep its results instead
    /// of its model. The results are the same either way; off, every model is held until the
    /// rules run on all of them.
    pub rules_where_read: bool,
    /// The report shows where not-applicable results are (the JSON report lists them). When it
    /// does not, a file that only such results point into has its text freed once it is
    /// checked where read.
    pub not_applicable_shown: bool,
    /// The report lists or counts the not-applicable results; when none does, they are not
    /// recorded.
    pub not_applicable_counted: bool,
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
            ignore_files: discover::IgnoreFiles::Honoured,
            var_files: Vec::new(),
            var_values: Vec::new(),
            levels: Vec::new(),
            config: None,
            baseline: None,
            parameter_pairs: Vec::new(),
            overlays: HashMap::new(),
            exit_after: false,
            rules_where_read: true,
            not_applicable_shown: true,
            not_applicable_counted: true,
        }
    }
}

/// Discovers, reads and checks everything below `options.paths`: discovery, the read stage and
/// the front ends (per directory, in parallel), then linking, rules, variants, suppressions and
/// the baseline.
pub fn scan(options: &ScanOptions) -> Scan {
    let started = Instant::now();
    let base = std::env::current_dir().unwrap_or_default();
    let overlays: HashMap<PathBuf, &str> = options
        .overlays
        .iter()
        .map(|(path, text)| (source::normalize(path), text.as_str()))
        .collect();
    let open = |path: &Path| {
        let given = options.overlays.get(path).map(String::as_str);
        given.or_else(|| overlays.get(path).copied())
    };
    let paths = discover::seen_from_above(&options.paths, &base);
    let explicit_templates = templates_of_given_parameters(&options.parameter_pairs, &paths);
    let config_directory = options.config.as_ref().and_then(config::Config::directory);
    let glob_base = source::GlobBase::new(config_directory, &base);
    let left_out = discover::LeftOut {
        exclude: &options.exclude,
        glob_base: &glob_base,
        ignore_files: options.ignore_files,
    };
    let discovered = discover::files(&paths, &explicit_templates, &open, left_out, &base);
    let files = &discovered.files;
    // A `--var-file` may lie outside the scanned paths: its project is looked for within its
    // own repository.
    let applied_by_azd = |path: &Path| {
        let roots = readable_roots(&[path.to_path_buf()]);
        terraform::applied_by_azd(path, &roots)
    };
    let (outside, var_sources, var_errors) = terraform::outside_values(
        &options.var_files,
        &options.var_values,
        (files.len(), &base),
        &applied_by_azd,
    );
    let linked = discovered
        .links
        .iter()
        .map(|(template, parameters)| (template.clone(), vec![parameters.clone()]));
    let mut pairs: Vec<(PathBuf, Vec<PathBuf>)> = options
        .parameter_pairs
        .iter()
        .cloned()
        .chain(linked)
        .collect();
    let first_parameters_id = files.len() + options.var_files.len();
    // The parameters files read only as context come last; their findings are not reported.
    let first_context_id = first_parameters_id + pairs.iter().map(|(_, f)| f.len()).sum::<usize>();
    pairs.extend(
        discovered
            .context_links
            .iter()
            .map(|(template, parameters)| (template.clone(), vec![parameters.clone()])),
    );
    let context_parameters = first_context_id..first_context_id + discovered.context_links.len();
    let (explicit, parameter_sources, parameter_errors) =
        arm::explicit_parameters(&pairs, first_parameters_id, &base, &open);
    let known_paths: Vec<&Path> = files.iter().map(|(path, _)| path.as_path()).collect();
    let next_id = std::sync::Arc::new(AtomicUsize::new(
        files.len() + var_sources.len() + parameter_sources.len(),
    ));
    let mut roots = readable_roots(&paths);
    roots.extend(discovered.data_roots.iter().cloned());
    roots.sort_unstable();
    roots.dedup();
    let roots: std::sync::Arc<[PathBuf]> = roots.into();
    let context = terraform::ModuleContext {
        base: &base,
        outside: &outside,
        known_files: source::KnownFiles::new(&known_paths),
        next_id: std::sync::Arc::clone(&next_id),
        overlays: &overlays,
        roots: std::sync::Arc::clone(&roots),
        shared: std::sync::Arc::new(terraform::SharedReads::with_overlays(
            overlays
                .iter()
                .map(|(path, text)| (path.clone(), (*text).to_string()))
                .collect(),
        )),
    };
    let bicep_home = bicep_home();
    let bicep_context = bicep::Context {
        base: &base,
        known_files: source::KnownFiles::new(&known_paths),
        next_id: &next_id,
        overlays: &overlays,
        explicit: &explicit,
        roots: &roots,
        bicep_home: bicep_home.as_deref(),
    };
    let given_or_module = |file: FileId| discovered.reported.get(file).copied().unwrap_or(true);
    let given_by_name: HashSet<PathBuf> = discover::files_given_by_name(&paths).collect();
    let given_bicepparam = given_bicepparam_files(files, &given_by_name);
    let rule_options = rules::RuleOptions {
        not_applicable_unused: !options.not_applicable_counted,
        ..options.rule_options.clone()
    };
    let settles = settles_where_read(options.rules_where_read, &overlays, &pairs, files);
    let settle = settles.then_some(Settle {
        rules: &options.rules,
        options: &rule_options,
        not_applicable_shown: options.not_applicable_shown,
    });
    let readers = Readers {
        reported: &given_or_module,
        reads_as_context: &given_bicepparam,
        settle,
    };
    let loaded: Vec<DirectoryResult> = discover::by_directory(files)
        .par_iter()
        .map(|group| read_directory(group, &context, &bicep_context, &readers))
        .collect();

    // The files read take the first ids, in the order discovery gave them.
    let mut sources = SourceMap::default();
    let mut errors = discovered.errors;
    let mut files_scanned = 0;
    let mut model = FrontEndOutput::default();
    // Each directory's resources stay in their list: joining them would copy every one.
    let mut resources: Vec<Vec<Resource>> = Vec::with_capacity(loaded.len() + 1);
    model
        .units
        .reserve(loaded.iter().map(|d| d.output.units.len()).sum());
    let mut module_sources = Vec::new();
    let mut calls = terraform::ModuleCalls::default();
    let mut file_errors = Vec::new();
    let mut file_json_offsets = Vec::new();
    let mut bicep_modules = HashSet::new();
    let mut bicep_deployed_elsewhere = HashSet::new();
    let mut json_offsets = Vec::new();
    let mut read_as_modules = HashSet::new();
    let mut content = Vec::new();
    let mut data = DataFiles::new(&discovered.data_files);
    let mut parameters_files = Vec::new();
    let mut variable_files = Vec::new();
    let mut settled = Vec::with_capacity(loaded.iter().map(|d| d.settled.len()).sum());
    for directory in loaded {
        data.take_note(&directory.module_sources, directory.reports_any);
        data.context.extend(directory.context_sources);
        content.extend(directory.content);
        json_offsets.extend(directory.json_offsets);
        bicep_modules.extend(directory.bicep_called.iter().cloned());
        bicep_deployed_elsewhere.extend(directory.bicep_read_with_parameters);
        let callees = directory.calls.1.iter();
        let callees: Vec<String> = callees.map(|d| source::display_name(d, &base)).collect();
        read_as_modules.extend(callees.iter().cloned());
        calls.record(directory.calls.0, callees);
        let mut output = directory.output;
        let list = resources.len();
        settled.extend(
            directory
                .settled
                .into_iter()
                .map(|(at, part)| (list, at, part)),
        );
        resources.push(std::mem::take(&mut output.resources));
        model.extend(output);
        module_sources.extend(directory.module_sources);
        sources.append(directory.files.sources);
        file_errors.extend(directory.files.errors);
        file_json_offsets.extend(directory.files.json_offsets);
        files_scanned += directory.files.scanned;
        parameters_files.extend(directory.files.parameters);
        variable_files.extend(directory.files.variable_files);
    }
    let unpaired = parameters_files_unpaired(
        &parameters_files,
        &given_by_name,
        &sources,
        (&model.parameters_read, &explicit),
    );
    let unapplied = variable_files_unapplied(
        &variable_files,
        &given_by_name,
        &sources,
        (&outside.var_file_paths, &roots),
    );
    let given_unused = [
        discover::skipped_notice(
            &unpaired.given,
            UNPAIRED_PARAMETERS_FILE,
            "that are parameters files no template is read with",
        ),
        discover::skipped_notice(
            &unapplied.given,
            UNAPPLIED_VARIABLE_FILE,
            "that are variable files Terraform applies only with `-var-file`",
        ),
    ];
    let reported_through_callers = calls.reported_through_callers();
    // A Bicep file used as a module is reported through its callers.
    let called_bicep: HashSet<String> = bicep_modules
        .iter()
        .map(|path: &PathBuf| source::display_name(path, &base))
        .collect();
    // Read with a parameters file given for it explicitly, it is deployed on its own too.
    let explicit_units = explicit_units(&pairs, &base);
    let bicep_module = |unit: &str| {
        !called_bicep.is_empty()
            && !explicit_units.contains(unit)
            && model::unit_names(unit).any(|name| called_bicep.contains(name))
    };
    // A template a `.bicepparam` file in another directory is read with is deployed with its
    // values, not also with its defaults, as one with a `.bicepparam` file beside it.
    let read_with_parameters: HashSet<String> = bicep_deployed_elsewhere
        .iter()
        .map(|path: &PathBuf| source::display_name(path, &base))
        .collect();
    let read_elsewhere = |unit: &str| bicep_module(unit) || read_with_parameters.contains(unit);
    let reported_here = |unit: &str| !reported_through_callers(unit) && !read_elsewhere(unit);
    let mut settled = SettledParts::place(settled, &resources, &reported_here);
    for list in &mut resources {
        list.retain(|r| reported_here(&r.unit));
    }
    model.units.retain(|u| reported_here(&u.id));
    let mut units = merge_units(model.units);
    let mut secrets_of_files = std::mem::take(&mut model.secrets);
    secrets_of_files.extend(settled.take_secrets());
    errors.extend(model.errors);
    let mut notices = model.notices;
    notices.extend(given_unused.into_iter().flatten());
    let mut unnamed_registry_modules = 0;
    let mut unnamed_unpaired_parameters_files = 0;
    let mut unnamed_unapplied_variable_files = 0;
    if options.show_unknown {
        notices.append(&mut model.undecided_notices);
        let skipped = |why: &str, names: &[String]| {
            let notices = names
                .iter()
                .map(|name| discover::skipped_file_notice(name, why));
            notices.collect::<Vec<_>>()
        };
        notices.extend(skipped(UNPAIRED_PARAMETERS_FILE, &unpaired.in_directories));
        notices.extend(skipped(UNAPPLIED_VARIABLE_FILE, &unapplied.in_directories));
    } else {
        unnamed_unpaired_parameters_files = unpaired.in_directories.len();
        unnamed_unapplied_variable_files = unapplied.in_directories.len();
        model.undecided_notices.sort_unstable();
        model.undecided_notices.dedup();
        unnamed_registry_modules = model.undecided_notices.len();
    }
    // A link out of the tree that a module call names is read as that module: no notice.
    let module_link = |notice: &&String| {
        read_as_modules
            .iter()
            .any(|m: &String| notice.starts_with(&format!("{m}: skipped: symbolic link")))
    };
    notices.extend(
        discovered
            .notices
            .iter()
            .filter(|n| !module_link(n))
            .cloned(),
    );
    notices.sort();
    notices.dedup();
    json_offsets.append(&mut file_json_offsets);
    errors.append(&mut file_errors);
    sources.append(var_sources);
    sources.append(parameter_sources);
    errors.extend(parameter_errors);
    module_sources.sort_by_key(|(id, _)| *id);
    let loaded_ids: Vec<FileId> = module_sources.iter().map(|(id, _)| *id).collect();
    for (_, source) in module_sources {
        sources.push(source);
    }
    let reported = |file: FileId| match discovered.reported.get(file) {
        Some(given) => *given,
        None => !data.context.contains(&file) && !context_parameters.contains(&file),
    };
    // A Bicep template given by name deploys what its modules declare, beside it or elsewhere:
    // those resources are its own, as those of a Terraform module's calls are.
    let given_templates = given_bicep_templates(&discovered.files, &discovered.reported, &base);
    let reported_unit = |unit: &str| {
        !given_templates.is_empty()
            && model::unit_names(unit).any(|name| given_templates.contains(name))
    };
    let copies = FileCopies::of(&loaded_ids, &sources, &reported);
    for (id, text) in content {
        if sources.keep_text(id, text) && reported(id) {
            files_scanned += 1;
        }
    }
    files_scanned += data.read.len();
    notices.extend(data.unread_notice(&base));
    notices.sort();
    errors.extend(var_errors);
    name_the_files_errors_point_into(&mut errors, &sources);

    let registries =
        distinct_registry_declarations(resources.iter().flatten()) + settled.registries();
    let repeated_declarations = settled.repeated_declarations();
    let implied = model::graph::implied_registries(resources.iter().flatten());
    resources.push(implied);
    if !outside.directives.is_empty() {
        // The `--var-file` files belong to no module: their comments stand on their own.
        units.push(Unit {
            id: "--var-file".into(),
            directives: outside.directives.clone(),
            ..Unit::default()
        });
    }
    let json_syntax = JsonSyntaxFiles::of(&json_offsets);
    move_directives_to_json_syntax(&json_syntax, &mut units);
    // Secret values are looked for on one core while the other links and runs the rules.
    let (mut secrets, (graph, outcomes)) = rayon::join(
        || secret_spans(secrets_of_files, &resources),
        || {
            let graph_units = settled.units_apart(&units);
            let mut graph = model::graph::link(resources.iter().flatten(), &graph_units);
            // Only findings that point into a reported file, or are about a resource declared
            // in one, are kept (below): a registry none of whose spans is there has none.
            let kept: Vec<bool> = graph
                .registries
                .iter()
                .map(|view| view.touches(&reported) || reported_unit(&view.registry.unit))
                .collect();
            let mut kept_in_order = kept.iter();
            graph
                .registries
                .retain(|_| kept_in_order.next().copied().unwrap_or(true));
            let parts = settled.into_placed(&kept);
            let outcomes = rules::run(&graph, &options.rules, &rule_options, parts);
            (graph, outcomes)
        },
    );
    let mut findings = outcomes.findings;
    let mut unknown = outcomes.unknown;
    let mut not_applicable = outcomes.not_applicable;
    copies.unify(&mut findings, [&mut unknown, &mut not_applicable]);
    let mut findings = variants::merge_variants(findings);
    if repeated_declarations || repeats_a_declaration(resources.iter().flatten()) {
        variants::merge_undecided(&mut unknown);
        variants::merge_undecided(&mut not_applicable);
    }
    // A finding is in a given file when it points there or is about a resource declared there
    // (a bad variable default in a sibling file, used by a registry in the given file).
    let in_reported_file = |f: &Finding| {
        reported(f.primary.span.file) || f.resource_decl.is_some_and(|d| reported(d.file))
    };
    findings.retain(|f| in_reported_file(f) || reported_unit(&f.unit));
    unknown.retain(|u| reported(u.span.file) || reported_unit(&u.unit));
    not_applicable.retain(|u| reported(u.span.file) || reported_unit(&u.unit));
    if options.show_unknown {
        findings.extend(unknown.iter().map(|u| Box::new(rules::could_not_verify(u))));
    }
    for finding in &mut findings {
        if let Some((_, level)) = options.levels.iter().find(|(id, _)| *id == finding.rule.id) {
            finding.level = *level;
        }
    }
    move_to_json_syntax(
        &json_syntax,
        &mut findings,
        [&mut unknown, &mut not_applicable],
        &mut secrets,
    );
    // Given only files by name (as pre-commit and editors give them), the scan reports in
    // those files alone, not in the configuration.
    let scans_a_directory = paths.iter().any(|path| path.is_dir());
    let config_file = options.config.as_ref().and_then(|c| c.path.as_deref());
    let config_file = config_file.map(|_| (sources.len(), scans_a_directory));
    let config_suppressions = options
        .config
        .as_ref()
        .map(|config| config.suppressions_in(&mut sources, &base))
        .unwrap_or_default();
    let rules_run: Vec<&'static str> = options.rules.iter().map(|rule| rule.meta().id).collect();
    let paths_scanned: Vec<String> = paths.iter().filter_map(|p| glob_base.name(p)).collect();
    let suppression_options = suppress::Options {
        inline: options.inline_suppressions,
        paths_scanned: &paths_scanned,
        configuration_directory_scanned: scans_the_configuration_directory(
            &paths,
            options.config.as_ref(),
            &base,
        ),
        ignored_diagnostics: &options.ignored_diagnostics,
        rules_run: &rules_run,
    };
    let (findings, mut suppressed) = suppress::apply_to_scan(
        findings,
        &units,
        &suppression_options,
        (&sources, &glob_base),
        config_suppressions,
    );
    // What the suppressions say of themselves is reported where the scan reports: in the files
    // it reports on, and in the configuration file unless only files were given.
    let mut findings = findings;
    findings.retain(|f| match config_file {
        Some((id, in_scan)) if f.primary.span.file == id => in_scan,
        _ => in_reported_file(f) || reported_unit(&f.unit),
    });
    let (mut findings, stale_baseline_entries) = match &options.baseline {
        Some(accepted) => {
            let (kept, baselined, stale) = baseline::apply(findings, accepted, &sources);
            suppressed.extend(baselined);
            (kept, stale)
        }
        None => (findings, 0),
    };
    let reported_findings = findings.iter_mut();
    help_in_the_syntax_pointed_at(
        reported_findings
            .chain(suppressed.iter_mut().map(|s| &mut s.finding))
            .map(|finding| &mut **finding),
        &sources,
    );
    let ranks = NameRanks::of(&sources);
    findings.sort_by_cached_key(|f| {
        (
            ranks.of_file(f.primary.span.file),
            f.primary.span.start,
            f.rule.id,
        )
    });
    variants::drop_repeated(&mut findings);
    // A text freed where its directory was checked that the reports show after all (a called
    // module's, where its caller's findings point) is read again.
    let shown_undecided = unknown.iter().chain(
        not_applicable
            .iter()
            .filter(|_| options.not_applicable_shown),
    );
    let places = findings
        .iter()
        .chain(suppressed.iter().map(|s| &s.finding))
        .flat_map(|finding| finding.places())
        .chain(shown_undecided.map(|u| u.span))
        .chain(secrets.iter().copied())
        .chain(errors.iter().filter_map(|e| e.span));
    notices.extend(sources.restore_texts(places.map(|span| span.file)));
    let mut scan = Scan {
        sources,
        secrets,
        findings,
        suppressed,
        stale_baseline_entries,
        notices,
        unnamed_registry_modules,
        unnamed_unpaired_parameters_files,
        unnamed_unapplied_variable_files,
        fail_on: Some(rules::Level::Error),
        not_applicable,
        unknown,
        errors,
        files_scanned,
        files_excluded: discovered.excluded,
        files_ignored: discovered.ignored,
        registries,
        elapsed: started.elapsed(),
        rules: options
            .rules
            .iter()
            .map(|r| r.meta())
            .chain(rules::tool::ALL.iter().copied())
            .collect(),
    };
    if options.exit_after {
        std::mem::forget(graph);
        std::mem::forget((resources, units));
    } else {
        drop(graph);
        // The model is freed while the report is written (it took 90 ms on one thread at the
        // end of a 40,000-file scan).
        rayon::spawn(move || drop((resources, units)));
    }
    crate::report::mask_messages(&mut scan);
    scan
}

/// Each file's place in the order of the files' names, so that sorting by name compares numbers:
/// files of the same name share a place, and an unknown file sits where its name would.
struct NameRanks {
    ranks: Vec<usize>,
    unknown: usize,
}

impl NameRanks {
    fn of(sources: &SourceMap) -> NameRanks {
        let names: Vec<&str> = sources.iter().map(|f| f.name.as_str()).collect();
        let name = |id: FileId| names.get(id).copied().unwrap_or("");
        let mut order: Vec<FileId> = (0..names.len()).collect();
        order.par_sort_by(|&a, &b| name(a).cmp(name(b)));
        let mut ranks = vec![0; names.len()];
        // Names get even places from 2; the name of an unknown file, when no file has it, the
        // odd place just after the last name before it.
        let unknown_name = sources.name(usize::MAX);
        let mut unknown = 1;
        let mut place = 0;
        let mut previous = None;
        for &id in &order {
            if previous != Some(name(id)) {
                place += 2;
                previous = Some(name(id));
            }
            if let Some(rank) = ranks.get_mut(id) {
                *rank = place;
            }
            match name(id).cmp(unknown_name) {
                std::cmp::Ordering::Less => unknown = place + 1,
                std::cmp::Ordering::Equal => unknown = place,
                std::cmp::Ordering::Greater => {}
            }
        }
        NameRanks { ranks, unknown }
    }

    fn of_file(&self, file: FileId) -> usize {
        self.ranks.get(file).copied().unwrap_or(self.unknown)
    }
}

/// How many registry declarations the scan defines (one declaration may be evaluated several
/// times, once per parameters file).
fn distinct_registry_declarations<'r>(resources: impl Iterator<Item = &'r Resource>) -> usize {
    let mut declarations: Vec<Span> = resources
        .filter(|r| r.is_registry() && !r.existing)
        .map(|r| r.decl)
        .collect();
    declarations.sort_unstable();
    declarations.dedup();
    declarations.len()
}

/// Whether two resources share a declaration (the instances of a copy loop or `count`).
fn repeats_a_declaration<'r>(resources: impl Iterator<Item = &'r Resource>) -> bool {
    let mut declared: Vec<Span> = resources.map(|r| r.decl).collect();
    declared.sort_unstable();
    declared
        .windows(2)
        .any(|pair| matches!(pair, [a, b] if a == b))
}

/// A Bicep or ARM fix is given in the syntax of the text the finding points at: a finding on a
/// Bicep resource that points into JSON (a `.json` module, a parameters file) gets the ARM JSON
/// text, and a malformed suppression in a Bicep file the Bicep comment form. (Terraform's fixes
/// stay: a Terraform plan is JSON too.)
fn help_in_the_syntax_pointed_at<'f>(
    findings: impl Iterator<Item = &'f mut Finding>,
    sources: &SourceMap,
) {
    for finding in findings {
        let rule = finding.rule;
        let tool = rules::tool::ALL.iter().any(|t| std::ptr::eq(*t, rule));
        if !(tool || finding.help == rule.fix_arm || finding.help == rule.fix_bicep) {
            continue;
        }
        let Some(file) = sources.get(finding.primary.span.file) else {
            continue;
        };
        match discover::syntax_of(&file.path) {
            model::Format::Terraform => {}
            syntax => finding.help = rule.fix(syntax),
        }
    }
}

/// Where resources' sensitive values are written: values a plan marks sensitive (made unknown
/// when read, keeping their span), found in a walk that reuses its stack from one resource to
/// the next.
struct SecretWalk<'r> {
    spans: Vec<Span>,
    pending: Vec<&'r Node>,
    sensitive: memchr::memmem::Finder<'static>,
}

impl<'r> SecretWalk<'r> {
    fn new() -> Self {
        SecretWalk {
            spans: Vec::new(),
            pending: Vec::new(),
            sensitive: memchr::memmem::Finder::new("is sensitive"),
        }
    }

    fn add(mut self, resource: &'r Resource) -> Self {
        // Only Terraform's evaluation (sensitive variables, a plan's sensitive values) makes
        // sensitive values unknown; ARM and Bicep mark theirs by parameter type, in the files.
        if resource.format != model::Format::Terraform {
            return self;
        }
        self.pending.push(&resource.body);
        while let Some(node) = self.pending.pop() {
            match &node.value {
                Value::Unknown(reason) if self.sensitive.find(reason.as_bytes()).is_some() => {
                    self.spans.push(node.span);
                }
                Value::Array(items) => self.pending.extend(items),
                Value::Object(members) => self.pending.extend(members.iter().map(|(_, v)| v)),
                _ => {}
            }
        }
        self
    }
}

/// What one directory contributed: its files as read, and what the front ends made of them.
struct DirectoryResult {
    files: FilesRead,
    /// Whether any of the directory's files is reported (not read only as context).
    reports_any: bool,
    output: FrontEndOutput,
    module_sources: Vec<(FileId, SourceFile)>,
    calls: (String, Vec<PathBuf>),
    /// Where module files in Terraform JSON syntax read outside the scanned paths were read.
    json_offsets: Vec<(FileId, terraform::json_syntax::OffsetMap)>,
    /// Bicep files used as modules by this directory's Bicep files.
    bicep_called: Vec<PathBuf>,
    /// Templates elsewhere read with a `.bicepparam` file of the directory.
    bicep_read_with_parameters: Vec<PathBuf>,
    /// Files of the scan its front ends read as data, with their text.
    content: Vec<(FileId, String)>,
    /// Templates and the Terraform module the rules ran on where they were read, by their
    /// resources' place in `output.resources`.
    settled: Vec<(usize, Box<settle::Settled>)>,
    /// The files read besides the directory's only for its files that are not reported (a
    /// Bicep module of a template read as context for a parameters file given alone).
    context_sources: Vec<FileId>,
}

/// The YAML and JSON data files given by name (see [`discover::Discovered::data_files`]), and
/// what the Terraform configurations read as context for them made of them.
struct DataFiles<'a> {
    given: &'a [PathBuf],
    canonical: Vec<PathBuf>,
    /// The given files read, by their place in `given`.
    read: HashSet<usize>,
    /// The files that directories read only as context added to the scan, other than the given
    /// data files: their findings are not reported.
    context: HashSet<FileId>,
}

impl<'a> DataFiles<'a> {
    fn new(given: &'a [PathBuf]) -> Self {
        let canonical = given
            .iter()
            .map(|path| {
                source::normalize_for_access(path)
                    .canonicalize()
                    .unwrap_or_default()
            })
            .collect();
        DataFiles {
            given,
            canonical,
            read: HashSet::new(),
            context: HashSet::new(),
        }
    }

    /// Takes note of the files a directory added to the scan, and whether it is read only as
    /// context (`reports` false).
    fn take_note(&mut self, added: &[(FileId, SourceFile)], reports: bool) {
        if self.given.is_empty() && reports {
            return;
        }
        for (id, file) in added {
            let canonical = source::normalize_for_access(&file.path).canonicalize();
            let given = canonical
                .ok()
                .and_then(|c| self.canonical.iter().position(|g| *g == c));
            match given {
                Some(position) => {
                    self.read.insert(position);
                }
                None if !reports => {
                    self.context.insert(*id);
                }
                None => {}
            }
        }
    }

    /// A note on the given data files no Terraform configuration read: one line, however many.
    fn unread_notice(&self, base: &Path) -> Option<String> {
        let unread = self.given.iter().enumerate();
        // A JSON file may be a template or data Bicep loads: only YAML is said to be unread.
        let unread: Vec<String> = unread
            .filter(|(position, path)| {
                !self.read.contains(position) && discover::is_data_file(path)
            })
            .map(|(_, path)| source::display_name(path, base))
            .collect();
        discover::skipped_notice(
            &unread,
            "no Terraform configuration in its directory or above reads it",
            "that no Terraform configuration in their directory or above reads",
        )
    }
}

/// What became of a directory's files once read: what the scan keeps of them.
struct FilesRead {
    sources: Vec<SourceFile>,
    /// The errors of the files reported.
    errors: Vec<InputError>,
    /// Where the offsets of each Terraform JSON file's native text lie in the file.
    json_offsets: Vec<(FileId, terraform::json_syntax::OffsetMap)>,
    /// How many of the files reported were read by a front end without an error.
    scanned: usize,
    /// The reported files read as ARM parameters files.
    parameters: Vec<FileId>,
    /// The reported Terraform variable files that Terraform applies only when given with
    /// `-var-file` (`prod.tfvars`, not `terraform.tfvars`).
    variable_files: Vec<FileId>,
}

impl FilesRead {
    /// `files`, read from `group`, once the front ends are done with their documents.
    fn of(
        files: Vec<ReadFile>,
        group: &[(FileId, &Path, Candidate)],
        reported: &(dyn Fn(FileId) -> bool + Sync),
    ) -> Self {
        let mut read = FilesRead {
            sources: Vec::with_capacity(files.len()),
            errors: Vec::new(),
            json_offsets: Vec::new(),
            scanned: 0,
            parameters: Vec::new(),
            variable_files: Vec::new(),
        };
        for (file, &(id, path, candidate)) in files.into_iter().zip(group) {
            if let Some(offsets) = file.json_offsets {
                read.json_offsets.push((id, offsets));
            }
            read.scanned += usize::from(file.scanned && file.error.is_none() && reported(id));
            let parameters = matches!(file.document, Some(Document::ArmParameters(_)));
            if parameters && file.error.is_none() && reported(id) {
                read.parameters.push(id);
            }
            if applied_only_when_given(path, candidate) && file.error.is_none() && reported(id) {
                read.variable_files.push(id);
            }
            if let Some((span, message)) = file.error.filter(|_| reported(id)) {
                read.errors.push(InputError {
                    path: file.source.name.clone(),
                    span,
                    message,
                    show_source: file.scanned,
                });
            }
            read.sources.push(file.source);
        }
        read
    }
}

/// Whether a file is a Terraform variable file that Terraform applies only when given with
/// `-var-file`.
fn applied_only_when_given(path: &Path, candidate: Candidate) -> bool {
    let name = || {
        path.file_name()
            .and_then(|name| name.to_str())
            .unwrap_or("")
    };
    matches!(candidate, Candidate::TfVars | Candidate::TfVarsJson)
        && !terraform::applied_by_itself(name())
}

/// A template read as soon as it was parsed, and its results when the rules ran on it there.
type ReadTemplate = (FrontEndOutput, Option<Box<settle::Settled>>);

/// Reads a directory's files in parallel, then hands each front end the documents it takes,
/// so that a directory's syntax trees live only while its front ends read them. Where every
/// template of the directory stands alone, each is read as soon as it is parsed, and its tree
/// freed there.
fn read_directory(
    group: &[(FileId, &Path, Candidate)],
    context: &terraform::ModuleContext<'_>,
    bicep_context: &bicep::Context<'_>,
    readers: &Readers<'_>,
) -> DirectoryResult {
    let reported = readers.reported;
    let alone = templates_stand_alone(group, bicep_context.explicit);
    let (mut files, templates_read): (Vec<ReadFile>, Vec<Option<ReadTemplate>>) = group
        .par_iter()
        .map(|(id, path, candidate)| {
            let overlay = context.overlays.get(*path).copied();
            let mut file = read::read(*id, path, *candidate, overlay, context.base);
            if explicitly_given(&file, bicep_context.explicit) {
                file.error = None;
            }
            let read_now = |d: &mut Document| alone && matches!(d, Document::ArmTemplate(_));
            let output = match file.document.take_if(read_now) {
                Some(Document::ArmTemplate(root)) => {
                    let output = read_template(&file.source, &root);
                    drop(root);
                    Some(match &readers.settle {
                        Some(settle) => settle_part(output, settle, readers.reported),
                        None => (output, None),
                    })
                }
                _ => None,
            };
            (file, output)
        })
        .unzip();
    let terraform_files: Vec<terraform::TerraformFile> = files
        .iter_mut()
        .filter_map(
            |f| match f.document.take_if(|d| matches!(d, Document::Terraform(_))) {
                Some(Document::Terraform(file)) => Some(file),
                _ => None,
            },
        )
        .collect();
    let of_kind = |wanted: fn(&Document) -> Option<&Node>| -> Vec<JsonDocument<'_>> {
        let documents = files
            .iter()
            .filter_map(|f| Some((&f.source, f.document.as_ref()?)));
        let wanted = documents.filter_map(|(source, d)| Some((source, wanted(d)?)));
        wanted
            .map(|(source, root)| JsonDocument { source, root })
            .collect()
    };
    let plans = of_kind(|d| match d {
        Document::TerraformPlan(root) => Some(root),
        _ => None,
    });
    let bicep_files: Vec<bicep::BicepDocument<'_>> = files
        .iter()
        .zip(group)
        .filter_map(|(file, (id, _, _))| match file.document.as_ref()? {
            Document::Bicep(bicep) => Some(bicep::BicepDocument {
                id: *id,
                source: &file.source,
                parsed: &bicep.parsed,
                parameters: bicep.parameters,
            }),
            _ => None,
        })
        .collect();
    // A template compiled from a Bicep file of the directory is read through that file.
    let (compiled, templates): (Vec<JsonDocument<'_>>, Vec<JsonDocument<'_>>) =
        of_kind(|d| match d {
            Document::ArmTemplate(root) => Some(root),
            _ => None,
        })
        .into_iter()
        .partition(|t| {
            bicep::is_compiled(t.root) && bicep::compiled_from(t, &bicep_files).is_some()
        });
    let parameters = of_kind(|d| match d {
        Document::ArmParameters(root) => Some(root),
        _ => None,
    });
    let first_id = group.first().map_or(0, |(id, _, _)| *id);
    let source_of = |id: FileId| files.get(id.wrapping_sub(first_id)).map(|f| &f.source);
    let directory = group
        .first()
        .and_then(|(_, p, _)| source::group_directory(p));
    let terraform =
        terraform::read_directory(directory, &terraform_files, &plans, &source_of, context);
    drop(terraform_files);
    let mut settled = Vec::new();
    let mut output = match &readers.settle {
        Some(settle) => {
            let (output, part) = settle_module(terraform.output, settle, reported);
            settled.extend(part.map(|part| (0, part)));
            output
        }
        None => terraform.output,
    };
    for (template, part) in templates_read.into_iter().flatten() {
        if let Some(part) = part {
            settled.push((output.resources.len(), part));
        }
        output.extend(template);
    }
    output.extend(arm::read_directory(
        &templates,
        &parameters,
        bicep_context.explicit,
    ));
    let bicep = bicep::read_directory(&bicep_files, &compiled, &parameters, bicep_context);
    output.extend(bicep.output);
    let context_sources = read_only_as_context(&bicep.sources, &bicep.readers, readers);
    // A `.bicepparam` file read as context for the reported template it names reads for it.
    let in_group = |file: FileId| group.iter().any(|(id, _, _)| *id == file);
    let reads_for_a_reported_template = bicep
        .readers
        .iter()
        .any(|(_, reader)| !in_group(*reader) && reported(*reader));
    let mut module_sources = terraform.module_sources;
    module_sources.extend(bicep.sources);
    drop(bicep_files);
    if let Some(settle) = &readers.settle {
        let ids = group.iter().map(|(id, _, _)| *id);
        let shown = settle.not_applicable_shown;
        settle::release_unused_texts(&mut files, ids, &output, &settled, shown);
    }
    DirectoryResult {
        // The syntax trees are freed here, on the thread that read the directory, not later
        // on one.
        files: FilesRead::of(files, group, reported),
        reports_any: group.iter().any(|(id, _, _)| reported(*id)) || reads_for_a_reported_template,
        output,
        module_sources,
        calls: terraform.calls,
        json_offsets: terraform.json_offsets,
        bicep_called: bicep.called,
        bicep_read_with_parameters: bicep.read_with_parameters,
        content: bicep.content,
        context_sources,
        settled,
    }
}

/// Files outside the scan that several directories loaded (a module two evaluations of one
/// template call, read for each directory that evaluates it): each later copy's id, with the
/// id of the first copy that is reported as it is, so that their findings are one finding.
struct FileCopies(HashMap<FileId, FileId>);

impl FileCopies {
    fn of(loaded: &[FileId], sources: &SourceMap, reported: &dyn Fn(FileId) -> bool) -> Self {
        let mut first: HashMap<(&Path, bool), FileId> = HashMap::new();
        let mut copies = HashMap::new();
        for &id in loaded {
            let Some(source) = sources.get(id) else {
                continue;
            };
            let first_copy = *first.entry((&source.path, reported(id))).or_insert(id);
            if first_copy != id {
                copies.insert(id, first_copy);
            }
        }
        FileCopies(copies)
    }

    /// Points what `findings` and `undecided` say of a copy at its first copy.
    fn unify(&self, findings: &mut rules::Findings, undecided: [&mut Vec<rules::Undecided>; 2]) {
        if self.0.is_empty() {
            return;
        }
        let first = |span: &mut Span| {
            if let Some(&id) = self.0.get(&span.file) {
                span.file = id;
            }
        };
        for finding in findings.iter_mut() {
            each_place(finding, &first);
            finding.used_at.iter_mut().for_each(first);
        }
        for result in undecided.into_iter().flatten() {
            first(&mut result.span);
        }
    }
}

/// Which files are reported, and which of those read the files they load only as context.
struct Readers<'a> {
    reported: &'a (dyn Fn(FileId) -> bool + Sync),
    /// Whether, and how, templates read alone and modules that call none are checked where
    /// they are read.
    settle: Option<Settle<'a>>,
    /// The `.bicepparam` files given by name: their template, wherever it lies, is their
    /// context, as a JSON parameters file's is (what they report lies in them).
    reads_as_context: &'a HashSet<FileId>,
}

/// The `.bicepparam` files among `files` that were given by name.
fn given_bicepparam_files(
    files: &[(PathBuf, Candidate)],
    given_by_name: &HashSet<PathBuf>,
) -> HashSet<FileId> {
    files
        .iter()
        .enumerate()
        .filter(|(_, (path, candidate))| {
            *candidate == Candidate::BicepParams && given_by_name.contains(path)
        })
        .map(|(id, _)| id)
        .collect()
}

/// The files of `sources` that no reported file read as its own (see
/// [`bicep::BicepOutput::readers`]).
fn read_only_as_context(
    sources: &[(FileId, SourceFile)],
    readers: &[(FileId, FileId)],
    reading: &Readers<'_>,
) -> Vec<FileId> {
    let reads_as_its_own =
        |reader: FileId| (reading.reported)(reader) && !reading.reads_as_context.contains(&reader);
    let read_for_a_reported_file: HashSet<FileId> = readers
        .iter()
        .filter(|(_, reader)| reads_as_its_own(*reader))
        .map(|(file, _)| *file)
        .collect();
    sources
        .iter()
        .map(|(id, _)| *id)
        .filter(|id| !read_for_a_reported_file.contains(id))
        .collect()
}

/// The templates paired explicitly (in the configuration, or with `--template`) with a
/// parameters file given by name: read as its context, as a template named in its
/// `metadata.template` is.
fn templates_of_given_parameters(
    pairs: &[(PathBuf, Vec<PathBuf>)],
    paths: &[PathBuf],
) -> Vec<PathBuf> {
    if pairs.is_empty() {
        return Vec::new();
    }
    let canonical = |path: &Path| source::normalize_for_access(path).canonicalize().ok();
    let given: Vec<PathBuf> = discover::files_given_by_name(paths)
        .filter_map(|path| canonical(&path))
        .collect();
    pairs
        .iter()
        .filter(|(_, parameters)| {
            parameters
                .iter()
                .filter_map(|file| canonical(file))
                .any(|file| given.contains(&file))
        })
        .map(|(template, _)| source::normalize(template))
        .collect()
}

/// Why a parameters file read with no template is skipped, and how to pair it.
const UNPAIRED_PARAMETERS_FILE: &str = "a parameters file no template is read with (pair it in \
     the configuration, `parameters:`, or with `--template` and `--parameters`)";

/// Why a variable file no module applies is skipped, and how to apply it.
const UNAPPLIED_VARIABLE_FILE: &str = "a variable file Terraform applies only when given with \
     `-var-file` (give it with `--var-file`, or in the configuration, `var-files:`)";

/// The names of files read whose values nothing takes, those given by name apart from those
/// found in the scanned directories.
#[derive(Default)]
struct Unused {
    given: Vec<String>,
    in_directories: Vec<String>,
}

impl Unused {
    fn add(&mut self, file: &SourceFile, given: &HashSet<PathBuf>) {
        let list = if given.contains(&file.path) {
            &mut self.given
        } else {
            &mut self.in_directories
        };
        list.push(file.name.clone());
    }
}

/// The variable files that Terraform applies only when given with `-var-file` and that are not
/// given so (`--var-file`, the configuration's `var-files:`) nor applied by azd (looked for
/// within the readable `roots`).
fn variable_files_unapplied(
    variable_files: &[FileId],
    given: &HashSet<PathBuf>,
    sources: &SourceMap,
    (var_file_paths, roots): (&[PathBuf], &[PathBuf]),
) -> Unused {
    let mut out = Unused::default();
    for file in variable_files.iter().filter_map(|id| sources.get(*id)) {
        let applied = terraform::given_as_var_file(&file.path, var_file_paths)
            || terraform::applied_by_azd(&file.path, roots);
        if !applied {
            out.add(file, given);
        }
    }
    out
}

/// The parameters files no template was read with: neither paired with one by name in their
/// directory nor given for one explicitly (the configuration, `--template` with
/// `--parameters`, `metadata.template`). Files are told apart by their path, not their name:
/// `a/dev.json` read with a template says nothing of `b/dev.json`.
fn parameters_files_unpaired(
    parameters_files: &[FileId],
    given: &HashSet<PathBuf>,
    sources: &SourceMap,
    (read, explicit): (&[FileId], &[arm::ExplicitParameters]),
) -> Unused {
    if parameters_files.is_empty() {
        return Unused::default();
    }
    let read: HashSet<FileId> = read.iter().copied().collect();
    let unpaired = parameters_files
        .iter()
        .filter(|id| !read.contains(*id))
        .filter_map(|id| sources.get(*id))
        .filter(|file| !arm::given_explicitly(explicit, &file.path));
    let mut out = Unused::default();
    for file in unpaired {
        if given.contains(&file.path) || !compiled_from_bicepparam(&file.path) {
            out.add(file, given);
        }
    }
    out
}

/// Whether a parameters file is what a `.bicepparam` file beside it compiles to
/// (`prod.json` from `prod.bicepparam`): a scan of their directory reads its source.
fn compiled_from_bicepparam(path: &Path) -> bool {
    path.with_extension("bicepparam").is_file()
}

/// The units of the templates read with parameters files given for them explicitly (in the
/// configuration, with `--template` and `--parameters`, or by `metadata.template`):
/// `main.bicep with dev.parameters.json`, and with the parameters file's whole name.
fn explicit_units(pairs: &[(PathBuf, Vec<PathBuf>)], base: &Path) -> HashSet<String> {
    let mut units = HashSet::new();
    for (template, parameters_files) in pairs {
        let template = source::display_name(template, base);
        for parameters in parameters_files {
            let name = source::display_name(parameters, base);
            let short = name.rsplit('/').next().unwrap_or(&name);
            units.insert(format!("{template} with {short}"));
            units.insert(format!("{template} with {name}"));
        }
    }
    units
}

/// Whether a parameters file is given explicitly for a template (in the configuration, or with
/// `--template` and `--parameters`): its name need not pair it with one.
fn explicitly_given(file: &ReadFile, explicit: &[arm::ExplicitParameters]) -> bool {
    matches!(file.document, Some(Document::ArmParameters(_)))
        && file.error.is_some()
        && arm::given_explicitly(explicit, &file.source.path)
}

/// Names, for each error with a position, the file the position is in: an error found while a
/// module was evaluated may have been recorded under its directory.
fn name_the_files_errors_point_into(errors: &mut [InputError], sources: &SourceMap) {
    for error in errors {
        let file = error.span.and_then(|span| sources.get(span.file));
        if let Some(file) = file
            && error.path != file.name
        {
            error.path.clone_from(&file.name);
        }
    }
}

/// What the ARM front end reads from a template no parameters file goes with.
fn read_template(source: &SourceFile, root: &Node) -> FrontEndOutput {
    let mut output = FrontEndOutput::default();
    arm::read_alone(&JsonDocument { source, root }, &mut output);
    output
}

/// Whether each template of a directory can be read alone, as soon as it is parsed: no
/// parameters file can go with one (their names hold `.parameters`, or they are given
/// explicitly), and no Bicep file can have compiled one.
fn templates_stand_alone(
    group: &[(FileId, &Path, Candidate)],
    explicit: &[arm::ExplicitParameters],
) -> bool {
    let may_pair_or_compile = |(_, path, candidate): &(FileId, &Path, Candidate)| {
        matches!(candidate, Candidate::Bicep | Candidate::BicepParams)
            || path
                .file_name()
                .is_some_and(|name| arm::may_pair_with_a_template(name.as_encoded_bytes()))
    };
    explicit.is_empty() && !group.iter().any(may_pair_or_compile)
}

/// The directories below which the configuration may read files (see
/// [`source::readable_below`]): for each scanned directory, or the directory of each scanned
/// file, the top of its repository.
fn readable_roots(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut directories: Vec<&Path> = paths
        .iter()
        .map(|path| {
            if path.is_dir() {
                path.as_path()
            } else {
                path.parent()
                    .filter(|p| !p.as_os_str().is_empty())
                    .unwrap_or(Path::new("."))
            }
        })
        .collect();
    // Files given by name share a few directories; each is resolved once.
    directories.sort_unstable();
    directories.dedup();
    let base = std::env::current_dir()
        .and_then(std::fs::canonicalize)
        .unwrap_or_default();
    let mut roots: Vec<PathBuf> = directories
        .into_iter()
        .filter_map(|directory| std::fs::canonicalize(directory).ok())
        .map(|directory| source::readable_below(&directory, &base))
        .collect();
    roots.sort_unstable();
    roots.dedup();
    roots
}

/// The Bicep CLI's home, `~/.bicep`, where it restores registry modules.
fn bicep_home() -> Option<PathBuf> {
    let home = std::env::var_os("HOME").or_else(|| std::env::var_os("USERPROFILE"))?;
    Some(PathBuf::from(home).join(".bicep"))
}

/// Where secret values are written: `of_files` (found by the front ends) and the values in
/// `resources` that evaluation found sensitive, sorted, each once.
fn secret_spans(mut of_files: Vec<Span>, resources: &[Vec<Resource>]) -> Vec<Span> {
    of_files.par_extend(
        resources
            .par_iter()
            .flat_map_iter(|list| list.iter())
            .fold(SecretWalk::new, SecretWalk::add)
            .flat_map_iter(|walk| walk.spans),
    );
    of_files.sort_unstable();
    of_files.dedup();
    of_files
}

/// The units, the parts of one unit (the files of one Terraform module) merged.
fn merge_units(parts: Vec<Unit>) -> Vec<Unit> {
    // Each part's place: the first part with its id.
    let firsts: Vec<usize> = {
        let mut first_of: foldhash::HashMap<&str, usize> =
            foldhash::HashMapExt::with_capacity(parts.len());
        parts
            .iter()
            .enumerate()
            .map(|(at, unit)| *first_of.entry(unit.id.as_str()).or_insert(at))
            .collect()
    };
    if firsts.iter().enumerate().all(|(at, &first)| at == first) {
        return parts;
    }
    let mut units: Vec<Unit> = Vec::with_capacity(parts.len());
    // Where each first part went in `units`.
    let mut placed = vec![0; parts.len()];
    for ((at, unit), first) in parts.into_iter().enumerate().zip(firsts) {
        if at == first {
            if let Some(slot) = placed.get_mut(at) {
                *slot = units.len();
            }
            units.push(unit);
        } else if let Some(existing) = placed.get(first).and_then(|&i| units.get_mut(i)) {
            existing.merge(unit);
        }
    }
    units
}

/// Whether a directory given is the configuration file's directory or one above it.
fn scans_the_configuration_directory(
    paths: &[PathBuf],
    config: Option<&config::Config>,
    base: &Path,
) -> bool {
    let directory = config.and_then(config::Config::directory);
    let Some(directory) = directory.and_then(|d| base.join(d).canonicalize().ok()) else {
        return false;
    };
    paths
        .iter()
        .filter(|path| path.is_dir())
        .filter_map(|path| base.join(path).canonicalize().ok())
        .any(|path| directory.starts_with(path))
}

/// The display names of the Bicep templates given by name, when some files were read only as
/// context (none when everything read is reported).
fn given_bicep_templates(
    files: &[(PathBuf, Candidate)],
    reported: &[bool],
    base: &Path,
) -> HashSet<String> {
    if reported.iter().all(|reported| *reported) {
        return HashSet::new();
    }
    files
        .iter()
        .zip(reported)
        .filter(|((_, candidate), reported)| **reported && *candidate == Candidate::Bicep)
        .map(|((path, _), _)| source::display_name(path, base))
        .collect()
}

/// The `.tf.json` files read, each with the map from the native text it was read as to its JSON.
struct JsonSyntaxFiles<'a>(foldhash::HashMap<FileId, &'a terraform::json_syntax::OffsetMap>);

impl<'a> JsonSyntaxFiles<'a> {
    fn of(offsets: &'a [(FileId, terraform::json_syntax::OffsetMap)]) -> Self {
        JsonSyntaxFiles(offsets.iter().map(|(file, map)| (*file, map)).collect())
    }

    fn map(&self, file: FileId) -> Option<&'a terraform::json_syntax::OffsetMap> {
        self.0.get(&file).copied()
    }
}

/// Spans into `.tf.json` files are offsets into the native text they were read as; this moves
/// those of the results to the JSON.
fn move_to_json_syntax(
    files: &JsonSyntaxFiles<'_>,
    findings: &mut [Box<Finding>],
    undecided: [&mut Vec<rules::Undecided>; 2],
    secrets: &mut [crate::source::Span],
) {
    if files.0.is_empty() {
        return;
    }
    let remap = |span: &mut crate::source::Span| {
        if let Some(map) = files.map(span.file) {
            *span = map.span(*span);
        }
    };
    for finding in findings {
        each_place(finding, &remap);
    }
    for list in undecided {
        list.iter_mut().for_each(|u| remap(&mut u.span));
    }
    secrets.iter_mut().for_each(remap);
}

/// The suppressions of [`move_to_json_syntax`]'s files moved there too (see
/// [`move_directive_to_json_syntax`]).
fn move_directives_to_json_syntax(files: &JsonSyntaxFiles<'_>, units: &mut [Unit]) {
    if files.0.is_empty() {
        return;
    }
    for directive in units.iter_mut().flat_map(|unit| &mut unit.directives) {
        if let Some(map) = files.map(directive.span.file) {
            move_directive_to_json_syntax(directive, map);
        }
    }
}

/// A suppression written in a `//` property of Terraform JSON syntax (see
/// [`terraform::json_syntax`]), moved to the JSON string. The resource it covers is known by
/// its address: its span in the JSON would begin at the `resource` property that all the
/// file's resources share.
fn move_directive_to_json_syntax(
    directive: &mut model::directives::Directive,
    map: &terraform::json_syntax::OffsetMap,
) {
    use model::suppression::Covers;
    directive.span = map.span(directive.span);
    let Ok(terms) = &mut directive.terms else {
        return;
    };
    match &mut terms.covers {
        Covers::Span(span) => *span = map.span(*span),
        Covers::Resource { span, .. } => {
            let end = map.span(*span).end;
            *span = Span::new(span.file, end, end);
        }
        Covers::Unit(_) | Covers::Path { .. } => {}
    }
}

/// Calls `each` with the places a finding shows: its labels and its resource's declaration.
fn each_place(finding: &mut Finding, each: &impl Fn(&mut Span)) {
    each(&mut finding.primary.span);
    for label in &mut finding.secondary {
        each(&mut label.span);
    }
    if let Some(declaration) = &mut finding.resource_decl {
        each(declaration);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::RegistryRef;
    use std::collections::BTreeSet;

    /// A registry whose admin user a parameter's default turns on, and a secret default.
    const TEMPLATE: &str = r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {
    "admin": {"type": "bool", "defaultValue": true},
    "password": {"type": "securestring", "defaultValue": "hunter2-hunter2"}
  },
  "resources": [{
    "type": "Microsoft.ContainerRegistry/registries",
    "apiVersion": "2023-07-01",
    "name": "acrone",
    "location": "westeurope",
    "sku": {"name": "Basic"},
    "properties": {"adminUserEnabled": "[parameters('admin')]"}
  }]
}"#;

    fn findings_of(dir: &Path) -> Vec<(String, &'static str, usize, usize, String)> {
        let scan = crate::scan(&ScanOptions::new(vec![dir.to_path_buf()]));
        scan.findings
            .iter()
            .map(|f| {
                let file = scan.sources.name(f.primary.span.file).to_string();
                let span = f.primary.span;
                (file, f.rule.id, span.start, span.end, f.message.clone())
            })
            .collect()
    }

    /// The files of a scan whose texts were freed, by file name.
    fn texts_freed(dir: &Path, not_applicable_shown: bool) -> Vec<String> {
        let mut options = ScanOptions::new(vec![dir.to_path_buf()]);
        options.rules = ["ACR001", "ACR307"]
            .iter()
            .filter_map(|id| rules::find(id))
            .collect();
        options.not_applicable_shown = not_applicable_shown;
        let scan = crate::scan(&options);
        let freed = scan.sources.iter().filter(|f| f.text.is_empty());
        let mut names: Vec<String> = freed
            .filter_map(|f| Some(f.path.file_name()?.to_string_lossy().into_owned()))
            .collect();
        names.sort();
        names
    }

    #[test]
    fn texts_nothing_kept_points_into_are_freed_where_read() {
        let dir = tempfile::tempdir().expect("temporary directory");
        let registry = |sku: &str, admin: bool| {
            format!(
                r#"{{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "contentVersion": "1.0.0.0", "resources": [{{"type": "Microsoft.ContainerRegistry/registries", "apiVersion": "2023-07-01", "name": "acr{sku}", "location": "westeurope", "sku": {{"name": "{sku}"}}, "properties": {{"adminUserEnabled": {admin}}}}}]}}"#
            )
        };
        let write = |name: &str, text: &str| {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().expect("a parent")).expect("directory");
            std::fs::write(path, text).expect("written");
        };
        write("admin.json", &registry("Premium", true));
        write("passes.json", &registry("Premium", false));
        write("basic.json", &registry("Basic", false));
        write("secret.json", TEMPLATE);
        write(
            "tf/main.tf",
            "resource \"azurerm_container_registry\" \"acr\" {\n  name = \"acrtf\"\n  resource_group_name = \"rg\"\n  location = \"westeurope\"\n  sku = \"Premium\"\n  admin_enabled = false\n}\n",
        );
        write(
            "tf/admin/main.tf",
            "resource \"azurerm_container_registry\" \"acr\" {\n  name = \"acradmin\"\n  resource_group_name = \"rg\"\n  location = \"westeurope\"\n  sku = \"Premium\"\n  admin_enabled = true\n}\n",
        );
        // A finding, a secret (whose value the reports mask) keep a text; a registry that
        // passes does not; one the replica rule does not apply to, only when the report shows
        // where such results are.
        assert_eq!(
            texts_freed(dir.path(), false),
            ["basic.json", "main.tf", "passes.json"]
        );
        assert_eq!(texts_freed(dir.path(), true), ["main.tf", "passes.json"]);
        let mut held = ScanOptions::new(vec![dir.path().to_path_buf()]);
        held.rules_where_read = false;
        held.not_applicable_shown = false;
        let scan = crate::scan(&held);
        assert!(scan.sources.iter().all(|f| !f.text.is_empty()));
    }

    #[test]
    fn not_applicable_results_no_report_counts_are_not_recorded() {
        let dir = tempfile::tempdir().expect("temporary directory");
        let basic = r#"{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "contentVersion": "1.0.0.0", "resources": [{"type": "Microsoft.ContainerRegistry/registries", "apiVersion": "2023-07-01", "name": "acrbasic", "location": "westeurope", "sku": {"name": "Basic"}, "properties": {"adminUserEnabled": true}}]}"#;
        std::fs::write(dir.path().join("basic.json"), basic).expect("written");
        std::fs::write(
            dir.path().join("main.tf"),
            "resource \"azurerm_container_registry\" \"acr\" {\n  name = \"acrtf\"\n  resource_group_name = \"rg\"\n  location = \"westeurope\"\n  sku = \"Standard\"\n  admin_enabled = true\n}\n",
        )
        .expect("written");
        for where_read in [true, false] {
            let mut options = ScanOptions::new(vec![dir.path().to_path_buf()]);
            options.rules_where_read = where_read;
            let counted = crate::scan(&options);
            options.not_applicable_counted = false;
            let uncounted = crate::scan(&options);
            // The Basic template's and the Standard module's.
            let units: BTreeSet<bool> = counted
                .not_applicable
                .iter()
                .map(|u| u.unit.ends_with("basic.json"))
                .collect();
            assert_eq!(units, BTreeSet::from([false, true]), "{where_read}");
            assert!(uncounted.not_applicable.is_empty(), "{where_read}");
            let findings = |scan: &Scan| -> Vec<String> {
                scan.findings.iter().map(|f| format!("{f:?}")).collect()
            };
            assert!(!counted.findings.is_empty());
            assert_eq!(findings(&counted), findings(&uncounted), "{where_read}");
        }
    }

    #[test]
    fn templates_read_alone_as_parsed_give_what_they_give_read_together() {
        let dir = tempfile::tempdir().expect("temporary directory");
        for name in ["a.json", "b.json", "c.json"] {
            std::fs::write(dir.path().join(name), TEMPLATE).expect("template written");
        }
        let alone = findings_of(dir.path());
        assert!(alone.len() >= 3, "{alone:?}");
        // A parameters file no template pairs with: the templates are read together.
        let parameters = r#"{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#", "contentVersion": "1.0.0.0", "parameters": {}}"#;
        std::fs::write(dir.path().join("z.parameters.json"), parameters).expect("written");
        assert_eq!(findings_of(dir.path()), alone);
    }

    #[test]
    fn templates_stand_alone_unless_a_parameters_file_or_bicep_file_may_go_with_them() {
        let group =
            |names: &[(&'static str, Candidate)]| -> Vec<(FileId, &'static Path, Candidate)> {
                names
                    .iter()
                    .enumerate()
                    .map(|(id, (name, candidate))| (id, Path::new(*name), *candidate))
                    .collect()
            };
        let plain = group(&[("d/a.json", Candidate::Json), ("d/b.json", Candidate::Json)]);
        assert!(templates_stand_alone(&plain, &[]));
        for other in [
            ("d/a.parameters.json", Candidate::Json),
            ("d/a.Parameters.dev.json", Candidate::Json),
            ("d/A.PARAMETERS.JSON", Candidate::Json),
            ("d/a.bicep", Candidate::Bicep),
            ("d/a.bicepparam", Candidate::BicepParams),
        ] {
            let mut with_other = plain.clone();
            with_other.push((9, Path::new(other.0), other.1));
            assert!(!templates_stand_alone(&with_other, &[]), "{}", other.0);
        }
        let explicit = arm::ExplicitParameters {
            template: PathBuf::from("d/a.json"),
            files: Vec::new(),
            paths: Vec::new(),
        };
        assert!(!templates_stand_alone(&plain, &[explicit]));
        let parameters_directory = group(&[("parameters/a.json", Candidate::Json)]);
        assert!(templates_stand_alone(&parameters_directory, &[]));
    }

    fn part(id: &str, handoff: &str) -> Unit {
        Unit {
            id: id.to_string(),
            calls: Some(Box::new(crate::model::CallLinks {
                handoffs: vec![(RegistryRef::Name(handoff.to_string()), String::new())],
                caller: (handoff == "b2").then(|| "caller".to_string()),
                ..crate::model::CallLinks::default()
            })),
            ..Unit::default()
        }
    }

    fn described(units: &[Unit]) -> Vec<(String, Vec<String>, Option<String>)> {
        let names = |unit: &Unit| {
            let handoffs = unit.handoffs().iter();
            let name = |(link, _): &(RegistryRef, String)| match link {
                RegistryRef::Name(name) => name.clone(),
                _ => String::new(),
            };
            handoffs.map(name).collect()
        };
        let describe = |unit: &Unit| {
            let caller = unit.caller().map(str::to_string);
            (unit.id.clone(), names(unit), caller)
        };
        units.iter().map(describe).collect()
    }

    #[test]
    fn unit_parts_merge_into_the_first_part_in_order() {
        let parts = ["a1", "b1", "a2", "c1", "b2", "a3"]
            .map(|handoff| part(&handoff[..1], handoff))
            .into_iter()
            .collect();
        let owned = |items: &[&str]| items.iter().map(|i| i.to_string()).collect::<Vec<_>>();
        assert_eq!(
            described(&merge_units(parts)),
            vec![
                ("a".to_string(), owned(&["a1", "a2", "a3"]), None),
                (
                    "b".to_string(),
                    owned(&["b1", "b2"]),
                    Some("caller".to_string())
                ),
                ("c".to_string(), owned(&["c1"]), None),
            ]
        );
        let distinct: Vec<Unit> = ["x1", "y1"].map(|h| part(&h[..1], h)).into_iter().collect();
        assert_eq!(described(&merge_units(distinct)).len(), 2);
    }

    #[test]
    fn name_ranks_order_files_as_their_names_do() {
        let plain = ["b.tf", "a.json", "<zz", "b.tf", "<a", "c/main.bicep"];
        let with_unknown_name = ["b.tf", "<unknown>", "<a"];
        for names in [&plain[..], &with_unknown_name, &["z"], &[]] {
            let mut sources = SourceMap::default();
            for name in names {
                sources.push(SourceFile::new(
                    PathBuf::from(name),
                    name.to_string(),
                    String::new(),
                ));
            }
            let ranks = NameRanks::of(&sources);
            let ids = (0..names.len()).chain([names.len(), usize::MAX]);
            for a in ids.clone() {
                for b in ids.clone() {
                    let by_name = sources.name(a).cmp(sources.name(b));
                    assert_eq!(
                        ranks.of_file(a).cmp(&ranks.of_file(b)),
                        by_name,
                        "{names:?} {a} {b}"
                    );
                }
            }
        }
    }
}
