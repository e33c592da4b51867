//! Conversions: `bool`, `int`, `float`, `string`, `json`, `array`.

use super::Args;
use crate::arm::expr::budget::{Fail, fail};
use crate::arm::expr::eval::Evaluator;
use crate::arm::expr::value::{Val, to_text};

pub(super) fn to_bool(_: &mut Evaluator<'_>, a: &mut Args<'_>) -> Result<Val, Fail> {
    a.count(1, 1)?;
    match a.arg(0)? {
        Val::Bool(b) => Ok(Val::Bool(*b)),
        Val::String(s) => Ok(Val::Bool(s.trim().eq_ignore_ascii_case("true"))),
        Val::Int(n) => Ok(Val::Bool(*n != 0)),
        _ => Err(a.wrong_type(0, "a string or an integer")),
    }
}

pub(super) fn to_int(_: &mut Evaluator<'_>, a: &mut Args<'_>) -> Result<Val, Fail> {
    a.count(1, 1)?;
    match a.arg(0)? {
        Val::Int(n) => Ok(Val::Int(*n)),
        Val::Float(f) if f.is_finite() && f.abs() < 9.0e18 => Ok(Val::Int(f.trunc() as i64)),
        Val::String(s) => s
            .trim()
            .parse()
            .map(Val::Int)
            .map_err(|_| fail(format!("`{}()` cannot convert `{s}` to an integer", a.name))),
        _ => Err(a.wrong_type(0, "a string or a number")),
    }
}

pub(super) fn to_float(_: &mut Evaluator<'_>, a: &mut Args<'_>) -> Result<Val, Fail> {
    a.count(1, 1)?;
    match a.arg(0)? {
        Val::Int(n) => Ok(Val::Float(*n as f64)),
        Val::Float(f) => Ok(Val::Float(*f)),
        Val::String(s) => s
            .trim()
            .parse()
            .map(Val::Float)
            .map_err(|_| fail(format!("`{}()` cannot convert `{s}` to a number", a.name))),
        _ => Err(a.wrong_type(0, "a string or a number")),
    }
}

pub(super) fn to_string(_: &mut Evaluator<'_>, a: &mut Args<'_>) -> Result<Val, Fail> {
    a.count(1, 1)?;
    to_text(a.arg(0)?).map(Val::String)
}

pub(super) fn json(ev: &mut Evaluator<'_>, a: &mut Args<'_>) -> Result<Val, Fail> {
    a.count(1, 1)?;
    let text = a.str(0)?;
    let parsed = serde_json::from_str::<serde_json::Value>(text)
        .or_else(|e| serde_json::from_str(&relax_json(text)).map_err(|_| e));
    match parsed {
        Ok(parsed) => ev.admit(Val::from_json(&parsed)),
        // .NET also reads numbers such as `.25`.
        Err(e) => match text.trim().parse::<f64>() {
            Ok(number) if number.is_finite() => Ok(Val::Float(number)),
            _ => Err(fail(format!(
                "`{}()` cannot parse its argument as JSON: {e}",
                a.name
            ))),
        },
    }
}

/// JSON without the comments and trailing commas that .NET's reader accepts (Bicep's
/// `loadJsonContent()` passes files with comments to `json()`).
pub(super) fn relax_json(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    let mut in_string = false;
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            match c {
                '\\' => out.extend(chars.next()),
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match (c, chars.peek()) {
            ('"', _) => {
                in_string = true;
                out.push(c);
            }
            ('/', Some('/')) => {
                chars.by_ref().find(|&c| c == '\n');
                out.push('\n');
            }
            ('/', Some('*')) => {
                chars.next();
                let mut previous = ' ';
                chars
                    .by_ref()
                    .find(|&c| std::mem::replace(&mut previous, c) == '*' && c == '/');
                out.push(' ');
            }
            (',', _) => {
                let rest = chars.clone().find(|c| !c.is_whitespace());
                if !matches!(rest, Some('}' | ']')) {
                    out.push(c);
                }
            }
            _ => out.push(c),
        }
    }
    out
}

pub(super) fn array(_: &mut Evaluator<'_>, a: &mut Args<'_>) -> Result<Val, Fail> {
    a.count(1, 1)?;
    match a.take(0) {
        Val::Array(items) => Ok(Val::Array(items)),
        other => Ok(Val::Array(vec![other])),
    }
}

#[cfg(test)]
mod tests {
    use crate::arm::expr::test_support::*;

    use serde_json::json;

    #[test]
    fn conversions() {
        check(&[
            ("[bool('TRUE')]", json!(true)),
            ("[bool('no')]", json!(false)),
            ("[bool(0)]", json!(false)),
            ("[bool(2)]", json!(true)),
            ("[int('42')]", json!(42)),
            ("[int(' -3 ')]", json!(-3)),
            ("[float('1.5')]", json!(1.5)),
            ("[string(true())]", json!("True")),
            ("[string(12)]", json!("12")),
            ("[string(null())]", json!("")),
            (
                "[string(createObject('a', createArray(1, true(), null(), 'q\"')))]",
                json!("{\"a\":[1,true,null,\"q\\\"\"]}"),
            ),
            (
                "[json('{\"a\": [1, 2.5, \"x\"]}')]",
                json!({"a": [1, 2.5, "x"]}),
            ),
            ("[json('null')]", json!(null)),
            ("[json('.25')]", json!(0.25)),
            (
                r#"[json('{ // note
 "a": [1, 2,], /* x */ "b": "//not a comment", }')]"#,
                json!({"a": [1, 2], "b": "//not a comment"}),
            ),
            ("[array('x')]", json!(["x"])),
            ("[array(createArray(1))]", json!([1])),
            ("[not(true())]", json!(false)),
        ]);
        assert!(
            error("[int('abc')]")
                .message
                .contains("cannot convert `abc`")
        );
        assert!(error("[json('{')]").message.contains("cannot parse"));
        assert!(error("[not('true')]").message.contains("a boolean"));
    }
}
