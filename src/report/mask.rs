//! Literal secrets that rules report are masked in human output: the first few characters stay,
//! every byte after them becomes `*`, so offsets, lines and code frames keep their shape.

use std::collections::HashMap;

use crate::findings::Scan;
use crate::source::{FileId, SourceMap, Span};

/// How many characters of a secret stay readable, after its opening quote.
pub const KEPT_CHARACTERS: usize = 3;

/// The scan's files with every literal secret a finding reports masked; the files without one
/// are read from the scan unchanged.
pub struct MaskedSources<'a> {
    sources: &'a SourceMap,
    masked: HashMap<FileId, String>,
}

impl<'a> MaskedSources<'a> {
    pub fn of(scan: &'a Scan) -> MaskedSources<'a> {
        let secrets = scan
            .findings
            .iter()
            .chain(scan.suppressed.iter().map(|s| &s.finding))
            .filter(|f| f.secret)
            .map(|f| f.primary.span)
            .chain(scan.secrets.iter().copied());
        MaskedSources::new(&scan.sources, secrets)
    }

    /// `sources` with the text of `secrets` masked.
    pub fn new(sources: &'a SourceMap, secrets: impl Iterator<Item = Span>) -> MaskedSources<'a> {
        let mut masked: HashMap<FileId, String> = HashMap::new();
        for span in secrets {
            let Some(file) = sources.get(span.file) else {
                continue;
            };
            let text = masked.entry(span.file).or_insert_with(|| file.text.clone());
            mask(text, span);
        }
        MaskedSources { sources, masked }
    }
}

/// Replaces the bytes of `span` in `text` by `*`, keeping an opening quote and the first
/// [`KEPT_CHARACTERS`] characters, a closing quote and line breaks.
fn mask(text: &mut String, span: Span) {
    let Some(secret) = text.get(span.start..span.end) else {
        return;
    };
    let quoted = secret.starts_with('"');
    let kept: usize = secret
        .chars()
        .take(KEPT_CHARACTERS + usize::from(quoted))
        .map(char::len_utf8)
        .sum();
    let end = if quoted && secret.len() > 1 && secret.ends_with('"') {
        secret.len() - 1
    } else {
        secret.len()
    };
    let masked: String = secret
        .char_indices()
        .flat_map(|(at, c)| {
            let keep = at < kept || at >= end || c == '\n' || c == '\r';
            let replacement = if keep { c } else { '*' };
            std::iter::repeat_n(replacement, if keep { 1 } else { c.len_utf8() })
        })
        .collect();
    text.replace_range(span.start..span.end, &masked);
}

/// Masks, in every message of `scan` (findings, their labels and notes, undecided reasons,
/// errors and notices), the values written at its secret spans: a rule that quotes a value
/// (a name, a URL, an enumeration value) or a value built from one shows the mask instead.
pub fn mask_messages(scan: &mut Scan) {
    let secrets = Secrets::new(secret_texts(&scan.sources, &scan.secrets));
    if secrets.texts.is_empty() {
        return;
    }
    let hide = |text: &mut String| mask_in(text, &secrets);
    let suppressed = scan.suppressed.iter_mut().map(|s| &mut s.finding);
    for finding in scan.findings.iter_mut().chain(suppressed) {
        hide(&mut finding.message);
        mask_in(&mut finding.resource, &secrets);
        mask_in(&mut finding.primary.message, &secrets);
        for label in &mut finding.secondary {
            mask_in(&mut label.message, &secrets);
        }
        for note in &mut finding.notes {
            mask_in(note, &secrets);
        }
    }
    let undecided = scan
        .unknown
        .iter_mut()
        .chain(scan.not_applicable.iter_mut());
    undecided.for_each(|u| mask_in(&mut u.reason, &secrets));
    scan.errors.iter_mut().for_each(|e| hide(&mut e.message));
    scan.notices.iter_mut().for_each(hide);
}

/// Masks the secrets in one message, whether owned, shared or borrowed.
fn mask_in<T>(text: &mut T, secrets: &Secrets)
where
    T: std::ops::Deref<Target = str> + From<String>,
{
    if let Some(masked) = masked_message(text, secrets) {
        *text = masked.into();
    }
}

/// Secrets shorter than this are masked only where they stand alone (between characters that
/// are not letters or digits), so that a short value does not mask parts of words.
const ALONE_BELOW: usize = 8;

/// Shortest secret masked in messages.
const SHORTEST_MASKED: usize = 3;

/// The values written at `spans`: a quoted string's content, each string inside an object or
/// array, other values as written; longest first, so that a secret containing another is
/// masked whole.
fn secret_texts(sources: &SourceMap, spans: &[Span]) -> Vec<String> {
    let mut texts: Vec<String> = spans
        .iter()
        .filter_map(|span| sources.get(span.file)?.text.get(span.start..span.end))
        .flat_map(literal_strings)
        .filter(|text| text.chars().count() >= SHORTEST_MASKED)
        .collect();
    texts.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
    texts.dedup();
    texts
}

/// The literals a value's text holds: its content when it is one quoted string (JSON, HCL or
/// Bicep quotes), the quoted strings inside an object or array, a number or boolean as
/// written; nothing for an expression.
fn literal_strings(text: &str) -> Vec<String> {
    let text = text.trim();
    if text.starts_with('{') || text.starts_with('[') {
        return quoted_parts(text);
    }
    let quoted = |q: char| text.len() >= 2 && text.starts_with(q) && text.ends_with(q);
    match quoted_parts(text).as_slice() {
        [only] if quoted('"') || quoted('\'') => vec![only.clone()],
        [] if is_scalar(text) => vec![text.to_string()],
        _ => Vec::new(),
    }
}

/// A number or boolean literal.
fn is_scalar(text: &str) -> bool {
    matches!(text, "true" | "false") || text.parse::<f64>().is_ok_and(f64::is_finite)
}

/// The contents of the `"..."` and `'...'` strings in `text` that are not object keys, JSON
/// escapes decoded; the quotes of comments (`//`, `/* */`, `#`) are not strings.
fn quoted_parts(text: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut at = 0;
    while let Some(rest) = text.get(at..) {
        let Some(start) = rest.find(['"', '\'', '/', '#']).map(|n| at + n) else {
            break;
        };
        let from = text.get(start..).unwrap_or_default();
        let skip_to =
            |end: &str, past: usize| from.find(end).map_or(text.len(), |n| start + n + past);
        if from.starts_with("//") || from.starts_with('#') {
            at = skip_to("\n", 1);
            continue;
        }
        if from.starts_with("/*") {
            at = skip_to("*/", 2);
            continue;
        }
        let Some(quote) = from.chars().next().filter(|&c| c == '"' || c == '\'') else {
            at = start + 1;
            continue;
        };
        let Some(close) = closing_quote(from, quote) else {
            break;
        };
        let raw = from.get(..=close).unwrap_or_default();
        let inner = raw.get(1..close).unwrap_or_default();
        let key = from
            .get(close + 1..)
            .is_some_and(|after| after.trim_start().starts_with(':'));
        if !key {
            let decoded = serde_json::from_str::<String>(raw).ok();
            parts.push(decoded.unwrap_or_else(|| inner.replace("\\'", "'")));
        }
        at = start + close + 1;
    }
    parts
}

/// Where the string that opens `text` with `quote` closes (a `\` escapes the next character).
fn closing_quote(text: &str, quote: char) -> Option<usize> {
    let mut escaped = false;
    for (at, c) in text.char_indices().skip(1) {
        if escaped {
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == quote {
            return Some(at);
        }
    }
    None
}

/// `message` with every occurrence of `secrets` masked; `None` when none occurs.
/// The secrets to mask, longest first, and what finds those a message holds in one pass over it
/// rather than one pass for each secret.
struct Secrets {
    texts: Vec<String>,
    finder: Option<aho_corasick::AhoCorasick>,
    /// The secrets holding a `*`, which masking another secret may make appear.
    starred: Vec<usize>,
}

impl Secrets {
    fn new(texts: Vec<String>) -> Secrets {
        Secrets {
            finder: aho_corasick::AhoCorasick::new(&texts).ok(),
            starred: (0..texts.len())
                .filter(|&i| texts.get(i).is_some_and(|t| t.contains('*')))
                .collect(),
            texts,
        }
    }

    /// The secrets that `message` may show, longest first: those it holds, and those that
    /// masking them may bring out. Every secret when there is no finder.
    fn in_message(&self, message: &str) -> Vec<&str> {
        let Some(finder) = &self.finder else {
            return self.texts.iter().map(String::as_str).collect();
        };
        let mut found: Vec<usize> = finder
            .find_overlapping_iter(message)
            .map(|m| m.pattern().as_usize())
            .chain(self.starred.iter().copied())
            .collect();
        found.sort_unstable();
        found.dedup();
        found
            .into_iter()
            .filter_map(|i| self.texts.get(i).map(String::as_str))
            .collect()
    }
}

fn masked_message(message: &str, secrets: &Secrets) -> Option<String> {
    let mut result: Option<String> = None;
    for secret in secrets.in_message(message) {
        let current = result.as_deref().unwrap_or(message);
        if !current.contains(secret) {
            continue;
        }
        let alone_only = secret.chars().count() < ALONE_BELOW;
        let mut out = String::with_capacity(current.len());
        let mut rest = 0;
        for (at, _) in current.match_indices(secret) {
            let end = at + secret.len();
            if at < rest || (alone_only && !stands_alone(current, at, end)) {
                continue;
            }
            out.push_str(current.get(rest..at).unwrap_or(""));
            out.push_str(&hidden(secret));
            rest = end;
        }
        out.push_str(current.get(rest..).unwrap_or(""));
        result = Some(out);
    }
    result
}

/// Whether `text[start..end]` has no letter or digit right before or after it.
fn stands_alone(text: &str, start: usize, end: usize) -> bool {
    let before = text.get(..start).and_then(|t| t.chars().next_back());
    let after = text.get(end..).and_then(|t| t.chars().next());
    !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
}

/// A secret as messages show it: its first [`KEPT_CHARACTERS`] characters when it is long
/// enough to keep most of it hidden, `*` for the rest.
fn hidden(secret: &str) -> String {
    let count = secret.chars().count();
    let kept = if count > 2 * KEPT_CHARACTERS {
        KEPT_CHARACTERS
    } else {
        0
    };
    secret
        .chars()
        .take(kept)
        .chain(std::iter::repeat_n('*', count - kept))
        .collect()
}

impl MaskedSources<'_> {
    /// The text of a file, its secrets masked.
    pub fn text(&self, id: FileId) -> Option<&str> {
        match self.masked.get(&id) {
            Some(text) => Some(text),
            None => self.sources.get(id).map(|f| f.text.as_str()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn masked(text: &str, start: usize, end: usize) -> String {
        let mut text = text.to_string();
        mask(&mut text, Span::new(0, start, end));
        text
    }

    #[test]
    fn messages_mask_the_same_secrets_found_in_one_pass_as_looked_for_one_by_one() {
        let mut texts: Vec<String> = [
            "hunter2-long",
            "hunter2",
            "ter2-lo",
            "abc",
            "abcdefgh",
            "c*****",
            "hun*",
            "ÅÅÅsecret",
            "xyz",
        ]
        .map(String::from)
        .to_vec();
        texts.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        let found = Secrets::new(texts.clone());
        let one_by_one = Secrets {
            finder: None,
            ..Secrets::new(texts)
        };
        let messages = [
            "url `https://x/?t=hunter2-long&a=1`",
            "hunter2 and hunter2-long, ter2-lo",
            "`abc` and abcd, abcdefgh!",
            "abcdefgh alone",
            "ÅÅÅsecret and xyz.xyz",
            "nothing here",
            "",
            "hun* c***** abcdefghabcdefgh",
        ];
        for message in messages {
            assert_eq!(
                masked_message(message, &found),
                masked_message(message, &one_by_one),
                "{message}"
            );
        }
    }

    #[test]
    fn messages_mask_the_values_of_secret_spans() {
        let secrets = Secrets::new(vec!["hunter2-long".to_string(), "abc".to_string()]);
        assert_eq!(
            masked_message("url `https://x/?t=hunter2-long&a=1`", &secrets).as_deref(),
            Some("url `https://x/?t=hun*********&a=1`")
        );
        assert_eq!(
            masked_message("`abc` and abcd", &secrets).as_deref(),
            Some("`***` and abcd")
        );
        assert_eq!(masked_message("nothing here", &secrets), None);
        assert_eq!(literal_strings(r#""a\"b""#), vec![r#"a"b"#.to_string()]);
        assert_eq!(literal_strings("'it\\'s'"), vec!["it's".to_string()]);
        assert_eq!(
            literal_strings(r#"{"k": "v1", "n": ["v2"]}"#),
            vec!["v1", "v2"]
        );
        assert_eq!(literal_strings("true"), vec!["true".to_string()]);
        assert!(literal_strings(r#""a" + "b""#).is_empty());
        assert!(literal_strings("var.password").is_empty());
        // The quotes of comments are not strings.
        assert_eq!(
            literal_strings(
                "{\n  // \"array\", isn't it\n  a: 'x' /* 'y' */\n  # 'z'\n  b: \"w\"\n}"
            ),
            vec!["x".to_string(), "w".to_string()]
        );
        assert_eq!(
            literal_strings("['https://contoso.com/a#b', 'c/d']"),
            vec!["https://contoso.com/a#b".to_string(), "c/d".to_string()]
        );
    }

    #[test]
    fn keeps_quotes_a_few_characters_and_byte_offsets() {
        let line = r#"password = "s3cr3t-Passw0rd""#;
        let start = line.find('"').unwrap_or_default();
        assert_eq!(
            masked(line, start, line.len()),
            r#"password = "s3c************""#
        );
        assert_eq!(masked("ghp_abcdef", 0, 10), "ghp*******");
        assert_eq!(masked("\"ab€cdé\"", 0, 11), "\"ab€****\"");
        assert_eq!(masked("\"a\nbcdef\"", 0, 9), "\"a\nb****\"");
    }
}
