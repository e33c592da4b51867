//! The value type of Terraform expressions, its bounds on size and depth, and equality.

use std::borrow::Cow;

use foldhash::HashMap;

use crate::terraform::eval::conversion::{to_bool, to_index, to_text};
use crate::terraform::eval::{
    Eval, Halt, MAX_ITEMS, MAX_STRING_BYTES, NODE_WEIGHT, TOO_LARGE, invalid,
};

/// A Terraform value. Objects keep key order; `Unknown` carries why (names the missing input).
#[derive(Debug, Clone, PartialEq)]
pub enum TfValue {
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    List(Vec<TfValue>),
    Object(Vec<(String, TfValue)>),
    Unknown(String),
}

impl TfValue {
    /// The reason of the first unknown part (depth first), if any part is unknown.
    pub fn unknown_reason(&self) -> Option<&str> {
        let mut pending = vec![self];
        while let Some(value) = pending.pop() {
            match value {
                TfValue::Unknown(reason) => return Some(reason),
                TfValue::List(items) => pending.extend(items.iter().rev()),
                TfValue::Object(entries) => pending.extend(entries.iter().rev().map(|(_, v)| v)),
                _ => {}
            }
        }
        None
    }

    pub fn is_wholly_known(&self) -> bool {
        self.unknown_reason().is_none()
    }

    /// The value as a bool, converted the way Terraform does (`"true"` is `true`).
    pub fn as_bool(&self) -> Option<bool> {
        to_bool(self).ok()
    }

    /// The value as text where Terraform converts it to text: a string, a number, a bool.
    pub fn as_text(&self) -> Option<String> {
        to_text(self).ok()
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            TfValue::String(text) => Some(text),
            _ => None,
        }
    }

    /// The attribute `name` of an object.
    pub fn get(&self, name: &str) -> Option<&TfValue> {
        match self {
            TfValue::Object(entries) => find_entry(entries, name),
            _ => None,
        }
    }

    /// The value at `path` below this one; an unknown part on the way is returned as is.
    /// Lets a [`Scope`] resolve the rest of a reference on a value it holds.
    pub fn at_path(&self, path: &[PathStep]) -> Option<&TfValue> {
        let mut current = self;
        for step in path {
            current = match (current, step) {
                (TfValue::Unknown(_), _) => return Some(current),
                (TfValue::Object(entries), step) => find_entry(entries, &step.key()?)?,
                (TfValue::List(items), step) => items.get(step.position()?)?,
                _ => return None,
            };
        }
        Some(current)
    }

    pub fn type_name(&self) -> &'static str {
        match self {
            TfValue::Null => "null",
            TfValue::Bool(_) => "bool",
            TfValue::Number(_) => "number",
            TfValue::String(_) => "string",
            TfValue::List(_) => "list",
            TfValue::Object(_) => "object",
            TfValue::Unknown(_) => "unknown value",
        }
    }
}

/// One step of a reference below its root: `.name` or `[index]`.
#[derive(Debug, Clone, PartialEq)]
pub enum PathStep {
    Attr(String),
    Index(TfValue),
}

impl PathStep {
    /// The object key the step reads: the attribute's name, or the index as Terraform makes it
    /// text.
    pub fn key(&self) -> Option<Cow<'_, str>> {
        match self {
            PathStep::Attr(name) => Some(Cow::Borrowed(name)),
            PathStep::Index(index) => to_text(index).ok().map(Cow::Owned),
        }
    }

    /// The list position the step reads: a whole number from 0 (or a string holding one).
    pub fn position(&self) -> Option<usize> {
        match self {
            PathStep::Attr(_) => None,
            PathStep::Index(index) => to_index(index).ok(),
        }
    }
}

/// The weight and depth of a value, without recursion.
pub(super) fn measure(value: &TfValue) -> (usize, usize) {
    let mut weight = 0usize;
    let mut deepest = 0usize;
    let mut pending = vec![(value, 1usize)];
    while let Some((value, depth)) = pending.pop() {
        deepest = deepest.max(depth);
        weight = weight.saturating_add(NODE_WEIGHT);
        match value {
            TfValue::String(text) | TfValue::Unknown(text) => {
                weight = weight.saturating_add(text.len());
            }
            TfValue::List(items) => pending.extend(items.iter().map(|item| (item, depth + 1))),
            TfValue::Object(entries) => {
                for (key, item) in entries {
                    weight = weight.saturating_add(key.len());
                    pending.push((item, depth + 1));
                }
            }
            TfValue::Null | TfValue::Bool(_) | TfValue::Number(_) => {}
        }
    }
    (weight, deepest)
}

pub(super) fn check_size(value: TfValue) -> Eval {
    let too_large = match &value {
        TfValue::String(text) => text.len() > MAX_STRING_BYTES,
        TfValue::List(items) => items.len() > MAX_ITEMS,
        TfValue::Object(entries) => entries.len() > MAX_ITEMS,
        _ => false,
    };
    if too_large {
        Err(Halt::Limit(TOO_LARGE))
    } else {
        Ok(value)
    }
}

