//! Where a value read through a variable, a local or an instance's `each.value` was written:
//! `local.settings.admin` is followed into the `locals` block to the `true` its `admin` member
//! holds, `var.network.action` into the variable's default or the `.tfvars` value or module
//! argument that sets it, `each.value.sku` into the `for_each` map, `try()`, `coalesce()` and
//! `lookup()` to the argument they take, and whatever reads another variable or local on to
//! where that one was written.

use hcl_edit::Span as _;
use hcl_edit::expr::{Expression, TraversalOperator};

use super::eval::{ErrorKind, EvalError, PathStep, TfValue};
use super::expr::{Converter, Evaluate, object_key};
use super::span_of;
use crate::model::{Node, Value};
use crate::source::{FileId, Span};

/// How many references one trace may follow (a local reading a local reading a variable …).
pub const MAX_HOPS: usize = 32;

/// Where a value was written, and what it came through.
pub struct Origin<'a> {
    pub span: Span,
    /// How the value reached its use, e.g. "the default of variable `admin`".
    pub description: String,
    /// The variable the value was set by, if any.
    pub input: Option<String>,
    /// The expression at `span`, when the module's text holds it: its members have spans too.
    pub written: Option<Written<'a>>,
    /// The value at `span` as given from outside, with the spans of its members.
    pub given: Option<Given<'a>>,
    /// The value at `span` as read from a YAML file, with the spans of its members.
    pub read: Option<std::sync::Arc<Node>>,
}

/// A part of a value given from outside a module, as it was written.
#[derive(Clone, Copy)]
pub struct Given<'a> {
    /// The whole value given.
    pub whole: &'a std::sync::Arc<Node>,
    /// The part of it a reference reads.
    pub part: &'a Node,
}

/// An expression of a module file.
#[derive(Clone, Copy)]
pub struct Written<'a> {
    pub file: FileId,
    pub expr: &'a Expression,
}

impl<'a> Written<'a> {
    pub fn span(&self) -> Span {
        span_of(self.expr.span(), self.file, None)
    }
}

/// The literal parts of a written value with their spans; what is not a literal is unknown.
pub fn as_written(written: Written<'_>) -> Node {
    as_evaluated(written, None)
}

/// A written value with the spans of its parts: a literal's where it is written, what `values`
/// evaluates where its value was written (see [`super::expr::Evaluate::origin`]). Only the spans
/// are read: the texts of what is evaluated are not described.
pub fn as_evaluated(written: Written<'_>, values: Option<&dyn Evaluate>) -> Node {
    let converter = Converter {
        file: written.file,
        text: "",
        values,
    };
    converter.node(written.expr, written.span())
}

/// The name a reference starts with (`var` of `var.a.b`), parentheses looked through.
pub fn reference_root(expr: &Expression) -> Option<&str> {
    match without_parentheses(expr) {
        Expression::Traversal(traversal) => match &traversal.expr {
            Expression::Variable(root) => Some(root.as_str()),
            _ => None,
        },
        _ => None,
    }
}

/// Whether a reference's value may be traced where it was written: it reads a variable, a
/// local or an instance's `each`.
pub fn is_traced_root(root: &str) -> bool {
    matches!(root, "var" | "local" | "each" | "module")
}

/// A reference whose every step is known: `local.a.b["c"][0]` gives `local` and `a`, `b`, `"c"`,
/// `0`; an index that is an expression (`[var.env]`, `[count.index]`) takes the value `index`
/// gives it, a string or a number. A splat, or an index of no such value, makes it none.
pub fn static_reference<'e>(
    expr: &'e Expression,
    index: &dyn Fn(&Expression) -> Option<TfValue>,
) -> Option<(&'e str, Vec<PathStep>)> {
    let expr = without_parentheses(expr);
    let Expression::Traversal(traversal) = expr else {
        return None;
    };
    let Expression::Variable(root) = &traversal.expr else {
        return None;
    };
    Some((root.as_str(), static_path(traversal, index)?))
}

