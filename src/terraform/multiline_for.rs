//! Object `for` expressions whose key or value runs over several lines
//! (`{ for k, v in m : k => a &&⏎ b }`). HCL reads a `for` expression without regard to newlines;
//! the HCL parser takes them between the expression's parts but not inside its key or value.
//! The line breaks (and the comments they end) that stand directly in such expressions are made
//! spaces, every offset where it was, and the text parsed again; a heredoc keeps its lines.

use std::ops::Range;

/// What the scan of a text meets outside strings and heredocs.
#[derive(Debug, Clone, PartialEq)]
enum Event {
    /// A `{` that is not an interpolation's, and whether a `for` expression starts inside it.
    Open { at: usize, starts_for: bool },
    /// The `}` that closes the last [`Event::Open`].
    Close { at: usize },
    /// A line break (`\n`, or `\r` before one), and whether the innermost brace around it
    /// holds a `for` expression.
    Newline { at: usize, in_for: bool },
    /// A comment, and whether the innermost brace around it holds a `for` expression.
    Comment { range: Range<usize>, in_for: bool },
}

/// Where `offset` is inside an object `for` expression, makes spaces of the line breaks and
/// comments that stand directly in any object `for` expression of the text (one parse mends them
/// all); `false` where it is not, or nothing changes.
pub fn join_for_object_lines(text: &mut String, offset: usize) -> bool {
    let events = scan(text);
    if !is_inside_for_object(&events, offset, text.len()) {
        return false;
    }
    let blanks: Vec<Range<usize>> = events
        .into_iter()
        .filter_map(|event| match event {
            Event::Newline { at, in_for: true } => Some(at..at + 1),
            Event::Comment {
                range,
                in_for: true,
            } => Some(range),
            _ => None,
        })
        .collect();
    if blanks.is_empty() {
        return false;
    }
    let mut bytes = std::mem::take(text).into_bytes();
    for blank in blanks {
        if let Some(part) = bytes.get_mut(blank) {
            part.fill(b' ');
        }
    }
    // Whole characters (line breaks, comments from their first byte to the line's end) were
    // replaced, so the text is still UTF-8.
    *text = String::from_utf8(bytes)
        .unwrap_or_else(|error| String::from_utf8_lossy(error.as_bytes()).into_owned());
    true
}

/// Whether `offset` is inside a `{ … }` holding a `for` expression (running to the end of the
/// text where it is not closed).
fn is_inside_for_object(events: &[Event], offset: usize, len: usize) -> bool {
    let mut open: Vec<(usize, bool)> = Vec::new();
    for event in events {
        match event {
            Event::Open { at, starts_for } => open.push((*at, *starts_for)),
            Event::Close { at } => {
                if let Some((start, true)) = open.pop()
                    && start < offset
                    && offset <= *at
                {
                    return true;
                }
            }
            _ => {}
        }
    }
    open.iter()
        .any(|&(start, starts_for)| starts_for && start < offset && offset <= len)
}

/// A frame of the scan: a brace of the code (holding a `for` expression or not), or an
/// interpolation inside a string, whose `}` goes back into the string.
#[derive(Clone, Copy, PartialEq)]
enum Frame {
    Brace { starts_for: bool },
    Interpolation,
}

struct Scanner<'a> {
    bytes: &'a [u8],
    at: usize,
    frames: Vec<Frame>,
    events: Vec<Event>,
}

fn scan(text: &str) -> Vec<Event> {
    let mut scanner = Scanner {
        bytes: text.as_bytes(),
        at: 0,
        frames: Vec::new(),
        events: Vec::new(),
    };
    scanner.code();
    scanner.events
}

