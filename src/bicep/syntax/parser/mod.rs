//! The recursive-descent parser over the lexer's tokens.
//!
//! A parse function that meets something it cannot read records one error and returns
//! [`Stop`]; the nearest recovery point (a declaration, an object property, an array item, a
//! call argument, an interpolation) skips to the end of its line or to its closing bracket and
//! goes on, so one mistake costs one error and the rest of the file is still read. Nesting
//! deeper than [`MAX_DEPTH`] is an error, not a stack overflow; every loop consumes a token or
//! stops, so no input makes the parser hang.

mod decl;
mod expr;
mod types;

use super::Dialect;
use super::MAX_DEPTH;
use super::ast::{File, Ident, ParsedFile, SyntaxError, TextSpan};
use super::lexer::{self, Tok, Token};

/// A parse function gave up; its error is already recorded.
#[derive(Debug)]
struct Stop;

type PResult<T> = Result<T, Stop>;

struct Parser<'a> {
    text: &'a str,
    tokens: Vec<Token>,
    pos: usize,
    errors: Vec<SyntaxError>,
    depth: usize,
    /// Whether the innermost bracket is a parenthesis (call arguments or a parenthesized
    /// expression), where a lambda's body may start on the next line.
    in_parens: bool,
    dialect: Dialect,
}

pub(super) fn parse(text: &str, dialect: Dialect) -> ParsedFile {
    let lexed = lexer::lex(text);
    let mut parser = Parser {
        text,
        tokens: lexed.tokens,
        pos: 0,
        errors: lexed.errors,
        depth: 0,
        in_parens: false,
        dialect,
    };
    let declarations = parser.declarations();
    let mut errors = parser.errors;
    errors.sort_by_key(|e| (e.span.start, e.span.end));
    ParsedFile {
        file: File {
            span: TextSpan::new(0, text.len()),
            declarations,
        },
        errors,
        comments: lexed.comments,
        directives: lexed.directives,
    }
}