/// A traversal of a function call's value whose every step is known, as [`static_reference`]
/// reads them: `yamldecode(file("x")).a[0]` gives the call and `a`, `0`.
pub fn call_traversal<'e>(
    expr: &'e Expression,
    index: &dyn Fn(&Expression) -> Option<TfValue>,
) -> Option<(&'e Expression, Vec<PathStep>)> {
    let Expression::Traversal(traversal) = without_parentheses(expr) else {
        return None;
    };
    if !matches!(traversal.expr, Expression::FuncCall(_)) {
        return None;
    }
    Some((&traversal.expr, static_path(traversal, index)?))
}

fn static_path(
    traversal: &hcl_edit::expr::Traversal,
    index: &dyn Fn(&Expression) -> Option<TfValue>,
) -> Option<Vec<PathStep>> {
    traversal
        .operators
        .iter()
        .map(|operator| match operator.value() {
            TraversalOperator::GetAttr(name) => Some(PathStep::Attr(name.as_str().to_string())),
            TraversalOperator::LegacyIndex(index) => {
                Some(PathStep::Index(TfValue::Number(*index.value() as f64)))
            }
            TraversalOperator::Index(Expression::String(key)) => {
                Some(PathStep::Index(TfValue::String(key.value().clone())))
            }
            TraversalOperator::Index(Expression::Number(number)) => number
                .value()
                .as_f64()
                .map(|n| PathStep::Index(TfValue::Number(n))),
            TraversalOperator::Index(computed) => match index(computed)? {
                key @ (TfValue::String(_) | TfValue::Number(_)) => Some(PathStep::Index(key)),
                _ => None,
            },
            _ => None,
        })
        .collect::<Option<Vec<_>>>()
}

/// Where the value at `path` below the literal `written` was written: the literal it leads to.
pub fn picked_literal<'w>(
    written: Written<'w>,
    path: &[PathStep],
    description: impl FnOnce() -> String,
) -> Option<Origin<'w>> {
    let Walk::Reached(expr) = walk(written.expr, path) else {
        return None;
    };
    let written = Written { expr, ..written };
    is_written_out(expr).then(|| Origin {
        span: written.span(),
        description: description(),
        input: None,
        written: Some(written),
        given: None,
        read: None,
    })
}

/// How many elements an object `for` expression's collection may have to be looked into.
pub const MAX_FOR_ELEMENTS: usize = 1024;

/// An object `for` expression whose values are the elements themselves:
/// `{ for k, v in X : KEY => v if COND }`, no grouping.
pub fn identity_object_for(expr: &Expression) -> Option<&hcl_edit::expr::ForExpr> {
    let Expression::ForExpr(for_expr) = without_parentheses(expr) else {
        return None;
    };
    let value_name = for_expr.intro.value_var.as_str();
    let identity = matches!(
        without_parentheses(&for_expr.value_expr),
        Expression::Variable(name) if name.as_str() == value_name
    );
    (identity && for_expr.key_expr.is_some() && !for_expr.grouping).then_some(&**for_expr)
}

/// An object key as Terraform makes it from a value: a string, or a whole number or bool as
/// text.
pub fn key_text(value: &TfValue) -> Option<String> {
    match value {
        TfValue::Number(n) if n.fract() != 0.0 => None,
        other => other.as_text(),
    }
}

/// How many calls that pick an argument (`try(lookup(…), …)`) are looked through.
const MAX_PICKS: usize = 8;

/// What an expression's value is read from: the argument a call that picks one picks
/// (`try()` the first that evaluates without an error, `coalesce()` the first neither null nor
/// an empty string, `lookup()` the map's member or else its default), with the path below it,
/// and the name of the last call looked through.
pub struct Picked<'e> {
    pub expr: &'e Expression,
    pub path: Vec<PathStep>,
    pub by: Option<&'e str>,
}

