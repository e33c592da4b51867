//! Terraform expressions to model values. Literal structure keeps the span of every element;
//! other expressions are evaluated in the module's scope, and what cannot be known stays unknown.

use hcl_edit::Span as _;
use hcl_edit::expr::{Expression, ObjectKey, TraversalOperator};
use hcl_edit::template::Element;

use crate::model::{Node, Value, Via};
use crate::source::{FileId, Span};

use super::eval::{EvalError, PathStep, TfValue};
use super::origin::{
    Origin, Written, is_traced_root, is_written_out, picked, picked_literal, place_given_members,
    place_members, reference_root, static_reference,
};
use super::span_of;

/// Evaluates the expressions that are not literals.
pub trait Evaluate {
    fn evaluate(&self, expr: &Expression) -> TfValue;
    /// `expr` evaluated with names bound besides the scope's (later ones shadow earlier ones).
    fn evaluate_bound(&self, expr: &Expression, bindings: &[(String, TfValue)]) -> TfValue;
    /// `expr` evaluated with names bound, telling what Terraform would reject apart.
    fn attempt_bound(
        &self,
        expr: &Expression,
        bindings: &[(String, TfValue)],
    ) -> Result<TfValue, EvalError>;
    /// Where the value at `path` below an element of `for_each` (a `dynamic` block's; the
    /// path starts with the element's key) was written.
    fn element_origin<'s>(&'s self, for_each: Written<'s>, path: &[PathStep])
    -> Option<Origin<'s>>;
    /// Where the value `expr` (written in `file`) reads through a variable or local, or picks
    /// with `try()`, `coalesce()` or `lookup()`, was written.
    fn origin<'s>(&'s self, expr: &'s Expression, file: FileId) -> Option<Origin<'s>>;
    /// Where the value of variable `variable` was set when no file holds it: `` `--var
    /// admin=...` `` or an environment variable.
    fn set_outside(&self, variable: &str) -> Option<&str>;
}

/// A scope with names bound on top of another: a `dynamic` block's iterator in its `content`.
pub struct Bound<'a> {
    pub parent: &'a dyn Evaluate,
    pub bindings: Vec<(String, TfValue)>,
    /// The element of the `dynamic` block's `for_each` the iterator stands for.
    pub element: Option<DynamicElement<'a>>,
}

/// The element a `dynamic` block's iterator stands for in one generated block.
pub struct DynamicElement<'a> {
    /// The iterator's name (the block's label, or `iterator = NAME`).
    pub iterator: String,
    pub for_each: Written<'a>,
    /// The element's key in the collection: a map key or a list index.
    pub key: PathStep,
}

impl Evaluate for Bound<'_> {
    fn set_outside(&self, variable: &str) -> Option<&str> {
        self.parent.set_outside(variable)
    }

    fn evaluate(&self, expr: &Expression) -> TfValue {
        self.parent.evaluate_bound(expr, &self.bindings)
    }

    fn evaluate_bound(&self, expr: &Expression, bindings: &[(String, TfValue)]) -> TfValue {
        let mut all = self.bindings.clone();
        all.extend(bindings.iter().cloned());
        self.parent.evaluate_bound(expr, &all)
    }

    fn attempt_bound(
        &self,
        expr: &Expression,
        bindings: &[(String, TfValue)],
    ) -> Result<TfValue, EvalError> {
        let mut all = self.bindings.clone();
        all.extend(bindings.iter().cloned());
        self.parent.attempt_bound(expr, &all)
    }

    fn element_origin<'s>(
        &'s self,
        for_each: Written<'s>,
        path: &[PathStep],
    ) -> Option<Origin<'s>> {
        self.parent.element_origin(for_each, path)
    }

    fn origin<'s>(&'s self, expr: &'s Expression, file: FileId) -> Option<Origin<'s>> {
        let attempt = |expr: &Expression| self.parent.attempt_bound(expr, &self.bindings);
        let picked = picked(expr, &attempt)?;
        if let Some(by) = picked.by
            && is_written_out(picked.expr)
        {
            let written = Written {
                file,
                expr: picked.expr,
            };
            return picked_literal(written, &picked.path, || format!("`{by}()`"));
        }
        let root = reference_root(picked.expr)?;
        if let Some(element) = self
            .element
            .as_ref()
            .filter(|element| element.iterator == root)
        {
            let index = |expr: &Expression| attempt(expr).ok();
            let (_, path) = static_reference(picked.expr, &index)?;
            let (PathStep::Attr(value), rest) = path.split_first()? else {
                return None;
            };
            if value != "value" {
                return None;
            }
            let mut full = vec![element.key.clone()];
            full.extend(rest.iter().cloned());
            full.extend(picked.path);
            return self.parent.element_origin(element.for_each, &full);
        }
        // What the parent traces is right only where the bound names play no part.
        if !is_traced_root(root)
            || !picked.path.is_empty()
            || self.evaluate(picked.expr) != self.parent.evaluate(picked.expr)
        {
            return None;
        }
        self.parent.origin(picked.expr, file)
    }
}

/// Converts an expression of `file` into a model node.
pub struct Converter<'a> {
    pub file: FileId,
    pub text: &'a str,
    pub values: Option<&'a dyn Evaluate>,
}

