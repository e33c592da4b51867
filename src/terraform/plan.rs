//! Terraform plans as `terraform show -json` writes them (`format_version` 1.x): the planned
//! values (`change.after`) of the resources a plan creates or updates, mapped through the same
//! attribute tables as HCL. Values known only after apply (`after_unknown`) are unknown, and
//! sensitive ones (`after_sensitive`) are unknown too, so they are never shown.
//!
//! When the configuration that produced the plan is scanned as well, its resources keep their
//! `.tf` source and take from the plan only the values HCL cannot know ([`combine`]).

use crate::model::{Kind, Node, RegistryRef, Resource, Unit, Value, Via};
use crate::source::Span;

use super::mapping::{self, Declared, Fields};

/// Whether a JSON document is a plan: `format_version` 1.x and `resource_changes`.
pub fn is_plan(root: &Node) -> bool {
    let version = root.get("format_version").and_then(Node::as_str);
    version.is_some_and(|v| v.starts_with("1."))
        && matches!(
            root.get("resource_changes").map(|n| &n.value),
            Some(Value::Array(_))
        )
}

/// What a plan declares: its resources, in the unit named after the plan file.
pub struct Plan {
    pub resources: Vec<Resource>,
    pub unit: Unit,
}

/// The resources a plan creates or updates (not those it deletes, reads or leaves alone).
pub fn read_plan(root: &Node, unit: &str) -> Plan {
    let mut resources = Vec::new();
    let configuration = root.get("configuration").and_then(|c| c.get("root_module"));
    if let Some(Value::Array(changes)) = root.get("resource_changes").map(|n| &n.value) {
        for change in changes {
            resources.extend(read_change(change, configuration, unit));
        }
    }
    Plan {
        resources,
        unit: Unit {
            id: unit.to_string(),
            ..Unit::default()
        },
    }
}

fn text<'n>(node: &'n Node, key: &str) -> Option<&'n str> {
    node.get(key).and_then(Node::as_str)
}

fn read_change(change: &Node, configuration: Option<&Node>, unit: &str) -> Vec<Resource> {
    let (Some(address_node), Some(resource_type), Some(name)) = (
        change.get("address"),
        text(change, "type"),
        text(change, "name"),
    ) else {
        return Vec::new();
    };
    let Some(address) = address_node.as_str() else {
        return Vec::new();
    };
    if text(change, "mode") == Some("data") {
        return Vec::new();
    }
    let Some(planned) = change.get("change") else {
        return Vec::new();
    };
    let creates = match planned.get("actions").map(|a| &a.value) {
        Some(Value::Array(actions)) => actions
            .iter()
            .any(|a| matches!(a.as_str(), Some("create" | "update"))),
        _ => false,
    };
    let Some(after) = planned.get("after").filter(|a| creates && is_object(a)) else {
        return Vec::new();
    };
    let fields = PlanFields {
        after,
        unknown: planned.get("after_unknown"),
        sensitive: planned.get("after_sensitive"),
    };
    let declared = Declared {
        address: address.to_string(),
        decl: address_node.span,
        at: after.span,
        existing: false,
        unit,
    };
    let module = text(change, "module_address").unwrap_or("");
    let expressions = configured(configuration, module, resource_type, name);
    let mut resources = if resource_type == AZAPI_RESOURCE {
        azapi(&fields, &declared).into_iter().collect()
    } else {
        mapping::map_fields(resource_type, &fields, &declared).unwrap_or_default()
    };
    let link = match resource_type {
        AZAPI_RESOURCE => Some((&["parent_id"][..], false)),
        other => mapping::link_path(other),
    };
    if let (Some(resource), Some((path, token))) = (resources.last_mut(), link)
        && resource.kind != Kind::Registry
    {
        resource.link = link_of(&fields, expressions, path, token, module);
    }
    let instance = change
        .get("index")
        .is_some_and(|i| !matches!(i.value, Value::Null));
    if instance {
        for resource in &mut resources {
            resource.variant = Some(address.to_string());
        }
    }
    resources
}

fn is_object(node: &Node) -> bool {
    matches!(node.value, Value::Object(_))
}

