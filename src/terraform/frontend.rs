//! The Terraform front end's entry points for the scan: variable values from outside the
//! configuration, each directory's module and plans, and which modules are reported through
//! their callers.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use super::plan::{combine, read_plan};
use super::project::{
    Evaluated, ModuleContext, OutsideValues, TerraformFile, as_azd_fills_in, command_line_value,
    environment_values, evaluate_directory, var_file_values, variable_file_directives,
};
use crate::model::input::read_or_report;
use crate::model::{FrontEndOutput, InputError, JsonDocument};
use crate::source::{self, FileId, SourceFile, Span};

/// A Terraform variable value given like `terraform -var NAME=VALUE`: it overrides the var files
/// before it and is overridden by those after it.
#[derive(Debug, Clone, PartialEq)]
pub struct VarValue {
    pub name: String,
    pub value: String,
    /// How many of the `--var-file` files precede it.
    pub files_before: usize,
}

/// Variable values for every module: the environment's and the `--var-file` files' (which
/// take file ids from `first_id` on, in order). In a file azd applies (`applied_by_azd`), what
/// azd fills in is unknown, as when the file is applied by itself.
pub fn outside_values(
    var_files: &[PathBuf],
    var_values: &[VarValue],
    (first_id, base): (FileId, &Path),
    applied_by_azd: &dyn Fn(&Path) -> bool,
) -> (OutsideValues, Vec<SourceFile>, Vec<InputError>) {
    let mut outside = OutsideValues {
        environment: environment_values(),
        var_files: Vec::new(),
        directives: Vec::new(),
        var_file_paths: var_files
            .iter()
            .filter_map(|p| std::fs::canonicalize(p).ok())
            .collect(),
    };
    let mut sources = Vec::new();
    let mut errors = Vec::new();
    let given = |v: &VarValue| (v.name.clone(), command_line_value(&v.name, &v.value));
    for (index, path) in var_files.iter().enumerate() {
        let before = var_values.iter().filter(|v| v.files_before == index);
        outside.var_files.extend(before.map(given));
        let id = first_id + index;
        let name = source::display_name(path, base);
        let text = read_or_report(path, &name, &mut errors);
        let source = SourceFile::new(path.clone(), name.clone(), text);
        match var_file_values(id, &source) {
            Ok(read) if applied_by_azd(path) => {
                outside
                    .var_files
                    .extend(as_azd_fills_in(read.values, &name));
                outside.directives.extend(read.directives);
            }
            Ok(read) => {
                outside.var_files.extend(read.values);
                outside.directives.extend(read.directives);
            }
            Err((offset, message)) => errors.push(InputError {
                path: name,
                span: Some(Span::new(id, offset, offset)),
                message,
                show_source: true,
            }),
        }
        sources.push(source);
    }
    let after_all = var_values
        .iter()
        .filter(|v| v.files_before >= var_files.len());
    outside.var_files.extend(after_all.map(given));
    (outside, sources, errors)
}

/// What the Terraform front end made of one directory, and the module bookkeeping the scan
/// needs across directories.
#[derive(Default)]
pub struct DirectoryOutput {
    pub output: FrontEndOutput,
    /// Module files read from outside the scanned paths, with the ids they took.
    pub module_sources: Vec<(FileId, SourceFile)>,
    /// The unit of the directory's own module and the directories it calls as modules.
    pub calls: (String, Vec<PathBuf>),
    /// Where the native text of module files in Terraform JSON syntax lies in their JSON.
    pub json_offsets: Vec<(FileId, super::json_syntax::OffsetMap)>,
}

/// Evaluates a directory's module (its `.tf` and variable files), then reads its plans:
/// resources the configuration declares keep their `.tf` source, taking from the plan the values
/// the configuration cannot know.
pub fn read_directory<'s>(
    directory: Option<&Path>,
    files: &[TerraformFile],
    plans: &[JsonDocument<'_>],
    sources: &dyn Fn(FileId) -> Option<&'s SourceFile>,
    context: &ModuleContext<'_>,
) -> DirectoryOutput {
    let mut result = DirectoryOutput::default();
    let evaluated = directory
        .filter(|_| !files.is_empty())
        .and_then(|directory| evaluate_directory(directory, files, sources, context));
    if let Some(evaluated) = evaluated {
        let var_files = &context.outside.var_file_paths;
        let directives = variable_file_directives(files, sources, &evaluated.root, var_files);
        let Evaluated {
            resources,
            units,
            sources,
            root,
            called,
            errors,
            notices,
            json_offsets,
            secrets,
        } = evaluated;
        result.output.secrets = secrets;
        result.json_offsets = json_offsets;
        result.output.resources = resources;
        result.output.units = units;
        if !directives.is_empty() {
            match result.output.units.iter_mut().find(|u| u.id == root) {
                Some(unit) => unit.directives.extend(directives),
                None => result.output.units.push(crate::model::Unit {
                    id: root.clone(),
                    directives,
                    ..Default::default()
                }),
            }
        }
        result.output.notices = notices;
        result.output.errors = errors
            .into_iter()
            .map(|(path, span, message)| InputError {
                path,
                span,
                message,
                show_source: false,
            })
            .collect();
        result.module_sources = sources;
        result.calls = (root, called);
    }
    let mut rest = Vec::new();
    for plan in plans {
        let name = &plan.source.name;
        let read = read_plan(plan.root, name);
        rest.extend(combine(&mut result.output.resources, read.resources, name));
        result.output.units.push(read.unit);
    }
    result.output.resources.extend(rest);
    result
}

/// The directories called as modules, by the unit of the directory calling them.
#[derive(Default)]
pub struct ModuleCalls {
    calls: Vec<(String, Vec<String>)>,
    called: HashSet<String>,
}

impl ModuleCalls {
    pub fn record(&mut self, root: String, callees: Vec<String>) {
        self.called.extend(callees.iter().cloned());
        self.calls.push((root, callees));
    }

    /// Whether a unit is reported through its callers: a directory called as a module is. So is
    /// what it calls when a reported (uncalled) directory reaches it; in a cycle of directories
    /// calling each other, that is left to the calls' own units.
    pub fn reported_through_callers(&self) -> impl Fn(&str) -> bool + '_ {
        let covered: HashSet<&str> = self
            .calls
            .iter()
            .filter(|(root, _)| !self.called.contains(root))
            .flat_map(|(_, callees)| callees.iter().map(String::as_str))
            .collect();
        // Nothing is covered unless some directory is called.
        let none_called = self.called.is_empty();
        move |unit: &str| {
            !none_called
                && (self.called.contains(unit)
                    || unit.match_indices('/').any(|(at, _)| {
                        unit.get(..at).is_some_and(|dir| covered.contains(dir))
                            && unit.get(at + 1..).is_some_and(starts_with_module_call)
                    }))
        }
    }
}

/// Whether a unit's path below a directory starts with a module call's address (`module.acr`,
/// `module.acr["a"]`, `module.acr/module.inner`), as no file's name does: a module's name holds
/// no dot, and `module.registry.json` is a template.
pub fn starts_with_module_call(rest: &str) -> bool {
    let Some(name) = rest.strip_prefix("module.") else {
        return false;
    };
    let end = name
        .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
        .unwrap_or(name.len());
    end > 0
        && matches!(
            name.get(end..).and_then(|r| r.chars().next()),
            None | Some('/' | '[')
        )
}
