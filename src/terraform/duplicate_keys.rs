//! Object constructors that repeat a key. Terraform takes them, the last value winning
//! (`{ a = 1, a = 2 }` is `{ a = 2 }`); the HCL parser refuses them. Each repeated key is renamed
//! to a placeholder of the same length, so that every offset stays where it was, the text parsed
//! again ([`super::repair`]), and the placeholder given its name back, the earlier items of that
//! name dropped.

use std::collections::HashSet;
use std::ops::Range;

use hcl_edit::Ident;
use hcl_edit::Span as _;
use hcl_edit::expr::{Expression, Object, ObjectKey, ObjectValue};
use hcl_edit::structure::Body;
use hcl_edit::visit_mut::{VisitMut, visit_object_mut};

/// Whether the parser refused a repeated key of an object constructor.
pub fn is_repeated_object_key(error: &hcl_edit::parser::Error) -> bool {
    error.message().contains("redefined object key")
}

/// Renames the repeated key whose name starts at `offset` (again, when an earlier name met a
/// key of its object), noting where it is; `false` where it cannot be renamed (an empty,
/// escaped or template string, an expression).
pub fn rename_key(
    text: &mut String,
    offset: usize,
    attempt: usize,
    renamed: &mut Vec<Range<usize>>,
) -> bool {
    let Some(name) = renamable_name(text, offset) else {
        return false;
    };
    if !renamed.iter().any(|range| range.start == name.start) {
        renamed.push(name.clone());
    }
    text.replace_range(name.clone(), &placeholder(name.len(), attempt));
    true
}

/// The bytes of the name of the key at `offset`: an identifier, or the inside of a plain quoted
/// string.
fn renamable_name(text: &str, offset: usize) -> Option<Range<usize>> {
    let rest = text.get(offset..)?;
    let is_name_char = |c: char| c.is_alphanumeric() || c == '_' || c == '-';
    if let Some(quoted) = rest.strip_prefix('"') {
        let end = quoted.find('"')?;
        let inside = &quoted[..end];
        let plain = !inside.is_empty() && inside.chars().all(|c| c != '\\' && c != '$' && c != '%');
        return plain.then(|| offset + 1..offset + 1 + end);
    }
    let end = rest.find(|c: char| !is_name_char(c)).unwrap_or(rest.len());
    let starts_well = rest.chars().next().is_some_and(char::is_alphabetic);
    (end > 0 && starts_well).then_some(offset..offset + end)
}

/// A name of `len` ASCII letters, a different one for each attempt (up to 16 to the power of
/// `len`), that no one writes by chance: the attempt's digits in base 16, each shifted by a
/// letter that depends on its place.
fn placeholder(len: usize, attempt: usize) -> String {
    const LETTERS: &[u8] = b"ZQXJKVWYzqxjkvwy";
    let mut digits = attempt;
    (0..len)
        .map(|place| {
            let shift = place.wrapping_mul(7) + 3;
            let letter = LETTERS
                .get((digits + shift) % LETTERS.len())
                .copied()
                .unwrap_or(b'Z');
            digits /= LETTERS.len();
            char::from(letter)
        })
        .collect()
}

/// Gives each renamed key its name back and drops the earlier items of that name.
pub fn restore(body: &mut Body, text: &str, renamed: &[Range<usize>]) {
    let mut restorer = Restorer { text, renamed };
    restorer.visit_body_mut(body);
}

struct Restorer<'a> {
    text: &'a str,
    renamed: &'a [Range<usize>],
}

impl Restorer<'_> {
    /// The original name of a renamed key, by where its name starts.
    fn original(&self, key: &ObjectKey) -> Option<&str> {
        let start = match key {
            ObjectKey::Ident(ident) => ident.span()?.start,
            ObjectKey::Expression(Expression::String(string)) => string.span()?.start + 1,
            ObjectKey::Expression(_) => return None,
        };
        let range = self.renamed.iter().find(|range| range.start == start)?;
        self.text.get(range.clone())
    }
}

impl VisitMut for Restorer<'_> {
    fn visit_object_mut(&mut self, object: &mut Object) {
        visit_object_mut(self, object);
        if !object.iter().any(|(key, _)| self.original(key).is_some()) {
            return;
        }
        let keys: Vec<ObjectKey> = object.iter().map(|(key, _)| key.clone()).collect();
        let mut items: Vec<(ObjectKey, ObjectValue)> = keys
            .iter()
            .filter_map(|key| object.remove_entry(key))
            .collect();
        for (key, _) in &mut items {
            if let Some(original) = self.original(key) {
                rename(key, original.to_string());
            }
        }
        for (key, value) in last_of_each_name(items) {
            object.insert(key, value);
        }
    }
}

