//! The value type of ARM expressions and what every function needs of values: ARM equality,
//! the text ARM makes of a value, JSON conversion and the size a value costs.

use std::fmt::Write as _;

use super::budget::{Budget, Fail, array_too_large, string_too_large, too_large, units};
use super::{MAX_ARRAY_ITEMS, MAX_STRING_BYTES, MAX_VALUE_DEPTH, WORK_BUDGET};

/// A value during evaluation. Object keys compare case-insensitively (ARM semantics, see [`Val::get`]
/// and [`keys_match`]), and their order is kept. The derived `PartialEq` is structural (order and key
/// case matter); ARM's `equals()` semantics are [`values_equal`].
#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    String(String),
    Array(Vec<Val>),
    Object(Vec<(String, Val)>),
    /// A value only known at deployment; the text names the missing input, e.g. "parameter
    /// `adminEnabled` has no value" or "`reference()` is only known at deployment".
    Unknown(String),
}

impl Val {
    /// The property `key` of an object, compared case-insensitively; `None` for other values.
    pub fn get(&self, key: &str) -> Option<&Val> {
        match self {
            Val::Object(entries) => entries
                .iter()
                .find(|(k, _)| keys_match(k, key))
                .map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn is_unknown(&self) -> bool {
        matches!(self, Val::Unknown(_))
    }

    /// The value's kind with its article, for messages: "a string", "an array", ...
    pub fn type_name(&self) -> &'static str {
        match self {
            Val::Null => "null",
            Val::Bool(_) => "a boolean",
            Val::Int(_) => "an integer",
            Val::Float(_) => "a number",
            Val::String(_) => "a string",
            Val::Array(_) => "an array",
            Val::Object(_) => "an object",
            Val::Unknown(_) => "an unknown value",
        }
    }

    /// Converts JSON; parts nested deeper than [`MAX_VALUE_DEPTH`] become unknown.
    pub fn from_json(value: &serde_json::Value) -> Val {
        from_json_at(value, 0)
    }

    /// Converts to JSON; `None` when the value holds an unknown or is nested too deeply.
    pub fn to_json(&self) -> Option<serde_json::Value> {
        to_json_at(self, 0)
    }
}

/// Whether two object keys are the same key (ARM keys are case-insensitive).
pub fn keys_match(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b) || (!a.is_ascii() && a.to_lowercase() == b.to_lowercase())
}

/// ARM `equals()`: deep, case-sensitive for strings, case-insensitive for object keys. `None` when an
/// unknown part decides the answer.
pub fn values_equal(a: &Val, b: &Val) -> Option<bool> {
    let mut budget = Budget(WORK_BUDGET);
    match compare(a, b, 0, &mut budget) {
        Ok(Same::Yes) => Some(true),
        Ok(Same::No) => Some(false),
        Ok(Same::Unknown(_)) | Err(_) => None,
    }
}

/// The outcome of comparing two values.
pub(super) enum Same {
    Yes,
    No,
    Unknown(String),
}

/// Deep ARM equality: strings case-sensitive, object keys case-insensitive, integers equal to
/// the same floats; an unknown part makes the answer unknown unless another part already differs.
pub(super) fn compare(a: &Val, b: &Val, depth: usize, budget: &mut Budget) -> Result<Same, Fail> {
    budget.spend(1)?;
    if depth > MAX_VALUE_DEPTH {
        return Err(too_large("values are nested too deeply"));
    }
    let same = |equal: bool| if equal { Same::Yes } else { Same::No };
    Ok(match (a, b) {
        (Val::Unknown(reason), _) | (_, Val::Unknown(reason)) => Same::Unknown(reason.clone()),
        (Val::Null, Val::Null) => Same::Yes,
        (Val::Bool(x), Val::Bool(y)) => same(x == y),
        (Val::String(x), Val::String(y)) => {
            budget.spend(units(x.len().min(y.len()) / 64))?;
            same(x == y)
        }
        (Val::Array(xs), Val::Array(ys)) => {
            if xs.len() != ys.len() {
                return Ok(Same::No);
            }
            let pairs = xs.iter().zip(ys).map(|(x, y)| (x, Some(y)));
            compare_all(pairs, depth, budget)?
        }
        (Val::Object(xs), Val::Object(ys)) => {
            if xs.len() != ys.len() {
                return Ok(Same::No);
            }
            let pairs = xs.iter().map(|(k, x)| (x, b.get(k)));
            compare_all(pairs, depth, budget)?
        }
        (x, y) => match (number(x), number(y)) {
            (Some(x), Some(y)) => same(x == y),
            _ => Same::No,
        },
    })
}

