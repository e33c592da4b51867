//! `format`: Terraform's printf-style verbs.

use super::json::{json_string, quote_json};
use crate::terraform::eval::conversion::{to_bool, to_integer, to_number, to_text};
use crate::terraform::eval::value::push_bounded;
use crate::terraform::eval::{Eval, Halt, MAX_STRING_BYTES, TOO_LARGE, TfValue, invalid};

pub(super) fn format_call(args: Vec<TfValue>) -> Eval {
    let mut args = args.into_iter();
    let spec = args
        .next()
        .ok_or_else(|| invalid("`format` takes a format string"))?;
    let values: Vec<TfValue> = args.collect();
    format_values(&to_text(&spec)?, &values).map(TfValue::String)
}

/// A `%` verb: flags, width and precision, and the verb letter.
#[derive(Default)]
pub(super) struct Verb {
    left: bool,
    zero: bool,
    plus: bool,
    width: usize,
    precision: Option<usize>,
    letter: char,
}

pub(super) fn format_values(spec: &str, values: &[TfValue]) -> Result<String, Halt> {
    let mut out = String::new();
    let mut chars = spec.chars().peekable();
    let mut used = 0;
    while let Some(c) = chars.next() {
        if c != '%' {
            push_bounded(&mut out, c.encode_utf8(&mut [0; 4]))?;
            continue;
        }
        if chars.next_if_eq(&'%').is_some() {
            push_bounded(&mut out, "%")?;
            continue;
        }
        let verb = parse_verb(&mut chars)?;
        let value = values
            .get(used)
            .ok_or_else(|| invalid("the format string needs more arguments than were given"))?;
        used += 1;
        push_bounded(&mut out, &render_verb(&verb, value)?)?;
    }
    if used < values.len() {
        return Err(invalid(format!(
            "{} arguments given but the format string uses {used}",
            values.len()
        )));
    }
    Ok(out)
}

pub(super) fn parse_verb(
    chars: &mut std::iter::Peekable<std::str::Chars<'_>>,
) -> Result<Verb, Halt> {
    let mut verb = Verb::default();
    while let Some(flag) = chars.next_if(|c| matches!(c, '-' | '0' | '+' | ' ' | '#')) {
        match flag {
            '-' => verb.left = true,
            '0' => verb.zero = true,
            '+' => verb.plus = true,
            _ => {}
        }
    }
    verb.width = parse_count(chars)?.unwrap_or(0);
    if chars.next_if_eq(&'.').is_some() {
        verb.precision = Some(parse_count(chars)?.unwrap_or(0));
    }
    verb.letter = match chars.next() {
        Some('[' | '*') => {
            return Err(Halt::Unknown(
                "`format` argument indexes and `*` widths are not evaluated".into(),
            ));
        }
        Some(letter) => letter,
        None => return Err(invalid("the format string ends in the middle of a verb")),
    };
    Ok(verb)
}

pub(super) fn parse_count(
    chars: &mut std::iter::Peekable<std::str::Chars<'_>>,
) -> Result<Option<usize>, Halt> {
    let mut count: Option<usize> = None;
    while let Some(digit) = chars
        .next_if(char::is_ascii_digit)
        .and_then(|c| c.to_digit(10))
    {
        let next = count
            .unwrap_or(0)
            .saturating_mul(10)
            .saturating_add(digit as usize);
        if next > MAX_STRING_BYTES {
            return Err(Halt::Limit(TOO_LARGE));
        }
        count = Some(next);
    }
    Ok(count)
}

pub(super) fn render_verb(verb: &Verb, value: &TfValue) -> Result<String, Halt> {
    let numeric = matches!(verb.letter, 'd' | 'f');
    let body = match verb.letter {
        's' => {
            let text = non_null_text(value)?;
            match verb.precision {
                Some(precision) => text.chars().take(precision).collect(),
                None => text,
            }
        }
        'v' => match value {
            TfValue::Null => "null".to_string(),
            TfValue::List(_) | TfValue::Object(_) => json_string(value)?,
            other => to_text(other)?,
        },
        'q' => quote_json(&non_null_text(value)?, false),
        't' => to_bool(value)?.to_string(),
        'd' => signed(verb, to_integer(value)?.to_string()),
        'f' => {
            let precision = verb.precision.unwrap_or(6).min(100);
            signed(verb, format!("{:.*}", precision, to_number(value)?))
        }
        other => {
            return Err(Halt::Unknown(format!(
                "format verb `%{other}` is not evaluated"
            )));
        }
    };
    Ok(pad(verb, body, numeric))
}

pub(super) fn non_null_text(value: &TfValue) -> Result<String, Halt> {
    match value {
        TfValue::Null => Err(invalid("a null value cannot be formatted")),
        other => to_text(other),
    }
}

pub(super) fn signed(verb: &Verb, digits: String) -> String {
    if verb.plus && !digits.starts_with('-') {
        format!("+{digits}")
    } else {
        digits
    }
}

pub(super) fn pad(verb: &Verb, body: String, numeric: bool) -> String {
    let missing = verb.width.saturating_sub(body.chars().count());
    if missing == 0 {
        return body;
    }
    if verb.left {
        return body + &" ".repeat(missing);
    }
    if verb.zero && numeric {
        let sign_len = usize::from(body.starts_with(['-', '+']));
        let (sign, digits) = body.split_at_checked(sign_len).unwrap_or(("", &body));
        return format!("{sign}{}{digits}", "0".repeat(missing));
    }
    " ".repeat(missing) + &body
}

#[cfg(test)]
mod tests {

    use crate::terraform::eval::test_support::*;
    use crate::terraform::eval::*;

    #[test]
    fn format_function() {
        check(&[
            ("format(\"%s-%d\", \"acr\", 7)", "\"acr-7\""),
            (
                "format(\"%v|%v|%v|%v\", \"a\", 1.5, true, null)",
                "\"a|1.5|true|null\"",
            ),
            (
                "format(\"%v\", { b = [1], a = \"<\" })",
                "\"{\\\"a\\\":\\\"\\\\u003c\\\",\\\"b\\\":[1]}\"",
            ),
            (
                "format(\"%q %t %%\", \"x\\\"y\", \"true\")",
                "\"\\\"x\\\\\\\"y\\\" true %\"",
            ),
            (
                "format(\"[%5s][%-5s][%05d][%+d][%.2f][%.1s]\", \"ab\", \"ab\", -42, 3, 3.14159, \"xyz\")",
                "\"[   ab][ab   ][-0042][+3][3.14][x]\"",
            ),
            ("format(\"%d\", \"12\")", "\"12\""),
        ]);
        check_unknown(&[
            ("format(\"%s\", var.pending)", PENDING),
            ("format(var.pending, 1)", PENDING),
            ("format(\"%x\", 255)", "format verb `%x`"),
            ("format(\"%[1]s\", \"a\")", "argument indexes"),
        ]);
        check_error(
            ErrorKind::Invalid,
            &[
                ("format(\"%s %s\", \"a\")", "more arguments"),
                ("format(\"%s\", \"a\", \"b\")", "2 arguments given"),
                ("format(\"%d\", 1.5)", "whole number"),
                ("format(\"%s\", null)", "null value cannot be formatted"),
                ("format(\"%\")", "middle of a verb"),
                ("format()", "format string"),
            ],
        );
    }
}
