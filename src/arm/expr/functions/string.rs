//! String functions.

use super::{Args, type_error};
use crate::arm::expr::budget::{Fail, array_too_large, fail, string_too_large, units};
use crate::arm::expr::eval::Evaluator;
use crate::arm::expr::value::{Val, to_text, to_text_lossy};
use crate::arm::expr::{MAX_ARRAY_ITEMS, MAX_STRING_BYTES};

/// Concatenates arrays (when the first non-null argument is one) or the text of scalars.
pub(super) fn concat(ev: &mut Evaluator<'_>, a: &mut Args<'_>) -> Result<Val, Fail> {
    a.count(1, usize::MAX)?;
    let arrays = matches!(
        a.vals.iter().find(|v| **v != Val::Null),
        Some(Val::Array(_))
    );
    if arrays {
        let mut joined = Vec::new();
        for (i, value) in std::mem::take(&mut a.vals).into_iter().enumerate() {
            match value {
                Val::Array(items) => {
                    ev.budget.spend(units(items.len()))?;
                    joined.extend(items);
                }
                Val::Null => {}
                other => return Err(type_error(a.name, i, "an array", &other)),
            }
            if joined.len() > MAX_ARRAY_ITEMS {
                return Err(array_too_large());
            }
        }
        return Ok(Val::Array(joined));
    }
    let mut text = String::new();
    for (i, value) in a.vals.iter().enumerate() {
        if matches!(value, Val::Array(_) | Val::Object(_)) {
            return Err(type_error(a.name, i, "a string or a number", value));
        }
        text.push_str(&to_text(value)?);
        if text.len() > MAX_STRING_BYTES {
            return Err(string_too_large());
        }
    }
    Ok(Val::String(text))
}

pub(super) fn map_string(a: &mut Args<'_>, transform: fn(&str) -> String) -> Result<Val, Fail> {
    a.count(1, 1)?;
    string_result(transform(a.str(0)?))
}

pub(super) fn string_result(text: String) -> Result<Val, Fail> {
    if text.len() > MAX_STRING_BYTES {
        Err(string_too_large())
    } else {
        Ok(Val::String(text))
    }
}

pub(super) fn replace(_: &mut Evaluator<'_>, a: &mut Args<'_>) -> Result<Val, Fail> {
    a.count(3, 3)?;
    let (text, old, new) = (a.str(0)?, a.str(1)?, a.str(2)?);
    if old.is_empty() {
        return Err(fail(format!(
            "`{}()` cannot replace an empty string",
            a.name
        )));
    }
    let occurrences = text.matches(old).count();
    let growth = new.len().saturating_sub(old.len());
    if text
        .len()
        .saturating_add(occurrences.saturating_mul(growth))
        > MAX_STRING_BYTES
    {
        return Err(string_too_large());
    }
    Ok(Val::String(text.replace(old, new)))
}

/// .NET composite formatting: `{0}`, `{0,width}`, `{0:D3}`, with `{{` and `}}` for braces.
pub(super) fn format(_: &mut Evaluator<'_>, a: &mut Args<'_>) -> Result<Val, Fail> {
    a.count(1, usize::MAX)?;
    let template = a.str(0)?;
    let values = a.vals.get(1..).unwrap_or_default();
    let mut out = String::new();
    let mut chars = template.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.next_if_eq(&'{').is_some() => out.push('{'),
            '}' if chars.next_if_eq(&'}').is_some() => out.push('}'),
            '{' => {
                let mut spec = String::new();
                loop {
                    match chars.next() {
                        Some('}') => break,
                        Some(c) => spec.push(c),
                        None => {
                            return Err(fail(
                                "`format()` has an unclosed `{` in its format string",
                            ));
                        }
                    }
                }
                out.push_str(&format_item(&spec, values)?);
            }
            '}' => return Err(fail("`format()` has an unmatched `}` in its format string")),
            c => out.push(c),
        }
        if out.len() > MAX_STRING_BYTES {
            return Err(string_too_large());
        }
    }
    Ok(Val::String(out))
}

/// One `{index[,alignment][:format]}` placeholder, without its braces.
pub(super) fn format_item(spec: &str, values: &[Val]) -> Result<String, Fail> {
    let invalid = || {
        fail(format!(
            "`format()` has an invalid placeholder `{{{spec}}}`"
        ))
    };
    let (head, specifier) = match spec.split_once(':') {
        Some((head, specifier)) => (head, Some(specifier)),
        None => (spec, None),
    };
    let (index, alignment) = match head.split_once(',') {
        Some((index, alignment)) => (index, Some(alignment)),
        None => (head, None),
    };
    let index: usize = index.trim().parse().map_err(|_| invalid())?;
    let value = values.get(index).ok_or_else(|| {
        fail(format!(
            "`format()` placeholder `{{{index}}}` has no argument ({} given)",
            values.len()
        ))
    })?;
    let text = match specifier {
        Some(specifier) => format_with_specifier(value, specifier)?,
        None => to_text(value)?,
    };
    match alignment {
        None => Ok(text),
        Some(alignment) => {
            let width: i64 = alignment.trim().parse().map_err(|_| invalid())?;
            align(text, width)
        }
    }
}

