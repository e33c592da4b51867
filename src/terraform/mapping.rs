//! The one place where azurerm attributes are mapped onto ARM resource types and property paths.
//! The tables are data: `mapping/registry.rs` for the registry, `mapping/related.rs` for the
//! resources around it, `mapping/tables.rs` for their shape; this file applies them to HCL
//! blocks and plan values.

use hcl_edit::Span as _;
use hcl_edit::expr::{Expression, TraversalOperator};
use hcl_edit::structure::{Block, Body};

use crate::model::{Format, Kind, Node, RegistryRef, Resource, Value};
use crate::source::Span;

use super::eval::{PathStep, TfValue};
use super::expr::{Bound, Converter, DynamicElement};
use super::origin::Written;
use super::span_of;

mod registry;
mod related;
mod tables;

use registry::{GEOREPLICATION, IDENTITY};
pub use tables::is_known_type;
use tables::{AttributeMap, BlockMap, LinkTarget, MAPPED_DEPTH, TypeMap, convert, type_map};

pub const REGISTRY_RESOURCE: &str = "azurerm_container_registry";

/// What a resource or nested block holds, to be mapped onto ARM: an HCL body, or an object of
/// a plan's planned values. The attribute tables apply to both.
pub(crate) trait Fields {
    /// The attribute `name` as a model node; `None` when it is absent. `at` spans the block.
    fn attribute(&self, name: &str, at: Span) -> Option<Node>;
    /// Calls `each` with every nested block `name`, in order, and its span; returns an
    /// unknown node when which blocks there are is not known.
    fn blocks(&self, name: &str, at: Span, each: &mut dyn FnMut(&dyn Fields, Span))
    -> Option<Node>;
}

/// An object node holding the mapped attributes and nested blocks of `fields`.
fn object(fields: &dyn Fields, attributes: AttributeMap, blocks: &[BlockMap], at: Span) -> Node {
    let mut node = Node::object(at);
    for &(attribute, path, conversion) in attributes {
        if let Some(value) = fields.attribute(attribute, at) {
            node.set_path(path, convert(value, conversion));
        }
    }
    for map in blocks {
        block(fields, map, &mut node, at);
    }
    node
}

fn block(fields: &dyn Fields, map: &BlockMap, into: &mut Node, at: Span) {
    let mut items = Vec::new();
    let unknown = fields.blocks(map.name, at, &mut |nested, span| {
        items.push(object(nested, map.attributes, map.blocks, span));
    });
    if let Some(unknown) = unknown {
        into.set_path(map.path, unknown);
        return;
    }
    if map.repeated {
        let Some(first) = items.first() else {
            return;
        };
        let span = first.span;
        let mut list = match into.lookup(map.path) {
            crate::model::Lookup::Found(existing) => existing.clone(),
            _ => Node::new(Value::Array(Vec::new()), span),
        };
        if let Value::Array(existing) = &mut list.value {
            existing.extend(items);
        }
        into.set_path(map.path, list);
    } else if let Some(last) = items.pop() {
        into.set_path(map.path, last);
    }
}

/// An HCL block body, its expressions evaluated in a module (or instance) scope.
struct Hcl<'a> {
    body: &'a Body,
    converter: &'a Converter<'a>,
}

impl Fields for Hcl<'_> {
    fn attribute(&self, name: &str, at: Span) -> Option<Node> {
        let attribute = self.body.get_attribute(name)?;
        let fallback = span_of(
            attribute.span(),
            self.converter.file,
            Some(at.start..at.end),
        );
        Some(self.converter.node(&attribute.value, fallback))
    }

    fn blocks(
        &self,
        name: &str,
        at: Span,
        each: &mut dyn FnMut(&dyn Fields, Span),
    ) -> Option<Node> {
        let mut unknown = None;
        for nested in self.body.blocks() {
            if nested.ident.as_str() == name {
                let span = span_of(nested.span(), self.converter.file, Some(at.start..at.end));
                let fields = Hcl {
                    body: &nested.body,
                    converter: self.converter,
                };
                each(&fields, span);
            } else if nested.ident.as_str() == "dynamic"
                && nested.labels.first().is_some_and(|l| l.as_str() == name)
                && let Err(node) = self.dynamic(nested, name, each)
            {
                unknown = Some(node);
            }
        }
        unknown
    }
}

/// Most blocks a `dynamic` block may generate and still be evaluated one by one.
const MAX_DYNAMIC_ITEMS: usize = 64;

