#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use acr_lint::report::{self, ColorChoice, Format};
use acr_lint::rules::{self, Level};
use acr_lint::{Scan, ScanOptions};

const EXIT_CODES: &str = "\
Exit codes:
  0  no finding at or above --fail-on
  1  findings at or above --fail-on
  2  usage error (bad option, unknown rule, unwritable output file)
  3  an input could not be read or parsed; everything else was still scanned and reported";

/// Static analysis of Azure Container Registry configuration in ARM templates (and the JSON
/// that Bicep compiles to) and Terraform, before deployment.
#[derive(Parser, Debug)]
#[command(name = "acr-lint", version, after_help = EXIT_CODES, args_conflicts_with_subcommands = true)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,

    /// Files or directories to scan.
    #[arg(default_value = ".")]
    paths: Vec<PathBuf>,

    /// Output format, optionally written to a file: pretty, concise, json, sarif. Repeatable,
    /// e.g. `-f pretty -f sarif=results.sarif`.
    #[arg(short, long = "format", value_name = "FORMAT[=FILE]", default_value = "pretty", value_parser = parse_output)]
    format: Vec<Output>,

    /// The lowest level that makes the exit code 1.
    #[arg(long, value_enum, default_value_t = FailOn::Warning)]
    fail_on: FailOn,

    /// Colour in human output; `auto` honours NO_COLOR and colours only terminals.
    #[arg(long, value_enum, default_value_t = ColorArg::Auto)]
    color: ColorArg,

    /// Rules to enable besides the defaults: ids, slugs, id prefixes (`ACR2`) or `ALL`.
    #[arg(long, value_delimiter = ',', value_name = "RULE,...", global = true)]
    select: Vec<String>,

    /// Rules to switch off: ids, slugs or id prefixes. Wins over --select.
    #[arg(long, value_delimiter = ',', value_name = "RULE,...", global = true)]
    ignore: Vec<String>,

    /// Locations registries and replicas may use, for ACR307 (enable it with --select ACR307).
    #[arg(long, value_delimiter = ',', value_name = "LOCATION,...")]
    allowed_locations: Vec<String>,

    /// Report results that could not be decided (values unknown before deployment) as notes.
    #[arg(long)]
    show_unknown: bool,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// List every rule: id, slug, level, whether it is enabled, title.
    Rules,
    /// Print a rule's page (by id or slug).
    Explain {
        /// A rule id such as ACR001 or a slug such as admin-user-enabled.
        rule: String,
    },
    /// Run the language server on standard input and output (for editors).
    Lsp,
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
            Format::NAMES.join(", ")
        )
    })?;
    Ok(Output { format, file })
}

#[derive(Debug, Clone, Copy, ValueEnum)]
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

const EXIT_FINDINGS: u8 = 1;
const EXIT_USAGE: u8 = 2;
const EXIT_INPUT: u8 = 3;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let selected = match rules::selection(&cli.select, &cli.ignore) {
        Ok(selected) => selected,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    match &cli.command {
        Some(Command::Rules) => print_rules(&selected),
        Some(Command::Explain { rule }) => explain(rule),
        Some(Command::Lsp) => ExitCode::from(acr_lint::lsp::run(selected)),
        None => lint(&cli, selected),
    }
}

fn print_rules(selected: &[&'static dyn rules::Rule]) -> ExitCode {
    let mut out = io::stdout().lock();
    let mut lines = vec![format!(
        "{:<7} {:<32} {:<8} {:<8} {}",
        "ID", "SLUG", "LEVEL", "ENABLED", "TITLE"
    )];
    for rule in rules::all() {
        let meta = rule.meta();
        let on = selected.iter().any(|r| r.meta().id == meta.id);
        let enabled = match (on, meta.enabled_by_default) {
            (true, _) => "yes",
            (false, true) => "ignored",
            (false, false) => "opt-in",
        };
        lines.push(format!(
            "{:<7} {:<32} {:<8} {:<8} {}",
            meta.id, meta.slug, meta.level, enabled, meta.title
        ));
    }
    match writeln!(out, "{}", lines.join("\n")) {
        Ok(()) => ExitCode::SUCCESS,
        Err(_) => ExitCode::from(EXIT_USAGE),
    }
}

fn explain(key: &str) -> ExitCode {
    match rules::find(key) {
        Some(rule) => {
            let _ = io::stdout().lock().write_all(rule.meta().page.as_bytes());
            ExitCode::SUCCESS
        }
        None => {
            eprintln!("error: no rule `{key}`; `acr-lint rules` lists them");
            ExitCode::from(EXIT_USAGE)
        }
    }
}

fn lint(cli: &Cli, selected: Vec<&'static dyn rules::Rule>) -> ExitCode {
    let mut options = ScanOptions::new(cli.paths.clone());
    options.rules = selected;
    options.rule_options.allowed_locations = cli.allowed_locations.clone();
    options.show_unknown = cli.show_unknown;
    let scan = acr_lint::scan(&options);
    let color = ColorChoice::from(cli.color);
    let _ = report::render_errors(
        &scan,
        use_color(color, io::stderr().is_terminal()),
        &mut io::stderr().lock(),
    );
    for output in &cli.format {
        if let Err(error) = write_output(&scan, output, color) {
            if error.kind() == io::ErrorKind::BrokenPipe {
                break;
            }
            let target = output
                .file
                .as_ref()
                .map_or("standard output".into(), |f| f.display().to_string());
            eprintln!("error: could not write {target}: {error}");
            return ExitCode::from(EXIT_USAGE);
        }
    }
    ExitCode::from(exit_code(&scan, cli.fail_on))
}

fn write_output(scan: &Scan, output: &Output, color: ColorChoice) -> io::Result<()> {
    match &output.file {
        Some(path) => {
            let mut file = BufWriter::new(File::create(path)?);
            report::render(scan, output.format, false, &mut file)?;
            file.flush()
        }
        None => {
            let stdout = io::stdout();
            let color = use_color(color, stdout.is_terminal());
            let mut out = BufWriter::new(stdout.lock());
            report::render(scan, output.format, color, &mut out)?;
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
