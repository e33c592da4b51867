//! The configuration file `.acr-lint.yaml`: rule selection, levels, options, exclusions and
//! suppressions for code that cannot carry comments. The command line wins over it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_saphyr::Spanned;

use crate::model::suppression::Suppression;
use crate::rules::{Level, RuleSelection};
use crate::source::{self, SourceFile, SourceMap, Span};

pub const FILE_NAME: &str = ".acr-lint.yaml";

/// The file as written. Unknown keys are errors.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ConfigFile {
    pub select: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    pub extend_select: Vec<Spanned<String>>,
    #[serde(default)]
    pub ignore: Vec<Spanned<String>>,
    pub fail_on: Option<Spanned<String>>,
    pub show_unknown: Option<bool>,
    pub inline_suppressions: Option<bool>,
    pub respect_ignore_files: Option<bool>,
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
    /// The directory of the configuration file, which its paths and globs are relative to.
    pub fn directory(&self) -> Option<&Path> {
        self.path.as_deref().map(directory_of)
    }

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
    pub selection: RuleSelection,
    pub fail_on: Option<String>,
    pub show_unknown: Option<bool>,
    pub inline_suppressions: Option<bool>,
    pub respect_ignore_files: Option<bool>,
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

/// The first `.acr-lint.yaml` in `start` or a directory above it, named as `start` is: from the
/// working directory `working` when `start` is relative and the file lies there or above it
/// (`../.acr-lint.yaml`), absolute otherwise.
pub fn find_from(start: &Path, working: &Path) -> Option<PathBuf> {
    let found = find(start)?;
    if start.is_absolute() {
        return Some(found);
    }
    let Some(below) = found.parent().and_then(|d| working.strip_prefix(d).ok()) else {
        return Some(found);
    };
    let mut relative: PathBuf = below.components().map(|_| "..").collect();
    relative.push(FILE_NAME);
    Some(relative)
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
    let selectors = file.select.iter().flatten();
    for selector in selectors.chain(&file.extend_select).chain(&file.ignore) {
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
    let base = directory_of(path);
    let repository = repository_root(base);
    let named = |what: &str, name: &str| named_file(base, &repository, what, name);
    let mut var_files = Vec::new();
    for var_file in &file.var_files {
        let resolved = named("var file", &var_file.value).map_err(|m| error(at(var_file), m))?;
        var_files.push(resolved);
    }
    let mut parameter_pairs = Vec::new();
    for pairing in &file.parameters {
        let template =
            named("template", &pairing.value.template).map_err(|m| error(at(pairing), m))?;
        let mut files = Vec::new();
        for name in &pairing.value.files {
            files.push(named("parameters file", name).map_err(|m| error(at(pairing), m))?);
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
        selection: RuleSelection {
            select: file.select.map(values),
            extend_select: values(file.extend_select),
            ignore: values(file.ignore),
        },
        fail_on: file.fail_on.map(|f| f.value),
        show_unknown: file.show_unknown,
        inline_suppressions: file.inline_suppressions,
        respect_ignore_files: file.respect_ignore_files,
        exclude: file.exclude,
        allowed_locations: file.allowed_locations,
        var_files,
        levels,
        suppressions,
        suppression_positions,
        parameter_pairs,
    })
}

fn values(list: Vec<Spanned<String>>) -> Vec<String> {
    list.into_iter().map(|s| s.value).collect()
}

/// The directory of a configuration file: `.` for a bare file name.
fn directory_of(path: &Path) -> &Path {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    }
}

/// The repository a configuration in `directory` belongs to: the nearest directory at or
/// above it holding `.git`, else `directory` itself (canonical when it exists).
fn repository_root(directory: &Path) -> PathBuf {
    let directory = directory
        .canonicalize()
        .unwrap_or_else(|_| directory.to_path_buf());
    source::repository_top(&directory).unwrap_or(directory)
}

/// A file the configuration names: relative to the configuration's directory `base`, an
/// existing file, inside `repository` (symbolic links resolved).
fn named_file(base: &Path, repository: &Path, what: &str, name: &str) -> Result<PathBuf, String> {
    let path = base.join(name);
    if path.is_dir() {
        return Err(format!("{what} `{name}` is a directory, not a file"));
    }
    let Ok(resolved) = path.canonicalize() else {
        return Err(format!("{what} `{name}` does not exist"));
    };
    if !resolved.starts_with(repository) {
        return Err(format!(
            "{what} `{name}` is outside the repository ({}); give files outside it on the command line",
            repository.display()
        ));
    }
    Ok(path)
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
    let rules = crate::suppress::resolve_rules(entry.rule.split(',').map(str::trim))?;
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
    pub selection: RuleSelection,
    pub fail_on: Option<String>,
    pub show_unknown: bool,
    pub no_inline_suppressions: bool,
    /// `--no-ignore`.
    pub no_ignore: bool,
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
    /// Derived from `select`, `extend-select` and `ignore`.
    Selection,
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
            Origin::Selection => "select, extend-select and ignore above".into(),
        }
    }

    /// The configuration file's origin when it set a value, the default otherwise.
    fn of_file(set: bool) -> Origin {
        if set {
            Origin::ConfigFile
        } else {
            Origin::Default
        }
    }
}

