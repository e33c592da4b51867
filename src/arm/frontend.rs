//! The ARM front end's entry points for the scan: parameters files given explicitly, and each
//! directory's templates read once per parameters file paired with them.

use std::path::{Path, PathBuf};

use super::{ParametersByStem, ParametersFile, lower_file_name, read, template_stem};
use crate::model::input::{append, read_or_report};
use crate::model::{FrontEndOutput, InputError, JsonDocument, Node, Value, json};
use crate::source::{self, FileId, SourceFile, Span};

/// The parameters files given for one template (`--template` with `--parameters`), parsed, by
/// the template's canonical path.
pub struct ExplicitParameters {
    pub template: PathBuf,
    pub files: Vec<(String, Node)>,
    /// The parameters files' canonical paths.
    pub paths: Vec<PathBuf>,
}

/// Whether `path` is one of the parameters files given for some template (its path resolved
/// once, and only when any are given).
pub fn given_explicitly(explicit: &[ExplicitParameters], path: &Path) -> bool {
    if explicit.iter().all(|e| e.paths.is_empty()) {
        return false;
    }
    let path = canonical(path);
    explicit.iter().any(|e| e.paths.contains(&path))
}

/// Reads the parameters files given explicitly (`open`'s text first: an editor's unsaved
/// buffers); they take file ids from `first_id` on.
pub fn explicit_parameters<'o>(
    pairs: &[(PathBuf, Vec<PathBuf>)],
    first_id: FileId,
    base: &Path,
    open: &dyn Fn(&Path) -> Option<&'o str>,
) -> (Vec<ExplicitParameters>, Vec<SourceFile>, Vec<InputError>) {
    let mut explicit = Vec::new();
    let mut sources = Vec::new();
    let mut errors = Vec::new();
    for (template, parameter_files) in pairs {
        let mut files = Vec::new();
        for path in parameter_files {
            let id = first_id + sources.len();
            let name = source::display_name(path, base);
            let text = match open(path) {
                Some(text) => text.to_string(),
                None => read_or_report(path, &name, &mut errors),
            };
            match json::parse(&text, id) {
                Ok(Some(root)) => files.push((name.clone(), root)),
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
        explicit.push(ExplicitParameters {
            template: canonical(template),
            files,
            paths: parameter_files.iter().map(|path| canonical(path)).collect(),
        });
    }
    (explicit, sources, errors)
}

/// Reads each template of a directory once per parameters file paired with it by name
/// (`x.json` with `x.parameters.json` and `x.parameters.<env>.json`) or explicitly, or once with
/// its defaults when it has none.
pub fn read_directory(
    templates: &[JsonDocument<'_>],
    parameters: &[JsonDocument<'_>],
    explicit: &[ExplicitParameters],
) -> FrontEndOutput {
    let mut output = FrontEndOutput::default();
    let parameters: Vec<(&SourceFile, &Node)> = parameters
        .iter()
        .filter_map(|f| Some((f.source, f.root.get("parameters")?)))
        .collect();
    let by_stem = ParametersByStem::new(parameters.iter().map(|(source, _)| source.path.as_path()));
    for file in templates {
        let name = &file.source.name;
        let lower_name = lower_file_name(name);
        let positions = template_stem(&lower_name).map_or(&[][..], |stem| by_stem.of_stem(stem));
        let mut paired: Vec<(String, &Node)> = positions
            .iter()
            .filter_map(|&position| parameters.get(position))
            .map(|(source, n)| (source.name.clone(), *n))
            .collect();
        let template_path = (!explicit.is_empty()).then(|| canonical(&file.source.path));
        let given = explicit
            .iter()
            .filter(|e| Some(&e.template) == template_path.as_ref());
        for (parameters_name, root) in given.flat_map(|e| &e.files) {
            if !paired.iter().any(|(p, _)| p == parameters_name)
                && let Some(values) = root.get("parameters")
            {
                paired.push((parameters_name.clone(), values));
            }
        }
        if paired.is_empty() {
            read_alone(file, &mut output);
            continue;
        }
        output.secrets.extend(secure_spans(file.root, None));
        for (position, (parameters_name, values)) in paired.iter().enumerate() {
            let short = short_name(parameters_name);
            let short_taken = paired
                .iter()
                .take(position)
                .any(|(other, _)| short_name(other) == short);
            let parameters_file = ParametersFile {
                name: if short_taken { parameters_name } else { short },
                parameters: values,
            };
            output.secrets.extend(secure_spans(file.root, Some(values)));
            output.parameters_read.push(values.span.file);
            let template = read(file.root, name, Some(&parameters_file));
            output.resources.extend(template.resources);
            output.units.push(template.unit);
        }
    }
    output
}

/// A parameters file's name as shown, without its directories: the variant of the template it
/// is read with.
fn short_name(name: &str) -> &str {
    name.rsplit('/').next().unwrap_or(name)
}

/// Reads a template no parameters file goes with, once, with its defaults.
pub fn read_alone(file: &JsonDocument<'_>, output: &mut FrontEndOutput) {
    append(&mut output.secrets, secure_spans(file.root, None));
    let template = read(file.root, &file.source.name, None);
    append(&mut output.resources, template.resources);
    output.units.push(template.unit);
}

/// Where the values of the template's `securestring` and `secureObject` parameters are
/// written: their defaults, and the values `parameters` (a parameters file's) gives them.
pub fn secure_spans(template: &Node, parameters: Option<&Node>) -> Vec<Span> {
    let Some(Value::Object(declared)) = template.get("parameters").map(|p| &p.value) else {
        return Vec::new();
    };
    declared
        .iter()
        .filter(|(_, declaration)| {
            declaration
                .get("type")
                .and_then(Node::as_str)
                .is_some_and(super::is_secure_type)
        })
        .flat_map(|(name, declaration)| {
            let given = parameters.and_then(|p| p.get(name)?.get("value"));
            [declaration.get("defaultValue"), given]
        })
        .flatten()
        .map(|value| value.span)
        .collect()
}

/// A path made absolute, for comparing paths given in different ways.
fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| source::normalize(path))
}
