//! Array and object functions, and those that take an array or a string alike (`contains`,
//! `length`, `first`, `skip`, `indexOf`, ...).

use super::string::fold_case;
use super::{Args, arity_error, type_error};
use crate::arm::expr::budget::{Budget, Fail, array_too_large, fail, too_large};
use crate::arm::expr::eval::Evaluator;
use crate::arm::expr::eval::element;
use crate::arm::expr::value::{Same, Val, compare, index_value, keys_match, to_text};
use crate::arm::expr::{MAX_ARRAY_ITEMS, MAX_VALUE_DEPTH};

pub(super) fn contains(ev: &mut Evaluator<'_>, a: &mut Args<'_>) -> Result<Val, Fail> {
    a.count(2, 2)?;
    let item = a.arg(1)?;
    match a.arg(0)? {
        Val::String(text) => Ok(Val::Bool(text.contains(to_text(item)?.as_str()))),
        Val::Object(entries) => {
            let key = to_text(item)?;
            Ok(Val::Bool(entries.iter().any(|(k, _)| keys_match(k, &key))))
        }
        Val::Array(items) => match position_of(items, item, &mut ev.budget, false)? {
            Found::At(_) => Ok(Val::Bool(true)),
            Found::Nowhere => Ok(Val::Bool(false)),
            Found::Unknown(reason) => Err(Fail::Unknown(reason)),
        },
        _ => Err(a.wrong_type(0, "an array, an object or a string")),
    }
}

pub(super) enum Found {
    At(usize),
    Nowhere,
    Unknown(String),
}

/// Where `item` is in `items`. For a `position`, an unknown comparison before the first match makes
/// the answer unknown; for membership (`position` false) any match decides.
pub(super) fn position_of(
    items: &[Val],
    item: &Val,
    budget: &mut Budget,
    position: bool,
) -> Result<Found, Fail> {
    let mut unknown = None;
    for (i, candidate) in items.iter().enumerate() {
        match compare(candidate, item, 0, budget)? {
            Same::Yes if unknown.is_none() || !position => return Ok(Found::At(i)),
            Same::Yes | Same::No => {}
            Same::Unknown(reason) => {
                unknown.get_or_insert(reason);
            }
        }
    }
    Ok(unknown.map_or(Found::Nowhere, Found::Unknown))
}

pub(super) fn empty(_: &mut Evaluator<'_>, a: &mut Args<'_>) -> Result<Val, Fail> {
    a.count(1, 1)?;
    match a.arg(0)? {
        Val::Null => Ok(Val::Bool(true)),
        Val::String(s) => Ok(Val::Bool(s.is_empty())),
        Val::Array(items) => Ok(Val::Bool(items.is_empty())),
        Val::Object(entries) => Ok(Val::Bool(entries.is_empty())),
        _ => Err(a.wrong_type(0, "an array, an object or a string")),
    }
}

pub(super) fn length(_: &mut Evaluator<'_>, a: &mut Args<'_>) -> Result<Val, Fail> {
    a.count(1, 1)?;
    let count = match a.arg(0)? {
        Val::String(s) => s.chars().count(),
        Val::Array(items) => items.len(),
        Val::Object(entries) => entries.len(),
        _ => return Err(a.wrong_type(0, "an array, an object or a string")),
    };
    Ok(index_value(count))
}

pub(super) fn first_or_last(a: &mut Args<'_>, first: bool) -> Result<Val, Fail> {
    a.count(1, 1)?;
    match a.take(0) {
        Val::Array(items) => {
            let item = if first {
                items.into_iter().next()
            } else {
                items.into_iter().last()
            };
            Ok(item.unwrap_or(Val::Null))
        }
        Val::String(s) => {
            let c = if first {
                s.chars().next()
            } else {
                s.chars().last()
            };
            Ok(Val::String(c.map(String::from).unwrap_or_default()))
        }
        other => Err(type_error(a.name, 0, "an array or a string", &other)),
    }
}

/// `indexOf`/`lastIndexOf`: case-insensitive in strings, deep equality in arrays; -1 when absent.
pub(super) fn index_of(ev: &mut Evaluator<'_>, a: &mut Args<'_>, last: bool) -> Result<Val, Fail> {
    a.count(2, 2)?;
    match a.arg(0)? {
        Val::String(text) => {
            let (text, needle) = (fold_case(text), fold_case(a.str(1)?));
            let byte = if last {
                text.rfind(&needle)
            } else {
                text.find(&needle)
            };
            match byte {
                Some(b) => Ok(index_value(text.get(..b).map_or(0, |p| p.chars().count()))),
                None => Ok(Val::Int(-1)),
            }
        }
        Val::Array(items) => {
            let item = a.arg(1)?;
            let found = if last {
                let reversed: Vec<Val> = items.iter().rev().cloned().collect();
                match position_of(&reversed, item, &mut ev.budget, true)? {
                    Found::At(i) => Found::At(items.len() - 1 - i),
                    other => other,
                }
            } else {
                position_of(items, item, &mut ev.budget, true)?
            };
            match found {
                Found::At(i) => Ok(index_value(i)),
                Found::Nowhere => Ok(Val::Int(-1)),
                Found::Unknown(reason) => Err(Fail::Unknown(reason)),
            }
        }
        _ => Err(a.wrong_type(0, "an array or a string")),
    }
}

