//! The Bicep syntax tree: declarations, expressions and types, each node with its byte span.
//!
//! The tree keeps what the source says and nothing more: names are not resolved, types not
//! checked, strings not evaluated beyond their escapes. Where the source is broken the parser
//! still builds a node ([`ExprKind::Error`], [`TypeKind::Error`], a missing name as an empty
//! [`Ident`]) and records a [`SyntaxError`], so a broken file still yields every declaration
//! it can.

use std::ops::Range;

/// A byte range `start..end` into the parsed text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TextSpan {
    pub start: usize,
    pub end: usize,
}

impl TextSpan {
    /// The span `start..end` (an `end` before `start` is clamped to `start`).
    pub fn new(start: usize, end: usize) -> Self {
        TextSpan {
            start,
            end: end.max(start),
        }
    }

    /// An empty span at `offset`.
    pub fn at(offset: usize) -> Self {
        TextSpan::new(offset, offset)
    }

    /// The smallest span covering both.
    pub fn cover(self, other: TextSpan) -> Self {
        TextSpan::new(self.start.min(other.start), self.end.max(other.end))
    }

    /// The span as a `Range`, to slice the text with `text.get(span.range())`.
    pub fn range(self) -> Range<usize> {
        self.start..self.end
    }

    /// The span in a source file of the project's source map.
    pub fn in_file(self, file: crate::source::FileId) -> crate::source::Span {
        crate::source::Span::new(file, self.start, self.end)
    }

    /// Whether the span has no text.
    pub fn is_empty(self) -> bool {
        self.start == self.end
    }
}

impl From<TextSpan> for Range<usize> {
    fn from(span: TextSpan) -> Self {
        span.range()
    }
}

/// The result of parsing one `.bicep` or `.bicepparam` file.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ParsedFile {
    /// The syntax tree.
    pub file: File,
    /// Syntax errors in source order; empty when the file parsed cleanly.
    pub errors: Vec<SyntaxError>,
    /// Every `//` and `/* */` comment, in source order.
    pub comments: Vec<Comment>,
    /// Every `#disable-next-line`, `#disable-diagnostics` and `#restore-diagnostics` directive.
    pub directives: Vec<Directive>,
}

/// A syntax error: where, what, and the compiler's diagnostic code when one matches.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    pub span: TextSpan,
    pub message: String,
    /// The Bicep compiler's code for the same error (`"BCP018"`), or `""` when none matches.
    pub code: &'static str,
}

/// A comment, `//` to the end of the line or `/* ... */`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comment {
    /// The whole comment, delimiters included.
    pub span: TextSpan,
    pub kind: CommentKind,
    /// The text between the delimiters (after `//`, or between `/*` and `*/`).
    pub text: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CommentKind {
    /// `// ...`
    Line,
    /// `/* ... */`
    Block,
}

/// A `#...` directive line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Directive {
    /// The directive from `#` to the end of its last code.
    pub span: TextSpan,
    pub kind: DirectiveKind,
    /// The diagnostic codes it names (`BCP081`, `no-unused-params`), with their spans.
    pub codes: Vec<Ident>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DirectiveKind {
    /// `#disable-next-line CODE...`: the codes are off on the next line.
    DisableNextLine,
    /// `#disable-diagnostics CODE...`: off until `#restore-diagnostics`.
    DisableDiagnostics,
    /// `#restore-diagnostics CODE...`
    RestoreDiagnostics,
    /// Any other `#name`, kept by name.
    Other(String),
}

/// A whole file: its declarations in source order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct File {
    pub span: TextSpan,
    pub declarations: Vec<Declaration>,
}

/// A name as written: an identifier, or a declaration's missing name (empty, at the place it
/// was expected).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Ident {
    pub span: TextSpan,
    pub name: String,
}

impl Ident {
    /// Whether the parser found no name here.
    pub fn is_missing(&self) -> bool {
        self.name.is_empty()
    }
}

/// `@name(args)` or `@ns.name(args)` before a declaration, a type member or a tuple item.
#[derive(Clone, Debug, PartialEq)]
pub struct Decorator {
    /// From `@` to the closing `)`.
    pub span: TextSpan,
    /// The call after `@` (an [`ExprKind::Call`] when well formed).
    pub call: Expr,
}