impl Hcl<'_> {
    /// A `dynamic` block: its `content` once per item of a known `for_each`, with the iterator
    /// (the block's label, or `iterator = NAME`) bound to `{ key, value }`.
    fn dynamic(
        &self,
        block: &Block,
        name: &str,
        each: &mut dyn FnMut(&dyn Fields, Span),
    ) -> Result<(), Node> {
        let file = self.converter.file;
        let span = span_of(block.span(), file, None);
        let unknown = |why: &str| Node::unknown(format!("`dynamic \"{name}\"` block: {why}"), span);
        let for_each = block
            .body
            .get_attribute("for_each")
            .ok_or_else(|| unknown("it has no `for_each`"))?;
        let values = self
            .converter
            .values
            .ok_or_else(|| unknown("`for_each` is not evaluated"))?;
        let items = dynamic_items(values.evaluate(&for_each.value)).map_err(|why| unknown(&why))?;
        let iterator = match block.body.get_attribute("iterator").map(|a| &a.value) {
            Some(Expression::Variable(variable)) => variable.as_str().to_string(),
            _ => name.to_string(),
        };
        let content = block.body.get_blocks("content").next();
        let content_span = content.map_or(span, |c| {
            span_of(c.span(), file, Some(span.start..span.end))
        });
        let empty = Body::default();
        let body = content.map_or(&empty, |c| &c.body);
        for (key, value) in items {
            let step = match &key {
                TfValue::String(name) => PathStep::Attr(name.clone()),
                index => PathStep::Index(index.clone()),
            };
            let item = TfValue::Object(vec![("key".into(), key), ("value".into(), value)]);
            let bound = Bound {
                parent: values,
                bindings: vec![(iterator.clone(), item)],
                element: Some(DynamicElement {
                    iterator: iterator.clone(),
                    for_each: Written {
                        file,
                        expr: &for_each.value,
                    },
                    key: step,
                }),
            };
            let converter = Converter {
                file,
                text: self.converter.text,
                values: Some(&bound),
            };
            let fields = Hcl {
                body,
                converter: &converter,
            };
            each(&fields, content_span);
        }
        Ok(())
    }
}

/// The (key, value) items a `dynamic` block's `for_each` iterates: list indexes and items, or
/// map keys (in order) and values; why not when they are not known.
fn dynamic_items(collection: TfValue) -> Result<Vec<(TfValue, TfValue)>, String> {
    let items: Vec<(TfValue, TfValue)> = match collection {
        TfValue::Unknown(reason) => return Err(reason),
        TfValue::List(items) => items
            .into_iter()
            .enumerate()
            .map(|(index, item)| (TfValue::Number(index as f64), item))
            .collect(),
        TfValue::Object(mut entries) => {
            entries.sort_by(|(a, _), (b, _)| a.cmp(b));
            entries
                .into_iter()
                .map(|(key, value)| (TfValue::String(key), value))
                .collect()
        }
        other => {
            return Err(format!(
                "`for_each` is a {}, not a collection",
                other.type_name()
            ));
        }
    };
    if items.len() > MAX_DYNAMIC_ITEMS {
        return Err(format!(
            "`for_each` has {} items; more than {MAX_DYNAMIC_ITEMS} are not evaluated one by one",
            items.len()
        ));
    }
    Ok(items)
}

/// Maps a known azurerm `resource` (or `data`) block onto the ARM shape; `None` for other types.
/// `key` is the instance key (`[0]`, `["dev"]`) of a resource with `count` or `for_each`.
pub fn map_resource(
    block: &Block,
    data: bool,
    converter: &Converter<'_>,
    unit: &str,
    key: &str,
) -> Vec<Resource> {
    let mut resources = map_instance(block, data, converter, unit, key);
    if !key.is_empty() {
        // The instance is the variant: findings every instance shares are reported once.
        let [type_label, name_label] = block.labels.as_slice() else {
            return resources;
        };
        let prefix = if data { "data." } else { "" };
        let instance = format!(
            "{prefix}{}.{}{key}",
            type_label.as_str(),
            name_label.as_str()
        );
        for resource in &mut resources {
            resource.variant = Some(instance.clone());
        }
    }
    resources
}

