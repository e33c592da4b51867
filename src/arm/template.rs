//! Walks a template, its nested deployments and child resources, and yields the resources the
//! rules know about, with values resolved as far as the template alone allows.

mod scope;

use super::expr::{self, Access, AccessRoot, AccessStep, Val};
use scope::{Scope, copy_count, expand_loop, from_val, is_property_loop};

use crate::model::{Format, Input, Kind, Node, Output, RegistryRef, Resource, Unit, Value, Via};
use crate::model::{directives, registry_in_id};
use crate::source::Span;

const DEPLOYMENTS_TYPE: &str = "Microsoft.Resources/deployments";
const REGISTRY_SEGMENT: &str = "microsoft.containerregistry/registries/";
/// Most instances a resource `copy` loop is expanded into; larger or unknown counts are
/// evaluated once, with `copyIndex()` unknown.
pub const MAX_RESOURCE_COPIES: i64 = 64;
/// Most items a variable or property `copy` loop produces (Azure's own limit); a larger loop
/// gives an unknown value.
pub const MAX_VALUE_COPIES: i64 = 800;
/// Size of all the values one template's expressions may produce, nested deployments included:
/// one unit per value and per 16 bytes of text (about 100 bytes of memory). Past it, expression
/// values are unknown ("too large"), so doubling chains of variables stop at tens of megabytes.
pub const MAX_PRODUCED_UNITS: u64 = 200_000;

/// The resources, outputs and parameters of one template file.
pub struct Template {
    pub resources: Vec<Resource>,
    pub unit: Unit,
}

/// Reads the resources and the unit-level facts of a template; `unit` names the template.
/// A parameters file paired with a template: its name and its `parameters` object.
pub struct ParametersFile<'a> {
    pub name: &'a str,
    pub parameters: &'a Node,
}

/// Reads a template, with the values of a parameters file when one is given; the unit of
/// such an evaluation is named after both files.
pub fn read(root: &Node, unit: &str, parameters: Option<&ParametersFile<'_>>) -> Template {
    let scope = match parameters {
        Some(file) => Scope::for_parameters_file(root, file),
        None => Scope::for_template(root, None, None),
    };
    let template_name = unit;
    let unit = match parameters {
        Some(file) => format!("{unit} with {}", file.name),
        None => unit.to_string(),
    };
    let unit = unit.as_str();
    let mut walker = Walker {
        template_name: template_name.to_string(),
        variant: parameters.map(|file| file.name.to_string()),
        copies: Vec::new(),
        unit: unit.to_string(),
        resources: Vec::new(),
        facts: Unit {
            id: unit.to_string(),
            format: Format::Arm,
            ..Unit::default()
        },
    };
    walker.facts.directives = directives::from_arm_metadata(
        root.get("metadata"),
        &crate::model::suppression::Covers::Unit(template_name.to_string()),
    );
    walker.template(root, &scope, "");
    Template {
        resources: walker.resources,
        unit: walker.facts,
    }
}

/// The variables of a template (those of its `copy` loops too) that `wanted` accepts, evaluated
/// with its parameters' defaults, each with the places that set it.
pub fn variable_values(template: &Node, wanted: &dyn Fn(&str) -> bool) -> Vec<(String, Node)> {
    let scope = Scope::for_template(template, None, None);
    let mut names = Vec::new();
    if let Some(Value::Object(declared)) = template.get("variables").map(|v| &v.value) {
        for (name, value) in declared {
            match &value.value {
                Value::Array(loops) if name.eq_ignore_ascii_case("copy") => names.extend(
                    loops
                        .iter()
                        .filter_map(|entry| entry.get("name").and_then(Node::as_str)),
                ),
                _ => names.push(name.as_str()),
            }
        }
    }
    names
        .into_iter()
        .filter(|name| wanted(name))
        .filter_map(|name| Some((name.to_string(), (*scope.variable_node(name)?).clone())))
        .collect()
}

struct Walker {
    template_name: String,
    unit: String,
    /// The parameters file of this evaluation, when there is one.
    variant: Option<String>,
    /// The resource copy loops with a known index that enclose the current resource, outermost
    /// first, as `loop[index]`.
    copies: Vec<String>,
    resources: Vec<Resource>,
    facts: Unit,
}

/// The registry a child resource sits under, when nested in its `resources`.
struct Parent<'a> {
    arm_type: &'a str,
    address: &'a str,
    registry_name: Option<String>,
}