const AZAPI_RESOURCE: &str = "azapi_resource";

/// An `azapi_resource` of a type the rules know; its `body` is an object (azapi 2) or a JSON
/// string (azapi 1).
fn azapi(fields: &PlanFields<'_>, declared: &Declared<'_>) -> Option<Resource> {
    let type_node = fields.attribute("type", declared.at)?;
    let (arm_type, api_version) = type_node.as_str()?.split_once('@')?;
    let kind = Kind::of_arm_type(arm_type)?;
    let mut body = match fields.attribute("body", declared.at) {
        Some(node) => match &node.value {
            Value::String(json) => serde_json::from_str::<serde_json::Value>(json).map_or_else(
                |_| Node::unknown("`body` is not JSON", node.span),
                |v| from_json(&v, node.span),
            ),
            _ => node,
        },
        None => Node::object(declared.at),
    };
    if !matches!(body.value, Value::Object(_) | Value::Unknown(_)) {
        body = Node::unknown("`body` is not an object", body.span);
    }
    mapping::azapi_envelope(fields, &mut body, declared.at);
    Some(Resource {
        kind,
        arm_type: arm_type.to_string(),
        format: crate::model::Format::Terraform,
        address: declared.address.clone(),
        decl: type_node.span,
        body,
        existing: false,
        api_version: Some(api_version.to_string()),
        link: None,
        unit: declared.unit.to_string(),
        variant: None,
    })
}

/// A JSON value decoded from a string: every part spans the string.
fn from_json(value: &serde_json::Value, span: Span) -> Node {
    let value = match value {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => n.as_f64().map_or_else(
            || Value::Unknown("number out of range".into()),
            Value::Number,
        ),
        serde_json::Value::String(s) => Value::String(s.clone()),
        serde_json::Value::Array(items) => {
            Value::Array(items.iter().map(|i| from_json(i, span)).collect())
        }
        serde_json::Value::Object(members) => Value::Object(
            members
                .iter()
                .map(|(k, v)| (k.clone(), from_json(v, span)))
                .collect(),
        ),
    };
    Node::new(value, span)
}

/// An object of planned values, with the matching parts of `after_unknown` and
/// `after_sensitive` (`true` where a value is unknown or sensitive, mirroring the object).
struct PlanFields<'a> {
    after: &'a Node,
    unknown: Option<&'a Node>,
    sensitive: Option<&'a Node>,
}

/// The part of a mask below `key`; a mask that is `true` covers everything below it.
fn mask_member<'a>(mask: Option<&'a Node>, key: &str) -> Option<&'a Node> {
    let mask = mask?;
    if is_true(Some(mask)) {
        return Some(mask);
    }
    mask.get(key)
}

fn mask_item(mask: Option<&Node>, index: usize) -> Option<&Node> {
    let mask = mask?;
    match &mask.value {
        Value::Bool(true) => Some(mask),
        Value::Array(items) => items.get(index),
        _ => None,
    }
}

fn is_true(mask: Option<&Node>) -> bool {
    matches!(mask.map(|m| &m.value), Some(Value::Bool(true)))
}

fn after_apply(name: &str, span: Span) -> Node {
    Node::unknown(format!("`{name}` is known only after apply"), span)
}

