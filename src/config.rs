//! The configuration file `.acr-lint.yaml`: rule selection, levels, options, exclusions and
//! suppressions for code that cannot carry comments. The command line wins over it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_saphyr::Spanned;

use crate::model::suppression::Suppression;
use crate::rules::Level;
use crate::source::{self, SourceFile, SourceMap, Span};

pub const FILE_NAME: &str = ".acr-lint.yaml";

/// The file as written. Unknown keys are errors.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ConfigFile {
    #[serde(default)]
    pub select: Vec<Spanned<String>>,
    #[serde(default)]
    pub ignore: Vec<Spanned<String>>,
    pub fail_on: Option<Spanned<String>>,
    pub show_unknown: Option<bool>,
    pub inline_suppressions: Option<bool>,
    #[serde(default)]
    pub exclude: Vec<String>,
    #[serde(default)]
    pub allowed_locations: Vec<String>,
    #[serde(default)]
    pub var_files: Vec<Spanned<String>>,
    #[serde(default)]
    pub rules: BTreeMap<String, Spanned<RuleSettings>>,
    #[serde(default)]
    pub suppress: Vec<Spanned<SuppressEntry>>,
    #[serde(default)]
    pub parameters: Vec<Spanned<ParametersPairing>>,
}

impl Config {
    /// The configuration file's suppression entries, pointing into the file (added to the sources
    /// so diagnostics about them can show it).
    pub fn suppressions_in(&self, sources: &mut SourceMap, base: &Path) -> Vec<Suppression> {
        let config = self;
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
                Suppression {
                    directive: Span::new(file, start, end),
                    ..suppression.clone()
                }
            })
            .collect()
    }
}

/// Parameters files paired with a template explicitly (paths relative to the configuration).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParametersPairing {
    pub template: String,
    pub files: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSettings {
    pub level: Option<String>,
}

/// A suppression for files that cannot carry comments (such as Bicep-compiled JSON).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SuppressEntry {
    pub rule: String,
    pub path: Option<String>,
    pub resource: Option<String>,
    pub reason: Option<String>,
    pub until: Option<String>,
}

/// A configuration error, with its place in the file.
#[derive(Debug, Clone)]
pub struct ConfigError {
    pub path: PathBuf,
    pub line: u64,
    pub column: u64,
    pub message: String,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.path.display(),
            self.line,
            self.column,
            self.message
        )
    }
}

