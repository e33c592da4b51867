//! Reading inline suppression directives: `acr-lint:ignore` comments in Terraform (in JSON
//! syntax, `"//"` properties, written as comments when it is read as native syntax) and Bicep,
//! and `metadata.acr-lint.ignore` entries in ARM templates. The rules a directive names are kept
//! as written (ids or slugs): they are looked up in the rule catalogue when suppressions apply.

use hcl_edit::Span as _;
use hcl_edit::structure::{Body, Structure};

use super::suppression::{Covers, Date};
use super::{Node, Value};
use crate::source::{FileId, Span};

/// An inline suppression as written in a file, before the rules it names are looked up.
#[derive(Debug, Clone)]
pub struct Directive {
    /// Where it is written.
    pub span: Span,
    /// The rule ids or slugs it names, as written; empty when it could not be read that far.
    pub rules: Vec<String>,
    /// What the rest of it says, or why it cannot be read. The rules come first: one that is
    /// unknown is the error to report, whatever follows it.
    pub terms: Result<Terms, String>,
}

/// The reason, expiry and coverage of a directive that could be read.
#[derive(Debug, Clone)]
pub struct Terms {
    pub reason: String,
    pub until: Option<Date>,
    pub covers: Covers,
}

/// The reason and expiry of a directive (`reason="…" [until=YYYY-MM-DD]`).
type ReasonAndExpiry = (String, Option<Date>);

const MARKER: &str = "acr-lint:ignore";

/// The error of a directive or configuration entry that names no rule.
pub const NO_RULE: &str = "a suppression needs a rule id";

/// The rule keys of a comment directive (`ACR001[,no-admin-user] reason="…" [until=…]`) and
/// what follows them.
fn parse_directive(text: &str) -> (Vec<String>, Result<ReasonAndExpiry, String>) {
    let rest = text.trim_start();
    let (ids, rest) = rest.split_at(rest.find(char::is_whitespace).unwrap_or(rest.len()));
    if ids.is_empty() {
        let message = "a suppression needs a rule id, e.g. `acr-lint:ignore ACR001 reason=\"…\"`";
        return (Vec::new(), Err(message.into()));
    }
    let rules: Vec<String> = ids
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect();
    if rules.is_empty() {
        return (rules, Err(NO_RULE.into()));
    }
    (rules, parse_terms(rest))
}

/// `reason="…"` and `until=YYYY-MM-DD` in any order.
fn parse_terms(mut rest: &str) -> Result<ReasonAndExpiry, String> {
    let mut reason = None;
    let mut until = None;
    loop {
        rest = rest.trim_start();
        if rest.is_empty() {
            break;
        }
        if let Some(after) = rest.strip_prefix("reason=") {
            let (value, remaining) =
                quoted(after).ok_or("`reason` needs a double-quoted text".to_string())?;
            reason = Some(value);
            rest = remaining;
        } else if let Some(after) = rest.strip_prefix("until=") {
            let end = after.find(char::is_whitespace).unwrap_or(after.len());
            let (value, remaining) = after.split_at(end);
            let date = Date::parse(value.trim_matches('"'))
                .ok_or(format!("`until={value}` is not a date (YYYY-MM-DD)"))?;
            until = Some(date);
            rest = remaining;
        } else {
            let word = rest.split_whitespace().next().unwrap_or(rest);
            return Err(format!(
                "unexpected `{word}` in suppression; expected `reason=\"…\"` or `until=YYYY-MM-DD`"
            ));
        }
    }
    let reason = reason
        .filter(|r| !r.trim().is_empty())
        .ok_or("a suppression needs a reason: `reason=\"…\"`".to_string())?;
    Ok((reason, until))
}

/// A double-quoted string with `\"` escapes, and the text after it.
fn quoted(text: &str) -> Option<(String, &str)> {
    let body = text.strip_prefix('"')?;
    let mut value = String::new();
    let mut chars = body.char_indices();
    while let Some((index, c)) = chars.next() {
        match c {
            '\\' => value.push(chars.next()?.1),
            '"' => return Some((value, body.get(index + 1..)?)),
            other => value.push(other),
        }
    }
    None
}

/// The suppression comments of a Terraform file. Each covers the resource, block or attribute
/// that starts on the first line below it that is not a comment.
pub fn from_hcl(body: &Body, text: &str, file: FileId, unit: &str) -> Vec<Directive> {
    let structures = spanned(body);
    from_comment_lines(text, file, &|offset| {
        covered_among(&structures, offset, file, unit)
    })
}

