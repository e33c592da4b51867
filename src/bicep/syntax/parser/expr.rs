//! Expressions: operators by precedence, postfix access, literals, strings, arrays, objects,
//! loops and lambdas.

use super::{PResult, Parser, Stop};
use crate::bicep::syntax::ast::*;
use crate::bicep::syntax::lexer::{self, StringStyle, Tok, Token};

const EXPECTED_VALUE: &str = "Expected a literal value, an array, an object, a parenthesized \
                              expression, or a function call at this location.";

fn binary_op(kind: Tok) -> Option<BinaryOp> {
    Some(match kind {
        Tok::DoubleQuestion => BinaryOp::Coalesce,
        Tok::OrOr => BinaryOp::Or,
        Tok::AndAnd => BinaryOp::And,
        Tok::Equals => BinaryOp::Equals,
        Tok::NotEquals => BinaryOp::NotEquals,
        Tok::EqualsInsensitive => BinaryOp::EqualsInsensitive,
        Tok::NotEqualsInsensitive => BinaryOp::NotEqualsInsensitive,
        Tok::Less => BinaryOp::Less,
        Tok::LessOrEqual => BinaryOp::LessOrEqual,
        Tok::Greater => BinaryOp::Greater,
        Tok::GreaterOrEqual => BinaryOp::GreaterOrEqual,
        Tok::Plus => BinaryOp::Add,
        Tok::Minus => BinaryOp::Subtract,
        Tok::Star => BinaryOp::Multiply,
        Tok::Slash => BinaryOp::Divide,
        Tok::Percent => BinaryOp::Modulo,
        _ => return None,
    })
}

fn boxed(span: TextSpan, kind: ExprKind) -> Expr {
    Expr { span, kind }
}

