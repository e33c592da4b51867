//! The JSON path argument of `loadJsonContent()` and `loadYamlContent()`: `$.a.b`, `.a[0]`,
//! `['a b']`, `[*]`, `.*`, `..name` and filters `[?(@.price > 3)]`, selecting from the loaded
//! value as the compiler does (one match is the value, several are an array of them).

use serde_json::Value;

use crate::model::{self, Node};

/// Most values a path may select (or visit, for `..`).
const MAX_SELECTED: usize = 10_000;

/// The longest path read.
const MAX_PATH_BYTES: usize = 4096;

/// The value `path` selects from `root`, or why there is none.
pub fn select(root: &Value, path: &str) -> Result<Value, String> {
    match select_all(root, path)?.as_slice() {
        [only] => Ok((*only).clone()),
        all => Ok(Value::Array(all.iter().map(|v| (*v).clone()).collect())),
    }
}

/// The values `path` selects from `root` (one is the value, several an array of them), or why
/// there are none.
pub fn select_all<'d, D: Data>(root: &'d D, path: &str) -> Result<Vec<&'d D>, String> {
    if path.len() > MAX_PATH_BYTES {
        return Err(format!(
            "a path longer than {MAX_PATH_BYTES} bytes is not read"
        ));
    }
    let steps = parse(path).ok_or_else(|| format!("the path `{path}` is not supported"))?;
    let mut current = vec![root];
    for step in &steps {
        current = apply(step, &current)?;
    }
    if current.is_empty() {
        return Err(format!("the path `{path}` selects nothing"));
    }
    Ok(current)
}

/// Loaded JSON data a path selects from: as parsed, or with the spans of its values.
pub trait Data {
    /// The member `name` (matched exactly; the last one of that name).
    fn member(&self, name: &str) -> Option<&Self>;
    /// The items of an array or the members' values of an object, in order.
    fn children(&self) -> Box<dyn Iterator<Item = &Self> + '_>;
    /// The order of two numbers or two strings; `None` for anything else.
    fn compare(&self, literal: &Value) -> Option<std::cmp::Ordering>;
    fn equals(&self, literal: &Value) -> bool;
    /// The items of an array; `None` for anything else.
    fn items(&self) -> Option<&[Self]>
    where
        Self: Sized;
}

impl Data for Value {
    fn member(&self, name: &str) -> Option<&Self> {
        self.get(name)
    }

    fn children(&self) -> Box<dyn Iterator<Item = &Self> + '_> {
        match self {
            Value::Array(items) => Box::new(items.iter()),
            Value::Object(members) => Box::new(members.values()),
            _ => Box::new(std::iter::empty()),
        }
    }

    fn compare(&self, literal: &Value) -> Option<std::cmp::Ordering> {
        match (self, literal) {
            (Value::Number(a), Value::Number(b)) => a
                .as_f64()
                .zip(b.as_f64())
                .and_then(|(a, b)| a.partial_cmp(&b)),
            (Value::String(a), Value::String(b)) => Some(a.cmp(b)),
            _ => None,
        }
    }

    fn equals(&self, literal: &Value) -> bool {
        self == literal
    }

    fn items(&self) -> Option<&[Self]> {
        self.as_array().map(Vec::as_slice)
    }
}

impl Data for Node {
    fn member(&self, name: &str) -> Option<&Self> {
        match &self.value {
            model::Value::Object(members) => members
                .iter()
                .rev()
                .find(|(key, _)| key == name)
                .map(|(_, v)| v),
            _ => None,
        }
    }

    fn children(&self) -> Box<dyn Iterator<Item = &Self> + '_> {
        match &self.value {
            model::Value::Array(items) => Box::new(items.iter()),
            model::Value::Object(members) => Box::new(members.iter().map(|(_, v)| v)),
            _ => Box::new(std::iter::empty()),
        }
    }

    fn compare(&self, literal: &Value) -> Option<std::cmp::Ordering> {
        match (&self.value, literal) {
            (model::Value::Number(a), Value::Number(b)) => a.partial_cmp(&b.as_f64()?),
            (model::Value::String(a), Value::String(b)) => Some(a.as_str().cmp(b.as_str())),
            _ => None,
        }
    }

    fn equals(&self, literal: &Value) -> bool {
        match (&self.value, literal) {
            (model::Value::Null, Value::Null) => true,
            (model::Value::Bool(a), Value::Bool(b)) => a == b,
            (model::Value::Number(a), Value::Number(b)) => b.as_f64() == Some(*a),
            (model::Value::String(a), Value::String(b)) => a == b,
            (model::Value::Array(items), Value::Array(others)) => {
                items.len() == others.len() && items.iter().zip(others).all(|(a, b)| a.equals(b))
            }
            (model::Value::Object(members), Value::Object(others)) => {
                members.len() == others.len()
                    && others
                        .iter()
                        .all(|(key, b)| self.member(key).is_some_and(|a| a.equals(b)))
            }
            _ => false,
        }
    }

    fn items(&self) -> Option<&[Self]> {
        match &self.value {
            model::Value::Array(items) => Some(items),
            _ => None,
        }
    }
}