fn rename(key: &mut ObjectKey, name: String) {
    match key {
        ObjectKey::Ident(ident) => {
            if let Ok(name) = Ident::try_new(name) {
                *ident.value_mut() = name;
            }
        }
        ObjectKey::Expression(Expression::String(string)) => *string.value_mut() = name,
        ObjectKey::Expression(_) => {}
    }
}

/// The items without those a later item of the same name replaces, in their order.
fn last_of_each_name(items: Vec<(ObjectKey, ObjectValue)>) -> Vec<(ObjectKey, ObjectValue)> {
    let mut seen = HashSet::new();
    let mut kept: Vec<(ObjectKey, ObjectValue)> = items
        .into_iter()
        .rev()
        .filter(|(key, _)| match key {
            ObjectKey::Ident(ident) => seen.insert((true, ident.as_str().to_string())),
            ObjectKey::Expression(Expression::String(string)) => {
                seen.insert((false, string.as_str().to_string()))
            }
            ObjectKey::Expression(_) => true,
        })
        .collect();
    kept.reverse();
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The members of the object assigned to `o`, as `key = value text`, in order.
    fn members(text: &str) -> Result<Vec<String>, String> {
        let body = crate::terraform::parse(text).map_err(|error| error.message)?;
        let attribute = body.get_attribute("o").ok_or("no attribute `o`")?;
        let Expression::Object(object) = &attribute.value else {
            return Err("not an object".into());
        };
        Ok(object
            .iter()
            .map(|(key, value)| {
                let name = match key {
                    ObjectKey::Ident(ident) => ident.as_str().to_string(),
                    ObjectKey::Expression(Expression::String(s)) => format!("{:?}", s.as_str()),
                    ObjectKey::Expression(_) => "(expression)".to_string(),
                };
                let span = value.expr().span().unwrap_or_default();
                let key_at = key.span().map_or(0, |span| span.start);
                format!("{name}@{key_at} = {}", &text[span])
            })
            .collect())
    }

    #[test]
    fn the_last_of_a_repeated_key_wins_where_it_is_written() {
        assert_eq!(
            members("o = { a = 1, b = 2, a = 3 }").unwrap(),
            ["b@13 = 2", "a@20 = 3"]
        );
        assert_eq!(
            members("o = {\n  x = 1\n  x = 2\n  x = 3\n}\n").unwrap(),
            ["x@24 = 3"]
        );
        assert_eq!(
            members(r#"o = { "q" = 1, "q" = 2, r = 0 }"#).unwrap(),
            [r#""q"@15 = 2"#, "r@24 = 0"]
        );
        assert_eq!(
            members("o = { n = { k = 1, k = 2 }, n = { k = 3, k = 4 } }").unwrap(),
            ["n@28 = { k = 3, k = 4 }"]
        );
    }

    #[test]
    fn a_placeholder_that_meets_a_key_of_the_object_is_drawn_again() {
        let letters: Vec<String> = "ZQXJKVWYzqxjkvw"
            .chars()
            .map(|c| format!("{c} = 0"))
            .collect();
        let text = format!("o = {{ a = 1, a = 2, {} }}", letters.join(", "));
        let members = members(&text).unwrap();
        assert_eq!(members.len(), 16, "{members:?}");
        assert!(members.contains(&"a@13 = 2".to_string()), "{members:?}");
    }

    #[test]
    fn keys_that_cannot_be_renamed_stay_errors() {
        for text in [
            r#"o = { "" = 1, "" = 2 }"#,
            r#"o = { "${x}" = 1, "${x}" = 2 }"#,
            r#"o = { "a\n" = 1, "a\n" = 2 }"#,
        ] {
            let error = members(text).unwrap_err();
            assert!(error.contains("redefined object key"), "{text}: {error}");
        }
        let error = crate::terraform::parse("a = 1\na = 2\n").unwrap_err();
        assert!(
            error.message.contains("redefined attribute"),
            "{}",
            error.message
        );
    }

    #[test]
    fn renaming_stops_within_its_budget() {
        let items: Vec<String> = (0..100).map(|i| format!("k{} = {i}", i % 2)).collect();
        let small = format!("o = {{ {} }}", items.join(", "));
        assert!(members(&small).is_err(), "98 repeats are more than 64");
        let items: Vec<String> = (0..60).map(|i| format!("k{} = {i}", i % 2)).collect();
        let within = format!("o = {{ {} }}", items.join(", "));
        assert_eq!(members(&within).unwrap().len(), 2);
        let filler = format!("# {}\n", "x".repeat(4 << 20));
        let large = format!(
            "{filler}o = {{ a = 1, a = 2, b = 1, b = 2, c = 1, c = 2, d = 1, d = 2, e = 1, e = 2 }}"
        );
        assert!(members(&large).is_err(), "a 4 MiB file gets four parses");
    }
}