impl Parser<'_> {
    /// A full expression: a lambda, or a ternary over binary operators.
    pub(super) fn expr(&mut self) -> PResult<Expr> {
        if self.at(Tok::Ident) && self.nth(1).kind == Tok::Arrow {
            return self.lambda();
        }
        let condition = self.binary(0)?;
        if self.kind_after_newlines() != Tok::Question {
            return Ok(condition);
        }
        self.skip_newlines();
        self.bump();
        let then = self.nested(Self::expr)?;
        if self.kind_after_newlines() == Tok::Colon {
            self.skip_newlines();
        }
        self.expect(Tok::Colon, ":")?;
        let otherwise = self.nested(Self::expr)?;
        let span = condition.span.cover(otherwise.span);
        Ok(boxed(
            span,
            ExprKind::Ternary(Box::new(TernaryExpr {
                condition,
                then,
                otherwise,
            })),
        ))
    }

    /// Binary operators binding tighter than `min_precedence`, left-associative.
    fn binary(&mut self, min_precedence: u8) -> PResult<Expr> {
        let mut left = self.unary()?;
        let mut links = 0;
        while let Some(op) = binary_op(self.kind()).filter(|op| op.precedence() > min_precedence) {
            links += 1;
            self.chained(links)?;
            let op_span = self.bump().span;
            let right = self.nested(|p| p.binary(op.precedence()))?;
            let span = left.span.cover(right.span);
            left = boxed(
                span,
                ExprKind::Binary(Box::new(BinaryExpr {
                    op,
                    op_span,
                    left,
                    right,
                })),
            );
        }
        Ok(left)
    }

    fn unary(&mut self) -> PResult<Expr> {
        let op = match self.kind() {
            Tok::Bang => UnaryOp::Not,
            Tok::Minus => UnaryOp::Minus,
            _ => return self.postfix(),
        };
        let start = self.bump().span.start;
        let operand = self.postfix()?;
        Ok(boxed(
            TextSpan::new(start, operand.span.end),
            ExprKind::Unary(op, Box::new(operand)),
        ))
    }

    /// A primary expression followed by `.name`, `.?name`, `.name(args)`, `[i]`, `[?i]`, `!`.
    fn postfix(&mut self) -> PResult<Expr> {
        let mut base = self.primary()?;
        let mut links = 0;
        while matches!(
            self.kind(),
            Tok::Dot | Tok::LBracket | Tok::DoubleColon | Tok::Bang
        ) {
            links += 1;
            self.chained(links)?;
            base = self.postfix_link(base)?;
        }
        Ok(base)
    }

    /// One `.name`, `[i]`, `::name` or `!` after `base`, at the current token.
    fn postfix_link(&mut self, base: Expr) -> PResult<Expr> {
        Ok(match self.kind() {
            Tok::Dot => self.member(base)?,
            Tok::LBracket => self.index(base)?,
            Tok::DoubleColon => {
                self.bump();
                let name = self.ident(
                    "BCP020",
                    "Expected a function or property name at this location.",
                )?;
                let span = TextSpan::new(base.span.start, name.span.end);
                boxed(
                    span,
                    ExprKind::ResourceAccess(Box::new(ResourceAccessExpr { base, name })),
                )
            }
            _ => {
                let end = self.bump().span.end;
                boxed(
                    TextSpan::new(base.span.start, end),
                    ExprKind::NonNull(Box::new(base)),
                )
            }
        })
    }

    fn member(&mut self, base: Expr) -> PResult<Expr> {
        self.bump();
        let safe = self.eat(Tok::Question).is_some();
        let name = self.ident(
            "BCP020",
            "Expected a function or property name at this location.",
        )?;
        if !safe && self.at(Tok::LParen) {
            let args = self.call_args()?;
            let span = TextSpan::new(base.span.start, self.last_end());
            return Ok(boxed(
                span,
                ExprKind::Call(Box::new(CallExpr {
                    base: Some(base),
                    name,
                    args,
                })),
            ));
        }
        let span = TextSpan::new(base.span.start, name.span.end);
        Ok(boxed(
            span,
            ExprKind::Member(Box::new(MemberExpr { base, name, safe })),
        ))
    }

    fn index(&mut self, base: Expr) -> PResult<Expr> {
        self.bump();
        let safe = self.eat(Tok::Question).is_some();
        let from_end = self.eat(Tok::Caret).is_some();
        self.skip_newlines();
        if self.at(Tok::RBracket) {
            return self.fail(
                "BCP117",
                "An empty indexer is not allowed. Specify a valid expression.",
            );
        }
        let index = self.nested(Self::expr)?;
        self.skip_newlines();
        let end = self.expect(Tok::RBracket, "]")?.span.end;
        Ok(boxed(
            TextSpan::new(base.span.start, end),
            ExprKind::Index(Box::new(IndexExpr {
                base,
                index,
                safe,
                from_end,
            })),
        ))
    }

    /// `(a, b)`: arguments across lines, comma-separated, no trailing comma.
    fn call_args(&mut self) -> PResult<Vec<Expr>> {
        self.with_parens(true, |p| p.nested(Self::call_args_inside))
    }

    fn call_args_inside(&mut self) -> PResult<Vec<Expr>> {
        self.expect(Tok::LParen, "(")?;
        let mut args = Vec::new();
        self.skip_newlines();
        if self.eat(Tok::RParen).is_some() {
            return Ok(args);
        }
        loop {
            self.skip_newlines();
            match self.expr() {
                Ok(arg) => args.push(arg),
                Err(Stop) => self.recover(&[Tok::Comma, Tok::RParen]),
            }
            self.skip_newlines();
            match self.kind() {
                Tok::Comma => {
                    self.bump();
                }
                Tok::RParen => {
                    self.bump();
                    return Ok(args);
                }
                Tok::Eof => {
                    return self.fail("BCP018", "Expected the \")\" character at this location.");
                }
                _ => {
                    let _ = self.fail::<()>(
                        "BCP236",
                        "Expected a new line or comma character at this location.",
                    );
                    self.recover(&[Tok::Comma, Tok::RParen]);
                    if self.at(Tok::NewLine) {
                        return self
                            .fail("BCP018", "Expected the \")\" character at this location.");
                    }
                    if !matches!(self.kind(), Tok::Comma | Tok::RParen) {
                        return Err(Stop);
                    }
                }
            }
        }
    }

    /// The call after `@`: `name(args)` or `ns.name(args)`.
    pub(super) fn decorator_call(&mut self) -> PResult<Expr> {
        self.postfix()
    }

    pub(super) fn primary(&mut self) -> PResult<Expr> {
        let token = self.peek();
        match token.kind {
            Tok::Int => self.int(),
            Tok::String | Tok::StringLeft => self.string(),
            Tok::LBracket => self.with_parens(false, |p| p.nested(Self::array_or_for)),
            Tok::LBrace => self.with_parens(false, |p| p.nested(Self::object)),
            Tok::LParen => self.with_parens(true, |p| p.nested(Self::paren)),
            Tok::Ident => self.name_or_call(),
            _ => self.fail("BCP009", EXPECTED_VALUE),
        }
    }

    fn int(&mut self) -> PResult<Expr> {
        let token = self.peek();
        match self.slice(token.span).parse::<u64>() {
            Ok(value) => {
                self.bump();
                Ok(boxed(token.span, ExprKind::Int(value)))
            }
            Err(_) => self.fail("BCP010", "Expected a valid 64-bit signed integer."),
        }
    }

    fn name_or_call(&mut self) -> PResult<Expr> {
        let token = self.bump();
        let ident = self.ident_of(token);
        let kind = match ident.name.as_str() {
            "true" => ExprKind::Bool(true),
            "false" => ExprKind::Bool(false),
            "null" => ExprKind::Null,
            _ if self.at(Tok::LParen) => {
                let args = self.call_args()?;
                let span = TextSpan::new(token.span.start, self.last_end());
                return Ok(boxed(
                    span,
                    ExprKind::Call(Box::new(CallExpr {
                        base: None,
                        name: ident,
                        args,
                    })),
                ));
            }
            _ => ExprKind::Variable(ident),
        };
        Ok(boxed(token.span, kind))
    }

    /// A string token, or an interpolated string from its left piece to its right piece.
    fn string(&mut self) -> PResult<Expr> {
        let (span, lit) = self.string_lit()?;
        Ok(boxed(span, ExprKind::String(lit)))
    }

    fn string_lit(&mut self) -> PResult<(TextSpan, StringLit)> {
        let first = self.bump();
        let multiline = matches!(first.style, StringStyle::Multiline { .. });
        // A string without interpolations, the most common, has one part.
        let mut parts = Vec::with_capacity(if first.kind == Tok::String { 1 } else { 4 });
        self.push_text(&mut parts, first, true);
        if first.kind == Tok::String {
            return Ok((first.span, StringLit { parts, multiline }));
        }
        loop {
            match self.nested(Self::expr) {
                Ok(value) => parts.push(StringPart::Interpolation(value)),
                Err(Stop) => self.recover_in_hole(),
            }
            let piece = self.peek();
            match piece.kind {
                Tok::StringMiddle => {
                    self.bump();
                    self.push_text(&mut parts, piece, false);
                }
                Tok::StringRight => {
                    self.bump();
                    self.push_text(&mut parts, piece, false);
                    let span = TextSpan::new(first.span.start, piece.span.end);
                    return Ok((span, StringLit { parts, multiline }));
                }
                _ => {
                    let _ = self.fail::<()>(
                        "BCP064",
                        "Found unexpected tokens in interpolated expression.",
                    );
                    self.recover_in_hole();
                    if !matches!(self.kind(), Tok::StringMiddle | Tok::StringRight) {
                        return Err(Stop);
                    }
                }
            }
        }
    }

    /// Skips the rest of a broken interpolation up to the string piece that resumes it.
    fn recover_in_hole(&mut self) {
        let mut holes = 0usize;
        loop {
            match self.kind() {
                Tok::Eof | Tok::NewLine => return,
                Tok::StringLeft => holes += 1,
                Tok::StringMiddle if holes == 0 => return,
                Tok::StringRight if holes == 0 => return,
                Tok::StringRight => holes -= 1,
                _ => {}
            }
            self.bump();
        }
    }

    /// Adds a string token's text, decoded (a `'''` string's first line break is dropped).
    fn push_text(&self, parts: &mut Vec<StringPart>, token: Token, opening: bool) {
        let raw = self.slice(token.inner);
        let text = match token.style {
            StringStyle::Quoted => lexer::unescape(raw),
            StringStyle::Multiline { .. } if opening => raw
                .strip_prefix("\r\n")
                .or_else(|| raw.strip_prefix('\n'))
                .unwrap_or(raw)
                .to_string(),
            StringStyle::Multiline { .. } => raw.to_string(),
        };
        if !text.is_empty() || parts.is_empty() && token.kind == Tok::String {
            parts.push(StringPart::Text {
                span: token.inner,
                text,
            });
        }
    }

    /// `[items]` or `[for ...]`.
    fn array_or_for(&mut self) -> PResult<Expr> {
        let start = self.bump().span.start;
        if self.word_after_newlines("for") {
            self.skip_newlines();
            return self.for_expr(start, false);
        }
        let (items, end) = self.items_until(Tok::RBracket, Self::array_item)?;
        Ok(boxed(TextSpan::new(start, end), ExprKind::Array(items)))
    }

    fn array_item(&mut self) -> PResult<ArrayItem> {
        match self.eat(Tok::Ellipsis) {
            Some(dots) => {
                let value = self.expr()?;
                Ok(ArrayItem::Spread {
                    span: dots.span.cover(value.span),
                    value,
                })
            }
            None => Ok(ArrayItem::Value(self.expr()?)),
        }
    }

    /// After an array item or object property: a comma, a newline or the closing bracket
    /// (BCP236 and a skip to the line's end otherwise).
    pub(super) fn item_separator(&mut self, close: Tok) {
        match self.kind() {
            Tok::Comma => {
                self.bump();
                if self.at(Tok::NewLine) {
                    let _ =
                        self.fail::<()>("BCP238", "Unexpected new line character after a comma.");
                }
            }
            Tok::NewLine | Tok::Eof => {}
            kind if kind == close => {}
            _ => {
                let _ = self.fail::<()>(
                    "BCP236",
                    "Expected a new line or comma character at this location.",
                );
                self.recover(&[close]);
            }
        }
    }

    /// A resource's or module's `[for ...: body]`: the body an object or `if`.
    pub(super) fn declaration_loop(&mut self) -> PResult<Expr> {
        let start = self.bump().span.start;
        self.skip_newlines();
        if !self.at_word("for") {
            return self.fail("BCP012", "Expected the \"for\" keyword at this location.");
        }
        self.for_expr(start, true)
    }

    /// `for item in source: body]`, `for (item, index) in source: body]` after `[`.
    fn for_expr(&mut self, start: usize, object_body: bool) -> PResult<Expr> {
        self.bump();
        let (item, index) = self.loop_variables()?;
        self.expect_word("in")?;
        let source = self.expr()?;
        self.expect(Tok::Colon, ":")?;
        let body = if self.at_word("if") && (object_body || self.nth(1).kind == Tok::LParen) {
            self.if_expr()?
        } else if object_body && !self.at(Tok::LBrace) {
            return self.fail(
                "BCP167",
                "Expected the \"{\" character or the \"if\" keyword at this location.",
            );
        } else {
            self.expr()?
        };
        self.skip_newlines();
        let end = self.expect(Tok::RBracket, "]")?.span.end;
        Ok(boxed(
            TextSpan::new(start, end),
            ExprKind::For(Box::new(ForExpr {
                item,
                index,
                source,
                body,
            })),
        ))
    }

    fn loop_variables(&mut self) -> PResult<(Ident, Option<Ident>)> {
        const ITEM: &str = "Expected a loop item variable identifier at this location.";
        if self.at(Tok::Ident) {
            return Ok((self.ident("BCP136", ITEM)?, None));
        }
        if self.eat(Tok::LParen).is_none() {
            return self.fail(
                "BCP162",
                "Expected a loop item variable identifier or \"(\" at this location.",
            );
        }
        let item = self.ident("BCP136", ITEM)?;
        self.expect(Tok::Comma, ",")?;
        let index = self.ident(
            "BCP163",
            "Expected a loop index variable identifier at this location.",
        )?;
        self.expect(Tok::RParen, ")")?;
        Ok((item, Some(index)))
    }

    /// `if (condition) body`
    pub(super) fn if_expr(&mut self) -> PResult<Expr> {
        let start = self.bump().span.start;
        let condition = match self.kind() {
            Tok::LParen => self.nested(Self::paren)?,
            Tok::LBrace => {
                let at = self.peek().span;
                let _ = self.fail::<()>("BCP018", "Expected the \"(\" character at this location.");
                Expr {
                    span: TextSpan::at(at.start),
                    kind: ExprKind::Error,
                }
            }
            _ => return self.fail("BCP018", "Expected the \"(\" character at this location."),
        };
        if !self.at(Tok::LBrace) {
            return self.fail("BCP018", "Expected the \"{\" character at this location.");
        }
        let body = self.expr()?;
        Ok(boxed(
            TextSpan::new(start, body.span.end),
            ExprKind::If(Box::new(IfExpr { condition, body })),
        ))
    }

    /// `(expr)`, or a lambda's parameters `(a, b) =>`: a comma-separated list across lines,
    /// read as parameters when `=>` follows.
    fn paren(&mut self) -> PResult<Expr> {
        let open = self.bump().span;
        let mut items = Vec::new();
        loop {
            self.skip_newlines();
            if self.at(Tok::RParen) {
                break;
            }
            match self.expr() {
                Ok(item) => items.push(item),
                Err(Stop) => self.recover(&[Tok::Comma, Tok::RParen]),
            }
            self.skip_newlines();
            if self.eat(Tok::Comma).is_none() && !self.at(Tok::RParen) {
                self.error(
                    TextSpan::at(open.end),
                    "BCP243",
                    "Parentheses must contain exactly one expression.",
                );
                // As the compiler does, the rest of the line stands for the missing `)`: what
                // encloses the parentheses goes on after it.
                let _ = self.fail::<()>("BCP018", "Expected the \")\" character at this location.");
                self.recover(&[Tok::RBrace, Tok::RBracket]);
                let end = self.peek().span.start;
                return Ok(boxed(TextSpan::new(open.start, end), ExprKind::Error));
            }
        }
        let close = self.bump().span;
        let span = open.cover(close);
        if self.at(Tok::Arrow) {
            return self.lambda_after_params(span.start, items);
        }
        match <[Expr; 1]>::try_from(items) {
            Ok([inner]) => Ok(boxed(span, ExprKind::Paren(Box::new(inner)))),
            Err(_) => {
                self.error(
                    TextSpan::new(open.end, close.start),
                    "BCP243",
                    "Parentheses must contain exactly one expression.",
                );
                Ok(boxed(span, ExprKind::Error))
            }
        }
    }

    /// `{ key: value, ...spread, resource child '...' = {...} }`, newline- or comma-separated.
    fn object(&mut self) -> PResult<Expr> {
        let start = self.bump().span.start;
        let (items, end) = self.items_until(Tok::RBrace, Self::object_item)?;
        Ok(boxed(TextSpan::new(start, end), ExprKind::Object(items)))
    }

    fn object_item(&mut self) -> PResult<ObjectItem> {
        let start = self.peek().span.start;
        if let Some(dots) = self.eat(Tok::Ellipsis) {
            let value = self.expr()?;
            return Ok(ObjectItem::Spread {
                span: dots.span.cover(value.span),
                value,
            });
        }
        if self.at_word("resource") && self.nth(1).kind == Tok::Ident {
            return Ok(ObjectItem::Resource(Box::new(self.declaration()?)));
        }
        let decorators = self.decorators()?;
        if let Some(last) = decorators.last().filter(|_| !self.at_word("resource")) {
            self.error(
                last.span,
                "BCP132",
                "Expected a declaration after the decorator.",
            );
            if self.at(Tok::RBrace) {
                return Err(Stop);
            }
        }
        if self.at_word("resource") && self.nth(1).kind == Tok::Ident {
            let mut declaration = self.declaration()?;
            declaration.span = TextSpan::new(start, declaration.span.end);
            declaration.decorators = decorators;
            return Ok(ObjectItem::Resource(Box::new(declaration)));
        }
        let key = self.property_key()?;
        self.expect(Tok::Colon, ":")?;
        let value = self.expr()?;
        Ok(ObjectItem::Property(Property {
            span: TextSpan::new(start, value.span.end),
            decorators,
            key,
            value,
        }))
    }

    /// An identifier (keywords included) or a string.
    pub(super) fn property_key(&mut self) -> PResult<PropertyKey> {
        let token = self.peek();
        match token.kind {
            Tok::Ident => {
                self.bump();
                Ok(PropertyKey {
                    span: token.span,
                    kind: PropertyKeyKind::Ident(self.slice(token.span).to_string()),
                })
            }
            Tok::String | Tok::StringLeft => {
                let (span, lit) = self.string_lit()?;
                Ok(PropertyKey {
                    span,
                    kind: PropertyKeyKind::String(lit),
                })
            }
            _ => self.fail("BCP022", "Expected a property name at this location."),
        }
    }

    /// `x => body`
    fn lambda(&mut self) -> PResult<Expr> {
        let token = self.bump();
        let param = Expr {
            span: token.span,
            kind: ExprKind::Variable(self.ident_of(token)),
        };
        self.lambda_after_params(token.span.start, vec![param])
    }

    /// `=> body` after a lambda's parameters (each must be a plain name).
    fn lambda_after_params(&mut self, start: usize, params: Vec<Expr>) -> PResult<Expr> {
        self.bump();
        let mut names = Vec::new();
        for param in params {
            match param.kind {
                ExprKind::Variable(name) => names.push(FuncParam { name, ty: None }),
                _ => self.error(
                    param.span,
                    "BCP023",
                    "Expected a variable or function name at this location.",
                ),
            }
        }
        if self.in_parens {
            self.skip_newlines();
        }
        let body = self.nested(Self::expr)?;
        Ok(boxed(
            TextSpan::new(start, body.span.end),
            ExprKind::Lambda(Box::new(LambdaExpr {
                params: names,
                return_ty: None,
                body,
            })),
        ))
    }
}