/// Looks through the calls that pick an argument, evaluating their arguments with `attempt`
/// (where the call is written). `None` when which argument is picked is not known.
pub fn picked<'e>(
    mut expr: &'e Expression,
    attempt: &dyn Fn(&Expression) -> Result<TfValue, EvalError>,
) -> Option<Picked<'e>> {
    let mut path = Vec::new();
    let mut by = None;
    for _ in 0..=MAX_PICKS {
        expr = without_parentheses(expr);
        let Expression::FuncCall(call) = expr else {
            return Some(Picked { expr, path, by });
        };
        let name = call.name.name.as_str();
        if call.name.is_namespaced() || !is_pick(name) {
            return Some(Picked { expr, path, by });
        }
        if call.args.expand_final() {
            return None;
        }
        let args: Vec<&Expression> = call.args.iter().collect();
        let (argument, key) = pick(name, &args, attempt)?;
        if let Some(key) = key {
            path.insert(0, key);
        }
        expr = argument;
        by = Some(name);
    }
    None
}

/// Whether the value of a call of `name` is one of its arguments, picked by [`picked`].
pub fn is_pick(name: &str) -> bool {
    matches!(name, "try" | "coalesce" | "lookup")
}

fn pick<'e>(
    name: &str,
    args: &[&'e Expression],
    attempt: &dyn Fn(&Expression) -> Result<TfValue, EvalError>,
) -> Option<(&'e Expression, Option<PathStep>)> {
    match name {
        "try" => {
            for arg in args {
                match attempt(arg) {
                    Ok(value) if value.is_wholly_known() => return Some((arg, None)),
                    Err(error) if error.kind == ErrorKind::Invalid => {}
                    _ => return None,
                }
            }
            None
        }
        "coalesce" => {
            for arg in args {
                match attempt(arg).ok()? {
                    TfValue::Null => {}
                    TfValue::String(text) if text.is_empty() => {}
                    value if value.is_wholly_known() => return Some((arg, None)),
                    _ => return None,
                }
            }
            None
        }
        _ => {
            let (map, key, default) = match args {
                [map, key] => (*map, *key, None),
                [map, key, default] => (*map, *key, Some(*default)),
                _ => return None,
            };
            let TfValue::String(key) = attempt(key).ok()? else {
                return None;
            };
            let TfValue::Object(members) = attempt(map).ok()? else {
                return None;
            };
            if members.iter().any(|(name, _)| *name == key) {
                Some((map, Some(PathStep::Attr(key))))
            } else {
                default.map(|default| (default, None))
            }
        }
    }
}

/// Whether `expr` is the string literal `text`: a set's item, which is its own key.
fn is_string(expr: &Expression, text: &str) -> bool {
    match without_parentheses(expr) {
        Expression::String(literal) => literal.value().as_str() == text,
        Expression::StringTemplate(template) => {
            super::expr::literal_template(template.iter()).as_deref() == Some(text)
        }
        _ => false,
    }
}

/// A conversion to a set or list (`toset(X)`) read at an item by its value: `X` read the same.
pub fn through_conversion<'e>(expr: &'e Expression, path: &[PathStep]) -> Option<&'e Expression> {
    let Expression::FuncCall(call) = without_parentheses(expr) else {
        return None;
    };
    let name = call.name.name.as_str();
    let by_value = matches!(path.first(), Some(PathStep::Attr(_)));
    let [argument] = call.args.iter().collect::<Vec<_>>()[..] else {
        return None;
    };
    (by_value && !call.name.is_namespaced() && matches!(name, "toset" | "tolist"))
        .then_some(argument)
}

