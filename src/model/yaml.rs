//! YAML read into the value model, each value spanning its text, so that a finding on a value
//! read from a YAML file points there.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;

use super::{Node, Value};
use crate::source::{FileId, Span};

/// The YAML document `text` as values spanning their text in `file`, or why it is not YAML.
pub fn parse(text: &str, file: FileId) -> Result<Node, String> {
    let document: Spanned<Item> = serde_saphyr::from_str(text).map_err(|e| one_line(&e))?;
    Ok(document.into_node(file))
}

/// A YAML parse error on one line: where and what, without the parser's excerpt of the text.
pub fn one_line(error: &serde_saphyr::Error) -> String {
    let error = error.to_string();
    let first_line = error.lines().next().unwrap_or_default();
    first_line.trim_start_matches("error: ").to_string()
}

/// A YAML value whose items and members keep where they are written.
enum Item {
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    List(Vec<Spanned<Item>>),
    Map(Vec<(String, Spanned<Item>)>),
}

trait IntoNode {
    fn into_node(self, file: FileId) -> Node;
}

impl IntoNode for Spanned<Item> {
    fn into_node(self, file: FileId) -> Node {
        let span = span_of(&self, file);
        let value = match self.value {
            Item::Null => Value::Null,
            Item::Bool(value) => Value::Bool(value),
            Item::Number(value) => Value::Number(value),
            Item::String(text) => Value::String(text),
            Item::List(items) => {
                Value::Array(items.into_iter().map(|i| i.into_node(file)).collect())
            }
            Item::Map(members) => Value::Object(
                members
                    .into_iter()
                    .map(|(key, value)| (key, value.into_node(file)))
                    .collect(),
            ),
        };
        Node::new(value, span)
    }
}

/// Where a value is written: its bytes in the text, or its first byte alone when the parser
/// gives no length.
fn span_of(item: &Spanned<Item>, file: FileId) -> Span {
    let span = item.referenced.span();
    let start = span.byte_offset().unwrap_or_default();
    let end = start + span.byte_len().unwrap_or_default();
    Span::new(
        file,
        usize::try_from(start).unwrap_or(usize::MAX),
        usize::try_from(end).unwrap_or(usize::MAX),
    )
}

impl<'de> Deserialize<'de> for Item {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ItemVisitor)
    }
}

struct ItemVisitor;

impl<'de> Visitor<'de> for ItemVisitor {
    type Value = Item;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("a YAML value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Item, E> {
        Ok(Item::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Item, E> {
        Ok(Item::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Item, D::Error> {
        Item::deserialize(deserializer)
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<Item, E> {
        Ok(Item::Bool(value))
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Item, E> {
        Ok(Item::Number(value as f64))
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Item, E> {
        Ok(Item::Number(value as f64))
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Item, E> {
        Ok(Item::Number(value))
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Item, E> {
        Ok(Item::String(value.to_string()))
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<Item, E> {
        Ok(Item::String(value))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Item, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Spanned<Item>>()? {
            items.push(item);
        }
        Ok(Item::List(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Item, A::Error> {
        let mut members: Vec<(String, Spanned<Item>)> = Vec::new();
        while let Some(key) = map.next_key::<Key>()? {
            let value = map.next_value::<Spanned<Item>>()?;
            // A repeated key: the last one written holds, as when the text is decoded.
            members.retain(|(known, _)| *known != key.0);
            members.push((key.0, value));
        }
        Ok(Item::Map(members))
    }
}

/// A mapping key, as Terraform's `yamldecode()` makes it text.
struct Key(String);

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl Visitor<'_> for KeyVisitor {
            type Value = Key;
            fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
                formatter.write_str("a mapping key")
            }
            fn visit_str<E: de::Error>(self, value: &str) -> Result<Key, E> {
                Ok(Key(value.to_string()))
            }
            fn visit_bool<E: de::Error>(self, value: bool) -> Result<Key, E> {
                Ok(Key(value.to_string()))
            }
            fn visit_i64<E: de::Error>(self, value: i64) -> Result<Key, E> {
                Ok(Key(value.to_string()))
            }
            fn visit_u64<E: de::Error>(self, value: u64) -> Result<Key, E> {
                Ok(Key(value.to_string()))
            }
            fn visit_f64<E: de::Error>(self, value: f64) -> Result<Key, E> {
                Ok(Key(value.to_string()))
            }
        }
        deserializer.deserialize_any(KeyVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_at<'t>(text: &'t str, node: &Node) -> &'t str {
        &text[node.span.start..node.span.end]
    }

    #[test]
    fn values_span_their_text() {
        let text = "# settings\nregistry:\n  name: contosoacr001\n  admin: true\n  ips: [10.0.0.1, \"10.0.0.2\"]\n";
        let root = parse(text, 7).expect("YAML");
        let registry = root.get("registry").expect("registry");
        let admin = registry.get("admin").expect("admin");
        assert_eq!(admin.value, Value::Bool(true));
        assert_eq!(text_at(text, admin), "true");
        assert_eq!(admin.span.file, 7);
        let name = registry.get("name").expect("name");
        assert_eq!(text_at(text, name), "contosoacr001");
        let Value::Array(ips) = &registry.get("ips").expect("ips").value else {
            panic!("a list");
        };
        assert_eq!(text_at(text, &ips[1]), "\"10.0.0.2\"");
    }

    #[test]
    fn invalid_yaml_is_an_error_of_one_line() {
        let error = parse("a: [", 0).expect_err("invalid");
        assert!(!error.contains('\n'), "{error}");
    }
}