pub(super) fn align(text: String, width: i64) -> Result<String, Fail> {
    let target = usize::try_from(width.unsigned_abs()).unwrap_or(usize::MAX);
    if target > MAX_STRING_BYTES {
        return Err(string_too_large());
    }
    let padding = " ".repeat(target.saturating_sub(text.chars().count()));
    Ok(if width < 0 {
        text + &padding
    } else {
        padding + &text
    })
}

/// The number specifiers `D`, `X`, `N`, `F`, `G` (with precision) and zero patterns like `000`;
/// strings and other values ignore the specifier like .NET does.
pub(super) fn format_with_specifier(value: &Val, specifier: &str) -> Result<String, Fail> {
    let unsupported = || {
        Fail::Unknown(format!(
            "format specifier `{specifier}` is not evaluated by acr-lint"
        ))
    };
    let number = match value {
        Val::Int(n) => *n as f64,
        Val::Float(f) => *f,
        other => return to_text(other),
    };
    let mut letters = specifier.chars();
    let kind = letters.next().unwrap_or('G');
    let digits = letters.as_str();
    let precision: Option<usize> = if digits.is_empty() {
        None
    } else {
        Some(
            digits
                .parse()
                .ok()
                .filter(|p| *p <= 100)
                .ok_or_else(unsupported)?,
        )
    };
    if !specifier.is_empty() && specifier.chars().all(|c| c == '0') {
        return Ok(zero_pad(value, specifier.len()).unwrap_or_else(|| to_text_lossy(value)));
    }
    let text = match (kind.to_ascii_uppercase(), value) {
        ('D', Val::Int(_)) => zero_pad(value, precision.unwrap_or(0)),
        ('X', Val::Int(n)) => {
            let hex = format!("{n:x}");
            let padded = format!("{hex:0>width$}", width = precision.unwrap_or(0));
            Some(if kind == 'X' {
                padded.to_uppercase()
            } else {
                padded
            })
        }
        ('F', _) => Some(format!("{number:.prec$}", prec = precision.unwrap_or(2))),
        ('N', _) => Some(group_thousands(&format!(
            "{number:.prec$}",
            prec = precision.unwrap_or(2)
        ))),
        ('G', _) if precision.is_none() => Some(to_text_lossy(value)),
        _ => None,
    };
    text.ok_or_else(unsupported)
}

pub(super) fn zero_pad(value: &Val, width: usize) -> Option<String> {
    let Val::Int(n) = value else { return None };
    let digits = format!("{:0>width$}", n.unsigned_abs());
    Some(if *n < 0 { format!("-{digits}") } else { digits })
}

/// `1234567.50` -> `1,234,567.50`.
pub(super) fn group_thousands(number: &str) -> String {
    let (sign, unsigned) = match number.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", number),
    };
    let (whole, fraction) = match unsigned.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (unsigned, None),
    };
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    match fraction {
        Some(fraction) => format!("{sign}{grouped}.{fraction}"),
        None => format!("{sign}{grouped}"),
    }
}

pub(super) fn split(ev: &mut Evaluator<'_>, a: &mut Args<'_>) -> Result<Val, Fail> {
    a.count(2, 2)?;
    let text = a.str(0)?;
    let delimiters: Vec<&str> = match a.arg(1)? {
        Val::String(delimiter) => vec![delimiter.as_str()],
        Val::Array(items) => items
            .iter()
            .map(|item| match item {
                Val::String(s) => Ok(s.as_str()),
                other => Err(type_error(a.name, 1, "an array of strings", other)),
            })
            .collect::<Result<_, _>>()?,
        _ => return Err(a.wrong_type(1, "a string or an array of strings")),
    };
    let delimiters: Vec<&str> = delimiters.into_iter().filter(|d| !d.is_empty()).collect();
    ev.budget
        .spend(units(text.len()).saturating_mul(units(delimiters.len())) / 8)?;
    let pieces = split_at_any(text, &delimiters);
    if pieces.len() > MAX_ARRAY_ITEMS {
        return Err(array_too_large());
    }
    Ok(Val::Array(
        pieces
            .into_iter()
            .map(|p| Val::String(p.to_string()))
            .collect(),
    ))
}

