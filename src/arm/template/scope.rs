//! What expressions in one template scope see: parameters (with where their values were set),
//! variables evaluated on first use, and the copy loops being expanded.

use foldhash::{HashMap, HashMapExt};
use std::cell::{Cell, RefCell};
use std::rc::Rc;

use super::{MAX_PRODUCED_UNITS, MAX_VALUE_COPIES, ParametersFile, resolve};
use crate::arm::expr::{self, Env, Kind, UserFunction, Val};
use crate::model::{Node, Value, Via, azd};
use crate::source::Span;

/// What expressions in one template scope see: parameter values (with where they were set),
/// the template's variables, evaluated on first use, and the copy loops being expanded.
#[derive(Default)]
pub(super) struct Scope<'t> {
    pub(super) parameters: HashMap<String, Node>,
    variables: HashMap<String, &'t Node>,
    /// The template's user-defined functions by lower-case `namespace.member`.
    functions: HashMap<String, UserFunction>,
    /// Their `output.value`s as written, with the places that wrote them.
    function_outputs: HashMap<String, &'t Node>,
    /// Variables declared by the `copy` array of `variables`: each a `{name, count, input}` loop.
    copied_variables: HashMap<String, &'t Node>,
    /// Variables evaluated so far, each once: references share the result.
    variable_nodes: RefCell<HashMap<String, Rc<Node>>>,
    variable_values: RefCell<HashMap<String, Rc<Val>>>,
    /// The least units each variable's value takes (see [`Scope::least_units`]).
    variable_units: RefCell<HashMap<String, u64>>,
    evaluating: RefCell<Vec<String>>,
    /// The copy loops being expanded, innermost last.
    copies: RefCell<Vec<Loop>>,
    /// Units of value produced by expressions so far, shared with nested deployments' scopes.
    produced: Rc<Cell<u64>>,
}

/// A copy loop being expanded.
pub(super) struct Loop {
    name: String,
    /// The current index, or why it is not known (the loop's count is unknown).
    index: Result<i64, String>,
    /// A resource (or deployment) loop, which an unnamed `copyIndex()` refers to even inside a
    /// property loop; otherwise a property or variable loop.
    resource: bool,
}

/// How many variables may be under evaluation at once (a chain of variables using variables).
pub(super) const MAX_VARIABLE_DEPTH: usize = 64;

