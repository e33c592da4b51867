//! The ARM template expression evaluator: lexer, parser and every function, with a few
//! parameters and variables of each type in scope.
#![no_main]

use acr_lint::arm::expr::{self, Env, Val};
use libfuzzer_sys::fuzz_target;

struct Fixed;

impl Env for Fixed {
    fn parameter(&self, name: &str) -> Option<Val> {
        value(name)
    }

    fn variable(&self, name: &str) -> Option<Val> {
        value(name)
    }

    fn copy_index(&self, _loop_name: Option<&str>) -> Option<i64> {
        Some(1)
    }
}

/// `s`, `i`, `b`, `a`, `o`, `n` and `u` are a string, integer, boolean, array, object, null and
/// unknown value; other names are not declared.
fn value(name: &str) -> Option<Val> {
    Some(match name {
        "s" => Val::String("Premium".into()),
        "i" => Val::Int(3),
        "b" => Val::Bool(true),
        "a" => Val::Array(vec![Val::Int(1), Val::String("x".into()), Val::Null]),
        "o" => Val::Object(vec![
            ("Name".into(), Val::String("acr".into())),
            ("nested".into(), Val::Object(vec![("k".into(), Val::Bool(false))])),
        ]),
        "n" => Val::Null,
        "u" => Val::Unknown("parameter `u` has no value".into()),
        _ => return None,
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // Most inputs should be expressions: bracket them unless they already are.
    let text = if expr::is_expression(text) {
        text.to_string()
    } else {
        format!("[{text}]")
    };
    if let Err(error) = expr::evaluate(&text, &Fixed) {
        assert!(error.offset <= text.len());
    }
    let _ = expr::check_syntax(&text);
});
