//! Collection functions: lists, sets and maps.

use std::collections::HashSet;

use crate::terraform::eval::conversion::{
    as_list, into_list, into_object, to_bool, to_index, to_text, wrong_type,
};
use crate::terraform::eval::functions::exactly;
use crate::terraform::eval::value::{ObjectBuilder, sorted_entries, values_equal};
use crate::terraform::eval::{
    Eval, Halt, MAX_ITEMS, MAX_VALUE_DEPTH, NESTED_TOO_DEEPLY, TOO_LARGE, TfValue, invalid,
    number_to_string,
};

pub(super) fn length(args: Vec<TfValue>) -> Eval {
    let [value] = exactly("length", args)?;
    let count = match &value {
        TfValue::String(text) => text.chars().count(),
        TfValue::List(items) => items.len(),
        TfValue::Object(entries) => entries.len(),
        other => return Err(wrong_type(other, "has no length")),
    };
    Ok(TfValue::Number(count as f64))
}

pub(super) fn concat(args: Vec<TfValue>) -> Eval {
    let mut items = Vec::new();
    for list in args {
        let list = into_list(list)?;
        if items.len().saturating_add(list.len()) > MAX_ITEMS {
            return Err(Halt::Limit(TOO_LARGE));
        }
        items.extend(list);
    }
    Ok(TfValue::List(items))
}

/// True when a known item equals `value`, even if other items are unknown.
pub(super) fn contains(args: Vec<TfValue>) -> Eval {
    let [list, value] = exactly("contains", args)?;
    if let Some(reason) = value.unknown_reason() {
        return Err(Halt::Unknown(reason.to_string()));
    }
    let mut unknown = None;
    for item in as_list(&list)? {
        match values_equal(item, &value) {
            Ok(true) => return Ok(TfValue::Bool(true)),
            Ok(false) => {}
            Err(Halt::Unknown(reason)) => {
                unknown.get_or_insert(reason);
            }
            Err(other) => return Err(other),
        }
    }
    match unknown {
        Some(reason) => Err(Halt::Unknown(reason)),
        None => Ok(TfValue::Bool(false)),
    }
}

pub(super) fn lookup(args: Vec<TfValue>) -> Eval {
    let count = args.len();
    let mut args = args.into_iter();
    let (Some(map), Some(key), default, None) =
        (args.next(), args.next(), args.next(), args.next())
    else {
        return Err(invalid(format!(
            "`lookup` takes 2 or 3 arguments, got {count}"
        )));
    };
    let key = to_text(&key)?;
    let entries = into_object(map)?;
    match entries.into_iter().find(|(name, _)| *name == key) {
        Some((_, value)) => Ok(value),
        None => default.ok_or_else(|| {
            invalid(format!(
                "the map has no key `{key}` and no default was given"
            ))
        }),
    }
}

pub(super) fn merge(args: Vec<TfValue>) -> Eval {
    let mut merged = ObjectBuilder::default();
    for map in args {
        if let TfValue::Null = map {
            continue;
        }
        for (key, value) in into_object(map)? {
            merged.insert(key, value);
        }
    }
    Ok(merged.finish())
}

/// The first argument that is neither null nor an empty string.
pub(super) fn coalesce(args: Vec<TfValue>) -> Eval {
    for value in args {
        match value {
            TfValue::Unknown(reason) => return Err(Halt::Unknown(reason)),
            TfValue::Null => {}
            TfValue::String(ref text) if text.is_empty() => {}
            value => return Ok(value),
        }
    }
    Err(invalid("no argument is non-null and non-empty"))
}

pub(super) fn coalescelist(args: Vec<TfValue>) -> Eval {
    for list in args {
        if let TfValue::Null = list {
            continue;
        }
        let items = into_list(list)?;
        if !items.is_empty() {
            return Ok(TfValue::List(items));
        }
    }
    Err(invalid("no argument is a non-empty list"))
}