pub(super) fn push_bounded(out: &mut String, text: &str) -> Result<(), Halt> {
    if out.len().saturating_add(text.len()) > MAX_STRING_BYTES {
        return Err(Halt::Limit(TOO_LARGE));
    }
    out.push_str(text);
    Ok(())
}

/// Objects built key by key: a repeated key replaces the value in its first position.
#[derive(Default)]
pub(super) struct ObjectBuilder {
    entries: Vec<(String, TfValue)>,
    positions: HashMap<String, usize>,
}

impl ObjectBuilder {
    pub(super) fn insert(&mut self, key: String, value: TfValue) {
        if let Some(slot) = self.get_mut(&key) {
            *slot = value;
        } else {
            self.positions.insert(key.clone(), self.entries.len());
            self.entries.push((key, value));
        }
    }

    pub(super) fn get_mut(&mut self, key: &str) -> Option<&mut TfValue> {
        let position = *self.positions.get(key)?;
        self.entries.get_mut(position).map(|(_, value)| value)
    }

    /// A `for` item: a repeated key is an error, unless grouping (`...`) collects the values.
    pub(super) fn insert_for_item(
        &mut self,
        key: String,
        value: TfValue,
        grouping: bool,
    ) -> Result<(), Halt> {
        match (self.get_mut(&key), grouping) {
            (Some(TfValue::List(group)), true) => group.push(value),
            (Some(_), _) => {
                return Err(invalid(format!(
                    "a `for` expression produced the key `{key}` twice; add `...` to group values"
                )));
            }
            (None, true) => self.insert(key, TfValue::List(vec![value])),
            (None, false) => self.insert(key, value),
        }
        Ok(())
    }

    pub(super) fn finish(self) -> TfValue {
        TfValue::Object(self.entries)
    }
}

pub(super) fn find_entry<'v>(entries: &'v [(String, TfValue)], key: &str) -> Option<&'v TfValue> {
    entries
        .iter()
        .find(|(name, _)| name == key)
        .map(|(_, value)| value)
}

/// Terraform's `==`: same type and value; objects compare regardless of key order.
pub(super) fn values_equal(a: &TfValue, b: &TfValue) -> Result<bool, Halt> {
    match (a, b) {
        (TfValue::Unknown(reason), _) | (_, TfValue::Unknown(reason)) => {
            Err(Halt::Unknown(reason.clone()))
        }
        (TfValue::Null, TfValue::Null) => Ok(true),
        (TfValue::Bool(a), TfValue::Bool(b)) => Ok(a == b),
        (TfValue::Number(a), TfValue::Number(b)) => Ok(a == b),
        (TfValue::String(a), TfValue::String(b)) => Ok(a == b),
        (TfValue::List(a), TfValue::List(b)) => {
            if a.len() != b.len() {
                return Ok(false);
            }
            for (a, b) in a.iter().zip(b) {
                if !values_equal(a, b)? {
                    return Ok(false);
                }
            }
            Ok(true)
        }
        (TfValue::Object(a), TfValue::Object(b)) => {
            if a.len() != b.len() {
                return Ok(false);
            }
            for (a, b) in sorted_entries(a).into_iter().zip(sorted_entries(b)) {
                if a.0 != b.0 || !values_equal(a.1, b.1)? {
                    return Ok(false);
                }
            }
            Ok(true)
        }
        _ => Ok(false),
    }
}

pub(super) fn sorted_entries(entries: &[(String, TfValue)]) -> Vec<(&str, &TfValue)> {
    let mut sorted: Vec<(&str, &TfValue)> = entries.iter().map(|(k, v)| (k.as_str(), v)).collect();
    sorted.sort_by(|a, b| a.0.cmp(b.0));
    sorted
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::terraform::eval::test_support::*;
    use crate::terraform::eval::*;

    #[test]
    fn value_helpers() {
        let value = eval("{ a = [{ b = 1 }, var.pending], c = \"true\" }");
        assert_eq!(value.unknown_reason(), Some(PENDING));
        assert!(!value.is_wholly_known());
        assert_eq!(value.get("c").and_then(TfValue::as_bool), Some(true));
        assert_eq!(value.get("c").and_then(TfValue::as_str), Some("true"));
        let at = |path: &[PathStep]| value.at_path(path).cloned();
        let a = PathStep::Attr("a".into());
        assert_eq!(
            at(&[
                a.clone(),
                PathStep::Index(n(0.0)),
                PathStep::Attr("b".into())
            ]),
            Some(n(1.0))
        );
        assert_eq!(
            at(&[
                a.clone(),
                PathStep::Index(n(1.0)),
                PathStep::Attr("b".into())
            ]),
            Some(TfValue::Unknown(PENDING.into()))
        );
        assert_eq!(at(&[PathStep::Index(s("c"))]), Some(s("true")));
        assert_eq!(at(&[a.clone(), PathStep::Index(n(5.0))]), None);
        assert_eq!(at(&[PathStep::Attr("z".into())]), None);
        assert_eq!(TfValue::Null.type_name(), "null");
        assert_eq!(
            evaluate(&parse("1 / 0"), &TestScope::default()),
            TfValue::Unknown("division by zero".into())
        );
    }
}