/// The configuration in force, after validation.
#[derive(Debug, Default, Clone)]
pub struct Config {
    pub path: Option<PathBuf>,
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    pub fail_on: Option<String>,
    pub show_unknown: Option<bool>,
    pub inline_suppressions: Option<bool>,
    pub exclude: Vec<String>,
    pub allowed_locations: Vec<String>,
    pub var_files: Vec<PathBuf>,
    pub levels: Vec<(&'static str, Level)>,
    pub suppressions: Vec<crate::suppress::Suppression>,
    /// Where each suppression entry stands in the file (1-based line and column).
    pub suppression_positions: Vec<(u64, u64)>,
    /// Templates and the parameters files paired with them.
    pub parameter_pairs: Vec<(PathBuf, Vec<PathBuf>)>,
}

/// The first `.acr-lint.yaml` in `start` or a directory above it.
pub fn find(start: &Path) -> Option<PathBuf> {
    let start = std::fs::canonicalize(start).ok()?;
    let mut directory = if start.is_dir() {
        Some(start.as_path())
    } else {
        start.parent()
    };
    while let Some(dir) = directory {
        let candidate = dir.join(FILE_NAME);
        if candidate.is_file() {
            return Some(candidate);
        }
        directory = dir.parent();
    }
    None
}

/// Reads and validates a configuration file.
pub fn load(path: &Path) -> Result<Config, ConfigError> {
    let error = |line: u64, column: u64, message: String| ConfigError {
        path: path.to_path_buf(),
        line,
        column,
        message,
    };
    let text =
        std::fs::read_to_string(path).map_err(|e| error(1, 1, format!("cannot read: {e}")))?;
    let file: ConfigFile = if text.trim().is_empty() {
        ConfigFile::default()
    } else {
        serde_saphyr::from_str(&text).map_err(|e| {
            let (line, column) = e.location().map_or((1, 1), |l| (l.line(), l.column()));
            error(line, column, first_line(&e.to_string()))
        })?
    };
    validate(file, path)
}

/// The parser's message without its own `error: line N column M:` prefix.
fn first_line(message: &str) -> String {
    let line = message.lines().next().unwrap_or(message);
    let line = line.strip_prefix("error: ").unwrap_or(line);
    match line
        .strip_prefix("line ")
        .and_then(|rest| rest.split_once(": "))
    {
        Some((_, text)) => text.to_string(),
        None => line.to_string(),
    }
}

fn at<T>(spanned: &Spanned<T>) -> (u64, u64) {
    (spanned.referenced.line(), spanned.referenced.column())
}

fn validate(file: ConfigFile, path: &Path) -> Result<Config, ConfigError> {
    let error = |(line, column): (u64, u64), message: String| ConfigError {
        path: path.to_path_buf(),
        line,
        column,
        message,
    };
    for selector in file.select.iter().chain(&file.ignore) {
        crate::rules::matching(&selector.value).map_err(|m| error(at(selector), m))?;
    }
    if let Some(fail_on) = &file.fail_on
        && !["error", "warning", "note", "never"].contains(&fail_on.value.as_str())
    {
        return Err(error(
            at(fail_on),
            format!(
                "`fail-on: {}`: expected error, warning, note or never",
                fail_on.value
            ),
        ));
    }
    let base = path.parent().unwrap_or(Path::new("."));
    let mut var_files = Vec::new();
    for var_file in &file.var_files {
        let resolved = base.join(&var_file.value);
        if !resolved.is_file() {
            return Err(error(
                at(var_file),
                format!("var file `{}` does not exist", var_file.value),
            ));
        }
        var_files.push(resolved);
    }
    let mut parameter_pairs = Vec::new();
    for pairing in &file.parameters {
        let template = base.join(&pairing.value.template);
        if !template.is_file() {
            return Err(error(
                at(pairing),
                format!("template `{}` does not exist", pairing.value.template),
            ));
        }
        let mut files = Vec::new();
        for name in &pairing.value.files {
            let path = base.join(name);
            if !path.is_file() {
                return Err(error(
                    at(pairing),
                    format!("parameters file `{name}` does not exist"),
                ));
            }
            files.push(path);
        }
        parameter_pairs.push((template, files));
    }
    let mut levels = Vec::new();
    for (rule, settings) in &file.rules {
        let meta = crate::rules::find_meta(rule)
            .ok_or_else(|| error(at(settings), format!("unknown rule `{rule}`")))?;
        if let Some(level) = &settings.value.level {
            let level = parse_level(level).ok_or_else(|| {
                error(
                    at(settings),
                    format!("`level: {level}` for {rule}: expected error, warning or note"),
                )
            })?;
            levels.push((meta.id, level));
        }
    }
    let mut suppressions = Vec::new();
    let mut suppression_positions = Vec::new();
    for entry in &file.suppress {
        suppressions.push(suppression(&entry.value).map_err(|m| error(at(entry), m))?);
        suppression_positions.push(at(entry));
    }
    Ok(Config {
        path: Some(path.to_path_buf()),
        select: file.select.into_iter().map(|s| s.value).collect(),
        ignore: file.ignore.into_iter().map(|s| s.value).collect(),
        fail_on: file.fail_on.map(|f| f.value),
        show_unknown: file.show_unknown,
        inline_suppressions: file.inline_suppressions,
        exclude: file.exclude,
        allowed_locations: file.allowed_locations,
        var_files,
        levels,
        suppressions,
        suppression_positions,
        parameter_pairs,
    })
}

fn parse_level(text: &str) -> Option<Level> {
    match text.trim().to_ascii_lowercase().as_str() {
        "error" => Some(Level::Error),
        "warning" => Some(Level::Warning),
        "note" => Some(Level::Note),
        _ => None,
    }
}

fn suppression(entry: &SuppressEntry) -> Result<crate::suppress::Suppression, String> {
    let rules =
        crate::suppress::resolve_rules(entry.rule.split(',').map(str::trim)).map_err(|(m, _)| m)?;
    let reason = entry
        .reason
        .clone()
        .filter(|r| !r.trim().is_empty())
        .ok_or("a `suppress` entry needs a `reason`")?;
    let until = match &entry.until {
        Some(text) => Some(
            crate::suppress::Date::parse(text)
                .ok_or(format!("`until: {text}` is not a date (YYYY-MM-DD)"))?,
        ),
        None => None,
    };
    if entry.path.is_none() && entry.resource.is_none() {
        return Err("a `suppress` entry needs a `path` glob or a `resource`".into());
    }
    Ok(crate::suppress::Suppression {
        rules,
        reason,
        until,
        directive: crate::source::Span::new(0, 0, 0),
        covers: crate::suppress::Covers::Path {
            glob: entry.path.clone().unwrap_or_else(|| "**".into()),
            resource: entry.resource.clone(),
        },
        origin: "config",
    })
}

/// Settings given on the command line; empty or `None` means "not given".
#[derive(Debug, Default, Clone)]
pub struct CommandLine {
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    pub fail_on: Option<String>,
    pub show_unknown: bool,
    pub no_inline_suppressions: bool,
    pub allowed_locations: Vec<String>,
    pub var_files: Vec<PathBuf>,
    /// `--var` values, placed among the command line's var files.
    pub var_values: Vec<crate::terraform::VarValue>,
}

/// Where a setting's value came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    CommandLine,
    ConfigFile,
    Default,
}

