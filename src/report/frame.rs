//! The source shown in code frames: for each line a label touches, at most a window of about
//! [`MAX_LINE_BYTES`] around its labels (an ellipsis marks what is cut), with control
//! characters escaped. A minified or hostile file may hold megabytes on one line; a frame never
//! prints more than the window, and its line and column numbers are the file's own.

use std::ops::Range;

use codespan_reporting::diagnostic::Label;
use codespan_reporting::files::{Error as FilesError, Files};

use super::escape_char;
use super::mask::MaskedSources;
use crate::source::{FileId, SourceMap, Span};

/// Lines up to this length are shown whole.
const MAX_LINE_BYTES: usize = 240;
/// Bytes shown before the first label of a long line.
const CONTEXT_BYTES: usize = 40;
/// Bytes of a long line shown from its first label on.
const WINDOW_BYTES: usize = 160;
/// A label over more lines shows its first and last line only.
const MAX_SPANNED_LINES: usize = 8;
const ELLIPSIS: &str = "…";

/// Excerpts of the files one diagnostic points into, addressed by the files' own ids.
pub struct Frames<'s> {
    sources: &'s SourceMap,
    excerpts: Vec<Excerpt>,
}

/// The shown lines of one file, one after the other.
struct Excerpt {
    file: FileId,
    text: String,
    lines: Vec<ExcerptLine>,
}

struct ExcerptLine {
    /// 1-based line number in the file.
    number: usize,
    /// Where the line starts and ends in the excerpt's text (ellipses included, before its
    /// newline).
    shown: Range<usize>,
    /// (offset in the file, offset in the excerpt) at every shown character boundary.
    offsets: Vec<(usize, usize)>,
}

impl ExcerptLine {
    fn to_excerpt(&self, offset: usize) -> usize {
        let index = self.offsets.partition_point(|&(file, _)| file <= offset);
        match index.checked_sub(1).and_then(|i| self.offsets.get(i)) {
            Some(&(_, shown)) => shown,
            None => self.offsets.first().map_or(self.shown.start, |&(_, s)| s),
        }
    }

    fn to_file(&self, offset: usize) -> usize {
        let index = self.offsets.partition_point(|&(_, shown)| shown <= offset);
        index
            .checked_sub(1)
            .and_then(|i| self.offsets.get(i))
            .or(self.offsets.first())
            .map_or(0, |&(file, _)| file)
    }
}

impl<'s> Frames<'s> {
    /// Excerpts for labels over `spans`, from the text of `masked`.
    pub fn new(sources: &'s SourceMap, masked: &MaskedSources<'_>, spans: &[Span]) -> Self {
        let mut files: Vec<FileId> = spans.iter().map(|s| s.file).collect();
        files.sort_unstable();
        files.dedup();
        let excerpts = files
            .into_iter()
            .filter_map(|file| {
                let spans: Vec<Span> = spans.iter().filter(|s| s.file == file).copied().collect();
                Excerpt::new(sources, masked.text(file)?, file, &spans)
            })
            .collect();
        Frames { sources, excerpts }
    }

    /// A label over `span`, as offsets into the excerpt of its file.
    pub fn label(&self, primary: bool, span: Span, message: &str) -> Label<FileId> {
        let range = match self.excerpt(span.file) {
            Ok(excerpt) => {
                let start = excerpt.to_excerpt(span.start);
                start..excerpt.to_excerpt(span.end).max(start)
            }
            Err(_) => 0..0,
        };
        let label = if primary {
            Label::primary(span.file, range)
        } else {
            Label::secondary(span.file, range)
        };
        label.with_message(super::escape_controls(message))
    }

    fn excerpt(&self, file: FileId) -> Result<&Excerpt, FilesError> {
        self.excerpts
            .iter()
            .find(|e| e.file == file)
            .ok_or(FilesError::FileMissing)
    }
}