impl Decorator {
    /// The decorator's function name (`secure` for `@secure()` and `@sys.secure()`).
    pub fn name(&self) -> &str {
        match &self.call.kind {
            ExprKind::Call(call) => &call.name.name,
            ExprKind::Variable(ident) => &ident.name,
            _ => "",
        }
    }

    /// The call's arguments (empty when the decorator is malformed).
    pub fn args(&self) -> &[Expr] {
        match &self.call.kind {
            ExprKind::Call(call) => &call.args,
            _ => &[],
        }
    }
}

/// A top-level statement with its decorators.
#[derive(Clone, Debug, PartialEq)]
pub struct Declaration {
    /// From the first decorator (or keyword) to the end of the declaration.
    pub span: TextSpan,
    pub decorators: Vec<Decorator>,
    pub kind: DeclKind,
}

impl Declaration {
    /// The declared symbolic name, for the declarations that have one.
    pub fn name(&self) -> Option<&Ident> {
        match &self.kind {
            DeclKind::Metadata(d) => Some(&d.name),
            DeclKind::Param(d) => Some(&d.name),
            DeclKind::ParamAssignment(d) => Some(&d.name),
            DeclKind::Type(d) => Some(&d.name),
            DeclKind::Var(d) => Some(&d.name),
            DeclKind::Func(d) => Some(&d.name),
            DeclKind::Resource(d) => Some(&d.name),
            DeclKind::Module(d) => Some(&d.name),
            DeclKind::Output(d) => Some(&d.name),
            DeclKind::Assert(d) => Some(&d.name),
            DeclKind::Test(d) => Some(&d.name),
            DeclKind::ExtensionConfig(d) => Some(&d.name),
            DeclKind::Extension(d) => d.alias.as_ref(),
            DeclKind::TargetScope(_)
            | DeclKind::Import(_)
            | DeclKind::Using(_)
            | DeclKind::Extends(_)
            | DeclKind::Error => None,
        }
    }