/// Compares pairs (a missing right side is a difference): any difference decides `No`.
pub(super) fn compare_all<'v>(
    pairs: impl Iterator<Item = (&'v Val, Option<&'v Val>)>,
    depth: usize,
    budget: &mut Budget,
) -> Result<Same, Fail> {
    let mut unknown = None;
    for (x, y) in pairs {
        let Some(y) = y else { return Ok(Same::No) };
        match compare(x, y, depth + 1, budget)? {
            Same::Yes => {}
            Same::No => return Ok(Same::No),
            Same::Unknown(reason) => {
                unknown.get_or_insert(reason);
            }
        }
    }
    Ok(unknown.map_or(Same::Yes, Same::Unknown))
}

pub(super) fn number(value: &Val) -> Option<f64> {
    match value {
        Val::Int(n) => Some(*n as f64),
        Val::Float(f) => Some(*f),
        _ => None,
    }
}

pub(super) fn as_int(value: &Val) -> Option<i64> {
    match value {
        Val::Int(n) => Some(*n),
        Val::Float(f) if f.fract() == 0.0 && f.abs() < 9.0e18 => Some(*f as i64),
        _ => None,
    }
}

pub(super) fn index_value(index: usize) -> Val {
    Val::Int(i64::try_from(index).unwrap_or(i64::MAX))
}

/// The text ARM makes of a value in `string()`, `concat()`, `format()`: booleans as `True`/`False`,
/// null as empty, arrays and objects as compact JSON.
pub(super) fn to_text(value: &Val) -> Result<String, Fail> {
    match value {
        Val::String(s) => Ok(s.clone()),
        Val::Unknown(reason) => Err(Fail::Unknown(reason.clone())),
        Val::Array(_) | Val::Object(_) => {
            let mut out = String::new();
            write_json(value, &mut out, 0)?;
            Ok(out)
        }
        scalar => Ok(to_text_lossy(scalar)),
    }
}

/// The text of a scalar; containers and unknowns give their JSON-ish description.
pub(super) fn to_text_lossy(value: &Val) -> String {
    match value {
        Val::Null => String::new(),
        Val::Bool(true) => "True".to_string(),
        Val::Bool(false) => "False".to_string(),
        Val::Int(n) => n.to_string(),
        Val::Float(f) => f.to_string(),
        Val::String(s) => s.clone(),
        other => other.type_name().to_string(),
    }
}

pub(super) fn write_json(value: &Val, out: &mut String, depth: usize) -> Result<(), Fail> {
    if depth > MAX_VALUE_DEPTH {
        return Err(too_large("values are nested too deeply"));
    }
    match value {
        Val::Null => out.push_str("null"),
        Val::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Val::Int(n) => {
            let _ = write!(out, "{n}");
        }
        Val::Float(f) if f.is_finite() => {
            let _ = write!(out, "{f}");
        }
        Val::Float(_) => out.push_str("null"),
        Val::String(s) => write_json_string(s, out),
        Val::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json(item, out, depth + 1)?;
            }
            out.push(']');
        }
        Val::Object(entries) => {
            out.push('{');
            for (i, (key, item)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json_string(key, out);
                out.push(':');
                write_json(item, out, depth + 1)?;
            }
            out.push('}');
        }
        Val::Unknown(reason) => return Err(Fail::Unknown(reason.clone())),
    }
    if out.len() > MAX_STRING_BYTES {
        return Err(string_too_large());
    }
    Ok(())
}