impl Excerpt {
    fn new(sources: &SourceMap, text: &str, file: FileId, spans: &[Span]) -> Option<Excerpt> {
        let source = sources.get(file)?;
        let mut numbers = Vec::new();
        for span in spans {
            let first = source.position(span.start).line;
            let last = source.position(span.end).line;
            if last - first < MAX_SPANNED_LINES {
                numbers.extend(first..=last);
            } else {
                numbers.extend([first, last]);
            }
        }
        numbers.sort_unstable();
        numbers.dedup();
        let mut excerpt = Excerpt {
            file,
            text: String::new(),
            lines: Vec::new(),
        };
        for number in numbers {
            let starts = source.line_starts();
            let start = starts.get(number - 1).copied().unwrap_or(0);
            let end = starts
                .get(number)
                .map_or(text.len(), |next| next.saturating_sub(1));
            let line = text.get(start..end).unwrap_or("");
            let line = line.strip_suffix('\r').unwrap_or(line);
            let anchors: Vec<usize> = spans
                .iter()
                .flat_map(|s| [s.start, s.end])
                .filter(|&o| o >= start && o <= start + line.len())
                .map(|o| o - start)
                .collect();
            excerpt.push_line(number, start, line, &anchors);
        }
        Some(excerpt)
    }

    /// Appends the shown part of line `number`, which starts at `start` in the file; `anchors`
    /// are the label boundaries on it, relative to `start`.
    fn push_line(&mut self, number: usize, start: usize, text: &str, anchors: &[usize]) {
        let window = window(text, anchors);
        let begin = self.text.len();
        let mut offsets = Vec::new();
        if window.start > 0 {
            offsets.push((start, self.text.len()));
            self.text.push_str(ELLIPSIS);
        }
        let shown = text.get(window.clone()).unwrap_or("");
        for (i, c) in shown.char_indices() {
            offsets.push((start + window.start + i, self.text.len()));
            match escape_char(c) {
                Some(escaped) => self.text.push_str(&escaped),
                None => self.text.push(c),
            }
        }
        offsets.push((start + window.end, self.text.len()));
        if window.end < text.len() {
            self.text.push_str(ELLIPSIS);
        }
        let end = self.text.len();
        self.text.push('\n');
        self.lines.push(ExcerptLine {
            number,
            shown: begin..end,
            offsets,
        });
    }

    fn line_of(&self, offset: usize) -> Option<&ExcerptLine> {
        let index = self.lines.partition_point(|l| l.shown.start <= offset);
        self.lines.get(index.checked_sub(1)?)
    }

    fn to_excerpt(&self, offset: usize) -> usize {
        let index = self
            .lines
            .partition_point(|l| l.offsets.first().is_some_and(|&(file, _)| file <= offset));
        index
            .checked_sub(1)
            .and_then(|i| self.lines.get(i))
            .map_or(0, |line| line.to_excerpt(offset))
    }
}

/// The part of a line to show: all of a short line, else from a little before the first
/// anchor to a window after it, on character boundaries.
fn window(text: &str, anchors: &[usize]) -> Range<usize> {
    if text.len() <= MAX_LINE_BYTES {
        return 0..text.len();
    }
    let first = anchors.iter().copied().min().unwrap_or(0);
    let last = anchors.iter().copied().max().unwrap_or(0);
    let start = floor_boundary(text, first.saturating_sub(CONTEXT_BYTES));
    let end = last
        .max(first + CONTEXT_BYTES)
        .min(first + WINDOW_BYTES)
        .min(text.len());
    start..ceil_boundary(text, end)
}

fn floor_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

fn ceil_boundary(text: &str, mut offset: usize) -> usize {
    while offset < text.len() && !text.is_char_boundary(offset) {
        offset += 1;
    }
    offset
}