fn map_instance(
    block: &Block,
    data: bool,
    converter: &Converter<'_>,
    unit: &str,
    key: &str,
) -> Vec<Resource> {
    let file = converter.file;
    let [type_label, name_label] = block.labels.as_slice() else {
        return Vec::new();
    };
    if type_label.as_str() == AZAPI_RESOURCE {
        let address = format!(
            "{}{AZAPI_RESOURCE}.{}{key}",
            if data { "data." } else { "" },
            name_label.as_str()
        );
        return map_azapi(block, address, data, converter, unit)
            .into_iter()
            .collect();
    }
    let Some(map) = type_map(type_label.as_str()) else {
        // A type the rules do not know: nothing to map, not even its address.
        return Vec::new();
    };
    let prefix = if data { "data." } else { "" };
    let declared = Declared {
        address: [prefix, type_label.as_str(), ".", name_label.as_str(), key].concat(),
        decl: span_of(type_label.span(), file, block.span()),
        at: span_of(block.span(), file, None),
        existing: data,
        unit,
    };
    let fields = Hcl {
        body: &block.body,
        converter,
    };
    let mut resources = map_known_fields(map, &fields, &declared);
    let link = map
        .link
        .and_then(|(path, target)| link_of(&block.body, path, target, converter));
    if let Some(resource) = resources.last_mut() {
        resource.link = link;
    }
    resources
}

/// Where and how a resource is declared, for [`map_fields`].
pub(crate) struct Declared<'a> {
    pub address: String,
    /// The declaration findings on defaults point at.
    pub decl: Span,
    /// The whole resource.
    pub at: Span,
    pub existing: bool,
    pub unit: &'a str,
}

/// A known azurerm resource mapped from its fields (HCL or plan): the replications its
/// `georeplications` blocks declare, then the resource itself, without its link. `None` for
/// types the rules do not know.
pub(crate) fn map_fields(
    terraform_type: &str,
    fields: &dyn Fields,
    declared: &Declared<'_>,
) -> Option<Vec<Resource>> {
    Some(map_known_fields(
        type_map(terraform_type)?,
        fields,
        declared,
    ))
}

/// [`map_fields`] for a type whose table is already at hand.
fn map_known_fields(map: &TypeMap, fields: &dyn Fields, declared: &Declared<'_>) -> Vec<Resource> {
    let mut body = object(fields, map.attributes, map.blocks, declared.at);
    let mut resources = Vec::new();
    if map.kind == Kind::Registry {
        mark_retention_enabled(&mut body);
        mark_encryption_enabled(&mut body);
        resources.extend(replications(fields, declared));
    }
    body.shrink_members(MAPPED_DEPTH);
    resources.push(Resource {
        kind: map.kind,
        arm_type: map.arm_type.to_string(),
        format: Format::Terraform,
        address: declared.address.clone(),
        decl: declared.decl,
        body,
        existing: declared.existing,
        api_version: None,
        link: None,
        unit: declared.unit.to_string(),
        variant: None,
    });
    resources
}

/// Where a resource type names its registry (or token): the attribute path (through nested
/// blocks), and whether it names a token.
pub(crate) fn link_path(terraform_type: &str) -> Option<(&'static [&'static str], bool)> {
    let (path, target) = type_map(terraform_type)?.link?;
    Some((path, matches!(target, LinkTarget::Token)))
}

const AZAPI_RESOURCE: &str = "azapi_resource";

/// The `name`, `location` and `identity` of an `azapi_resource` (HCL or plan), set on its
/// ARM-shaped `body`.
pub(crate) fn azapi_envelope(fields: &dyn Fields, body: &mut Node, at: Span) {
    if !matches!(body.value, Value::Object(_)) {
        return;
    }
    for (attribute, path) in [("name", "name"), ("location", "location")] {
        if let Some(node) = fields.attribute(attribute, at) {
            body.set_path(path, node);
        }
    }
    block(fields, &IDENTITY, body, at);
}

/// An `azapi_resource` whose `type` is one the rules know: its `body` is already ARM-shaped.
fn map_azapi(
    block: &Block,
    address: String,
    data: bool,
    converter: &Converter<'_>,
    unit: &str,
) -> Option<Resource> {
    let file = converter.file;
    let block_span = span_of(block.span(), file, None);
    let type_attribute = block.body.get_attribute("type")?;
    let decl = span_of(type_attribute.value.span(), file, block.span());
    let type_node = converter.node(&type_attribute.value, decl);
    let (arm_type, api_version) = type_node.as_str()?.split_once('@')?;
    let kind = Kind::of_arm_type(arm_type)?;
    let mut body = match block.body.get_attribute("body") {
        Some(attribute) => {
            let expr = unwrap_jsonencode(&attribute.value);
            let at = span_of(expr.span(), file, attribute.span());
            converter.node(expr, at)
        }
        None => Node::object(block_span),
    };
    if !matches!(body.value, Value::Object(_) | Value::Unknown(_)) {
        body = Node::unknown("`body` is not an object", body.span);
    }
    let fields = Hcl {
        body: &block.body,
        converter,
    };
    azapi_envelope(&fields, &mut body, block_span);
    let link = (kind != Kind::Registry)
        .then(|| link_of(&block.body, &["parent_id"], LinkTarget::Registry, converter))
        .flatten();
    Some(Resource {
        kind,
        arm_type: arm_type.to_string(),
        format: Format::Terraform,
        address,
        decl,
        body,
        existing: data,
        api_version: Some(api_version.to_string()),
        link,
        unit: unit.to_string(),
        variant: None,
    })
}