pub(super) fn skip_or_take(a: &mut Args<'_>, skip: bool) -> Result<Val, Fail> {
    a.count(2, 2)?;
    let count = usize::try_from(a.int(1)?.max(0)).unwrap_or(usize::MAX);
    match a.take(0) {
        Val::Array(items) => Ok(Val::Array(if skip {
            items.into_iter().skip(count).collect()
        } else {
            items.into_iter().take(count).collect()
        })),
        Val::String(s) => Ok(Val::String(if skip {
            s.chars().skip(count).collect()
        } else {
            s.chars().take(count).collect()
        })),
        other => Err(type_error(a.name, 0, "an array or a string", &other)),
    }
}

/// Objects: merged in order, later values win, nested objects merged recursively. Arrays: items of
/// all arrays without duplicates, in order.
pub(super) fn union(ev: &mut Evaluator<'_>, a: &mut Args<'_>) -> Result<Val, Fail> {
    a.count(1, usize::MAX)?;
    let values: Vec<Val> = std::mem::take(&mut a.vals)
        .into_iter()
        .filter(|v| *v != Val::Null)
        .collect();
    match values.first() {
        Some(Val::Object(_)) => {
            let mut merged = Vec::new();
            for (i, value) in values.into_iter().enumerate() {
                let Val::Object(entries) = value else {
                    return Err(type_error(a.name, i, "an object", &value));
                };
                merge_objects(&mut merged, entries, 0)?;
            }
            Ok(Val::Object(merged))
        }
        Some(Val::Array(_)) => {
            let mut distinct = Vec::new();
            for (i, value) in values.into_iter().enumerate() {
                let Val::Array(items) = value else {
                    return Err(type_error(a.name, i, "an array", &value));
                };
                for item in items {
                    push_distinct(&mut distinct, item, &mut ev.budget)?;
                }
            }
            Ok(Val::Array(distinct))
        }
        Some(other) => Err(type_error(a.name, 0, "an array or an object", other)),
        None => Ok(Val::Null),
    }
}

pub(super) fn merge_objects(
    into: &mut Vec<(String, Val)>,
    entries: Vec<(String, Val)>,
    depth: usize,
) -> Result<(), Fail> {
    if depth > MAX_VALUE_DEPTH {
        return Err(too_large("values are nested too deeply"));
    }
    for (key, value) in entries {
        let existing = into.iter_mut().find(|(k, _)| keys_match(k, &key));
        match (existing, value) {
            (Some((_, Val::Object(old))), Val::Object(new)) => merge_objects(old, new, depth + 1)?,
            (Some((_, old)), value) => *old = value,
            (None, value) => into.push((key, value)),
        }
    }
    Ok(())
}

pub(super) fn push_distinct(
    items: &mut Vec<Val>,
    item: Val,
    budget: &mut Budget,
) -> Result<(), Fail> {
    match position_of(items, &item, budget, false)? {
        Found::At(_) => Ok(()),
        Found::Nowhere => {
            if items.len() >= MAX_ARRAY_ITEMS {
                return Err(array_too_large());
            }
            items.push(item);
            Ok(())
        }
        Found::Unknown(reason) => Err(Fail::Unknown(reason)),
    }
}

/// Objects: the properties with equal values in all. Arrays: the items present in all, once.
pub(super) fn intersection(ev: &mut Evaluator<'_>, a: &mut Args<'_>) -> Result<Val, Fail> {
    a.count(1, usize::MAX)?;
    let (first, rest) = a
        .vals
        .split_first()
        .ok_or_else(|| arity_error(a.name, 1, usize::MAX, 0))?;
    match first {
        Val::Array(items) => {
            let mut common = Vec::new();
            for item in items {
                if in_all_arrays(item, rest, a.name, &mut ev.budget)? {
                    push_distinct(&mut common, item.clone(), &mut ev.budget)?;
                }
            }
            Ok(Val::Array(common))
        }
        Val::Object(entries) => {
            let mut common = Vec::new();
            for (key, value) in entries {
                if in_all_objects(key, value, rest, a.name, &mut ev.budget)? {
                    common.push((key.clone(), value.clone()));
                }
            }
            Ok(Val::Object(common))
        }
        other => Err(type_error(a.name, 0, "an array or an object", other)),
    }
}