impl Walker {
    fn template(&mut self, template: &Node, scope: &Scope<'_>, prefix: &str) {
        self.declarations(template);
        match template.get("resources").map(|r| &r.value) {
            Some(Value::Array(list)) => {
                for resource in list {
                    self.resource(resource, None, None, scope, prefix);
                }
            }
            Some(Value::Object(named)) => {
                for (symbol, resource) in named {
                    self.resource(resource, Some(symbol), None, scope, prefix);
                }
            }
            _ => {}
        }
    }

    fn declarations(&mut self, template: &Node) {
        if let Some(Value::Object(parameters)) = template.get("parameters").map(|p| &p.value) {
            self.facts.inputs.reserve_exact(parameters.len());
            for (name, declaration) in parameters {
                let type_node = declaration.get("type");
                let type_name = type_node.and_then(Node::as_str).unwrap_or("");
                self.facts.inputs.push(Input {
                    name: name.clone(),
                    span: type_node.map_or(declaration.span, |t| t.span),
                    secure: super::is_secure_type(type_name),
                    plain_string: type_name.eq_ignore_ascii_case("string"),
                });
            }
        }
        if let Some(Value::Object(outputs)) = template.get("outputs").map(|o| &o.value) {
            self.facts.outputs.reserve_exact(outputs.len());
            for (name, output) in outputs {
                let Some(value) = output.get("value").or_else(|| output.get("copy")) else {
                    continue;
                };
                let output_type = output.get("type").and_then(Node::as_str).unwrap_or("");
                self.facts.outputs.push(Output {
                    name: name.clone(),
                    expression: value.as_str().unwrap_or("").to_string(),
                    span: value.span,
                    sensitive: super::is_secure_type(output_type),
                    reference: None,
                });
            }
        }
    }

    /// A resource, expanded into its instances when it has a `copy` loop whose count is known.
    fn resource(
        &mut self,
        resource: &Node,
        symbol: Option<&str>,
        parent: Option<&Parent<'_>>,
        scope: &Scope<'_>,
        prefix: &str,
    ) {
        let Some(copy) = resource
            .get("copy")
            .filter(|c| matches!(c.value, Value::Object(_)))
        else {
            return self.instance(resource, symbol, parent, scope, prefix, "");
        };
        let name = copy.get("name").and_then(Node::as_str).unwrap_or("");
        match copy_count(copy, scope, MAX_RESOURCE_COPIES) {
            Ok(count) => {
                for index in 0..count {
                    self.copies.push(format!("{name}[{index}]"));
                    scope.in_loop(name, Ok(index), true, || {
                        let suffix = format!("[{index}]");
                        self.instance(resource, symbol, parent, scope, prefix, &suffix);
                    });
                    self.copies.pop();
                }
            }
            Err(count) => {
                let reason = match &count.value {
                    Value::Unknown(reason) => {
                        format!("the count of copy loop `{name}` is not known: {reason}")
                    }
                    _ => format!("the count of copy loop `{name}` is not known"),
                };
                scope.in_loop(name, Err(reason), true, || {
                    self.instance(resource, symbol, parent, scope, prefix, "");
                });
            }
        }
    }