impl Parser<'_> {
    fn peek(&self) -> Token {
        self.nth(0)
    }

    fn nth(&self, ahead: usize) -> Token {
        self.tokens
            .get(self.pos + ahead)
            .or_else(|| self.tokens.last())
            .copied()
            .unwrap_or(Token {
                kind: Tok::Eof,
                span: TextSpan::at(self.text.len()),
                inner: TextSpan::at(self.text.len()),
                style: lexer::StringStyle::Quoted,
            })
    }

    fn kind(&self) -> Tok {
        self.peek().kind
    }

    fn at(&self, kind: Tok) -> bool {
        self.kind() == kind
    }

    /// The current token, and moves past it (never past the end).
    fn bump(&mut self) -> Token {
        let token = self.peek();
        if token.kind != Tok::Eof {
            self.pos += 1;
        }
        token
    }

    fn eat(&mut self, kind: Tok) -> Option<Token> {
        self.at(kind).then(|| self.bump())
    }

    fn slice(&self, span: TextSpan) -> &str {
        self.text.get(span.range()).unwrap_or_default()
    }

    /// Whether the current token is the identifier `word`.
    fn at_word(&self, word: &str) -> bool {
        let token = self.peek();
        token.kind == Tok::Ident && self.slice(token.span) == word
    }

    fn eat_word(&mut self, word: &str) -> Option<Token> {
        self.at_word(word).then(|| self.bump())
    }

    /// The end of the last token consumed.
    fn last_end(&self) -> usize {
        self.pos
            .checked_sub(1)
            .and_then(|i| self.tokens.get(i))
            .map_or(0, |t| t.span.end)
    }

    fn skip_newlines(&mut self) {
        while self.at(Tok::NewLine) {
            self.bump();
        }
    }

    /// The first token after any newlines, without consuming.
    fn after_newlines(&self) -> Token {
        let mut ahead = 0;
        while self.nth(ahead).kind == Tok::NewLine {
            ahead += 1;
        }
        self.nth(ahead)
    }

    fn kind_after_newlines(&self) -> Tok {
        self.after_newlines().kind
    }

    /// Whether the first token after any newlines is the identifier `word`.
    fn word_after_newlines(&self, word: &str) -> bool {
        let token = self.after_newlines();
        token.kind == Tok::Ident && self.slice(token.span) == word
    }

    fn error(&mut self, span: TextSpan, code: &'static str, message: impl Into<String>) {
        self.errors.push(SyntaxError {
            span,
            message: message.into(),
            code,
        });
    }

    /// Records an error at the current token and stops.
    fn fail<T>(&mut self, code: &'static str, message: impl Into<String>) -> PResult<T> {
        let token = self.peek();
        let span = match token.kind {
            Tok::NewLine | Tok::Eof => TextSpan::at(token.span.start),
            _ => token.span,
        };
        self.error(span, code, message);
        Err(Stop)
    }

    /// Consumes a token of `kind` or fails with BCP018 naming `character`.
    fn expect(&mut self, kind: Tok, character: &str) -> PResult<Token> {
        match self.eat(kind) {
            Some(token) => Ok(token),
            None => self.fail(
                "BCP018",
                format!("Expected the \"{character}\" character at this location."),
            ),
        }
    }

    /// Consumes the keyword `word` or fails with BCP012.
    fn expect_word(&mut self, word: &str) -> PResult<Token> {
        match self.eat_word(word) {
            Some(token) => Ok(token),
            None => self.fail(
                "BCP012",
                format!("Expected the \"{word}\" keyword at this location."),
            ),
        }
    }

    /// An identifier, or fails with `code` and `message`.
    fn ident(&mut self, code: &'static str, message: &str) -> PResult<Ident> {
        if self.at(Tok::Ident) {
            let token = self.bump();
            return Ok(self.ident_of(token));
        }
        self.fail(code, message)
    }

    fn ident_of(&self, token: Token) -> Ident {
        Ident {
            span: token.span,
            name: self.slice(token.span).to_string(),
        }
    }

    /// Runs `parse` one nesting level deeper, failing beyond [`MAX_DEPTH`].
    #[inline(always)]
    fn nested<T>(&mut self, parse: impl FnOnce(&mut Self) -> PResult<T>) -> PResult<T> {
        if self.depth >= MAX_DEPTH {
            return self.fail(
                "",
                format!("The expression is nested more than {MAX_DEPTH} levels deep."),
            );
        }
        self.depth += 1;
        let result = parse(self);
        self.depth -= 1;
        result
    }

    /// Fails when the `links`-th link of a chain (`a.b.c`, `1 + 2 + 3`), each nesting the ones
    /// before it, makes the expression deeper than [`MAX_DEPTH`].
    fn chained(&mut self, links: usize) -> PResult<()> {
        if self.depth + links > MAX_DEPTH {
            return self.fail(
                "",
                format!("The expression is nested more than {MAX_DEPTH} levels deep."),
            );
        }
        Ok(())
    }

    /// The items of a bracketed list after its opening bracket, newline- or comma-separated,
    /// up to `close` (consumed): the items and the end offset of `close`. An item that fails is
    /// skipped to the end of its line or to `close`.
    fn items_until<T>(
        &mut self,
        close: Tok,
        mut item: impl FnMut(&mut Self) -> PResult<T>,
    ) -> PResult<(Vec<T>, usize)> {
        let mut items = Vec::new();
        let errors_before = self.errors.len();
        loop {
            self.skip_newlines();
            if let Some(token) = self.eat(close) {
                return Ok((items, token.span.end));
            }
            if self.at(Tok::Eof) {
                // As in the compiler, an object or array the file ends inside is one error at
                // the end: what went wrong inside it is not reported.
                self.errors.truncate(errors_before);
                let character = if close == Tok::RBrace { "}" } else { "]" };
                return self.fail(
                    "BCP018",
                    format!("Expected the \"{character}\" character at this location."),
                );
            }
            match item(self) {
                Ok(value) => items.push(value),
                Err(Stop) => self.recover(&[close]),
            }
            self.item_separator(close);
        }
    }

    /// Runs `parse` with [`Parser::in_parens`] set to `inside`, restoring it after.
    #[inline(always)]
    fn with_parens<T>(&mut self, inside: bool, parse: impl FnOnce(&mut Self) -> T) -> T {
        let outer = std::mem::replace(&mut self.in_parens, inside);
        let result = parse(self);
        self.in_parens = outer;
        result
    }

    /// Skips to the end of the line (not consuming the newline), or to the first token of
    /// `stops` outside brackets opened while skipping.
    fn recover(&mut self, stops: &[Tok]) {
        let mut open = 0usize;
        loop {
            let kind = self.kind();
            match kind {
                Tok::Eof | Tok::NewLine => return,
                _ if open == 0 && stops.contains(&kind) => return,
                Tok::LBrace | Tok::LBracket | Tok::LParen => open += 1,
                Tok::RBrace | Tok::RBracket | Tok::RParen => open = open.saturating_sub(1),
                _ => {}
            }
            self.bump();
        }
    }
}