/// A planned value with its unknown and sensitive parts made unknown.
fn masked(value: &Node, unknown: Option<&Node>, sensitive: Option<&Node>, name: &str) -> Node {
    if is_true(sensitive) {
        return Node::unknown(format!("`{name}` is sensitive in the plan"), value.span);
    }
    if is_true(unknown) {
        return after_apply(name, value.span);
    }
    let value_of = match &value.value {
        Value::Object(members) => Value::Object(
            members
                .iter()
                .map(|(key, member)| {
                    let unknown = mask_member(unknown, key);
                    let sensitive = mask_member(sensitive, key);
                    (key.clone(), masked(member, unknown, sensitive, key))
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(
            items
                .iter()
                .enumerate()
                .map(|(i, item)| masked(item, mask_item(unknown, i), mask_item(sensitive, i), name))
                .collect(),
        ),
        other => other.clone(),
    };
    Node::new(value_of, value.span)
}

impl Fields for PlanFields<'_> {
    fn attribute(&self, name: &str, _: Span) -> Option<Node> {
        let unknown = mask_member(self.unknown, name);
        let sensitive = mask_member(self.sensitive, name);
        let value = self.after.get(name);
        if is_true(unknown) && !is_true(sensitive) {
            return Some(after_apply(name, value.map_or(self.after.span, |v| v.span)));
        }
        let value = value.filter(|v| !matches!(v.value, Value::Null))?;
        Some(masked(value, unknown, sensitive, name))
    }

    fn blocks(&self, name: &str, _: Span, each: &mut dyn FnMut(&dyn Fields, Span)) -> Option<Node> {
        let unknown = mask_member(self.unknown, name);
        let sensitive = mask_member(self.sensitive, name);
        let value = self.after.get(name);
        if is_true(unknown) || is_true(sensitive) {
            let span = value.map_or(self.after.span, |v| v.span);
            return Some(after_apply(name, span));
        }
        match value.map(|v| &v.value) {
            Some(Value::Array(items)) => {
                for (index, item) in items.iter().enumerate().filter(|(_, i)| is_object(i)) {
                    let fields = PlanFields {
                        after: item,
                        unknown: mask_item(unknown, index),
                        sensitive: mask_item(sensitive, index),
                    };
                    each(&fields, item.span);
                }
            }
            Some(Value::Object(_)) => {
                if let Some(value) = value {
                    let fields = PlanFields {
                        after: value,
                        unknown,
                        sensitive,
                    };
                    each(&fields, value.span);
                }
            }
            _ => {}
        }
        None
    }
}

/// The `expressions` of a resource in the plan's `configuration`, found by module path (the
/// change's `module_address`, instance keys left out), type and name.
fn configured<'n>(
    root_module: Option<&'n Node>,
    module_address: &str,
    resource_type: &str,
    name: &str,
) -> Option<&'n Node> {
    let mut module = root_module?;
    let path = crate::model::without_instance_keys(module_address);
    let mut calls = path.split('.').filter(|s| !s.is_empty());
    while let Some(segment) = calls.next() {
        if segment != "module" {
            return None;
        }
        let call = calls.next()?;
        module = module.get("module_calls")?.get(call)?.get("module")?;
    }
    let Value::Array(resources) = &module.get("resources")?.value else {
        return None;
    };
    resources
        .iter()
        .find(|r| {
            text(r, "type") == Some(resource_type)
                && text(r, "name") == Some(name)
                && text(r, "mode") != Some("data")
        })?
        .get("expressions")
}

/// The registry (or, for `token`, the token) a related resource names: by its planned value
/// (a registry name or id), else by the references of its configuration.
fn link_of(
    fields: &PlanFields<'_>,
    expressions: Option<&Node>,
    path: &[&str],
    token: bool,
    module_address: &str,
) -> Option<RegistryRef> {
    let value = planned_value(fields.after, path);
    if let Some(text) = value.and_then(Node::as_str).map(str::trim) {
        let by_value = if token {
            registry_named_in(text)
        } else if text.contains('/') {
            crate::model::registry_in_id(text)
        } else if text.is_empty() {
            None
        } else {
            Some(RegistryRef::Name(text.to_string()))
        };
        if by_value.is_some() {
            return by_value;
        }
    }
    let references = planned_value(expressions?, path)?.get("references")?;
    let Value::Array(references) = &references.value else {
        return None;
    };
    let prefix = if module_address.is_empty() {
        String::new()
    } else {
        format!("{module_address}.")
    };
    let wanted: &[&str] = if token {
        &["azurerm_container_registry_token"]
    } else {
        &[super::REGISTRY_RESOURCE, AZAPI_RESOURCE]
    };
    let address = references
        .iter()
        .filter_map(Node::as_str)
        .filter_map(referenced_resource)
        .filter(|(resource_type, _)| wanted.contains(&resource_type.as_str()))
        .map(|(_, address)| address)
        .max_by_key(String::len)?;
    let address = format!("{prefix}{address}");
    Some(if token {
        RegistryRef::Token(address)
    } else {
        RegistryRef::Address(address)
    })
}

