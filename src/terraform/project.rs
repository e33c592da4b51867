//! Groups Terraform files into modules (one per directory) and evaluates each with its
//! variable values: defaults, `TF_VAR_` environment variables, `terraform.tfvars`,
//! `terraform.tfvars.json` and `*.auto.tfvars(.json)`, in Terraform's order of precedence.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use hcl_edit::structure::Body;

use super::eval::TfValue;
use super::module::{GivenValue, ModuleFile, tfvars_values};
use crate::model::{Node, Resource, Unit, Value};
use crate::source::{self, FileId, SourceFile};

/// What a Terraform file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    Config,
    Vars,
}

/// A parsed Terraform file waiting for its module to be evaluated.
pub struct TerraformFile {
    file: FileId,
    path: PathBuf,
    content: Content,
}

enum Content {
    Config(Body),
    Vars(Body),
    JsonVars(Node),
}

impl TerraformFile {
    pub fn hcl(file: FileId, path: &Path, kind: InputKind, body: Body) -> TerraformFile {
        let content = match kind {
            InputKind::Config => Content::Config(body),
            InputKind::Vars => Content::Vars(body),
        };
        TerraformFile {
            file,
            path: path.to_path_buf(),
            content,
        }
    }

    pub fn json_vars(file: FileId, path: &Path, node: Node) -> TerraformFile {
        TerraformFile {
            file,
            path: path.to_path_buf(),
            content: Content::JsonVars(node),
        }
    }

    fn file_name(&self) -> String {
        self.path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    }
}

/// Evaluates the module in `directory` from its parsed files; `None` when it has no `.tf` file.
pub fn evaluate_directory<'s>(
    directory: &Path,
    inputs: &[TerraformFile],
    sources: &dyn Fn(FileId) -> Option<&'s SourceFile>,
    base: &Path,
    outside: &OutsideValues,
) -> Option<(Vec<Resource>, Unit)> {
    let files: Vec<ModuleFile<'_>> = inputs
        .iter()
        .filter_map(|input| match &input.content {
            Content::Config(body) => Some(ModuleFile {
                file: input.file,
                body,
                text: sources(input.file).map_or("", |f| f.text.as_str()),
            }),
            _ => None,
        })
        .collect();
    if files.is_empty() {
        return None;
    }
    let given = variable_values(inputs, sources, outside);
    let unit = source::display_name(directory, base);
    Some(super::read_module(&files, &given, &unit))
}

/// Variable values from outside the `.tf` files; later sources override earlier ones.
fn variable_values<'s>(
    inputs: &[TerraformFile],
    sources: &dyn Fn(FileId) -> Option<&'s SourceFile>,
    outside: &OutsideValues,
) -> HashMap<String, GivenValue> {
    let mut values = outside.environment.clone();
    let mut files: Vec<(u8, String, &TerraformFile)> = inputs
        .iter()
        .filter_map(|input| {
            let name = input.file_name();
            let rank = match name.as_str() {
                "terraform.tfvars" => 1,
                "terraform.tfvars.json" => 2,
                n if n.ends_with(".auto.tfvars") || n.ends_with(".auto.tfvars.json") => 3,
                _ => return None,
            };
            Some((rank, name, input))
        })
        .collect();
    files.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    for (_, _, input) in files {
        let shown = sources(input.file).map_or_else(|| input.file_name(), |f| f.name.clone());
        match &input.content {
            Content::Vars(body) => values.extend(tfvars_values(body, input.file, &shown)),
            Content::JsonVars(node) => values.extend(json_values(node, &shown)),
            Content::Config(_) => {}
        }
    }
    values.extend(outside.var_files.iter().cloned());
    values
}

/// Variable values that apply to every module: `TF_VAR_` environment variables (lowest
/// precedence) and `--var-file` files (highest, later files winning).
#[derive(Debug, Default)]
pub struct OutsideValues {
    pub environment: HashMap<String, GivenValue>,
    pub var_files: Vec<(String, GivenValue)>,
}

/// The values a variable file sets (`.tfvars` or `.tfvars.json`), or its syntax error.
pub fn var_file_values(
    file: FileId,
    source: &SourceFile,
) -> Result<Vec<(String, GivenValue)>, (usize, String)> {
    let name = source.name.as_str();
    if name.ends_with(".json") {
        let node = crate::arm::json::parse(&source.text, file).map_err(|e| (e.start, e.message))?;
        return Ok(node.map(|n| json_values(&n, name)).unwrap_or_default());
    }
    let body = super::parse(&source.text).map_err(|e| (e.offset, e.message))?;
    Ok(tfvars_values(&body, file, name))
}

fn json_values(node: &Node, shown: &str) -> Vec<(String, GivenValue)> {
    let Value::Object(members) = &node.value else {
        return Vec::new();
    };
    members
        .iter()
        .map(|(name, value)| {
            let given = GivenValue {
                value: to_tf_value(value),
                span: Some(value.span),
                source: shown.to_string(),
            };
            (name.clone(), given)
        })
        .collect()
}

fn to_tf_value(node: &Node) -> TfValue {
    match &node.value {
        Value::Null => TfValue::Null,
        Value::Bool(b) => TfValue::Bool(*b),
        Value::Number(n) => TfValue::Number(*n),
        Value::String(s) => TfValue::String(s.clone()),
        Value::Array(items) => TfValue::List(items.iter().map(to_tf_value).collect()),
        Value::Object(members) => TfValue::Object(
            members
                .iter()
                .map(|(k, v)| (k.clone(), to_tf_value(v)))
                .collect(),
        ),
        Value::Unknown(reason) => TfValue::Unknown(reason.clone()),
    }
}

/// `TF_VAR_name` environment variables, as strings.
pub fn environment_values() -> HashMap<String, GivenValue> {
    std::env::vars()
        .filter_map(|(key, value)| {
            let name = key.strip_prefix("TF_VAR_")?;
            let given = GivenValue {
                value: TfValue::String(value),
                span: None,
                source: format!("environment variable `{key}`"),
            };
            Some((name.to_string(), given))
        })
        .collect()
}