impl Origin {
    fn describe(self, config: &Config) -> String {
        match self {
            Origin::CommandLine => "command line".into(),
            Origin::ConfigFile => config
                .path
                .as_ref()
                .map_or("configuration".into(), |p| p.display().to_string()),
            Origin::Default => "default".into(),
        }
    }
}

/// The settings in force: command line over configuration file over defaults.
#[derive(Debug, Clone)]
pub struct Effective {
    pub config: Config,
    pub select: (Vec<String>, Origin),
    pub ignore: (Vec<String>, Origin),
    pub fail_on: (String, Origin),
    pub show_unknown: (bool, Origin),
    pub inline_suppressions: (bool, Origin),
    pub allowed_locations: (Vec<String>, Origin),
    pub var_files: (Vec<PathBuf>, Origin),
    pub var_values: Vec<crate::terraform::VarValue>,
}

fn pick<T: Clone>(cli: Option<T>, config: Option<T>, default: T) -> (T, Origin) {
    match (cli, config) {
        (Some(value), _) => (value, Origin::CommandLine),
        (None, Some(value)) => (value, Origin::ConfigFile),
        (None, None) => (default, Origin::Default),
    }
}

fn given<T>(list: Vec<T>) -> Option<Vec<T>> {
    (!list.is_empty()).then_some(list)
}

/// Combines the command line with the configuration file.
pub fn effective(cli: CommandLine, config: Config) -> Effective {
    let var_files = {
        let mut files = config.var_files.clone();
        files.extend(cli.var_files.iter().cloned());
        let origin = match (cli.var_files.is_empty(), config.var_files.is_empty()) {
            (false, _) => Origin::CommandLine,
            (true, false) => Origin::ConfigFile,
            (true, true) => Origin::Default,
        };
        (files, origin)
    };
    // Config-file var files come first, so `--var` positions shift by their number.
    let var_values = cli
        .var_values
        .iter()
        .map(|value| crate::terraform::VarValue {
            files_before: value.files_before + config.var_files.len(),
            ..value.clone()
        })
        .collect();
    Effective {
        select: pick(given(cli.select), given(config.select.clone()), Vec::new()),
        ignore: pick(given(cli.ignore), given(config.ignore.clone()), Vec::new()),
        fail_on: pick(cli.fail_on, config.fail_on.clone(), "error".into()),
        show_unknown: pick(cli.show_unknown.then_some(true), config.show_unknown, false),
        inline_suppressions: pick(
            cli.no_inline_suppressions.then_some(false),
            config.inline_suppressions,
            true,
        ),
        allowed_locations: pick(
            given(cli.allowed_locations),
            given(config.allowed_locations.clone()),
            Vec::new(),
        ),
        var_files,
        var_values,
        config,
    }
}

impl Effective {
    /// The effective configuration, one setting per line with where it came from.
    pub fn describe(&self) -> String {
        let config = &self.config;
        let list = |items: &[String]| {
            if items.is_empty() {
                "[]".to_string()
            } else {
                items.join(", ")
            }
        };
        let mut lines = vec![format!(
            "config-file: {}",
            config
                .path
                .as_ref()
                .map_or("(none found)".into(), |p| p.display().to_string())
        )];
        let mut line = |key: &str, value: String, origin: Origin| {
            lines.push(format!(
                "{key}: {value}    # from {}",
                origin.describe(config)
            ));
        };
        line("select", list(&self.select.0), self.select.1);
        line("ignore", list(&self.ignore.0), self.ignore.1);
        line("fail-on", self.fail_on.0.clone(), self.fail_on.1);
        line(
            "show-unknown",
            self.show_unknown.0.to_string(),
            self.show_unknown.1,
        );
        line(
            "inline-suppressions",
            self.inline_suppressions.0.to_string(),
            self.inline_suppressions.1,
        );
        line(
            "allowed-locations",
            list(&self.allowed_locations.0),
            self.allowed_locations.1,
        );
        let files: Vec<String> = self
            .var_files
            .0
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        line("var-files", list(&files), self.var_files.1);
        // Only the names: values given on the command line may be secrets.
        let names: Vec<String> = self.var_values.iter().map(|v| v.name.clone()).collect();
        let origin = if names.is_empty() {
            Origin::Default
        } else {
            Origin::CommandLine
        };
        line("vars", list(&names), origin);
        let from_file = if config.path.is_some() {
            Origin::ConfigFile
        } else {
            Origin::Default
        };
        line("exclude", list(&config.exclude), from_file);
        let levels: Vec<String> = config
            .levels
            .iter()
            .map(|(id, level)| format!("{id}={level}"))
            .collect();
        line("levels", list(&levels), from_file);
        line(
            "suppress",
            format!("{} entries", config.suppressions.len()),
            from_file,
        );
        lines.join("\n")
    }
}
