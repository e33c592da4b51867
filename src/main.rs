#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use acr_lint::report::{self, ColorChoice, Format};
use acr_lint::rules::{self, Level};
use acr_lint::{Scan, ScanOptions, baseline, config, source};

const EXIT_CODES: &str = "\
Exit codes:
  0  no finding at or above --fail-on
  1  findings at or above --fail-on
  2  usage error (bad option, unknown rule, unwritable output file)
  3  an input could not be read or parsed; everything else was still scanned and reported";

/// Static analysis of Azure Container Registry configuration in Bicep, ARM templates (and the
/// JSON that Bicep compiles to) and Terraform, before deployment.
#[derive(Parser, Debug, Clone)]
#[command(name = "acr-lint", version, after_help = EXIT_CODES, args_conflicts_with_subcommands = true)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,

    /// Files or directories to scan; `-` reads one file from standard input (with
    /// --stdin-filename).
    #[arg(default_value = ".")]
    paths: Vec<PathBuf>,

    /// The path of the file read from standard input (`-` as the path, or no path): it names
    /// the file in reports, says how it is read (`.tf`, `.bicep`, `.json`, ...) and places it
    /// among the files beside it on disk, which are read with it as with a file given by name.
    #[arg(long, value_name = "PATH")]
    stdin_filename: Option<PathBuf>,

    /// Whether the one path is read from standard input instead of the disk.
    #[arg(skip)]
    reads_stdin: bool,

    /// Output format, optionally written to a file: pretty, concise, json, sarif, github,
    /// junit, gitlab, markdown, azure-devops. Repeatable, e.g. `-f pretty -f sarif=results.sarif`.
    #[arg(short, long = "format", value_name = "FORMAT[=FILE]", default_value = "pretty", value_parser = parse_output)]
    format: Vec<Output>,

    /// Write the output that goes to standard output to FILE instead, e.g. `-f sarif -o
    /// results.sarif` (the same as `-f sarif=results.sarif`).
    #[arg(short, long, value_name = "FILE")]
    output_file: Option<PathBuf>,

    /// The lowest level that makes the exit code 1.
    /// [default: error]
    #[arg(long, value_enum)]
    fail_on: Option<FailOn>,

    /// The configuration file; by default the first `.acr-lint.yaml` in the first path's
    /// directory or above.
    #[arg(long, value_name = "FILE", global = true)]
    config: Option<PathBuf>,

    /// A Terraform variable file applied to every module (repeatable; later files win).
    #[arg(long = "var-file", value_name = "FILE", global = true)]
    var_files: Vec<PathBuf>,

    /// A Terraform variable value for every module, as `terraform -var` takes it (repeatable;
    /// with --var-file, what comes later on the command line wins).
    #[arg(long = "var", value_name = "NAME=VALUE", value_parser = parse_var, global = true)]
    vars: Vec<(String, String)>,

    /// Where each --var stands among the --var-file options: how many of them precede it.
    #[arg(skip)]
    var_positions: Vec<usize>,

    /// Colour in human output; `auto` honours NO_COLOR and colours only terminals.
    #[arg(long, value_enum, default_value_t = ColorArg::Auto)]
    color: ColorArg,

    /// The rules to run, replacing the defaults and the configuration's `select`: ids, slugs,
    /// id prefixes (`ACR2`) or `ALL`.
    #[arg(long, value_delimiter = ',', value_name = "RULE,...", global = true)]
    select: Option<Vec<String>>,

    /// Rules to run besides those selected, e.g. opt-in rules: ids, slugs, prefixes or `ALL`.
    #[arg(long, value_delimiter = ',', value_name = "RULE,...", global = true)]
    extend_select: Vec<String>,

    /// Rules to switch off: ids, slugs or id prefixes. Wins over --select and --extend-select.
    #[arg(long, value_delimiter = ',', value_name = "RULE,...", global = true)]
    ignore: Vec<String>,

    /// Locations registries and replicas may use, for ACR307 (enable it with
    /// --extend-select ACR307).
    #[arg(
        long,
        value_delimiter = ',',
        value_name = "LOCATION,...",
        global = true
    )]
    allowed_locations: Vec<String>,

    /// Report results that could not be decided (values unknown before deployment) as notes, and
    /// name what the summary only counts: Bicep registry modules not restored, parameters files no
    /// template is read with, variable files no module applies.
    #[arg(long, global = true)]
    show_unknown: bool,

    /// Ignore every suppression written in the scanned files (for audits).
    #[arg(long, global = true)]
    no_inline_suppressions: bool,

    /// Read the files that `.gitignore`, `.ignore` and git's excludes leave out (in directories
    /// scanned and beside files given by name).
    #[arg(long, global = true)]
    no_ignore: bool,

    /// Print how many findings each rule has, most first, in place of the findings (in the
    /// `pretty` and `concise` outputs).
    #[arg(long)]
    statistics: bool,

    /// An ARM template or Bicep file to evaluate with the `--parameters` files (besides pairing
    /// by name).
    #[arg(long, value_name = "FILE", requires = "parameters")]
    template: Option<PathBuf>,

    /// A parameters file for `--template` (repeatable: the template is evaluated once per file).
    #[arg(long, value_name = "FILE", requires = "template")]
    parameters: Vec<PathBuf>,

    /// Report findings accepted in this baseline file as baselined, not as problems.
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
}