    /// One instance of a resource; `suffix` is its copy index in the address (`[2]`).
    fn instance(
        &mut self,
        resource: &Node,
        symbol: Option<&str>,
        parent: Option<&Parent<'_>>,
        scope: &Scope<'_>,
        prefix: &str,
        suffix: &str,
    ) {
        let Some(type_node) = resource.get("type") else {
            return;
        };
        let Some(declared_type) = type_node.as_str() else {
            return;
        };
        if is_known_false(resource.get("condition"), scope) {
            return;
        }
        let arm_type = match parent {
            Some(p) if !declared_type.contains('/') || !declared_type.contains('.') => {
                format!("{}/{declared_type}", p.arm_type)
            }
            _ => declared_type.to_string(),
        };
        let raw_name = resource.get("name").and_then(Node::as_str).unwrap_or("");
        let address = match parent {
            Some(p) => [p.address, "/", symbol.unwrap_or(raw_name), suffix].concat(),
            None => [prefix, symbol.unwrap_or(raw_name), suffix].concat(),
        };
        if arm_type.eq_ignore_ascii_case(DEPLOYMENTS_TYPE) {
            self.deployment(resource, scope, &address);
            return;
        }
        let Some(kind) = Kind::of_arm_type(&arm_type) else {
            return;
        };
        let metadata = resource.get("metadata");
        if metadata.is_some_and(|m| m.get("acr-lint").is_some()) {
            let covers = crate::model::suppression::Covers::Resource {
                unit: self.template_name.clone(),
                // One suppression covers every instance of a copy loop.
                address: if !self.copies.is_empty() {
                    super::copy_stem(&address)
                } else {
                    address.clone()
                },
                span: resource.span,
            };
            let directives = directives::from_arm_metadata(metadata, &covers);
            self.facts.directives.extend(directives);
        }
        let body = resolve(resource, scope);
        let link = link(kind, &arm_type, &body, parent);
        let registry_name = (kind == Kind::Registry)
            .then(|| body.get("name").and_then(Node::as_str).map(str::to_string))
            .flatten();
        self.children(resource, &arm_type, &address, registry_name, scope);
        let variant = self.instance_variant();
        self.resources.push(Resource {
            kind,
            arm_type,
            format: Format::Arm,
            address,
            decl: type_node.span,
            existing: resource.get("existing").and_then(Node::as_bool) == Some(true),
            api_version: resource
                .get("apiVersion")
                .and_then(Node::as_str)
                .map(str::to_string),
            link,
            unit: self.unit.clone(),
            variant,
            body,
        });
    }

    /// The variant of a resource: the parameters file, and the copy loop iterations when the
    /// resource is an instance of one (see [`super::variant`]).
    fn instance_variant(&self) -> Option<String> {
        let copy = (!self.copies.is_empty()).then(|| self.copies.join("/"));
        super::variant(self.variant.as_deref(), copy.as_deref())
    }

    fn children(
        &mut self,
        resource: &Node,
        arm_type: &str,
        address: &str,
        registry_name: Option<String>,
        scope: &Scope<'_>,
    ) {
        let Some(Value::Array(children)) = resource.get("resources").map(|r| &r.value) else {
            return;
        };
        let parent = Parent {
            arm_type,
            address,
            registry_name,
        };
        for child in children {
            self.resource(child, None, Some(&parent), scope, "");
        }
    }

    fn deployment(&mut self, deployment: &Node, scope: &Scope<'_>, address: &str) {
        let Some(properties) = deployment.get("properties") else {
            return;
        };
        let Some(template) = properties.get("template") else {
            return;
        };
        let inner = properties
            .get("expressionEvaluationOptions")
            .and_then(|o| o.get("scope"))
            .and_then(Node::as_str)
            .is_some_and(|s| s.eq_ignore_ascii_case("inner"));
        let prefix = format!("{address}/");
        if inner {
            let passed = properties.get("parameters");
            let inner_scope = Scope::for_template(template, passed, Some(scope));
            self.template(template, &inner_scope, &prefix);
        } else {
            self.template(template, scope, &prefix);
        }
    }
}

fn is_known_false(condition: Option<&Node>, scope: &Scope<'_>) -> bool {
    condition.is_some_and(|c| resolve(c, scope).as_bool() == Some(false))
}

/// How a related resource refers to its registry.
fn link(
    kind: Kind,
    arm_type: &str,
    body: &Node,
    parent: Option<&Parent<'_>>,
) -> Option<RegistryRef> {
    if kind == Kind::Registry || kind == Kind::DefenderPricing {
        return None;
    }
    if let Some(parent) =
        parent.filter(|p| p.arm_type.eq_ignore_ascii_case(crate::model::REGISTRY_TYPE))
    {
        return Some(match &parent.registry_name {
            Some(name) => RegistryRef::Name(name.clone()),
            None => RegistryRef::Address(parent.address.to_string()),
        });
    }
    let lower = arm_type.to_ascii_lowercase();
    if lower.starts_with(REGISTRY_SEGMENT) {
        let name = body.get("name").and_then(Node::as_str)?;
        let registry = name.split('/').next().filter(|n| !n.is_empty())?;
        return Some(RegistryRef::Name(registry.to_string()));
    }
    match kind {
        Kind::PrivateEndpoint => private_endpoint_target(body),
        _ => {
            let scope = body.get("scope").and_then(Node::as_str)?;
            registry_in_id(scope)
        }
    }
}