impl Converter<'_> {
    pub fn node(&self, expr: &Expression, fallback: Span) -> Node {
        let span = span_of(expr.span(), self.file, Some(fallback.start..fallback.end));
        let value = match expr {
            Expression::Null(_) => Value::Null,
            Expression::Bool(b) => Value::Bool(*b.value()),
            Expression::Number(n) => n.value().as_f64().map_or_else(
                || Value::Unknown("number out of range".into()),
                Value::Number,
            ),
            Expression::String(s) => Value::String(s.value().to_string()),
            Expression::StringTemplate(template) => match literal_template(template.iter()) {
                Some(text) => Value::String(text),
                None => return self.evaluated(expr, span),
            },
            Expression::Parenthesis(inner) => return self.node(inner.inner(), span),
            Expression::Array(array) => {
                Value::Array(array.iter().map(|item| self.node(item, span)).collect())
            }
            Expression::Object(object) => Value::Object(
                object
                    .iter()
                    .filter_map(|(key, value)| {
                        Some((object_key(key)?, self.node(value.expr(), span)))
                    })
                    .collect(),
            ),
            _ => return self.evaluated(expr, span),
        };
        Node::new(value, span)
    }

    /// A non-literal expression: its value in the module, remembering where it came from.
    fn evaluated(&self, expr: &Expression, span: Span) -> Node {
        let source = self.text.get(span.start..span.end).unwrap_or("").trim();
        let value = match self.values {
            Some(values) => values.evaluate(expr),
            None => TfValue::Unknown(format!("`{}` is not evaluated", shorten(source))),
        };
        let mut node = from_value(&value, span);
        let variable = direct_variable(expr);
        let origin = self
            .values
            .and_then(|values| values.origin(expr, self.file));
        match origin {
            Some(origin) if !node.is_unknown() => {
                node = from_value(&value, origin.span);
                if let Some(written) = origin.written {
                    place_members(&mut node, written);
                }
                if let Some(given) = origin.given {
                    place_given_members(&mut node, given.part);
                }
                node.via = Some(Box::new(Via {
                    span,
                    description: origin.description,
                    input: origin.input,
                    reference: None,
                }));
            }
            _ => {
                let written = ["`", shorten(source).as_str(), "`"].concat();
                let outside = variable.and_then(|name| self.values?.set_outside(name));
                node.via = Some(Box::new(Via {
                    span,
                    description: match outside {
                        Some(outside) => format!("{written}, set by {outside}"),
                        None => written,
                    },
                    input: variable
                        .map(str::to_string)
                        .or_else(|| first_variable(source)),
                    reference: referenced_resource(expr),
                }));
            }
        }
        node
    }
}

/// A model node for an evaluated value; every part spans the expression.
fn from_value(value: &TfValue, span: Span) -> Node {
    let value = match value {
        TfValue::Null => Value::Null,
        TfValue::Bool(b) => Value::Bool(*b),
        TfValue::Number(n) => Value::Number(*n),
        TfValue::String(s) => Value::String(s.clone()),
        TfValue::List(items) => Value::Array(items.iter().map(|i| from_value(i, span)).collect()),
        TfValue::Object(members) => Value::Object(
            members
                .iter()
                .map(|(k, v)| (k.clone(), from_value(v, span)))
                .collect(),
        ),
        TfValue::Unknown(reason) => Value::Unknown(reason.clone()),
    };
    Node::new(value, span)
}

/// The resource a reference expression points into: `TYPE.NAME[...].attr` gives `TYPE.NAME`.
fn referenced_resource(expr: &Expression) -> Option<String> {
    let (root, path) = super::eval::reference_of(expr)?;
    let Some(super::eval::PathStep::Attr(name)) = path.first() else {
        return None;
    };
    let reserved = [
        "var",
        "local",
        "data",
        "module",
        "count",
        "each",
        "path",
        "terraform",
        "self",
    ];
    (!reserved.contains(&root.as_str())).then(|| format!("{root}.{name}"))
}

/// `var.NAME` exactly.
pub(super) fn direct_variable(expr: &Expression) -> Option<&str> {
    let Expression::Traversal(traversal) = expr else {
        return None;
    };
    let Expression::Variable(root) = &traversal.expr else {
        return None;
    };
    match traversal.operators.as_slice() {
        [only] if root.as_str() == "var" => match only.value() {
            TraversalOperator::GetAttr(name) => Some(name.as_str()),
            _ => None,
        },
        _ => None,
    }
}

pub(super) fn shorten(source: &str) -> String {
    crate::source::shortened(source, 60)
}

/// The first `var.NAME` an expression's text mentions.
fn first_variable(source: &str) -> Option<String> {
    static VAR: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::Finder::new("var."));
    let mut rest = source;
    while let Some(at) = VAR.find(rest.as_bytes()) {
        let before = rest.get(..at).and_then(|b| b.chars().last());
        let after = rest.get(at + 4..).unwrap_or("");
        let name: String = after
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
            .collect();
        if !before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
            && !name.is_empty()
        {
            return Some(name);
        }
        rest = after;
    }
    None
}

pub(super) fn literal_template<'a>(
    mut elements: impl Iterator<Item = &'a Element>,
) -> Option<String> {
    elements.try_fold(String::new(), |mut acc, element| match element {
        Element::Literal(literal) => {
            acc.push_str(literal.value());
            Some(acc)
        }
        _ => None,
    })
}

pub(super) fn object_key(key: &ObjectKey) -> Option<String> {
    match key {
        ObjectKey::Ident(ident) => Some(ident.as_str().to_string()),
        ObjectKey::Expression(Expression::String(s)) => Some(s.value().to_string()),
        ObjectKey::Expression(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::first_variable;

    #[test]
    fn the_first_variable_an_expression_reads_is_named() {
        assert_eq!(first_variable("upper(var.name)").as_deref(), Some("name"));
        assert_eq!(
            first_variable("local.var.x == var.y_1-z ? 1 : 2").as_deref(),
            Some("y_1-z")
        );
        assert_eq!(first_variable("avar.x + var.é").as_deref(), None);
        assert_eq!(first_variable("\"var.\" + var.b").as_deref(), Some("b"));
        assert_eq!(first_variable("var."), None);
    }
}