impl Scanner<'_> {
    fn byte(&self, at: usize) -> u8 {
        self.bytes.get(at).copied().unwrap_or(0)
    }

    fn in_for(&self) -> bool {
        self.frames
            .iter()
            .rev()
            .find_map(|frame| match frame {
                Frame::Brace { starts_for } => Some(*starts_for),
                Frame::Interpolation => None,
            })
            .unwrap_or(false)
    }

    fn code(&mut self) {
        while self.at < self.bytes.len() {
            let start = self.at;
            match (self.byte(start), self.byte(start + 1)) {
                (b'#', _) | (b'/', b'/') => {
                    self.at = self.line_end(start);
                    let in_for = self.in_for();
                    self.events.push(Event::Comment {
                        range: start..self.at,
                        in_for,
                    });
                }
                (b'/', b'*') => {
                    self.at = self.block_comment_end(start);
                    let in_for = self.in_for();
                    self.events.push(Event::Comment {
                        range: start..self.at,
                        in_for,
                    });
                }
                (b'\r', b'\n') | (b'\n', _) => {
                    let in_for = self.in_for();
                    let end = if self.byte(start) == b'\r' {
                        start + 2
                    } else {
                        start + 1
                    };
                    for at in start..end {
                        self.events.push(Event::Newline { at, in_for });
                    }
                    self.at = end;
                }
                (b'"', _) => {
                    self.at = start + 1;
                    self.string();
                }
                (b'<', b'<') => self.heredoc(start),
                (b'{', _) => {
                    let starts_for = self.starts_for(start + 1);
                    self.frames.push(Frame::Brace { starts_for });
                    self.events.push(Event::Open {
                        at: start,
                        starts_for,
                    });
                    self.at = start + 1;
                }
                (b'}', _) => {
                    self.at = start + 1;
                    match self.frames.pop() {
                        Some(Frame::Interpolation) => self.string(),
                        Some(Frame::Brace { .. }) => self.events.push(Event::Close { at: start }),
                        None => {}
                    }
                }
                _ => self.at = start + 1,
            }
        }
    }

    /// Reads a quoted string from after its opening quote (or an interpolation's `}`) to after
    /// its closing quote, or into an interpolation.
    fn string(&mut self) {
        while self.at < self.bytes.len() {
            let at = self.at;
            match (self.byte(at), self.byte(at + 1), self.byte(at + 2)) {
                (b'\\', _, _) => self.at = at + 2,
                (b'"', _, _) => {
                    self.at = at + 1;
                    return;
                }
                // A quoted string ends at its line; the parser says what is wrong.
                (b'\n', _, _) => return,
                (b'$', b'$', b'{') | (b'%', b'%', b'{') => self.at = at + 3,
                (b'$', b'{', _) | (b'%', b'{', _) => {
                    self.frames.push(Frame::Interpolation);
                    self.at = at + 2;
                    return;
                }
                _ => self.at = at + 1,
            }
        }
    }

    /// Skips a heredoc (`<<EOT` or `<<-EOT`, its lines, and the line of its end marker).
    fn heredoc(&mut self, start: usize) {
        let mut name_start = start + 2;
        if self.byte(name_start) == b'-' {
            name_start += 1;
        }
        let name_end = (name_start..self.bytes.len())
            .find(|&at| !(self.byte(at).is_ascii_alphanumeric() || self.byte(at) == b'_'))
            .unwrap_or(self.bytes.len());
        let name = self.bytes.get(name_start..name_end).unwrap_or_default();
        if name.is_empty() || !matches!(self.byte(name_end), b'\n' | b'\r') {
            self.at = start + 2;
            return;
        }
        let mut line = self.line_end(name_end) + 1;
        while line < self.bytes.len() {
            let end = self.line_end(line);
            let content = self.bytes.get(line..end).unwrap_or_default();
            if content.trim_ascii() == name {
                // The line break after the end marker is the heredoc's: it is never joined.
                self.at = match (self.byte(end), self.byte(end + 1)) {
                    (b'\r', b'\n') => end + 2,
                    (b'\n', _) => end + 1,
                    _ => end,
                };
                return;
            }
            line = end + 1;
        }
        self.at = self.bytes.len();
    }

    /// Whether the text after a `{` starts a `for` expression: `for`, then a variable's name.
    fn starts_for(&self, after: usize) -> bool {
        let first = (after..self.bytes.len())
            .find(|&at| !self.byte(at).is_ascii_whitespace())
            .unwrap_or(self.bytes.len());
        let after_for = first + 3;
        let variable = (after_for..self.bytes.len())
            .find(|&at| !self.byte(at).is_ascii_whitespace())
            .unwrap_or(self.bytes.len());
        self.bytes.get(first..after_for) == Some(b"for".as_slice())
            && variable > after_for
            && (self.byte(variable).is_ascii_alphabetic() || self.byte(variable) == b'_')
    }

    /// Where the line holding `at` ends (its `\r\n` or `\n`, or the end of the text).
    fn line_end(&self, at: usize) -> usize {
        let end = (at..self.bytes.len())
            .find(|&i| self.byte(i) == b'\n')
            .unwrap_or(self.bytes.len());
        if end > at && self.byte(end - 1) == b'\r' {
            end - 1
        } else {
            end
        }
    }

    fn block_comment_end(&self, start: usize) -> usize {
        (start + 2..self.bytes.len())
            .find(|&at| self.byte(at) == b'*' && self.byte(at + 1) == b'/')
            .map_or(self.bytes.len(), |at| at + 2)
    }
}