/// `keys` and `values`: in key order, as Terraform gives them.
pub(super) fn keys_or_values(
    name: &str,
    args: Vec<TfValue>,
    pick: fn((String, TfValue)) -> TfValue,
) -> Eval {
    let [map] = exactly(name, args)?;
    let mut entries = into_object(map)?;
    entries.sort_by(|(a, _), (b, _)| a.cmp(b));
    Ok(TfValue::List(entries.into_iter().map(pick).collect()))
}

/// `element(list, index)`: the index wraps around.
pub(super) fn element(args: Vec<TfValue>) -> Eval {
    let [list, index] = exactly("element", args)?;
    let items = into_list(list)?;
    let index = to_index(&index)?;
    let count = items.len();
    if count == 0 {
        return Err(invalid("cannot take an element of an empty list"));
    }
    items
        .into_iter()
        .nth(index % count)
        .ok_or_else(|| invalid("index out of range"))
}

pub(super) fn index_of(args: Vec<TfValue>) -> Eval {
    let [list, value] = exactly("index", args)?;
    for (position, item) in as_list(&list)?.iter().enumerate() {
        if values_equal(item, &value)? {
            return Ok(TfValue::Number(position as f64));
        }
    }
    Err(invalid("the value is not in the list"))
}

pub(super) fn flatten_call(args: Vec<TfValue>) -> Eval {
    let [list] = exactly("flatten", args)?;
    let mut flat = Vec::new();
    flatten_into(into_list(list)?, &mut flat, 0)?;
    Ok(TfValue::List(flat))
}

pub(super) fn flatten_into(
    items: Vec<TfValue>,
    flat: &mut Vec<TfValue>,
    depth: usize,
) -> Result<(), Halt> {
    if depth > MAX_VALUE_DEPTH {
        return Err(Halt::Limit(NESTED_TOO_DEEPLY));
    }
    for item in items {
        match item {
            TfValue::List(inner) => flatten_into(inner, flat, depth + 1)?,
            // An unknown item may be a list: the shape of the result is unknown.
            TfValue::Unknown(reason) => return Err(Halt::Unknown(reason)),
            other => flat.push(other),
        }
        if flat.len() > MAX_ITEMS {
            return Err(Halt::Limit(TOO_LARGE));
        }
    }
    Ok(())
}

pub(super) fn distinct_call(args: Vec<TfValue>) -> Eval {
    let [list] = exactly("distinct", args)?;
    distinct(into_list(list)?).map(TfValue::List)
}

pub(super) fn distinct(items: Vec<TfValue>) -> Result<Vec<TfValue>, Halt> {
    let mut seen = HashSet::new();
    let mut unique = Vec::new();
    for item in items {
        let mut key = String::new();
        canonical_key(&item, &mut key)?;
        if seen.insert(key) {
            unique.push(item);
        }
    }
    Ok(unique)
}

/// A string equal for values that `==` finds equal (objects in key order).
pub(super) fn canonical_key(value: &TfValue, out: &mut String) -> Result<(), Halt> {
    match value {
        TfValue::Unknown(reason) => return Err(Halt::Unknown(reason.clone())),
        TfValue::Null => out.push('n'),
        TfValue::Bool(value) => out.push(if *value { 'T' } else { 'F' }),
        TfValue::Number(number) => out.push_str(&format!("d{}:", number_to_string(*number))),
        TfValue::String(text) => out.push_str(&format!("s{}:{text}", text.len())),
        TfValue::List(items) => {
            out.push_str(&format!("l{}[", items.len()));
            for item in items {
                canonical_key(item, out)?;
            }
            out.push(']');
        }
        TfValue::Object(entries) => {
            out.push_str(&format!("o{}{{", entries.len()));
            for (key, item) in sorted_entries(entries) {
                out.push_str(&format!("{}:{key}", key.len()));
                canonical_key(item, out)?;
            }
            out.push('}');
        }
    }
    Ok(())
}

/// `toset`: distinct items; strings and numbers in Terraform's set order.
pub(super) fn to_set(value: TfValue) -> Eval {
    let mut items = distinct(into_list(value)?)?;
    if items.iter().all(|item| matches!(item, TfValue::String(_))) {
        items.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
    } else if items.iter().all(|item| matches!(item, TfValue::Number(_))) {
        items.sort_by(|a, b| match (a, b) {
            (TfValue::Number(a), TfValue::Number(b)) => a.total_cmp(b),
            _ => std::cmp::Ordering::Equal,
        });
    }
    Ok(TfValue::List(items))
}