#[derive(Debug, PartialEq)]
enum Step {
    Name(String),
    Index(i64),
    All,
    Descendants(String),
    Filter(Filter),
}

#[derive(Debug, PartialEq)]
struct Filter {
    /// The member path below `@`.
    path: Vec<String>,
    /// The comparison, or `None` for "has the member".
    test: Option<(Comparison, Value)>,
}

#[derive(Debug, PartialEq, Clone, Copy)]
enum Comparison {
    Equal,
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
}

fn parse(path: &str) -> Option<Vec<Step>> {
    let mut rest = path.trim();
    rest = rest.strip_prefix('$').unwrap_or(rest);
    let mut steps = Vec::new();
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("..") {
            let (name, tail) = split_name(after);
            if name.is_empty() {
                return None;
            }
            steps.push(Step::Descendants(name.to_string()));
            rest = tail;
        } else if let Some(after) = rest.strip_prefix('.') {
            let (name, tail) = split_name(after);
            steps.push(match name {
                "" => return None,
                "*" => Step::All,
                _ => Step::Name(name.to_string()),
            });
            rest = tail;
        } else if let Some(after) = rest.strip_prefix('[') {
            let (step, tail) = bracket(after)?;
            steps.push(step);
            rest = tail;
        } else if steps.is_empty() {
            // `a.b` without a leading `.` or `$`.
            let (name, tail) = split_name(rest);
            steps.push(Step::Name(name.to_string()));
            rest = tail;
        } else {
            return None;
        }
    }
    Some(steps)
}

/// A member name up to the next `.` or `[`.
fn split_name(text: &str) -> (&str, &str) {
    let end = text.find(['.', '[']).unwrap_or(text.len());
    text.split_at(end)
}

/// The step of a `[...]` (after its `[`), and the text after its `]`.
fn bracket(text: &str) -> Option<(Step, &str)> {
    if let Some(filter) = text.strip_prefix("?(") {
        let end = filter.find(")]")?;
        let (inside, tail) = filter.split_at(end);
        return Some((Step::Filter(parse_filter(inside.trim())?), tail.get(2..)?));
    }
    for quote in ['\'', '"'] {
        if let Some(quoted) = text.strip_prefix(quote) {
            let end = quoted.find(quote)?;
            let (name, tail) = quoted.split_at(end);
            let tail = tail.get(1..)?.trim_start().strip_prefix(']')?;
            return Some((Step::Name(name.to_string()), tail));
        }
    }
    let end = text.find(']')?;
    let (inside, tail) = text.split_at(end);
    let step = match inside.trim() {
        "*" => Step::All,
        number => Step::Index(number.parse().ok()?),
    };
    Some((step, tail.get(1..)?))
}

fn parse_filter(text: &str) -> Option<Filter> {
    const OPERATORS: &[(&str, Comparison)] = &[
        ("==", Comparison::Equal),
        ("!=", Comparison::NotEqual),
        ("<=", Comparison::LessOrEqual),
        (">=", Comparison::GreaterOrEqual),
        ("<", Comparison::Less),
        (">", Comparison::Greater),
    ];
    let found = OPERATORS
        .iter()
        .find_map(|(symbol, op)| text.split_once(symbol).map(|(l, r)| (l, *op, r)));
    let (left, test) = match found {
        Some((left, op, right)) => (left.trim(), Some((op, literal(right.trim())?))),
        None => (text, None),
    };
    let path = member_names(left.strip_prefix('@')?)?;
    Some(Filter { path, test })
}

/// The member names of a filter's `@.a.b['c']`.
fn member_names(mut rest: &str) -> Option<Vec<String>> {
    let mut names = Vec::new();
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('.') {
            let (name, tail) = split_name(after);
            if name.is_empty() || name == "*" {
                return None;
            }
            names.push(name.to_string());
            rest = tail;
            continue;
        }
        let quoted = rest.strip_prefix('[')?;
        let quote = quoted.chars().next().filter(|c| *c == '\'' || *c == '"')?;
        let inner = quoted.get(1..)?;
        let (name, tail) = inner.split_at(inner.find(quote)?);
        names.push(name.to_string());
        rest = tail.get(1..)?.trim_start().strip_prefix(']')?;
    }
    Some(names)
}