fn private_endpoint_target(body: &Node) -> Option<RegistryRef> {
    let properties = body.get("properties")?;
    [
        "privateLinkServiceConnections",
        "manualPrivateLinkServiceConnections",
    ]
    .iter()
    .filter_map(|key| match properties.get(key).map(|c| &c.value) {
        Some(Value::Array(connections)) => Some(connections),
        _ => None,
    })
    .flatten()
    .filter_map(|c| c.get("properties")?.get("privateLinkServiceId")?.as_str())
    .find_map(registry_in_id)
}

/// Resolves template expressions in a value tree; what cannot be resolved becomes unknown.
fn resolve(node: &Node, scope: &Scope<'_>) -> Node {
    match &node.value {
        Value::String(text) => resolve_string(text, node.span, scope),
        Value::Array(items) => Node {
            value: Value::Array(items.iter().map(|i| resolve(i, scope)).collect()),
            span: node.span,
            via: node.via.clone(),
        },
        Value::Object(members) => {
            let mut resolved = Vec::with_capacity(members.len());
            for (key, value) in members {
                match &value.value {
                    Value::Array(loops) if is_property_loop(key, value) => {
                        for entry in loops {
                            let name = entry.get("name").and_then(Node::as_str).unwrap_or("");
                            resolved.push((name.to_string(), expand_loop(entry, scope)));
                        }
                    }
                    _ => resolved.push((resolve_key(key, scope), resolve(value, scope))),
                }
            }
            Node {
                value: Value::Object(resolved),
                span: node.span,
                via: node.via.clone(),
            }
        }
        _ => node.clone(),
    }
}

/// An object key may be an expression too (e.g. `userAssignedIdentities`).
fn resolve_key(key: &str, scope: &Scope<'_>) -> String {
    if !expr::is_expression(key) {
        return expr::unescape_literal(key).to_string();
    }
    match expr::evaluate(key, scope) {
        Ok(Val::String(text)) if scope.spend(1 + text.len() as u64 / 16) => text,
        _ => key.to_string(),
    }
}

fn resolve_string(text: &str, span: Span, scope: &Scope<'_>) -> Node {
    if !expr::is_expression(text) {
        return Node::new(
            Value::String(expr::unescape_literal(text).to_string()),
            span,
        );
    }
    let inner = text
        .get(1..text.len().saturating_sub(1))
        .unwrap_or("")
        .trim();
    let tree = expr::parse_remembered(text);
    if let Ok(tree) = tree.as_ref() {
        if let Some(node) = expr::access_of(tree, scope).and_then(|a| traced(&a, span, scope)) {
            return scope.admit(node);
        }
        if let Some(node) = merged_objects(tree, span, scope) {
            return scope.admit(node);
        }
    }
    let evaluated = match tree.as_ref() {
        Ok(tree) => expr::evaluate_parsed(tree, scope),
        Err(error) => Err(error.clone()),
    };
    let mut node = match evaluated {
        Ok(value) => from_val(value, span),
        Err(error) => Node::unknown(
            format!(
                "expression error at character {}: {}",
                error.offset + 1,
                error.message
            ),
            span,
        ),
    };
    node.via = Some(Box::new(Via {
        span,
        description: ["expression `", shorten(inner).as_str(), "`"].concat(),
        input: first_parameter(inner),
        reference: None,
    }));
    scope.admit(node)
}

/// `shallowMerge(createArray(a, b, ...))` (how Bicep writes an object with spreads) merged
/// member by member, each member keeping the place that set it; `None` for any other
/// expression, or when an item is not an object (the evaluator then says why).
fn merged_objects(tree: &expr::Expr, span: Span, scope: &Scope<'_>) -> Option<Node> {
    let expr::Kind::Call(merge) = &tree.kind else {
        return None;
    };
    let [list] = merge.args.as_slice() else {
        return None;
    };
    let expr::Kind::Call(array) = &list.kind else {
        return None;
    };
    if merge.key != "shallowmerge" || array.key != "createarray" {
        return None;
    }
    let mut merged: Vec<(String, Node)> = Vec::new();
    for item in &array.args {
        let item_text = expr::print(item)?;
        let node = expr::access_path(&item_text, scope)
            .and_then(|a| traced(&a, span, scope))
            .unwrap_or_else(|| resolve_string(&item_text, span, scope));
        let Value::Object(members) = node.value else {
            return None;
        };
        for (key, value) in members {
            match merged.iter_mut().find(|(k, _)| expr::keys_match(k, &key)) {
                Some((_, old)) => *old = value,
                None => merged.push((key, value)),
            }
        }
    }
    Some(Node::new(Value::Object(merged), span))
}

