//! The printer: a syntax tree back into an expression string that parses into the same tree.

use std::fmt::Write as _;

use super::MAX_NESTING;
use super::lexer::{is_ident_continue, is_ident_start};
use super::parser::{Call, Expr, Kind};
use super::value::Val;

/// Deepest tree printed; the parser builds trees less than half as deep.
const MAX_PRINT_DEPTH: usize = 4 * MAX_NESTING;

/// The expression string (with its brackets) of a syntax tree, in canonical form: no spaces but
/// after commas, strings single-quoted with `''` for a quote, properties as `.name` (or `['name']`
/// when the name is not an identifier), arrays and objects as `createArray(...)` and
/// `createObject(...)` calls. `None` when the tree holds what no expression can write: an unknown
/// value, a number that is not a number, a function name that is not an identifier, or nesting
/// deeper than any parsed tree.
pub fn print(expr: &Expr) -> Option<String> {
    let mut out = String::from("[");
    write_expr(expr, &mut out, 0)?;
    out.push(']');
    Some(out)
}

fn write_expr(expr: &Expr, out: &mut String, depth: usize) -> Option<()> {
    if depth > MAX_PRINT_DEPTH {
        return None;
    }
    match &expr.kind {
        Kind::Literal(value) => write_value(value, out, depth),
        Kind::Call(call) => write_call(call, out, depth),
        Kind::Member { target, name, safe } => {
            write_expr(target, out, depth + 1)?;
            if is_identifier(name) {
                out.push_str(if *safe { ".?" } else { "." });
                out.push_str(name);
            } else {
                out.push_str(if *safe { "[?" } else { "[" });
                write_string(name, out);
                out.push(']');
            }
            Some(())
        }
        Kind::Index {
            target,
            index,
            safe,
        } => {
            write_expr(target, out, depth + 1)?;
            out.push_str(if *safe { "[?" } else { "[" });
            write_expr(index, out, depth + 1)?;
            out.push(']');
            Some(())
        }
    }
}

fn write_call(call: &Call, out: &mut String, depth: usize) -> Option<()> {
    let is_name = match call.name.split_once('.') {
        Some((namespace, name)) => is_identifier(namespace) && is_identifier(name),
        None => is_identifier(&call.name),
    };
    if !is_name {
        return None;
    }
    out.push_str(&call.name);
    write_arguments(&call.args, out, |arg, out| write_expr(arg, out, depth + 1))
}

fn write_arguments<T>(
    args: &[T],
    out: &mut String,
    mut write: impl FnMut(&T, &mut String) -> Option<()>,
) -> Option<()> {
    out.push('(');
    for (i, arg) in args.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        write(arg, out)?;
    }
    out.push(')');
    Some(())
}

fn write_value(value: &Val, out: &mut String, depth: usize) -> Option<()> {
    if depth > MAX_PRINT_DEPTH {
        return None;
    }
    match value {
        Val::Null => out.push_str("null"),
        Val::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Val::Int(n) => {
            let _ = write!(out, "{n}");
        }
        Val::Float(f) => write_float(*f, out)?,
        Val::String(s) => write_string(s, out),
        Val::Array(items) => {
            out.push_str("createArray");
            write_arguments(items, out, |item, out| write_value(item, out, depth + 1))?;
        }
        Val::Object(entries) => {
            out.push_str("createObject");
            let flat: Vec<Val> = entries
                .iter()
                .flat_map(|(key, item)| [Val::String(key.clone()), item.clone()])
                .collect();
            write_arguments(&flat, out, |item, out| write_value(item, out, depth + 1))?;
        }
        Val::Unknown(_) => return None,
    }
    Some(())
}

/// A float the lexer reads back as the same float: always with a fraction, never with an
/// exponent (an infinity is a literal too long for any float, as the parser reads it).
fn write_float(f: f64, out: &mut String) -> Option<()> {
    if f.is_nan() {
        return None;
    }
    if f.is_infinite() {
        let sign = if f < 0.0 { "-" } else { "" };
        let _ = write!(out, "{sign}1{}.0", "0".repeat(400));
        return Some(());
    }
    let text = f.to_string();
    out.push_str(&text);
    if !text.contains('.') {
        out.push_str(".0");
    }
    Some(())
}

fn write_string(text: &str, out: &mut String) {
    out.push('\'');
    out.push_str(&text.replace('\'', "''"));
    out.push('\'');
}

fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(is_ident_start) && chars.all(is_ident_continue)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::arm::expr::test_support::env;
    use crate::arm::expr::*;

    fn clear_offsets(expr: &mut Expr) {
        expr.offset = 0;
        match &mut expr.kind {
            Kind::Literal(_) => {}
            Kind::Call(call) => call.args.iter_mut().for_each(clear_offsets),
            Kind::Member { target, .. } => clear_offsets(target),
            Kind::Index { target, index, .. } => {
                clear_offsets(target);
                clear_offsets(index);
            }
        }
    }

    /// Parses `text`, prints the tree and parses the print: the same tree, and printing is stable.
    /// `None` for text that does not parse.
    fn round_trip(text: &str) -> Option<String> {
        let mut tree = parse(text).ok()?;
        let printed = print(&tree).unwrap_or_else(|| panic!("{text}: not printed"));
        let mut again =
            parse(&printed).unwrap_or_else(|e| panic!("{text}: printed as {printed}: {e}"));
        assert_eq!(print(&again).as_deref(), Some(printed.as_str()), "{text}");
        clear_offsets(&mut tree);
        clear_offsets(&mut again);
        assert_eq!(tree, again, "{text}: printed as {printed}");
        Some(printed)
    }

    #[test]
    fn prints_canonical_expressions() {
        let cases = [
            ("['it''s']", "['it''s']"),
            ("[ concat( 'a' ,\t'b' ) ]", "[concat('a', 'b')]"),
            ("['''''''']", "['''''''']"),
            ("[-7]", "[-7]"),
            ("[1.50]", "[1.5]"),
            ("[2.0]", "[2.0]"),
            ("[TRUE]", "[true]"),
            ("[null()]", "[null()]"),
            (
                "[parameters('a').b.?c['d'][?0][copyIndex()]]",
                "[parameters('a').b.?c['d'][?0][copyIndex()]]",
            ),
            ("[ns.fn(1)]", "[ns.fn(1)]"),
            ("[1.x]", "[1.x]"),
            ("['a]b'[0]]", "['a]b'[0]]"),
        ];
        for (text, expected) in cases {
            assert_eq!(round_trip(text).as_deref(), Some(expected), "{text}");
        }
    }

    #[test]
    fn trees_built_by_hand_print_or_say_why_not() {
        let literal = |value| Expr {
            offset: 0,
            kind: Kind::Literal(value),
        };
        let member = Expr {
            offset: 0,
            kind: Kind::Member {
                target: Box::new(literal(Val::Int(1))),
                name: "not an identifier".into(),
                safe: true,
            },
        };
        assert_eq!(print(&member).as_deref(), Some("[1[?'not an identifier']]"));
        let object = literal(Val::from_json(&serde_json::json!({"k": [1, "x"]})));
        let printed = print(&object).unwrap_or_default();
        assert_eq!(printed, "[createObject('k', createArray(1, 'x'))]");
        assert_eq!(
            evaluate(&printed, &env()).ok(),
            Some(Val::from_json(&serde_json::json!({"k": [1, "x"]})))
        );
        assert_eq!(
            print(&literal(Val::Float(f64::INFINITY))).map(|p| parse(&p).map(|e| e.kind)),
            Some(Ok(Kind::Literal(Val::Float(f64::INFINITY))))
        );
        assert_eq!(print(&literal(Val::Unknown("x".into()))), None);
        assert_eq!(print(&literal(Val::Float(f64::NAN))), None);
        let bad_name = Expr {
            offset: 0,
            kind: Kind::Call(Call {
                name: "a b".into(),
                key: "a b".into(),
                args: vec![],
            }),
        };
        assert_eq!(print(&bad_name), None);
    }

    /// The text of every double-quoted literal in `text` that decodes as a JSON string.
    fn quoted_strings(text: &str) -> Vec<String> {
        let mut found = Vec::new();
        let mut rest = text;
        while let Some(start) = rest.find('"') {
            let after = &rest[start + 1..];
            let mut end = None;
            let mut escaped = false;
            for (i, c) in after.char_indices() {
                match c {
                    _ if escaped => escaped = false,
                    '\\' => escaped = true,
                    '"' => {
                        end = Some(i);
                        break;
                    }
                    _ => {}
                }
            }
            let Some(end) = end else { break };
            let literal = &rest[start..start + end + 2];
            if let Ok(decoded) = serde_json::from_str::<String>(literal) {
                found.push(decoded);
            }
            rest = &after[end + 1..];
        }
        found
    }

    fn files_under(dir: &Path, extension: &str, out: &mut Vec<std::path::PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                files_under(&path, extension, out);
            } else if path.extension().is_some_and(|e| e == extension) {
                out.push(path);
            }
        }
    }

    /// Round-trips every expression in the files: returns how many parsed.
    fn round_trip_files(dir: &Path, extension: &str) -> usize {
        let mut files = Vec::new();
        files_under(dir, extension, &mut files);
        let mut count = 0;
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap_or_default();
            let text = text.replace("'\"'", "' '");
            for string in quoted_strings(&text) {
                if is_expression(&string) && round_trip(&string).is_some() {
                    count += 1;
                }
            }
        }
        count
    }

    #[test]
    fn every_expression_in_the_test_files_round_trips() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let in_testdata = round_trip_files(&root.join("testdata"), "json");
        assert!(
            in_testdata > 300,
            "only {in_testdata} expressions in testdata/"
        );
        let in_tests = round_trip_files(&root.join("src/arm/expr"), "rs");
        assert!(in_tests > 300, "only {in_tests} expressions in the tests");
        let corpus = root.join("../shared/corpus");
        if corpus.is_dir() {
            let in_corpus = round_trip_files(&corpus, "json");
            assert!(
                in_corpus > 1000,
                "only {in_corpus} expressions in the corpus"
            );
        } else {
            println!("skipped ../shared/corpus: not present");
        }
    }
}