fn literal(text: &str) -> Option<Value> {
    for quote in ['\'', '"'] {
        if let Some(inner) = text.strip_prefix(quote).and_then(|t| t.strip_suffix(quote)) {
            return Some(Value::String(inner.to_string()));
        }
    }
    serde_json::from_str(text).ok()
}

fn apply<'v, D: Data>(step: &Step, current: &[&'v D]) -> Result<Vec<&'v D>, String> {
    let mut out = Vec::new();
    for value in current {
        match step {
            Step::Name(name) => out.extend(value.member(name)),
            Step::Index(index) => {
                if let Some(items) = value.items() {
                    let at = if *index < 0 {
                        i64::try_from(items.len()).unwrap_or(i64::MAX) + index
                    } else {
                        *index
                    };
                    out.extend(usize::try_from(at).ok().and_then(|i| items.get(i)));
                }
            }
            Step::All => out.extend(value.children()),
            Step::Descendants(name) => descendants(*value, name, &mut out)?,
            Step::Filter(filter) => out.extend(value.children().filter(|c| matches(filter, *c))),
        }
        if out.len() > MAX_SELECTED {
            return Err(format!("the path selects more than {MAX_SELECTED} values"));
        }
    }
    Ok(out)
}

/// The members named `name` of `value` and of every value below it, visiting at most
/// [`MAX_SELECTED`] values.
fn descendants<'v, D: Data>(value: &'v D, name: &str, out: &mut Vec<&'v D>) -> Result<(), String> {
    let mut pending = vec![value];
    let mut visited = 0;
    while let Some(next) = pending.pop() {
        visited += 1;
        if visited > MAX_SELECTED {
            return Err(format!("`..{name}` visits more than {MAX_SELECTED} values"));
        }
        out.extend(next.member(name));
        let mut inner: Vec<&D> = next.children().collect();
        inner.reverse();
        pending.extend(inner);
    }
    Ok(())
}

fn matches<D: Data>(filter: &Filter, candidate: &D) -> bool {
    let mut value = candidate;
    for name in &filter.path {
        match value.member(name) {
            Some(inner) => value = inner,
            None => return false,
        }
    }
    let Some((op, expected)) = &filter.test else {
        return true;
    };
    let ordering = value.compare(expected);
    let equal = ordering == Some(std::cmp::Ordering::Equal) || value.equals(expected);
    use std::cmp::Ordering::{Equal, Greater, Less};
    match op {
        Comparison::Equal => equal,
        Comparison::NotEqual => !equal,
        Comparison::Less => ordering == Some(Less),
        Comparison::LessOrEqual => matches!(ordering, Some(Less | Equal)),
        Comparison::Greater => ordering == Some(Greater),
        Comparison::GreaterOrEqual => matches!(ordering, Some(Greater | Equal)),
    }
}

#[cfg(test)]
mod tests {
    use super::{Data, select, select_all};
    use serde_json::json;

    #[test]
    fn paths_select_members_items_and_filtered_values() {
        let root = json!({
            "string": "s",
            "array": [1, 2, 3],
            "object": {"nested string": "n", "inner": {"x": true}},
            "products": [
                {"name": "pizza", "price": 5.0},
                {"name": "salad", "price": 3.99},
                {"name": "bread", "price": 2}
            ]
        });
        let cases = [
            ("$.string", json!("s")),
            (".array[0]", json!(1)),
            ("array[-1]", json!(3)),
            ("$['object']['nested string']", json!("n")),
            (".object.inner.x", json!(true)),
            (".products[?(@.price > 3)].name", json!(["pizza", "salad"])),
            (".products[?(@.name == 'bread')].price", json!(2)),
            (".products[?(@['price'] <= 2)].name", json!("bread")),
            (".products[*].price", json!([5.0, 3.99, 2])),
            ("$..x", json!(true)),
            ("$", root.clone()),
        ];
        let node = crate::model::json::parse(&root.to_string(), 0)
            .unwrap()
            .unwrap();
        for (path, expected) in cases {
            let found = select_all(&node, path).unwrap();
            let node_selected = match found.as_slice() {
                [only] => only.equals(&expected),
                several => {
                    several.len() == expected.as_array().map_or(0, Vec::len)
                        && several
                            .iter()
                            .zip(expected.as_array().unwrap())
                            .all(|(a, b)| a.equals(b))
                }
            };
            assert!(node_selected, "{path}: {found:?}");
            assert_eq!(select(&root, path), Ok(expected), "{path}");
        }
        assert!(select_all(&node, ".missing").is_err());
        assert!(select(&root, ".missing").is_err());
        assert!(select(&root, ".array[0:2]").is_err());
        assert!(select(&root, "..").is_err());
    }
}