pub(super) fn write_json_string(text: &str, out: &mut String) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// The work a value costs to copy; errors when it exceeds the size or depth limits. Iterative, so
/// deep values cannot overflow the stack.
pub(super) fn measure(value: &Val) -> Result<u64, Fail> {
    let mut weight: u64 = 0;
    let mut pending = vec![(value, 0usize)];
    while let Some((value, depth)) = pending.pop() {
        if depth > MAX_VALUE_DEPTH {
            return Err(too_large("values are nested too deeply"));
        }
        weight = weight.saturating_add(shallow_weight(value));
        match value {
            Val::String(s) if s.len() > MAX_STRING_BYTES => return Err(string_too_large()),
            Val::Array(items) if items.len() > MAX_ARRAY_ITEMS => return Err(array_too_large()),
            Val::Array(items) => pending.extend(items.iter().map(|item| (item, depth + 1))),
            Val::Object(entries) => {
                pending.extend(entries.iter().map(|(_, item)| (item, depth + 1)))
            }
            _ => {}
        }
    }
    Ok(weight)
}

/// The cost of a value's top level: one per item, one per 16 bytes of text.
pub(super) fn shallow_weight(value: &Val) -> u64 {
    let count = match value {
        Val::String(s) => s.len() / 16,
        Val::Array(items) => items.len(),
        Val::Object(entries) => entries.len(),
        _ => 0,
    };
    units(count).saturating_add(1)
}

pub(super) fn from_json_at(value: &serde_json::Value, depth: usize) -> Val {
    if depth > MAX_VALUE_DEPTH {
        return Val::Unknown("value is nested too deeply".to_string());
    }
    match value {
        serde_json::Value::Null => Val::Null,
        serde_json::Value::Bool(b) => Val::Bool(*b),
        serde_json::Value::Number(n) => n
            .as_i64()
            .map(Val::Int)
            .unwrap_or_else(|| Val::Float(n.as_f64().unwrap_or(f64::NAN))),
        serde_json::Value::String(s) => Val::String(s.clone()),
        serde_json::Value::Array(items) => Val::Array(
            items
                .iter()
                .map(|item| from_json_at(item, depth + 1))
                .collect(),
        ),
        serde_json::Value::Object(entries) => Val::Object(
            entries
                .iter()
                .map(|(k, v)| (k.clone(), from_json_at(v, depth + 1)))
                .collect(),
        ),
    }
}

pub(super) fn to_json_at(value: &Val, depth: usize) -> Option<serde_json::Value> {
    if depth > MAX_VALUE_DEPTH {
        return None;
    }
    Some(match value {
        Val::Null => serde_json::Value::Null,
        Val::Bool(b) => serde_json::Value::Bool(*b),
        Val::Int(n) => serde_json::Value::from(*n),
        Val::Float(f) => {
            serde_json::Number::from_f64(*f).map_or(serde_json::Value::Null, Into::into)
        }
        Val::String(s) => serde_json::Value::String(s.clone()),
        Val::Array(items) => serde_json::Value::Array(
            items
                .iter()
                .map(|item| to_json_at(item, depth + 1))
                .collect::<Option<_>>()?,
        ),
        Val::Object(entries) => serde_json::Value::Object(
            entries
                .iter()
                .map(|(k, v)| Some((k.clone(), to_json_at(v, depth + 1)?)))
                .collect::<Option<_>>()?,
        ),
        Val::Unknown(_) => return None,
    })
}

#[cfg(test)]
mod tests {

    use crate::arm::expr::*;
    use serde_json::json;

    #[test]
    fn values_convert_to_and_from_json() {
        let value = json!({"a": [1, 2.5, "x", null, true, {"b": {}}]});
        assert_eq!(Val::from_json(&value).to_json(), Some(value));
        assert_eq!(Val::Array(vec![Val::Unknown("u".into())]).to_json(), None);
        let object = Val::from_json(&json!({"Key": 1}));
        assert_eq!(object.get("KEY"), Some(&Val::Int(1)));
        assert!(keys_match("Ä", "ä"));
        assert!(!keys_match("a", "b"));
    }
}
