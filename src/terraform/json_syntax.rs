//! Terraform's JSON syntax (`*.tf.json`, what CDK for Terraform writes) read as Terraform: the
//! document is rewritten in native syntax and parsed as a `.tf` file is, and an [`OffsetMap`]
//! takes what the rewrite copied back to the JSON, so findings point at the JSON value.
//!
//! As in Terraform, every string is a template (`"${var.admin}"`); a string that is a single
//! interpolation becomes its expression, so references link resources as in native syntax. A
//! property whose value is an object, or an array of objects, is a nested block, except the
//! attributes known to hold maps (`tags`, `custom_headers`, azapi's `body`, ...); module
//! calls, variables, outputs and locals hold attributes only.

use std::ops::Range;

use jsonc_parser::ast::{self, ObjectPropName};

use crate::source::Span;

/// Attributes whose value is a map or object, never a nested block.
const OBJECT_ATTRIBUTES: &[&str] = &[
    "tags",
    "custom_headers",
    "body",
    "headers",
    "providers",
    "triggers",
    "labels",
    "metadata",
    "parameters",
    "settings",
    "protected_settings",
];

/// The property name Terraform reads as a comment in any object of its JSON syntax.
pub const COMMENT_PROPERTY: &str = "//";

/// Where each piece of the native text came from in the JSON text.
#[derive(Debug, Clone, Default)]
pub struct OffsetMap {
    /// Sorted by native start; a piece copied unchanged has ranges of equal length.
    pieces: Vec<(Range<usize>, Range<usize>)>,
}

impl OffsetMap {
    /// The JSON offset of a native offset: exact inside copied text, the start or end of the
    /// JSON a rewritten piece came from, and the end of the last piece between pieces.
    pub fn json_offset(&self, offset: usize) -> usize {
        let after = self
            .pieces
            .partition_point(|(native, _)| native.start <= offset);
        let Some((native, json)) = after.checked_sub(1).and_then(|i| self.pieces.get(i)) else {
            return 0;
        };
        if offset >= native.end {
            json.end
        } else if native.len() == json.len() {
            json.start + (offset - native.start)
        } else {
            json.start
        }
    }

    /// A span of the native text as a span of the JSON text.
    pub fn span(&self, span: Span) -> Span {
        let start = self.json_offset(span.start);
        let end = self.json_offset(span.end).max(start);
        Span::new(span.file, start, end)
    }
}

/// The JSON document in native syntax, and where its pieces came from; a JSON syntax error
/// (offset, message) otherwise.
pub fn to_native(text: &str) -> Result<(String, OffsetMap), (usize, String)> {
    let parsed = crate::model::json::syntax_tree(text)
        .map_err(|e| (e.start, format!("invalid JSON: {}", e.message)))?;
    let mut writer = Writer {
        text,
        native: String::new(),
        map: OffsetMap::default(),
    };
    match parsed {
        Some(ast::Value::Object(root)) => writer.root(&root),
        None => {}
        Some(_) => {
            return Err((0, "a Terraform JSON file must hold an object".into()));
        }
    }
    Ok((writer.native, writer.map))
}

struct Writer<'t> {
    text: &'t str,
    native: String,
    map: OffsetMap,
}

fn range(range: jsonc_parser::common::Range) -> Range<usize> {
    range.start..range.end
}

fn name_range(name: &ObjectPropName<'_>) -> Range<usize> {
    match name {
        ObjectPropName::String(lit) => range(lit.range),
        ObjectPropName::Word(lit) => range(lit.range),
    }
}

fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// The objects of a block value: an object, or an array of objects.
fn block_bodies<'v, 'a>(value: &'v ast::Value<'a>) -> Option<Vec<&'v ast::Object<'a>>> {
    match value {
        ast::Value::Object(object) => Some(vec![object]),
        ast::Value::Array(array) if !array.elements.is_empty() => array
            .elements
            .iter()
            .map(|element| match element {
                ast::Value::Object(object) => Some(object),
                _ => None,
            })
            .collect(),
        _ => None,
    }
}