pub(super) fn compact(args: Vec<TfValue>) -> Eval {
    let [list] = exactly("compact", args)?;
    let mut kept = Vec::new();
    for item in into_list(list)? {
        match item {
            TfValue::Null => {}
            TfValue::String(ref text) if text.is_empty() => {}
            other => kept.push(TfValue::String(to_text(&other)?)),
        }
    }
    Ok(TfValue::List(kept))
}

/// `one(list)`: null for an empty list, the item of a list of one.
pub(super) fn one(args: Vec<TfValue>) -> Eval {
    let [list] = exactly("one", args)?;
    let mut items = into_list(list)?.into_iter();
    match (items.next(), items.next()) {
        (None, _) => Ok(TfValue::Null),
        (Some(item), None) => Ok(item),
        (Some(_), Some(_)) => Err(invalid("the list has more than one element")),
    }
}

pub(super) fn zipmap(args: Vec<TfValue>) -> Eval {
    let [keys, values] = exactly("zipmap", args)?;
    let (keys, values) = (into_list(keys)?, into_list(values)?);
    if keys.len() != values.len() {
        return Err(invalid(format!(
            "{} keys but {} values",
            keys.len(),
            values.len()
        )));
    }
    let mut object = ObjectBuilder::default();
    for (key, value) in keys.iter().zip(values) {
        object.insert(to_text(key)?, value);
    }
    Ok(object.finish())
}

pub(super) fn reverse(args: Vec<TfValue>) -> Eval {
    let [list] = exactly("reverse", args)?;
    let mut items = into_list(list)?;
    items.reverse();
    Ok(TfValue::List(items))
}

/// `sort`: strings in lexical order (numbers are converted to strings, as in Terraform).
pub(super) fn sort(args: Vec<TfValue>) -> Eval {
    let [list] = exactly("sort", args)?;
    let mut texts = as_list(&list)?
        .iter()
        .map(to_text)
        .collect::<Result<Vec<String>, Halt>>()?;
    texts.sort();
    Ok(TfValue::List(
        texts.into_iter().map(TfValue::String).collect(),
    ))
}

/// `alltrue` (decisive `false`) and `anytrue` (decisive `true`).
pub(super) fn all_or_any(name: &str, args: Vec<TfValue>, decisive: bool) -> Eval {
    let [list] = exactly(name, args)?;
    let mut unknown = None;
    for item in as_list(&list)? {
        match to_bool(item) {
            Ok(value) if value == decisive => return Ok(TfValue::Bool(decisive)),
            Ok(_) => {}
            Err(Halt::Unknown(reason)) => {
                unknown.get_or_insert(reason);
            }
            Err(other) => return Err(other),
        }
    }
    match unknown {
        Some(reason) => Err(Halt::Unknown(reason)),
        None => Ok(TfValue::Bool(!decisive)),
    }
}

#[cfg(test)]
mod tests {

    use crate::terraform::eval::test_support::*;
    use crate::terraform::eval::*;