/// The structures of a body with their spans, in the order they are written (which is the order
/// of their spans: they do not overlap).
fn spanned(body: &Body) -> Vec<(std::ops::Range<usize>, &Structure)> {
    body.iter()
        .filter_map(|structure| Some((structure.span()?, structure)))
        .collect()
}

/// The suppression comments of a Bicep file (`//` or `/* */` on a line of their own). Each
/// covers the structure of `structures` (a resource, module, declaration or property, by span,
/// with what a suppression above it covers) that starts on the first line below it that is not
/// a comment.
pub fn from_bicep(text: &str, file: FileId, structures: &[(Span, Covers)]) -> Vec<Directive> {
    let mut first_at: foldhash::HashMap<usize, &Covers> = Default::default();
    for (span, covers) in structures {
        first_at.entry(span.start).or_insert(covers);
    }
    from_comment_lines(text, file, &|offset| {
        first_at.get(&offset).map(|c| (*c).clone())
    })
}

/// Whether `text` has an `acr-lint:ignore` comment anywhere: without one, a file has no comment
/// directives, well formed or not.
pub fn has_comment_directives(text: &str) -> bool {
    static MARKER_FINDER: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::Finder::new(MARKER));
    MARKER_FINDER.find(text.as_bytes()).is_some()
}

/// Reads the `acr-lint:ignore` comment lines of a file; `target` gives what a suppression
/// above the structure starting at a byte offset covers.
fn from_comment_lines(
    text: &str,
    file: FileId,
    target: &dyn Fn(usize) -> Option<Covers>,
) -> Vec<Directive> {
    if !has_comment_directives(text) {
        return Vec::new();
    }
    let mut found = Vec::new();
    let lines: Vec<(usize, &str)> = line_offsets(text);
    for (index, &(start, line)) in lines.iter().enumerate() {
        let trimmed = line.trim_start();
        let Some(comment) = comment_text(trimmed) else {
            continue;
        };
        let Some(at) = comment.find(MARKER) else {
            continue;
        };
        let span = Span::new(
            file,
            start + (line.len() - trimmed.len()),
            start + line.trim_end().len(),
        );
        let (rules, parsed) = parse_directive(comment.get(at + MARKER.len()..).unwrap_or(""));
        let target = lines
            .iter()
            .skip(index + 1)
            .find(|(_, l)| {
                let t = l.trim();
                !t.is_empty() && comment_text(t).is_none()
            })
            .and_then(|&(offset, l)| target(offset + (l.len() - l.trim_start().len())));
        let terms = match (parsed, target) {
            (Ok((reason, until)), Some(covers)) => Ok(Terms {
                reason,
                until,
                covers,
            }),
            (Err(message), _) => Err(message),
            (Ok(_), None) => Err("a suppression must stand on the line above a resource, block, attribute or module call".into()),
        };
        found.push(Directive { span, rules, terms });
    }
    found
}

/// The text of a comment line (`#`, `//`, or a one-line `/* */`), without its delimiters.
fn comment_text(trimmed: &str) -> Option<&str> {
    trimmed
        .strip_prefix('#')
        .or_else(|| trimmed.strip_prefix("//"))
        .or_else(|| {
            let inner = trimmed.strip_prefix("/*")?;
            Some(inner.trim_end().strip_suffix("*/").unwrap_or(inner))
        })
}

fn line_offsets(text: &str) -> Vec<(usize, &str)> {
    let mut offset = 0;
    text.split_inclusive('\n')
        .map(|line| {
            let start = offset;
            offset += line.len();
            (start, line.trim_end_matches(['\n', '\r']))
        })
        .collect()
}

/// What a suppression above the structure starting at `offset` covers, among `structures` (see
/// [`spanned`]): the one that starts there, or what it covers in the block that holds `offset`.
fn covered_among(
    structures: &[(std::ops::Range<usize>, &Structure)],
    offset: usize,
    file: FileId,
    unit: &str,
) -> Option<Covers> {
    let before = |range: &std::ops::Range<usize>| range.end <= offset && range.start != offset;
    let at = structures.partition_point(|(range, _)| before(range));
    let (range, structure) = structures.get(at)?;
    if range.start == offset {
        return Some(covers_of(structure, range.clone(), file, unit));
    }
    match structure {
        Structure::Block(block) if range.contains(&offset) => {
            covered_among(&spanned(&block.body), offset, file, unit)
        }
        _ => None,
    }
}