#[derive(Subcommand, Debug, Clone)]
enum Command {
    /// List every rule: id, slug, level, whether it runs (yes; off when the selection leaves a
    /// default rule out; opt-in; removed), title.
    Rules,
    /// Print the configuration a scan of PATHS would use and where each value came from.
    Config {
        /// The files or directories a scan would be given (the configuration file is looked
        /// for from the first).
        #[arg(default_value = ".")]
        paths: Vec<PathBuf>,
    },
    /// Write a baseline: `create` accepts every current finding, `update` drops the entries
    /// no finding matches any more (it never adds new ones).
    Baseline {
        #[arg(value_enum)]
        action: BaselineAction,
        /// The baseline file (JSON).
        file: PathBuf,
        /// Files or directories to scan.
        #[arg(default_value = ".")]
        paths: Vec<PathBuf>,
    },
    /// Print a rule's page (by id or slug).
    Explain {
        /// A rule id such as ACR001 or a slug such as admin-user-enabled.
        rule: String,
    },
    /// Run the language server on standard input and output (for editors).
    Lsp,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum BaselineAction {
    Create,
    Update,
}

#[derive(Debug, Clone)]
struct Output {
    format: Format,
    file: Option<PathBuf>,
}

fn parse_output(text: &str) -> Result<Output, String> {
    let (name, file) = match text.split_once('=') {
        Some((name, file)) if !file.is_empty() => (name, Some(PathBuf::from(file))),
        Some((name, _)) => return Err(format!("`{name}=` needs a file name after `=`")),
        None => (text, None),
    };
    let format = Format::parse(name).ok_or_else(|| {
        format!(
            "unknown format `{name}`; expected one of {}",
            Format::names()
        )
    })?;
    Ok(Output { format, file })
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
enum FailOn {
    Error,
    Warning,
    Note,
    Never,
}

impl FailOn {
    fn threshold(self) -> Option<Level> {
        match self {
            FailOn::Error => Some(Level::Error),
            FailOn::Warning => Some(Level::Warning),
            FailOn::Note => Some(Level::Note),
            FailOn::Never => None,
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ColorArg {
    Auto,
    Always,
    Never,
}

impl From<ColorArg> for ColorChoice {
    fn from(value: ColorArg) -> Self {
        match value {
            ColorArg::Auto => ColorChoice::Auto,
            ColorArg::Always => ColorChoice::Always,
            ColorArg::Never => ColorChoice::Never,
        }
    }
}

// Scans allocate many small values; mimalloc serves them faster than the system allocator.
acr_lint::install_allocator!();

/// The command line, with the order of `--var` among `--var-file` options recorded.
fn parse_command_line() -> Cli {
    use clap::{CommandFactory, FromArgMatches};
    let matches = Cli::command().get_matches();
    let mut cli = Cli::from_arg_matches(&matches).unwrap_or_else(|error| error.exit());
    let files: Vec<usize> = matches
        .indices_of("var_files")
        .map(Iterator::collect)
        .unwrap_or_default();
    cli.var_positions = matches
        .indices_of("vars")
        .map(|indices| {
            indices
                .map(|at| files.iter().filter(|file| **file < at).count())
                .collect()
        })
        .unwrap_or_default();
    let taken = take_standard_input(&mut cli, &matches).and_then(|()| direct_output_file(&mut cli));
    if let Err(message) = taken {
        Cli::command()
            .error(clap::error::ErrorKind::ArgumentConflict, message)
            .exit();
    }
    cli
}

/// Sends the output to standard output to the file of `--output-file`.
fn direct_output_file(cli: &mut Cli) -> Result<(), String> {
    let Some(file) = cli.output_file.take() else {
        return Ok(());
    };
    let mut to_stdout = cli.format.iter_mut().filter(|output| output.file.is_none());
    match (to_stdout.next(), to_stdout.next()) {
        (Some(output), None) => {
            output.file = Some(file);
            Ok(())
        }
        (None, _) => Err(format!(
            "--output-file {}: every `-f` already writes to a file",
            file.display()
        )),
        (Some(first), Some(second)) => Err(format!(
            "--output-file {}: `-f {}` and `-f {}` both write to standard output; give the \
             file of each with `-f FORMAT=FILE`",
            file.display(),
            first.format.name(),
            second.format.name()
        )),
    }
}

/// Replaces the path `-` (or, with --stdin-filename, no path) by the path standard input's
/// text is read as.
fn take_standard_input(cli: &mut Cli, matches: &clap::ArgMatches) -> Result<(), String> {
    let dashes = cli.paths.iter().filter(|p| p.as_os_str() == "-").count();
    let Some(name) = cli.stdin_filename.clone() else {
        return match dashes {
            0 => Ok(()),
            _ => Err(
                "`-` reads the file to scan from standard input: name it with \
                --stdin-filename PATH (its name says how it is read, and the files beside it \
                are read with it)"
                    .into(),
            ),
        };
    };
    let paths_given = matches.value_source("paths") == Some(clap::parser::ValueSource::CommandLine);
    if dashes == 0 && paths_given {
        return Err(
            "--stdin-filename names the file read from standard input: give `-` as the \
            path, or no path"
                .into(),
        );
    }
    if cli.paths.len() > 1 {
        return Err("`-` (standard input) is given alone, without other paths".into());
    }
    if acr_lint::discover::Candidate::of(&name).is_none() {
        return Err(format!(
            "--stdin-filename {}: acr-lint reads {}",
            name.display(),
            acr_lint::findings::KINDS_READ
        ));
    }
    cli.paths = vec![name];
    cli.reads_stdin = true;
    Ok(())
}

/// `NAME=VALUE` of `--var`.
fn parse_var(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((name, value)) if !name.trim().is_empty() => {
            match acr_lint::terraform::invalid_var_value(value) {
                Some(reason) => Err(format!("`{}`: {reason}", name.trim())),
                None => Ok((name.trim().to_string(), value.to_string())),
            }
        }
        _ => Err(format!("expected NAME=VALUE, got `{text}`")),
    }
}

const EXIT_FINDINGS: u8 = 1;
const EXIT_USAGE: u8 = 2;
const EXIT_INPUT: u8 = 3;

/// Writes a line to standard error. A closed standard error (`2>&-`, a reader that went
/// away) stops nothing: the line is dropped.
macro_rules! stderr_line {
    ($($arg:tt)*) => {{
        let _ = writeln!(io::stderr(), $($arg)*);
    }};
}

/// Writes text to standard output; a reader that closed early (`| head`) is not an error, so the
/// rest is dropped quietly.
fn print_stdout(text: &str) -> ExitCode {
    match io::stdout().lock().write_all(text.as_bytes()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) if error.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(error) => {
            stderr_line!("error: could not write standard output: {error}");
            ExitCode::from(EXIT_USAGE)
        }
    }
}

fn main() -> ExitCode {
    acr_lint::allocator::tune();
    let cli = parse_command_line();
    let paths = match &cli.command {
        Some(Command::Config { paths } | Command::Baseline { paths, .. }) => paths,
        _ => &cli.paths,
    };
    let settings = match settings(&cli, paths) {
        Ok(settings) => settings,
        Err(message) => {
            stderr_line!("error: {message}");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    if let Some(Command::Config { .. }) = &cli.command {
        return print_stdout(&format!("{}\n", settings.describe()));
    }
    let selected = match rules::select(&settings.selections()) {
        Ok(selected) => selected,
        Err(message) => {
            stderr_line!("error: {message}");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    for warning in &selected.warnings {
        stderr_line!("warning: {warning}");
    }
    let selected = selected.rules;
    match &cli.command {
        Some(Command::Rules) => print_rules(&selected),
        Some(Command::Config { .. }) => ExitCode::SUCCESS,
        Some(Command::Explain { rule }) => explain(rule),
        Some(Command::Baseline {
            action,
            file,
            paths,
        }) => write_baseline(*action, file, paths, &settings, selected),
        Some(Command::Lsp) => {
            let live = LiveSettings {
                cli: cli.clone(),
                last: std::cell::RefCell::new((settings, selected)),
                last_error: std::cell::RefCell::new(None),
            };
            ExitCode::from(acr_lint::lsp::run(move |paths: Vec<PathBuf>| {
                live.options(&paths)
            }))
        }
        None => lint(&cli, &settings, selected),
    }
}

/// The language server's settings. The configuration file is read again for each check, so that
/// an edit applies at once; while it cannot be read, the last settings that could stay in force
/// and the error is written once to the server's log (standard error).
struct LiveSettings {
    cli: Cli,
    last: std::cell::RefCell<(config::Effective, Vec<&'static dyn rules::Rule>)>,
    last_error: std::cell::RefCell<Option<String>>,
}

impl LiveSettings {
    fn options(&self, paths: &[PathBuf]) -> ScanOptions {
        let fresh = settings(&self.cli, &self.cli.paths).and_then(|settings| {
            let selected = rules::select(&settings.selections())?;
            Ok((settings, selected.rules))
        });
        match fresh {
            Ok(fresh) => {
                *self.last.borrow_mut() = fresh;
                self.last_error.replace(None);
            }
            Err(message) => {
                if self.last_error.borrow().as_deref() != Some(message.as_str()) {
                    stderr_line!("error: {message} (the previous configuration stays in force)");
                    self.last_error.replace(Some(message));
                }
            }
        }
        let last = self.last.borrow();
        scan_options(paths, &last.0, last.1.clone())
    }
}

/// The command line combined with the configuration file.
fn settings(cli: &Cli, paths: &[PathBuf]) -> Result<config::Effective, String> {
    let path = match &cli.config {
        Some(path) if path.is_dir() => {
            return Err(format!(
                "configuration file {} is a directory, not a file",
                path.display()
            ));
        }
        Some(path) if !path.is_file() => {
            return Err(format!(
                "configuration file {} does not exist",
                path.display()
            ));
        }
        Some(path) => Some(path.clone()),
        None => {
            let start = paths.first().map_or(Path::new("."), PathBuf::as_path);
            let working = std::env::current_dir().unwrap_or_default();
            config::find_from(start, &working)
        }
    };
    let file = match path {
        Some(path) => config::load(&path).map_err(|e| e.to_string())?,
        None => config::Config::default(),
    };
    let command_line = config::CommandLine {
        selection: rules::RuleSelection {
            select: cli.select.clone(),
            extend_select: cli.extend_select.clone(),
            ignore: cli.ignore.clone(),
        },
        fail_on: cli.fail_on.map(|f| format!("{f:?}").to_ascii_lowercase()),
        show_unknown: cli.show_unknown,
        no_inline_suppressions: cli.no_inline_suppressions,
        no_ignore: cli.no_ignore,
        allowed_locations: cli.allowed_locations.clone(),
        var_files: cli.var_files.clone(),
        var_values: cli
            .vars
            .iter()
            .zip(
                cli.var_positions
                    .iter()
                    .copied()
                    .chain(std::iter::repeat(0)),
            )
            .map(|((name, value), files_before)| acr_lint::VarValue {
                name: name.clone(),
                value: value.clone(),
                files_before,
            })
            .collect(),
    };
    for file in &command_line.var_files {
        if !file.is_file() {
            return Err(format!("var file {} does not exist", file.display()));
        }
    }
    Ok(config::effective(command_line, file))
}

fn print_rules(selected: &[&'static dyn rules::Rule]) -> ExitCode {
    let row = |meta: &rules::RuleMeta, enabled: &str| {
        format!(
            "{:<7} {:<32} {:<8} {:<8} {}\n",
            meta.id, meta.slug, meta.level, enabled, meta.title
        )
    };
    let mut text = format!(
        "{:<7} {:<32} {:<8} {:<8} {}\n",
        "ID", "SLUG", "LEVEL", "ENABLED", "TITLE"
    );
    for rule in rules::all() {
        let meta = rule.meta();
        let on = selected.iter().any(|r| r.meta().id == meta.id);
        let enabled = match (on, meta.enabled_by_default) {
            (true, _) => "yes",
            (false, true) => "off",
            (false, false) => "opt-in",
        };
        text.push_str(&row(meta, enabled));
    }
    for removed in rules::removed::ALL {
        text.push_str(&row(&removed.meta, "removed"));
    }
    for meta in rules::tool::ALL {
        text.push_str(&row(meta, "yes"));
    }
    print_stdout(&text)
}

fn explain(key: &str) -> ExitCode {
    match rules::find_meta(key) {
        Some(meta) => print_stdout(meta.page),
        None => {
            stderr_line!("error: no rule `{key}`; `acr-lint rules` lists them");
            ExitCode::from(EXIT_USAGE)
        }
    }
}

fn scan_options(
    paths: &[PathBuf],
    settings: &config::Effective,
    selected: Vec<&'static dyn rules::Rule>,
) -> ScanOptions {
    let mut options = ScanOptions::new(paths.to_vec());
    options.rules = selected;
    options.rule_options.allowed_locations = settings.allowed_locations.0.clone();
    options.show_unknown = settings.show_unknown.0;
    options.inline_suppressions = settings.inline_suppressions.0;
    options.ignore_files = if settings.respect_ignore_files.0 {
        acr_lint::discover::IgnoreFiles::Honoured
    } else {
        acr_lint::discover::IgnoreFiles::Disregarded
    };
    options.ignored_diagnostics = settings
        .ignore_selectors()
        .flat_map(|s| rules::tool_matching(s))
        .collect();
    options.var_files = settings.var_files.0.clone();
    options.var_values = settings.var_values.clone();
    options.exclude = settings.config.exclude.clone();
    options.levels = settings.config.levels.clone();
    options.parameter_pairs = settings.config.parameter_pairs.clone();
    options.config = Some(settings.config.clone());
    options.exit_after = true;
    options
}

fn write_baseline(
    action: BaselineAction,
    file: &Path,
    paths: &[PathBuf],
    settings: &config::Effective,
    selected: Vec<&'static dyn rules::Rule>,
) -> ExitCode {
    let mut options = scan_options(paths, settings, selected);
    let previous = match action {
        BaselineAction::Create => None,
        BaselineAction::Update => match baseline::Baseline::read(file) {
            Ok(previous) => Some(previous),
            Err(message) => {
                stderr_line!("error: {message}");
                return ExitCode::from(EXIT_USAGE);
            }
        },
    };
    options.baseline = previous.clone();
    let scan = acr_lint::scan(&options);
    let written = match &previous {
        Some(previous) => previous.without_stale(&scan),
        None => baseline::Baseline::of_scan(&scan, file),
    };
    if let Err(message) = written.write(file) {
        stderr_line!("error: {message}");
        return ExitCode::from(EXIT_USAGE);
    }
    let pruned = previous.map_or(0, |p| p.entries.len() - written.entries.len());
    stderr_line!(
        "wrote {} ({} entries{})",
        file.display(),
        written.entries.len(),
        if pruned > 0 {
            format!(", {pruned} stale removed")
        } else {
            String::new()
        }
    );
    if scan.errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_INPUT)
    }
}

fn lint(
    cli: &Cli,
    settings: &config::Effective,
    selected: Vec<&'static dyn rules::Rule>,
) -> ExitCode {
    let to_stdout: Vec<_> = cli.format.iter().filter(|o| o.file.is_none()).collect();
    if let [first, second, ..] = to_stdout.as_slice() {
        stderr_line!(
            "error: `-f {}` and `-f {}` both write to standard output; send all but one to a file (`-f FORMAT=FILE`)",
            first.format.name(),
            second.format.name()
        );
        return ExitCode::from(EXIT_USAGE);
    }
    if let Err(message) = check_output_paths(cli) {
        eprintln!("error: {message}");
        return ExitCode::from(EXIT_USAGE);
    }
    let mut options = scan_options(&cli.paths, settings, selected);
    options.not_applicable_shown = cli
        .format
        .iter()
        .any(|o| o.format.shows_where_not_applicable());
    options.not_applicable_counted = cli.format.iter().any(|o| o.format.counts_not_applicable());
    if let Some(template) = &cli.template {
        let missing = std::iter::once(template)
            .chain(&cli.parameters)
            .find(|p| !p.is_file());
        if let Some(missing) = missing {
            stderr_line!("error: {} does not exist", missing.display());
            return ExitCode::from(EXIT_USAGE);
        }
        options
            .parameter_pairs
            .push((template.clone(), cli.parameters.clone()));
    }
    if let Some(path) = &cli.baseline {
        match baseline::Baseline::read(path) {
            Ok(accepted) => options.baseline = Some(accepted),
            Err(message) => {
                stderr_line!("error: {message}");
                return ExitCode::from(EXIT_USAGE);
            }
        }
    }
    let fail_on = match settings.fail_on.0.as_str() {
        "error" => FailOn::Error,
        "note" => FailOn::Note,
        "never" => FailOn::Never,
        _ => FailOn::Warning,
    };
    let unreadable = if cli.reads_stdin {
        take_text_of_standard_input(&mut options)
    } else {
        None
    };
    let mut scan = acr_lint::scan(&options);
    if let (Some(failure), Some(path)) = (unreadable, cli.paths.first()) {
        report_unreadable_input(&mut scan, path, failure);
    }
    scan.fail_on = fail_on.threshold();
    let color = ColorChoice::from(cli.color);
    let _ = report::render_errors(
        &scan,
        use_color(color, io::stderr().is_terminal()),
        &mut io::stderr().lock(),
    );
    for notice in &scan.notices {
        stderr_line!("note: {}", report::escape_controls(notice));
    }
    if checked_nothing(&scan) && !cli.format.iter().any(says_when_nothing_was_checked) {
        let why = acr_lint::findings::why_nothing_was_checked(&scan);
        stderr_line!("note: {}", why.replacen("No files", "no files", 1));
    }
    let render = if cli.statistics {
        report::render_statistics
    } else {
        report::render
    };
    for output in &cli.format {
        if let Err(error) = write_output(&scan, output, color, render) {
            if error.kind() == io::ErrorKind::BrokenPipe {
                break;
            }
            let target = output
                .file
                .as_ref()
                .map_or("standard output".into(), |f| f.display().to_string());
            stderr_line!("error: could not write {target}: {error}");
            return ExitCode::from(EXIT_USAGE);
        }
    }
    let code = exit_code(&scan, fail_on);
    // Freeing a large scan piece by piece takes longer than the process exit that reclaims it.
    std::mem::forget(scan);
    ExitCode::from(code)
}

/// Puts standard input's text in place of the file the scan is given; when it is not text,
/// gives why and leaves the scan nothing to read.
fn take_text_of_standard_input(options: &mut ScanOptions) -> Option<source::ReadFailure> {
    let path = options.paths.first()?.clone();
    match source::read_standard_input() {
        Ok(text) => {
            options.overlays.insert(path, text);
            None
        }
        Err(failure) => {
            options.paths.clear();
            Some(failure)
        }
    }
}

/// Reports standard input that could not be read as an input error of the file it stands for,
/// at the first byte that is not text.
fn report_unreadable_input(scan: &mut Scan, path: &Path, failure: source::ReadFailure) {
    let base = std::env::current_dir().unwrap_or_default();
    let name = source::display_name(path, &base);
    let span = failure.text.map(|text| {
        let end = text.len();
        let file = source::SourceFile::new(path.to_path_buf(), name.clone(), text);
        source::Span::new(scan.sources.push(file), end, end)
    });
    scan.errors.push(acr_lint::model::InputError {
        path: name,
        span,
        message: failure.message,
        show_source: false,
    });
}

/// Whether the scan read no file it could check, and nothing failed to be read.
fn checked_nothing(scan: &Scan) -> bool {
    scan.files_scanned == 0 && scan.findings.is_empty() && scan.errors.is_empty()
}

/// Whether an output tells the reader when no file was checked (the others, made for tools
/// or holding one line per finding, leave it to a note on standard error).
fn says_when_nothing_was_checked(output: &Output) -> bool {
    output.file.is_none() && matches!(output.format, Format::Pretty | Format::Markdown)
}

/// Output files must differ from each other and from every file the run reads; a device or a
/// pipe (`/dev/null`) may take several outputs, written one after another.
fn check_output_paths(cli: &Cli) -> Result<(), String> {
    let outputs: Vec<&PathBuf> = cli
        .format
        .iter()
        .filter_map(|o| o.file.as_ref())
        .filter(|path| !source::is_device_or_pipe(path))
        .collect();
    if outputs.is_empty() {
        return Ok(());
    }
    let given_files = cli.paths.iter().filter_map(|path| {
        let metadata = std::fs::metadata(path).ok()?;
        let identity = source::identity_of(&metadata);
        metadata
            .is_file()
            .then_some((path.as_path(), Some(identity)))
    });
    let named = cli
        .var_files
        .iter()
        .chain(&cli.template)
        .chain(&cli.parameters)
        .chain(&cli.baseline)
        .chain(&cli.config);
    let inputs = given_files.chain(named.map(|path| (path.as_path(), source::file_identity(path))));
    for (i, output) in outputs.iter().enumerate() {
        if let Some(other) = outputs
            .iter()
            .skip(i + 1)
            .find(|o| source::same_file(output, o))
        {
            return Err(format!(
                "two outputs write to {} (and {}); give each its own file",
                output.display(),
                other.display()
            ));
        }
    }
    let outputs: Vec<(&Path, Option<(u64, u64)>)> = outputs
        .iter()
        .map(|o| (o.as_path(), source::file_identity(o)))
        .collect();
    for input in inputs {
        if let Some((output, _)) = outputs.iter().find(|o| source::same_file_of(**o, input)) {
            return Err(format!(
                "output file {} is also an input ({}); write the report elsewhere",
                output.display(),
                input.0.display()
            ));
        }
    }
    Ok(())
}

/// How an output is written: [`report::render`], or [`report::render_statistics`].
type Render = fn(&Scan, report::Format, bool, &mut dyn io::Write) -> io::Result<()>;

fn write_output(
    scan: &Scan,
    output: &Output,
    color: ColorChoice,
    render: Render,
) -> io::Result<()> {
    match &output.file {
        Some(path) => source::write_atomically(path, source::Durability::Regenerable, |file| {
            render(scan, output.format, false, file)
        }),
        None => {
            let stdout = io::stdout();
            let color = use_color(color, stdout.is_terminal());
            let mut out = BufWriter::new(stdout.lock());
            render(scan, output.format, color, &mut out)?;
            out.flush()
        }
    }
}

fn use_color(choice: ColorChoice, terminal: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    }
}

fn exit_code(scan: &Scan, fail_on: FailOn) -> u8 {
    if !scan.errors.is_empty() {
        return EXIT_INPUT;
    }
    let blocking = fail_on
        .threshold()
        .is_some_and(|threshold| scan.findings.iter().any(|f| f.level >= threshold));
    if blocking { EXIT_FINDINGS } else { 0 }
}