/// What following `path` into a written expression comes to. A key step into a tuple takes
/// the string item that is the key (`each.value` of a set of strings).
pub enum Walk<'e, 'p> {
    /// The expression the whole path leads to.
    Reached(&'e Expression),
    /// An expression met on the way that is not a constructor (a reference, a call), with the
    /// rest of the path to follow from its value.
    Through(&'e Expression, &'p [PathStep]),
    /// The path leads out of what is written: a missing member or item, or into a literal.
    Lost,
}

/// Follows `path` through the object and tuple constructors of `expr`.
pub fn walk<'e, 'p>(mut expr: &'e Expression, mut path: &'p [PathStep]) -> Walk<'e, 'p> {
    loop {
        expr = without_parentheses(expr);
        let Some((step, rest)) = path.split_first() else {
            return Walk::Reached(expr);
        };
        match step_into(expr, step) {
            Step::Into(next) => expr = next,
            Step::Missing | Step::Out => return Walk::Lost,
            Step::NotWritten => return Walk::Through(expr, path),
        }
        path = rest;
    }
}

/// What one step of a path into a written expression (or a value as written) meets.
enum Step<T> {
    /// The member or item the step names.
    Into(T),
    /// An object without the key the step names.
    Missing,
    /// A tuple without the item, or a literal: the step leads out of what is written.
    Out,
    /// An expression that is not a constructor: its value is not written here.
    NotWritten,
}

fn step_into<'e>(expr: &'e Expression, step: &PathStep) -> Step<&'e Expression> {
    let found = match expr {
        Expression::Object(object) => {
            let Some(key) = step.key() else {
                return Step::Out;
            };
            return object_member(object, &key).map_or(Step::Missing, Step::Into);
        }
        Expression::Array(items) => match step {
            PathStep::Attr(key) => items.iter().find(|item| is_string(item, key)),
            index => index.position().and_then(|index| items.iter().nth(index)),
        },
        Expression::Null(_)
        | Expression::Bool(_)
        | Expression::Number(_)
        | Expression::String(_)
        | Expression::StringTemplate(_)
        | Expression::HeredocTemplate(_) => None,
        _ => return Step::NotWritten,
    };
    found.map_or(Step::Out, Step::Into)
}

fn node_step<'n>(node: &'n Node, step: &PathStep) -> Step<&'n Node> {
    let found = match &node.value {
        Value::Object(members) => {
            let Some(key) = step.key() else {
                return Step::Out;
            };
            let member = members.iter().rev().find(|(name, _)| *name == *key);
            return member.map_or(Step::Missing, |(_, member)| Step::Into(member));
        }
        Value::Array(items) => match step {
            PathStep::Attr(key) => items
                .iter()
                .find(|item| matches!(&item.value, Value::String(text) if text == key)),
            index => index.position().and_then(|index| items.get(index)),
        },
        _ => None,
    };
    found.map_or(Step::Out, Step::Into)
}

/// The last member of an object constructor named `key` (Terraform takes the last).
fn object_member<'e>(object: &'e hcl_edit::expr::Object, key: &str) -> Option<&'e Expression> {
    object
        .iter()
        .filter(|(name, _)| object_key(name).as_deref() == Some(key))
        .last()
        .map(|(_, value)| value.expr())
}

/// Whether following `path` into the constructors of `expr` meets an object that lacks the
/// next key (what a type's `optional()` default then fills in).
pub fn lacks(mut expr: &Expression, path: &[PathStep]) -> bool {
    for step in path {
        match step_into(without_parentheses(expr), step) {
            Step::Into(next) => expr = next,
            Step::Missing => return true,
            Step::Out | Step::NotWritten => return false,
        }
    }
    false
}

/// [`lacks`] for a value given as written.
pub fn node_lacks(mut node: &Node, path: &[PathStep]) -> bool {
    for step in path {
        match node_step(node, step) {
            Step::Into(next) => node = next,
            Step::Missing => return true,
            Step::Out | Step::NotWritten => return false,
        }
    }
    false
}

