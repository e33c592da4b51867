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

/// How many levels of objects the tables' paths make (`properties.policies.trustPolicy.status`:
/// the body and three below it), each of which grows one member at a time.
pub(super) const MAPPED_DEPTH: usize = 4;

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

#[cfg(test)]
mod tests {
    use super::*;

    /// The deepest level of object that `attributes` and `blocks` set below an object at
    /// `level` (the body is level 1); the items of repeated blocks sit in arrays, not counted.
    fn deepest(attributes: AttributeMap, blocks: &[BlockMap], level: usize) -> usize {
        let set_by_attributes = attributes
            .iter()
            .map(|(_, path, _)| level + path.split('.').count() - 1);
        let set_by_blocks = blocks.iter().filter(|b| !b.repeated).map(|block| {
            let item = level + block.path.split('.').count();
            deepest(block.attributes, block.blocks, item).max(item)
        });
        set_by_attributes
            .chain(set_by_blocks)
            .max()
            .unwrap_or(level)
    }

    #[test]
    fn the_mapped_depth_reaches_every_object_the_tables_make() {
        for map in std::iter::once(&REGISTRY).chain(RELATED) {
            let deepest = deepest(map.attributes, map.blocks, 1);
            assert!(
                deepest <= MAPPED_DEPTH,
                "{} reaches {deepest}",
                map.terraform
            );
        }
        assert_eq!(
            deepest(REGISTRY.attributes, REGISTRY.blocks, 1),
            MAPPED_DEPTH
        );
    }
}
