//! String functions.

use crate::terraform::eval::conversion::{as_list, to_integer, to_text};
use crate::terraform::eval::functions::exactly;
use crate::terraform::eval::value::push_bounded;
use crate::terraform::eval::{
    Eval, Halt, MAX_ITEMS, MAX_STRING_BYTES, TOO_LARGE, TfValue, invalid,
};

pub(super) fn map_text(name: &str, args: Vec<TfValue>, f: impl Fn(&str) -> String) -> Eval {
    let [text] = exactly(name, args)?;
    Ok(TfValue::String(f(&to_text(&text)?)))
}

pub(super) fn trim_with(name: &str, args: Vec<TfValue>, f: impl Fn(&str, &str) -> String) -> Eval {
    let [text, other] = exactly(name, args)?;
    Ok(TfValue::String(f(&to_text(&text)?, &to_text(&other)?)))
}

pub(super) fn text_test(name: &str, args: Vec<TfValue>, f: impl Fn(&str, &str) -> bool) -> Eval {
    let [text, other] = exactly(name, args)?;
    Ok(TfValue::Bool(f(&to_text(&text)?, &to_text(&other)?)))
}

/// Go's `strings.Title`: upper-cases the first letter of each word.
pub(super) fn title_case(text: &str) -> String {
    let mut previous = ' ';
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if is_word_separator(previous) {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        previous = c;
    }
    out
}

pub(super) fn is_word_separator(c: char) -> bool {
    if c.is_ascii() {
        !(c.is_ascii_alphanumeric() || c == '_')
    } else {
        !c.is_alphanumeric() && c.is_whitespace()
    }
}

pub(super) fn replace(args: Vec<TfValue>) -> Eval {
    let [text, search, replacement] = exactly("replace", args)?;
    let (text, search, replacement) = (to_text(&text)?, to_text(&search)?, to_text(&replacement)?);
    if search.len() > 1 && search.starts_with('/') && search.ends_with('/') {
        return Ok(TfValue::Unknown(
            "`replace` with a regular expression is not evaluated".into(),
        ));
    }
    let matches = if search.is_empty() {
        text.chars().count() + 1
    } else {
        text.matches(search.as_str()).count()
    };
    let size = text
        .len()
        .saturating_sub(matches.saturating_mul(search.len()))
        .saturating_add(matches.saturating_mul(replacement.len()));
    if size > MAX_STRING_BYTES {
        return Err(Halt::Limit(TOO_LARGE));
    }
    Ok(TfValue::String(text.replace(search.as_str(), &replacement)))
}

/// `substr(text, offset, length)` in characters; a negative offset counts from the end and a
/// negative length means "to the end".
pub(super) fn substr(args: Vec<TfValue>) -> Eval {
    let [text, offset, length] = exactly("substr", args)?;
    let text = to_text(&text)?;
    let (offset, length) = (to_integer(&offset)?, to_integer(&length)?);
    let count = i64::try_from(text.chars().count()).unwrap_or(i64::MAX);
    let start = if offset < 0 {
        count.saturating_add(offset).max(0)
    } else {
        offset
    };
    if start > count {
        return Err(invalid("the offset is beyond the end of the string"));
    }
    let take = if length < 0 { count } else { length };
    let start = usize::try_from(start).unwrap_or(usize::MAX);
    let take = usize::try_from(take).unwrap_or(usize::MAX);
    Ok(TfValue::String(
        text.chars().skip(start).take(take).collect(),
    ))
}

pub(super) fn join(args: Vec<TfValue>) -> Eval {
    let mut args = args.into_iter();
    let separator = args
        .next()
        .ok_or_else(|| invalid("`join` takes a separator and lists"))?;
    let separator = to_text(&separator)?;
    let mut out = String::new();
    let mut lists = 0;
    let mut first = true;
    for list in args {
        lists += 1;
        for item in as_list(&list)? {
            if let TfValue::Null = item {
                return Err(invalid("a list element is null"));
            }
            if !first {
                push_bounded(&mut out, &separator)?;
            }
            first = false;
            push_bounded(&mut out, &to_text(item)?)?;
        }
    }
    if lists == 0 {
        return Err(invalid("`join` takes a separator and at least one list"));
    }
    Ok(TfValue::String(out))
}

