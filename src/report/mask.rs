//! Literal secrets that rules report are masked in human output: the first few characters stay,
//! every byte after them becomes `*`, so offsets, lines and code frames keep their shape.

use std::collections::HashMap;
use std::ops::Range;

use codespan_reporting::files::{Error as FilesError, Files};

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
        let mut masked: HashMap<FileId, String> = HashMap::new();
        let secrets = scan
            .findings
            .iter()
            .chain(scan.suppressed.iter().map(|s| &s.finding))
            .filter(|f| f.secret)
            .map(|f| f.primary.span);
        for span in secrets {
            let Some(file) = scan.sources.get(span.file) else {
                continue;
            };
            let text = masked.entry(span.file).or_insert_with(|| file.text.clone());
            mask(text, span);
        }
        MaskedSources {
            sources: &scan.sources,
            masked,
        }
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

impl<'a> Files<'a> for MaskedSources<'_> {
    type FileId = FileId;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: FileId) -> Result<&'a str, FilesError> {
        Files::name(self.sources, id)
    }

    fn source(&'a self, id: FileId) -> Result<&'a str, FilesError> {
        match self.masked.get(&id) {
            Some(text) => Ok(text),
            None => self.sources.source(id),
        }
    }

    fn line_index(&'a self, id: FileId, byte_index: usize) -> Result<usize, FilesError> {
        self.sources.line_index(id, byte_index)
    }

    fn line_range(&'a self, id: FileId, line_index: usize) -> Result<Range<usize>, FilesError> {
        self.sources.line_range(id, line_index)
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
