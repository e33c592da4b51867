//! Type conversion: Terraform's automatic conversions between strings, numbers and bools, and
//! between collections.

use crate::terraform::eval::{Halt, TfValue, invalid};

pub(super) fn to_bool(value: &TfValue) -> Result<bool, Halt> {
    match value {
        TfValue::Bool(value) => Ok(*value),
        TfValue::String(text) if text == "true" => Ok(true),
        TfValue::String(text) if text == "false" => Ok(false),
        other => Err(wrong_type(other, "cannot be used as a bool")),
    }
}

pub(super) fn to_number(value: &TfValue) -> Result<f64, Halt> {
    match value {
        TfValue::Number(number) => Ok(*number),
        TfValue::String(text) => parse_number(text)
            .ok_or_else(|| invalid(format!("the string {text:?} cannot be used as a number"))),
        other => Err(wrong_type(other, "cannot be used as a number")),
    }
}

pub(super) fn parse_number(text: &str) -> Option<f64> {
    let numeric = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-'));
    let number: f64 = text.parse().ok().filter(|_| numeric)?;
    number.is_finite().then_some(number)
}

/// A primitive value as a string, the way Terraform converts it.
pub(super) fn to_text(value: &TfValue) -> Result<String, Halt> {
    match value {
        TfValue::String(text) => Ok(text.clone()),
        TfValue::Number(number) => Ok(number_to_string(*number)),
        TfValue::Bool(value) => Ok(value.to_string()),
        other => Err(wrong_type(other, "cannot be used as a string")),
    }
}

/// The halt for a value of the wrong type; an unknown value stays unknown.
pub(super) fn wrong_type(value: &TfValue, problem: &str) -> Halt {
    match value {
        TfValue::Unknown(reason) => Halt::Unknown(reason.clone()),
        other => invalid(format!("a {} {problem}", describe_value(other))),
    }
}

pub(super) fn describe_value(value: &TfValue) -> &'static str {
    match value {
        TfValue::Null => "null value",
        other => other.type_name(),
    }
}

pub(in crate::terraform) fn number_to_string(number: f64) -> String {
    if number == 0.0 {
        "0".to_string()
    } else {
        number.to_string()
    }
}

/// A whole number from 0 up, for indexes.
pub(super) fn to_index(value: &TfValue) -> Result<usize, Halt> {
    let number = to_integer(value)?;
    usize::try_from(number).map_err(|_| invalid(format!("the index {number} is negative")))
}

pub(super) fn to_integer(value: &TfValue) -> Result<i64, Halt> {
    let number = to_number(value)?;
    if number.fract() != 0.0 || number.abs() > 9_007_199_254_740_992.0 {
        return Err(invalid(format!(
            "{} is not a whole number",
            number_to_string(number)
        )));
    }
    Ok(number as i64)
}

pub(super) fn as_list(value: &TfValue) -> Result<&[TfValue], Halt> {
    match value {
        TfValue::List(items) => Ok(items),
        other => Err(wrong_type(other, "is not a list")),
    }
}

pub(super) fn into_list(value: TfValue) -> Result<Vec<TfValue>, Halt> {
    match value {
        TfValue::List(items) => Ok(items),
        other => Err(wrong_type(&other, "is not a list")),
    }
}

pub(super) fn into_object(value: TfValue) -> Result<Vec<(String, TfValue)>, Halt> {
    match value {
        TfValue::Object(entries) => Ok(entries),
        other => Err(wrong_type(&other, "is not an object or map")),
    }
}

#[cfg(test)]
mod tests {

    use crate::terraform::eval::test_support::*;
    use crate::terraform::eval::*;

    #[test]
    fn conversion_functions() {
        check(&[
            ("tobool(\"true\")", "true"),
            ("tobool(false)", "false"),
            ("tobool(null)", "null"),
            ("tostring(5)", "\"5\""),
            ("tostring(0.5)", "\"0.5\""),
            ("tostring(true)", "\"true\""),
            ("tostring(null)", "null"),
            ("tonumber(\"1e3\")", "1000"),
            ("tonumber(\"-2.5\")", "-2.5"),
            ("tonumber(null)", "null"),
            ("tolist([1])", "[1]"),
            ("toset([\"b\", \"a\", \"b\"])", "[\"a\", \"b\"]"),
            ("toset([3, 1, 3])", "[1, 3]"),
            ("tomap({ a = 1 })", "{ a = 1 }"),
            ("sensitive(\"s\")", "\"s\""),
            ("nonsensitive(1)", "1"),
            ("\"x${-0}\"", "\"x0\""),
        ]);
        check_unknown(&[
            ("tobool(var.pending)", PENDING),
            ("tostring(var.pending)", PENDING),
            ("tonumber(var.pending)", PENDING),
            ("toset(var.half)", PENDING),
            ("tomap(var.pending)", PENDING),
            ("tolist(var.pending)", PENDING),
        ]);
        check_error(
            ErrorKind::Invalid,
            &[
                ("tobool(\"yes\")", "string cannot be used as a bool"),
                ("tostring([1])", "list cannot"),
                ("tonumber(\"inf\")", "\"inf\" cannot"),
                ("tonumber(\"1 \")", "cannot be used as a number"),
                ("tolist({ a = 1 })", "object is not a list"),
                ("tomap([1])", "list is not an object"),
            ],
        );
    }
}