fn covers_of(
    structure: &Structure,
    range: std::ops::Range<usize>,
    file: FileId,
    unit: &str,
) -> Covers {
    let span = Span::new(file, range.start, range.end);
    match structure {
        Structure::Block(block)
            if matches!(block.ident.as_str(), "resource" | "data" | "module") =>
        {
            let labels: Vec<&str> = block.labels.iter().map(|l| l.as_str()).collect();
            let address = match (block.ident.as_str(), labels.as_slice()) {
                ("resource", [kind, name]) => format!("{kind}.{name}"),
                ("data", [kind, name]) => format!("data.{kind}.{name}"),
                ("module", [name]) => format!("module.{name}"),
                _ => return Covers::Span(span),
            };
            Covers::Resource {
                unit: unit.to_string(),
                address,
                span,
            }
        }
        _ => Covers::Span(span),
    }
}

/// The `metadata.acr-lint.ignore` entries of an ARM resource or template.
pub fn from_arm_metadata(metadata: Option<&Node>, covers: &Covers) -> Vec<Directive> {
    let Some(section) = metadata.and_then(|m| m.get("acr-lint")) else {
        return Vec::new();
    };
    let Some(Value::Array(entries)) = section.get("ignore").map(|i| &i.value) else {
        return vec![Directive {
            span: section.span,
            rules: Vec::new(),
            terms: Err("`acr-lint` metadata needs an `ignore` array of `{\"id\", \"reason\", \"until\"}` entries".into()),
        }];
    };
    entries
        .iter()
        .map(|entry| {
            let (rules, terms) = arm_entry(entry);
            Directive {
                span: entry.span,
                rules,
                terms: terms.map(|(reason, until)| Terms {
                    reason,
                    until,
                    covers: covers.clone(),
                }),
            }
        })
        .collect()
}

/// The rule keys of an ARM suppression entry (`"id": "ACR001"`, `"ACR001, ACR101"` or an array)
/// and its reason and expiry.
fn arm_entry(entry: &Node) -> (Vec<String>, Result<ReasonAndExpiry, String>) {
    let rules: Vec<String> = match entry.get("id").map(|i| &i.value) {
        Some(Value::String(id)) => id.split(',').map(|s| s.trim().to_string()).collect(),
        Some(Value::Array(ids)) => ids
            .iter()
            .filter_map(Node::as_str)
            .map(String::from)
            .collect(),
        _ => {
            let message = "a suppression entry needs an `id` (e.g. \"ACR001\")";
            return (Vec::new(), Err(message.into()));
        }
    };
    if rules.is_empty() {
        return (rules, Err(NO_RULE.into()));
    }
    (rules, arm_terms(entry))
}

fn arm_terms(entry: &Node) -> Result<ReasonAndExpiry, String> {
    let reason = entry
        .get("reason")
        .and_then(Node::as_str)
        .filter(|r| !r.trim().is_empty())
        .ok_or("a suppression entry needs a `reason`".to_string())?
        .to_string();
    let until = match entry.get("until") {
        Some(node) => {
            let text = node.as_str().unwrap_or("");
            Some(
                Date::parse(text)
                    .ok_or(format!("`until` \"{text}\" is not a date (YYYY-MM-DD)"))?,
            )
        }
        None => None,
    };
    Ok((reason, until))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_text_with_the_marker_may_hold_comment_directives() {
        assert!(!has_comment_directives(
            "resource acr 'x' = {}\n// acr-lint ignore\n"
        ));
        assert!(has_comment_directives(
            "// acr-lint:ignore ACR001 reason=\"x\"\n"
        ));
        assert!(has_comment_directives("/* acr-lint:ignore */"));
    }

    #[test]
    fn a_comment_directive_keeps_its_rules_as_written() {
        let (rules, terms) = parse_directive(
            " ACR001,no-managed-identity reason=\"shared \\\"legacy\\\" box\" until=2030-01-31",
        );
        assert_eq!(rules, ["ACR001", "no-managed-identity"]);
        let (reason, until) = terms.unwrap();
        assert_eq!(reason, "shared \"legacy\" box");
        assert_eq!(until, Date::parse("2030-01-31"));
        assert_eq!(parse_directive(" ACR999 reason=\"x\"").0, ["ACR999"]);
    }

    #[test]
    fn a_comment_directive_that_cannot_be_read_says_why() {
        let error = |text| parse_directive(text).1.unwrap_err();
        assert!(error("").starts_with("a suppression needs a rule id, e.g."));
        assert_eq!(error(" , reason=\"x\""), NO_RULE);
        assert!(error(" ACR001").contains("needs a reason"));
        assert!(error(" ACR001 reason=\"x\" until=tomorrow").contains("is not a date"));
        assert!(error(" ACR001 because").starts_with("unexpected `because`"));
        assert!(error(" ACR001 reason=\"open").contains("double-quoted"));
    }
}
