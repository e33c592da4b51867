//! JSON with comments and trailing commas, as ARM accepts it, into a [`Node`] tree with spans.

use jsonc_parser::ast;
use jsonc_parser::{CollectOptions, CommentCollectionStrategy, ParseOptions};

use crate::model::{Node, Value};
use crate::source::{FileId, Span};

/// Files holding more values than this are refused: each value costs 100 to 200 bytes of syntax
/// tree, so a dense 16 MiB file (eight million values) would take gigabytes. Real templates and
/// modules hold far fewer (a 4 MB ARM template, the largest Azure accepts, about 200,000).
pub const MAX_FILE_VALUES: usize = 1_000_000;

/// Why text of more than [`MAX_FILE_VALUES`] values is not parsed, counted (generously: strings
/// and comments are not skipped) by the bytes that open or separate them: `,` `[` `{` `=` `:`.
pub fn too_many_values(bytes: &[u8]) -> Option<String> {
    if bytes.len() <= MAX_FILE_VALUES {
        return None;
    }
    let count = memchr::memchr3_iter(b',', b'[', b'{', bytes).count()
        + memchr::memchr2_iter(b'=', b':', bytes).count();
    (count > MAX_FILE_VALUES).then(|| {
        format!(
            "file holds more than {MAX_FILE_VALUES} values (counted by their separators); \
             files that large are not read"
        )
    })
}

/// A syntax error at a byte range of the file.
#[derive(Debug, Clone)]
pub struct SyntaxError {
    pub start: usize,
    pub end: usize,
    pub message: String,
}

/// Parses JSON text. `Ok(None)` means the text holds no value at all (an empty file).
pub fn parse(text: &str, file: FileId) -> Result<Option<Node>, SyntaxError> {
    Ok(syntax_tree(text)?.map(|v| convert(v, file)))
}

/// JSON text as jsonc-parser's syntax tree, with comments and trailing commas allowed.
pub fn syntax_tree(text: &str) -> Result<Option<ast::Value<'_>>, SyntaxError> {
    let collect = CollectOptions {
        comments: CommentCollectionStrategy::Off,
        tokens: false,
    };
    let options = ParseOptions {
        allow_comments: true,
        allow_trailing_commas: true,
        allow_loose_object_property_names: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        ..ParseOptions::default()
    };
    match jsonc_parser::parse_to_ast(text, &collect, &options) {
        Ok(result) => Ok(result.value),
        Err(error) => {
            let range = error.range();
            Err(SyntaxError {
                start: range.start,
                end: range.end,
                message: error.kind().to_string(),
            })
        }
    }
}

fn convert(value: ast::Value<'_>, file: FileId) -> Node {
    match value {
        ast::Value::StringLit(s) => node(Value::String(s.value.into_owned()), s.range, file),
        ast::Value::NumberLit(n) => {
            let parsed = n.value.parse::<f64>().map_or_else(
                |_| Value::Unknown(format!("number `{}` is out of range", n.value)),
                Value::Number,
            );
            node(parsed, n.range, file)
        }
        ast::Value::BooleanLit(b) => node(Value::Bool(b.value), b.range, file),
        ast::Value::NullKeyword(n) => node(Value::Null, n.range, file),
        ast::Value::Array(array) => {
            let elements = array
                .elements
                .into_iter()
                .map(|v| convert(v, file))
                .collect();
            node(Value::Array(elements), array.range, file)
        }
        ast::Value::Object(object) => {
            let members = object
                .properties
                .into_iter()
                .map(|p| (p.name.into_string(), convert(p.value, file)))
                .collect();
            node(Value::Object(members), object.range, file)
        }
    }
}

fn node(value: Value, range: jsonc_parser::common::Range, file: FileId) -> Node {
    Node::new(value, Span::new(file, range.start, range.end))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_comments_and_trailing_commas() {
        let text = "{ // c\n \"a\": [1, 2,], /* x */ \"b\": true, }";
        let node = parse(text, 0).unwrap().unwrap();
        assert_eq!(node.get("A").and_then(Node::as_bool), None);
        assert_eq!(node.get("b").and_then(Node::as_bool), Some(true));
        let b = node.get("b").unwrap();
        assert_eq!(&text[b.span.start..b.span.end], "true");
    }

    #[test]
    fn reports_errors_with_a_position() {
        let error = parse("{\"a\": }", 0).unwrap_err();
        assert_eq!(error.start, 6);
    }

    #[test]
    fn rejects_deep_nesting_without_overflowing() {
        let text = "[".repeat(100_000);
        assert!(parse(&text, 0).is_err());
    }
}