    /// The decorator named `name` (`"secure"` finds `@secure()` and `@sys.secure()`).
    pub fn decorator(&self, name: &str) -> Option<&Decorator> {
        self.decorators.iter().find(|d| d.name() == name)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum DeclKind {
    /// `targetScope = 'subscription'`
    TargetScope(Box<Expr>),
    /// `metadata name = value`
    Metadata(Box<MetadataDecl>),
    /// `param name type [= default]` (a `.bicep` parameter).
    Param(Box<ParamDecl>),
    /// `param name = value` (a `.bicepparam` assignment).
    ParamAssignment(Box<ParamAssignment>),
    /// `type name = type`
    Type(Box<TypeDecl>),
    /// `var name [type] = value`
    Var(Box<VarDecl>),
    /// `func name(a int) string => body`
    Func(Box<FuncDecl>),
    /// `resource name 'type@api' [existing] = value`
    Resource(Box<ResourceDecl>),
    /// `module name 'path' = value`
    Module(Box<ModuleDecl>),
    /// `output name type = value`
    Output(Box<OutputDecl>),
    /// `import ...`
    Import(Box<ImportDecl>),
    /// `extension name [with {...}] [as alias]`
    Extension(Box<ExtensionDecl>),
    /// `extensionConfig name with {...}` (`.bicepparam`)
    ExtensionConfig(Box<ExtensionConfigDecl>),
    /// `assert name = condition`
    Assert(Box<AssertDecl>),
    /// `test name 'path' = {...}`
    Test(Box<TestDecl>),
    /// `using 'path' [with {...}]` or `using none` (`.bicepparam`)
    Using(Box<UsingDecl>),
    /// `extends 'path'` (`.bicepparam`)
    Extends(Box<ExtendsDecl>),
    /// A line the parser could not read as a declaration (its error is in the file's errors).
    Error,
}

#[derive(Clone, Debug, PartialEq)]
pub struct MetadataDecl {
    pub name: Ident,
    pub value: Expr,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ParamDecl {
    pub name: Ident,
    pub ty: TypeExpr,
    pub default: Option<Expr>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ParamAssignment {
    pub name: Ident,
    /// The type, when written (`param x string = ...` in a parameters file that `extends`).
    pub ty: Option<TypeExpr>,
    pub value: Expr,
}

#[derive(Clone, Debug, PartialEq)]
pub struct TypeDecl {
    pub name: Ident,
    pub ty: TypeExpr,
}

#[derive(Clone, Debug, PartialEq)]
pub struct VarDecl {
    pub name: Ident,
    pub ty: Option<TypeExpr>,
    pub value: Expr,
}

#[derive(Clone, Debug, PartialEq)]
pub struct FuncDecl {
    pub name: Ident,
    pub params: Vec<FuncParam>,
    pub return_ty: TypeExpr,
    pub body: Expr,
}

/// A typed parameter of a `func` or of a typed lambda.
#[derive(Clone, Debug, PartialEq)]
pub struct FuncParam {
    pub name: Ident,
    pub ty: Option<TypeExpr>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ResourceDecl {
    pub name: Ident,
    /// The `'Microsoft.X/y@2023-01-01'` string (for a nested child, possibly just `'y'`).
    pub type_string: Expr,
    pub existing: bool,
    /// An object, an `if (...) {...}` or a `[for ...]` ([`Body`] reads it).
    pub value: Expr,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ModuleDecl {
    pub name: Ident,
    /// The path or registry reference string (`'./x.bicep'`, `'br/public:...'`, `'ts:...'`).
    pub path: Expr,
    /// An object, an `if (...) {...}` or a `[for ...]` ([`Body`] reads it).
    pub value: Expr,
}

#[derive(Clone, Debug, PartialEq)]
pub struct OutputDecl {
    pub name: Ident,
    /// The type; `output x resource 'T@v' = ...` is [`TypeKind::Resource`].
    pub ty: TypeExpr,
    pub value: Expr,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ImportDecl {
    pub what: ImportKind,
    /// The `from` path string; absent for the legacy `import 'az@1.0.0'` form.
    pub from: Option<Expr>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ImportKind {
    /// `import {a, b as c} from ...`
    Names(Vec<ImportedName>),
    /// `import * as ns from ...`
    Wildcard { alias: Ident },
    /// The legacy `import 'spec' [with {...}] [as alias]` (an extension import).
    Legacy(ExtensionDecl),
}

/// One name in `import {...}`: an identifier or a quoted name, optionally `as alias`.
#[derive(Clone, Debug, PartialEq)]
pub struct ImportedName {
    pub span: TextSpan,
    /// The imported name ([`ExprKind::Variable`] or a string).
    pub name: Expr,
    pub alias: Option<Ident>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ExtensionDecl {
    /// A name (`kubernetes`, as [`ExprKind::Variable`]) or a reference string (`'br:...'`).
    pub spec: Expr,
    pub config: Option<Expr>,
    pub alias: Option<Ident>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ExtensionConfigDecl {
    pub name: Ident,
    pub config: Option<Expr>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct AssertDecl {
    pub name: Ident,
    pub value: Expr,
}

#[derive(Clone, Debug, PartialEq)]
pub struct TestDecl {
    pub name: Ident,
    pub path: Expr,
    pub value: Expr,
}

#[derive(Clone, Debug, PartialEq)]
pub struct UsingDecl {
    /// The path string, or `None` for `using none`.
    pub path: Option<Expr>,
    pub config: Option<Expr>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ExtendsDecl {
    pub path: Expr,
}

/// An expression with its span.
#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    pub span: TextSpan,
    pub kind: ExprKind,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    Null,
    Bool(bool),
    /// An integer literal (unsigned: `-1` is [`UnaryOp::Minus`] over `1`).
    Int(u64),
    /// A string, with its interpolations; `'''` strings are one [`StringPart::Text`].
    String(StringLit),
    Array(Vec<ArrayItem>),
    Object(Vec<ObjectItem>),
    /// A bare name: a parameter, variable, resource, module, lambda parameter or namespace.
    Variable(Ident),
    /// `base.name` or `base.?name`
    Member(Box<MemberExpr>),
    /// `base[index]`, `base[?index]`, `base[^index]`
    Index(Box<IndexExpr>),
    /// `parent::child` (a nested resource through its parent's symbolic name)
    ResourceAccess(Box<ResourceAccessExpr>),
    /// `name(args)` or `base.name(args)` (`az.resourceGroup()`, `acr.listKeys()`).
    Call(Box<CallExpr>),
    /// `base!`
    NonNull(Box<Expr>),
    Unary(UnaryOp, Box<Expr>),
    Binary(Box<BinaryExpr>),
    /// `cond ? then : otherwise`
    Ternary(Box<TernaryExpr>),
    /// `(expr)`
    Paren(Box<Expr>),
    /// `x => body`, `(a, b) => body`, `() => body`, `(a int) => body`
    Lambda(Box<LambdaExpr>),
    /// `[for ... in ...: body]`
    For(Box<ForExpr>),
    /// `if (cond) body` (a resource, module or loop body)
    If(Box<IfExpr>),
    /// Missing or unreadable; the file's errors say why.
    Error,
}

impl Expr {
    /// The expression's byte span.
    pub fn span(&self) -> TextSpan {
        self.span
    }

    /// The string's text when it is a literal without interpolation.
    pub fn as_plain_string(&self) -> Option<&str> {
        match &self.kind {
            ExprKind::String(lit) => lit.as_plain(),
            _ => None,
        }
    }

    /// The object's items when this is an object literal.
    pub fn as_object(&self) -> Option<&[ObjectItem]> {
        match &self.kind {
            ExprKind::Object(items) => Some(items),
            _ => None,
        }
    }

    /// The value of property `name` when this is an object literal that has it (the last one
    /// when repeated).
    pub fn property(&self, name: &str) -> Option<&Expr> {
        self.as_object()?.iter().rev().find_map(|item| match item {
            ObjectItem::Property(p) if p.key.as_plain() == Some(name) => Some(&p.value),
            _ => None,
        })
    }
}

/// A quoted string: text pieces (escapes decoded) and `${...}` interpolations.
#[derive(Clone, Debug, PartialEq)]
pub struct StringLit {
    pub parts: Vec<StringPart>,
    /// Whether it is a `'''` string (no escapes, no interpolation).
    pub multiline: bool,
}

impl StringLit {
    /// The text when the string has no interpolation.
    pub fn as_plain(&self) -> Option<&str> {
        match self.parts.as_slice() {
            [] => Some(""),
            [StringPart::Text { text, .. }] => Some(text),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum StringPart {
    /// Literal text with escapes decoded; `span` is the raw text in the source.
    Text { span: TextSpan, text: String },
    /// `${expr}`
    Interpolation(Expr),
}

#[derive(Clone, Debug, PartialEq)]
pub enum ArrayItem {
    Value(Expr),
    /// `...expr`
    Spread {
        span: TextSpan,
        value: Expr,
    },
}

impl ArrayItem {
    pub fn span(&self) -> TextSpan {
        match self {
            ArrayItem::Value(e) => e.span,
            ArrayItem::Spread { span, .. } => *span,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum ObjectItem {
    /// `key: value`
    Property(Property),
    /// `...expr`
    Spread { span: TextSpan, value: Expr },
    /// A nested child resource inside a resource body.
    Resource(Box<Declaration>),
}

impl ObjectItem {
    pub fn span(&self) -> TextSpan {
        match self {
            ObjectItem::Property(p) => p.span,
            ObjectItem::Spread { span, .. } => *span,
            ObjectItem::Resource(d) => d.span,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Property {
    /// From the key (or its first decorator) to the end of the value.
    pub span: TextSpan,
    pub decorators: Vec<Decorator>,
    pub key: PropertyKey,
    pub value: Expr,
}

/// An object key: an identifier, or a string (possibly interpolated).
#[derive(Clone, Debug, PartialEq)]
pub struct PropertyKey {
    pub span: TextSpan,
    pub kind: PropertyKeyKind,
}

#[derive(Clone, Debug, PartialEq)]
pub enum PropertyKeyKind {
    Ident(String),
    String(StringLit),
    /// Missing or unreadable key.
    Error,
}

impl PropertyKey {
    /// The key's text unless it is interpolated or missing.
    pub fn as_plain(&self) -> Option<&str> {
        match &self.kind {
            PropertyKeyKind::Ident(name) => Some(name),
            PropertyKeyKind::String(lit) => lit.as_plain(),
            PropertyKeyKind::Error => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct MemberExpr {
    pub base: Expr,
    pub name: Ident,
    /// `.?` rather than `.`
    pub safe: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct IndexExpr {
    pub base: Expr,
    pub index: Expr,
    /// `[?` rather than `[`
    pub safe: bool,
    /// `[^n]`: the n-th item counted from the end.
    pub from_end: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ResourceAccessExpr {
    pub base: Expr,
    pub name: Ident,
}

#[derive(Clone, Debug, PartialEq)]
pub struct CallExpr {
    /// What the function is called on: a namespace (`az`, `sys`) or a value (`acr.listKeys()`).
    pub base: Option<Expr>,
    pub name: Ident,
    pub args: Vec<Expr>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnaryOp {
    /// `!`
    Not,
    /// `-`
    Minus,
}

#[derive(Clone, Debug, PartialEq)]
pub struct BinaryExpr {
    pub op: BinaryOp,
    /// The operator token.
    pub op_span: TextSpan,
    pub left: Expr,
    pub right: Expr,
}

/// Binary operators, from lowest precedence (`??`) to highest (`*`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BinaryOp {
    Coalesce,
    Or,
    And,
    Equals,
    NotEquals,
    EqualsInsensitive,
    NotEqualsInsensitive,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
    Add,
    Subtract,
    Multiply,
    Divide,
    Modulo,
}

impl BinaryOp {
    /// The operator as written.
    pub fn text(self) -> &'static str {
        match self {
            BinaryOp::Coalesce => "??",
            BinaryOp::Or => "||",
            BinaryOp::And => "&&",
            BinaryOp::Equals => "==",
            BinaryOp::NotEquals => "!=",
            BinaryOp::EqualsInsensitive => "=~",
            BinaryOp::NotEqualsInsensitive => "!~",
            BinaryOp::Less => "<",
            BinaryOp::LessOrEqual => "<=",
            BinaryOp::Greater => ">",
            BinaryOp::GreaterOrEqual => ">=",
            BinaryOp::Add => "+",
            BinaryOp::Subtract => "-",
            BinaryOp::Multiply => "*",
            BinaryOp::Divide => "/",
            BinaryOp::Modulo => "%",
        }
    }

    /// Binding strength: a higher number binds tighter. All are left-associative.
    pub fn precedence(self) -> u8 {
        match self {
            BinaryOp::Coalesce => 1,
            BinaryOp::Or => 2,
            BinaryOp::And => 3,
            BinaryOp::Equals
            | BinaryOp::NotEquals
            | BinaryOp::EqualsInsensitive
            | BinaryOp::NotEqualsInsensitive => 4,
            BinaryOp::Less
            | BinaryOp::LessOrEqual
            | BinaryOp::Greater
            | BinaryOp::GreaterOrEqual => 5,
            BinaryOp::Add | BinaryOp::Subtract => 6,
            BinaryOp::Multiply | BinaryOp::Divide | BinaryOp::Modulo => 7,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct TernaryExpr {
    pub condition: Expr,
    pub then: Expr,
    pub otherwise: Expr,
}

#[derive(Clone, Debug, PartialEq)]
pub struct LambdaExpr {
    pub params: Vec<FuncParam>,
    /// The declared return type of a typed lambda (`(a int) string => ...`).
    pub return_ty: Option<TypeExpr>,
    pub body: Expr,
}

/// `[for item in source: body]`, `[for (item, index) in source: body]`.
#[derive(Clone, Debug, PartialEq)]
pub struct ForExpr {
    /// The item variable (missing when only `(, i)` was written).
    pub item: Ident,
    pub index: Option<Ident>,
    pub source: Expr,
    /// The body: any expression, or `if (cond) body` to filter.
    pub body: Expr,
}

#[derive(Clone, Debug, PartialEq)]
pub struct IfExpr {
    pub condition: Expr,
    pub body: Expr,
}

/// A resource's or module's value read as what it means.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Body<'a> {
    /// `{...}`
    Object(&'a Expr),
    /// `if (cond) {...}`
    If { condition: &'a Expr, body: &'a Expr },
    /// `[for ...: ...]`; the loop's body may itself be an `if`.
    For(&'a ForExpr),
    /// Anything else (an error in the source).
    Other(&'a Expr),
}

impl Body<'_> {
    /// The object body of a resource or module value: `{...}`, under `if` and `for` too.
    pub fn object(value: &Expr) -> Option<&Expr> {
        fn object(e: &Expr) -> Option<&Expr> {
            Some(e).filter(|b| b.as_object().is_some())
        }
        match Body::of(value) {
            Body::Object(found) => Some(found),
            Body::If { body, .. } => object(body),
            Body::For(looped) => match Body::of(&looped.body) {
                Body::Object(found) => Some(found),
                Body::If { body, .. } => object(body),
                _ => None,
            },
            Body::Other(_) => None,
        }
    }

    /// Reads a resource or module value.
    pub fn of(value: &Expr) -> Body<'_> {
        match &value.kind {
            ExprKind::Object(_) => Body::Object(value),
            ExprKind::If(e) => Body::If {
                condition: &e.condition,
                body: &e.body,
            },
            ExprKind::For(e) => Body::For(e),
            _ => Body::Other(value),
        }
    }
}

/// A type expression with its span.
#[derive(Clone, Debug, PartialEq)]
pub struct TypeExpr {
    pub span: TextSpan,
    pub kind: TypeKind,
}

impl TypeExpr {
    /// The type's byte span.
    pub fn span(&self) -> TextSpan {
        self.span
    }

    /// The function name of a generic type (`resourceInput` for `sys.resourceInput<'T@v'>`).
    pub fn generic_name(&self) -> Option<&str> {
        let TypeKind::Generic { base, .. } = &self.kind else {
            return None;
        };
        match &base.kind {
            TypeKind::Name(ident) | TypeKind::Member { name: ident, .. } => Some(&ident.name),
            _ => None,
        }
    }

    /// The name when the type is a bare name (`string`, `myType`).
    pub fn as_name(&self) -> Option<&str> {
        match &self.kind {
            TypeKind::Name(ident) => Some(&ident.name),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum TypeKind {
    /// `string`, `int`, `bool`, `object`, `array`, `any`, or a user-defined type name.
    Name(Ident),
    /// `ns.name` or a property of a named type (`foo.bar`).
    Member { base: Box<TypeExpr>, name: Ident },
    /// `foo[1]` (a tuple item).
    Index {
        base: Box<TypeExpr>,
        index: Box<Expr>,
    },
    /// `foo[*]` (the items of an array type).
    Items(Box<TypeExpr>),
    /// `foo.*` (the additional properties of an object type).
    AdditionalProperties(Box<TypeExpr>),
    /// A literal: `'a'`, `1`, `-1`, `true`, `!true`, `null`.
    Literal(Expr),
    /// `a | b | c`
    Union(Vec<TypeExpr>),
    /// `t?`
    Nullable(Box<TypeExpr>),
    /// `t!`
    NonNull(Box<TypeExpr>),
    /// `t[]`
    Array(Box<TypeExpr>),
    /// `{ a: string, b?: int, *: bool }`
    Object(Vec<ObjectTypeMember>),
    /// `[string, int]`
    Tuple(Vec<TupleItem>),
    /// `resource 'T@v'` (a parameter or output of resource type).
    Resource(Box<Expr>),
    /// `resourceInput<'T@v'>`, `sys.resourceOutput<'T@v'>` (followed by `.properties` as a
    /// [`TypeKind::Member`]); [`TypeExpr::generic_name`] reads the name.
    Generic {
        base: Box<TypeExpr>,
        args: Vec<TypeExpr>,
    },
    /// `(t)`
    Paren(Box<TypeExpr>),
    /// Missing or unreadable; the file's errors say why.
    Error,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ObjectTypeMember {
    /// `key: type` or `key?: type`
    Property {
        span: TextSpan,
        decorators: Vec<Decorator>,
        key: PropertyKey,
        optional: bool,
        ty: TypeExpr,
    },
    /// `*: type`
    Additional {
        span: TextSpan,
        decorators: Vec<Decorator>,
        ty: TypeExpr,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub struct TupleItem {
    pub span: TextSpan,
    pub decorators: Vec<Decorator>,
    pub ty: TypeExpr,
}

impl ParsedFile {
    /// The file's declarations in source order.
    pub fn declarations(&self) -> &[Declaration] {
        &self.file.declarations
    }

    /// Whether the file parsed without a syntax error.
    pub fn is_clean(&self) -> bool {
        self.errors.is_empty()
    }

    /// The declarations of one kind, e.g. every resource:
    /// `file.declarations_of(|k| match k { DeclKind::Resource(r) => Some(r), _ => None })`.
    pub fn declarations_of<'a, T: 'a>(
        &'a self,
        pick: impl Fn(&'a DeclKind) -> Option<&'a T> + 'a,
    ) -> impl Iterator<Item = (&'a Declaration, &'a T)> + 'a {
        self.file
            .declarations
            .iter()
            .filter_map(move |d| pick(&d.kind).map(|t| (d, t)))
    }

    /// The comments that end on or before `offset`, nearest last.
    pub fn comments_before(&self, offset: usize) -> impl Iterator<Item = &Comment> {
        let end = self.comments.partition_point(|c| c.span.end <= offset);
        self.comments.get(..end).unwrap_or_default().iter()
    }
}
