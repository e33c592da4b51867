//! The parser: tokens into the expression syntax tree ([`Expr`]).

use super::lexer::{Tok, Token, lex};
use super::value::Val;
use super::{ExprError, MAX_EXPRESSION_BYTES, MAX_NESTING, error_at};

/// One node of an expression's syntax tree, at the byte offset of its text in the expression (the
/// opening `[` is offset 0).
#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    pub offset: usize,
    pub kind: Kind,
}

/// What an [`Expr`] is: a literal (string, number, boolean or null), a function call, or a
/// property access (`.name`, `.?name`) or index (`[index]`, `[?index]`) on another expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    Literal(Val),
    Call(Call),
    Member {
        target: Box<Expr>,
        name: String,
        safe: bool,
    },
    Index {
        target: Box<Expr>,
        index: Box<Expr>,
        safe: bool,
    },
}

/// A function call: `name(args...)`, or `namespace.name(args...)` for a user-defined function.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    /// As written, for messages.
    pub name: String,
    /// Lower case, for dispatch.
    pub key: String,
    pub args: Vec<Expr>,
}

/// Parses an expression string with its brackets (`"[concat('a', parameters('b'))]"`) into its
/// syntax tree; errors carry the offset of the problem.
pub fn parse(text: &str) -> Result<Expr, ExprError> {
    if text.len() > MAX_EXPRESSION_BYTES {
        return Err(error_at(
            0,
            format!("expression is longer than {MAX_EXPRESSION_BYTES} bytes"),
        ));
    }
    let body = text
        .get(1..text.len().saturating_sub(1))
        .unwrap_or_default();
    let tokens = lex(body, 1)?;
    let mut parser = Parser { tokens, pos: 0 };
    if parser.peek() == &Tok::End {
        return Err(error_at(1, "empty expression"));
    }
    let expr = parser.parse_expr(0)?;
    let next = parser.next_token();
    if next.tok != Tok::End {
        let message = format!("unexpected {} after the expression", next.tok.describe());
        return Err(error_at(next.offset, message));
    }
    Ok(expr)
}

/// An expression's syntax tree (or why it has none), shared by the places that parse it.
pub type Parsed = std::rc::Rc<Result<Expr, ExprError>>;

/// Expressions parsed on this thread, kept for at most this many texts at a time.
const MAX_REMEMBERED: usize = 4096;

/// Texts longer than this are parsed each time (templates repeat short expressions).
const MAX_REMEMBERED_BYTES: usize = 256;

/// [`parse`], remembered per thread: templates repeat the same expressions
/// (`[parameters('location')]`, `[resourceGroup().location]`) many times over.
pub fn parse_remembered(text: &str) -> Parsed {
    thread_local! {
        static PARSED: std::cell::RefCell<foldhash::HashMap<Box<str>, Parsed>> =
            std::cell::RefCell::default();
    }
    if text.len() > MAX_REMEMBERED_BYTES {
        return Parsed::new(parse(text));
    }
    PARSED.with_borrow_mut(|parsed| {
        if let Some(tree) = parsed.get(text) {
            return tree.clone();
        }
        if parsed.len() >= MAX_REMEMBERED {
            parsed.clear();
        }
        let tree = Parsed::new(parse(text));
        parsed.insert(text.into(), tree.clone());
        tree
    })
}

struct Parser {
    tokens: Vec<Token>,
    pos: usize,
}

impl Parser {
    fn peek(&self) -> &Tok {
        self.peek_nth(0)
    }

    fn peek_nth(&self, n: usize) -> &Tok {
        self.tokens
            .get(self.pos + n)
            .map_or(&Tok::End, |token| &token.tok)
    }

    fn offset(&self) -> usize {
        self.tokens
            .get(self.pos)
            .or(self.tokens.last())
            .map_or(0, |token| token.offset)
    }

    /// Takes the next token (the end token, repeatedly, once the input is exhausted).
    fn next_token(&mut self) -> Token {
        let offset = self.offset();
        match self.tokens.get_mut(self.pos) {
            Some(token) if token.tok != Tok::End => {
                self.pos += 1;
                let tok = std::mem::replace(&mut token.tok, Tok::End);
                Token { tok, offset }
            }
            _ => Token {
                tok: Tok::End,
                offset,
            },
        }
    }

