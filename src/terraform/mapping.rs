//! The one place where azurerm attributes are mapped onto ARM property paths.

use hcl_edit::Span as _;
use hcl_edit::structure::{Block, Body};

use crate::model::{Format, Node, REGISTRY_TYPE, Resource, Value};
use crate::source::{FileId, Span};

use super::expr::to_node;
use super::span_of;

pub const REGISTRY_RESOURCE: &str = "azurerm_container_registry";

/// How a Terraform value becomes the ARM value.
#[derive(Clone, Copy)]
enum Conversion {
    Same,
    /// `true`/`false` to `Enabled`/`Disabled` (e.g. `publicNetworkAccess`).
    EnabledDisabled,
    /// `true`/`false` to `enabled`/`disabled` (policy `status` values).
    PolicyStatus,
}

use Conversion::*;

/// Terraform attribute, ARM path below the block's path, conversion.
type AttributeMap = &'static [(&'static str, &'static str, Conversion)];

/// Registry attributes, in azurerm v3, v4 and v5 forms.
const REGISTRY_ATTRIBUTES: AttributeMap = &[
    ("name", "name", Same),
    ("location", "location", Same),
    ("sku", "sku.name", Same),
    ("tags", "tags", Same),
    ("admin_enabled", "properties.adminUserEnabled", Same),
    (
        "anonymous_pull_enabled",
        "properties.anonymousPullEnabled",
        Same,
    ),
    (
        "public_network_access_enabled",
        "properties.publicNetworkAccess",
        EnabledDisabled,
    ),
    (
        "network_rule_bypass_option",
        "properties.networkRuleBypassOptions",
        Same,
    ),
    (
        "network_rule_bypass_for_tasks_enabled",
        "properties.networkRuleBypassAllowedForTasks",
        Same,
    ),
    (
        "data_endpoint_enabled",
        "properties.dataEndpointEnabled",
        Same,
    ),
    (
        "zone_redundancy_enabled",
        "properties.zoneRedundancy",
        EnabledDisabled,
    ),
    (
        "quarantine_policy_enabled",
        "properties.policies.quarantinePolicy.status",
        PolicyStatus,
    ),
    (
        "trust_policy_enabled",
        "properties.policies.trustPolicy.status",
        PolicyStatus,
    ),
    (
        "export_policy_enabled",
        "properties.policies.exportPolicy.status",
        PolicyStatus,
    ),
    (
        "azuread_authentication_as_arm_policy_enabled",
        "properties.policies.azureADAuthenticationAsArmPolicy.status",
        PolicyStatus,
    ),
    (
        "retention_policy_in_days",
        "properties.policies.retentionPolicy.days",
        Same,
    ),
    (
        "role_assignment_mode",
        "properties.roleAssignmentMode",
        Same,
    ),
];

/// Nested blocks whose attributes map one to one.
const REGISTRY_BLOCKS: &[(&str, &str, AttributeMap)] = &[
    ("identity", "identity", &[("type", "type", Same)]),
    (
        "network_rule_set",
        "properties.networkRuleSet",
        &[("default_action", "defaultAction", Same)],
    ),
    (
        "trust_policy",
        "properties.policies.trustPolicy",
        &[("enabled", "status", PolicyStatus)],
    ),
    (
        "retention_policy",
        "properties.policies.retentionPolicy",
        &[("enabled", "status", PolicyStatus), ("days", "days", Same)],
    ),
];

struct Mapper<'a> {
    file: FileId,
    text: &'a str,
    body: Node,
}

impl Mapper<'_> {
    fn value(&self, body: &Body, attribute: &str, fallback: Span) -> Option<Node> {
        let attribute = body.get_attribute(attribute)?;
        let fallback = span_of(
            attribute.span(),
            self.file,
            Some(fallback.start..fallback.end),
        );
        Some(to_node(&attribute.value, self.file, self.text, fallback))
    }

    fn map_attributes(&mut self, body: &Body, prefix: &str, table: AttributeMap, at: Span) {
        for &(attribute, path, conversion) in table {
            if let Some(node) = self.value(body, attribute, at) {
                let path = join(prefix, path);
                self.body.set_path(&path, convert(node, conversion));
            }
        }
    }
}

/// Maps an `azurerm_container_registry` block onto the ARM registry shape.
pub fn map_registry(
    block: &Block,
    address: String,
    decl: Span,
    existing: bool,
    file: FileId,
    text: &str,
) -> Resource {
    let block_span = span_of(block.span(), file, None);
    let mut mapper = Mapper {
        file,
        text,
        body: Node::object(block_span),
    };
    mapper.map_attributes(&block.body, "", REGISTRY_ATTRIBUTES, block_span);
    mark_retention_enabled(&mut mapper.body);
    for &(block_name, path, table) in REGISTRY_BLOCKS {
        for nested in block.body.get_blocks(block_name) {
            let at = span_of(nested.span(), file, Some(block_span.start..block_span.end));
            mapper.body.set_path(path, Node::object(at));
            mapper.map_attributes(&nested.body, path, table, at);
        }
    }
    mark_dynamic_blocks_unknown(&block.body, &mut mapper.body, file);
    Resource {
        arm_type: REGISTRY_TYPE.to_string(),
        format: Format::Terraform,
        address,
        decl,
        body: mapper.body,
        existing,
    }
}

/// `retention_policy_in_days` both enables retention and sets its length (azurerm v4).
fn mark_retention_enabled(body: &mut Node) {
    let Some(days) = body
        .get("properties")
        .and_then(|p| p.get("policies"))
        .and_then(|p| p.get("retentionPolicy"))
        .and_then(|r| r.get("days"))
    else {
        return;
    };
    let status = match days.value {
        Value::Unknown(ref reason) => Value::Unknown(reason.clone()),
        _ => Value::String("enabled".into()),
    };
    let status = Node::new(status, days.span);
    body.set_path("properties.policies.retentionPolicy.status", status);
}

/// A `dynamic "x"` block makes whatever `x` maps to unknown.
fn mark_dynamic_blocks_unknown(block_body: &Body, body: &mut Node, file: FileId) {
    for dynamic in block_body.get_blocks("dynamic") {
        let Some(label) = dynamic.labels.first() else {
            continue;
        };
        let Some(&(_, path, _)) = REGISTRY_BLOCKS
            .iter()
            .find(|(name, _, _)| *name == label.as_str())
        else {
            continue;
        };
        let span = span_of(dynamic.span(), file, None);
        let reason = format!("`dynamic \"{}\"` block is not evaluated", label.as_str());
        body.set_path(path, Node::unknown(reason, span));
    }
}

fn convert(node: Node, conversion: Conversion) -> Node {
    let (on, off) = match conversion {
        Same => return node,
        EnabledDisabled => ("Enabled", "Disabled"),
        PolicyStatus => ("enabled", "disabled"),
    };
    match node.as_bool() {
        Some(b) => Node {
            value: Value::String(if b { on } else { off }.to_string()),
            ..node
        },
        None => node,
    }
}

fn join(prefix: &str, path: &str) -> String {
    if prefix.is_empty() {
        path.to_string()
    } else {
        format!("{prefix}.{path}")
    }
}