/// The settings in force: command line over configuration file over defaults.
#[derive(Debug, Clone)]
pub struct Effective {
    pub config: Config,
    /// The command line's rule selection, applied after the configuration file's.
    pub command_line_selection: RuleSelection,
    pub fail_on: (String, Origin),
    pub show_unknown: (bool, Origin),
    pub inline_suppressions: (bool, Origin),
    pub respect_ignore_files: (bool, Origin),
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
        command_line_selection: cli.selection,
        fail_on: pick(cli.fail_on, config.fail_on.clone(), "error".into()),
        show_unknown: pick(cli.show_unknown.then_some(true), config.show_unknown, false),
        inline_suppressions: pick(
            cli.no_inline_suppressions.then_some(false),
            config.inline_suppressions,
            true,
        ),
        respect_ignore_files: pick(
            cli.no_ignore.then_some(false),
            config.respect_ignore_files,
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

fn list(items: &[String]) -> String {
    if items.is_empty() {
        "[]".to_string()
    } else {
        items.join(", ")
    }
}

impl Effective {
    /// The rule selections in the order they apply: the configuration file's, the command line's.
    pub fn selections(&self) -> [RuleSelection; 2] {
        [
            self.config.selection.clone(),
            self.command_line_selection.clone(),
        ]
    }

    /// Every `ignore` selector, for the tool diagnostics (ACR9xx) it switches off.
    pub fn ignore_selectors(&self) -> impl Iterator<Item = &String> {
        self.config
            .selection
            .ignore
            .iter()
            .chain(&self.command_line_selection.ignore)
    }

    /// The effective configuration, one setting per line with where it came from; a value set
    /// by both the file and the command line has a line for each.
    pub fn describe(&self) -> String {
        let config = &self.config;
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
        self.describe_selection(&mut line);
        line("enabled", self.enabled_rules(), Origin::Selection);
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
            "respect-ignore-files",
            self.respect_ignore_files.0.to_string(),
            self.respect_ignore_files.1,
        );
        line(
            "allowed-locations",
            list(&self.allowed_locations.0),
            self.allowed_locations.1,
        );
        // The file's var files come first, then the command line's: a line for each origin.
        let (from_file, from_command_line) = self
            .var_files
            .0
            .split_at(config.var_files.len().min(self.var_files.0.len()));
        let names = |files: &[PathBuf]| -> Vec<String> {
            files.iter().map(|p| p.display().to_string()).collect()
        };
        if !from_file.is_empty() {
            line("var-files", list(&names(from_file)), Origin::ConfigFile);
        }
        if !from_command_line.is_empty() {
            line(
                "var-files",
                list(&names(from_command_line)),
                Origin::CommandLine,
            );
        }
        if self.var_files.0.is_empty() {
            line("var-files", list(&[]), Origin::Default);
        }
        // Only the names: values given on the command line may be secrets.
        let names: Vec<String> = self.var_values.iter().map(|v| v.name.clone()).collect();
        let origin = if names.is_empty() {
            Origin::Default
        } else {
            Origin::CommandLine
        };
        line("vars", list(&names), origin);
        line(
            "exclude",
            list(&config.exclude),
            Origin::of_file(!config.exclude.is_empty()),
        );
        let levels: Vec<String> = config
            .levels
            .iter()
            .map(|(id, level)| format!("{id}={level}"))
            .collect();
        line("levels", list(&levels), Origin::of_file(!levels.is_empty()));
        line(
            "suppress",
            format!("{} entries", config.suppressions.len()),
            Origin::of_file(!config.suppressions.is_empty()),
        );
        if let Some(pairs) = (!config.parameter_pairs.is_empty()).then_some(&config.parameter_pairs)
        {
            let pairs: Vec<String> = pairs
                .iter()
                .map(|(template, files)| {
                    let files: Vec<String> =
                        files.iter().map(|f| f.display().to_string()).collect();
                    format!("{} with {}", template.display(), files.join(" and "))
                })
                .collect();
            line("parameters", pairs.join("; "), Origin::ConfigFile);
        }
        lines.join("\n")
    }

    /// `select`, `extend-select` and `ignore` from each origin that set them, then the rules
    /// they enable.
    fn describe_selection(&self, line: &mut impl FnMut(&str, String, Origin)) {
        let layers = [
            (&self.config.selection, Origin::ConfigFile),
            (&self.command_line_selection, Origin::CommandLine),
        ];
        let mut keys: [(&str, bool); 3] = [
            ("select", false),
            ("extend-select", false),
            ("ignore", false),
        ];
        for (selection, origin) in layers {
            let values = [
                selection.select.as_deref(),
                Some(selection.extend_select.as_slice()).filter(|l| !l.is_empty()),
                Some(selection.ignore.as_slice()).filter(|l| !l.is_empty()),
            ];
            for ((key, shown), value) in keys.iter_mut().zip(values) {
                if let Some(value) = value {
                    line(key, list(value), origin);
                    *shown = true;
                }
            }
        }
        for (key, shown) in keys {
            if !shown {
                let value = if key == "select" {
                    "the default rules"
                } else {
                    "[]"
                };
                line(key, value.to_string(), Origin::Default);
            }
        }
    }

    /// The rules the selections enable, or why they enable none.
    fn enabled_rules(&self) -> String {
        match crate::rules::select(&self.selections()) {
            Ok(selected) => {
                let ids: Vec<&str> = selected.rules.iter().map(|r| r.meta().id).collect();
                format!("{} rules: {}", ids.len(), ids.join(", "))
            }
            Err(message) => format!("none ({message})"),
        }
    }
}
