//! Variable type constraints (`type = object({ a = optional(bool, false) })`), applied to the
//! values variables get the way Terraform converts them: primitives converted, object
//! attributes the type does not declare dropped, and absent `optional` attributes set to
//! their default (or null). What does not convert is kept as it is.

use hcl_edit::expr::{Expression, ObjectKey};

use super::eval::{self, TfValue};
use super::module::Empty;

/// How deep type constraints may nest.
const MAX_DEPTH: usize = 32;

#[derive(Debug, Clone, PartialEq)]
pub enum Type {
    Any,
    String,
    Number,
    Bool,
    List(Box<Type>),
    Set(Box<Type>),
    Map(Box<Type>),
    Tuple(Vec<Type>),
    Object(Vec<Attribute>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Attribute {
    name: String,
    kind: Type,
    optional: bool,
    default: Option<TfValue>,
}

impl Type {
    /// The type a `type` expression declares; `None` when it is not one this models.
    pub fn parse(expr: &Expression) -> Option<Type> {
        parse(expr, 0)
    }

    /// `value` converted to this type.
    pub fn convert(&self, value: TfValue) -> TfValue {
        convert(self, value, 0)
    }
}

fn parse(expr: &Expression, depth: usize) -> Option<Type> {
    if depth > MAX_DEPTH {
        return None;
    }
    match expr {
        Expression::Parenthesis(inner) => parse(inner.inner(), depth + 1),
        Expression::Variable(name) => match name.as_str() {
            "any" => Some(Type::Any),
            "string" => Some(Type::String),
            "number" => Some(Type::Number),
            "bool" => Some(Type::Bool),
            _ => None,
        },
        Expression::FuncCall(call) => {
            let mut args = call.args.iter();
            let first = args.next()?;
            let element = || parse(first, depth + 1).map(Box::new);
            match call.name.name.as_str() {
                "list" => Some(Type::List(element()?)),
                "set" => Some(Type::Set(element()?)),
                "map" => Some(Type::Map(element()?)),
                "tuple" => match first {
                    Expression::Array(items) => Some(Type::Tuple(
                        items
                            .iter()
                            .map(|item| parse(item, depth + 1))
                            .collect::<Option<Vec<Type>>>()?,
                    )),
                    _ => None,
                },
                "object" => match first {
                    Expression::Object(object) => {
                        let mut attributes = Vec::new();
                        for (key, value) in object.iter() {
                            let name = match key {
                                ObjectKey::Ident(ident) => ident.as_str().to_string(),
                                ObjectKey::Expression(Expression::String(s)) => {
                                    s.value().to_string()
                                }
                                ObjectKey::Expression(_) => return None,
                            };
                            attributes.push(attribute(name, value.expr(), depth + 1)?);
                        }
                        Some(Type::Object(attributes))
                    }
                    _ => None,
                },
                _ => None,
            }
        }
        _ => None,
    }
}

fn attribute(name: String, expr: &Expression, depth: usize) -> Option<Attribute> {
    if let Expression::FuncCall(call) = expr
        && call.name.name.as_str() == "optional"
    {
        let mut args = call.args.iter();
        let kind = parse(args.next()?, depth + 1)?;
        let default = args.next().map(|d| eval::evaluate(d, &Empty));
        return Some(Attribute {
            name,
            kind,
            optional: true,
            default,
        });
    }
    Some(Attribute {
        name,
        kind: parse(expr, depth + 1)?,
        optional: false,
        default: None,
    })
}

fn convert(kind: &Type, value: TfValue, depth: usize) -> TfValue {
    if depth > MAX_DEPTH || matches!(value, TfValue::Null | TfValue::Unknown(_)) {
        return value;
    }
    match (kind, value) {
        (Type::Any, value) => value,
        (Type::String, TfValue::Number(n)) => TfValue::String(eval::number_to_string(n)),
        (Type::String, TfValue::Bool(b)) => TfValue::String(b.to_string()),
        (Type::Number, TfValue::String(text)) => match text.trim().parse::<f64>() {
            Ok(n) if n.is_finite() => TfValue::Number(n),
            _ => TfValue::String(text),
        },
        (Type::Bool, TfValue::String(text)) => match text.as_str() {
            "true" => TfValue::Bool(true),
            "false" => TfValue::Bool(false),
            _ => TfValue::String(text),
        },
        (Type::List(element) | Type::Set(element), TfValue::List(items)) => TfValue::List(
            items
                .into_iter()
                .map(|item| convert(element, item, depth + 1))
                .collect(),
        ),
        (Type::Map(element), TfValue::Object(entries)) => TfValue::Object(
            entries
                .into_iter()
                .map(|(key, item)| (key, convert(element, item, depth + 1)))
                .collect(),
        ),
        (Type::Tuple(elements), TfValue::List(items)) if elements.len() == items.len() => {
            TfValue::List(
                elements
                    .iter()
                    .zip(items)
                    .map(|(element, item)| convert(element, item, depth + 1))
                    .collect(),
            )
        }
        (Type::Object(attributes), TfValue::Object(mut entries)) => {
            let mut converted = Vec::with_capacity(attributes.len());
            for attribute in attributes {
                let given = entries
                    .iter()
                    .position(|(key, _)| *key == attribute.name)
                    .map(|at| entries.swap_remove(at).1)
                    .filter(|v| !matches!(v, TfValue::Null));
                let value = match (given, &attribute.default) {
                    (Some(value), _) => convert(&attribute.kind, value, depth + 1),
                    (None, Some(default)) if attribute.optional => {
                        convert(&attribute.kind, default.clone(), depth + 1)
                    }
                    (None, _) if attribute.optional => TfValue::Null,
                    // A required attribute is missing: Terraform rejects the value.
                    (None, _) => TfValue::Unknown(format!(
                        "attribute `{}` is required by the variable's type",
                        attribute.name
                    )),
                };
                converted.push((attribute.name.clone(), value));
            }
            TfValue::Object(converted)
        }
        (_, value) => value,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn type_of(text: &str) -> Type {
        let body = crate::terraform::parse(&format!("t = {text}\n")).unwrap();
        Type::parse(&body.get_attribute("t").unwrap().value).unwrap()
    }

    #[test]
    fn optional_attributes_take_their_defaults() {
        let kind = type_of(
            "object({ enabled = optional(bool, false), ids = optional(set(string), []), name = optional(string) })",
        );
        let value = kind.convert(TfValue::Object(vec![(
            "extra".into(),
            TfValue::String("x".into()),
        )]));
        assert_eq!(
            value,
            TfValue::Object(vec![
                ("enabled".into(), TfValue::Bool(false)),
                ("ids".into(), TfValue::List(Vec::new())),
                ("name".into(), TfValue::Null),
            ])
        );
    }

    #[test]
    fn nested_collections_and_primitives_convert() {
        let kind = type_of("map(object({ days = optional(number, 7), on = bool }))");
        let value = kind.convert(TfValue::Object(vec![(
            "a".into(),
            TfValue::Object(vec![("on".into(), TfValue::String("true".into()))]),
        )]));
        assert_eq!(
            value,
            TfValue::Object(vec![(
                "a".into(),
                TfValue::Object(vec![
                    ("days".into(), TfValue::Number(7.0)),
                    ("on".into(), TfValue::Bool(true)),
                ])
            )])
        );
        assert_eq!(
            type_of("string").convert(TfValue::Number(3.0)),
            TfValue::String("3".into())
        );
    }
}
