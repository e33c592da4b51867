//! ARM deployment templates: classification, resources at any depth, parameter values.

pub mod expr;
pub mod json;
mod template;

pub use template::{ParametersFile, Template, read, registry_in_id};

use crate::model::Node;

/// What a JSON file is, judged by its content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonKind {
    Template,
    Parameters,
    /// A Terraform plan (`terraform show -json`).
    Plan,
    Other,
}

/// Whether a parameters file belongs to a template by name: `x.json` takes `x.parameters.json`
/// and `x.parameters.<env>.json` (both file names as shown, in the same directory).
pub fn pairs_with(template: &str, parameters: &str) -> bool {
    let file_name = |path: &str| path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    let template = file_name(template);
    let parameters = file_name(parameters);
    let Some(stem) = template
        .strip_suffix(".json")
        .or_else(|| template.strip_suffix(".jsonc"))
    else {
        return false;
    };
    let Some(rest) = parameters
        .strip_prefix(stem)
        .and_then(|r| r.strip_prefix(".parameters"))
    else {
        return false;
    };
    rest == ".json"
        || rest == ".jsonc"
        || (rest.starts_with('.') && (rest.ends_with(".json") || rest.ends_with(".jsonc")))
}

/// Whether the raw text could be an ARM file (or a Terraform plan) at all; cheap, so unrelated
/// JSON is never parsed.
pub fn may_be_arm(text: &str) -> bool {
    let bytes = text.as_bytes();
    [
        "deploymentTemplate",
        "deploymentParameters",
        "contentVersion",
        "resource_changes",
    ]
    .iter()
    .any(|needle| memchr::memmem::find(bytes, needle.as_bytes()).is_some())
}

pub fn classify(root: &Node) -> JsonKind {
    if crate::terraform::is_plan(root) {
        return JsonKind::Plan;
    }
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

#[cfg(test)]
mod tests {
    use super::pairs_with;

    #[test]
    fn parameters_files_pair_by_name() {
        assert!(pairs_with(
            "infra/azuredeploy.json",
            "infra/azuredeploy.parameters.json"
        ));
        assert!(pairs_with("main.json", "main.parameters.prod.json"));
        assert!(!pairs_with("main.json", "other.parameters.json"));
        assert!(!pairs_with("main.json", "main.json"));
        assert!(!pairs_with("main.json", "mainx.parameters.json"));
    }
}
