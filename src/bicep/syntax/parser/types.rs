//! Type expressions: names, literals, unions, `?`, `[]`, object and tuple types, `resource`
//! types and `resourceInput<>`/`resourceOutput<>`.

use super::{PResult, Parser};
use crate::bicep::syntax::ast::*;
use crate::bicep::syntax::lexer::Tok;

const EXPECTED_TYPE: &str = "Expected a type at this location. Please specify a valid type \
                             expression or one of the following types: \"array\", \"bool\", \
                             \"int\", \"object\", \"string\".";

fn typed(span: TextSpan, kind: TypeKind) -> TypeExpr {
    TypeExpr { span, kind }
}

impl Parser<'_> {
    /// A type: members of a union separated by `|` (a leading `|` allowed, and each `|` may
    /// start a new line).
    pub(super) fn type_expr(&mut self) -> PResult<TypeExpr> {
        if self.kind_after_newlines() == Tok::Pipe {
            self.skip_newlines();
        }
        let start = self.peek().span.start;
        let leading_pipe = self.eat(Tok::Pipe).is_some();
        let first = self.postfix_type()?;
        if !leading_pipe && self.kind_after_newlines() != Tok::Pipe {
            return Ok(first);
        }
        let mut members = vec![first];
        while self.kind_after_newlines() == Tok::Pipe {
            self.skip_newlines();
            self.bump();
            self.skip_newlines();
            members.push(self.postfix_type()?);
        }
        let end = self.last_end();
        Ok(typed(TextSpan::new(start, end), TypeKind::Union(members)))
    }

    /// A primary type followed by `[]`, `?`, `!`, `.name`, `.*`, `[n]` or `[*]`.
    fn postfix_type(&mut self) -> PResult<TypeExpr> {
        let mut ty = self.primary_type()?;
        let mut links = 0;
        loop {
            let start = ty.span.start;
            if matches!(
                self.kind(),
                Tok::Question | Tok::Bang | Tok::Dot | Tok::LBracket | Tok::Less
            ) {
                links += 1;
                self.chained(links)?;
            }
            ty = match self.kind() {
                Tok::Question => {
                    let end = self.bump().span.end;
                    typed(TextSpan::new(start, end), TypeKind::Nullable(Box::new(ty)))
                }
                Tok::Bang => {
                    let end = self.bump().span.end;
                    typed(TextSpan::new(start, end), TypeKind::NonNull(Box::new(ty)))
                }
                Tok::Dot => {
                    self.bump();
                    if let Some(star) = self.eat(Tok::Star) {
                        let span = TextSpan::new(start, star.span.end);
                        typed(span, TypeKind::AdditionalProperties(Box::new(ty)))
                    } else {
                        let name =
                            self.ident("BCP020", "Expected a property name at this location.")?;
                        let span = TextSpan::new(start, name.span.end);
                        typed(
                            span,
                            TypeKind::Member {
                                base: Box::new(ty),
                                name,
                            },
                        )
                    }
                }
                Tok::LBracket => self.type_index(ty)?,
                Tok::Less if matches!(ty.kind, TypeKind::Name(_) | TypeKind::Member { .. }) => {
                    self.nested(|p| p.generic_args(ty))?
                }
                _ => return Ok(ty),
            };
        }
    }

    /// `[]`, `[*]` or `[n]` after a type.
    fn type_index(&mut self, base: TypeExpr) -> PResult<TypeExpr> {
        let start = base.span.start;
        self.bump();
        if let Some(close) = self.eat(Tok::RBracket) {
            let span = TextSpan::new(start, close.span.end);
            return Ok(typed(span, TypeKind::Array(Box::new(base))));
        }
        if self.eat(Tok::Star).is_some() {
            let end = self.expect(Tok::RBracket, "]")?.span.end;
            return Ok(typed(
                TextSpan::new(start, end),
                TypeKind::Items(Box::new(base)),
            ));
        }
        let index = self.expr()?;
        let end = self.expect(Tok::RBracket, "]")?.span.end;
        Ok(typed(
            TextSpan::new(start, end),
            TypeKind::Index {
                base: Box::new(base),
                index: Box::new(index),
            },
        ))
    }

    fn primary_type(&mut self) -> PResult<TypeExpr> {
        let token = self.peek();
        match token.kind {
            Tok::Ident => self.named_type(),
            Tok::String | Tok::StringLeft | Tok::Int | Tok::Minus | Tok::Bang => {
                let literal = self.literal_type_value()?;
                Ok(typed(literal.span, TypeKind::Literal(literal)))
            }
            Tok::LBrace => self.nested(Self::object_type),
            Tok::LBracket => self.nested(Self::tuple_type),
            Tok::LParen => self.nested(|p| {
                let start = p.bump().span.start;
                p.skip_newlines();
                let inner = p.type_expr()?;
                p.skip_newlines();
                let end = p.expect(Tok::RParen, ")")?.span.end;
                Ok(typed(
                    TextSpan::new(start, end),
                    TypeKind::Paren(Box::new(inner)),
                ))
            }),
            _ => self.fail("BCP279", EXPECTED_TYPE),
        }
    }

    /// A literal in a type: a string, an integer, `-n`, `!true`.
    fn literal_type_value(&mut self) -> PResult<Expr> {
        let op = match self.kind() {
            Tok::Minus => UnaryOp::Minus,
            Tok::Bang => UnaryOp::Not,
            _ => return self.primary(),
        };
        let start = self.bump().span.start;
        let operand = self.nested(Self::literal_type_value)?;
        Ok(Expr {
            span: TextSpan::new(start, operand.span.end),
            kind: ExprKind::Unary(op, Box::new(operand)),
        })
    }

    /// A type name, `true`/`false`/`null`, `resource 'T@v'`, or `name<args>`.
    fn named_type(&mut self) -> PResult<TypeExpr> {
        let token = self.bump();
        let ident = self.ident_of(token);
        match ident.name.as_str() {
            "true" | "false" | "null" => {
                let kind = match ident.name.as_str() {
                    "true" => ExprKind::Bool(true),
                    "false" => ExprKind::Bool(false),
                    _ => ExprKind::Null,
                };
                let literal = Expr {
                    span: token.span,
                    kind,
                };
                return Ok(typed(token.span, TypeKind::Literal(literal)));
            }
            "resource" if matches!(self.kind(), Tok::String | Tok::StringLeft) => {
                let type_string = self.primary()?;
                let span = TextSpan::new(token.span.start, type_string.span.end);
                return Ok(typed(span, TypeKind::Resource(Box::new(type_string))));
            }
            _ => {}
        }
        Ok(typed(token.span, TypeKind::Name(ident)))
    }

    /// `<args>` after a type name (`<'Microsoft.X/y@v'>`), across lines.
    fn generic_args(&mut self, base: TypeExpr) -> PResult<TypeExpr> {
        self.bump();
        let mut args = Vec::new();
        loop {
            self.skip_newlines();
            if let Some(close) = self.eat(Tok::Greater) {
                let span = TextSpan::new(base.span.start, close.span.end);
                let base = Box::new(base);
                return Ok(typed(span, TypeKind::Generic { base, args }));
            }
            if !args.is_empty() {
                if !self.at(Tok::Comma) {
                    return self.fail(
                        "BCP236",
                        "Expected a new line or comma character at this location.",
                    );
                }
                self.bump();
                self.skip_newlines();
            }
            args.push(self.postfix_type()?);
        }
    }

    /// `{ key: type, key?: type, *: type }` with decorators on members.
    fn object_type(&mut self) -> PResult<TypeExpr> {
        let start = self.bump().span.start;
        let (members, end) = self.items_until(Tok::RBrace, Self::object_type_member)?;
        Ok(typed(TextSpan::new(start, end), TypeKind::Object(members)))
    }

    fn object_type_member(&mut self) -> PResult<ObjectTypeMember> {
        let start = self.peek().span.start;
        let decorators = self.decorators()?;
        if self.eat(Tok::Star).is_some() {
            self.expect(Tok::Colon, ":")?;
            let ty = self.type_expr()?;
            return Ok(ObjectTypeMember::Additional {
                span: TextSpan::new(start, ty.span.end),
                decorators,
                ty,
            });
        }
        let key = self.property_key()?;
        let optional = self.eat(Tok::Question).is_some();
        self.expect(Tok::Colon, ":")?;
        let ty = self.type_expr()?;
        Ok(ObjectTypeMember::Property {
            span: TextSpan::new(start, ty.span.end),
            decorators,
            key,
            optional,
            ty,
        })
    }

    /// `[type, type]` with decorators on items.
    fn tuple_type(&mut self) -> PResult<TypeExpr> {
        let start = self.bump().span.start;
        let (items, end) = self.items_until(Tok::RBracket, |p| {
            let item_start = p.peek().span.start;
            let decorators = p.decorators()?;
            let ty = p.type_expr()?;
            Ok(TupleItem {
                span: TextSpan::new(item_start, ty.span.end),
                decorators,
                ty,
            })
        })?;
        Ok(typed(TextSpan::new(start, end), TypeKind::Tuple(items)))
    }
}