/// Splits at every occurrence of any delimiter (the first listed wins where several match), keeping
/// empty pieces like .NET `String.Split`.
pub(super) fn split_at_any<'t>(text: &'t str, delimiters: &[&str]) -> Vec<&'t str> {
    if let [delimiter] = delimiters {
        return text.split(*delimiter).collect();
    }
    let mut pieces = Vec::new();
    let mut start = 0;
    let mut rest_at = 0;
    while let Some(rest) = text.get(rest_at..).filter(|rest| !rest.is_empty()) {
        if let Some(delimiter) = delimiters.iter().find(|d| rest.starts_with(**d)) {
            pieces.push(text.get(start..rest_at).unwrap_or_default());
            rest_at += delimiter.len();
            start = rest_at;
        } else {
            rest_at += rest.chars().next().map_or(1, char::len_utf8);
        }
    }
    pieces.push(text.get(start..).unwrap_or_default());
    pieces
}

pub(super) fn join(_: &mut Evaluator<'_>, a: &mut Args<'_>) -> Result<Val, Fail> {
    a.count(2, 2)?;
    let (items, delimiter) = (a.array(0)?, a.str(1)?);
    let mut out = String::new();
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(delimiter);
        }
        out.push_str(&to_text(item)?);
        if out.len() > MAX_STRING_BYTES {
            return Err(string_too_large());
        }
    }
    Ok(Val::String(out))
}

pub(super) fn substring(_: &mut Evaluator<'_>, a: &mut Args<'_>) -> Result<Val, Fail> {
    a.count(2, 3)?;
    let text = a.str(0)?;
    let total = text.chars().count();
    let start = usize::try_from(a.int(1)?)
        .ok()
        .filter(|start| *start <= total)
        .ok_or_else(|| fail(format!("`{}()` start index is outside the string", a.name)))?;
    let count = match a.vals.len() {
        3 => usize::try_from(a.int(2)?)
            .ok()
            .filter(|count| start.saturating_add(*count) <= total)
            .ok_or_else(|| {
                fail(format!(
                    "`{}()` length runs past the end of the string",
                    a.name
                ))
            })?,
        _ => total - start,
    };
    Ok(Val::String(text.chars().skip(start).take(count).collect()))
}

/// `startsWith` and `endsWith`, which compare case-insensitively in ARM.
pub(super) fn affix(a: &mut Args<'_>, prefix: bool) -> Result<Val, Fail> {
    a.count(2, 2)?;
    let (text, affix) = (fold_case(a.str(0)?), fold_case(a.str(1)?));
    let found = if prefix {
        text.starts_with(&affix)
    } else {
        text.ends_with(&affix)
    };
    Ok(Val::Bool(found))
}

/// Lower-cases character by character, so positions in characters are kept.
pub(super) fn fold_case(text: &str) -> String {
    text.chars()
        .map(|c| {
            let mut lower = c.to_lowercase();
            match (lower.next(), lower.next()) {
                (Some(single), None) => single,
                _ => c,
            }
        })
        .collect()
}

pub(super) fn pad_left(_: &mut Evaluator<'_>, a: &mut Args<'_>) -> Result<Val, Fail> {
    a.count(2, 3)?;
    let text = match a.arg(0)? {
        value @ (Val::String(_) | Val::Int(_)) => to_text(value)?,
        _ => return Err(a.wrong_type(0, "a string or an integer")),
    };
    let width = usize::try_from(a.int(1)?.max(0)).unwrap_or(usize::MAX);
    if width > MAX_STRING_BYTES {
        return Err(string_too_large());
    }
    let pad = match a.vals.len() {
        3 => {
            let mut chars = a.str(2)?.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) => c,
                _ => {
                    return Err(fail(format!(
                        "`{}()` padding must be one character",
                        a.name
                    )));
                }
            }
        }
        _ => ' ',
    };
    let missing = width.saturating_sub(text.chars().count());
    Ok(Val::String(
        std::iter::repeat_n(pad, missing)
            .chain(text.chars())
            .collect(),
    ))
}

#[cfg(test)]
mod tests {
    use crate::arm::expr::test_support::*;
    use crate::arm::expr::*;
    use serde_json::json;

