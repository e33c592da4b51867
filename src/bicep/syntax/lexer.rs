//! The Bicep lexer: text into tokens, with comments and directives set aside as trivia.
//!
//! Strings with interpolation are split into pieces the way the compiler does: `'a${` is a
//! [`Tok::StringLeft`], `}b${` a [`Tok::StringMiddle`], `}c'` a [`Tok::StringRight`], and the
//! expressions between them ordinary tokens. A stack of open interpolations tells a `}` that
//! resumes a string from one that closes an object.

use super::ast::{Comment, CommentKind, Directive, DirectiveKind, Ident, SyntaxError, TextSpan};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Tok {
    Ident,
    Int,
    /// A whole string without interpolation (`'...'`, `'''...'''`).
    String,
    /// `'...${`
    StringLeft,
    /// `}...${`
    StringMiddle,
    /// `}...'`
    StringRight,
    LBrace,
    RBrace,
    LBracket,
    RBracket,
    LParen,
    RParen,
    Comma,
    Dot,
    Colon,
    /// `::` (a nested resource of a resource)
    DoubleColon,
    /// `^` (an index from the end: `a[^1]`)
    Caret,
    Question,
    DoubleQuestion,
    At,
    Assign,
    Equals,
    NotEquals,
    EqualsInsensitive,
    NotEqualsInsensitive,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
    Plus,
    Minus,
    Star,
    Slash,
    Percent,
    Bang,
    AndAnd,
    OrOr,
    Pipe,
    Arrow,
    Ellipsis,
    NewLine,
    /// A character the language has no use for (reported as BCP001).
    Unknown,
    Eof,
}

/// How a string token's text is written: a quoted string with escapes, or a `'''` string
/// whose interpolations (if any) open with `dollars` dollar signs before `{`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum StringStyle {
    Quoted,
    Multiline { dollars: usize },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Token {
    pub kind: Tok,
    pub span: TextSpan,
    /// For string tokens: the raw text between the delimiters (quotes, `${`, `}`).
    pub inner: TextSpan,
    pub style: StringStyle,
}

pub(super) struct Lexed {
    pub tokens: Vec<Token>,
    pub comments: Vec<Comment>,
    pub directives: Vec<Directive>,
    pub errors: Vec<SyntaxError>,
}

/// An interpolation being lexed: the string it resumes and how many `{` are open inside it.
struct OpenHole {
    style: StringStyle,
    braces: usize,
}

struct Lexer<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    holes: Vec<OpenHole>,
    /// Whether only whitespace (or nothing) precedes `pos` on its line.
    at_line_start: bool,
    out: Lexed,
}

pub(super) fn lex(text: &str) -> Lexed {
    let mut lexer = Lexer {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        holes: Vec::new(),
        at_line_start: true,
        out: Lexed {
            tokens: Vec::with_capacity(expected_tokens(text)),
            comments: Vec::new(),
            directives: Vec::new(),
            errors: Vec::new(),
        },
    };
    if text.starts_with('\u{feff}') {
        lexer.pos = '\u{feff}'.len_utf8();
    }
    lexer.run();
    lexer.out
}

/// Room for the tokens of a typical file of `text`'s size (about one token in every four to
/// five bytes), so that the list is not copied as it grows; a denser file still grows it.
fn expected_tokens(text: &str) -> usize {
    text.len() / 4 + 16
}

/// The longest identifier the compiler accepts (identifiers are ASCII, so bytes count).
const MAX_IDENTIFIER_LENGTH: usize = 255;

fn is_ident_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_'
}

fn is_ident_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