impl<'t> Scope<'t> {
    /// The scope of `template`; `passed` are the values a parent deployment hands in,
    /// resolved in `outer`.
    pub(super) fn for_template(
        template: &'t Node,
        passed: Option<&Node>,
        outer: Option<&Scope<'_>>,
    ) -> Scope<'t> {
        let mut scope = Scope::default();
        if let Some(outer) = outer {
            scope.produced = Rc::clone(&outer.produced);
        }
        scope.functions = user_functions(template);
        scope.function_outputs = function_outputs(template);
        if let Some(Value::Object(declared)) = template.get("variables").map(|v| &v.value) {
            for (name, value) in declared {
                match &value.value {
                    Value::Array(loops) if name.eq_ignore_ascii_case("copy") => {
                        for entry in loops {
                            if let Some(looped) = entry.get("name").and_then(Node::as_str) {
                                scope
                                    .copied_variables
                                    .insert(looped.to_ascii_lowercase(), entry);
                            }
                        }
                    }
                    _ => {
                        scope.variables.insert(name.to_ascii_lowercase(), value);
                    }
                }
            }
        }
        let Some(Value::Object(declared)) = template.get("parameters").map(|p| &p.value) else {
            return scope;
        };
        for (name, declaration) in declared {
            let given = passed.and_then(|p| p.get(name));
            // A null value passed to a parameter with a default leaves the default in place.
            let value = match (given, outer) {
                (Some(given), Some(outer)) => Some(passed_value(name, given, outer))
                    .filter(|v| {
                        !matches!(v.value, Value::Null) || declaration.get("defaultValue").is_none()
                    })
                    .unwrap_or_else(|| default_value(name, declaration, template, &scope)),
                _ => default_value(name, declaration, template, &scope),
            };
            scope.parameters.insert(name.to_ascii_lowercase(), value);
        }
        scope
    }

    /// The scope of a top-level template deployed with a parameters file.
    pub(super) fn for_parameters_file(template: &'t Node, file: &ParametersFile<'_>) -> Scope<'t> {
        let mut scope = Scope::for_template(template, None, None);
        let Some(Value::Object(declared)) = template.get("parameters").map(|p| &p.value) else {
            return scope;
        };
        for (name, declaration) in declared {
            let Some(given) = file.parameters.get(name) else {
                continue;
            };
            let value = match given.get("value") {
                Some(value) if value.as_str().is_some_and(is_placeholder) => Node::unknown(
                    format!(
                        "`{}` in `{}` is a placeholder filled in at deployment",
                        value.as_str().unwrap_or(""),
                        file.name
                    ),
                    value.span,
                ),
                Some(value) if let Some(unknown) = filled_in_by_azd(value, file.name) => unknown,
                Some(value) => {
                    let mut value = value.clone();
                    unknown_where_azd_fills_in(&mut value, file.name, 0);
                    value.via = Some(Box::new(Via {
                        span: declaration.span,
                        description: format!("parameter `{name}` in `{}`", file.name),
                        input: Some(name.clone()),
                        reference: None,
                    }));
                    value
                }
                None => Node::unknown(
                    format!(
                        "parameter `{name}` comes from a Key Vault reference in `{}`",
                        file.name
                    ),
                    given.span,
                ),
            };
            scope.parameters.insert(name.to_ascii_lowercase(), value);
        }
        scope
    }

    /// The written-out output of the user-defined function `key` (lower-case
    /// `namespace.member`).
    pub(super) fn function_output(&self, key: &str) -> Option<Node> {
        self.function_outputs.get(key).map(|node| (*node).clone())
    }

    pub(super) fn variable_value(&self, name: &str) -> Option<Rc<Val>> {
        let key = name.to_ascii_lowercase();
        if let Some(value) = self.variable_values.borrow().get(&key) {
            return Some(Rc::clone(value));
        }
        let value = Rc::new(to_val(&*self.variable_node(name)?));
        self.variable_values
            .borrow_mut()
            .insert(key, Rc::clone(&value));
        Some(value)
    }

    /// A variable's value with the places that set it; `None` when not declared. Evaluated on
    /// first use; every reference shares that result. A value that cannot fit in what is left
    /// of the template's budget of produced values is not built at all: it is unknown ("too
    /// large") at once, however many references to other variables it would copy.
    pub(super) fn variable_node(&self, name: &str) -> Option<Rc<Node>> {
        let key = name.to_ascii_lowercase();
        if let Some(node) = self.variable_nodes.borrow().get(&key) {
            return Some(Rc::clone(node));
        }
        let looped = self.copied_variables.get(&key).copied();
        let raw = match looped {
            Some(entry) => entry,
            None => *self.variables.get(&key)?,
        };
        {
            let evaluating = self.evaluating.borrow();
            if evaluating.contains(&key) {
                let reason = format!("variable `{name}` refers to itself");
                return Some(Rc::new(Node::unknown(reason, raw.span)));
            }
            if evaluating.len() >= MAX_VARIABLE_DEPTH {
                return Some(Rc::new(Node::unknown(
                    "variables nest too deeply",
                    raw.span,
                )));
            }
        }
        let left = MAX_PRODUCED_UNITS.saturating_sub(self.produced.get());
        if looped.is_none() && self.least_units(&key, 0) > left {
            let node = Rc::new(too_large(raw.span));
            self.variable_nodes
                .borrow_mut()
                .insert(key, Rc::clone(&node));
            return Some(node);
        }
        self.evaluating.borrow_mut().push(key.clone());
        // Variables are evaluated once, outside any resource copy loop.
        let loops = self.copies.take();
        let node = Rc::new(match looped {
            Some(entry) => expand_loop(entry, self),
            None => resolve(raw, self),
        });
        *self.copies.borrow_mut() = loops;
        self.evaluating.borrow_mut().pop();
        self.variable_nodes
            .borrow_mut()
            .insert(key, Rc::clone(&node));
        Some(node)
    }

    /// The fewest units (see [`produced_units`]) the value of variable `key` can take, from its
    /// declaration alone: one per value written, the text of literal strings, and for each
    /// plain reference `[variables('x')]` the least units of `x`, computed once per variable.
    /// A chain of variables each referring twice to the next is known to be too large before
    /// any of it is built.
    fn least_units(&self, key: &str, depth: usize) -> u64 {
        if let Some(units) = self.variable_units.borrow().get(key) {
            return *units;
        }
        let Some(raw) = self.variables.get(key).copied() else {
            return 1;
        };
        if depth >= MAX_VARIABLE_DEPTH {
            return 1;
        }
        // A variable met again while its own units are counted (a cycle) counts one.
        self.variable_units.borrow_mut().insert(key.to_string(), 1);
        let mut units: u64 = 0;
        let mut pending = vec![raw];
        while let Some(node) = pending.pop() {
            let own = match &node.value {
                Value::String(text) if expr::is_expression(text) => match plain_reference(text) {
                    Some(name) => self.least_units(&name.to_ascii_lowercase(), depth + 1),
                    None => 1,
                },
                Value::String(text) => 1 + text.len() as u64 / 16,
                Value::Array(items) => {
                    pending.extend(items);
                    1
                }
                Value::Object(members) => {
                    let plain = members.iter().filter(|(k, v)| !is_property_loop(k, v));
                    pending.extend(plain.map(|(_, value)| value));
                    1
                }
                _ => 1,
            };
            units = units.saturating_add(own);
        }
        self.variable_units
            .borrow_mut()
            .insert(key.to_string(), units);
        units
    }

    /// Runs `f` inside iteration `index` of the copy loop `name` (of resources when `resource`).
    /// `node` when the template's budget of produced values allows it, otherwise an unknown
    /// saying the values are too large.
    pub(super) fn admit(&self, node: Node) -> Node {
        let left = MAX_PRODUCED_UNITS.saturating_sub(self.produced.get());
        if self.spend(produced_units(&node, left)) {
            return node;
        }
        too_large(node.span)
    }

    /// Takes `units` from the template's budget of produced values; false when they are not left.
    pub(super) fn spend(&self, units: u64) -> bool {
        let spent = self.produced.get().saturating_add(units);
        self.produced.set(spent.min(MAX_PRODUCED_UNITS));
        spent <= MAX_PRODUCED_UNITS
    }

    pub(super) fn in_loop<R>(
        &self,
        name: &str,
        index: Result<i64, String>,
        resource: bool,
        f: impl FnOnce() -> R,
    ) -> R {
        self.copies.borrow_mut().push(Loop {
            name: name.to_string(),
            index,
            resource,
        });
        let result = f();
        self.copies.borrow_mut().pop();
        result
    }

    /// The loop `copyIndex(name)` refers to: the innermost of that name, or for no name the
    /// innermost resource loop (the innermost loop outside resources).
    pub(super) fn find_loop<R>(&self, name: Option<&str>, f: impl FnOnce(&Loop) -> R) -> Option<R> {
        let copies = self.copies.borrow();
        let found = match name {
            Some(name) => copies
                .iter()
                .rev()
                .find(|l| l.name.eq_ignore_ascii_case(name)),
            None => copies
                .iter()
                .rev()
                .find(|l| l.resource)
                .or_else(|| copies.last()),
        };
        found.map(f)
    }
}

