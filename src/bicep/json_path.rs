//! The JSON path argument of `loadJsonContent()` and `loadYamlContent()`: `$.a.b`, `.a[0]`,
//! `['a b']`, `[*]`, `.*`, `..name` and filters `[?(@.price > 3)]`, selecting from the loaded
//! value as the compiler does (one match is the value, several are an array of them).

use serde_json::Value;

/// Most values a path may select (or visit, for `..`).
const MAX_SELECTED: usize = 10_000;

/// The longest path read.
const MAX_PATH_BYTES: usize = 4096;

/// The value `path` selects from `root`, or why there is none.
pub fn select(root: &Value, path: &str) -> Result<Value, String> {
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
    match current.as_slice() {
        [] => Err(format!("the path `{path}` selects nothing")),
        [only] => Ok((*only).clone()),
        all => Ok(Value::Array(all.iter().map(|v| (*v).clone()).collect())),
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

fn apply<'v>(step: &Step, current: &[&'v Value]) -> Result<Vec<&'v Value>, String> {
    let mut out = Vec::new();
    for value in current {
        match step {
            Step::Name(name) => out.extend(value.get(name.as_str())),
            Step::Index(index) => {
                if let Value::Array(items) = value {
                    let at = if *index < 0 {
                        i64::try_from(items.len()).unwrap_or(i64::MAX) + index
                    } else {
                        *index
                    };
                    out.extend(usize::try_from(at).ok().and_then(|i| items.get(i)));
                }
            }
            Step::All => out.extend(children(value)),
            Step::Descendants(name) => descendants(value, name, &mut out)?,
            Step::Filter(filter) => out.extend(children(value).filter(|c| matches(filter, c))),
        }
        if out.len() > MAX_SELECTED {
            return Err(format!("the path selects more than {MAX_SELECTED} values"));
        }
    }
    Ok(out)
}

fn children(value: &Value) -> Box<dyn Iterator<Item = &Value> + '_> {
    match value {
        Value::Array(items) => Box::new(items.iter()),
        Value::Object(members) => Box::new(members.values()),
        _ => Box::new(std::iter::empty()),
    }
}

/// The members named `name` of `value` and of every value below it, visiting at most
/// [`MAX_SELECTED`] values.
fn descendants<'v>(value: &'v Value, name: &str, out: &mut Vec<&'v Value>) -> Result<(), String> {
    let mut pending = vec![value];
    let mut visited = 0;
    while let Some(next) = pending.pop() {
        visited += 1;
        if visited > MAX_SELECTED {
            return Err(format!("`..{name}` visits more than {MAX_SELECTED} values"));
        }
        out.extend(next.get(name));
        let mut inner: Vec<&Value> = children(next).collect();
        inner.reverse();
        pending.extend(inner);
    }
    Ok(())
}

fn matches(filter: &Filter, candidate: &Value) -> bool {
    let mut value = candidate;
    for name in &filter.path {
        match value.get(name.as_str()) {
            Some(inner) => value = inner,
            None => return false,
        }
    }
    let Some((op, expected)) = &filter.test else {
        return true;
    };
    let ordering = match (value, expected) {
        (Value::Number(a), Value::Number(b)) => a
            .as_f64()
            .zip(b.as_f64())
            .and_then(|(a, b)| a.partial_cmp(&b)),
        (Value::String(a), Value::String(b)) => Some(a.cmp(b)),
        _ => None,
    };
    use std::cmp::Ordering::{Equal, Greater, Less};
    match op {
        Comparison::Equal => ordering == Some(Equal) || value == expected,
        Comparison::NotEqual => !(ordering == Some(Equal) || value == expected),
        Comparison::Less => ordering == Some(Less),
        Comparison::LessOrEqual => matches!(ordering, Some(Less | Equal)),
        Comparison::Greater => ordering == Some(Greater),
        Comparison::GreaterOrEqual => matches!(ordering, Some(Greater | Equal)),
    }
}

#[cfg(test)]
mod tests {
    use super::select;
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
        for (path, expected) in cases {
            assert_eq!(select(&root, path), Ok(expected), "{path}");
        }
        assert!(select(&root, ".missing").is_err());
        assert!(select(&root, ".array[0:2]").is_err());
        assert!(select(&root, "..").is_err());
    }
}