fn shorten(text: &str) -> String {
    crate::source::shortened(text, 80)
}

/// The value an expression reads unchanged from a parameter or variable, pointing where it was
/// set, with `use_site` as where it is used; `None` when the path leads nowhere (the evaluator
/// then reports why).
fn traced(access: &Access, use_site: Span, scope: &Scope<'_>) -> Option<Node> {
    let held: std::rc::Rc<Node>;
    let root: &Node = match &access.root {
        AccessRoot::Parameter(name) => scope.parameters.get(&name.to_ascii_lowercase())?,
        AccessRoot::Variable(name) => {
            held = scope.variable_node(name)?;
            &held
        }
        AccessRoot::Function(key) => {
            held = std::rc::Rc::new(resolve(&scope.function_output(key)?, scope));
            &held
        }
    };
    let mut node = root;
    for step in &access.steps {
        if node.is_unknown() {
            break;
        }
        node = match (step, &node.value) {
            (AccessStep::Key(key), Value::Object(_)) => node.get(key)?,
            (AccessStep::Index(index), Value::Array(items)) => items.get(*index)?,
            _ => return None,
        };
    }
    let mut value = node.clone();
    if value.is_unknown() {
        value.span = use_site;
    }
    let input = match &access.root {
        AccessRoot::Parameter(name) => Some(name.clone()),
        _ => None,
    };
    let via = value.via.take().or_else(|| root.via.clone());
    value.via = Some(match via {
        Some(mut via) => {
            via.span = use_site;
            if input.is_some() {
                via.input = input;
            }
            via
        }
        None => Box::new(Via {
            span: use_site,
            description: traced_description(&access.root),
            input,
            reference: None,
        }),
    });
    Some(value)
}

fn traced_description(root: &AccessRoot) -> String {
    match root {
        AccessRoot::Parameter(name) => format!("parameter `{name}`"),
        AccessRoot::Variable(name) => format!("variable `{name}`"),
        AccessRoot::Function(key) => format!("the output of function `{key}`"),
    }
}

