//! ARM deployment templates: classification, resources at any depth, parameter values.

pub mod expr;
pub mod json;
mod template;

pub use template::{Template, read, registry_in_id};

use std::path::Path;

use crate::model::Node;

/// What a JSON file is, judged by its content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonKind {
    Template,
    Parameters,
    Other,
}

/// Whether the raw text could be an ARM file at all; cheap, so unrelated JSON is never parsed.
pub fn may_be_arm(text: &str) -> bool {
    let bytes = text.as_bytes();
    [
        "deploymentTemplate",
        "deploymentParameters",
        "contentVersion",
    ]
    .iter()
    .any(|needle| memchr::memmem::find(bytes, needle.as_bytes()).is_some())
}

pub fn classify(root: &Node) -> JsonKind {
    let schema = root.get("$schema").and_then(Node::as_str).unwrap_or("");
    let schema = schema.to_ascii_lowercase();
    if schema.contains("deploymenttemplate") {
        return JsonKind::Template;
    }
    if schema.contains("deploymentparameters") {
        return JsonKind::Parameters;
    }
    let has = |key| root.get(key).is_some();
    match (has("contentVersion"), has("resources"), has("parameters")) {
        (true, true, _) => JsonKind::Template,
        (true, false, true) => JsonKind::Parameters,
        _ => JsonKind::Other,
    }
}

/// The template a parameters file is named for, when it does not exist: `x.parameters.json` and
/// `x.parameters.<env>.json` are for `x.json` (or `x.jsonc`, or `x.bicep` compiled at deployment).
/// `None` when the template is there or the name follows no convention.
pub fn missing_template(parameters: &Path) -> Option<String> {
    let name = parameters.file_name()?.to_str()?;
    let at = name.to_ascii_lowercase().find(".parameters.")?;
    let stem = name.get(..at).filter(|s| !s.is_empty())?;
    let dir = parameters.parent()?;
    let exists = ["json", "jsonc", "bicep"]
        .iter()
        .any(|extension| dir.join(format!("{stem}.{extension}")).exists());
    (!exists).then(|| format!("{stem}.json"))
}