/// The number of iterations of a copy loop (`{name, count, ...}`), or why it is not known:
/// an unknown count, a count that is not a whole number, or one above `max`.
pub(super) fn copy_count(copy: &Node, scope: &Scope<'_>, max: i64) -> Result<i64, Node> {
    let name = copy.get("name").and_then(Node::as_str).unwrap_or("");
    let Some(count) = copy.get("count") else {
        let reason = format!("copy loop `{name}` has no `count`");
        return Err(Node::unknown(reason, copy.span));
    };
    let value = resolve(count, scope);
    let number = match &value.value {
        Value::Unknown(_) => return Err(value),
        Value::Number(n) => Some(*n),
        Value::String(text) => text.trim().parse::<f64>().ok(),
        _ => None,
    };
    match number {
        Some(n) if n.fract() == 0.0 && (0.0..=max as f64).contains(&n) => Ok(n as i64),
        Some(n) if n.fract() == 0.0 && n > max as f64 => {
            let reason =
                format!("copy loop `{name}` has {n} iterations; acr-lint expands at most {max}");
            Err(Node::unknown(reason, value.span))
        }
        _ => {
            let reason = format!(
                "the count of copy loop `{name}` is {}, not a whole number from 0",
                value.display()
            );
            Err(Node::unknown(reason, value.span))
        }
    }
}