/// The value at an attribute path, taking the first of a list of nested blocks on the way.
fn planned_value<'n>(node: &'n Node, path: &[&str]) -> Option<&'n Node> {
    let mut current = node;
    for segment in path {
        current = current.get(segment)?;
        if let Value::Array(items) = &current.value
            && !matches!(path.last(), Some(last) if last == segment)
        {
            current = items.first()?;
        }
    }
    Some(current)
}

/// The registry an Azure resource id names (the registry itself, or one of its children).
fn registry_named_in(id: &str) -> Option<RegistryRef> {
    const SEGMENT: &str = "/providers/microsoft.containerregistry/registries/";
    let lower = id.to_ascii_lowercase();
    let at = lower.find(SEGMENT)? + SEGMENT.len();
    let name = id.get(at..)?.split('/').next()?;
    (!name.is_empty()).then(|| RegistryRef::Name(name.to_string()))
}

/// The resource a configuration reference names: `azurerm_container_registry.acr[0].id` gives
/// the type and `azurerm_container_registry.acr[0]`.
fn referenced_resource(reference: &str) -> Option<(String, String)> {
    let (data, rest) = match reference.strip_prefix("data.") {
        Some(rest) => ("data.", rest),
        None => ("", reference),
    };
    let (resource_type, rest) = rest.split_once('.')?;
    if matches!(
        resource_type,
        "var" | "local" | "module" | "each" | "count" | "path"
    ) {
        return None;
    }
    let name_end = rest.find(['.', '[']).unwrap_or(rest.len());
    let (name, after) = rest.split_at_checked(name_end)?;
    let key = if after.starts_with('[') {
        let end = key_end(after)?;
        after.get(..=end)?
    } else {
        ""
    };
    Some((
        resource_type.to_string(),
        format!("{data}{resource_type}.{name}{key}"),
    ))
}

/// The offset of the `]` that closes the key at the start of `text`.
fn key_end(text: &str) -> Option<usize> {
    let mut quoted = false;
    let mut escaped = false;
    for (at, c) in text.char_indices() {
        if quoted {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => quoted = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => quoted = true,
            ']' => return Some(at),
            _ => {}
        }
    }
    None
}

/// Combines a plan with the resources evaluated from the configuration beside it. A plan
/// resource whose address the configuration declares is not kept: the configuration's resource
/// reports (in its `.tf` file), taking from the plan the values it could not know, pointing at
/// the `.tf` expression with the plan value as where the value comes from. A configuration
/// resource whose instances were not known (`acr` with an unknown `count`, or `[*]` for an
/// unknown `dynamic` block) becomes one resource per planned instance. Returns the plan
/// resources the configuration does not declare.
pub fn combine(
    resources: &mut Vec<Resource>,
    plan: Vec<Resource>,
    plan_name: &str,
) -> Vec<Resource> {
    let mut rest = Vec::new();
    let mut expanded: Vec<(usize, Resource)> = Vec::new();
    for planned in plan {
        let same =
            |r: &&Resource| r.kind == planned.kind && r.format == planned.format && !r.existing;
        let exact = resources
            .iter()
            .position(|r| same(&r) && r.address == planned.address);
        if let Some(slot) = exact.and_then(|i| resources.get_mut(i)) {
            fill(&mut slot.body, &planned.body, plan_name);
            if slot.link.is_none() {
                slot.link = planned.link;
            }
            continue;
        }
        let general = resources
            .iter()
            .position(|r| same(&r) && generalizes(&r.address, &planned.address));
        match general.and_then(|i| Some((i, resources.get(i)?))) {
            Some((index, declared)) => {
                let mut instance = declared.clone();
                fill(&mut instance.body, &planned.body, plan_name);
                instance.address = planned.address;
                instance.variant = planned.variant.or(instance.variant);
                if let Some(link) = planned.link.filter(|l| !matches!(l, RegistryRef::Name(_))) {
                    instance.link = Some(link);
                }
                expanded.push((index, instance));
            }
            None => rest.push(planned),
        }
    }
    if !expanded.is_empty() {
        let mut replaced: Vec<usize> = expanded.iter().map(|(i, _)| *i).collect();
        replaced.sort_unstable();
        replaced.dedup();
        let mut kept: Vec<Resource> = std::mem::take(resources)
            .into_iter()
            .enumerate()
            .filter(|(i, _)| replaced.binary_search(i).is_err())
            .map(|(_, r)| r)
            .collect();
        kept.extend(expanded.into_iter().map(|(_, r)| r));
        *resources = kept;
    }
    rest
}

