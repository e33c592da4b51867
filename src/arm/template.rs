//! Walks a template, its nested deployments and their scopes, and yields resources whose
//! values are resolved as far as the template alone allows.

use std::collections::HashMap;

use crate::model::{Format, Node, Resource, Value, Via};
use crate::source::Span;

const DEPLOYMENTS_TYPE: &str = "Microsoft.Resources/deployments";

/// The resources a template declares, nested deployments included, that `wanted` selects by type.
pub fn resources(root: &Node, wanted: &dyn Fn(&str) -> bool) -> Vec<Resource> {
    let scope = Scope::for_template(root, None, None);
    let mut out = Vec::new();
    walk_template(root, &scope, "", wanted, &mut out);
    out
}

/// The values `parameters('…')` resolves to in one template scope.
#[derive(Default)]
struct Scope {
    parameters: HashMap<String, Node>,
}

impl Scope {
    /// The parameters of `template`; `passed` are the values a parent deployment hands in,
    /// resolved in `outer`.
    fn for_template(template: &Node, passed: Option<&Node>, outer: Option<&Scope>) -> Scope {
        let mut scope = Scope::default();
        let Some(Value::Object(declared)) = template.get("parameters").map(|p| &p.value) else {
            return scope;
        };
        for (name, declaration) in declared {
            let given = passed.and_then(|p| p.get(name));
            let value = match (given, outer) {
                (Some(given), Some(outer)) => passed_value(name, given, outer),
                _ => default_value(name, declaration, &scope),
            };
            scope.parameters.insert(name.to_ascii_lowercase(), value);
        }
        scope
    }
}

fn passed_value(name: &str, given: &Node, outer: &Scope) -> Node {
    match given.get("value") {
        Some(value) => resolve(value, outer),
        None if given.get("reference").is_some() => Node::unknown(
            format!("parameter `{name}` comes from a Key Vault reference"),
            given.span,
        ),
        None => Node::unknown(format!("parameter `{name}` has no value"), given.span),
    }
}

fn default_value(name: &str, declaration: &Node, scope: &Scope) -> Node {
    match declaration.get("defaultValue") {
        Some(default) => {
            let mut value = resolve(default, scope);
            if !value.is_unknown() && value.via.is_none() {
                value.via = Some(Box::new(Via {
                    span: default.span,
                    description: format!("the default value of parameter `{name}`"),
                }));
            }
            value
        }
        None => Node::unknown(
            format!("parameter `{name}` has no default value"),
            declaration.span,
        ),
    }
}

fn walk_template(
    template: &Node,
    scope: &Scope,
    prefix: &str,
    wanted: &dyn Fn(&str) -> bool,
    out: &mut Vec<Resource>,
) {
    match template.get("resources").map(|r| &r.value) {
        Some(Value::Array(list)) => {
            for resource in list {
                walk_resource(resource, None, scope, prefix, wanted, out);
            }
        }
        Some(Value::Object(named)) => {
            for (symbol, resource) in named {
                walk_resource(resource, Some(symbol), scope, prefix, wanted, out);
            }
        }
        _ => {}
    }
}

fn walk_resource(
    resource: &Node,
    symbol: Option<&str>,
    scope: &Scope,
    prefix: &str,
    wanted: &dyn Fn(&str) -> bool,
    out: &mut Vec<Resource>,
) {
    let Some(type_node) = resource.get("type") else {
        return;
    };
    let Some(arm_type) = type_node.as_str() else {
        return;
    };
    let name = resource.get("name").and_then(Node::as_str).unwrap_or("");
    let address = format!("{prefix}{}", symbol.unwrap_or(name));
    if arm_type.eq_ignore_ascii_case(DEPLOYMENTS_TYPE) {
        walk_deployment(resource, scope, &address, wanted, out);
        return;
    }
    if wanted(arm_type) {
        out.push(Resource {
            arm_type: arm_type.to_string(),
            format: Format::Arm,
            address,
            decl: type_node.span,
            body: resolve(resource, scope),
            existing: resource.get("existing").and_then(Node::as_bool) == Some(true),
        });
    }
}