/// The texts of a comment property: a string, an array of strings, or the strings and arrays
/// of strings an object holds (CDK for Terraform writes `"//"` as an object of its metadata).
fn comment_texts<'v, 'a>(value: &'v ast::Value<'a>) -> Vec<&'v ast::StringLit<'a>> {
    let strings = |value: &'v ast::Value<'a>| match value {
        ast::Value::StringLit(lit) => vec![lit],
        ast::Value::Array(array) => array
            .elements
            .iter()
            .filter_map(|element| match element {
                ast::Value::StringLit(lit) => Some(lit),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    match value {
        ast::Value::Object(object) => object
            .properties
            .iter()
            .flat_map(|property| strings(&property.value))
            .collect(),
        other => strings(other),
    }
}

/// The expression of a string that is one interpolation and nothing else: `${var.x}`.
fn single_interpolation(value: &str) -> Option<&str> {
    let inner = value.strip_prefix("${")?.strip_suffix('}')?;
    (!inner.contains("${") && !inner.contains("%{") && !inner.contains('}')).then(|| inner.trim())
}

impl Writer<'_> {
    /// Writes `text` as the rewrite of the JSON at `from`.
    fn piece(&mut self, text: &str, from: Range<usize>) {
        let start = self.native.len();
        self.native.push_str(text);
        self.map.pieces.push((start..self.native.len(), from));
    }

    /// Copies the JSON at `from` unchanged.
    fn copy(&mut self, from: Range<usize>) {
        let text = self.text.get(from.clone()).unwrap_or_default().to_string();
        self.piece(&text, from);
    }

    fn root(&mut self, root: &ast::Object<'_>) {
        for property in &root.properties {
            let keyword = property.name.as_str();
            let at = name_range(&property.name);
            match keyword {
                "resource" | "data" => self.labelled(keyword, at, &property.value, 2),
                "module" | "variable" | "output" | "provider" => {
                    self.labelled(keyword, at, &property.value, 1)
                }
                "locals" => self.labelled(keyword, at, &property.value, 0),
                _ => {}
            }
        }
        // Below every block, where a suppression covers nothing and is reported so.
        self.suppression_comments(root);
    }

    /// The suppressions among the comment properties (`"//"`) of a block's object, written as
    /// comment lines above the block, where suppressions stand in native syntax.
    fn suppression_comments(&mut self, body: &ast::Object<'_>) {
        let comments = body
            .properties
            .iter()
            .filter(|property| property.name.as_str() == COMMENT_PROPERTY);
        for comment in comments {
            let directives = comment_texts(&comment.value)
                .into_iter()
                .filter(|lit| crate::model::directives::has_comment_directives(&lit.value));
            for lit in directives {
                // A line of native syntax ends at either of these: none may be in a comment.
                for line in lit.value.split(['\r', '\n']) {
                    self.piece(&["# ", line].concat(), range(lit.range));
                    self.native.push('\n');
                }
            }
        }
    }

    /// Blocks `keyword "label"... { }` from objects nested `labels` deep.
    fn labelled(&mut self, keyword: &str, at: Range<usize>, value: &ast::Value<'_>, labels: usize) {
        self.labelled_with(keyword, &at, value, labels, &mut Vec::new());
    }

    fn labelled_with(
        &mut self,
        keyword: &str,
        at: &Range<usize>,
        value: &ast::Value<'_>,
        labels: usize,
        written: &mut Vec<(String, Range<usize>)>,
    ) {
        if labels == 0 {
            for body in block_bodies(value).unwrap_or_default() {
                self.suppression_comments(body);
                self.piece(keyword, at.clone());
                for (label, from) in written.iter() {
                    self.native.push(' ');
                    let quoted = serde_json::to_string(label).unwrap_or_default();
                    self.piece(&quoted, from.clone());
                }
                self.block_body(keyword, body);
            }
            return;
        }
        let ast::Value::Object(object) = value else {
            return;
        };
        for property in &object.properties {
            written.push((
                property.name.as_str().to_string(),
                name_range(&property.name),
            ));
            self.labelled_with(keyword, at, &property.value, labels - 1, written);
            written.pop();
        }
    }

    /// ` { attributes and blocks }` and a line break.
    fn block_body(&mut self, keyword: &str, body: &ast::Object<'_>) {
        self.native.push_str(" {\n");
        let blocks_allowed = matches!(keyword, "resource" | "data" | "provider" | "nested");
        for property in &body.properties {
            let name = property.name.as_str();
            if !is_identifier(name) {
                continue;
            }
            let at = name_range(&property.name);
            let nested = (blocks_allowed && !OBJECT_ATTRIBUTES.contains(&name))
                .then(|| block_bodies(&property.value))
                .flatten();
            match nested {
                Some(_) if name == "dynamic" => {
                    self.labelled_with("dynamic", &at, &property.value, 1, &mut Vec::new())
                }
                Some(bodies) => {
                    for nested_body in bodies {
                        self.suppression_comments(nested_body);
                        self.piece(name, at.clone());
                        self.block_body("nested", nested_body);
                    }
                }
                None => {
                    self.piece(name, at);
                    self.native.push_str(" = ");
                    if keyword == "variable" && name == "type" {
                        self.type_expression(&property.value);
                    } else {
                        self.expression(&property.value);
                    }
                    self.native.push('\n');
                }
            }
        }
        let end = range(body.range).end;
        self.piece("}", end.saturating_sub(1)..end);
        self.native.push('\n');
    }

    /// A variable's `type`: the string's content, which is a type expression.
    fn type_expression(&mut self, value: &ast::Value<'_>) {
        match value {
            ast::Value::StringLit(lit) => {
                let text = lit.value.as_ref();
                let expression = single_interpolation(text).unwrap_or(text).to_string();
                self.piece(&expression, range(lit.range));
            }
            other => self.expression(other),
        }
    }

    fn expression(&mut self, value: &ast::Value<'_>) {
        match value {
            ast::Value::StringLit(lit) => match single_interpolation(&lit.value) {
                Some(expression) => {
                    let expression = expression.to_string();
                    self.piece(&expression, range(lit.range));
                }
                None => {
                    let at = range(lit.range);
                    let source = self.text.get(at.clone()).unwrap_or_default();
                    let native = source.replace("\\/", "/");
                    self.piece(&native, at);
                }
            },
            ast::Value::NumberLit(lit) => self.copy(range(lit.range)),
            ast::Value::BooleanLit(lit) => self.copy(range(lit.range)),
            ast::Value::NullKeyword(lit) => self.copy(range(lit.range)),
            ast::Value::Array(array) => {
                let at = range(array.range);
                self.piece("[", at.start..at.start + 1);
                for element in &array.elements {
                    self.expression(element);
                    self.native.push_str(",\n");
                }
                self.piece("]", at.end.saturating_sub(1)..at.end);
            }
            ast::Value::Object(object) => {
                let at = range(object.range);
                self.piece("{", at.start..at.start + 1);
                self.native.push('\n');
                for property in &object.properties {
                    let key = serde_json::to_string(property.name.as_str()).unwrap_or_default();
                    self.piece(&key, name_range(&property.name));
                    self.native.push_str(" = ");
                    self.expression(&property.value);
                    self.native.push('\n');
                }
                self.piece("}", at.end.saturating_sub(1)..at.end);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const REGISTRY: &str = r#"{
  "//": "generated",
  "variable": { "admin": { "type": "bool", "default": true } },
  "resource": {
    "azurerm_container_registry": {
      "acr": {
        "name": "contosoregistry",
        "sku": "Premium",
        "admin_enabled": "${var.admin}",
        "tags": { "env": "prod" },
        "network_rule_set": [{ "default_action": "Deny" }]
      }
    }
  }
}"#;

    #[test]
    fn blocks_attributes_and_interpolations_in_native_syntax() {
        let (native, _) = to_native(REGISTRY).unwrap();
        let body = crate::terraform::parse(&native).unwrap();
        let resource = body.get_blocks("resource").next().unwrap();
        let labels: Vec<&str> = resource.labels.iter().map(|l| l.as_str()).collect();
        assert_eq!(labels, ["azurerm_container_registry", "acr"]);
        assert!(resource.body.get_attribute("tags").is_some());
        assert!(
            resource
                .body
                .get_blocks("network_rule_set")
                .next()
                .is_some()
        );
        assert!(native.contains("admin_enabled = var.admin\n"), "{native}");
        assert!(native.contains("type = bool\n"), "{native}");
    }

    #[test]
    fn offsets_map_back_to_the_json_value() {
        let (native, map) = to_native(REGISTRY).unwrap();
        let json_at = |needle: &str| REGISTRY.find(needle).unwrap();
        let native_at = |needle: &str| native.find(needle).unwrap();
        let value = native_at("var.admin\n");
        assert_eq!(map.json_offset(value), json_at("\"${var.admin}\""));
        assert_eq!(
            map.json_offset(value + "var.admin".len()),
            json_at("\"${var.admin}\"") + "\"${var.admin}\"".len()
        );
        let sku = native_at("\"Premium\"");
        assert_eq!(map.json_offset(sku + 3), json_at("\"Premium\"") + 3);
        let label = native_at("\"azurerm_container_registry\"");
        assert_eq!(
            map.json_offset(label),
            json_at("\"azurerm_container_registry\"")
        );
    }

    proptest::proptest! {
        /// Whatever a comment property says, the native text it becomes parses.
        #[test]
        fn any_comment_property_reads_as_native_syntax(comment in "acr-lint:ignore (\\PC|\\p{Cc}|\u{2028}|\u{85}){0,40}") {
            let quoted = serde_json::to_string(&comment).unwrap_or_default();
            let block = format!(r#"[{{ "//": {quoted}, "default_action": "Deny" }}]"#);
            let text = REGISTRY
                .replace(r#""//": "generated""#, &format!(r#""//": [{quoted}, "x"]"#))
                .replace(r#"[{ "default_action": "Deny" }]"#, &block);
            let (native, _) = to_native(&text).unwrap();
            proptest::prop_assert!(crate::terraform::parse(&native).is_ok(), "{native}");
            proptest::prop_assert!(native.contains("# acr-lint:ignore"), "{native}");
        }
    }

    #[test]
    fn what_is_not_an_object_is_an_error() {
        assert!(to_native("[1, 2]").is_err());
        assert!(to_native("{\"resource\": ").is_err());
        assert_eq!(to_native("").map(|(n, _)| n).unwrap_or_default(), "");
    }
}