    fn expect(&mut self, expected: &Tok, context: &str) -> Result<Token, ExprError> {
        let token = self.next_token();
        if &token.tok == expected {
            Ok(token)
        } else {
            let found = token.tok.describe();
            let message = format!("expected {} {context}, found {found}", expected.describe());
            Err(error_at(token.offset, message))
        }
    }

    fn parse_expr(&mut self, depth: usize) -> Result<Expr, ExprError> {
        if depth > MAX_NESTING {
            return Err(too_deep(self.offset()));
        }
        let primary = self.parse_primary(depth)?;
        self.parse_postfix(primary, depth)
    }

    fn parse_primary(&mut self, depth: usize) -> Result<Expr, ExprError> {
        let token = self.next_token();
        let offset = token.offset;
        let literal = |value| {
            Ok(Expr {
                offset,
                kind: Kind::Literal(value),
            })
        };
        match token.tok {
            Tok::Str(text) => literal(Val::String(text)),
            Tok::Int(n) => literal(Val::Int(n)),
            Tok::Float(f) => literal(Val::Float(f)),
            Tok::Ident(name) => self.parse_identifier(name, offset, depth),
            other => {
                let message = format!("expected an expression, found {}", other.describe());
                Err(error_at(offset, message))
            }
        }
    }

    /// A function call (`name(...)`, or `namespace.name(...)` for a user-defined function) or one
    /// of the bare literals `true`, `false` and `null`.
    fn parse_identifier(
        &mut self,
        mut name: String,
        offset: usize,
        depth: usize,
    ) -> Result<Expr, ExprError> {
        if let (Tok::Dot, Tok::Ident(member), Tok::LParen) =
            (self.peek(), self.peek_nth(1), self.peek_nth(2))
        {
            name = format!("{name}.{member}");
            self.pos += 2;
        }
        if self.peek() == &Tok::LParen {
            self.pos += 1;
            let args = self.parse_arguments(&name, depth)?;
            let key = name.to_lowercase();
            let kind = Kind::Call(Call { name, key, args });
            return Ok(Expr { offset, kind });
        }
        let value = match name.to_ascii_lowercase().as_str() {
            "true" => Val::Bool(true),
            "false" => Val::Bool(false),
            "null" => Val::Null,
            _ => {
                let message = format!("expected `(` after the function name `{name}`");
                return Err(error_at(offset, message));
            }
        };
        Ok(Expr {
            offset,
            kind: Kind::Literal(value),
        })
    }

    /// Arguments after the opening parenthesis, through the closing one.
    fn parse_arguments(&mut self, name: &str, depth: usize) -> Result<Vec<Expr>, ExprError> {
        let mut args = Vec::new();
        if self.peek() == &Tok::RParen {
            self.pos += 1;
            return Ok(args);
        }
        loop {
            args.push(self.parse_expr(depth + 1)?);
            let token = self.next_token();
            match token.tok {
                Tok::Comma => {}
                Tok::RParen => return Ok(args),
                other => {
                    let found = other.describe();
                    let message =
                        format!("expected `,` or `)` in the call to `{name}`, found {found}");
                    return Err(error_at(token.offset, message));
                }
            }
        }
    }

    /// `.name`, `.?name`, `[index]` and `[?index]` after an expression.
    fn parse_postfix(&mut self, mut expr: Expr, depth: usize) -> Result<Expr, ExprError> {
        let mut level = depth;
        loop {
            let (is_member, offset) = match self.peek() {
                Tok::Dot => (true, self.offset()),
                Tok::LBracket => (false, self.offset()),
                _ => return Ok(expr),
            };
            level += 1;
            if level > MAX_NESTING {
                return Err(too_deep(offset));
            }
            self.pos += 1;
            let safe = self.peek() == &Tok::Question;
            if safe {
                self.pos += 1;
            }
            expr = if is_member {
                self.parse_member(expr, safe)?
            } else {
                let index = self.parse_expr(level + 1)?;
                self.expect(&Tok::RBracket, "to close the index")?;
                let kind = Kind::Index {
                    target: Box::new(expr),
                    index: Box::new(index),
                    safe,
                };
                Expr { offset, kind }
            };
        }
    }

    fn parse_member(&mut self, target: Expr, safe: bool) -> Result<Expr, ExprError> {
        let token = self.next_token();
        match token.tok {
            Tok::Ident(name) => Ok(Expr {
                offset: token.offset,
                kind: Kind::Member {
                    target: Box::new(target),
                    name,
                    safe,
                },
            }),
            other => {
                let message = format!(
                    "expected a property name after `.`, found {}",
                    other.describe()
                );
                Err(error_at(token.offset, message))
            }
        }
    }
}

