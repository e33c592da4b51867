//! ARM deployment templates: classification, resources at any depth, parameter values.

pub mod expr;
pub mod json;
mod template;

pub use template::{Template, read, registry_in_id};

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