impl Lexer<'_> {
    fn peek(&self, ahead: usize) -> u8 {
        self.bytes.get(self.pos + ahead).copied().unwrap_or(0)
    }

    fn error(&mut self, start: usize, end: usize, code: &'static str, message: String) {
        self.out.errors.push(SyntaxError {
            span: TextSpan::new(start, end),
            message,
            code,
        });
    }

    fn push(&mut self, kind: Tok, start: usize) {
        self.out.tokens.push(Token {
            kind,
            span: TextSpan::new(start, self.pos),
            inner: TextSpan::at(start),
            style: StringStyle::Quoted,
        });
    }

    fn run(&mut self) {
        while self.pos < self.bytes.len() {
            let start = self.pos;
            let byte = self.peek(0);
            match byte {
                b' ' | b'\t' => self.pos += 1,
                b'\n' | b'\r' => {
                    self.close_quoted_holes(start);
                    self.pos += if byte == b'\r' && self.peek(1) == b'\n' {
                        2
                    } else {
                        1
                    };
                    self.push(Tok::NewLine, start);
                    self.at_line_start = true;
                    continue;
                }
                b'/' if self.peek(1) == b'/' => self.line_comment(),
                b'/' if self.peek(1) == b'*' => {
                    self.block_comment();
                    self.at_line_start = false;
                }
                b'#' if self.at_line_start && self.directive() => {}
                _ => {
                    self.token();
                    self.at_line_start = false;
                }
            }
        }
        let end = self.bytes.len();
        self.out.tokens.push(Token {
            kind: Tok::Eof,
            span: TextSpan::at(end),
            inner: TextSpan::at(end),
            style: StringStyle::Quoted,
        });
    }

    /// A line break inside the `${...}` of a quoted string ends that string there (BCP004).
    fn close_quoted_holes(&mut self, at: usize) {
        while self
            .holes
            .last()
            .is_some_and(|hole| hole.style == StringStyle::Quoted)
        {
            self.holes.pop();
            self.error(
                at,
                at,
                "BCP004",
                "The string at this location is not terminated due to an unexpected new line \
                 character."
                    .into(),
            );
        }
    }

    fn line_comment(&mut self) {
        let start = self.pos;
        while self.pos < self.bytes.len() && !matches!(self.peek(0), b'\n' | b'\r') {
            self.pos += 1;
        }
        self.comment(start, CommentKind::Line, start + 2, self.pos);
    }

    fn block_comment(&mut self) {
        let start = self.pos;
        match self.text.get(start + 2..).and_then(|rest| rest.find("*/")) {
            Some(at) => {
                self.pos = start + 2 + at + 2;
                self.comment(start, CommentKind::Block, start + 2, self.pos - 2);
            }
            None => {
                self.pos = self.bytes.len();
                self.error(
                    start,
                    self.pos,
                    "BCP002",
                    "The multi-line comment at this location is not terminated. Terminate it with \
                     the */ character sequence."
                        .into(),
                );
                self.comment(start, CommentKind::Block, start + 2, self.pos);
            }
        }
    }

    fn comment(&mut self, start: usize, kind: CommentKind, from: usize, to: usize) {
        let text = self.text.get(from..to).unwrap_or_default().to_string();
        self.out.comments.push(Comment {
            span: TextSpan::new(start, self.pos),
            kind,
            text,
        });
    }

    /// `#disable-next-line code...` and its kin, as the first thing on a line. Returns false
    /// (consuming nothing) for any other `#`, which is then an unrecognized token.
    fn directive(&mut self) -> bool {
        let start = self.pos;
        let mut end = start + 1;
        while self
            .bytes
            .get(end)
            .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'-')
        {
            end += 1;
        }
        let kind = match self.text.get(start + 1..end) {
            Some("disable-next-line") => DirectiveKind::DisableNextLine,
            Some("disable-diagnostics") => DirectiveKind::DisableDiagnostics,
            Some("restore-diagnostics") => DirectiveKind::RestoreDiagnostics,
            _ => return false,
        };
        self.pos = end;
        let mut codes = Vec::new();
        loop {
            while matches!(self.peek(0), b' ' | b'\t') {
                self.pos += 1;
            }
            let code_start = self.pos;
            while self
                .bytes
                .get(self.pos)
                .is_some_and(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_'))
            {
                self.pos += 1;
            }
            if self.pos == code_start {
                break;
            }
            let name = self.text.get(code_start..self.pos).unwrap_or_default();
            codes.push(Ident {
                span: TextSpan::new(code_start, self.pos),
                name: name.to_string(),
            });
        }
        let directive_end = codes.last().map_or(end, |c| c.span.end);
        if codes.is_empty() {
            self.error(
                directive_end,
                directive_end,
                "BCP226",
                "Expected at least one diagnostic code at this location.".into(),
            );
        }
        self.out.directives.push(Directive {
            span: TextSpan::new(start, directive_end),
            kind,
            codes,
        });
        true
    }

    fn token(&mut self) {
        let start = self.pos;
        let byte = self.peek(0);
        let next = self.peek(1);
        let (kind, len) = match byte {
            b'{' => {
                if let Some(hole) = self.holes.last_mut() {
                    hole.braces += 1;
                }
                (Tok::LBrace, 1)
            }
            b'}' => match self.holes.last_mut() {
                Some(hole) if hole.braces == 0 => {
                    let style = hole.style;
                    self.holes.pop();
                    self.pos += 1;
                    self.string_rest(start, style, false);
                    return;
                }
                // As in the compiler, a `{` inside the hole of a quoted string stays open: no
                // later `}` closes that hole (the string ends at the line break, BCP004).
                Some(hole) => {
                    if hole.style != StringStyle::Quoted {
                        hole.braces -= 1;
                    }
                    (Tok::RBrace, 1)
                }
                None => (Tok::RBrace, 1),
            },
            b'\'' => {
                self.string(start, 0);
                return;
            }
            b'$' => {
                let dollars = self
                    .bytes
                    .get(start..)
                    .map_or(0, |rest| rest.iter().take_while(|b| **b == b'$').count());
                if self
                    .text
                    .get(start + dollars..)
                    .is_some_and(|r| r.starts_with("'''"))
                {
                    self.string(start, dollars);
                    return;
                }
                self.pos += 1;
                self.unknown(start);
                return;
            }
            b'[' => (Tok::LBracket, 1),
            b']' => (Tok::RBracket, 1),
            b'(' => (Tok::LParen, 1),
            b')' => (Tok::RParen, 1),
            b',' => (Tok::Comma, 1),
            b'.' if next == b'.' && self.peek(2) == b'.' => (Tok::Ellipsis, 3),
            b'.' => (Tok::Dot, 1),
            b':' if next == b':' => (Tok::DoubleColon, 2),
            b':' => (Tok::Colon, 1),
            b'^' => (Tok::Caret, 1),
            b'?' if next == b'?' => (Tok::DoubleQuestion, 2),
            b'?' => (Tok::Question, 1),
            b'@' => (Tok::At, 1),
            b'=' if next == b'=' => (Tok::Equals, 2),
            b'=' if next == b'~' => (Tok::EqualsInsensitive, 2),
            b'=' if next == b'>' => (Tok::Arrow, 2),
            b'=' => (Tok::Assign, 1),
            b'!' if next == b'=' => (Tok::NotEquals, 2),
            b'!' if next == b'~' => (Tok::NotEqualsInsensitive, 2),
            b'!' => (Tok::Bang, 1),
            b'<' if next == b'=' => (Tok::LessOrEqual, 2),
            b'<' => (Tok::Less, 1),
            b'>' if next == b'=' => (Tok::GreaterOrEqual, 2),
            b'>' => (Tok::Greater, 1),
            b'+' => (Tok::Plus, 1),
            b'-' => (Tok::Minus, 1),
            b'*' => (Tok::Star, 1),
            b'/' => (Tok::Slash, 1),
            b'%' => (Tok::Percent, 1),
            b'&' if next == b'&' => (Tok::AndAnd, 2),
            b'|' if next == b'|' => (Tok::OrOr, 2),
            b'|' => (Tok::Pipe, 1),
            b if b.is_ascii_digit() => {
                let len = self.run_length(|b| b.is_ascii_digit());
                (Tok::Int, len)
            }
            b if is_ident_start(b) => (Tok::Ident, self.run_length(is_ident_char)),
            _ => {
                let len = self
                    .text
                    .get(start..)
                    .and_then(|rest| rest.chars().next())
                    .map_or(1, char::len_utf8);
                self.pos += len;
                self.unknown(start);
                return;
            }
        };
        self.pos += len;
        if kind == Tok::Ident && len > MAX_IDENTIFIER_LENGTH {
            self.error(
                start,
                self.pos,
                "BCP024",
                format!(
                    "The identifier exceeds the limit of {MAX_IDENTIFIER_LENGTH}. Reduce the \
                     length of the identifier."
                ),
            );
        }
        self.push(kind, start);
    }

    fn run_length(&self, accept: impl Fn(u8) -> bool) -> usize {
        self.bytes
            .get(self.pos..)
            .map_or(0, |rest| rest.iter().take_while(|b| accept(**b)).count())
    }

    fn unknown(&mut self, start: usize) {
        let found = self
            .text
            .get(start..self.pos)
            .unwrap_or_default()
            .to_string();
        self.error(
            start,
            self.pos,
            "BCP001",
            format!("The following token is not recognized: \"{found}\"."),
        );
        self.push(Tok::Unknown, start);
    }

    /// A string starting at `start` (at its `$` prefix or opening quote).
    fn string(&mut self, start: usize, dollars: usize) {
        let quote = start + dollars;
        if self.text.get(quote..).is_some_and(|r| r.starts_with("'''")) {
            self.pos = quote + 3;
            self.string_rest(start, StringStyle::Multiline { dollars }, true);
        } else {
            self.pos = quote + 1;
            self.string_rest(start, StringStyle::Quoted, true);
        }
    }

    /// The rest of a string piece from `self.pos` (just after its opening quote or `}`) to the
    /// closing quote or the next interpolation.
    fn string_rest(&mut self, start: usize, style: StringStyle, opening: bool) {
        let inner_start = self.pos;
        let end = match style {
            StringStyle::Quoted => self.quoted_piece(start),
            StringStyle::Multiline { dollars } => self.multiline_piece(start, dollars),
        };
        let kind = match (opening, end) {
            (true, PieceEnd::Quote(_)) => Tok::String,
            (true, PieceEnd::Hole(_)) => Tok::StringLeft,
            (false, PieceEnd::Hole(_)) => Tok::StringMiddle,
            (false, PieceEnd::Quote(_)) => Tok::StringRight,
        };
        let inner_end = match end {
            PieceEnd::Quote(at) | PieceEnd::Hole(at) => at,
        };
        if let PieceEnd::Hole(_) = end {
            self.holes.push(OpenHole { style, braces: 0 });
        }
        self.out.tokens.push(Token {
            kind,
            span: TextSpan::new(start, self.pos),
            inner: TextSpan::new(inner_start, inner_end),
            style,
        });
    }

    /// Scans a `'...'` piece with escapes; an unterminated string ends before the line break.
    fn quoted_piece(&mut self, start: usize) -> PieceEnd {
        loop {
            let at = self.pos;
            match self.peek(0) {
                b'\'' => {
                    self.pos += 1;
                    return PieceEnd::Quote(at);
                }
                b'$' if self.peek(1) == b'{' => {
                    self.pos += 2;
                    return PieceEnd::Hole(at);
                }
                b'\\' => self.escape(),
                b'\n' | b'\r' => {
                    self.error(
                        start,
                        at,
                        "BCP004",
                        "The string at this location is not terminated due to an unexpected new \
                         line character."
                            .into(),
                    );
                    return PieceEnd::Quote(at);
                }
                0 if at >= self.bytes.len() => {
                    self.error(
                        start,
                        at,
                        "BCP003",
                        "The string at this location is not terminated.".into(),
                    );
                    return PieceEnd::Quote(at);
                }
                _ => self.pos += 1,
            }
        }
    }

    fn escape(&mut self) {
        let at = self.pos;
        match self.peek(1) {
            b'\'' | b'\\' | b'n' | b'r' | b't' | b'$' => self.pos += 2,
            b'u' if self.peek(2) == b'{' => {
                let digits_start = at + 3;
                let mut end = digits_start;
                while self.bytes.get(end).is_some_and(u8::is_ascii_hexdigit) {
                    end += 1;
                }
                let valid = end > digits_start
                    && self.bytes.get(end) == Some(&b'}')
                    && self
                        .text
                        .get(digits_start..end)
                        .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                        .is_some_and(|code| code <= 0x10FFFF);
                if valid {
                    self.pos = end + 1;
                } else {
                    self.pos = end;
                    self.error(
                        at,
                        end,
                        "BCP006",
                        "The specified escape sequence is not recognized.".into(),
                    );
                }
            }
            b'\n' | b'\r' | 0 => self.pos += 1,
            _ => {
                let len = self
                    .text
                    .get(at + 1..)
                    .and_then(|rest| rest.chars().next())
                    .map_or(1, char::len_utf8);
                self.pos = at + 1 + len;
                self.error(
                    at,
                    self.pos,
                    "BCP006",
                    "The specified escape sequence is not recognized. Only the following escape \
                     sequences are allowed: \"\\$\", \"\\'\", \"\\\\\", \"\\n\", \"\\r\", \"\\t\", \
                     \"\\u{...}\"."
                        .into(),
                );
            }
        }
    }

    /// Scans a `'''` piece: no escapes; `$`×dollars followed by `{` opens an interpolation when
    /// `dollars` > 0. The closing `'''` is the last three quotes of a run.
    fn multiline_piece(&mut self, start: usize, dollars: usize) -> PieceEnd {
        loop {
            let at = self.pos;
            if at >= self.bytes.len() {
                self.error(
                    start,
                    at,
                    "BCP140",
                    "The multi-line string at this location is not terminated. Terminate it with \
                     \"'''\"."
                        .into(),
                );
                return PieceEnd::Quote(at);
            }
            match self.peek(0) {
                b'\'' => {
                    let run = self.run_length(|b| b == b'\'');
                    if run >= 3 {
                        self.pos = at + run;
                        return PieceEnd::Quote(at + run - 3);
                    }
                    self.pos += run;
                }
                b'$' if dollars > 0 => {
                    let run = self.run_length(|b| b == b'$');
                    if run >= dollars && self.bytes.get(at + run) == Some(&b'{') {
                        self.pos = at + run + 1;
                        return PieceEnd::Hole(at + run - dollars);
                    }
                    self.pos += run;
                }
                _ => self.pos += 1,
            }
        }
    }
}