/// Whether a configuration address stands for a planned one whose instance keys it did not
/// know: `acr` for `acr[0]`, `acr.georeplications[*]` for `acr.georeplications[1]`.
fn generalizes(declared: &str, planned: &str) -> bool {
    let declared = segments(declared);
    let planned = segments(planned);
    declared.len() == planned.len()
        && declared
            .iter()
            .zip(&planned)
            .all(|((name, key), (planned_name, planned_key))| {
                name == planned_name && (key.is_empty() || *key == "[*]" || key == planned_key)
            })
}

/// An address's dot-separated segments, each split into its name and instance key.
fn segments(address: &str) -> Vec<(&str, &str)> {
    let mut out = Vec::new();
    let mut rest = address;
    while !rest.is_empty() {
        let name_end = rest.find(['.', '[']).unwrap_or(rest.len());
        let (name, after) = rest.split_at(name_end);
        let key_len = if after.starts_with('[') {
            key_end(after).map_or(after.len(), |end| end + 1)
        } else {
            0
        };
        let (key, after) = after.split_at(key_len);
        out.push((name, key));
        rest = after.strip_prefix('.').unwrap_or(after);
    }
    out
}

/// Replaces the unknown parts of a configuration value with what the plan knows: the value
/// keeps pointing at the `.tf` expression, and says it comes from the plan.
fn fill(declared: &mut Node, planned: &Node, plan_name: &str) {
    if declared.is_unknown() {
        if !planned.is_unknown() {
            let mut value = planned.clone();
            from_plan(&mut value, declared.span, plan_name);
            *declared = value;
        }
        return;
    }
    match &mut declared.value {
        Value::Object(members) => {
            for (key, member) in members {
                if let Some(planned) = planned.get(key) {
                    fill(member, planned, plan_name);
                }
            }
        }
        Value::Array(items) => {
            if let Value::Array(planned) = &planned.value
                && planned.len() == items.len()
            {
                for (item, planned) in items.iter_mut().zip(planned) {
                    fill(item, planned, plan_name);
                }
            }
        }
        _ => {}
    }
}

fn from_plan(node: &mut Node, at: Span, plan_name: &str) {
    if !node.is_unknown() {
        node.via = Some(Box::new(Via {
            span: node.span,
            description: format!("the plan `{plan_name}`"),
            input: None,
            reference: None,
        }));
    }
    node.span = at;
    match &mut node.value {
        Value::Object(members) => {
            for (_, member) in members {
                from_plan(member, at, plan_name);
            }
        }
        Value::Array(items) => {
            for item in items {
                from_plan(item, at, plan_name);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn configuration_addresses_generalize_planned_instances() {
        assert!(generalizes("a.acr", "a.acr[0]"));
        assert!(generalizes(
            "a.acr.georeplications[*]",
            "a.acr[\"x.y\"].georeplications[1]"
        ));
        assert!(generalizes("module.m.a.acr", "module.m[0].a.acr[1]"));
        assert!(!generalizes("a.acr[0]", "a.acr[1]"));
        assert!(!generalizes("a.acr", "a.other[0]"));
    }

    #[test]
    fn references_name_resources() {
        assert_eq!(
            referenced_resource("azurerm_container_registry.acr[\"a.b\"].id"),
            Some((
                "azurerm_container_registry".into(),
                "azurerm_container_registry.acr[\"a.b\"]".into()
            ))
        );
        assert_eq!(referenced_resource("var.x"), None);
        assert_eq!(
            registry_named_in(
                "/subscriptions/s/resourceGroups/r/providers/Microsoft.ContainerRegistry/registries/acr1/tokens/t"
            ),
            Some(RegistryRef::Name("acr1".into()))
        );
    }
}