fn walk_deployment(
    deployment: &Node,
    scope: &Scope,
    address: &str,
    wanted: &dyn Fn(&str) -> bool,
    out: &mut Vec<Resource>,
) {
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
        walk_template(template, &inner_scope, &prefix, wanted, out);
    } else {
        walk_template(template, scope, &prefix, wanted, out);
    }
}

/// Resolves template expressions in a value tree; what cannot be resolved becomes unknown.
fn resolve(node: &Node, scope: &Scope) -> Node {
    match &node.value {
        Value::String(text) => resolve_string(text, node.span, scope),
        Value::Array(items) => Node {
            value: Value::Array(items.iter().map(|i| resolve(i, scope)).collect()),
            span: node.span,
            via: node.via.clone(),
        },
        Value::Object(members) => Node {
            value: Value::Object(
                members
                    .iter()
                    .map(|(k, v)| (k.clone(), resolve(v, scope)))
                    .collect(),
            ),
            span: node.span,
            via: node.via.clone(),
        },
        _ => node.clone(),
    }
}

fn resolve_string(text: &str, span: Span, scope: &Scope) -> Node {
    if let Some(escaped) = text.strip_prefix("[[") {
        return Node::new(Value::String(format!("[{escaped}")), span);
    }
    let Some(expression) = text.strip_prefix('[').and_then(|t| t.strip_suffix(']')) else {
        return Node::new(Value::String(text.to_string()), span);
    };
    match parameter_reference(expression) {
        Some(name) => parameter_value(name, span, scope),
        None => Node::unknown(
            format!("expression `{}` is not evaluated", expression.trim()),
            span,
        ),
    }
}

fn parameter_value(name: &str, use_site: Span, scope: &Scope) -> Node {
    match scope.parameters.get(&name.to_ascii_lowercase()) {
        Some(value) => {
            let mut value = value.clone();
            if let Some(via) = value.via.as_mut() {
                via.span = use_site;
            }
            value
        }
        None => Node::unknown(format!("parameter `{name}` is not declared"), use_site),
    }
}

/// `parameters('name')`, the one expression form evaluated here.
fn parameter_reference(expression: &str) -> Option<&str> {
    let rest = expression.trim().strip_prefix("parameters")?.trim_start();
    let rest = rest.strip_prefix('(')?.trim_start();
    let rest = rest.strip_prefix('\'')?;
    let (name, rest) = rest.split_once('\'')?;
    let rest = rest.trim_start().strip_prefix(')')?;
    rest.trim().is_empty().then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::arm::json;

    fn registries(text: &str) -> Vec<Resource> {
        let root = json::parse(text, 0).unwrap().unwrap();
        resources(&root, &|t| {
            t.eq_ignore_ascii_case(crate::model::REGISTRY_TYPE)
        })
    }

    #[test]
    fn parameter_reference_forms() {
        assert_eq!(parameter_reference("parameters('a')"), Some("a"));
        assert_eq!(parameter_reference(" parameters ( 'a' ) "), Some("a"));
        assert_eq!(parameter_reference("parameters('a').b"), None);
        assert_eq!(parameter_reference("variables('a')"), None);
    }

    #[test]
    fn parameter_default_is_known_and_points_at_the_default() {
        let text = r#"{"parameters": {"admin": {"type": "bool", "defaultValue": true}},
            "resources": [{"type": "Microsoft.ContainerRegistry/registries", "name": "r",
            "properties": {"adminUserEnabled": "[parameters('admin')]"}}]}"#;
        let found = registries(text);
        let flag = found[0].body.lookup("properties.adminUserEnabled");
        let crate::model::Lookup::Found(node) = flag else {
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
        let found = registries(text);
        assert_eq!(found[0].address, "d/acr");
        let crate::model::Lookup::Found(node) = found[0].body.lookup("properties.adminUserEnabled")
        else {
            panic!("expected a value")
        };
        assert_eq!(node.as_bool(), Some(false));
    }
}