/// The array a `{name, count, input}` loop of `variables` or `properties` produces: `input`
/// evaluated with `copyIndex('name')` at each index.
pub(super) fn expand_loop(entry: &Node, scope: &Scope<'_>) -> Node {
    let name = entry.get("name").and_then(Node::as_str).unwrap_or("");
    let Some(input) = entry.get("input") else {
        let reason = format!("copy loop `{name}` has no `input`");
        return Node::unknown(reason, entry.span);
    };
    let count = match copy_count(entry, scope, MAX_VALUE_COPIES) {
        Ok(count) => count,
        Err(unknown) => return unknown,
    };
    let items = (0..count)
        .map(|index| scope.in_loop(name, Ok(index), false, || resolve(input, scope)))
        .collect();
    Node::new(Value::Array(items), entry.span)
}

/// A property-level `copy` member: an array of `{name, count, input}` loops.
pub(super) fn is_property_loop(key: &str, value: &Node) -> bool {
    key.eq_ignore_ascii_case("copy")
        && matches!(&value.value, Value::Array(loops) if !loops.is_empty()
            && loops.iter().all(|l| l.get("name").and_then(Node::as_str).is_some()
                && l.get("input").is_some()))
}

impl Env for Scope<'_> {
    fn parameter(&self, name: &str) -> Option<Val> {
        self.parameters.get(&name.to_ascii_lowercase()).map(to_val)
    }

    fn variable(&self, name: &str) -> Option<Val> {
        self.variable_value(name).map(|value| Val::clone(&value))
    }

    fn copy_index(&self, loop_name: Option<&str>) -> Option<i64> {
        self.find_loop(loop_name, |l| l.index.as_ref().ok().copied())
            .flatten()
    }

    fn copy_index_unknown(&self, loop_name: Option<&str>) -> Option<String> {
        self.find_loop(loop_name, |l| l.index.as_ref().err().cloned())
            .flatten()
    }

    fn user_function(&self, name: &str) -> Option<UserFunction> {
        self.functions.get(name).cloned()
    }
}

/// The members of the `functions` section (`[{"namespace", "members": {name: {"parameters",
/// "output"}}}]`) with an `output.value`: lower-case `namespace.member`, definition and value.
fn function_members(template: &Node) -> Vec<(String, &Node, &Node)> {
    let mut found = Vec::new();
    let Some(Value::Array(namespaces)) = template.get("functions").map(|f| &f.value) else {
        return found;
    };
    for namespace in namespaces {
        let (Some(prefix), Some(Value::Object(members))) = (
            namespace.get("namespace").and_then(Node::as_str),
            namespace.get("members").map(|m| &m.value),
        ) else {
            continue;
        };
        for (member, definition) in members {
            if let Some(output) = definition.get("output").and_then(|o| o.get("value")) {
                let key = format!("{prefix}.{member}").to_lowercase();
                found.push((key, definition, output));
            }
        }
    }
    found
}

fn function_outputs(template: &Node) -> HashMap<String, &Node> {
    function_members(template)
        .into_iter()
        .map(|(key, _, output)| (key, output))
        .collect()
}

/// The template's user-defined functions by lower-case `namespace.member`.
fn user_functions(template: &Node) -> HashMap<String, UserFunction> {
    let mut functions = HashMap::new();
    for (key, definition, output) in function_members(template) {
        let parameters = match definition.get("parameters").map(|p| &p.value) {
            Some(Value::Array(declared)) => declared
                .iter()
                .map(|p| {
                    p.get("name")
                        .and_then(Node::as_str)
                        .unwrap_or("")
                        .to_string()
                })
                .collect(),
            _ => Vec::new(),
        };
        let function = UserFunction {
            parameters,
            output: to_val(output),
        };
        functions.insert(key, function);
    }
    functions
}

/// What a value past the template's budget of produced values is.
fn too_large(span: Span) -> Node {
    let reason = format!(
        "value too large: a template's expressions may produce at most {MAX_PRODUCED_UNITS} values"
    );
    Node::unknown(reason, span)
}