#[derive(Clone, Copy)]
enum PieceEnd {
    /// The string ended; the text ends at this offset.
    Quote(usize),
    /// An interpolation opens; the text ends at this offset.
    Hole(usize),
}

/// Decodes the escapes of a quoted string's raw text (invalid escapes are kept as written;
/// the lexer reported them). `\u{...}` escapes of a UTF-16 surrogate pair make one character.
pub(super) fn unescape(raw: &str) -> String {
    if !raw.contains('\\') {
        return raw.to_string();
    }
    let mut out = String::with_capacity(raw.len());
    let mut high_surrogate: Option<u32> = None;
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        let unit = if c == '\\' && chars.peek() == Some(&'u') {
            chars.next();
            unicode_escape(&mut chars)
        } else {
            Err(c.to_string())
        };
        if let Some(high) = high_surrogate.take() {
            match unit {
                Ok(low @ 0xDC00..=0xDFFF) => {
                    let code = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
                    out.push(char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER));
                    continue;
                }
                _ => out.push(char::REPLACEMENT_CHARACTER),
            }
        }
        match unit {
            Ok(high @ 0xD800..=0xDBFF) => high_surrogate = Some(high),
            Ok(code) => out.push(char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER)),
            Err(_) if c == '\\' => push_escape(&mut out, chars.next()),
            Err(written) => out.push_str(&written),
        }
    }
    if high_surrogate.is_some() {
        out.push(char::REPLACEMENT_CHARACTER);
    }
    out
}

/// The character a one-letter escape stands for (as written when it is not an escape).
fn push_escape(out: &mut String, escaped: Option<char>) {
    match escaped {
        Some('n') => out.push('\n'),
        Some('r') => out.push('\r'),
        Some('t') => out.push('\t'),
        Some(c @ ('\'' | '\\' | '$')) => out.push(c),
        Some(other) => {
            out.push('\\');
            out.push(other);
        }
        None => out.push('\\'),
    }
}

/// After `\u`: the code point of `{hex}`, or the text as written when malformed.
fn unicode_escape(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> Result<u32, String> {
    let mut written = String::from("\\u");
    if chars.peek() != Some(&'{') {
        return Err(written);
    }
    written.push('{');
    chars.next();
    let mut hex = String::new();
    while let Some(c) = chars.peek().copied().filter(char::is_ascii_hexdigit) {
        hex.push(c);
        chars.next();
    }
    written.push_str(&hex);
    if chars.peek() != Some(&'}') {
        return Err(written);
    }
    chars.next();
    u32::from_str_radix(&hex, 16)
        .ok()
        .filter(|code| *code <= 0x10FFFF)
        .ok_or(written + "}")
}