impl<'a> Files<'a> for Frames<'_> {
    type FileId = FileId;
    type Name = String;
    type Source = &'a str;

    fn name(&'a self, id: FileId) -> Result<String, FilesError> {
        self.sources
            .get(id)
            .map(|f| super::escape_controls(&f.name).into_owned())
            .ok_or(FilesError::FileMissing)
    }

    fn source(&'a self, id: FileId) -> Result<&'a str, FilesError> {
        Ok(self.excerpt(id)?.text.as_str())
    }

    fn line_index(&'a self, id: FileId, byte_index: usize) -> Result<usize, FilesError> {
        let excerpt = self.excerpt(id)?;
        let index = excerpt
            .lines
            .partition_point(|l| l.shown.start <= byte_index);
        Ok(index.saturating_sub(1))
    }

    fn line_number(&'a self, id: FileId, line_index: usize) -> Result<usize, FilesError> {
        let excerpt = self.excerpt(id)?;
        excerpt
            .lines
            .get(line_index)
            .map(|l| l.number)
            .ok_or(FilesError::LineTooLarge {
                given: line_index,
                max: excerpt.lines.len().saturating_sub(1),
            })
    }

    fn column_number(
        &'a self,
        id: FileId,
        _line_index: usize,
        byte_index: usize,
    ) -> Result<usize, FilesError> {
        let excerpt = self.excerpt(id)?;
        let offset = excerpt
            .line_of(byte_index)
            .map_or(0, |l| l.to_file(byte_index));
        Ok(self.sources.start(Span::new(id, offset, offset)).column)
    }

    fn line_range(&'a self, id: FileId, line_index: usize) -> Result<Range<usize>, FilesError> {
        let excerpt = self.excerpt(id)?;
        let line = excerpt
            .lines
            .get(line_index)
            .ok_or(FilesError::LineTooLarge {
                given: line_index,
                max: excerpt.lines.len().saturating_sub(1),
            })?;
        Ok(line.shown.start..line.shown.end + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;
    use std::path::PathBuf;

    fn frames(text: &str, span: Range<usize>) -> (SourceMap, Span) {
        let mut sources = SourceMap::default();
        let file = sources.push(SourceFile::new(PathBuf::from("f"), "f".into(), text.into()));
        (sources, Span::new(file, span.start, span.end))
    }

    #[test]
    fn short_lines_are_shown_whole() {
        let (sources, span) = frames("a\nbc = 1\r\nd\n", 2..4);
        let masked = MaskedSources::new(&sources, std::iter::empty());
        let frames = Frames::new(&sources, &masked, &[span]);
        assert_eq!(frames.source(span.file).unwrap(), "bc = 1\n");
        assert_eq!(frames.line_number(span.file, 0).unwrap(), 2);
        let label = frames.label(true, span, "m");
        assert_eq!(label.range, 0..2);
    }

    #[test]
    fn long_lines_show_a_window_around_the_label() {
        let text = format!("{}needle{}\n", "x".repeat(1_000_000), "y".repeat(1_000_000));
        let start = 1_000_000;
        let (sources, span) = frames(&text, start..start + 6);
        let masked = MaskedSources::new(&sources, std::iter::empty());
        let frames = Frames::new(&sources, &masked, &[span]);
        let shown = frames.source(span.file).unwrap();
        assert!(shown.len() < 300, "{} bytes shown", shown.len());
        assert!(
            shown.starts_with(ELLIPSIS) && shown.ends_with("…\n"),
            "{shown}"
        );
        let label = frames.label(true, span, "m");
        assert_eq!(shown.get(label.range.clone()), Some("needle"));
        let column = frames
            .column_number(span.file, 0, label.range.start)
            .unwrap();
        assert_eq!(column, 1_000_001);
    }

    #[test]
    fn control_characters_are_escaped_and_labels_follow() {
        let (sources, span) = frames("name = \"\u{1b}[2Jx\"\n", 12..13);
        let masked = MaskedSources::new(&sources, std::iter::empty());
        let frames = Frames::new(&sources, &masked, &[span]);
        let shown = frames.source(span.file).unwrap();
        assert_eq!(shown, "name = \"\\u{1b}[2Jx\"\n");
        let label = frames.label(true, span, "\u{1b}[31m");
        assert_eq!(shown.get(label.range.clone()), Some("x"));
        assert_eq!(label.message, "\\u{1b}[31m");
    }
}