/// `jsonencode(x)` is `x` for the model.
fn unwrap_jsonencode(expr: &Expression) -> &Expression {
    match expr {
        Expression::FuncCall(call) if call.name.name.as_str() == "jsonencode" => {
            call.args.iter().next().unwrap_or(expr)
        }
        other => other,
    }
}

/// `georeplications` blocks become replication resources of the registry; blocks that are not
/// known (a `dynamic` block over an unknown collection) one unknown replication.
fn replications(fields: &dyn Fields, registry: &Declared<'_>) -> Vec<Resource> {
    let replication = |address: String, decl: Span, body: Node| Resource {
        kind: Kind::Replication,
        arm_type: "Microsoft.ContainerRegistry/registries/replications".into(),
        format: Format::Terraform,
        address,
        decl,
        body,
        existing: false,
        api_version: None,
        link: Some(RegistryRef::Address(registry.address.clone())),
        unit: registry.unit.to_string(),
        variant: None,
    };
    let mut found = Vec::new();
    let unknown = fields.blocks("georeplications", registry.decl, &mut |replica, span| {
        let body = object(replica, GEOREPLICATION, &[], span);
        // The replica is declared where its location is written (not where a value came from).
        let decl = match body.get("location") {
            Some(location) => location.via.as_ref().map_or(location.span, |via| via.span),
            None => span,
        };
        let address = format!("{}.georeplications[{}]", registry.address, found.len());
        found.push(replication(address, decl, body));
    });
    if let Some(node) = unknown {
        let address = format!("{}.georeplications[*]", registry.address);
        found.push(replication(address, node.span, node));
    }
    found
}

/// The registry (or token) an attribute's reference expression names.
fn link_of(
    body: &Body,
    path: &[&str],
    target: LinkTarget,
    converter: &Converter<'_>,
) -> Option<RegistryRef> {
    let (attribute, blocks) = path.split_last()?;
    let mut body = body;
    for name in blocks {
        body = &body.get_blocks(name).next()?.body;
    }
    let attribute = body.get_attribute(attribute)?;
    let expr = &attribute.value;
    if let (LinkTarget::Registry, Some(output)) = (&target, module_output(expr, converter)) {
        return Some(output);
    }
    let Some(address) = referenced_address(expr, converter) else {
        let input = super::expr::direct_variable(expr)
            .filter(|_| matches!(target, LinkTarget::Registry))
            .map(|name| RegistryRef::ModuleInput(name.to_string()));
        return literal_link(converter, expr, target).or(input);
    };
    match target {
        LinkTarget::Registry if address.ends_with_type(REGISTRY_RESOURCE) => {
            Some(RegistryRef::Address(address.0))
        }
        LinkTarget::Token if address.ends_with_type("azurerm_container_registry_token") => {
            Some(RegistryRef::Token(address.0))
        }
        _ => None,
    }
}

/// The registry an expression refers to by reference: a registry resource's attribute, or a
/// called module's output (which may in turn refer to one).
pub fn registry_reference(expr: &Expression, converter: &Converter<'_>) -> Option<RegistryRef> {
    if let Some(output) = module_output(expr, converter) {
        return Some(output);
    }
    if let Some(name) = super::expr::direct_variable(expr) {
        return Some(RegistryRef::ModuleInput(name.to_string()));
    }
    let address = referenced_address(expr, converter)?;
    address
        .ends_with_type(REGISTRY_RESOURCE)
        .then_some(RegistryRef::Address(address.0))
}

/// A reference expression's root name and its operators: `module.acr[0].id` gives `module`
/// and `.acr`, `[0]`, `.id` (parentheses looked through).
fn traversal_parts(expr: &Expression) -> Option<(&str, Vec<&TraversalOperator>)> {
    let expr = match expr {
        Expression::Parenthesis(inner) => inner.inner(),
        other => other,
    };
    let Expression::Traversal(traversal) = expr else {
        return None;
    };
    let Expression::Variable(root) = &traversal.expr else {
        return None;
    };
    let operators = traversal.operators.iter().map(|op| op.value()).collect();
    Some((root.as_str(), operators))
}