/// The `DEFAULT` of the `optional(TYPE, DEFAULT)` a type constraint gives the attribute at
/// `path`: through `object({…})` by key, `map()`, `list()` and `set()` by any key, and the
/// `TYPE` of an `optional()` on the way.
pub fn optional_default<'e>(mut expr: &'e Expression, path: &[PathStep]) -> Option<&'e Expression> {
    let mut steps = path.iter();
    let mut step = steps.next();
    loop {
        let Expression::FuncCall(call) = without_parentheses(expr) else {
            return None;
        };
        let args: Vec<&Expression> = call.args.iter().collect();
        match (call.name.name.as_str(), args.as_slice(), step) {
            ("optional", [_, default], None) => return Some(default),
            ("optional", [inner, default], Some(current)) => {
                // The default of the whole, when it writes the attribute, wins over the type's.
                let remaining: Vec<PathStep> = std::iter::once(current)
                    .chain(steps.clone())
                    .cloned()
                    .collect();
                if let Walk::Reached(written) = walk(default, &remaining) {
                    return Some(written);
                }
                expr = inner;
            }
            ("optional", [inner], Some(_)) => expr = inner,
            ("object", [Expression::Object(object)], Some(current)) => {
                expr = object_member(object, &current.key()?)?;
                step = steps.next();
            }
            ("map" | "list" | "set", [element], Some(_)) => {
                expr = element;
                step = steps.next();
            }
            _ => return None,
        }
    }
}

/// Whether a value written as `expr` is where it was set: a literal, a constructor or a string
/// template, not a reference or a computation.
pub fn is_written_out(expr: &Expression) -> bool {
    matches!(
        without_parentheses(expr),
        Expression::Null(_)
            | Expression::Bool(_)
            | Expression::Number(_)
            | Expression::String(_)
            | Expression::StringTemplate(_)
            | Expression::HeredocTemplate(_)
            | Expression::Array(_)
            | Expression::Object(_)
    )
}

/// Gives the members of `node` (made from the value of `written`) the spans their expressions
/// have in `written`, where the two have the same shape; the rest keep the span of the whole.
pub fn place_members(node: &mut Node, written: Written<'_>) {
    let expr = without_parentheses(written.expr);
    match (&mut node.value, expr) {
        (Value::Object(members), Expression::Object(object)) => {
            for (key, value) in object.iter() {
                let Some(key) = object_key(key) else {
                    continue;
                };
                if let Some((_, member)) = members.iter_mut().rfind(|(name, _)| *name == key) {
                    place(member, value.expr(), written.file);
                }
            }
        }
        (Value::Array(items), Expression::Array(array)) if items.len() == array.len() => {
            for (item, expr) in items.iter_mut().zip(array.iter()) {
                place(item, expr, written.file);
            }
        }
        _ => {}
    }
}

/// Gives the members of `node` the spans of the same members of `given`, the value as it was
/// written, where the two have the same shape.
pub fn place_given_members(node: &mut Node, given: &Node) {
    match (&mut node.value, &given.value) {
        (Value::Object(members), Value::Object(written)) => {
            for (key, written) in written {
                if let Some((_, member)) = members.iter_mut().rfind(|(name, _)| name == key) {
                    member.span = written.span;
                    place_given_members(member, written);
                }
            }
        }
        (Value::Array(items), Value::Array(written)) if items.len() == written.len() => {
            for (item, written) in items.iter_mut().zip(written) {
                item.span = written.span;
                place_given_members(item, written);
            }
        }
        _ => {}
    }
}

/// The part of a value as written at `path`, keys matched exactly; `None` when the path leads
/// out of it or into a part that was not written out.
pub fn node_at<'n>(mut node: &'n Node, path: &[PathStep]) -> Option<&'n Node> {
    for step in path {
        let Step::Into(next) = node_step(node, step) else {
            return None;
        };
        node = next;
    }
    (!node.is_unknown()).then_some(node)
}

fn place(node: &mut Node, expr: &Expression, file: FileId) {
    let written = Written { file, expr };
    node.span = written.span();
    place_members(node, written);
}