pub(super) fn in_all_arrays(
    item: &Val,
    others: &[Val],
    name: &str,
    budget: &mut Budget,
) -> Result<bool, Fail> {
    for (i, other) in others.iter().enumerate() {
        let Val::Array(items) = other else {
            return Err(type_error(name, i + 1, "an array", other));
        };
        match position_of(items, item, budget, false)? {
            Found::At(_) => {}
            Found::Nowhere => return Ok(false),
            Found::Unknown(reason) => return Err(Fail::Unknown(reason)),
        }
    }
    Ok(true)
}

pub(super) fn in_all_objects(
    key: &str,
    value: &Val,
    others: &[Val],
    name: &str,
    budget: &mut Budget,
) -> Result<bool, Fail> {
    for (i, other) in others.iter().enumerate() {
        if !matches!(other, Val::Object(_)) {
            return Err(type_error(name, i + 1, "an object", other));
        }
        let Some(candidate) = other.get(key) else {
            return Ok(false);
        };
        match compare(candidate, value, 0, budget)? {
            Same::Yes => {}
            Same::No => return Ok(false),
            Same::Unknown(reason) => return Err(Fail::Unknown(reason)),
        }
    }
    Ok(true)
}

pub(super) fn shallow_merge(_: &mut Evaluator<'_>, a: &mut Args<'_>) -> Result<Val, Fail> {
    a.count(1, 1)?;
    let mut merged = Vec::new();
    for item in a.array(0)? {
        match item {
            Val::Object(entries) => {
                for (key, value) in entries {
                    insert_entry(&mut merged, key.clone(), value.clone());
                }
            }
            Val::Unknown(reason) => return Err(Fail::Unknown(reason.clone())),
            other => return Err(type_error(a.name, 0, "an array of objects", other)),
        }
    }
    Ok(Val::Object(merged))
}

/// Sets `key` (case-insensitively), keeping the position of an existing key.
pub(super) fn insert_entry(entries: &mut Vec<(String, Val)>, key: String, value: Val) {
    match entries.iter_mut().find(|(k, _)| keys_match(k, &key)) {
        Some((_, old)) => *old = value,
        None => entries.push((key, value)),
    }
}

pub(super) fn create_object(_: &mut Evaluator<'_>, a: &mut Args<'_>) -> Result<Val, Fail> {
    if !a.vals.len().is_multiple_of(2) {
        return Err(fail(format!(
            "`{}()` takes key and value pairs, got {} arguments",
            a.name,
            a.vals.len()
        )));
    }
    let mut entries = Vec::new();
    let mut vals = std::mem::take(&mut a.vals).into_iter().enumerate();
    while let (Some((i, key)), Some((_, value))) = (vals.next(), vals.next()) {
        match key {
            Val::String(key) => insert_entry(&mut entries, key, value),
            Val::Unknown(reason) => return Err(Fail::Unknown(reason)),
            other => return Err(type_error(a.name, i, "a string key", &other)),
        }
    }
    Ok(Val::Object(entries))
}

/// `tryGet(value, keyOrIndex, ...)`: null wherever a key or index is missing.
pub(super) fn try_get(_: &mut Evaluator<'_>, a: &mut Args<'_>) -> Result<Val, Fail> {
    a.count(2, usize::MAX)?;
    let mut vals = std::mem::take(&mut a.vals).into_iter();
    let mut current = vals.next().unwrap_or(Val::Null);
    for key in vals {
        current = match (current, key) {
            (Val::Null, _) => return Ok(Val::Null),
            (Val::Unknown(reason), _) => return Ok(Val::Unknown(reason)),
            (target @ Val::Object(_), key @ Val::String(_))
            | (target @ Val::Array(_), key @ (Val::Int(_) | Val::Float(_))) => {
                element(target, key, true)?
            }
            (target, key) => {
                return Err(fail(format!(
                    "`{}()` cannot look up {} in {}",
                    a.name,
                    key.type_name(),
                    target.type_name()
                )));
            }
        };
    }
    Ok(current)
}

/// `items(object)`: `[{key, value}, ...]`, sorted by key like ARM does.
pub(super) fn items(_: &mut Evaluator<'_>, a: &mut Args<'_>) -> Result<Val, Fail> {
    a.count(1, 1)?;
    let mut entries = a.object(0)?.to_vec();
    entries.sort_by(|(x, _), (y, _)| x.to_lowercase().cmp(&y.to_lowercase()).then(x.cmp(y)));
    let pairs = entries
        .into_iter()
        .map(|(key, value)| {
            Val::Object(vec![
                ("key".to_string(), Val::String(key)),
                ("value".to_string(), value),
            ])
        })
        .collect();
    Ok(Val::Array(pairs))
}