pub(super) fn split(args: Vec<TfValue>) -> Eval {
    let [separator, text] = exactly("split", args)?;
    let (separator, text) = (to_text(&separator)?, to_text(&text)?);
    let parts = if separator.is_empty() {
        text.chars().count()
    } else {
        text.matches(separator.as_str()).count() + 1
    };
    if parts > MAX_ITEMS {
        return Err(Halt::Limit(TOO_LARGE));
    }
    let items = if separator.is_empty() {
        text.chars()
            .map(|c| TfValue::String(c.to_string()))
            .collect()
    } else {
        text.split(separator.as_str())
            .map(|part| TfValue::String(part.to_string()))
            .collect()
    };
    Ok(TfValue::List(items))
}

#[cfg(test)]
mod tests {

    use crate::terraform::eval::test_support::*;
    use crate::terraform::eval::*;

    #[test]
    fn string_functions() {
        check(&[
            ("lower(\"ACR\")", "\"acr\""),
            ("upper(var.name)", "\"ACR\""),
            (
                "title(\"hello world-wide_web\")",
                "\"Hello World-Wide_web\"",
            ),
            ("trimspace(\"  a b \\n\")", "\"a b\""),
            ("trim(\"?!hello?!\", \"!?\")", "\"hello\""),
            ("trimprefix(\"acr-prod\", \"acr-\")", "\"prod\""),
            ("trimprefix(\"prod\", \"acr-\")", "\"prod\""),
            ("trimsuffix(\"acr-prod\", \"-prod\")", "\"acr\""),
            ("replace(\"a-b-c\", \"-\", \"\")", "\"abc\""),
            ("replace(\"ab\", \"\", \"-\")", "\"-a-b-\""),
            ("startswith(\"acrprod\", \"acr\")", "true"),
            ("endswith(\"acrprod\", \"acr\")", "false"),
            ("substr(\"hello world\", 1, 4)", "\"ello\""),
            ("substr(\"hello world\", -5, -1)", "\"world\""),
            ("substr(\"héllo\", 1, 100)", "\"éllo\""),
            ("join(\",\", [\"a\", \"b\"], [\"c\"])", "\"a,b,c\""),
            ("join(\",\", [])", "\"\""),
            ("split(\",\", \"a,b,,c\")", "[\"a\", \"b\", \"\", \"c\"]"),
            ("split(\"\", \"ab\")", "[\"a\", \"b\"]"),
            ("split(\",\", \"\")", "[\"\"]"),
            ("length(\"héllo\")", "5"),
        ]);
        check_unknown(&[
            ("lower(var.pending)", PENDING),
            ("trim(var.pending, \" \")", PENDING),
            ("replace(\"x\", var.pending, \"y\")", PENDING),
            ("join(\",\", var.half)", PENDING),
            ("split(\",\", var.pending)", PENDING),
            ("substr(var.pending, 0, 1)", PENDING),
            ("startswith(var.pending, \"a\")", PENDING),
            ("replace(\"abc\", \"/b/\", \"x\")", "regular expression"),
        ]);
        check_error(
            ErrorKind::Invalid,
            &[
                (
                    "lower([1])",
                    "invalid call to `lower`: a list cannot be used as a string",
                ),
                ("lower(\"a\", \"b\")", "`lower` takes 1 argument, got 2"),
                ("upper(null)", "null value cannot"),
                ("join(\",\")", "at least one list"),
                ("join(\",\", [null])", "null"),
                ("substr(\"abc\", 5, 1)", "beyond the end"),
            ],
        );
    }
}