    #[test]
    fn collection_functions() {
        check(&[
            ("concat([1], [], [2, 3])", "[1, 2, 3]"),
            ("contains([\"a\", \"b\"], \"b\")", "true"),
            ("contains([1], \"1\")", "false"),
            ("contains(var.half, \"x\")", "true"),
            ("length(var.zones)", "2"),
            ("length({ a = 1 })", "1"),
            ("length([var.pending, 1])", "2"),
            ("lookup(var.tags, \"env\")", "\"dev\""),
            ("lookup(var.tags, \"missing\", \"none\")", "\"none\""),
            (
                "merge({ a = 1, b = 1 }, null, { b = 2, c = 3 })",
                "{ a = 1, b = 2, c = 3 }",
            ),
            ("coalesce(null, \"\", \"x\", var.pending)", "\"x\""),
            ("coalesce(null, 0)", "0"),
            ("coalescelist([], null, [1], [2])", "[1]"),
            ("keys({ b = 1, a = var.pending })", "[\"a\", \"b\"]"),
            ("values({ b = 1, a = 2 })", "[2, 1]"),
            ("element([\"a\", \"b\", \"c\"], 4)", "\"b\""),
            ("index([\"a\", \"b\"], \"b\")", "1"),
            ("flatten([[1, [2]], [], 3])", "[1, 2, 3]"),
            (
                "distinct([1, \"1\", 1, [1], [1], { a = 1 }, { a = 1 }])",
                "[1, \"1\", [1], { a = 1 }]",
            ),
            ("compact([\"a\", \"\", null, 1])", "[\"a\", \"1\"]"),
            ("one([])", "null"),
            ("one([5])", "5"),
            ("range(3)", "[0, 1, 2]"),
            ("range(1, 4)", "[1, 2, 3]"),
            ("range(4, 1)", "[4, 3, 2]"),
            ("range(0, 1, 0.25)", "[0, 0.25, 0.5, 0.75]"),
            ("range(0, 5, -1)", "[]"),
            ("zipmap([\"a\", \"b\"], [1, 2])", "{ a = 1, b = 2 }"),
            ("reverse([1, 2])", "[2, 1]"),
            (
                "sort([\"b\", \"a\", 10, 9])",
                "[\"10\", \"9\", \"a\", \"b\"]",
            ),
            ("alltrue([true, \"true\"])", "true"),
            ("alltrue([var.pending, false])", "false"),
            ("anytrue([false, var.pending, true])", "true"),
            ("anytrue([])", "false"),
            ("concat([var.zones, [\"3\"]]...)", "[\"1\", \"2\", \"3\"]"),
            ("max([1, 5, 3]...)", "5"),
        ]);
        check_unknown(&[
            ("concat(var.pending, [1])", PENDING),
            ("contains(var.half, \"y\")", PENDING),
            ("contains(var.zones, var.pending)", PENDING),
            ("contains(var.pending, 1)", PENDING),
            ("length(var.pending)", PENDING),
            ("lookup(var.pending, \"a\", 1)", PENDING),
            ("lookup(var.tags, var.pending)", PENDING),
            ("merge(var.tags, var.pending)", PENDING),
            ("coalesce(null, var.pending, \"x\")", PENDING),
            ("coalescelist(var.pending, [1])", PENDING),
            ("keys(var.pending)", PENDING),
            ("values(var.pending)", PENDING),
            ("element(var.zones, var.pending)", PENDING),
            ("index(var.half, \"z\")", PENDING),
            ("flatten([[1], var.pending])", PENDING),
            ("distinct(var.half)", PENDING),
            ("compact(var.half)", PENDING),
            ("one(var.pending)", PENDING),
            ("range(var.pending)", PENDING),
            ("zipmap(var.half, [1, 2])", PENDING),
            ("reverse(var.pending)", PENDING),
            ("sort(var.half)", PENDING),
            ("alltrue([var.pending, true])", PENDING),
            ("concat([var.pending]...)", PENDING),
            ("concat(var.pending...)", PENDING),
        ]);
        check_error(
            ErrorKind::Invalid,
            &[
                ("concat([1], \"a\")", "string is not a list"),
                ("length(null)", "null value has no length"),
                ("length(1)", "number has no length"),
                ("lookup(var.tags, \"x\")", "no key `x`"),
                ("lookup(var.tags)", "2 or 3 arguments"),
                ("merge([1])", "list is not an object"),
                ("coalesce(null, \"\")", "non-null"),
                ("coalescelist([])", "non-empty"),
                ("keys([1])", "not an object"),
                ("element([], 0)", "empty list"),
                ("index([1], 2)", "not in the list"),
                ("one([1, 2])", "more than one"),
                ("range(1, 2, 0)", "step must not be zero"),
                ("range()", "1 to 3 arguments"),
                ("zipmap([\"a\"], [])", "1 keys but 0 values"),
                ("sum([])", "empty list"),
                ("concat(1...)", "`...` expands a list"),
            ],
        );
    }
}