/// The variable an expression is exactly a reference to: `[variables('name')]`.
fn plain_reference(text: &str) -> Option<String> {
    let parsed = expr::parse_remembered(text);
    let Ok(expr::Expr {
        kind: Kind::Call(call),
        ..
    }) = parsed.as_ref()
    else {
        return None;
    };
    match (call.key.as_str(), call.args.as_slice()) {
        ("variables", [name]) => match &name.kind {
            Kind::Literal(Val::String(name)) => Some(name.clone()),
            _ => None,
        },
        _ => None,
    }
}

/// Values such as `GEN-UNIQUE` or `GET-PREREQ-…` that template test harnesses replace before
/// deploying.
pub(super) fn is_placeholder(text: &str) -> bool {
    text.starts_with("GEN-") || text.starts_with("GET-PREREQ-")
}

/// What a parameters file's string value holding an environment variable azd fills in stands
/// for: a value unknown before deployment. `None` for any other value.
fn filled_in_by_azd(value: &Node, file: &str) -> Option<Node> {
    let reason = azd::filled_in_reason(value.as_str()?, file)?;
    Some(Node::unknown(reason, value.span))
}

/// Makes unknown each string inside a parameters file's value (an object member, an array item)
/// that holds an environment variable azd fills in; `depth` bounds the walk as parsing bounds
/// the nesting.
fn unknown_where_azd_fills_in(value: &mut Node, file: &str, depth: usize) {
    if depth > MAX_VALUE_DEPTH {
        return;
    }
    let children: Vec<&mut Node> = match &mut value.value {
        Value::Object(members) => members.iter_mut().map(|(_, node)| node).collect(),
        Value::Array(items) => items.iter_mut().collect(),
        _ => return,
    };
    for child in children {
        match filled_in_by_azd(child, file) {
            Some(unknown) => *child = unknown,
            None => unknown_where_azd_fills_in(child, file, depth + 1),
        }
    }
}

/// How deep [`unknown_where_azd_fills_in`] looks into a value.
const MAX_VALUE_DEPTH: usize = 64;

/// The first token a deployment pipeline replaces before deploying (`#_namePrefix_#`, as module
/// test templates write it) in `text`.
pub(super) fn pipeline_token(text: &str) -> Option<&str> {
    // Most strings hold no `#`: told without setting up a substring search.
    memchr::memchr(b'#', text.as_bytes())?;
    let mut from = 0;
    while let Some(start) = text.get(from..)?.find("#_").map(|at| from + at) {
        let inner_start = start + 2;
        let inner_len = text.get(inner_start..)?.find("_#")?;
        let inner = text.get(inner_start..inner_start + inner_len)?;
        if !inner.is_empty() && inner.chars().all(|c| c.is_ascii_alphanumeric()) {
            return text.get(start..inner_start + inner_len + 2);
        }
        from = inner_start;
    }
    None
}

/// A model value as an expression value (spans dropped).
pub(super) fn to_val(node: &Node) -> Val {
    match &node.value {
        Value::Null => Val::Null,
        Value::Bool(b) => Val::Bool(*b),
        Value::Number(n) if n.fract() == 0.0 && n.abs() < 9.0e15 => Val::Int(*n as i64),
        Value::Number(n) => Val::Float(*n),
        Value::String(s) => Val::String(s.clone()),
        Value::Array(items) => Val::Array(items.iter().map(to_val).collect()),
        Value::Object(members) => Val::Object(
            members
                .iter()
                .map(|(k, v)| (k.clone(), to_val(v)))
                .collect(),
        ),
        Value::Unknown(reason) => Val::Unknown(reason.clone()),
    }
}

/// An expression value as a model value; every part spans the expression.
pub(super) fn from_val(value: Val, span: Span) -> Node {
    let value = match value {
        Val::Null => Value::Null,
        Val::Bool(b) => Value::Bool(b),
        Val::Int(i) => Value::Number(i as f64),
        Val::Float(f) => Value::Number(f),
        Val::String(s) => Value::String(s),
        Val::Array(items) => Value::Array(items.into_iter().map(|i| from_val(i, span)).collect()),
        Val::Object(members) => Value::Object(
            members
                .into_iter()
                .map(|(k, v)| (k, from_val(v, span)))
                .collect(),
        ),
        Val::Unknown(reason) => Value::Unknown(reason),
    };
    Node::new(value, span)
}