#[cfg(test)]
mod tests {
    use super::join_for_object_lines;

    fn joined(text: &str, offset: usize) -> Option<String> {
        let mut text = text.to_string();
        join_for_object_lines(&mut text, offset).then_some(text)
    }

    #[test]
    fn the_lines_directly_in_an_object_for_are_joined() {
        let text = "x = {\n  for l in ls :\n  l => a && # why\n  b\n}\ny = 1\n";
        let offset = text.find("&&").unwrap() + 2;
        assert_eq!(
            joined(text, offset).unwrap(),
            "x = {   for l in ls :   l => a &&         b }\ny = 1\n"
        );
    }

    #[test]
    fn objects_strings_and_brackets_inside_keep_what_they_need() {
        let text = "x = { for k in ks : k => merge(a,\n { p = \"}\\n{\"\n q = \"${f({})}\" }) }\n";
        let offset = text.find("a,").unwrap();
        assert_eq!(
            joined(text, offset).unwrap(),
            "x = { for k in ks : k => merge(a,  { p = \"}\\n{\"\n q = \"${f({})}\" }) }\n"
        );
    }

    #[test]
    fn nothing_is_joined_outside_an_object_for_nor_in_a_heredoc() {
        let object = "x = { k = a &&\n b }\n";
        assert_eq!(joined(object, object.find("&&").unwrap()), None);
        let list = "x = [for l in ls : a\n]\n";
        assert_eq!(joined(list, 5), None);
        let heredoc = "x = { for l in ls : l => <<EOT\n{\nEOT\n}\n";
        assert_eq!(joined(heredoc, heredoc.find("=>").unwrap()), None);
        let for_key = "x = { for = 1\n}\n";
        assert_eq!(joined(for_key, 7), None);
    }

    #[test]
    fn a_heredoc_in_an_object_for_keeps_its_lines() {
        let text = "x = { for l in ls :\n l => <<EOT\n{\nEOT\n}\n";
        assert_eq!(
            joined(text, 6).unwrap(),
            "x = { for l in ls :  l => <<EOT\n{\nEOT\n}\n"
        );
    }

    #[test]
    fn every_object_for_of_a_file_parses_with_its_offsets() {
        let text = "a = { for l in ls :\n  l =>\n  x &&\n  y\n}\nb = {\n  k = 1\n}\n\
                    c = { for l in ls : l => <<EOT\nhi\nEOT\n}\nd = { for l in ls : l\n => 2 }\n";
        let body = crate::terraform::parse(text).unwrap();
        let value_text = |name: &str| {
            let attribute = body.get_attribute(name).unwrap();
            let span = hcl_edit::Span::span(&attribute.value).unwrap();
            text.get(span).unwrap().to_string()
        };
        assert_eq!(value_text("a"), "{ for l in ls :\n  l =>\n  x &&\n  y\n}");
        assert_eq!(value_text("b"), "{\n  k = 1\n}");
        assert_eq!(value_text("d"), "{ for l in ls : l\n => 2 }");
    }

    #[test]
    fn an_unclosed_object_for_runs_to_the_end() {
        let text = "x = { for l in ls : l =>\n a";
        assert_eq!(
            joined(text, text.len()).unwrap(),
            "x = { for l in ls : l =>  a"
        );
    }
}
