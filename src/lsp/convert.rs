//! Positions and URIs as LSP has them: 0-based lines, columns in UTF-16 code units, `file:` URIs.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use lsp_types::{Position, Range, Uri};

use crate::source::SourceFile;

/// Converts byte offsets of a scanned file to LSP positions. `bom` says whether the editor's
/// text starts with a byte-order mark, which the scan removed.
pub struct Lines<'a> {
    pub file: &'a SourceFile,
    pub bom: bool,
}

impl Lines<'_> {
    pub fn position(&self, offset: usize) -> Position {
        let text = self.file.text.as_str();
        let mut offset = offset.min(text.len());
        while offset > 0 && !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let starts = self.file.line_starts();
        let line = match starts.binary_search(&offset) {
            Ok(line) => line,
            Err(next) => next.saturating_sub(1),
        };
        let line_start = starts.get(line).copied().unwrap_or(0);
        let character: usize = text
            .get(line_start..offset)
            .unwrap_or_default()
            .chars()
            .filter(|&c| c != '\r')
            .map(char::len_utf16)
            .sum();
        let character = character + usize::from(line == 0 && self.bom);
        Position::new(to_u32(line), to_u32(character))
    }

    pub fn range(&self, start: usize, end: usize) -> Range {
        Range::new(self.position(start), self.position(end))
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The byte offset of an LSP position in `text`, clamped to the line and the text.
pub fn offset(text: &str, position: Position) -> usize {
    let mut line_start = 0;
    for _ in 0..position.line {
        match text.get(line_start..).and_then(|rest| rest.find('\n')) {
            Some(newline) => line_start += newline + 1,
            None => return text.len(),
        }
    }
    let line = text.get(line_start..).unwrap_or_default();
    let mut units = 0;
    for (index, c) in line.char_indices() {
        if units >= position.character as usize || c == '\n' || c == '\r' {
            return line_start + index;
        }
        units += c.len_utf16();
    }
    text.len()
}

/// The local path of a `file:` URI.
pub fn path_of(uri: &Uri) -> Option<PathBuf> {
    let text = uri.as_str();
    let scheme = text.get(..7)?;
    if !scheme.eq_ignore_ascii_case("file://") {
        return None;
    }
    let rest = text.get(7..)?;
    let slash = rest.find('/')?;
    let (authority, path) = rest.split_at(slash);
    if !authority.is_empty() && !authority.eq_ignore_ascii_case("localhost") {
        return None;
    }
    let path = path.split(['?', '#']).next().unwrap_or_default();
    let decoded = String::from_utf8(percent_decode(path)?).ok()?;
    if cfg!(windows) {
        let trimmed = decoded.strip_prefix('/').unwrap_or(&decoded);
        return Some(PathBuf::from(trimmed.replace('/', "\\")));
    }
    Some(PathBuf::from(decoded))
}

fn percent_decode(text: &str) -> Option<Vec<u8>> {
    let mut bytes = Vec::with_capacity(text.len());
    let mut input = text.bytes();
    while let Some(b) = input.next() {
        if b == b'%' {
            let high = char::from(input.next()?).to_digit(16)?;
            let low = char::from(input.next()?).to_digit(16)?;
            bytes.push(u8::try_from(high * 16 + low).ok()?);
        } else {
            bytes.push(b);
        }
    }
    Some(bytes)
}

/// The `file:` URI of an absolute path.
pub fn uri_of(path: &Path) -> Option<Uri> {
    let text = path.to_str()?;
    let text = if cfg!(windows) {
        format!("/{}", text.replace('\\', "/"))
    } else {
        text.to_string()
    };
    let mut uri = String::from("file://");
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            uri.push(char::from(b));
        } else {
            uri.push_str(&format!("%{b:02X}"));
        }
    }
    Uri::from_str(&uri).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str, bom: bool) -> (SourceFile, bool) {
        (
            SourceFile::new(PathBuf::from("f"), "f".into(), text.into()),
            bom,
        )
    }

    #[test]
    fn columns_count_utf16_code_units() {
        let text = "a = \"é😀\" # x\r\nb = 1\n";
        let (file, bom) = lines(text, false);
        let lines = Lines { file: &file, bom };
        let x = text.find('x').unwrap();
        // `a = "` is 5 units, é is 1, 😀 is 2, `" # ` is 4.
        assert_eq!(lines.position(x), Position::new(0, 12));
        let b = text.find('b').unwrap();
        assert_eq!(lines.position(b), Position::new(1, 0));
        assert_eq!(lines.position(b - 1), Position::new(0, 13));
        assert_eq!(lines.position(999), Position::new(2, 0));
        assert_eq!(offset(text, Position::new(0, 12)), x);
        assert_eq!(offset(text, Position::new(0, 99)), b - 2);
        assert_eq!(offset(text, Position::new(1, 0)), b);
        assert_eq!(offset(text, Position::new(9, 0)), text.len());
    }

    #[test]
    fn a_byte_order_mark_shifts_the_first_line() {
        let (file, bom) = lines("\u{feff}ab\nc", true);
        let lines = Lines { file: &file, bom };
        assert_eq!(lines.position(1), Position::new(0, 2));
        assert_eq!(lines.position(3), Position::new(1, 0));
    }

    #[test]
    #[cfg(unix)]
    fn file_uris_round_trip() {
        let path = Path::new("/tmp/my infra/ä#1.tf");
        let uri = uri_of(path).unwrap();
        assert_eq!(uri.as_str(), "file:///tmp/my%20infra/%C3%A4%231.tf");
        assert_eq!(path_of(&uri).unwrap(), path);
        let other = Uri::from_str("file://localhost/a/b%2Ec.tf").unwrap();
        assert_eq!(path_of(&other).unwrap(), Path::new("/a/b.c.tf"));
        assert!(path_of(&Uri::from_str("untitled:Untitled-1").unwrap()).is_none());
        assert!(path_of(&Uri::from_str("file://server/share/a.tf").unwrap()).is_none());
        assert!(percent_decode("/a%zz").is_none());
        assert!(percent_decode("/a%2").is_none());
    }
}