pub(super) fn too_deep(offset: usize) -> ExprError {
    error_at(
        offset,
        format!("expression is nested more than {MAX_NESTING} levels deep"),
    )
}

#[cfg(test)]
mod tests {
    use crate::arm::expr::test_support::*;
    use crate::arm::expr::*;

    #[test]
    fn remembered_parses_are_the_parses_and_shared_while_remembered() {
        let texts = ["[parameters('location')]", "[concat('a', )]", "[]"];
        for text in texts {
            let first = parse_remembered(text);
            assert_eq!(*first, parse(text), "{text}");
            assert!(
                std::rc::Rc::ptr_eq(&first, &parse_remembered(text)),
                "{text}"
            );
        }
        let long = format!("[concat('{}')]", "a".repeat(super::MAX_REMEMBERED_BYTES));
        assert_eq!(*parse_remembered(&long), parse(&long));
        assert!(!std::rc::Rc::ptr_eq(
            &parse_remembered(&long),
            &parse_remembered(&long)
        ));
    }

    #[test]
    fn more_texts_than_are_remembered_still_parse() {
        let first = parse_remembered("[variables('v0')]");
        for i in 0..=super::MAX_REMEMBERED {
            let text = format!("[variables('v{i}')]");
            assert_eq!(*parse_remembered(&text), parse(&text));
        }
        assert_eq!(*first, *parse_remembered("[variables('v0')]"));
    }

    #[test]
    fn syntax_errors_have_offsets() {
        for (text, offset, message) in [
            ("[concat('a', )]", 13, "expected an expression, found `)`"),
            (
                "[concat('a' 'b')]",
                12,
                "expected `,` or `)` in the call to `concat`, found a string",
            ),
            ("['abc]", 1, "string literal is not closed with `'`"),
            (
                "[concat(]",
                8,
                "expected an expression, found the end of the expression",
            ),
            ("[foo]", 1, "expected `(` after the function name `foo`"),
            ("[1 2]", 3, "unexpected a number after the expression"),
            ("[]", 1, "empty expression"),
            ("[  ]", 1, "empty expression"),
            (
                "[parameters('x').]",
                17,
                "expected a property name after `.`, found the end of the expression",
            ),
            (
                "[parameters('x')[0]",
                18,
                "expected `]` to close the index, found the end of the expression",
            ),
            ("[-]", 1, "`-` must be followed by a number"),
            ("[a # b]", 3, "unexpected character `#`"),
            (
                "[99999999999999999999]",
                1,
                "number `99999999999999999999` is out of range",
            ),
            ("[concat('é', #)]", 14, "unexpected character `#`"),
        ] {
            assert_eq!(
                evaluate(text, &env()),
                Err(error_at(offset, message)),
                "{text}"
            );
        }
    }

    fn nested_calls(depth: usize) -> String {
        format!("[{}'a'{}]", "concat(".repeat(depth), ")".repeat(depth))
    }

    #[test]
    fn nesting_is_bounded() {
        assert_eq!(eval(&nested_calls(MAX_NESTING)), s("a"));
        assert!(
            error(&nested_calls(MAX_NESTING + 1))
                .message
                .contains("nested more than 64")
        );
        assert!(
            error(&nested_calls(5_000))
                .message
                .contains("nested more than 64")
        );
        assert!(
            error(&nested_calls(100_000))
                .message
                .contains("longer than 65536 bytes")
        );
        let members = format!("[parameters('obj'){}]", ".a".repeat(10_000));
        assert!(error(&members).message.contains("nested more than 64"));
        let indexes = format!("[parameters('list'){}]", "[0]".repeat(65));
        assert!(error(&indexes).message.contains("nested more than 64"));
        // The deepest accepted expression evaluates on a small stack.
        let deepest = format!(
            "[{}parameters('obj'){}{}]",
            "if(true(), ".repeat(MAX_NESTING - 1),
            ".?a",
            ", 1)".repeat(MAX_NESTING - 1)
        );
        let handle = std::thread::Builder::new()
            .stack_size(1024 * 1024)
            .spawn(move || evaluate(&deepest, &env()).map(|v| v.is_unknown()))
            .unwrap();
        assert_eq!(handle.join().unwrap(), Ok(false));
    }
}