    #[test]
    fn concat_and_format() {
        check(&[
            ("[concat('vm', copyIndex())]", json!("vm2")),
            ("[concat('vm', copyIndex(1))]", json!("vm3")),
            ("[concat('vm', copyIndex('outer', 1))]", json!("vm8")),
            ("[concat('a', true(), null(), 1)]", json!("aTrue1")),
            (
                "[concat(createArray(1), createArray(2, 3), null())]",
                json!([1, 2, 3]),
            ),
            ("[format('{0}-{1}', 'a', 1)]", json!("a-1")),
            ("[format('{{literal}} {0}', 'x')]", json!("{literal} x")),
            (
                "[format('{0:D3}|{1:d2}|{2:D3}', 7, 123, -5)]",
                json!("007|123|-005"),
            ),
            ("[format('{0:X}|{0:x4}', 255)]", json!("FF|00ff")),
            (
                "[format('{0:N0}|{1:N2}|{0:F1}', 1234567, -1234)]",
                json!("1,234,567|-1,234.00|1234567.0"),
            ),
            ("[format('{0:000}|{1:G}', 5, 6)]", json!("005|6")),
            ("[format('[{0,5}|{0,-5}]', 'ab')]", json!("[   ab|ab   ]")),
            ("[format('{0:D5}', 'text')]", json!("text")),
            ("[format('{0}', createArray(1))]", json!("[1]")),
        ]);
        assert!(
            error("[concat('a', createArray())]")
                .message
                .contains("a string or a number")
        );
        assert!(
            error("[concat(createArray(), 'a')]")
                .message
                .contains("an array")
        );
        assert!(
            error("[format('{2}', 'a')]")
                .message
                .contains("has no argument")
        );
        assert!(error("[format('{0', 'a')]").message.contains("unclosed"));
        assert!(error("[format('a}', 'a')]").message.contains("unmatched"));
        assert!(
            error("[format('{x}', 'a')]")
                .message
                .contains("invalid placeholder")
        );
        assert!(unknown("[format('{0:C}', 5)]").contains("`C`"));
        assert_eq!(
            unknown("[copyIndex('inner')]"),
            "`copyIndex('inner')` is only known inside that copy loop"
        );
        let no_loop = TestEnv {
            copy_index: None,
            ..env()
        };
        assert!(matches!(
            evaluate("[copyIndex()]", &no_loop),
            Ok(Val::Unknown(_))
        ));
    }

    #[test]
    fn string_functions() {
        check(&[
            ("[toLower('AbC')]", json!("abc")),
            ("[toUpper('AbC')]", json!("ABC")),
            ("[trim('  a b  ')]", json!("a b")),
            ("[replace('a-b-c', '-', '')]", json!("abc")),
            ("[split('a/b//c', '/')]", json!(["a", "b", "", "c"])),
            (
                "[split('a,b;c', createArray(',', ';'))]",
                json!(["a", "b", "c"]),
            ),
            (
                "[join(createArray('a', 1, true()), '-')]",
                json!("a-1-True"),
            ),
            ("[first('abc')]", json!("a")),
            ("[last('abc')]", json!("c")),
            ("[first(createArray())]", json!(null)),
            ("[last(parameters('list'))]", json!("three")),
            ("[substring('hello', 1, 3)]", json!("ell")),
            ("[substring('hello', 2)]", json!("llo")),
            ("[substring('héllo', 1, 1)]", json!("é")),
            ("[startsWith('Microsoft.X', 'microsoft')]", json!(true)),
            ("[endsWith('abc', 'BC')]", json!(true)),
            ("[endsWith('abc', 'x')]", json!(false)),
            ("[indexOf('abcabc', 'BC')]", json!(1)),
            ("[lastIndexOf('abcabc', 'bc')]", json!(4)),
            ("[indexOf('abc', 'z')]", json!(-1)),
            ("[indexOf(parameters('list'), 'two')]", json!(1)),
            ("[lastIndexOf(createArray(1, 2, 1), 1)]", json!(2)),
            ("[skip('abcdef', 4)]", json!("ef")),
            ("[take('abcdef', 2)]", json!("ab")),
            ("[skip(parameters('list'), 2)]", json!(["three"])),
            ("[take(parameters('list'), -1)]", json!([])),
            ("[padLeft('7', 3, '0')]", json!("007")),
            ("[padLeft(42, 4)]", json!("  42")),
            ("[length('héllo')]", json!(5)),
            ("[contains('OneTwo', 'Two')]", json!(true)),
            ("[contains('OneTwo', 'two')]", json!(false)),
            ("[empty('')]", json!(true)),
            ("[empty(null())]", json!(true)),
            ("[empty(createObject())]", json!(true)),
            ("[base64('one, two, three')]", json!("b25lLCB0d28sIHRocmVl")),
            (
                "[base64ToString('b25lLCB0d28sIHRocmVl')]",
                json!("one, two, three"),
            ),
        ]);
        assert!(
            error("[substring('abc', 2, 5)]")
                .message
                .contains("past the end")
        );
        assert!(
            error("[substring('abc', 4)]")
                .message
                .contains("start index")
        );
        assert!(
            error("[replace('a', '', 'b')]")
                .message
                .contains("empty string")
        );
        assert!(
            error("[padLeft('a', 3, 'xy')]")
                .message
                .contains("one character")
        );
        assert!(
            error("[length(1)]")
                .message
                .contains("an array, an object or a string")
        );
    }
}