pub fn without_parentheses(mut expr: &Expression) -> &Expression {
    while let Expression::Parenthesis(inner) = expr {
        expr = inner.inner();
    }
    expr
}

#[cfg(test)]
mod tests {
    use super::*;

    fn local_expr<'b>(body: &'b hcl_edit::structure::Body, name: &str) -> &'b Expression {
        body.blocks()
            .flat_map(|block| block.body.attributes())
            .find(|attribute| attribute.key.as_str() == name)
            .map(|attribute| &attribute.value)
            .expect("the test text declares the local")
    }

    fn reached_text<'t>(text: &'t str, walk: Walk<'_, '_>) -> Option<&'t str> {
        match walk {
            Walk::Reached(expr) => text.get(expr.span()?),
            _ => None,
        }
    }

    const TEXT: &str = r#"
locals {
  registry = {
    admin   = true
    "sku"   = "Premium"
    regions = ["westeurope", { name = "northeurope" }]
    admin   = false
    network = var.network
    computed = merge({ a = 1 }, { b = 2 })
  }
  uses = local.registry.admin
  computed_index = local.registry[var.key]
  splat = local.list[*].name
}
"#;

    #[test]
    fn a_path_is_followed_through_objects_and_tuples_to_the_last_key_of_a_name() {
        let body = crate::terraform::parse(TEXT).expect("the test text parses");
        let registry = local_expr(&body, "registry");
        let path = |steps: &[PathStep]| steps.to_vec();
        let admin = path(&[PathStep::Attr("admin".into())]);
        assert_eq!(reached_text(TEXT, walk(registry, &admin)), Some("false"));
        let sku = path(&[PathStep::Index(TfValue::String("sku".into()))]);
        assert_eq!(
            reached_text(TEXT, walk(registry, &sku)),
            Some("\"Premium\"")
        );
        let region = path(&[
            PathStep::Attr("regions".into()),
            PathStep::Index(TfValue::Number(1.0)),
            PathStep::Attr("name".into()),
        ]);
        assert_eq!(
            reached_text(TEXT, walk(registry, &region)),
            Some("\"northeurope\"")
        );
    }

    #[test]
    fn a_path_stops_at_what_is_not_a_constructor_and_is_lost_where_nothing_is_written() {
        let body = crate::terraform::parse(TEXT).expect("the test text parses");
        let registry = local_expr(&body, "registry");
        let through = [
            PathStep::Attr("network".into()),
            PathStep::Attr("action".into()),
        ];
        match walk(registry, &through) {
            Walk::Through(expr, rest) => {
                assert_eq!(
                    TEXT.get(expr.span().unwrap_or_default()),
                    Some("var.network")
                );
                assert_eq!(rest.len(), 1);
            }
            _ => panic!("the walk should stop at the reference"),
        }
        let computed = [
            PathStep::Attr("computed".into()),
            PathStep::Attr("a".into()),
        ];
        assert!(matches!(walk(registry, &computed), Walk::Through(_, [_])));
        for lost in [
            vec![PathStep::Attr("missing".into())],
            vec![PathStep::Attr("admin".into()), PathStep::Attr("x".into())],
            vec![
                PathStep::Attr("regions".into()),
                PathStep::Index(TfValue::Number(2.0)),
            ],
            vec![
                PathStep::Attr("regions".into()),
                PathStep::Index(TfValue::Number(0.5)),
            ],
        ] {
            assert!(matches!(walk(registry, &lost), Walk::Lost), "{lost:?}");
        }
    }

    #[test]
    fn a_given_value_is_looked_into_by_exact_keys_and_whole_indexes() {
        let text = "locals {\n  x = { Admin = false, admin = true, list = [\"a\", \"${b}\"] }\n}\n";
        let body = crate::terraform::parse(text).expect("the test text parses");
        let given = as_written(Written {
            file: 0,
            expr: local_expr(&body, "x"),
        });
        let at = |path: &[PathStep]| {
            node_at(&given, path).map(|node| text.get(node.span.start..node.span.end))
        };
        assert_eq!(at(&[PathStep::Attr("admin".into())]), Some(Some("true")));
        assert_eq!(at(&[PathStep::Attr("Admin".into())]), Some(Some("false")));
        let item = |index: f64| {
            [
                PathStep::Attr("list".into()),
                PathStep::Index(TfValue::Number(index)),
            ]
        };
        assert_eq!(at(&item(0.0)), Some(Some("\"a\"")));
        // A template is not known from what is written alone; past the end is nothing.
        assert_eq!(at(&item(1.0)), None);
        assert_eq!(at(&item(2.0)), None);
        assert_eq!(at(&[PathStep::Attr("ADMIN".into())]), None);
    }

    #[test]
    fn members_take_the_spans_of_the_given_value_where_the_shapes_agree() {
        let text = "locals {\n  x = { a = true, b = [1, 2] }\n}\n";
        let body = crate::terraform::parse(text).expect("the test text parses");
        let given = as_written(Written {
            file: 0,
            expr: local_expr(&body, "x"),
        });
        let whole = Span::new(0, 0, 0);
        let mut node = Node::new(
            Value::Object(vec![
                ("a".into(), Node::new(Value::Bool(true), whole)),
                ("b".into(), Node::new(Value::Array(vec![]), whole)),
                ("c".into(), Node::new(Value::Null, whole)),
            ]),
            whole,
        );
        place_given_members(&mut node, &given);
        let span_text = |name: &str| {
            let member = node.get(name).expect("the member is there");
            text.get(member.span.start..member.span.end)
        };
        assert_eq!(span_text("a"), Some("true"));
        assert_eq!(span_text("b"), Some("[1, 2]"));
        assert_eq!(span_text("c"), Some(""));
    }

    #[test]
    fn only_object_for_expressions_whose_values_are_the_elements_are_looked_through() {
        let text = r#"
locals {
  same     = { for k, v in var.m : k => v if v.on }
  by_name  = { for r in var.l : r.name => (r) }
  member   = { for k, v in var.m : k => v.admin }
  grouped  = { for r in var.l : r.name => r... }
  list     = [for v in var.l : v]
}
"#;
        let body = crate::terraform::parse(text).expect("the test text parses");
        let looked = |name: &str| identity_object_for(local_expr(&body, name)).is_some();
        assert!(looked("same"));
        assert!(looked("by_name"));
        for not in ["member", "grouped", "list"] {
            assert!(!looked(not), "{not}");
        }
        assert_eq!(key_text(&TfValue::Number(2.0)).as_deref(), Some("2"));
        assert_eq!(key_text(&TfValue::Bool(true)).as_deref(), Some("true"));
        assert_eq!(key_text(&TfValue::Number(0.5)), None);
        assert_eq!(key_text(&TfValue::Null), None);
    }

    #[test]
    fn an_attribute_left_out_takes_the_default_its_type_gives_it() {
        let text = r#"
locals {
  type = object({
    sku   = string
    admin = optional(bool, true)
    net   = optional(object({ action = optional(string, "Allow") }), {})
    rules = optional(object({ action = optional(string, "Allow") }), { action = "Deny" })
    zones = map(object({ redundant = optional(bool, false) }))
    plain = optional(string)
  })
  value = { sku = "Premium", zones = { west = {} } }
}
"#;
        let body = crate::terraform::parse(text).expect("the test text parses");
        let (kind, value) = (local_expr(&body, "type"), local_expr(&body, "value"));
        let path = |steps: &[&str]| -> Vec<PathStep> {
            steps.iter().map(|s| PathStep::Attr((*s).into())).collect()
        };
        let default =
            |steps: &[&str]| optional_default(kind, &path(steps)).and_then(|e| text.get(e.span()?));
        assert_eq!(default(&["admin"]), Some("true"));
        assert_eq!(default(&["net", "action"]), Some("\"Allow\""));
        assert_eq!(default(&["rules", "action"]), Some("\"Deny\""));
        assert_eq!(default(&["zones", "west", "redundant"]), Some("false"));
        assert_eq!(default(&["plain"]), None);
        assert_eq!(default(&["sku"]), None);
        assert!(lacks(value, &path(&["admin"])));
        assert!(lacks(value, &path(&["zones", "west", "redundant"])));
        assert!(!lacks(value, &path(&["sku"])));
        assert!(!lacks(value, &path(&["sku", "x"])));
        let given = as_written(Written {
            file: 0,
            expr: value,
        });
        assert!(node_lacks(&given, &path(&["net", "action"])));
        assert!(!node_lacks(&given, &path(&["zones", "west"])));
    }

    #[test]
    fn a_key_step_into_a_tuple_takes_the_string_item_that_is_the_key() {
        let text = "locals {\n  names = toset([\"a\", \"b\", 3])\n}\n";
        let body = crate::terraform::parse(text).expect("the test text parses");
        let names = local_expr(&body, "names");
        let key = [PathStep::Attr("b".into())];
        let list = through_conversion(names, &key).expect("toset is looked through by value");
        assert_eq!(reached_text(text, walk(list, &key)), Some("\"b\""));
        assert!(matches!(
            walk(list, &[PathStep::Attr("3".into())]),
            Walk::Lost
        ));
        let index = [PathStep::Index(TfValue::Number(0.0))];
        assert!(through_conversion(names, &index).is_none());
        let given = as_written(Written {
            file: 0,
            expr: list,
        });
        let found = node_at(&given, &key).map(|n| text.get(n.span.start..n.span.end));
        assert_eq!(found, Some(Some("\"b\"")));
    }

    fn no_index(_: &Expression) -> Option<TfValue> {
        None
    }

    #[test]
    fn only_references_whose_every_step_is_written_are_static() {
        let body = crate::terraform::parse(TEXT).expect("the test text parses");
        let (root, path) =
            static_reference(local_expr(&body, "uses"), &no_index).expect("a written reference");
        assert_eq!(root, "local");
        assert_eq!(path.len(), 2);
        assert!(static_reference(local_expr(&body, "computed_index"), &no_index).is_none());
        assert!(static_reference(local_expr(&body, "splat"), &no_index).is_none());
        assert!(static_reference(local_expr(&body, "registry"), &no_index).is_none());
    }

    #[test]
    fn members_take_their_spans_where_the_shapes_agree() {
        let text = "locals {\n  x = { a = true, b = [1, 2], c = [1, 2] }\n}\n";
        let body = crate::terraform::parse(text).expect("the test text parses");
        let expr = local_expr(&body, "x");
        let whole = Span::new(0, 0, 0);
        let number = |n: f64| Node::new(Value::Number(n), whole);
        let mut node = Node::new(
            Value::Object(vec![
                ("a".into(), Node::new(Value::Bool(true), whole)),
                (
                    "b".into(),
                    Node::new(Value::Array(vec![number(1.0)]), whole),
                ),
                (
                    "c".into(),
                    Node::new(Value::Array(vec![number(1.0), number(2.0)]), whole),
                ),
            ]),
            whole,
        );
        place_members(&mut node, Written { file: 0, expr });
        let span_text = |node: &Node| text.get(node.span.start..node.span.end);
        assert_eq!(node.get("a").map(span_text), Some(Some("true")));
        assert_eq!(node.get("b").map(span_text), Some(Some("[1, 2]")));
        let items = |name: &str| match node.get(name).map(|n| &n.value) {
            Some(Value::Array(items)) => items.iter().map(span_text).collect::<Vec<_>>(),
            _ => Vec::new(),
        };
        assert_eq!(items("b"), [Some("")]);
        assert_eq!(items("c"), [Some("1"), Some("2")]);
        assert_eq!(node.span, whole);
    }
}