/// An instance key operator's value (`[0]`, `["dev"]`, `.0`), when it is one and known.
fn instance_key_of(
    operator: Option<&&TraversalOperator>,
    converter: &Converter<'_>,
) -> Option<String> {
    let key = match operator? {
        TraversalOperator::LegacyIndex(index) => {
            super::eval::TfValue::Number(*index.value() as f64)
        }
        TraversalOperator::Index(index) => converter.values?.evaluate(index),
        _ => return None,
    };
    super::module::instance_key(&key)
}

/// `module.NAME.OUTPUT` or `module.NAME[KEY].OUTPUT` (the key known).
fn module_output(expr: &Expression, converter: &Converter<'_>) -> Option<RegistryRef> {
    let (root, operators) = traversal_parts(expr)?;
    if root != "module" {
        return None;
    }
    let mut operators = operators.iter();
    let Some(TraversalOperator::GetAttr(name)) = operators.next() else {
        return None;
    };
    let mut module = format!("module.{}", name.as_str());
    let mut next = operators.next();
    if matches!(
        next,
        Some(TraversalOperator::LegacyIndex(_) | TraversalOperator::Index(_))
    ) {
        module.push_str(&instance_key_of(next, converter)?);
        next = operators.next();
    }
    let Some(TraversalOperator::GetAttr(output)) = next else {
        return None;
    };
    Some(RegistryRef::ModuleOutput {
        module,
        output: output.as_str().to_string(),
    })
}

/// A registry named by value: a name, or a resource id that names a registry.
fn literal_link(
    converter: &Converter<'_>,
    expr: &Expression,
    target: LinkTarget,
) -> Option<RegistryRef> {
    if !matches!(target, LinkTarget::Registry) {
        return None;
    }
    let span = span_of(expr.span(), converter.file, None);
    let node = converter.node(expr, span);
    let text = node.as_str()?.trim();
    if text.contains('/') {
        crate::model::registry_in_id(text)
    } else {
        (!text.is_empty()).then(|| RegistryRef::Name(text.to_string()))
    }
}

/// A resource address such as `azurerm_container_registry.acr` or `data.azurerm_container_registry.x`.
struct Address(String);

impl Address {
    fn ends_with_type(&self, resource_type: &str) -> bool {
        let without_data = self.0.strip_prefix("data.").unwrap_or(&self.0);
        without_data.split('.').next() == Some(resource_type)
    }
}

/// The resource a reference expression points into: `TYPE.NAME.attr` gives `TYPE.NAME`, and
/// `TYPE.NAME[KEY].attr` gives `TYPE.NAME[KEY]` when the key is known.
fn referenced_address(expr: &Expression, converter: &Converter<'_>) -> Option<Address> {
    let (root, operators) = traversal_parts(expr)?;
    let data = root == "data";
    if !data && !root.starts_with("azurerm_") && root != AZAPI_RESOURCE {
        return None;
    }
    let mut operators = operators.iter();
    let mut address = String::from(root);
    for _ in 0..if data { 2 } else { 1 } {
        let Some(TraversalOperator::GetAttr(ident)) = operators.next() else {
            return None;
        };
        address.push('.');
        address.push_str(ident.as_str());
    }
    if let Some(key) = instance_key_of(operators.next(), converter) {
        address.push_str(&key);
    }
    Some(Address(address))
}

/// `retention_policy_in_days` both enables retention and sets its length (azurerm v4).
fn mark_retention_enabled(body: &mut Node) {
    let policy = ["properties", "policies", "retentionPolicy"]
        .iter()
        .try_fold(&*body, |node, key| node.get(key));
    let Some(days) = policy
        .filter(|p| p.get("status").is_none())
        .and_then(|p| p.get("days"))
    else {
        return;
    };
    let status = match &days.value {
        Value::Null => return,
        Value::Unknown(reason) => Value::Unknown(reason.clone()),
        Value::Number(n) if *n <= 0.0 => Value::String("disabled".into()),
        _ => Value::String("enabled".into()),
    };
    let status = Node::new(status, days.span);
    body.set_path("properties.policies.retentionPolicy.status", status);
}

/// An `encryption` block with a key enables customer-managed keys unless `enabled = false` (v3).
fn mark_encryption_enabled(body: &mut Node) {
    let crate::model::Lookup::Found(encryption) = body.lookup("properties.encryption") else {
        return;
    };
    if encryption.get("status").is_some() {
        return;
    }
    let status = Node::new(Value::String("enabled".into()), encryption.span);
    body.set_path("properties.encryption.status", status);
}
