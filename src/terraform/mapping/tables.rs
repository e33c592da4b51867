//! The shape of the attribute tables: how an azurerm resource type, its attributes and nested
//! blocks map onto an ARM resource type and property paths.

use crate::model::{Kind, Node, Value};

use super::registry::REGISTRY;
use super::related::RELATED;

/// How a Terraform value becomes the ARM value.
#[derive(Clone, Copy)]
pub(super) enum Conversion {
    Same,
    /// `true`/`false` to `Enabled`/`Disabled` (e.g. `publicNetworkAccess`).
    EnabledDisabled,
    /// `true`/`false` to `enabled`/`disabled` (policy `status` values).
    PolicyStatus,
}

/// Terraform attribute, ARM path below the block's path, conversion.
pub(super) type AttributeMap = &'static [(&'static str, &'static str, Conversion)];

/// A nested block: its name, the ARM path it maps to (an array when `repeated`), its attributes
/// and nested blocks.
pub(super) struct BlockMap {
    pub(super) name: &'static str,
    pub(super) path: &'static str,
    pub(super) repeated: bool,
    pub(super) attributes: AttributeMap,
    pub(super) blocks: &'static [BlockMap],
}

/// How one azurerm resource type maps onto ARM.
pub(super) struct TypeMap {
    pub(super) terraform: &'static str,
    pub(super) kind: Kind,
    pub(super) arm_type: &'static str,
    /// Where the reference to the registry (or token) is: attribute path, and what it names.
    pub(super) link: Option<(&'static [&'static str], LinkTarget)>,
    pub(super) attributes: AttributeMap,
    pub(super) blocks: &'static [BlockMap],
}

#[derive(Clone, Copy)]
pub(super) enum LinkTarget {
    Registry,
    Token,
}

pub(super) const fn single(
    name: &'static str,
    path: &'static str,
    attributes: AttributeMap,
) -> BlockMap {
    BlockMap {
        name,
        path,
        repeated: false,
        attributes,
        blocks: &[],
    }
}

pub(super) const fn repeated(
    name: &'static str,
    path: &'static str,
    attributes: AttributeMap,
) -> BlockMap {
    BlockMap {
        repeated: true,
        ..single(name, path, attributes)
    }
}

pub(super) fn type_map(terraform_type: &str) -> Option<&'static TypeMap> {
    std::iter::once(&REGISTRY)
        .chain(RELATED)
        .find(|m| m.terraform == terraform_type)
}

/// Whether a Terraform resource type is one the rules know.
pub fn is_known_type(terraform_type: &str) -> bool {
    type_map(terraform_type).is_some()
}

pub(super) fn convert(node: Node, conversion: Conversion) -> Node {
    let (on, off) = match conversion {
        Conversion::Same => return node,
        Conversion::EnabledDisabled => ("Enabled", "Disabled"),
        Conversion::PolicyStatus => ("enabled", "disabled"),
    };
    match node.as_bool() {
        Some(b) => Node {
            value: Value::String(if b { on } else { off }.to_string()),
            ..node
        },
        None => node,
    }
}
