//! Terraform expressions to model values: literals are known, everything else is unknown.

use hcl_edit::Span as _;
use hcl_edit::expr::{Expression, ObjectKey};
use hcl_edit::template::Element;

use crate::model::{Node, Value};
use crate::source::{FileId, Span};

use super::span_of;

pub fn to_node(expr: &Expression, file: FileId, text: &str, fallback: Span) -> Node {
    let span = span_of(expr.span(), file, Some(fallback.start..fallback.end));
    let value = match expr {
        Expression::Null(_) => Value::Null,
        Expression::Bool(b) => Value::Bool(*b.value()),
        Expression::Number(n) => n.value().as_f64().map_or_else(
            || Value::Unknown("number out of range".into()),
            Value::Number,
        ),
        Expression::String(s) => Value::String(s.value().to_string()),
        Expression::StringTemplate(template) => {
            literal_template(template.iter()).map_or_else(|| unknown(span, text), Value::String)
        }
        Expression::Parenthesis(inner) => return to_node(inner.inner(), file, text, span),
        Expression::Array(array) => Value::Array(
            array
                .iter()
                .map(|item| to_node(item, file, text, span))
                .collect(),
        ),
        Expression::Object(object) => Value::Object(
            object
                .iter()
                .filter_map(|(key, value)| {
                    let key = object_key(key)?;
                    Some((key, to_node(value.expr(), file, text, span)))
                })
                .collect(),
        ),
        _ => unknown(span, text),
    };
    Node::new(value, span)
}

fn literal_template<'a>(mut elements: impl Iterator<Item = &'a Element>) -> Option<String> {
    elements.try_fold(String::new(), |mut acc, element| match element {
        Element::Literal(literal) => {
            acc.push_str(literal.value());
            Some(acc)
        }
        _ => None,
    })
}

fn object_key(key: &ObjectKey) -> Option<String> {
    match key {
        ObjectKey::Ident(ident) => Some(ident.as_str().to_string()),
        ObjectKey::Expression(Expression::String(s)) => Some(s.value().to_string()),
        ObjectKey::Expression(_) => None,
    }
}

fn unknown(span: Span, text: &str) -> Value {
    let source = text.get(span.start..span.end).unwrap_or("").trim();
    let shown: String = source.chars().take(60).collect();
    let ellipsis = if shown.len() < source.len() {
        "…"
    } else {
        ""
    };
    Value::Unknown(format!("`{shown}{ellipsis}` is not evaluated"))
}
