//! The Terraform expression evaluator on every attribute of a parsed body, with variables,
//! locals and references of each type in scope.
#![no_main]

use acr_lint::terraform::eval::{self, PathStep, Scope, TfValue};
use libfuzzer_sys::fuzz_target;

struct Fixed;

/// `s`, `n`, `b`, `l`, `o`, `z` and `u` are a string, number, boolean, list, object, null and
/// unknown value; other names are not declared.
fn value(name: &str) -> Option<TfValue> {
    Some(match name {
        "s" => TfValue::String("Premium".into()),
        "n" => TfValue::Number(3.0),
        "b" => TfValue::Bool(true),
        "l" => TfValue::List(vec![TfValue::Number(1.0), TfValue::String("x".into())]),
        "o" => TfValue::Object(vec![
            ("name".into(), TfValue::String("acr".into())),
            ("list".into(), TfValue::List(vec![TfValue::Bool(false)])),
        ]),
        "z" => TfValue::Null,
        "u" => TfValue::Unknown("variable `u` has no value".into()),
        _ => return None,
    })
}

impl Scope for Fixed {
    fn variable(&self, name: &str) -> Option<TfValue> {
        value(name)
    }

    fn local(&self, name: &str) -> Option<TfValue> {
        value(name)
    }

    fn reference(&self, root: &str, path: &[PathStep]) -> Option<TfValue> {
        match root {
            "each" | "count" => Some(TfValue::Object(vec![
                ("key".into(), TfValue::String("k".into())),
                ("value".into(), TfValue::Number(2.0)),
                ("index".into(), TfValue::Number(0.0)),
            ]))
            .and_then(|v| v.at_path(path).cloned()),
            _ => match path.first() {
                Some(PathStep::Attr(name)) => value(name),
                _ => None,
            },
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // An expression alone is the value of an attribute.
    let body = acr_lint::terraform::parse(text)
        .or_else(|_| acr_lint::terraform::parse(&format!("x = {text}\n")));
    let Ok(body) = body else {
        return;
    };
    let mut bodies = vec![&body];
    while let Some(body) = bodies.pop() {
        for attribute in body.attributes() {
            let _ = eval::try_evaluate(&attribute.value, &Fixed);
            let _ = eval::reference_of(&attribute.value);
        }
        bodies.extend(body.blocks().map(|block| &block.body));
    }
});