pub(super) fn object_keys(_: &mut Evaluator<'_>, a: &mut Args<'_>) -> Result<Val, Fail> {
    a.count(1, 1)?;
    let keys = a.object(0)?.iter().map(|(k, _)| Val::String(k.clone()));
    Ok(Val::Array(keys.collect()))
}

#[cfg(test)]
mod tests {
    use crate::arm::expr::test_support::*;
    use crate::arm::expr::*;
    use serde_json::json;

    #[test]
    fn array_and_object_functions() {
        check(&[
            (
                "[union(json('{\"p\":{\"one\":\"a\",\"three\":\"c1\"},\"n\":[1,2]}'), json('{\"p\":{\"three\":\"c2\",\"four\":\"d\"},\"n\":[3]}'))]",
                json!({"p": {"one": "a", "three": "c2", "four": "d"}, "n": [3]}),
            ),
            (
                "[union(createArray(1, 2), createArray(2, 3), createArray(1))]",
                json!([1, 2, 3]),
            ),
            ("[union(createObject('a', 1), null())]", json!({"a": 1})),
            (
                "[intersection(createArray(1, 2, 3), createArray(3, 2, 9))]",
                json!([2, 3]),
            ),
            (
                "[intersection(createObject('a', 1, 'b', 2), createObject('A', 1, 'b', 3))]",
                json!({"a": 1}),
            ),
            (
                "[createObject('a', 1, 'b', createArray())]",
                json!({"a": 1, "b": []}),
            ),
            ("[createObject()]", json!({})),
            ("[createArray()]", json!([])),
            ("[length(parameters('obj'))]", json!(2)),
            (
                "[items(createObject('b', 2, 'A', 1))]",
                json!([{"key": "A", "value": 1}, {"key": "b", "value": 2}]),
            ),
            (
                "[objectKeys(createObject('b', 1, 'A', 2))]",
                json!(["b", "A"]),
            ),
            (
                "[tryGet(parameters('obj'), 'a', 'b', 2, 'c')]",
                json!("deep"),
            ),
            ("[tryGet(parameters('obj'), 'zzz', 'b')]", json!(null)),
            ("[tryGet(parameters('nothing'), 'name')]", json!(null)),
            ("[tryGet(parameters('list'), 5)]", json!(null)),
            (
                "[shallowMerge(createArray(createObject('a', 1, 'b', 1), createObject('b', 2)))]",
                json!({"a": 1, "b": 2}),
            ),
            ("[contains(createObject('Key', 1), 'key')]", json!(true)),
            ("[contains(parameters('list'), 'two')]", json!(true)),
            (
                "[contains(createArray(reference('x'), 'a'), 'a')]",
                json!(true),
            ),
            ("[min(3, 1, 2)]", json!(1)),
            ("[max(createArray(3, 1, 5))]", json!(5)),
            ("[range(2, 3)]", json!([2, 3, 4])),
            ("[range(0, 0)]", json!([])),
            ("[add(1, 2)]", json!(3)),
            ("[sub(1, 2)]", json!(-1)),
            ("[mul(3, 4)]", json!(12)),
            ("[div(7, 2)]", json!(3)),
            ("[mod(-7, 2)]", json!(-1)),
        ]);
        assert!(unknown("[contains(createArray(reference('x')), 'a')]").contains("reference"));
        let merged = eval(
            "[union(createObject('b', 1, 'a', createObject('x', 1)), createObject('c', 2, 'A', createObject('y', 2)))]",
        );
        let order = |v: &Val| match v {
            Val::Object(entries) => entries.iter().map(|(k, _)| k.clone()).collect::<Vec<_>>(),
            _ => Vec::new(),
        };
        assert_eq!(order(&merged), ["b", "a", "c"]);
        assert_eq!(
            merged.get("a").map(order),
            Some(vec!["x".to_string(), "y".to_string()])
        );
        assert!(error("[div(1, 0)]").message.contains("divides by zero"));
        assert!(
            error("[add(9223372036854775807, 1)]")
                .message
                .contains("overflows")
        );
        assert!(
            error("[createObject('a')]")
                .message
                .contains("key and value pairs")
        );
        assert!(
            error("[union(createObject(), createArray())]")
                .message
                .contains("an object")
        );
        assert!(
            error("[range(0, -1)]")
                .message
                .contains("between 0 and 10000")
        );
        assert!(
            error("[min(createArray())]")
                .message
                .contains("at least one")
        );
    }
}
