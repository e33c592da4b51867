//! The lexer: the text between an expression's brackets into tokens.

use super::{ExprError, error_at};

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Tok {
    Str(String),
    Int(i64),
    Float(f64),
    Ident(String),
    LParen,
    RParen,
    LBracket,
    RBracket,
    Comma,
    Dot,
    Question,
    End,
}

impl Tok {
    pub(super) fn describe(&self) -> String {
        match self {
            Tok::Str(_) => "a string".to_string(),
            Tok::Int(_) | Tok::Float(_) => "a number".to_string(),
            Tok::Ident(name) => format!("`{name}`"),
            Tok::LParen => "`(`".to_string(),
            Tok::RParen => "`)`".to_string(),
            Tok::LBracket => "`[`".to_string(),
            Tok::RBracket => "`]`".to_string(),
            Tok::Comma => "`,`".to_string(),
            Tok::Dot => "`.`".to_string(),
            Tok::Question => "`?`".to_string(),
            Tok::End => "the end of the expression".to_string(),
        }
    }
}

#[derive(Debug, Clone)]
pub(super) struct Token {
    pub(super) tok: Tok,
    pub(super) offset: usize,
}

pub(super) type Chars<'a> = std::iter::Peekable<std::str::CharIndices<'a>>;

/// Splits `body` (the text between the brackets, which starts at `base` in the full text) into tokens.
pub(super) fn lex(body: &str, base: usize) -> Result<Vec<Token>, ExprError> {
    let mut tokens = Vec::new();
    let mut chars = body.char_indices().peekable();
    while let Some(&(index, c)) = chars.peek() {
        let offset = base + index;
        let tok = match c {
            c if c.is_whitespace() => {
                chars.next();
                continue;
            }
            '(' | ')' | '[' | ']' | ',' | '.' | '?' => {
                chars.next();
                punctuation(c)
            }
            '\'' => lex_string(&mut chars, offset)?,
            '-' | '0'..='9' => lex_number(body, &mut chars, base)?,
            c if is_ident_start(c) => lex_identifier(body, &mut chars),
            other => return Err(error_at(offset, format!("unexpected character `{other}`"))),
        };
        tokens.push(Token { tok, offset });
    }
    tokens.push(Token {
        tok: Tok::End,
        offset: base + body.len(),
    });
    Ok(tokens)
}

pub(super) fn punctuation(c: char) -> Tok {
    match c {
        '(' => Tok::LParen,
        ')' => Tok::RParen,
        '[' => Tok::LBracket,
        ']' => Tok::RBracket,
        ',' => Tok::Comma,
        '.' => Tok::Dot,
        _ => Tok::Question,
    }
}

pub(super) fn is_ident_start(c: char) -> bool {
    c.is_alphabetic() || c == '_' || c == '$'
}

pub(super) fn is_ident_continue(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '$'
}

/// A single-quoted string; `''` stands for one quote.
pub(super) fn lex_string(chars: &mut Chars<'_>, offset: usize) -> Result<Tok, ExprError> {
    chars.next();
    let mut text = String::new();
    loop {
        match chars.next() {
            Some((_, '\'')) => {
                if chars.next_if(|&(_, c)| c == '\'').is_none() {
                    return Ok(Tok::Str(text));
                }
                text.push('\'');
            }
            Some((_, c)) => text.push(c),
            None => return Err(error_at(offset, "string literal is not closed with `'`")),
        }
    }
}

pub(super) fn lex_number(body: &str, chars: &mut Chars<'_>, base: usize) -> Result<Tok, ExprError> {
    let start = chars.peek().map_or(0, |&(i, _)| i);
    chars.next_if(|&(_, c)| c == '-');
    let digits_start = chars.peek().map_or(body.len(), |&(i, _)| i);
    let mut end = consume_digits(chars, digits_start);
    if end == digits_start {
        return Err(error_at(base + start, "`-` must be followed by a number"));
    }
    let mut is_float = false;
    if chars.peek().is_some_and(|&(_, c)| c == '.') {
        let mut lookahead = chars.clone();
        lookahead.next();
        if lookahead.peek().is_some_and(|&(_, c)| c.is_ascii_digit()) {
            chars.next();
            end = consume_digits(chars, end + 1);
            is_float = true;
        }
    }
    let literal = body.get(start..end).unwrap_or_default();
    let out_of_range = || error_at(base + start, format!("number `{literal}` is out of range"));
    if is_float {
        literal.parse().map(Tok::Float).map_err(|_| out_of_range())
    } else {
        literal.parse().map(Tok::Int).map_err(|_| out_of_range())
    }
}

/// Consumes ASCII digits; returns the byte index after the last one.
pub(super) fn consume_digits(chars: &mut Chars<'_>, mut end: usize) -> usize {
    while let Some((i, c)) = chars.next_if(|&(_, c)| c.is_ascii_digit()) {
        end = i + c.len_utf8();
    }
    end
}

pub(super) fn lex_identifier(body: &str, chars: &mut Chars<'_>) -> Tok {
    let start = chars.peek().map_or(0, |&(i, _)| i);
    let mut end = start;
    while let Some((i, c)) = chars.next_if(|&(_, c)| is_ident_continue(c)) {
        end = i + c.len_utf8();
    }
    Tok::Ident(body.get(start..end).unwrap_or_default().to_string())
}
