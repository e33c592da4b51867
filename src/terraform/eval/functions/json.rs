//! `jsonencode` and `jsondecode`.

use crate::terraform::eval::conversion::to_text;
use crate::terraform::eval::functions::exactly;
use crate::terraform::eval::value::{push_bounded, sorted_entries};
use crate::terraform::eval::{Eval, Halt, TfValue, invalid, number_to_string};

pub(super) fn jsonencode(args: Vec<TfValue>) -> Eval {
    let [value] = exactly("jsonencode", args)?;
    json_string(&value).map(TfValue::String)
}

pub(super) fn json_string(value: &TfValue) -> Result<String, Halt> {
    let mut out = String::new();
    write_json(value, &mut out)?;
    Ok(out)
}

/// JSON as Terraform writes it: object keys in order, HTML characters escaped.
pub(super) fn write_json(value: &TfValue, out: &mut String) -> Result<(), Halt> {
    match value {
        TfValue::Unknown(reason) => return Err(Halt::Unknown(reason.clone())),
        TfValue::Null => push_bounded(out, "null")?,
        TfValue::Bool(value) => push_bounded(out, if *value { "true" } else { "false" })?,
        TfValue::Number(number) => push_bounded(out, &number_to_string(*number))?,
        TfValue::String(text) => push_bounded(out, &quote_json(text, true))?,
        TfValue::List(items) => {
            push_bounded(out, "[")?;
            for (position, item) in items.iter().enumerate() {
                if position > 0 {
                    push_bounded(out, ",")?;
                }
                write_json(item, out)?;
            }
            push_bounded(out, "]")?;
        }
        TfValue::Object(entries) => {
            push_bounded(out, "{")?;
            for (position, (key, item)) in sorted_entries(entries).into_iter().enumerate() {
                if position > 0 {
                    push_bounded(out, ",")?;
                }
                push_bounded(out, &quote_json(key, true))?;
                push_bounded(out, ":")?;
                write_json(item, out)?;
            }
            push_bounded(out, "}")?;
        }
    }
    Ok(())
}

pub(super) fn quote_json(text: &str, escape_html: bool) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' if escape_html => {
                out.push_str(&format!("\\u{:04x}", u32::from(c)));
            }
            c if u32::from(c) < 0x20 => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

pub(super) fn jsondecode(args: Vec<TfValue>) -> Eval {
    let [text] = exactly("jsondecode", args)?;
    let json: serde_json::Value = serde_json::from_str(&to_text(&text)?)
        .map_err(|error| invalid(format!("invalid JSON: {error}")))?;
    from_json(json)
}

pub(super) fn yamldecode(args: Vec<TfValue>) -> Eval {
    let [text] = exactly("yamldecode", args)?;
    let yaml: serde_json::Value = serde_saphyr::from_str(&to_text(&text)?).map_err(|error| {
        invalid(format!(
            "invalid YAML: {}",
            crate::model::yaml::one_line(&error)
        ))
    })?;
    from_json(yaml)
}

pub(super) fn from_json(json: serde_json::Value) -> Eval {
    Ok(match json {
        serde_json::Value::Null => TfValue::Null,
        serde_json::Value::Bool(value) => TfValue::Bool(value),
        serde_json::Value::Number(number) => TfValue::Number(
            number
                .as_f64()
                .ok_or_else(|| invalid("a JSON number is out of range"))?,
        ),
        serde_json::Value::String(text) => TfValue::String(text),
        serde_json::Value::Array(items) => {
            TfValue::List(items.into_iter().map(from_json).collect::<Result<_, _>>()?)
        }
        serde_json::Value::Object(map) => {
            let mut entries = map
                .into_iter()
                .map(|(key, value)| Ok((key, from_json(value)?)))
                .collect::<Result<Vec<_>, Halt>>()?;
            entries.sort_by(|(a, _), (b, _)| a.cmp(b));
            TfValue::Object(entries)
        }
    })
}

#[cfg(test)]
mod tests {

    use crate::terraform::eval::test_support::*;
    use crate::terraform::eval::*;

    #[test]
    fn json_functions() {
        check(&[
            (
                "jsonencode({ b = [1, 2.5, null, true], a = \"<&>\" })",
                "\"{\\\"a\\\":\\\"\\\\u003c\\\\u0026\\\\u003e\\\",\\\"b\\\":[1,2.5,null,true]}\"",
            ),
            (
                "jsonencode(\"line\\nquote\\\"\")",
                "\"\\\"line\\\\nquote\\\\\\\"\\\"\"",
            ),
            (
                "jsondecode(\"{\\\"b\\\": [1, \\\"x\\\"], \\\"a\\\": null}\")",
                "{ a = null, b = [1, \"x\"] }",
            ),
            ("jsondecode(jsonencode(var.items)) == var.items", "true"),
        ]);
        check_unknown(&[
            ("jsonencode(var.half)", PENDING),
            ("jsonencode({ a = var.pending })", PENDING),
            ("jsondecode(var.pending)", PENDING),
        ]);
        check_error(
            ErrorKind::Invalid,
            &[
                ("jsondecode(\"{\")", "invalid JSON"),
                ("jsondecode(\"[1e999]\")", "invalid JSON"),
            ],
        );
    }

    #[test]
    fn yaml_decoding() {
        check(&[
            (
                "yamldecode(\"b: [1, x]\\na: null\\nc:\\n  d: true\\n\")",
                "{ a = null, b = [1, \"x\"], c = { d = true } }",
            ),
            ("yamldecode(\"- a\\n- b\\n\")[1]", "\"b\""),
        ]);
        check_unknown(&[("yamldecode(var.pending)", PENDING)]);
        check_error(
            ErrorKind::Invalid,
            &[
                ("yamldecode(\"a: [\")", "invalid YAML"),
                ("yamldecode(\"a: *missing\")", "invalid YAML"),
            ],
        );
    }
}