/// The first `parameters('name')` an expression uses.
fn first_parameter(expression: &str) -> Option<String> {
    const CALL: &[u8] = b"parameters(";
    let bytes = expression.as_bytes();
    // The first call, in any case: the first `(` that ends one.
    let at = memchr::memchr_iter(b'(', bytes).find_map(|open| {
        let start = (open + 1).checked_sub(CALL.len())?;
        let called = bytes.get(start..=open)?;
        called.eq_ignore_ascii_case(CALL).then_some(start)
    })?;
    let rest = expression.get(at + CALL.len()..)?.trim_start();
    let rest = rest.strip_prefix('\'')?;
    rest.split_once('\'').map(|(name, _)| name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::arm::json;

    fn resources(text: &str) -> Vec<Resource> {
        let root = json::parse(text, 0).unwrap().unwrap();
        read(&root, "t.json", None).resources
    }

    #[test]
    fn first_parameter_of_an_expression() {
        assert_eq!(
            first_parameter("concat(parameters('x'), 'y')").as_deref(),
            Some("x")
        );
        assert_eq!(
            first_parameter("concat(Parameters( 'a'), PARAMETERS('b'))").as_deref(),
            Some("a")
        );
        assert_eq!(first_parameter("(parameters('x')").as_deref(), Some("x"));
        assert_eq!(first_parameter("variables('x')"), None);
        assert_eq!(first_parameter("parameters(x)"), None);
        assert_eq!(first_parameter("é(parameters('ü'))").as_deref(), Some("ü"));
    }

    #[test]
    fn parameter_default_is_known_and_points_at_the_default() {
        let text = r#"{"parameters": {"admin": {"type": "bool", "defaultValue": true}},
            "resources": [{"type": "Microsoft.ContainerRegistry/registries", "name": "r",
            "properties": {"adminUserEnabled": "[parameters('admin')]"}}]}"#;
        let found = resources(text);
        let crate::model::Lookup::Found(node) = found[0].body.lookup("properties.adminUserEnabled")
        else {
            panic!("expected a value")
        };
        assert_eq!(node.as_bool(), Some(true));
        assert_eq!(&text[node.span.start..node.span.end], "true");
        assert!(node.via.is_some());
    }

    #[test]
    fn inner_scope_takes_passed_parameters() {
        let text = r#"{"parameters": {"outerAdmin": {"type": "bool", "defaultValue": false}},
          "resources": [{"type": "Microsoft.Resources/deployments", "name": "d",
          "properties": {"expressionEvaluationOptions": {"scope": "inner"},
            "parameters": {"admin": {"value": "[parameters('outerAdmin')]"}},
            "template": {"parameters": {"admin": {"type": "bool", "defaultValue": true}},
              "resources": {"acr": {"type": "Microsoft.ContainerRegistry/registries",
                "name": "r", "properties": {"adminUserEnabled": "[parameters('admin')]"}}}}}}]}"#;
        let found = resources(text);
        assert_eq!(found[0].address, "d/acr");
        let crate::model::Lookup::Found(node) = found[0].body.lookup("properties.adminUserEnabled")
        else {
            panic!("expected a value")
        };
        assert_eq!(node.as_bool(), Some(false));
    }

    #[test]
    fn children_link_to_their_registry() {
        let text = r#"{"resources": [
          {"type": "Microsoft.ContainerRegistry/registries", "name": "reg1", "resources": [
            {"type": "webhooks", "name": "hook1"}]},
          {"type": "Microsoft.ContainerRegistry/registries/replications", "name": "reg1/northeurope"},
          {"type": "Microsoft.Insights/diagnosticSettings", "name": "d",
           "scope": "Microsoft.ContainerRegistry/registries/reg1"},
          {"type": "Microsoft.Authorization/locks", "name": "l",
           "scope": "/subscriptions/s/resourceGroups/g/providers/Microsoft.ContainerRegistry/registries/reg1/webhooks/x"}
        ]}"#;
        let found = resources(text);
        let by_kind = |k| found.iter().find(|r| r.kind == k).unwrap();
        assert_eq!(
            by_kind(Kind::Webhook).link,
            Some(RegistryRef::Name("reg1".into()))
        );
        assert_eq!(
            by_kind(Kind::Replication).link,
            Some(RegistryRef::Name("reg1".into()))
        );
        assert_eq!(
            by_kind(Kind::DiagnosticSetting).link,
            Some(RegistryRef::Name("reg1".into()))
        );
        assert_eq!(by_kind(Kind::Lock).link, None);
    }

    #[test]
    fn resources_with_a_false_condition_are_not_deployed() {
        let text = r#"{"parameters": {"deploy": {"type": "bool", "defaultValue": false}},
          "resources": [{"condition": "[parameters('deploy')]",
            "type": "Microsoft.ContainerRegistry/registries", "name": "r"}]}"#;
        assert!(resources(text).is_empty());
    }

    fn value<'a>(resource: &'a Resource, path: &str) -> &'a Node {
        match resource.body.lookup(path) {
            crate::model::Lookup::Found(node) | crate::model::Lookup::Unknown(node) => node,
            crate::model::Lookup::Missing => panic!("{path} missing"),
        }
    }

    #[test]
    fn copy_loops_expand_into_instances() {
        let text = r#"{"parameters": {"names": {"type": "array", "defaultValue": ["a1", "b2"]}},
          "resources": [{"type": "Microsoft.ContainerRegistry/registries",
            "name": "[parameters('names')[copyIndex()]]",
            "copy": {"name": "regs", "count": "[length(parameters('names'))]"},
            "properties": {"adminUserEnabled": "[equals(copyIndex('regs', 1), 2)]"}}]}"#;
        let found = resources(text);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].address, "[parameters('names')[copyIndex()]][0]");
        assert_eq!(found[1].name(), Some("b2"));
        let name = value(&found[1], "name");
        assert_eq!(&text[name.span.start..name.span.end], "\"b2\"");
        assert_eq!(
            value(&found[0], "properties.adminUserEnabled").as_bool(),
            Some(false)
        );
        assert_eq!(
            value(&found[1], "properties.adminUserEnabled").as_bool(),
            Some(true)
        );
        assert_eq!(found[1].variant.as_deref(), Some("copy regs[1]"));
    }

    #[test]
    fn copy_loops_with_no_or_unknown_count() {
        let none = r#"{"resources": [{"type": "Microsoft.ContainerRegistry/registries",
            "name": "r", "copy": {"name": "c", "count": 0}}]}"#;
        assert!(resources(none).is_empty());
        let unknown = r#"{"parameters": {"n": {"type": "int"}},
          "resources": {"acr": {"type": "Microsoft.ContainerRegistry/registries",
            "name": "[format('r{0}', copyIndex())]", "copy": {"name": "c", "count": "[parameters('n')]"},
            "properties": {"adminUserEnabled": true}}}}"#;
        let found = resources(unknown);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].address, "acr");
        assert_eq!(found[0].variant, None);
        assert!(value(&found[0], "name").is_unknown());
        let many = r#"{"resources": [{"type": "Microsoft.ContainerRegistry/registries",
            "name": "r", "copy": {"name": "c", "count": 65}}]}"#;
        assert_eq!(resources(many).len(), 1);
    }

    #[test]
    fn copied_deployments_pass_each_index() {
        let text = r#"{"parameters": {"admins": {"type": "array", "defaultValue": [false, true]}},
          "resources": [{"type": "Microsoft.Resources/deployments", "name": "d",
          "copy": {"name": "mods", "count": 2},
          "properties": {"expressionEvaluationOptions": {"scope": "inner"},
            "parameters": {"admin": {"value": "[parameters('admins')[copyIndex()]]"}},
            "template": {"parameters": {"admin": {"type": "bool"}},
              "resources": {"acr": {"type": "Microsoft.ContainerRegistry/registries",
                "name": "r", "properties": {"adminUserEnabled": "[parameters('admin')]"}}}}}}]}"#;
        let found = resources(text);
        assert_eq!(found.len(), 2);
        assert_eq!(found[1].address, "d[1]/acr");
        assert_eq!(found[1].variant.as_deref(), Some("copy mods[1]"));
        let admin = value(&found[1], "properties.adminUserEnabled");
        assert_eq!(admin.as_bool(), Some(true));
        assert_eq!(&text[admin.span.start..admin.span.end], "true");
    }

    #[test]
    fn variable_and_property_copies() {
        let text = r#"{"parameters": {"ips": {"type": "array", "defaultValue": ["10.0.0.1", "0.0.0.0/0"]}},
          "variables": {"copy": [{"name": "rules", "count": "[length(parameters('ips'))]",
              "input": {"value": "[parameters('ips')[copyIndex('rules')]]", "action": "Allow"}}],
            "names": {"copy": [{"name": "list", "count": 2, "input": "[format('n{0}', copyIndex('list'))]"}]}},
          "resources": [{"type": "Microsoft.ContainerRegistry/registries", "name": "r",
            "tags": {"second": "[variables('names').list[1]]", "rule": "[variables('rules')[1].value]"},
            "properties": {"networkRuleSet": {"defaultAction": "Deny",
              "copy": [{"name": "ipRules", "count": "[length(parameters('ips'))]",
                "input": {"value": "[parameters('ips')[copyIndex('ipRules')]]", "action": "Allow"}}]}}}]}"#;
        let found = resources(text);
        let rules = value(&found[0], "properties.networkRuleSet.ipRules");
        let Value::Array(items) = &rules.value else {
            panic!("{rules:?}")
        };
        assert_eq!(items.len(), 2);
        let second = items[1].get("value").unwrap();
        assert_eq!(second.as_str(), Some("0.0.0.0/0"));
        assert_eq!(&text[second.span.start..second.span.end], "\"0.0.0.0/0\"");
        assert_eq!(value(&found[0], "tags.second").as_str(), Some("n1"));
        let rule = value(&found[0], "tags.rule");
        assert_eq!(rule.as_str(), Some("0.0.0.0/0"));
        assert_eq!(&text[rule.span.start..rule.span.end], "\"0.0.0.0/0\"");
    }

    #[test]
    fn variables_point_at_their_literal() {
        let text = r#"{"variables": {"admin": true, "settings": {"public": "Enabled"}},
          "resources": [{"type": "Microsoft.ContainerRegistry/registries", "name": "r",
            "properties": {"adminUserEnabled": "[variables('admin')]",
              "publicNetworkAccess": "[variables('settings').public]",
              "zoneRedundancy": "[if(variables('admin'), 'Enabled', 'Disabled')]"}}]}"#;
        let found = resources(text);
        let admin = value(&found[0], "properties.adminUserEnabled");
        assert_eq!(&text[admin.span.start..admin.span.end], "true");
        assert_eq!(admin.via.as_ref().unwrap().description, "variable `admin`");
        let public = value(&found[0], "properties.publicNetworkAccess");
        assert_eq!(&text[public.span.start..public.span.end], "\"Enabled\"");
        let zones = value(&found[0], "properties.zoneRedundancy");
        assert_eq!(zones.as_str(), Some("Enabled"));
        assert!(text[zones.span.start..].starts_with("\"[if("));
    }

    #[test]
    fn nullable_parameters_are_null_and_null_keeps_defaults() {
        let text = r##"{"definitions": {"lockType": {"type": "object", "nullable": true}},
          "parameters": {"lock": {"$ref": "#/definitions/lockType"}, "access": {"type": "string", "nullable": true},
            "required": {"type": "string"}},
          "resources": [{"type": "Microsoft.Resources/deployments", "name": "d",
            "properties": {"expressionEvaluationOptions": {"scope": "inner"},
              "parameters": {"admin": {"value": null}, "sku": "[if(true(), createObject('value', 'Basic'), createObject('value', 'Premium'))]",
                "zones": {"copy": [{"name": "value", "count": 2, "input": "[format('z{0}', copyIndex('value'))]"}]}},
              "template": {"parameters": {"admin": {"type": "bool", "defaultValue": true},
                  "sku": {"type": "string"}, "zones": {"type": "array"}},
                "resources": [{"type": "Microsoft.ContainerRegistry/registries", "name": "r",
                  "sku": {"name": "[parameters('sku')]"}, "tags": {"zones": "[parameters('zones')]"},
                  "properties": {"adminUserEnabled": "[parameters('admin')]"}}]}}},
            {"type": "Microsoft.ContainerRegistry/registries", "name": "s",
              "properties": {"publicNetworkAccess": "[parameters('access')]",
                "policies": "[if(empty(parameters('lock')), null(), parameters('lock'))]",
                "zoneRedundancy": "[parameters('required')]"}}]}"##;
        let found = resources(text);
        assert_eq!(
            value(&found[0], "properties.adminUserEnabled").as_bool(),
            Some(true)
        );
        assert_eq!(value(&found[0], "sku.name").as_str(), Some("Basic"));
        assert_eq!(value(&found[0], "tags.zones").display(), "[…]");
        let public = value(&found[1], "properties.publicNetworkAccess");
        assert_eq!(public.value, Value::Null);
        assert_eq!(value(&found[1], "properties.policies").value, Value::Null);
        assert!(value(&found[1], "properties.zoneRedundancy").is_unknown());
    }

    #[test]
    fn unnamed_copy_index_in_a_property_loop_is_the_resource_loop() {
        let text = r#"{"parameters": {"settings": {"type": "array", "defaultValue": [
            {"logs": ["a"]}, {"logs": ["b", "c"]}]},
            "pending": {"type": "int"}},
          "resources": [{"type": "Microsoft.Insights/diagnosticSettings", "name": "[format('d{0}', copyIndex())]",
            "copy": {"name": "settings", "count": 2},
            "scope": "Microsoft.ContainerRegistry/registries/r",
            "properties": {"copy": [{"name": "logs", "count": "[length(parameters('settings')[copyIndex()].logs)]",
              "input": {"category": "[parameters('settings')[copyIndex()].logs[copyIndex('logs')]]"}}]}},
            {"type": "Microsoft.ContainerRegistry/registries", "name": "r",
              "copy": {"name": "regs", "count": "[parameters('pending')]"},
              "tags": {"index": "[string(copyIndex())]"}}]}"#;
        let found = resources(text);
        let logs = value(&found[1], "properties.logs");
        let Value::Array(items) = &logs.value else {
            panic!("{logs:?}")
        };
        let categories: Vec<_> = items
            .iter()
            .filter_map(|i| i.get("category")?.as_str())
            .collect();
        assert_eq!(categories, ["b", "c"]);
        let Value::Unknown(reason) = &value(&found[2], "tags.index").value else {
            panic!("the index of a loop with an unknown count is unknown")
        };
        assert_eq!(
            reason,
            "the count of copy loop `regs` is not known: parameter `pending` has no default value"
        );
    }
}