/// A parameter value a deployment passes: `{"value": ...}`, also when built by a property copy
/// loop (`{"copy": [{"name": "value", ...}]}`) or by an expression (Bicep passes a conditional
/// value as `"[if(c, createObject('value', a), createObject('value', b))]"`).
pub(super) fn passed_value(name: &str, given: &Node, outer: &Scope<'_>) -> Node {
    if given.get("reference").is_some() && given.get("value").is_none() {
        return Node::unknown(
            format!("parameter `{name}` comes from a Key Vault reference"),
            given.span,
        );
    }
    let resolved = resolve(given, outer);
    match (&resolved.value, resolved.get("value")) {
        (Value::Unknown(_), _) => resolved,
        (_, Some(value)) => value.clone(),
        _ => Node::unknown(format!("parameter `{name}` has no value"), given.span),
    }
}

/// Whether a parameter or type may be null: `"nullable": true` on it or on the user-defined type
/// it refers to (`"$ref": "#/definitions/lockType"`).
pub(super) fn is_nullable(declaration: &Node, template: &Node) -> bool {
    let mut current = declaration;
    for _ in 0..MAX_TYPE_REFERENCES {
        if current.get("nullable").and_then(Node::as_bool) == Some(true) {
            return true;
        }
        let Some(definition) = current
            .get("$ref")
            .and_then(Node::as_str)
            .and_then(|r| r.strip_prefix("#/definitions/"))
            .and_then(|name| template.get("definitions")?.get(name))
        else {
            return false;
        };
        current = definition;
    }
    false
}

/// How many `$ref`s are followed to find whether a type is nullable.
pub(super) const MAX_TYPE_REFERENCES: usize = 16;

pub(super) fn default_value(
    name: &str,
    declaration: &Node,
    template: &Node,
    scope: &Scope<'_>,
) -> Node {
    match declaration.get("defaultValue") {
        Some(default) => {
            let mut value = resolve(default, scope);
            if let Some(token) = value.as_str().and_then(pipeline_token) {
                return Node::unknown(
                    format!(
                        "the default of parameter `{name}` holds `{token}`, a token replaced before deployment"
                    ),
                    value.span,
                );
            }
            if !value.is_unknown() && value.via.is_none() {
                value.via = Some(Box::new(Via {
                    span: default.span,
                    description: ["the default value of parameter `", name, "`"].concat(),
                    input: Some(name.to_string()),
                    reference: None,
                }));
            }
            value
        }
        // A nullable parameter (Bicep `string?`) that is not given is null.
        None if is_nullable(declaration, template) => Node {
            value: Value::Null,
            span: declaration.span,
            via: Some(Box::new(Via {
                span: declaration.span,
                description: format!("nullable parameter `{name}`, not given"),
                input: Some(name.to_string()),
                reference: None,
            })),
        },
        None => Node::unknown(
            format!("parameter `{name}` has no default value"),
            declaration.span,
        ),
    }
}

/// Units of a value tree: one per value and per 16 bytes of text; counting stops past `limit`.
fn produced_units(node: &Node, limit: u64) -> u64 {
    let mut units: u64 = 0;
    let mut pending = vec![node];
    while let Some(node) = pending.pop() {
        units = units.saturating_add(1);
        match &node.value {
            Value::String(text) => units = units.saturating_add(text.len() as u64 / 16),
            Value::Array(items) => pending.extend(items),
            Value::Object(members) => pending.extend(members.iter().map(|(_, value)| value)),
            _ => {}
        }
        if units > limit {
            break;
        }
    }
    units
}

#[cfg(test)]
mod tests {
    use super::pipeline_token;

    #[test]
    fn pipeline_tokens_are_found_anywhere_in_a_string() {
        assert_eq!(pipeline_token("#_namePrefix_#"), Some("#_namePrefix_#"));
        assert_eq!(pipeline_token("acr#_env_#01"), Some("#_env_#"));
        assert_eq!(pipeline_token("#_a-b_# #_ok_#"), Some("#_ok_#"));
        for plain in ["contosoacr", "a#_b", "a_#b", "#__#", "x#_#", "#_ _#", ""] {
            assert_eq!(pipeline_token(plain), None, "{plain}");
        }
    }
}
