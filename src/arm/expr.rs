//! ARM template expressions: the `"[...]"` strings of hand-written and Bicep-compiled templates.
//!
//! [`evaluate`] lexes, parses and evaluates one expression against an [`Env`] that supplies
//! parameters, variables, copy indexes and the deployment scope. It is offline and deterministic,
//! never panics, and bounds its own work so that a hostile template cannot blow it up:
//!
//! - expressions longer than [`MAX_EXPRESSION_BYTES`] and nesting (calls, `.prop`, `[index]`) deeper
//!   than [`MAX_NESTING`] are errors, so neither the parser nor the evaluator can overflow the stack;
//! - strings longer than [`MAX_STRING_BYTES`], arrays longer than [`MAX_ARRAY_ITEMS`] and values nested
//!   deeper than [`MAX_VALUE_DEPTH`] are "result too large" errors; `range()` is capped at
//!   [`MAX_RANGE_COUNT`] items like Azure does;
//! - every step, copied value and comparison is charged against a fixed work budget per evaluation.
//!
//! What cannot be known before deployment (`reference()`, `list*()`, `utcNow()`, a parameter without a
//! value, ...) is a [`Val::Unknown`] naming the missing input. Unknowns propagate: a function with an
//! unknown argument is unknown, except where the answer is decided anyway (`if` with a known condition,
//! `and(false, ?)`, `or(true, ?)`, `coalesce` with a known non-null value before the unknown,
//! `contains` finding a known match, `empty` of an array holding unknowns, ...). Containers may hold
//! unknown leaves: `createArray(reference('x'))` is a known one-item array.
//!
//! Differences from Azure, all deliberate or harmless for linting:
//! - string positions (`length`, `substring`, `indexOf`, ...) count Unicode scalar values, where Azure
//!   counts UTF-16 units; they differ only for characters outside the Basic Multilingual Plane;
//! - resource ids (from `resourceId()` and friends, and `resourceGroup().id` and `subscription().id`)
//!   use the literal placeholders `{subscriptionId}` and `{resourceGroupName}` where the subscription
//!   or resource group is unknown (see [`SUBSCRIPTION_PLACEHOLDER`]), so ids built in one template
//!   compare equal; a `uniqueString()` or `guid()` of such an id is deterministic but is not the value
//!   Azure will compute (its length and alphabet are, which is what name rules check);
//! - `format()` supports `{n}`, `{n,width}` and the `D`, `X`, `N`, `F`, `G` and `000` specifiers;
//!   other specifiers give an unknown, and arrays/objects are formatted as compact JSON;
//! - `json()` accepts comments and trailing commas (as .NET does, and Bicep's `loadJsonContent()`
//!   relies on) but not single-quoted strings; it and [`Val::from_json`] keep object key order only
//!   when `serde_json`'s `preserve_order` feature is on (otherwise keys come out sorted), which
//!   matters only to `string()` output;
//! - user-defined functions (`ns.name(...)`) and the rarely used functions listed in
//!   [`NOT_EVALUATED`] give an unknown instead of a value.
//!
//! `uniqueString()` reproduces Azure's algorithm and is checked against values Azure returned;
//! `guid()` is the UUID version 5 of the arguments joined with `-` in ARM's namespace, as public
//! reimplementations (and Terraform `uuidv5` users matching Bicep names) do.

use std::fmt::Write as _;

/// Longest expression text accepted, in bytes.
pub const MAX_EXPRESSION_BYTES: usize = 64 * 1024;
/// Deepest nesting of calls, property accesses and indexes in one expression.
pub const MAX_NESTING: usize = 64;
/// Longest string an evaluation may produce, in bytes.
pub const MAX_STRING_BYTES: usize = 1024 * 1024;
/// Longest array an evaluation may produce.
pub const MAX_ARRAY_ITEMS: usize = 100_000;
/// Most items `range()` may produce (Azure's own limit).
pub const MAX_RANGE_COUNT: i64 = 10_000;
/// Deepest nesting of arrays and objects in a value.
pub const MAX_VALUE_DEPTH: usize = 256;
/// Work units one evaluation may spend: a step, a copied or compared item, 16 bytes of text produced
/// or 4 bytes of text passed to a function each cost one.
pub const WORK_BUDGET: u64 = 5_000_000;
/// Stands for the subscription id in a resource id built while the subscription is unknown.
pub const SUBSCRIPTION_PLACEHOLDER: &str = "{subscriptionId}";
/// Stands for the resource group name in a resource id built while the resource group is unknown.
pub const RESOURCE_GROUP_PLACEHOLDER: &str = "{resourceGroupName}";
/// Stands for the management group in a resource id built by `managementGroupResourceId()`.
pub const MANAGEMENT_GROUP_PLACEHOLDER: &str = "{managementGroupName}";
/// ARM functions recognised but not evaluated: calling them gives an unknown, never an error.
pub const NOT_EVALUATED: &[&str] = &[
    "base64tojson",
    "cidrhost",
    "cidrsubnet",
    "datauri",
    "datauritostring",
    "datetimeadd",
    "datetimefromepoch",
    "datetimetoepoch",
    "field",
    "flatten",
    "groupby",
    "indexfromend",
    "mapvalues",
    "parsecidr",
    "providers",
    "sort",
    "tryindexfromend",
    "uri",
    "uricomponent",
    "uricomponenttostring",
];

/// A value during evaluation. Object keys compare case-insensitively (ARM semantics, see [`Val::get`]
/// and [`keys_match`]), and their order is kept. The derived `PartialEq` is structural (order and key
/// case matter); ARM's `equals()` semantics are [`values_equal`].
#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    String(String),
    Array(Vec<Val>),
    Object(Vec<(String, Val)>),
    /// A value only known at deployment; the text names the missing input, e.g. "parameter
    /// `adminEnabled` has no value" or "`reference()` is only known at deployment".
    Unknown(String),
}

impl Val {
    /// The property `key` of an object, compared case-insensitively; `None` for other values.
    pub fn get(&self, key: &str) -> Option<&Val> {
        match self {
            Val::Object(entries) => entries
                .iter()
                .find(|(k, _)| keys_match(k, key))
                .map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn is_unknown(&self) -> bool {
        matches!(self, Val::Unknown(_))
    }

    /// The value's kind with its article, for messages: "a string", "an array", ...
    pub fn type_name(&self) -> &'static str {
        match self {
            Val::Null => "null",
            Val::Bool(_) => "a boolean",
            Val::Int(_) => "an integer",
            Val::Float(_) => "a number",
            Val::String(_) => "a string",
            Val::Array(_) => "an array",
            Val::Object(_) => "an object",
            Val::Unknown(_) => "an unknown value",
        }
    }

    /// Converts JSON; parts nested deeper than [`MAX_VALUE_DEPTH`] become unknown.
    pub fn from_json(value: &serde_json::Value) -> Val {
        from_json_at(value, 0)
    }

    /// Converts to JSON; `None` when the value holds an unknown or is nested too deeply.
    pub fn to_json(&self) -> Option<serde_json::Value> {
        to_json_at(self, 0)
    }
}

/// Whether two object keys are the same key (ARM keys are case-insensitive).
pub fn keys_match(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b) || (!a.is_ascii() && a.to_lowercase() == b.to_lowercase())
}

/// ARM `equals()`: deep, case-sensitive for strings, case-insensitive for object keys. `None` when an
/// unknown part decides the answer.
pub fn values_equal(a: &Val, b: &Val) -> Option<bool> {
    let mut budget = Budget(WORK_BUDGET);
    match compare(a, b, 0, &mut budget) {
        Ok(Same::Yes) => Some(true),
        Ok(Same::No) => Some(false),
        Ok(Same::Unknown(_)) | Err(_) => None,
    }
}

/// What the evaluator asks its caller for.
pub trait Env {
    /// The value of a declared parameter (possibly [`Val::Unknown`]); `None` when not declared.
    fn parameter(&self, name: &str) -> Option<Val>;
    /// The value of a declared variable (possibly [`Val::Unknown`]); `None` when not declared.
    fn variable(&self, name: &str) -> Option<Val>;
    /// The current iteration of the named copy loop (the innermost one for `None`); `None` when not
    /// known, which makes `copyIndex()` unknown.
    fn copy_index(&self, loop_name: Option<&str>) -> Option<i64>;
    /// Why the copy index is not known, when the environment can say better than "outside a copy
    /// loop" (e.g. the loop's count is unknown).
    fn copy_index_unknown(&self, _loop_name: Option<&str>) -> Option<String> {
        None
    }
    /// `resourceGroup()`; by default every property but `type` is unknown.
    fn resource_group(&self) -> Val {
        default_resource_group()
    }
    /// `subscription()`; by default every property is unknown.
    fn subscription(&self) -> Val {
        default_subscription()
    }
    /// `deployment()`; by default every property is unknown.
    fn deployment(&self) -> Val {
        unknown_object("deployment()", &["name", "location", "properties"])
    }
    /// `tenant()`; by default every property is unknown.
    fn tenant(&self) -> Val {
        unknown_object(
            "tenant()",
            &["countryCode", "displayName", "id", "tenantId"],
        )
    }
    /// `environment()`; unknown by default.
    fn environment(&self) -> Val {
        Val::Unknown(known_at_deployment("environment()"))
    }
}

/// The default `resourceGroup()`: `type` is known, and `id` is built with placeholders as
/// `resourceId()` builds ids (so `uniqueString(resourceGroup().id)` is deterministic, as its
/// length and alphabet are); every other property is unknown.
pub fn default_resource_group() -> Val {
    let mut group = unknown_object(
        "resourceGroup()",
        &["name", "location", "managedBy", "tags", "properties"],
    );
    if let Val::Object(entries) = &mut group {
        entries.insert(
            0,
            (
                "id".to_string(),
                Val::String(format!(
                    "/subscriptions/{SUBSCRIPTION_PLACEHOLDER}/resourceGroups/{RESOURCE_GROUP_PLACEHOLDER}"
                )),
            ),
        );
        entries.push((
            "type".to_string(),
            Val::String("Microsoft.Resources/resourceGroups".to_string()),
        ));
    }
    group
}

/// The default `subscription()`: `id` built with a placeholder (see [`default_resource_group`]),
/// every other property unknown.
pub fn default_subscription() -> Val {
    let mut subscription = unknown_object(
        "subscription()",
        &["subscriptionId", "tenantId", "displayName"],
    );
    if let Val::Object(entries) = &mut subscription {
        entries.insert(
            0,
            (
                "id".to_string(),
                Val::String(format!("/subscriptions/{SUBSCRIPTION_PLACEHOLDER}")),
            ),
        );
    }
    subscription
}

fn unknown_object(function: &str, properties: &[&str]) -> Val {
    Val::Object(
        properties
            .iter()
            .map(|p| {
                let reason = known_at_deployment(&format!("{function}.{p}"));
                ((*p).to_string(), Val::Unknown(reason))
            })
            .collect(),
    )
}

fn known_at_deployment(what: &str) -> String {
    format!("`{what}` is only known at deployment")
}

/// An error in an expression: `offset` is the byte offset inside the expression text as given to
/// [`evaluate`] (the JSON string value, its opening `[` at offset 0).
#[derive(Debug, Clone, PartialEq)]
pub struct ExprError {
    pub offset: usize,
    pub message: String,
}

impl std::fmt::Display for ExprError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} (at offset {})", self.message, self.offset)
    }
}

impl std::error::Error for ExprError {}

fn error_at(offset: usize, message: impl Into<String>) -> ExprError {
    ExprError {
        offset,
        message: message.into(),
    }
}

/// True when a JSON string is an expression: starts with `[`, ends with `]`, and does not start
/// with `[[`.
pub fn is_expression(text: &str) -> bool {
    text.len() >= 2 && text.starts_with('[') && text.ends_with(']') && !text.starts_with("[[")
}

/// The literal a `[[...]` escaped string stands for (one leading `[` removed), or the text itself.
pub fn unescape_literal(text: &str) -> &str {
    if text.starts_with("[[") && text.ends_with(']') {
        text.get(1..).unwrap_or(text)
    } else {
        text
    }
}

/// Evaluates an expression string (with its brackets) in `env`. A string that is not an expression
/// evaluates to itself (unescaped, see [`unescape_literal`]).
pub fn evaluate(text: &str, env: &dyn Env) -> Result<Val, ExprError> {
    if !is_expression(text) {
        return Ok(Val::String(unescape_literal(text).to_string()));
    }
    let expr = parse(text)?;
    let mut evaluator = Evaluator {
        env,
        budget: Budget(WORK_BUDGET),
        lambda_scope: Vec::new(),
    };
    let value = evaluator.eval(&expr)?;
    measure(&value).map_err(|fail| fail.into_error(0))?;
    Ok(value)
}

/// Checks an expression's syntax without evaluating it.
pub fn check_syntax(text: &str) -> Result<(), ExprError> {
    if is_expression(text) {
        parse(text).map(|_| ())
    } else {
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------------
// Lexer

#[derive(Debug, Clone, PartialEq)]
enum Tok {
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
    fn describe(&self) -> String {
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
struct Token {
    tok: Tok,
    offset: usize,
}

type Chars<'a> = std::iter::Peekable<std::str::CharIndices<'a>>;

/// Splits `body` (the text between the brackets, which starts at `base` in the full text) into tokens.
fn lex(body: &str, base: usize) -> Result<Vec<Token>, ExprError> {
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

fn punctuation(c: char) -> Tok {
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

fn is_ident_start(c: char) -> bool {
    c.is_alphabetic() || c == '_' || c == '$'
}

fn is_ident_continue(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '$'
}

/// A single-quoted string; `''` stands for one quote.
fn lex_string(chars: &mut Chars<'_>, offset: usize) -> Result<Tok, ExprError> {
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

fn lex_number(body: &str, chars: &mut Chars<'_>, base: usize) -> Result<Tok, ExprError> {
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
fn consume_digits(chars: &mut Chars<'_>, mut end: usize) -> usize {
    while let Some((i, c)) = chars.next_if(|&(_, c)| c.is_ascii_digit()) {
        end = i + c.len_utf8();
    }
    end
}

fn lex_identifier(body: &str, chars: &mut Chars<'_>) -> Tok {
    let start = chars.peek().map_or(0, |&(i, _)| i);
    let mut end = start;
    while let Some((i, c)) = chars.next_if(|&(_, c)| is_ident_continue(c)) {
        end = i + c.len_utf8();
    }
    Tok::Ident(body.get(start..end).unwrap_or_default().to_string())
}

// ---------------------------------------------------------------------------------------------
// Parser

#[derive(Debug, Clone)]
struct Expr {
    offset: usize,
    kind: Kind,
}

#[derive(Debug, Clone)]
enum Kind {
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

#[derive(Debug, Clone)]
struct Call {
    /// As written, for messages.
    name: String,
    /// Lower case, for dispatch.
    key: String,
    args: Vec<Expr>,
}

fn parse(text: &str) -> Result<Expr, ExprError> {
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

fn too_deep(offset: usize) -> ExprError {
    error_at(
        offset,
        format!("expression is nested more than {MAX_NESTING} levels deep"),
    )
}

// ---------------------------------------------------------------------------------------------
// Evaluator

/// Why a function produced no value: an unknown input (not an error) or an error in the template.
#[derive(Debug)]
enum Fail {
    Unknown(String),
    Error(String),
}

impl Fail {
    fn into_error(self, offset: usize) -> ExprError {
        match self {
            Fail::Unknown(reason) | Fail::Error(reason) => error_at(offset, reason),
        }
    }
}

fn fail(message: impl Into<String>) -> Fail {
    Fail::Error(message.into())
}

fn too_large(what: &str) -> Fail {
    fail(format!("result too large: {what}"))
}

fn string_too_large() -> Fail {
    too_large(&format!("strings are limited to {MAX_STRING_BYTES} bytes"))
}

fn array_too_large() -> Fail {
    too_large(&format!("arrays are limited to {MAX_ARRAY_ITEMS} items"))
}

/// Work units left in one evaluation.
struct Budget(u64);

impl Budget {
    fn spend(&mut self, units: u64) -> Result<(), Fail> {
        match self.0.checked_sub(units) {
            Some(left) => {
                self.0 = left;
                Ok(())
            }
            None => {
                self.0 = 0;
                Err(fail("expression needs too much work to evaluate"))
            }
        }
    }
}

fn units(count: usize) -> u64 {
    u64::try_from(count).unwrap_or(u64::MAX)
}

struct Evaluator<'e> {
    env: &'e dyn Env,
    budget: Budget,
    /// Bound `lambda` parameters, innermost last.
    lambda_scope: Vec<(String, Val)>,
}

impl Evaluator<'_> {
    fn eval(&mut self, expr: &Expr) -> Result<Val, ExprError> {
        self.budget
            .spend(1)
            .map_err(|fail| fail.into_error(expr.offset))?;
        let result = match &expr.kind {
            Kind::Literal(value) => Ok(value.clone()),
            Kind::Call(call) => return self.call(call, expr.offset),
            Kind::Member { target, name, safe } => {
                let target = self.eval(target)?;
                member(target, name, *safe)
            }
            Kind::Index {
                target,
                index,
                safe,
            } => {
                let target = self.eval(target)?;
                let index = self.eval(index)?;
                element(target, index, *safe)
            }
        };
        settle(result, expr.offset)
    }

    fn call(&mut self, call: &Call, offset: usize) -> Result<Val, ExprError> {
        if let Some(reason) = deferred_reason(&call.key, &call.name) {
            return Ok(Val::Unknown(reason));
        }
        if let Some(result) = self.lazy_call(call, offset) {
            return result;
        }
        let Some(builtin) = lookup(&call.key) else {
            return Err(error_at(
                offset,
                format!("unknown function `{}`", call.name),
            ));
        };
        let mut vals = Vec::with_capacity(call.args.len());
        for arg in &call.args {
            vals.push(self.eval(arg)?);
        }
        let keeps_unknowns = matches!(call.key.as_str(), "createarray" | "createobject");
        if let Some(reason) = vals
            .iter()
            .find_map(unknown_reason)
            .filter(|_| !keeps_unknowns)
        {
            return Ok(Val::Unknown(reason));
        }
        let text_bytes: usize = vals.iter().map(text_len).sum();
        self.budget
            .spend(units(text_bytes / 4))
            .map_err(|fail| fail.into_error(offset))?;
        let mut args = Args {
            name: &call.name,
            vals,
        };
        let result = builtin(self, &mut args).and_then(|value| {
            self.budget.spend(shallow_weight(&value))?;
            Ok(value)
        });
        settle(result, offset)
    }

    /// Clones a value from the environment or a lambda scope, charging for its size.
    fn admit(&mut self, value: Val) -> Result<Val, Fail> {
        let weight = measure(&value)?;
        self.budget.spend(weight)?;
        Ok(value)
    }

    // -- lazy functions: their arguments are evaluated only as far as needed

    fn lazy_call(&mut self, call: &Call, offset: usize) -> Option<Result<Val, ExprError>> {
        let args = call.args.as_slice();
        let result = match call.key.as_str() {
            "if" => self.eval_if(call, args, offset),
            "and" => self.eval_logical(call, args, offset, false),
            "or" => self.eval_logical(call, args, offset, true),
            "coalesce" => self.eval_coalesce(call, args, offset),
            "map" => self.eval_map(call, args, offset),
            "filter" => self.eval_filter(call, args, offset),
            "reduce" => self.eval_reduce(call, args, offset),
            "toobject" => self.eval_to_object(call, args, offset),
            "lambda" => Err(error_at(
                offset,
                "`lambda()` can only be an argument of `map`, `filter`, `reduce` or `toObject`",
            )),
            _ => return None,
        };
        Some(result)
    }

    fn eval_if(&mut self, call: &Call, args: &[Expr], offset: usize) -> Result<Val, ExprError> {
        let [condition, when_true, when_false] = args else {
            return Err(arity_error(&call.name, 3, 3, args.len()).into_error(offset));
        };
        match self.eval(condition)? {
            Val::Bool(true) => self.eval(when_true),
            Val::Bool(false) => self.eval(when_false),
            Val::Unknown(reason) => {
                // Only one branch would run at deployment, so an error in either is not an error here.
                let yes = self.eval(when_true).ok();
                let no = self.eval(when_false).ok();
                if let (Some(yes), Some(no)) = (yes, no)
                    && matches!(compare(&yes, &no, 0, &mut self.budget), Ok(Same::Yes))
                {
                    return Ok(yes);
                }
                Ok(Val::Unknown(reason))
            }
            other => Err(type_error(&call.name, 0, "a boolean", &other).into_error(offset)),
        }
    }

    /// `and` (`decisive` = false) and `or` (`decisive` = true): the first decisive value wins even
    /// after an unknown; after an unknown, later errors count as unknown (they might never run).
    fn eval_logical(
        &mut self,
        call: &Call,
        args: &[Expr],
        offset: usize,
        decisive: bool,
    ) -> Result<Val, ExprError> {
        if args.is_empty() {
            return Err(arity_error(&call.name, 1, usize::MAX, 0).into_error(offset));
        }
        let mut unknown: Option<String> = None;
        for (position, arg) in args.iter().enumerate() {
            let value = match self.eval(arg) {
                Ok(value) => value,
                Err(_) if unknown.is_some() => continue,
                Err(error) => return Err(error),
            };
            match value {
                Val::Bool(b) if b == decisive => return Ok(Val::Bool(decisive)),
                Val::Bool(_) => {}
                Val::Unknown(reason) => {
                    unknown.get_or_insert(reason);
                }
                other if unknown.is_some() => drop(other),
                other => {
                    return Err(
                        type_error(&call.name, position, "a boolean", &other).into_error(offset)
                    );
                }
            }
        }
        Ok(unknown.map_or(Val::Bool(!decisive), Val::Unknown))
    }

    fn eval_coalesce(
        &mut self,
        call: &Call,
        args: &[Expr],
        offset: usize,
    ) -> Result<Val, ExprError> {
        if args.is_empty() {
            return Err(arity_error(&call.name, 1, usize::MAX, 0).into_error(offset));
        }
        for arg in args {
            match self.eval(arg)? {
                Val::Null => {}
                value => return Ok(value),
            }
        }
        Ok(Val::Null)
    }

    fn eval_map(&mut self, call: &Call, args: &[Expr], offset: usize) -> Result<Val, ExprError> {
        let [items, lambda] = args else {
            return Err(arity_error(&call.name, 2, 2, args.len()).into_error(offset));
        };
        let items = match self.eval_lambda_input(call, items, offset)? {
            Ok(items) => items,
            Err(unknown) => return Ok(unknown),
        };
        let lambda = Lambda::parse(lambda, 1, 2)?;
        let mut mapped = Vec::with_capacity(items.len());
        for (index, item) in items.into_iter().enumerate() {
            mapped.push(self.apply_lambda(&lambda, vec![item, index_value(index)])?);
        }
        Ok(Val::Array(mapped))
    }

    fn eval_filter(&mut self, call: &Call, args: &[Expr], offset: usize) -> Result<Val, ExprError> {
        let [items, lambda] = args else {
            return Err(arity_error(&call.name, 2, 2, args.len()).into_error(offset));
        };
        let items = match self.eval_lambda_input(call, items, offset)? {
            Ok(items) => items,
            Err(unknown) => return Ok(unknown),
        };
        let lambda = Lambda::parse(lambda, 1, 2)?;
        let mut kept = Vec::new();
        for (index, item) in items.into_iter().enumerate() {
            match self.apply_lambda(&lambda, vec![item.clone(), index_value(index)])? {
                Val::Bool(true) => kept.push(item),
                Val::Bool(false) => {}
                Val::Unknown(reason) => return Ok(Val::Unknown(reason)),
                other => {
                    let message = format!(
                        "the `lambda()` of `{}()` must return a boolean, not {}",
                        call.name,
                        other.type_name()
                    );
                    return Err(error_at(lambda.body.offset, message));
                }
            }
        }
        Ok(Val::Array(kept))
    }

    fn eval_reduce(&mut self, call: &Call, args: &[Expr], offset: usize) -> Result<Val, ExprError> {
        let [items, initial, lambda] = args else {
            return Err(arity_error(&call.name, 3, 3, args.len()).into_error(offset));
        };
        let items = match self.eval_lambda_input(call, items, offset)? {
            Ok(items) => items,
            Err(unknown) => return Ok(unknown),
        };
        let mut accumulator = self.eval(initial)?;
        let lambda = Lambda::parse(lambda, 2, 3)?;
        for (index, item) in items.into_iter().enumerate() {
            accumulator =
                self.apply_lambda(&lambda, vec![accumulator, item, index_value(index)])?;
            let weight = measure(&accumulator).map_err(|fail| fail.into_error(offset))?;
            self.budget
                .spend(weight)
                .map_err(|fail| fail.into_error(offset))?;
        }
        Ok(accumulator)
    }

    fn eval_to_object(
        &mut self,
        call: &Call,
        args: &[Expr],
        offset: usize,
    ) -> Result<Val, ExprError> {
        let (items, key_lambda, value_lambda) = match args {
            [items, key] => (items, key, None),
            [items, key, value] => (items, key, Some(value)),
            _ => return Err(arity_error(&call.name, 2, 3, args.len()).into_error(offset)),
        };
        let items = match self.eval_lambda_input(call, items, offset)? {
            Ok(items) => items,
            Err(unknown) => return Ok(unknown),
        };
        let key_lambda = Lambda::parse(key_lambda, 1, 1)?;
        let value_lambda = value_lambda.map(|l| Lambda::parse(l, 1, 1)).transpose()?;
        let mut entries = Vec::new();
        for item in items {
            let key = match self.apply_lambda(&key_lambda, vec![item.clone()])? {
                Val::String(key) => key,
                Val::Unknown(reason) => return Ok(Val::Unknown(reason)),
                other => {
                    let message = format!("object keys must be strings, not {}", other.type_name());
                    return Err(error_at(key_lambda.body.offset, message));
                }
            };
            let value = match &value_lambda {
                Some(lambda) => self.apply_lambda(lambda, vec![item])?,
                None => item,
            };
            insert_entry(&mut entries, key, value);
        }
        Ok(Val::Object(entries))
    }

    /// The array a lambda function iterates over; `Err` holds the unknown that replaces the result.
    fn eval_lambda_input(
        &mut self,
        call: &Call,
        items: &Expr,
        offset: usize,
    ) -> Result<Result<Vec<Val>, Val>, ExprError> {
        match self.eval(items)? {
            Val::Array(items) => Ok(Ok(items)),
            Val::Unknown(reason) => Ok(Err(Val::Unknown(reason))),
            other => Err(type_error(&call.name, 0, "an array", &other).into_error(offset)),
        }
    }

    fn apply_lambda(&mut self, lambda: &Lambda<'_>, values: Vec<Val>) -> Result<Val, ExprError> {
        let mark = self.lambda_scope.len();
        for (name, value) in lambda.params.iter().zip(values) {
            self.lambda_scope.push((name.clone(), value));
        }
        let result = self.eval(lambda.body);
        self.lambda_scope.truncate(mark);
        result
    }
}

/// Turns a function's outcome into the evaluator's: unknowns are values, failures errors at `offset`.
fn settle(result: Result<Val, Fail>, offset: usize) -> Result<Val, ExprError> {
    match result {
        Ok(value) => Ok(value),
        Err(Fail::Unknown(reason)) => Ok(Val::Unknown(reason)),
        Err(Fail::Error(message)) => Err(error_at(offset, message)),
    }
}

fn index_value(index: usize) -> Val {
    Val::Int(i64::try_from(index).unwrap_or(i64::MAX))
}

/// `lambda('a', 'b', body)`, as an argument of a lambda function.
struct Lambda<'x> {
    params: Vec<String>,
    body: &'x Expr,
}

impl<'x> Lambda<'x> {
    fn parse(expr: &'x Expr, min_params: usize, max_params: usize) -> Result<Self, ExprError> {
        let Kind::Call(call) = &expr.kind else {
            return Err(error_at(expr.offset, "expected a `lambda(...)` here"));
        };
        let Some((body, names)) = call.args.split_last().filter(|_| call.key == "lambda") else {
            return Err(error_at(expr.offset, "expected a `lambda(...)` here"));
        };
        let mut params = Vec::with_capacity(names.len());
        for name in names {
            match &name.kind {
                Kind::Literal(Val::String(name)) => params.push(name.clone()),
                _ => {
                    let message = "lambda parameter names must be string literals";
                    return Err(error_at(name.offset, message));
                }
            }
        }
        if params.len() < min_params || params.len() > max_params {
            let message = format!(
                "this `lambda()` must take {min_params} to {max_params} parameters, not {}",
                params.len()
            );
            return Err(error_at(expr.offset, message));
        }
        Ok(Lambda { params, body })
    }
}

/// Why a call is unknown without evaluating it: deployment-time functions, user-defined functions
/// and recognised ARM functions that are not evaluated.
fn deferred_reason(key: &str, name: &str) -> Option<String> {
    if key.contains('.') {
        return Some(format!(
            "`{name}()` is a user-defined function, which is not evaluated"
        ));
    }
    let at_deployment = key.starts_with("list")
        || matches!(
            key,
            "reference" | "pickzones" | "utcnow" | "newguid" | "deployer" | "managementgroup"
        );
    if at_deployment {
        return Some(known_at_deployment(&format!("{name}()")));
    }
    if key == "fail" {
        return Some("the template calls `fail()` here".to_string());
    }
    NOT_EVALUATED
        .contains(&key)
        .then(|| format!("`{name}()` is not evaluated by acr-lint"))
}

fn text_len(value: &Val) -> usize {
    match value {
        Val::String(s) => s.len(),
        _ => 0,
    }
}

fn unknown_reason(value: &Val) -> Option<String> {
    match value {
        Val::Unknown(reason) => Some(reason.clone()),
        _ => None,
    }
}

// -- property and index access

fn member(target: Val, name: &str, safe: bool) -> Result<Val, Fail> {
    match target {
        Val::Unknown(reason) => Ok(Val::Unknown(reason)),
        Val::Object(entries) => {
            let Some(position) = entries.iter().position(|(k, _)| keys_match(k, name)) else {
                return if safe {
                    Ok(Val::Null)
                } else {
                    Err(missing_property(name, &entries))
                };
            };
            Ok(entries
                .into_iter()
                .nth(position)
                .map_or(Val::Null, |(_, value)| value))
        }
        Val::Null if safe => Ok(Val::Null),
        other => Err(fail(format!(
            "cannot read property `{name}` of {}",
            other.type_name()
        ))),
    }
}

fn missing_property(name: &str, entries: &[(String, Val)]) -> Fail {
    let mut available: Vec<String> = entries
        .iter()
        .take(10)
        .map(|(k, _)| format!("`{k}`"))
        .collect();
    if entries.len() > available.len() {
        available.push("...".to_string());
    }
    if available.is_empty() {
        fail(format!(
            "property `{name}` does not exist; the object is empty"
        ))
    } else {
        fail(format!(
            "property `{name}` does not exist; available properties are {}",
            available.join(", ")
        ))
    }
}

fn element(target: Val, index: Val, safe: bool) -> Result<Val, Fail> {
    match (target, index) {
        (Val::Unknown(reason), _) | (_, Val::Unknown(reason)) => Ok(Val::Unknown(reason)),
        (Val::Object(entries), Val::String(key)) => member(Val::Object(entries), &key, safe),
        (Val::Null, _) if safe => Ok(Val::Null),
        (Val::Array(items), index) => {
            let Some(position) = as_int(&index) else {
                return Err(fail(format!(
                    "an array index must be an integer, not {}",
                    index.type_name()
                )));
            };
            let count = items.len();
            let item = usize::try_from(position)
                .ok()
                .and_then(|i| items.into_iter().nth(i));
            match item {
                Some(item) => Ok(item),
                None if safe => Ok(Val::Null),
                None => Err(fail(format!(
                    "index {position} is out of range for an array of {count} items"
                ))),
            }
        }
        (target, index) => Err(fail(format!(
            "cannot index {} with {}",
            target.type_name(),
            index.type_name()
        ))),
    }
}

fn as_int(value: &Val) -> Option<i64> {
    match value {
        Val::Int(n) => Some(*n),
        Val::Float(f) if f.fract() == 0.0 && f.abs() < 9.0e18 => Some(*f as i64),
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------------
// Strict functions: every argument evaluated first; a top-level unknown argument makes the result
// unknown before the function runs (except `createArray` and `createObject`, which keep unknowns as
// leaves).

/// Evaluated arguments of one call.
struct Args<'n> {
    name: &'n str,
    vals: Vec<Val>,
}

impl Args<'_> {
    fn count(&self, min: usize, max: usize) -> Result<(), Fail> {
        let got = self.vals.len();
        if got < min || got > max {
            return Err(arity_error(self.name, min, max, got));
        }
        Ok(())
    }

    fn arg(&self, i: usize) -> Result<&Val, Fail> {
        self.vals
            .get(i)
            .ok_or_else(|| fail(format!("`{}()` is missing argument {}", self.name, i + 1)))
    }

    fn str(&self, i: usize) -> Result<&str, Fail> {
        match self.arg(i)? {
            Val::String(s) => Ok(s),
            other => Err(type_error(self.name, i, "a string", other)),
        }
    }

    fn int(&self, i: usize) -> Result<i64, Fail> {
        let value = self.arg(i)?;
        as_int(value).ok_or_else(|| type_error(self.name, i, "an integer", value))
    }

    fn array(&self, i: usize) -> Result<&[Val], Fail> {
        match self.arg(i)? {
            Val::Array(items) => Ok(items),
            other => Err(type_error(self.name, i, "an array", other)),
        }
    }

    fn object(&self, i: usize) -> Result<&[(String, Val)], Fail> {
        match self.arg(i)? {
            Val::Object(entries) => Ok(entries),
            other => Err(type_error(self.name, i, "an object", other)),
        }
    }

    /// Every argument as a string.
    fn strings(&self) -> Result<Vec<&str>, Fail> {
        (0..self.vals.len()).map(|i| self.str(i)).collect()
    }

    fn take(&mut self, i: usize) -> Val {
        self.vals
            .get_mut(i)
            .map_or(Val::Null, |value| std::mem::replace(value, Val::Null))
    }

    fn wrong_type(&self, i: usize, expected: &str) -> Fail {
        match self.arg(i) {
            Ok(value) => type_error(self.name, i, expected, value),
            Err(missing) => missing,
        }
    }
}

fn arity_error(name: &str, min: usize, max: usize, got: usize) -> Fail {
    let expected = match (min, max) {
        (0, 0) => "no arguments".to_string(),
        (min, usize::MAX) => format!("at least {min} argument{}", plural(min)),
        (min, max) if min == max => format!("{min} argument{}", plural(min)),
        (min, max) => format!("{min} to {max} arguments"),
    };
    fail(format!("`{name}()` takes {expected}, got {got}"))
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn type_error(name: &str, i: usize, expected: &str, got: &Val) -> Fail {
    fail(format!(
        "`{name}()` expects argument {} to be {expected}, not {}",
        i + 1,
        got.type_name()
    ))
}

type Builtin = fn(&mut Evaluator<'_>, &mut Args<'_>) -> Result<Val, Fail>;

fn lookup(key: &str) -> Option<Builtin> {
    let builtin: Builtin = match key {
        "parameters" => parameters,
        "variables" => variables,
        "copyindex" => copy_index,
        "lambdavariables" => lambda_variables,
        "resourcegroup" => |ev, a| scope_object(ev, a, |env| env.resource_group()),
        "subscription" => |ev, a| scope_object(ev, a, |env| env.subscription()),
        "deployment" => |ev, a| scope_object(ev, a, |env| env.deployment()),
        "tenant" => |ev, a| scope_object(ev, a, |env| env.tenant()),
        "environment" => |ev, a| scope_object(ev, a, |env| env.environment()),
        "true" => |_, a| a.count(0, 0).map(|()| Val::Bool(true)),
        "false" => |_, a| a.count(0, 0).map(|()| Val::Bool(false)),
        "null" => |_, a| a.count(0, 0).map(|()| Val::Null),
        "not" => not,
        "equals" => equals,
        "bool" => to_bool,
        "int" => to_int,
        "float" => to_float,
        "string" => to_string,
        "json" => json,
        "array" => array,
        "concat" => concat,
        "format" => format,
        "tolower" => |_, a| map_string(a, str::to_lowercase),
        "toupper" => |_, a| map_string(a, str::to_uppercase),
        "trim" => |_, a| map_string(a, |s| s.trim().to_string()),
        "replace" => replace,
        "contains" => contains,
        "empty" => empty,
        "length" => length,
        "union" => union,
        "intersection" => intersection,
        "shallowmerge" => shallow_merge,
        "createobject" => create_object,
        "createarray" => |_, a| Ok(Val::Array(std::mem::take(&mut a.vals))),
        "tryget" => try_get,
        "items" => items,
        "objectkeys" => object_keys,
        "split" => split,
        "join" => join,
        "first" => |_, a| first_or_last(a, true),
        "last" => |_, a| first_or_last(a, false),
        "substring" => substring,
        "startswith" => |_, a| affix(a, true),
        "endswith" => |_, a| affix(a, false),
        "indexof" => |ev, a| index_of(ev, a, false),
        "lastindexof" => |ev, a| index_of(ev, a, true),
        "skip" => |_, a| skip_or_take(a, true),
        "take" => |_, a| skip_or_take(a, false),
        "padleft" => pad_left,
        "min" => |_, a| min_or_max(a, true),
        "max" => |_, a| min_or_max(a, false),
        "range" => range,
        "add" => |_, a| arithmetic(a, i64::checked_add),
        "sub" => |_, a| arithmetic(a, i64::checked_sub),
        "mul" => |_, a| arithmetic(a, i64::checked_mul),
        "div" => |_, a| division(a, i64::checked_div),
        "mod" => |_, a| division(a, i64::checked_rem),
        "greater" => |_, a| ordering(a, std::cmp::Ordering::is_gt),
        "greaterorequals" => |_, a| ordering(a, std::cmp::Ordering::is_ge),
        "less" => |_, a| ordering(a, std::cmp::Ordering::is_lt),
        "lessorequals" => |_, a| ordering(a, std::cmp::Ordering::is_le),
        "uniquestring" => unique_string,
        "guid" => guid,
        "base64" => base64,
        "base64tostring" => base64_to_string,
        "resourceid" => resource_id,
        "subscriptionresourceid" => subscription_resource_id,
        "tenantresourceid" => tenant_resource_id,
        "extensionresourceid" => extension_resource_id,
        "managementgroupresourceid" => management_group_resource_id,
        _ => return None,
    };
    Some(builtin)
}

// -- inputs from the environment

fn parameters(ev: &mut Evaluator<'_>, a: &mut Args<'_>) -> Result<Val, Fail> {
    a.count(1, 1)?;
    let name = a.str(0)?;
    match ev.env.parameter(name) {
        Some(value) => ev.admit(value),
        None => Err(fail(format!("parameter `{name}` is not declared"))),
    }
}

fn variables(ev: &mut Evaluator<'_>, a: &mut Args<'_>) -> Result<Val, Fail> {
    a.count(1, 1)?;
    let name = a.str(0)?;
    match ev.env.variable(name) {
        Some(value) => ev.admit(value),
        None => Err(fail(format!("variable `{name}` is not declared"))),
    }
}

/// `copyIndex()`, `copyIndex(offset)`, `copyIndex('loop')`, `copyIndex('loop', offset)`.
fn copy_index(ev: &mut Evaluator<'_>, a: &mut Args<'_>) -> Result<Val, Fail> {
    a.count(0, 2)?;
    let (loop_name, offset) = match a.vals.as_slice() {
        [] => (None, 0),
        [Val::String(name)] => (Some(name.as_str()), 0),
        [Val::String(name), _] => (Some(name.as_str()), a.int(1)?),
        [_] => (None, a.int(0)?),
        _ => return Err(a.wrong_type(0, "a loop name")),
    };
    let Some(index) = ev.env.copy_index(loop_name) else {
        if let Some(reason) = ev.env.copy_index_unknown(loop_name) {
            return Err(Fail::Unknown(reason));
        }
        let reason = match loop_name {
            Some(name) => format!("`copyIndex('{name}')` is only known inside that copy loop"),
            None => "`copyIndex()` is only known inside a copy loop".to_string(),
        };
        return Err(Fail::Unknown(reason));
    };
    index
        .checked_add(offset)
        .map(Val::Int)
        .ok_or_else(|| fail("`copyIndex()` overflows"))
}

fn lambda_variables(ev: &mut Evaluator<'_>, a: &mut Args<'_>) -> Result<Val, Fail> {
    a.count(1, 1)?;
    let name = a.str(0)?;
    let bound = ev
        .lambda_scope
        .iter()
        .rev()
        .find(|(param, _)| keys_match(param, name))
        .map(|(_, value)| value.clone());
    match bound {
        Some(value) => ev.admit(value),
        None => Err(fail(format!(
            "lambda variable `{name}` is not defined here"
        ))),
    }
}

fn scope_object(
    ev: &mut Evaluator<'_>,
    a: &mut Args<'_>,
    get: fn(&dyn Env) -> Val,
) -> Result<Val, Fail> {
    a.count(0, 0)?;
    let value = get(ev.env);
    ev.admit(value)
}

// -- logic and conversion

fn not(_: &mut Evaluator<'_>, a: &mut Args<'_>) -> Result<Val, Fail> {
    a.count(1, 1)?;
    match a.arg(0)? {
        Val::Bool(b) => Ok(Val::Bool(!b)),
        _ => Err(a.wrong_type(0, "a boolean")),
    }
}

fn equals(ev: &mut Evaluator<'_>, a: &mut Args<'_>) -> Result<Val, Fail> {
    a.count(2, 2)?;
    match compare(a.arg(0)?, a.arg(1)?, 0, &mut ev.budget)? {
        Same::Yes => Ok(Val::Bool(true)),
        Same::No => Ok(Val::Bool(false)),
        Same::Unknown(reason) => Err(Fail::Unknown(reason)),
    }
}

fn to_bool(_: &mut Evaluator<'_>, a: &mut Args<'_>) -> Result<Val, Fail> {
    a.count(1, 1)?;
    match a.arg(0)? {
        Val::Bool(b) => Ok(Val::Bool(*b)),
        Val::String(s) => Ok(Val::Bool(s.trim().eq_ignore_ascii_case("true"))),
        Val::Int(n) => Ok(Val::Bool(*n != 0)),
        _ => Err(a.wrong_type(0, "a string or an integer")),
    }
}

fn to_int(_: &mut Evaluator<'_>, a: &mut Args<'_>) -> Result<Val, Fail> {
    a.count(1, 1)?;
    match a.arg(0)? {
        Val::Int(n) => Ok(Val::Int(*n)),
        Val::Float(f) if f.is_finite() && f.abs() < 9.0e18 => Ok(Val::Int(f.trunc() as i64)),
        Val::String(s) => s
            .trim()
            .parse()
            .map(Val::Int)
            .map_err(|_| fail(format!("`{}()` cannot convert `{s}` to an integer", a.name))),
        _ => Err(a.wrong_type(0, "a string or a number")),
    }
}

fn to_float(_: &mut Evaluator<'_>, a: &mut Args<'_>) -> Result<Val, Fail> {
    a.count(1, 1)?;
    match a.arg(0)? {
        Val::Int(n) => Ok(Val::Float(*n as f64)),
        Val::Float(f) => Ok(Val::Float(*f)),
        Val::String(s) => s
            .trim()
            .parse()
            .map(Val::Float)
            .map_err(|_| fail(format!("`{}()` cannot convert `{s}` to a number", a.name))),
        _ => Err(a.wrong_type(0, "a string or a number")),
    }
}

fn to_string(_: &mut Evaluator<'_>, a: &mut Args<'_>) -> Result<Val, Fail> {
    a.count(1, 1)?;
    to_text(a.arg(0)?).map(Val::String)
}

fn json(ev: &mut Evaluator<'_>, a: &mut Args<'_>) -> Result<Val, Fail> {
    a.count(1, 1)?;
    let text = a.str(0)?;
    let parsed = serde_json::from_str::<serde_json::Value>(text)
        .or_else(|e| serde_json::from_str(&relax_json(text)).map_err(|_| e));
    match parsed {
        Ok(parsed) => ev.admit(Val::from_json(&parsed)),
        // .NET also reads numbers such as `.25`.
        Err(e) => match text.trim().parse::<f64>() {
            Ok(number) if number.is_finite() => Ok(Val::Float(number)),
            _ => Err(fail(format!(
                "`{}()` cannot parse its argument as JSON: {e}",
                a.name
            ))),
        },
    }
}

/// JSON without the comments and trailing commas that .NET's reader accepts (Bicep's
/// `loadJsonContent()` passes files with comments to `json()`).
fn relax_json(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    let mut in_string = false;
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            match c {
                '\\' => out.extend(chars.next()),
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match (c, chars.peek()) {
            ('"', _) => {
                in_string = true;
                out.push(c);
            }
            ('/', Some('/')) => {
                chars.by_ref().find(|&c| c == '\n');
                out.push('\n');
            }
            ('/', Some('*')) => {
                chars.next();
                let mut previous = ' ';
                chars
                    .by_ref()
                    .find(|&c| std::mem::replace(&mut previous, c) == '*' && c == '/');
                out.push(' ');
            }
            (',', _) => {
                let rest = chars.clone().find(|c| !c.is_whitespace());
                if !matches!(rest, Some('}' | ']')) {
                    out.push(c);
                }
            }
            _ => out.push(c),
        }
    }
    out
}

fn array(_: &mut Evaluator<'_>, a: &mut Args<'_>) -> Result<Val, Fail> {
    a.count(1, 1)?;
    match a.take(0) {
        Val::Array(items) => Ok(Val::Array(items)),
        other => Ok(Val::Array(vec![other])),
    }
}

// -- strings

/// Concatenates arrays (when the first non-null argument is one) or the text of scalars.
fn concat(ev: &mut Evaluator<'_>, a: &mut Args<'_>) -> Result<Val, Fail> {
    a.count(1, usize::MAX)?;
    let arrays = matches!(
        a.vals.iter().find(|v| **v != Val::Null),
        Some(Val::Array(_))
    );
    if arrays {
        let mut joined = Vec::new();
        for (i, value) in std::mem::take(&mut a.vals).into_iter().enumerate() {
            match value {
                Val::Array(items) => {
                    ev.budget.spend(units(items.len()))?;
                    joined.extend(items);
                }
                Val::Null => {}
                other => return Err(type_error(a.name, i, "an array", &other)),
            }
            if joined.len() > MAX_ARRAY_ITEMS {
                return Err(array_too_large());
            }
        }
        return Ok(Val::Array(joined));
    }
    let mut text = String::new();
    for (i, value) in a.vals.iter().enumerate() {
        if matches!(value, Val::Array(_) | Val::Object(_)) {
            return Err(type_error(a.name, i, "a string or a number", value));
        }
        text.push_str(&to_text(value)?);
        if text.len() > MAX_STRING_BYTES {
            return Err(string_too_large());
        }
    }
    Ok(Val::String(text))
}

fn map_string(a: &mut Args<'_>, transform: fn(&str) -> String) -> Result<Val, Fail> {
    a.count(1, 1)?;
    string_result(transform(a.str(0)?))
}

fn string_result(text: String) -> Result<Val, Fail> {
    if text.len() > MAX_STRING_BYTES {
        Err(string_too_large())
    } else {
        Ok(Val::String(text))
    }
}

fn replace(_: &mut Evaluator<'_>, a: &mut Args<'_>) -> Result<Val, Fail> {
    a.count(3, 3)?;
    let (text, old, new) = (a.str(0)?, a.str(1)?, a.str(2)?);
    if old.is_empty() {
        return Err(fail(format!(
            "`{}()` cannot replace an empty string",
            a.name
        )));
    }
    let occurrences = text.matches(old).count();
    let growth = new.len().saturating_sub(old.len());
    if text
        .len()
        .saturating_add(occurrences.saturating_mul(growth))
        > MAX_STRING_BYTES
    {
        return Err(string_too_large());
    }
    Ok(Val::String(text.replace(old, new)))
}

/// .NET composite formatting: `{0}`, `{0,width}`, `{0:D3}`, with `{{` and `}}` for braces.
fn format(_: &mut Evaluator<'_>, a: &mut Args<'_>) -> Result<Val, Fail> {
    a.count(1, usize::MAX)?;
    let template = a.str(0)?;
    let values = a.vals.get(1..).unwrap_or_default();
    let mut out = String::new();
    let mut chars = template.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.next_if_eq(&'{').is_some() => out.push('{'),
            '}' if chars.next_if_eq(&'}').is_some() => out.push('}'),
            '{' => {
                let mut spec = String::new();
                loop {
                    match chars.next() {
                        Some('}') => break,
                        Some(c) => spec.push(c),
                        None => {
                            return Err(fail(
                                "`format()` has an unclosed `{` in its format string",
                            ));
                        }
                    }
                }
                out.push_str(&format_item(&spec, values)?);
            }
            '}' => return Err(fail("`format()` has an unmatched `}` in its format string")),
            c => out.push(c),
        }
        if out.len() > MAX_STRING_BYTES {
            return Err(string_too_large());
        }
    }
    Ok(Val::String(out))
}

/// One `{index[,alignment][:format]}` placeholder, without its braces.
fn format_item(spec: &str, values: &[Val]) -> Result<String, Fail> {
    let invalid = || {
        fail(format!(
            "`format()` has an invalid placeholder `{{{spec}}}`"
        ))
    };
    let (head, specifier) = match spec.split_once(':') {
        Some((head, specifier)) => (head, Some(specifier)),
        None => (spec, None),
    };
    let (index, alignment) = match head.split_once(',') {
        Some((index, alignment)) => (index, Some(alignment)),
        None => (head, None),
    };
    let index: usize = index.trim().parse().map_err(|_| invalid())?;
    let value = values.get(index).ok_or_else(|| {
        fail(format!(
            "`format()` placeholder `{{{index}}}` has no argument ({} given)",
            values.len()
        ))
    })?;
    let text = match specifier {
        Some(specifier) => format_with_specifier(value, specifier)?,
        None => to_text(value)?,
    };
    match alignment {
        None => Ok(text),
        Some(alignment) => {
            let width: i64 = alignment.trim().parse().map_err(|_| invalid())?;
            align(text, width)
        }
    }
}

fn align(text: String, width: i64) -> Result<String, Fail> {
    let target = usize::try_from(width.unsigned_abs()).unwrap_or(usize::MAX);
    if target > MAX_STRING_BYTES {
        return Err(string_too_large());
    }
    let padding = " ".repeat(target.saturating_sub(text.chars().count()));
    Ok(if width < 0 {
        text + &padding
    } else {
        padding + &text
    })
}

/// The number specifiers `D`, `X`, `N`, `F`, `G` (with precision) and zero patterns like `000`;
/// strings and other values ignore the specifier like .NET does.
fn format_with_specifier(value: &Val, specifier: &str) -> Result<String, Fail> {
    let unsupported = || {
        Fail::Unknown(format!(
            "format specifier `{specifier}` is not evaluated by acr-lint"
        ))
    };
    let number = match value {
        Val::Int(n) => *n as f64,
        Val::Float(f) => *f,
        other => return to_text(other),
    };
    let mut letters = specifier.chars();
    let kind = letters.next().unwrap_or('G');
    let digits = letters.as_str();
    let precision: Option<usize> = if digits.is_empty() {
        None
    } else {
        Some(
            digits
                .parse()
                .ok()
                .filter(|p| *p <= 100)
                .ok_or_else(unsupported)?,
        )
    };
    if !specifier.is_empty() && specifier.chars().all(|c| c == '0') {
        return Ok(zero_pad(value, specifier.len()).unwrap_or_else(|| to_text_lossy(value)));
    }
    let text = match (kind.to_ascii_uppercase(), value) {
        ('D', Val::Int(_)) => zero_pad(value, precision.unwrap_or(0)),
        ('X', Val::Int(n)) => {
            let hex = format!("{n:x}");
            let padded = format!("{hex:0>width$}", width = precision.unwrap_or(0));
            Some(if kind == 'X' {
                padded.to_uppercase()
            } else {
                padded
            })
        }
        ('F', _) => Some(format!("{number:.prec$}", prec = precision.unwrap_or(2))),
        ('N', _) => Some(group_thousands(&format!(
            "{number:.prec$}",
            prec = precision.unwrap_or(2)
        ))),
        ('G', _) if precision.is_none() => Some(to_text_lossy(value)),
        _ => None,
    };
    text.ok_or_else(unsupported)
}

fn zero_pad(value: &Val, width: usize) -> Option<String> {
    let Val::Int(n) = value else { return None };
    let digits = format!("{:0>width$}", n.unsigned_abs());
    Some(if *n < 0 { format!("-{digits}") } else { digits })
}

/// `1234567.50` -> `1,234,567.50`.
fn group_thousands(number: &str) -> String {
    let (sign, unsigned) = match number.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", number),
    };
    let (whole, fraction) = match unsigned.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (unsigned, None),
    };
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    match fraction {
        Some(fraction) => format!("{sign}{grouped}.{fraction}"),
        None => format!("{sign}{grouped}"),
    }
}

fn contains(ev: &mut Evaluator<'_>, a: &mut Args<'_>) -> Result<Val, Fail> {
    a.count(2, 2)?;
    let item = a.arg(1)?;
    match a.arg(0)? {
        Val::String(text) => Ok(Val::Bool(text.contains(to_text(item)?.as_str()))),
        Val::Object(entries) => {
            let key = to_text(item)?;
            Ok(Val::Bool(entries.iter().any(|(k, _)| keys_match(k, &key))))
        }
        Val::Array(items) => match position_of(items, item, &mut ev.budget, false)? {
            Found::At(_) => Ok(Val::Bool(true)),
            Found::Nowhere => Ok(Val::Bool(false)),
            Found::Unknown(reason) => Err(Fail::Unknown(reason)),
        },
        _ => Err(a.wrong_type(0, "an array, an object or a string")),
    }
}

enum Found {
    At(usize),
    Nowhere,
    Unknown(String),
}

/// Where `item` is in `items`. For a `position`, an unknown comparison before the first match makes
/// the answer unknown; for membership (`position` false) any match decides.
fn position_of(
    items: &[Val],
    item: &Val,
    budget: &mut Budget,
    position: bool,
) -> Result<Found, Fail> {
    let mut unknown = None;
    for (i, candidate) in items.iter().enumerate() {
        match compare(candidate, item, 0, budget)? {
            Same::Yes if unknown.is_none() || !position => return Ok(Found::At(i)),
            Same::Yes | Same::No => {}
            Same::Unknown(reason) => {
                unknown.get_or_insert(reason);
            }
        }
    }
    Ok(unknown.map_or(Found::Nowhere, Found::Unknown))
}

fn empty(_: &mut Evaluator<'_>, a: &mut Args<'_>) -> Result<Val, Fail> {
    a.count(1, 1)?;
    match a.arg(0)? {
        Val::Null => Ok(Val::Bool(true)),
        Val::String(s) => Ok(Val::Bool(s.is_empty())),
        Val::Array(items) => Ok(Val::Bool(items.is_empty())),
        Val::Object(entries) => Ok(Val::Bool(entries.is_empty())),
        _ => Err(a.wrong_type(0, "an array, an object or a string")),
    }
}

fn length(_: &mut Evaluator<'_>, a: &mut Args<'_>) -> Result<Val, Fail> {
    a.count(1, 1)?;
    let count = match a.arg(0)? {
        Val::String(s) => s.chars().count(),
        Val::Array(items) => items.len(),
        Val::Object(entries) => entries.len(),
        _ => return Err(a.wrong_type(0, "an array, an object or a string")),
    };
    Ok(index_value(count))
}

fn split(ev: &mut Evaluator<'_>, a: &mut Args<'_>) -> Result<Val, Fail> {
    a.count(2, 2)?;
    let text = a.str(0)?;
    let delimiters: Vec<&str> = match a.arg(1)? {
        Val::String(delimiter) => vec![delimiter.as_str()],
        Val::Array(items) => items
            .iter()
            .map(|item| match item {
                Val::String(s) => Ok(s.as_str()),
                other => Err(type_error(a.name, 1, "an array of strings", other)),
            })
            .collect::<Result<_, _>>()?,
        _ => return Err(a.wrong_type(1, "a string or an array of strings")),
    };
    let delimiters: Vec<&str> = delimiters.into_iter().filter(|d| !d.is_empty()).collect();
    ev.budget
        .spend(units(text.len()).saturating_mul(units(delimiters.len())) / 8)?;
    let pieces = split_at_any(text, &delimiters);
    if pieces.len() > MAX_ARRAY_ITEMS {
        return Err(array_too_large());
    }
    Ok(Val::Array(
        pieces
            .into_iter()
            .map(|p| Val::String(p.to_string()))
            .collect(),
    ))
}

/// Splits at every occurrence of any delimiter (the first listed wins where several match), keeping
/// empty pieces like .NET `String.Split`.
fn split_at_any<'t>(text: &'t str, delimiters: &[&str]) -> Vec<&'t str> {
    if let [delimiter] = delimiters {
        return text.split(*delimiter).collect();
    }
    let mut pieces = Vec::new();
    let mut start = 0;
    let mut rest_at = 0;
    while let Some(rest) = text.get(rest_at..).filter(|rest| !rest.is_empty()) {
        if let Some(delimiter) = delimiters.iter().find(|d| rest.starts_with(**d)) {
            pieces.push(text.get(start..rest_at).unwrap_or_default());
            rest_at += delimiter.len();
            start = rest_at;
        } else {
            rest_at += rest.chars().next().map_or(1, char::len_utf8);
        }
    }
    pieces.push(text.get(start..).unwrap_or_default());
    pieces
}

fn join(_: &mut Evaluator<'_>, a: &mut Args<'_>) -> Result<Val, Fail> {
    a.count(2, 2)?;
    let (items, delimiter) = (a.array(0)?, a.str(1)?);
    let mut out = String::new();
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(delimiter);
        }
        out.push_str(&to_text(item)?);
        if out.len() > MAX_STRING_BYTES {
            return Err(string_too_large());
        }
    }
    Ok(Val::String(out))
}

fn first_or_last(a: &mut Args<'_>, first: bool) -> Result<Val, Fail> {
    a.count(1, 1)?;
    match a.take(0) {
        Val::Array(items) => {
            let item = if first {
                items.into_iter().next()
            } else {
                items.into_iter().last()
            };
            Ok(item.unwrap_or(Val::Null))
        }
        Val::String(s) => {
            let c = if first {
                s.chars().next()
            } else {
                s.chars().last()
            };
            Ok(Val::String(c.map(String::from).unwrap_or_default()))
        }
        other => Err(type_error(a.name, 0, "an array or a string", &other)),
    }
}

fn substring(_: &mut Evaluator<'_>, a: &mut Args<'_>) -> Result<Val, Fail> {
    a.count(2, 3)?;
    let text = a.str(0)?;
    let total = text.chars().count();
    let start = usize::try_from(a.int(1)?)
        .ok()
        .filter(|start| *start <= total)
        .ok_or_else(|| fail(format!("`{}()` start index is outside the string", a.name)))?;
    let count = match a.vals.len() {
        3 => usize::try_from(a.int(2)?)
            .ok()
            .filter(|count| start.saturating_add(*count) <= total)
            .ok_or_else(|| {
                fail(format!(
                    "`{}()` length runs past the end of the string",
                    a.name
                ))
            })?,
        _ => total - start,
    };
    Ok(Val::String(text.chars().skip(start).take(count).collect()))
}

/// `startsWith` and `endsWith`, which compare case-insensitively in ARM.
fn affix(a: &mut Args<'_>, prefix: bool) -> Result<Val, Fail> {
    a.count(2, 2)?;
    let (text, affix) = (fold_case(a.str(0)?), fold_case(a.str(1)?));
    let found = if prefix {
        text.starts_with(&affix)
    } else {
        text.ends_with(&affix)
    };
    Ok(Val::Bool(found))
}

/// Lower-cases character by character, so positions in characters are kept.
fn fold_case(text: &str) -> String {
    text.chars()
        .map(|c| {
            let mut lower = c.to_lowercase();
            match (lower.next(), lower.next()) {
                (Some(single), None) => single,
                _ => c,
            }
        })
        .collect()
}

/// `indexOf`/`lastIndexOf`: case-insensitive in strings, deep equality in arrays; -1 when absent.
fn index_of(ev: &mut Evaluator<'_>, a: &mut Args<'_>, last: bool) -> Result<Val, Fail> {
    a.count(2, 2)?;
    match a.arg(0)? {
        Val::String(text) => {
            let (text, needle) = (fold_case(text), fold_case(a.str(1)?));
            let byte = if last {
                text.rfind(&needle)
            } else {
                text.find(&needle)
            };
            match byte {
                Some(b) => Ok(index_value(text.get(..b).map_or(0, |p| p.chars().count()))),
                None => Ok(Val::Int(-1)),
            }
        }
        Val::Array(items) => {
            let item = a.arg(1)?;
            let found = if last {
                let reversed: Vec<Val> = items.iter().rev().cloned().collect();
                match position_of(&reversed, item, &mut ev.budget, true)? {
                    Found::At(i) => Found::At(items.len() - 1 - i),
                    other => other,
                }
            } else {
                position_of(items, item, &mut ev.budget, true)?
            };
            match found {
                Found::At(i) => Ok(index_value(i)),
                Found::Nowhere => Ok(Val::Int(-1)),
                Found::Unknown(reason) => Err(Fail::Unknown(reason)),
            }
        }
        _ => Err(a.wrong_type(0, "an array or a string")),
    }
}

fn skip_or_take(a: &mut Args<'_>, skip: bool) -> Result<Val, Fail> {
    a.count(2, 2)?;
    let count = usize::try_from(a.int(1)?.max(0)).unwrap_or(usize::MAX);
    match a.take(0) {
        Val::Array(items) => Ok(Val::Array(if skip {
            items.into_iter().skip(count).collect()
        } else {
            items.into_iter().take(count).collect()
        })),
        Val::String(s) => Ok(Val::String(if skip {
            s.chars().skip(count).collect()
        } else {
            s.chars().take(count).collect()
        })),
        other => Err(type_error(a.name, 0, "an array or a string", &other)),
    }
}

fn pad_left(_: &mut Evaluator<'_>, a: &mut Args<'_>) -> Result<Val, Fail> {
    a.count(2, 3)?;
    let text = match a.arg(0)? {
        value @ (Val::String(_) | Val::Int(_)) => to_text(value)?,
        _ => return Err(a.wrong_type(0, "a string or an integer")),
    };
    let width = usize::try_from(a.int(1)?.max(0)).unwrap_or(usize::MAX);
    if width > MAX_STRING_BYTES {
        return Err(string_too_large());
    }
    let pad = match a.vals.len() {
        3 => {
            let mut chars = a.str(2)?.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) => c,
                _ => {
                    return Err(fail(format!(
                        "`{}()` padding must be one character",
                        a.name
                    )));
                }
            }
        }
        _ => ' ',
    };
    let missing = width.saturating_sub(text.chars().count());
    Ok(Val::String(
        std::iter::repeat_n(pad, missing)
            .chain(text.chars())
            .collect(),
    ))
}

// -- numbers

fn min_or_max(a: &mut Args<'_>, min: bool) -> Result<Val, Fail> {
    a.count(1, usize::MAX)?;
    let numbers: &[Val] = match a.vals.as_slice() {
        [Val::Array(items)] => items,
        all => all,
    };
    let mut best: Option<i64> = None;
    for value in numbers {
        let Some(n) = as_int(value) else {
            return match value {
                Val::Unknown(reason) => Err(Fail::Unknown(reason.clone())),
                other => Err(type_error(a.name, 0, "integers", other)),
            };
        };
        best = Some(best.map_or(n, |b| if min { b.min(n) } else { b.max(n) }));
    }
    best.map(Val::Int)
        .ok_or_else(|| fail(format!("`{}()` needs at least one number", a.name)))
}

fn range(_: &mut Evaluator<'_>, a: &mut Args<'_>) -> Result<Val, Fail> {
    a.count(2, 2)?;
    let (start, count) = (a.int(0)?, a.int(1)?);
    if !(0..=MAX_RANGE_COUNT).contains(&count) {
        return Err(fail(format!(
            "`{}()` count must be between 0 and {MAX_RANGE_COUNT}",
            a.name
        )));
    }
    let end = start
        .checked_add(count)
        .filter(|end| *end <= i64::from(i32::MAX))
        .ok_or_else(|| fail(format!("`{}()` runs past 2147483647", a.name)))?;
    Ok(Val::Array((start..end).map(Val::Int).collect()))
}

fn arithmetic(a: &mut Args<'_>, op: fn(i64, i64) -> Option<i64>) -> Result<Val, Fail> {
    a.count(2, 2)?;
    op(a.int(0)?, a.int(1)?)
        .map(Val::Int)
        .ok_or_else(|| fail(format!("`{}()` overflows", a.name)))
}

fn division(a: &mut Args<'_>, op: fn(i64, i64) -> Option<i64>) -> Result<Val, Fail> {
    a.count(2, 2)?;
    if a.int(1)? == 0 {
        return Err(fail(format!("`{}()` divides by zero", a.name)));
    }
    arithmetic(a, op)
}

fn ordering(a: &mut Args<'_>, accept: fn(std::cmp::Ordering) -> bool) -> Result<Val, Fail> {
    a.count(2, 2)?;
    let order = match (a.arg(0)?, a.arg(1)?) {
        (Val::String(x), Val::String(y)) => x.cmp(y),
        (x, y) => match (number(x), number(y)) {
            (Some(x), Some(y)) => x.partial_cmp(&y).unwrap_or(std::cmp::Ordering::Equal),
            _ => {
                return Err(fail(format!(
                    "`{}()` compares two numbers or two strings, not {} and {}",
                    a.name,
                    x.type_name(),
                    y.type_name()
                )));
            }
        },
    };
    Ok(Val::Bool(accept(order)))
}

fn number(value: &Val) -> Option<f64> {
    match value {
        Val::Int(n) => Some(*n as f64),
        Val::Float(f) => Some(*f),
        _ => None,
    }
}

// -- objects and arrays

/// Objects: merged in order, later values win, nested objects merged recursively. Arrays: items of
/// all arrays without duplicates, in order.
fn union(ev: &mut Evaluator<'_>, a: &mut Args<'_>) -> Result<Val, Fail> {
    a.count(1, usize::MAX)?;
    let values: Vec<Val> = std::mem::take(&mut a.vals)
        .into_iter()
        .filter(|v| *v != Val::Null)
        .collect();
    match values.first() {
        Some(Val::Object(_)) => {
            let mut merged = Vec::new();
            for (i, value) in values.into_iter().enumerate() {
                let Val::Object(entries) = value else {
                    return Err(type_error(a.name, i, "an object", &value));
                };
                merge_objects(&mut merged, entries, 0)?;
            }
            Ok(Val::Object(merged))
        }
        Some(Val::Array(_)) => {
            let mut distinct = Vec::new();
            for (i, value) in values.into_iter().enumerate() {
                let Val::Array(items) = value else {
                    return Err(type_error(a.name, i, "an array", &value));
                };
                for item in items {
                    push_distinct(&mut distinct, item, &mut ev.budget)?;
                }
            }
            Ok(Val::Array(distinct))
        }
        Some(other) => Err(type_error(a.name, 0, "an array or an object", other)),
        None => Ok(Val::Null),
    }
}

fn merge_objects(
    into: &mut Vec<(String, Val)>,
    entries: Vec<(String, Val)>,
    depth: usize,
) -> Result<(), Fail> {
    if depth > MAX_VALUE_DEPTH {
        return Err(too_large("values are nested too deeply"));
    }
    for (key, value) in entries {
        let existing = into.iter_mut().find(|(k, _)| keys_match(k, &key));
        match (existing, value) {
            (Some((_, Val::Object(old))), Val::Object(new)) => merge_objects(old, new, depth + 1)?,
            (Some((_, old)), value) => *old = value,
            (None, value) => into.push((key, value)),
        }
    }
    Ok(())
}

fn push_distinct(items: &mut Vec<Val>, item: Val, budget: &mut Budget) -> Result<(), Fail> {
    match position_of(items, &item, budget, false)? {
        Found::At(_) => Ok(()),
        Found::Nowhere => {
            if items.len() >= MAX_ARRAY_ITEMS {
                return Err(array_too_large());
            }
            items.push(item);
            Ok(())
        }
        Found::Unknown(reason) => Err(Fail::Unknown(reason)),
    }
}

/// Objects: the properties with equal values in all. Arrays: the items present in all, once.
fn intersection(ev: &mut Evaluator<'_>, a: &mut Args<'_>) -> Result<Val, Fail> {
    a.count(1, usize::MAX)?;
    let (first, rest) = a
        .vals
        .split_first()
        .ok_or_else(|| arity_error(a.name, 1, usize::MAX, 0))?;
    match first {
        Val::Array(items) => {
            let mut common = Vec::new();
            for item in items {
                if in_all_arrays(item, rest, a.name, &mut ev.budget)? {
                    push_distinct(&mut common, item.clone(), &mut ev.budget)?;
                }
            }
            Ok(Val::Array(common))
        }
        Val::Object(entries) => {
            let mut common = Vec::new();
            for (key, value) in entries {
                if in_all_objects(key, value, rest, a.name, &mut ev.budget)? {
                    common.push((key.clone(), value.clone()));
                }
            }
            Ok(Val::Object(common))
        }
        other => Err(type_error(a.name, 0, "an array or an object", other)),
    }
}

fn in_all_arrays(
    item: &Val,
    others: &[Val],
    name: &str,
    budget: &mut Budget,
) -> Result<bool, Fail> {
    for (i, other) in others.iter().enumerate() {
        let Val::Array(items) = other else {
            return Err(type_error(name, i + 1, "an array", other));
        };
        match position_of(items, item, budget, false)? {
            Found::At(_) => {}
            Found::Nowhere => return Ok(false),
            Found::Unknown(reason) => return Err(Fail::Unknown(reason)),
        }
    }
    Ok(true)
}

fn in_all_objects(
    key: &str,
    value: &Val,
    others: &[Val],
    name: &str,
    budget: &mut Budget,
) -> Result<bool, Fail> {
    for (i, other) in others.iter().enumerate() {
        if !matches!(other, Val::Object(_)) {
            return Err(type_error(name, i + 1, "an object", other));
        }
        let Some(candidate) = other.get(key) else {
            return Ok(false);
        };
        match compare(candidate, value, 0, budget)? {
            Same::Yes => {}
            Same::No => return Ok(false),
            Same::Unknown(reason) => return Err(Fail::Unknown(reason)),
        }
    }
    Ok(true)
}

fn shallow_merge(_: &mut Evaluator<'_>, a: &mut Args<'_>) -> Result<Val, Fail> {
    a.count(1, 1)?;
    let mut merged = Vec::new();
    for item in a.array(0)? {
        match item {
            Val::Object(entries) => {
                for (key, value) in entries {
                    insert_entry(&mut merged, key.clone(), value.clone());
                }
            }
            Val::Unknown(reason) => return Err(Fail::Unknown(reason.clone())),
            other => return Err(type_error(a.name, 0, "an array of objects", other)),
        }
    }
    Ok(Val::Object(merged))
}

/// Sets `key` (case-insensitively), keeping the position of an existing key.
fn insert_entry(entries: &mut Vec<(String, Val)>, key: String, value: Val) {
    match entries.iter_mut().find(|(k, _)| keys_match(k, &key)) {
        Some((_, old)) => *old = value,
        None => entries.push((key, value)),
    }
}

fn create_object(_: &mut Evaluator<'_>, a: &mut Args<'_>) -> Result<Val, Fail> {
    if !a.vals.len().is_multiple_of(2) {
        return Err(fail(format!(
            "`{}()` takes key and value pairs, got {} arguments",
            a.name,
            a.vals.len()
        )));
    }
    let mut entries = Vec::new();
    let mut vals = std::mem::take(&mut a.vals).into_iter().enumerate();
    while let (Some((i, key)), Some((_, value))) = (vals.next(), vals.next()) {
        match key {
            Val::String(key) => insert_entry(&mut entries, key, value),
            Val::Unknown(reason) => return Err(Fail::Unknown(reason)),
            other => return Err(type_error(a.name, i, "a string key", &other)),
        }
    }
    Ok(Val::Object(entries))
}

/// `tryGet(value, keyOrIndex, ...)`: null wherever a key or index is missing.
fn try_get(_: &mut Evaluator<'_>, a: &mut Args<'_>) -> Result<Val, Fail> {
    a.count(2, usize::MAX)?;
    let mut vals = std::mem::take(&mut a.vals).into_iter();
    let mut current = vals.next().unwrap_or(Val::Null);
    for key in vals {
        current = match (current, key) {
            (Val::Null, _) => return Ok(Val::Null),
            (Val::Unknown(reason), _) => return Ok(Val::Unknown(reason)),
            (target @ Val::Object(_), key @ Val::String(_))
            | (target @ Val::Array(_), key @ (Val::Int(_) | Val::Float(_))) => {
                element(target, key, true)?
            }
            (target, key) => {
                return Err(fail(format!(
                    "`{}()` cannot look up {} in {}",
                    a.name,
                    key.type_name(),
                    target.type_name()
                )));
            }
        };
    }
    Ok(current)
}

/// `items(object)`: `[{key, value}, ...]`, sorted by key like ARM does.
fn items(_: &mut Evaluator<'_>, a: &mut Args<'_>) -> Result<Val, Fail> {
    a.count(1, 1)?;
    let mut entries = a.object(0)?.to_vec();
    entries.sort_by(|(x, _), (y, _)| x.to_lowercase().cmp(&y.to_lowercase()).then(x.cmp(y)));
    let pairs = entries
        .into_iter()
        .map(|(key, value)| {
            Val::Object(vec![
                ("key".to_string(), Val::String(key)),
                ("value".to_string(), value),
            ])
        })
        .collect();
    Ok(Val::Array(pairs))
}

fn object_keys(_: &mut Evaluator<'_>, a: &mut Args<'_>) -> Result<Val, Fail> {
    a.count(1, 1)?;
    let keys = a.object(0)?.iter().map(|(k, _)| Val::String(k.clone()));
    Ok(Val::Array(keys.collect()))
}

// -- hashes and encodings

/// `uniqueString(...)`: Azure's algorithm (a MurmurHash64 variant over the UTF-8 of the arguments
/// joined with `-`, as 13 base32 characters), checked against values Azure returned.
fn unique_string(_: &mut Evaluator<'_>, a: &mut Args<'_>) -> Result<Val, Fail> {
    a.count(1, usize::MAX)?;
    let joined = a.strings()?.join("-");
    if joined.chars().count() > 131_072 {
        return Err(fail(format!(
            "`{}()` input is longer than 131072 characters",
            a.name
        )));
    }
    Ok(Val::String(base32_13(murmur_hash64(joined.as_bytes()))))
}

/// `guid(...)`: a name-based UUID (version 5, SHA-1) of the arguments joined with `-`, in ARM's
/// namespace `11fb06fb-712d-4ddd-98c7-e71bbd588830`.
fn guid(_: &mut Evaluator<'_>, a: &mut Args<'_>) -> Result<Val, Fail> {
    a.count(1, usize::MAX)?;
    let joined = a.strings()?.join("-");
    Ok(Val::String(uuid_v5(&ARM_GUID_NAMESPACE, joined.as_bytes())))
}

const ARM_GUID_NAMESPACE: [u8; 16] = [
    0x11, 0xfb, 0x06, 0xfb, 0x71, 0x2d, 0x4d, 0xdd, 0x98, 0xc7, 0xe7, 0x1b, 0xbd, 0x58, 0x88, 0x30,
];

const BASE64_ALPHABET: &[u8; 64] =
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn base64(_: &mut Evaluator<'_>, a: &mut Args<'_>) -> Result<Val, Fail> {
    a.count(1, 1)?;
    let bytes = a.str(0)?.as_bytes();
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = |i: usize| u32::from(chunk.get(i).copied().unwrap_or(0));
        let triple = (b(0) << 16) | (b(1) << 8) | b(2);
        for position in 0..4 {
            if position <= chunk.len() {
                let sextet = (triple >> (18 - 6 * position)) & 0x3f;
                out.push(char::from(
                    BASE64_ALPHABET
                        .get(sextet as usize)
                        .copied()
                        .unwrap_or(b'A'),
                ));
            } else {
                out.push('=');
            }
        }
    }
    string_result(out)
}

fn base64_to_string(_: &mut Evaluator<'_>, a: &mut Args<'_>) -> Result<Val, Fail> {
    a.count(1, 1)?;
    let invalid = || fail(format!("`{}()` argument is not valid base64", a.name));
    let mut bits: u32 = 0;
    let mut bit_count = 0;
    let mut bytes = Vec::new();
    for c in a
        .str(0)?
        .bytes()
        .filter(|c| !c.is_ascii_whitespace() && *c != b'=')
    {
        let sextet = BASE64_ALPHABET
            .iter()
            .position(|x| *x == c)
            .ok_or_else(invalid)?;
        bits = (bits << 6) | u32::try_from(sextet).map_err(|_| invalid())?;
        bit_count += 6;
        if bit_count >= 8 {
            bit_count -= 8;
            bytes.push(u8::try_from((bits >> bit_count) & 0xff).map_err(|_| invalid())?);
        }
    }
    String::from_utf8(bytes)
        .map(Val::String)
        .map_err(|_| fail(format!("`{}()` result is not UTF-8 text", a.name)))
}

// -- resource ids

/// `resourceId([subscriptionId], [resourceGroupName], type, name1, name2, ...)`:
/// `/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.X/a/{name1}/b/{name2}`.
///
/// A subscription or resource group not passed and not known from [`Env`] is written as the
/// placeholder [`SUBSCRIPTION_PLACEHOLDER`] / [`RESOURCE_GROUP_PLACEHOLDER`], so the result is a
/// known string and ids built in the same template still compare equal.
fn resource_id(ev: &mut Evaluator<'_>, a: &mut Args<'_>) -> Result<Val, Fail> {
    a.count(2, usize::MAX)?;
    let parts = a.strings()?;
    let (scope, resource_type, names) = split_scope(a.name, &parts, 2)?;
    let (subscription, group) = match scope {
        [] => (subscription_id(ev), resource_group_name(ev)),
        [group] => (subscription_id(ev), (*group).to_string()),
        [subscription, group, ..] => ((*subscription).to_string(), (*group).to_string()),
    };
    let path = provider_path(a.name, resource_type, names)?;
    string_result(format!(
        "/subscriptions/{subscription}/resourceGroups/{group}/providers/{path}"
    ))
}

/// `subscriptionResourceId([subscriptionId], type, names...)`.
fn subscription_resource_id(ev: &mut Evaluator<'_>, a: &mut Args<'_>) -> Result<Val, Fail> {
    a.count(2, usize::MAX)?;
    let parts = a.strings()?;
    let (scope, resource_type, names) = split_scope(a.name, &parts, 1)?;
    let subscription = match scope.first() {
        Some(subscription) => (*subscription).to_string(),
        None => subscription_id(ev),
    };
    let path = provider_path(a.name, resource_type, names)?;
    string_result(format!("/subscriptions/{subscription}/providers/{path}"))
}

/// `tenantResourceId(type, names...)`.
fn tenant_resource_id(_: &mut Evaluator<'_>, a: &mut Args<'_>) -> Result<Val, Fail> {
    a.count(2, usize::MAX)?;
    let parts = a.strings()?;
    let (_, resource_type, names) = split_scope(a.name, &parts, 0)?;
    let path = provider_path(a.name, resource_type, names)?;
    string_result(format!("/providers/{path}"))
}

/// `extensionResourceId(scopeId, type, names...)`: `{scopeId}/providers/{type}/{names}`.
fn extension_resource_id(_: &mut Evaluator<'_>, a: &mut Args<'_>) -> Result<Val, Fail> {
    a.count(3, usize::MAX)?;
    let parts = a.strings()?;
    let (scope, rest) = parts
        .split_first()
        .ok_or_else(|| arity_error(a.name, 3, usize::MAX, 0))?;
    let (resource_type, names) = rest
        .split_first()
        .ok_or_else(|| arity_error(a.name, 3, usize::MAX, 1))?;
    let path = provider_path(a.name, resource_type, names)?;
    string_result(format!("{}/providers/{path}", scope.trim_end_matches('/')))
}

/// `managementGroupResourceId([managementGroupId], type, names...)`.
fn management_group_resource_id(_: &mut Evaluator<'_>, a: &mut Args<'_>) -> Result<Val, Fail> {
    a.count(2, usize::MAX)?;
    let parts = a.strings()?;
    let (scope, resource_type, names) = split_scope(a.name, &parts, 1)?;
    let group = scope
        .first()
        .copied()
        .unwrap_or(MANAGEMENT_GROUP_PLACEHOLDER);
    let path = provider_path(a.name, resource_type, names)?;
    string_result(format!(
        "/providers/Microsoft.Management/managementGroups/{group}/providers/{path}"
    ))
}

/// Splits resource id arguments into the optional scope arguments (at most `max_scope`), the
/// resource type (the first argument with a `/`) and the names.
fn split_scope<'p, 's>(
    function: &str,
    parts: &'p [&'s str],
    max_scope: usize,
) -> Result<(&'p [&'s str], &'s str, &'p [&'s str]), Fail> {
    let missing_type = || {
        fail(format!(
            "`{function}()` needs a resource type such as `Microsoft.ContainerRegistry/registries`"
        ))
    };
    let type_at = parts
        .iter()
        .take(max_scope + 1)
        .position(|part| part.contains('/'))
        .ok_or_else(missing_type)?;
    let (scope, rest) = parts.split_at_checked(type_at).ok_or_else(missing_type)?;
    let (resource_type, names) = rest.split_first().ok_or_else(missing_type)?;
    Ok((scope, resource_type, names))
}

/// `Microsoft.X/a/b` with names `n1`, `n2` -> `Microsoft.X/a/n1/b/n2`. A name may also carry several
/// segments (`parent/child`).
fn provider_path(function: &str, resource_type: &str, names: &[&str]) -> Result<String, Fail> {
    let mut segments = resource_type.split('/');
    let namespace = segments.next().unwrap_or_default();
    let types: Vec<&str> = segments.collect();
    if namespace.is_empty() || types.is_empty() || types.iter().any(|t| t.is_empty()) {
        return Err(fail(format!(
            "`{function}()` resource type `{resource_type}` is not of the form `Namespace/type`"
        )));
    }
    let names: Vec<&str> = names.iter().flat_map(|n| n.split('/')).collect();
    if names.len() != types.len() {
        return Err(fail(format!(
            "`{function}()` resource type `{resource_type}` needs {} name{}, got {}",
            types.len(),
            plural(types.len()),
            names.len()
        )));
    }
    let mut path = namespace.to_string();
    for (segment, name) in types.iter().zip(names) {
        let _ = write!(path, "/{segment}/{name}");
    }
    Ok(path)
}

fn subscription_id(ev: &Evaluator<'_>) -> String {
    known_string(&ev.env.subscription(), "subscriptionId")
        .unwrap_or_else(|| SUBSCRIPTION_PLACEHOLDER.to_string())
}

fn resource_group_name(ev: &Evaluator<'_>) -> String {
    known_string(&ev.env.resource_group(), "name")
        .unwrap_or_else(|| RESOURCE_GROUP_PLACEHOLDER.to_string())
}

fn known_string(object: &Val, key: &str) -> Option<String> {
    match object.get(key) {
        Some(Val::String(s)) => Some(s.clone()),
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------------
// Values

/// The outcome of comparing two values.
enum Same {
    Yes,
    No,
    Unknown(String),
}

/// Deep ARM equality: strings case-sensitive, object keys case-insensitive, integers equal to
/// the same floats; an unknown part makes the answer unknown unless another part already differs.
fn compare(a: &Val, b: &Val, depth: usize, budget: &mut Budget) -> Result<Same, Fail> {
    budget.spend(1)?;
    if depth > MAX_VALUE_DEPTH {
        return Err(too_large("values are nested too deeply"));
    }
    let same = |equal: bool| if equal { Same::Yes } else { Same::No };
    Ok(match (a, b) {
        (Val::Unknown(reason), _) | (_, Val::Unknown(reason)) => Same::Unknown(reason.clone()),
        (Val::Null, Val::Null) => Same::Yes,
        (Val::Bool(x), Val::Bool(y)) => same(x == y),
        (Val::String(x), Val::String(y)) => {
            budget.spend(units(x.len().min(y.len()) / 64))?;
            same(x == y)
        }
        (Val::Array(xs), Val::Array(ys)) => {
            if xs.len() != ys.len() {
                return Ok(Same::No);
            }
            let pairs = xs.iter().zip(ys).map(|(x, y)| (x, Some(y)));
            compare_all(pairs, depth, budget)?
        }
        (Val::Object(xs), Val::Object(ys)) => {
            if xs.len() != ys.len() {
                return Ok(Same::No);
            }
            let pairs = xs.iter().map(|(k, x)| (x, b.get(k)));
            compare_all(pairs, depth, budget)?
        }
        (x, y) => match (number(x), number(y)) {
            (Some(x), Some(y)) => same(x == y),
            _ => Same::No,
        },
    })
}

/// Compares pairs (a missing right side is a difference): any difference decides `No`.
fn compare_all<'v>(
    pairs: impl Iterator<Item = (&'v Val, Option<&'v Val>)>,
    depth: usize,
    budget: &mut Budget,
) -> Result<Same, Fail> {
    let mut unknown = None;
    for (x, y) in pairs {
        let Some(y) = y else { return Ok(Same::No) };
        match compare(x, y, depth + 1, budget)? {
            Same::Yes => {}
            Same::No => return Ok(Same::No),
            Same::Unknown(reason) => {
                unknown.get_or_insert(reason);
            }
        }
    }
    Ok(unknown.map_or(Same::Yes, Same::Unknown))
}

/// The text ARM makes of a value in `string()`, `concat()`, `format()`: booleans as `True`/`False`,
/// null as empty, arrays and objects as compact JSON.
fn to_text(value: &Val) -> Result<String, Fail> {
    match value {
        Val::String(s) => Ok(s.clone()),
        Val::Unknown(reason) => Err(Fail::Unknown(reason.clone())),
        Val::Array(_) | Val::Object(_) => {
            let mut out = String::new();
            write_json(value, &mut out, 0)?;
            Ok(out)
        }
        scalar => Ok(to_text_lossy(scalar)),
    }
}

/// The text of a scalar; containers and unknowns give their JSON-ish description.
fn to_text_lossy(value: &Val) -> String {
    match value {
        Val::Null => String::new(),
        Val::Bool(true) => "True".to_string(),
        Val::Bool(false) => "False".to_string(),
        Val::Int(n) => n.to_string(),
        Val::Float(f) => f.to_string(),
        Val::String(s) => s.clone(),
        other => other.type_name().to_string(),
    }
}

fn write_json(value: &Val, out: &mut String, depth: usize) -> Result<(), Fail> {
    if depth > MAX_VALUE_DEPTH {
        return Err(too_large("values are nested too deeply"));
    }
    match value {
        Val::Null => out.push_str("null"),
        Val::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Val::Int(n) => {
            let _ = write!(out, "{n}");
        }
        Val::Float(f) if f.is_finite() => {
            let _ = write!(out, "{f}");
        }
        Val::Float(_) => out.push_str("null"),
        Val::String(s) => write_json_string(s, out),
        Val::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json(item, out, depth + 1)?;
            }
            out.push(']');
        }
        Val::Object(entries) => {
            out.push('{');
            for (i, (key, item)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json_string(key, out);
                out.push(':');
                write_json(item, out, depth + 1)?;
            }
            out.push('}');
        }
        Val::Unknown(reason) => return Err(Fail::Unknown(reason.clone())),
    }
    if out.len() > MAX_STRING_BYTES {
        return Err(string_too_large());
    }
    Ok(())
}

fn write_json_string(text: &str, out: &mut String) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// The work a value costs to copy; errors when it exceeds the size or depth limits. Iterative, so
/// deep values cannot overflow the stack.
fn measure(value: &Val) -> Result<u64, Fail> {
    let mut weight: u64 = 0;
    let mut pending = vec![(value, 0usize)];
    while let Some((value, depth)) = pending.pop() {
        if depth > MAX_VALUE_DEPTH {
            return Err(too_large("values are nested too deeply"));
        }
        weight = weight.saturating_add(shallow_weight(value));
        match value {
            Val::String(s) if s.len() > MAX_STRING_BYTES => return Err(string_too_large()),
            Val::Array(items) if items.len() > MAX_ARRAY_ITEMS => return Err(array_too_large()),
            Val::Array(items) => pending.extend(items.iter().map(|item| (item, depth + 1))),
            Val::Object(entries) => {
                pending.extend(entries.iter().map(|(_, item)| (item, depth + 1)))
            }
            _ => {}
        }
    }
    Ok(weight)
}

/// The cost of a value's top level: one per item, one per 16 bytes of text.
fn shallow_weight(value: &Val) -> u64 {
    let count = match value {
        Val::String(s) => s.len() / 16,
        Val::Array(items) => items.len(),
        Val::Object(entries) => entries.len(),
        _ => 0,
    };
    units(count).saturating_add(1)
}

fn from_json_at(value: &serde_json::Value, depth: usize) -> Val {
    if depth > MAX_VALUE_DEPTH {
        return Val::Unknown("value is nested too deeply".to_string());
    }
    match value {
        serde_json::Value::Null => Val::Null,
        serde_json::Value::Bool(b) => Val::Bool(*b),
        serde_json::Value::Number(n) => n
            .as_i64()
            .map(Val::Int)
            .unwrap_or_else(|| Val::Float(n.as_f64().unwrap_or(f64::NAN))),
        serde_json::Value::String(s) => Val::String(s.clone()),
        serde_json::Value::Array(items) => Val::Array(
            items
                .iter()
                .map(|item| from_json_at(item, depth + 1))
                .collect(),
        ),
        serde_json::Value::Object(entries) => Val::Object(
            entries
                .iter()
                .map(|(k, v)| (k.clone(), from_json_at(v, depth + 1)))
                .collect(),
        ),
    }
}

fn to_json_at(value: &Val, depth: usize) -> Option<serde_json::Value> {
    if depth > MAX_VALUE_DEPTH {
        return None;
    }
    Some(match value {
        Val::Null => serde_json::Value::Null,
        Val::Bool(b) => serde_json::Value::Bool(*b),
        Val::Int(n) => serde_json::Value::from(*n),
        Val::Float(f) => {
            serde_json::Number::from_f64(*f).map_or(serde_json::Value::Null, Into::into)
        }
        Val::String(s) => serde_json::Value::String(s.clone()),
        Val::Array(items) => serde_json::Value::Array(
            items
                .iter()
                .map(|item| to_json_at(item, depth + 1))
                .collect::<Option<_>>()?,
        ),
        Val::Object(entries) => serde_json::Value::Object(
            entries
                .iter()
                .map(|(k, v)| Some((k.clone(), to_json_at(v, depth + 1)?)))
                .collect::<Option<_>>()?,
        ),
        Val::Unknown(_) => return None,
    })
}

// ---------------------------------------------------------------------------------------------
// Hashes

/// The 64-bit MurmurHash variant Azure Resource Manager uses for `uniqueString()` (seed 0).
fn murmur_hash64(data: &[u8]) -> u64 {
    const C3: u32 = 0x561c_cd1b;
    const C4: u32 = 0x0bca_a747;
    let mut h1: u32 = 0;
    let mut h2: u32 = 0;
    let mut blocks = data.chunks_exact(8);
    for block in &mut blocks {
        let (low, high) = block.split_at(4);
        h1 ^= mix_k1(le_u32(low));
        h1 = h1
            .rotate_left(19)
            .wrapping_add(h2)
            .wrapping_mul(5)
            .wrapping_add(C3);
        h2 ^= mix_k2(le_u32(high));
        h2 = h2
            .rotate_left(13)
            .wrapping_add(h1)
            .wrapping_mul(5)
            .wrapping_add(C4);
    }
    let tail = blocks.remainder();
    if !tail.is_empty() {
        let (low, high) = tail.split_at(tail.len().min(4));
        h1 ^= mix_k1(le_u32(low));
        if !high.is_empty() {
            h2 ^= mix_k2(le_u32(high));
        }
    }
    let length = data.len() as u32;
    h1 ^= length;
    h2 ^= length;
    h1 = h1.wrapping_add(h2);
    h2 = h2.wrapping_add(h1);
    h1 = final_mix(h1);
    h2 = final_mix(h2);
    h1 = h1.wrapping_add(h2);
    h2 = h2.wrapping_add(h1);
    (u64::from(h2) << 32) | u64::from(h1)
}

const MURMUR_C1: u32 = 0x239b_961b;
const MURMUR_C2: u32 = 0xab0e_9789;

fn mix_k1(k: u32) -> u32 {
    k.wrapping_mul(MURMUR_C1)
        .rotate_left(15)
        .wrapping_mul(MURMUR_C2)
}

fn mix_k2(k: u32) -> u32 {
    k.wrapping_mul(MURMUR_C2)
        .rotate_left(17)
        .wrapping_mul(MURMUR_C1)
}

fn final_mix(mut h: u32) -> u32 {
    h ^= h >> 16;
    h = h.wrapping_mul(0x85eb_ca6b);
    h ^= h >> 13;
    h = h.wrapping_mul(0xc2b2_ae35);
    h ^ (h >> 16)
}

/// Up to four bytes, little-endian.
fn le_u32(bytes: &[u8]) -> u32 {
    bytes
        .iter()
        .take(4)
        .rev()
        .fold(0, |acc, b| (acc << 8) | u32::from(*b))
}

/// The 13 characters of Azure's base32 rendering of a 64-bit hash (5 bits at a time, high first).
fn base32_13(mut hash: u64) -> String {
    const ALPHABET: &[u8; 32] = b"abcdefghijklmnopqrstuvwxyz234567";
    let mut out = String::with_capacity(13);
    for _ in 0..13 {
        let index = usize::try_from(hash >> 59).unwrap_or(0);
        out.push(char::from(ALPHABET.get(index).copied().unwrap_or(b'a')));
        hash <<= 5;
    }
    out
}

/// RFC 4122 name-based UUID, version 5.
fn uuid_v5(namespace: &[u8; 16], name: &[u8]) -> String {
    let mut input = namespace.to_vec();
    input.extend_from_slice(name);
    let mut bytes: Vec<u8> = sha1(&input).into_iter().take(16).collect();
    if let Some(version) = bytes.get_mut(6) {
        *version = (*version & 0x0f) | 0x50;
    }
    if let Some(variant) = bytes.get_mut(8) {
        *variant = (*variant & 0x3f) | 0x80;
    }
    let mut out = String::with_capacity(36);
    for (i, byte) in bytes.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            out.push('-');
        }
        let _ = write!(out, "{byte:02x}");
    }
    out
}

/// SHA-1 (FIPS 180-4); only for `guid()`, where ARM uses it, not for security.
fn sha1(data: &[u8]) -> Vec<u8> {
    let mut state: [u32; 5] = [
        0x6745_2301,
        0xefcd_ab89,
        0x98ba_dcfe,
        0x1032_5476,
        0xc3d2_e1f0,
    ];
    let bit_length = u64::try_from(data.len()).unwrap_or(0).wrapping_mul(8);
    let mut message = data.to_vec();
    message.push(0x80);
    while message.len() % 64 != 56 {
        message.push(0);
    }
    message.extend_from_slice(&bit_length.to_be_bytes());
    for block in message.chunks_exact(64) {
        sha1_block(&mut state, block);
    }
    state.iter().flat_map(|word| word.to_be_bytes()).collect()
}

fn sha1_block(state: &mut [u32; 5], block: &[u8]) {
    let mut schedule = [0u32; 80];
    for (word, bytes) in schedule.iter_mut().zip(block.chunks_exact(4)) {
        *word = bytes.iter().fold(0, |acc, b| (acc << 8) | u32::from(*b));
    }
    let at = |words: &[u32; 80], i: usize| words.get(i).copied().unwrap_or(0);
    for t in 16..80 {
        let word = (at(&schedule, t - 3)
            ^ at(&schedule, t - 8)
            ^ at(&schedule, t - 14)
            ^ at(&schedule, t - 16))
        .rotate_left(1);
        if let Some(slot) = schedule.get_mut(t) {
            *slot = word;
        }
    }
    let [mut a, mut b, mut c, mut d, mut e] = *state;
    for (t, word) in schedule.iter().enumerate() {
        let (f, k) = match t {
            0..=19 => ((b & c) | (!b & d), 0x5a82_7999),
            20..=39 => (b ^ c ^ d, 0x6ed9_eba1),
            40..=59 => ((b & c) | (b & d) | (c & d), 0x8f1b_bcdc),
            _ => (b ^ c ^ d, 0xca62_c1d6),
        };
        let temp = a
            .rotate_left(5)
            .wrapping_add(f)
            .wrapping_add(e)
            .wrapping_add(k)
            .wrapping_add(*word);
        e = d;
        d = c;
        c = b.rotate_left(30);
        b = a;
        a = temp;
    }
    for (slot, add) in state.iter_mut().zip([a, b, c, d, e]) {
        *slot = slot.wrapping_add(add);
    }
}

// ---------------------------------------------------------------------------------------------
// Provenance: which template input an expression reads unchanged

/// Where an expression's value is read from unchanged: a parameter or variable, then member and
/// index steps. Callers use it to point at the literal that set a value rather than at the
/// expression that passed it on.
#[derive(Debug, Clone, PartialEq)]
pub struct Access {
    pub root: AccessRoot,
    pub steps: Vec<AccessStep>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum AccessRoot {
    Parameter(String),
    Variable(String),
}

#[derive(Debug, Clone, PartialEq)]
pub enum AccessStep {
    Key(String),
    Index(usize),
}

/// The input an expression reads unchanged: `parameters('a')`, `variables('b').c[2]`,
/// `parameters('list')[copyIndex()]`, or either branch of an `if()` whose condition is known.
/// `None` for anything computed, and for expressions that do not parse or evaluate.
pub fn access_path(text: &str, env: &dyn Env) -> Option<Access> {
    if !is_expression(text) {
        return None;
    }
    let expr = parse(text).ok()?;
    let mut evaluator = Evaluator {
        env,
        budget: Budget(WORK_BUDGET),
        lambda_scope: Vec::new(),
    };
    trace(&expr, &mut evaluator, 0)
}

fn trace(expr: &Expr, evaluator: &mut Evaluator<'_>, depth: usize) -> Option<Access> {
    if depth > MAX_NESTING {
        return None;
    }
    match &expr.kind {
        Kind::Call(call) => match (call.key.as_str(), call.args.as_slice()) {
            ("parameters" | "variables", [name]) => {
                let Kind::Literal(Val::String(name)) = &name.kind else {
                    return None;
                };
                let root = if call.key == "parameters" {
                    AccessRoot::Parameter(name.clone())
                } else {
                    AccessRoot::Variable(name.clone())
                };
                Some(Access {
                    root,
                    steps: Vec::new(),
                })
            }
            ("if", [condition, when_true, when_false]) => match evaluator.eval(condition).ok()? {
                Val::Bool(true) => trace(when_true, evaluator, depth + 1),
                Val::Bool(false) => trace(when_false, evaluator, depth + 1),
                _ => None,
            },
            _ => None,
        },
        Kind::Member { target, name, .. } => {
            let mut access = trace(target, evaluator, depth + 1)?;
            access.steps.push(AccessStep::Key(name.clone()));
            Some(access)
        }
        Kind::Index { target, index, .. } => {
            let mut access = trace(target, evaluator, depth + 1)?;
            let step = match evaluator.eval(index).ok()? {
                Val::String(key) => AccessStep::Key(key),
                other => AccessStep::Index(usize::try_from(as_int(&other)?).ok()?),
            };
            access.steps.push(step);
            Some(access)
        }
        Kind::Literal(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    struct TestEnv {
        parameters: Vec<(&'static str, Val)>,
        variables: Vec<(&'static str, Val)>,
        copy_index: Option<i64>,
        scope_known: bool,
    }

    impl Env for TestEnv {
        fn parameter(&self, name: &str) -> Option<Val> {
            find(&self.parameters, name)
        }
        fn variable(&self, name: &str) -> Option<Val> {
            find(&self.variables, name)
        }
        fn copy_index(&self, loop_name: Option<&str>) -> Option<i64> {
            match loop_name {
                None => self.copy_index,
                Some("outer") => Some(7),
                Some(_) => None,
            }
        }
        fn subscription(&self) -> Val {
            if self.scope_known {
                Val::from_json(&json!({"subscriptionId": "0000-sub"}))
            } else {
                default_subscription()
            }
        }
        fn resource_group(&self) -> Val {
            if self.scope_known {
                Val::from_json(&json!({"name": "rg1", "location": "westeurope"}))
            } else {
                default_resource_group()
            }
        }
    }

    fn find(entries: &[(&'static str, Val)], name: &str) -> Option<Val> {
        entries
            .iter()
            .find(|(k, _)| keys_match(k, name))
            .map(|(_, v)| v.clone())
    }

    const NO_ADMIN: &str = "parameter `adminEnabled` has no value";

    fn env() -> TestEnv {
        TestEnv {
            parameters: vec![
                ("name", s("myacr")),
                ("sku", s("Premium")),
                ("adminEnabled", Val::Unknown(NO_ADMIN.to_string())),
                (
                    "obj",
                    Val::from_json(&json!({"a": {"b": [1, 2, {"c": "deep"}]}, "Mixed": "Case"})),
                ),
                ("list", Val::from_json(&json!(["one", "two", "three"]))),
                ("nothing", Val::Null),
                ("count", Val::Int(3)),
                ("big", s(&"x".repeat(600_000))),
            ],
            variables: vec![
                ("prefix", s("acr")),
                (
                    "later",
                    Val::Unknown("`reference()` is only known at deployment".into()),
                ),
            ],
            copy_index: Some(2),
            scope_known: false,
        }
    }

    fn s(text: &str) -> Val {
        Val::String(text.to_string())
    }

    fn eval(text: &str) -> Val {
        evaluate(text, &env()).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    fn error(text: &str) -> ExprError {
        match evaluate(text, &env()) {
            Err(e) => e,
            Ok(v) => panic!("{text}: expected an error, got {v:?}"),
        }
    }

    fn unknown(text: &str) -> String {
        match eval(text) {
            Val::Unknown(reason) => reason,
            other => panic!("{text}: expected unknown, got {other:?}"),
        }
    }

    /// Each expression evaluates to the JSON value (object key order aside: `serde_json` may sort).
    fn check(cases: &[(&str, serde_json::Value)]) {
        for (text, expected) in cases {
            let actual = eval(text);
            let expected = Val::from_json(expected);
            assert_eq!(
                values_equal(&actual, &expected),
                Some(true),
                "{text}: {actual:?}"
            );
            assert_eq!(
                std::mem::discriminant(&actual),
                std::mem::discriminant(&expected),
                "{text}"
            );
        }
    }

    #[test]
    fn literals_escapes_and_non_expressions() {
        check(&[
            ("['it''s']", json!("it's")),
            ("['']", json!("")),
            ("[42]", json!(42)),
            ("[-7]", json!(-7)),
            ("[true]", json!(true)),
            ("[FALSE]", json!(false)),
            ("[null]", json!(null)),
            ("[true()]", json!(true)),
            ("[null()]", json!(null)),
            ("[ concat( 'a' ,\t'b' ) ]", json!("ab")),
            ("['a]b']", json!("a]b")),
        ]);
        assert!(is_expression("[x()]"));
        assert!(!is_expression("[[x()]"));
        assert!(!is_expression("x()]"));
        assert!(!is_expression("["));
        assert_eq!(
            unescape_literal("[[not an expression]"),
            "[not an expression]"
        );
        assert_eq!(unescape_literal("[[no closing"), "[[no closing");
        assert_eq!(unescape_literal("plain"), "plain");
        assert_eq!(eval("plain text"), s("plain text"));
        assert_eq!(eval("[[x]"), s("[x]"));
        assert_eq!(check_syntax("[concat('a')]"), Ok(()));
        assert!(check_syntax("[concat(]").is_err());
    }

    #[test]
    fn parameters_variables_and_member_access() {
        check(&[
            ("[parameters('name')]", json!("myacr")),
            ("[parameters('NAME')]", json!("myacr")),
            ("[parameters('obj').a.b[2].c]", json!("deep")),
            ("[parameters('obj').MIXED]", json!("Case")),
            ("[parameters('obj')['a']['b'][0]]", json!(1)),
            ("[parameters('obj').a.b[sub(3, 2)]]", json!(2)),
            ("[parameters('list')[copyIndex()]]", json!("three")),
            ("[variables('prefix')]", json!("acr")),
            ("[parameters('obj').?missing]", json!(null)),
            ("[parameters('obj').?missing.?deeper]", json!(null)),
            ("[parameters('list')[?10]]", json!(null)),
            ("[parameters('nothing').?x]", json!(null)),
            ("[parameters('obj')[?'missing']]", json!(null)),
            ("[parameters('obj').a.b[2.0]]", json!({"c": "deep"})),
        ]);
    }

    #[test]
    fn access_errors_point_at_the_problem() {
        let text = "[parameters('obj').missing]";
        let e = error(text);
        assert_eq!(e.offset, 19);
        assert!(
            e.message.contains("`missing` does not exist"),
            "{}",
            e.message
        );
        assert!(
            e.message.contains("`a`") && e.message.contains("`Mixed`"),
            "{}",
            e.message
        );
        let e = error("[parameters('list')[3]]");
        assert_eq!(
            (e.offset, e.message.as_str()),
            (19, "index 3 is out of range for an array of 3 items")
        );
        assert!(
            error("[parameters('list')['x']]")
                .message
                .contains("index must be an integer")
        );
        assert!(
            error("[parameters('obj')[0]]")
                .message
                .contains("cannot index an object")
        );
        assert!(
            error("[parameters('list')[-1]]")
                .message
                .contains("out of range")
        );
        assert!(
            error("[parameters('nothing').x]")
                .message
                .contains("of null")
        );
        assert!(
            error("[parameters('name').x]")
                .message
                .contains("of a string")
        );
        let e = error("[concat('a', parameters('undeclared'))]");
        assert_eq!(
            (e.offset, e.message.as_str()),
            (13, "parameter `undeclared` is not declared")
        );
        assert_eq!(
            error("[variables('nope')]").message,
            "variable `nope` is not declared"
        );
    }

    #[test]
    fn unknown_inputs_propagate_with_their_reason() {
        for text in [
            "[parameters('adminEnabled')]",
            "[not(parameters('adminEnabled'))]",
            "[concat('a', parameters('adminEnabled'))]",
            "[equals(parameters('adminEnabled'), true())]",
            "[parameters('adminEnabled').x.y[0]]",
            "[toLower(string(parameters('adminEnabled')))]",
            "[length(parameters('adminEnabled'))]",
            "[empty(parameters('adminEnabled'))]",
            "[createObject('a', 1)[parameters('adminEnabled')]]",
            "[string(createArray(parameters('adminEnabled')))]",
            "[tryGet(createObject('a', parameters('adminEnabled')), 'a', 'b')]",
        ] {
            assert_eq!(unknown(text), NO_ADMIN, "{text}");
        }
        assert_eq!(
            unknown("[variables('later')]"),
            "`reference()` is only known at deployment"
        );
        check(&[
            (
                "[length(createArray(parameters('adminEnabled'), 1))]",
                json!(2),
            ),
            (
                "[empty(createArray(parameters('adminEnabled')))]",
                json!(false),
            ),
            (
                "[createObject('a', 1, 'b', parameters('adminEnabled')).a]",
                json!(1),
            ),
        ]);
        assert_eq!(
            eval("[createArray(parameters('adminEnabled'))]"),
            Val::Array(vec![Val::Unknown(NO_ADMIN.to_string())])
        );
    }

    #[test]
    fn if_evaluates_only_the_chosen_branch() {
        check(&[
            ("[if(true(), 'a', parameters('adminEnabled'))]", json!("a")),
            ("[if(false(), reference('x').y, 'b')]", json!("b")),
            ("[if(true(), 'a', parameters('undeclared'))]", json!("a")),
            ("[if(equals(parameters('sku'), 'Premium'), 1, 2)]", json!(1)),
            (
                "[if(parameters('adminEnabled'), 'same', 'same')]",
                json!("same"),
            ),
            ("[if(true(), null(), 1)]", json!(null)),
        ]);
        assert_eq!(
            unknown("[if(parameters('adminEnabled'), 'a', 'b')]"),
            NO_ADMIN
        );
        assert_eq!(
            unknown("[if(parameters('adminEnabled'), 'same', parameters('undeclared'))]"),
            NO_ADMIN
        );
        let e = error("[if('yes', 1, 2)]");
        assert_eq!(e.offset, 1);
        assert!(
            e.message.contains("argument 1 to be a boolean"),
            "{}",
            e.message
        );
        assert!(
            error("[if(true(), 1)]")
                .message
                .contains("takes 3 arguments, got 2")
        );
    }

    #[test]
    fn and_or_short_circuit_around_unknowns() {
        check(&[
            ("[and(false(), parameters('adminEnabled'))]", json!(false)),
            ("[and(parameters('adminEnabled'), false())]", json!(false)),
            ("[and(false(), parameters('undeclared'))]", json!(false)),
            ("[or(true(), parameters('adminEnabled'))]", json!(true)),
            ("[or(parameters('adminEnabled'), true())]", json!(true)),
            ("[or(false(), false())]", json!(false)),
            ("[and(true(), true(), true())]", json!(true)),
        ]);
        assert_eq!(
            unknown("[and(true(), parameters('adminEnabled'))]"),
            NO_ADMIN
        );
        assert_eq!(
            unknown("[or(parameters('adminEnabled'), parameters('undeclared'))]"),
            NO_ADMIN
        );
        assert!(
            error("[and(true(), 'x')]")
                .message
                .contains("argument 2 to be a boolean")
        );
        assert!(
            error("[or(false(), parameters('undeclared'))]")
                .message
                .contains("not declared")
        );
        assert!(error("[and()]").message.contains("at least 1 argument"));
    }

    #[test]
    fn coalesce_takes_the_first_known_non_null() {
        check(&[
            ("[coalesce(null(), 'a')]", json!("a")),
            (
                "[coalesce(parameters('nothing'), createArray())]",
                json!([]),
            ),
            (
                "[coalesce('first', parameters('adminEnabled'))]",
                json!("first"),
            ),
            ("[coalesce(null(), null())]", json!(null)),
            ("[coalesce('a', parameters('undeclared'))]", json!("a")),
        ]);
        assert_eq!(
            unknown("[coalesce(null(), parameters('adminEnabled'), 'x')]"),
            NO_ADMIN
        );
    }

    #[test]
    fn equality_and_comparison() {
        check(&[
            ("[equals('a', 'A')]", json!(false)),
            ("[equals('a', 'a')]", json!(true)),
            ("[equals(createArray(1, 2), json('[1, 2]'))]", json!(true)),
            (
                "[equals(createArray(1, 2), createArray(2, 1))]",
                json!(false),
            ),
            (
                "[equals(createObject('A', 1), createObject('a', 1))]",
                json!(true),
            ),
            (
                "[equals(createObject('a', 1), createObject('a', 1, 'b', 2))]",
                json!(false),
            ),
            ("[equals(1, json('1.0'))]", json!(true)),
            ("[equals(1, '1')]", json!(false)),
            ("[equals(null(), parameters('nothing'))]", json!(true)),
            (
                "[equals(createArray(reference('x'), 1), createArray(1, 2))]",
                json!(false),
            ),
            ("[greater(2, 1)]", json!(true)),
            ("[greater('A', 'a')]", json!(false)),
            ("[greaterOrEquals(2, 2)]", json!(true)),
            ("[less(1, 2)]", json!(true)),
            ("[lessOrEquals(3, 2)]", json!(false)),
        ]);
        assert!(
            unknown("[equals(createArray(reference('x')), createArray(1))]").contains("reference")
        );
        assert!(
            error("[greater(1, 'a')]")
                .message
                .contains("two numbers or two strings")
        );
        assert_eq!(values_equal(&s("a"), &s("a")), Some(true));
        assert_eq!(values_equal(&Val::Unknown("u".into()), &s("a")), None);
    }

    #[test]
    fn conversions() {
        check(&[
            ("[bool('TRUE')]", json!(true)),
            ("[bool('no')]", json!(false)),
            ("[bool(0)]", json!(false)),
            ("[bool(2)]", json!(true)),
            ("[int('42')]", json!(42)),
            ("[int(' -3 ')]", json!(-3)),
            ("[float('1.5')]", json!(1.5)),
            ("[string(true())]", json!("True")),
            ("[string(12)]", json!("12")),
            ("[string(null())]", json!("")),
            (
                "[string(createObject('a', createArray(1, true(), null(), 'q\"')))]",
                json!("{\"a\":[1,true,null,\"q\\\"\"]}"),
            ),
            (
                "[json('{\"a\": [1, 2.5, \"x\"]}')]",
                json!({"a": [1, 2.5, "x"]}),
            ),
            ("[json('null')]", json!(null)),
            ("[json('.25')]", json!(0.25)),
            (
                r#"[json('{ // note
 "a": [1, 2,], /* x */ "b": "//not a comment", }')]"#,
                json!({"a": [1, 2], "b": "//not a comment"}),
            ),
            ("[array('x')]", json!(["x"])),
            ("[array(createArray(1))]", json!([1])),
            ("[not(true())]", json!(false)),
        ]);
        assert!(
            error("[int('abc')]")
                .message
                .contains("cannot convert `abc`")
        );
        assert!(error("[json('{')]").message.contains("cannot parse"));
        assert!(error("[not('true')]").message.contains("a boolean"));
    }

    #[test]
    fn concat_and_format() {
        check(&[
            ("[concat('vm', copyIndex())]", json!("vm2")),
            ("[concat('vm', copyIndex(1))]", json!("vm3")),
            ("[concat('vm', copyIndex('outer', 1))]", json!("vm8")),
            ("[concat('a', true(), null(), 1)]", json!("aTrue1")),
            (
                "[concat(createArray(1), createArray(2, 3), null())]",
                json!([1, 2, 3]),
            ),
            ("[format('{0}-{1}', 'a', 1)]", json!("a-1")),
            ("[format('{{literal}} {0}', 'x')]", json!("{literal} x")),
            (
                "[format('{0:D3}|{1:d2}|{2:D3}', 7, 123, -5)]",
                json!("007|123|-005"),
            ),
            ("[format('{0:X}|{0:x4}', 255)]", json!("FF|00ff")),
            (
                "[format('{0:N0}|{1:N2}|{0:F1}', 1234567, -1234)]",
                json!("1,234,567|-1,234.00|1234567.0"),
            ),
            ("[format('{0:000}|{1:G}', 5, 6)]", json!("005|6")),
            ("[format('[{0,5}|{0,-5}]', 'ab')]", json!("[   ab|ab   ]")),
            ("[format('{0:D5}', 'text')]", json!("text")),
            ("[format('{0}', createArray(1))]", json!("[1]")),
        ]);
        assert!(
            error("[concat('a', createArray())]")
                .message
                .contains("a string or a number")
        );
        assert!(
            error("[concat(createArray(), 'a')]")
                .message
                .contains("an array")
        );
        assert!(
            error("[format('{2}', 'a')]")
                .message
                .contains("has no argument")
        );
        assert!(error("[format('{0', 'a')]").message.contains("unclosed"));
        assert!(error("[format('a}', 'a')]").message.contains("unmatched"));
        assert!(
            error("[format('{x}', 'a')]")
                .message
                .contains("invalid placeholder")
        );
        assert!(unknown("[format('{0:C}', 5)]").contains("`C`"));
        assert_eq!(
            unknown("[copyIndex('inner')]"),
            "`copyIndex('inner')` is only known inside that copy loop"
        );
        let no_loop = TestEnv {
            copy_index: None,
            ..env()
        };
        assert!(matches!(
            evaluate("[copyIndex()]", &no_loop),
            Ok(Val::Unknown(_))
        ));
    }

    #[test]
    fn string_functions() {
        check(&[
            ("[toLower('AbC')]", json!("abc")),
            ("[toUpper('AbC')]", json!("ABC")),
            ("[trim('  a b  ')]", json!("a b")),
            ("[replace('a-b-c', '-', '')]", json!("abc")),
            ("[split('a/b//c', '/')]", json!(["a", "b", "", "c"])),
            (
                "[split('a,b;c', createArray(',', ';'))]",
                json!(["a", "b", "c"]),
            ),
            (
                "[join(createArray('a', 1, true()), '-')]",
                json!("a-1-True"),
            ),
            ("[first('abc')]", json!("a")),
            ("[last('abc')]", json!("c")),
            ("[first(createArray())]", json!(null)),
            ("[last(parameters('list'))]", json!("three")),
            ("[substring('hello', 1, 3)]", json!("ell")),
            ("[substring('hello', 2)]", json!("llo")),
            ("[substring('héllo', 1, 1)]", json!("é")),
            ("[startsWith('Microsoft.X', 'microsoft')]", json!(true)),
            ("[endsWith('abc', 'BC')]", json!(true)),
            ("[endsWith('abc', 'x')]", json!(false)),
            ("[indexOf('abcabc', 'BC')]", json!(1)),
            ("[lastIndexOf('abcabc', 'bc')]", json!(4)),
            ("[indexOf('abc', 'z')]", json!(-1)),
            ("[indexOf(parameters('list'), 'two')]", json!(1)),
            ("[lastIndexOf(createArray(1, 2, 1), 1)]", json!(2)),
            ("[skip('abcdef', 4)]", json!("ef")),
            ("[take('abcdef', 2)]", json!("ab")),
            ("[skip(parameters('list'), 2)]", json!(["three"])),
            ("[take(parameters('list'), -1)]", json!([])),
            ("[padLeft('7', 3, '0')]", json!("007")),
            ("[padLeft(42, 4)]", json!("  42")),
            ("[length('héllo')]", json!(5)),
            ("[contains('OneTwo', 'Two')]", json!(true)),
            ("[contains('OneTwo', 'two')]", json!(false)),
            ("[empty('')]", json!(true)),
            ("[empty(null())]", json!(true)),
            ("[empty(createObject())]", json!(true)),
            ("[base64('one, two, three')]", json!("b25lLCB0d28sIHRocmVl")),
            (
                "[base64ToString('b25lLCB0d28sIHRocmVl')]",
                json!("one, two, three"),
            ),
        ]);
        assert!(
            error("[substring('abc', 2, 5)]")
                .message
                .contains("past the end")
        );
        assert!(
            error("[substring('abc', 4)]")
                .message
                .contains("start index")
        );
        assert!(
            error("[replace('a', '', 'b')]")
                .message
                .contains("empty string")
        );
        assert!(
            error("[padLeft('a', 3, 'xy')]")
                .message
                .contains("one character")
        );
        assert!(
            error("[length(1)]")
                .message
                .contains("an array, an object or a string")
        );
    }

    #[test]
    fn array_and_object_functions() {
        check(&[
            (
                "[union(json('{\"p\":{\"one\":\"a\",\"three\":\"c1\"},\"n\":[1,2]}'), json('{\"p\":{\"three\":\"c2\",\"four\":\"d\"},\"n\":[3]}'))]",
                json!({"p": {"one": "a", "three": "c2", "four": "d"}, "n": [3]}),
            ),
            (
                "[union(createArray(1, 2), createArray(2, 3), createArray(1))]",
                json!([1, 2, 3]),
            ),
            ("[union(createObject('a', 1), null())]", json!({"a": 1})),
            (
                "[intersection(createArray(1, 2, 3), createArray(3, 2, 9))]",
                json!([2, 3]),
            ),
            (
                "[intersection(createObject('a', 1, 'b', 2), createObject('A', 1, 'b', 3))]",
                json!({"a": 1}),
            ),
            (
                "[createObject('a', 1, 'b', createArray())]",
                json!({"a": 1, "b": []}),
            ),
            ("[createObject()]", json!({})),
            ("[createArray()]", json!([])),
            ("[length(parameters('obj'))]", json!(2)),
            (
                "[items(createObject('b', 2, 'A', 1))]",
                json!([{"key": "A", "value": 1}, {"key": "b", "value": 2}]),
            ),
            (
                "[objectKeys(createObject('b', 1, 'A', 2))]",
                json!(["b", "A"]),
            ),
            (
                "[tryGet(parameters('obj'), 'a', 'b', 2, 'c')]",
                json!("deep"),
            ),
            ("[tryGet(parameters('obj'), 'zzz', 'b')]", json!(null)),
            ("[tryGet(parameters('nothing'), 'name')]", json!(null)),
            ("[tryGet(parameters('list'), 5)]", json!(null)),
            (
                "[shallowMerge(createArray(createObject('a', 1, 'b', 1), createObject('b', 2)))]",
                json!({"a": 1, "b": 2}),
            ),
            ("[contains(createObject('Key', 1), 'key')]", json!(true)),
            ("[contains(parameters('list'), 'two')]", json!(true)),
            (
                "[contains(createArray(reference('x'), 'a'), 'a')]",
                json!(true),
            ),
            ("[min(3, 1, 2)]", json!(1)),
            ("[max(createArray(3, 1, 5))]", json!(5)),
            ("[range(2, 3)]", json!([2, 3, 4])),
            ("[range(0, 0)]", json!([])),
            ("[add(1, 2)]", json!(3)),
            ("[sub(1, 2)]", json!(-1)),
            ("[mul(3, 4)]", json!(12)),
            ("[div(7, 2)]", json!(3)),
            ("[mod(-7, 2)]", json!(-1)),
        ]);
        assert!(unknown("[contains(createArray(reference('x')), 'a')]").contains("reference"));
        let merged = eval(
            "[union(createObject('b', 1, 'a', createObject('x', 1)), createObject('c', 2, 'A', createObject('y', 2)))]",
        );
        let order = |v: &Val| match v {
            Val::Object(entries) => entries.iter().map(|(k, _)| k.clone()).collect::<Vec<_>>(),
            _ => Vec::new(),
        };
        assert_eq!(order(&merged), ["b", "a", "c"]);
        assert_eq!(
            merged.get("a").map(order),
            Some(vec!["x".to_string(), "y".to_string()])
        );
        assert!(error("[div(1, 0)]").message.contains("divides by zero"));
        assert!(
            error("[add(9223372036854775807, 1)]")
                .message
                .contains("overflows")
        );
        assert!(
            error("[createObject('a')]")
                .message
                .contains("key and value pairs")
        );
        assert!(
            error("[union(createObject(), createArray())]")
                .message
                .contains("an object")
        );
        assert!(
            error("[range(0, -1)]")
                .message
                .contains("between 0 and 10000")
        );
        assert!(
            error("[min(createArray())]")
                .message
                .contains("at least one")
        );
    }

    #[test]
    fn lambda_functions() {
        check(&[
            (
                "[map(range(0, 3), lambda('x', mul(lambdaVariables('x'), 2)))]",
                json!([0, 2, 4]),
            ),
            (
                "[map(parameters('list'), lambda('x', 'i', concat(lambdaVariables('x'), string(lambdaVariables('i')))))]",
                json!(["one0", "two1", "three2"]),
            ),
            (
                "[filter(range(0, 5), lambda('x', greater(lambdaVariables('x'), 2)))]",
                json!([3, 4]),
            ),
            (
                "[reduce(range(1, 4), 0, lambda('cur', 'next', add(lambdaVariables('cur'), lambdaVariables('next'))))]",
                json!(10),
            ),
            (
                "[reduce(map(createArray('a', 'b'), lambda('id', createObject(format('{0}', lambdaVariables('id')), createObject()))), createObject(), lambda('cur', 'next', union(lambdaVariables('cur'), lambdaVariables('next'))))]",
                json!({"a": {}, "b": {}}),
            ),
            (
                "[toObject(parameters('list'), lambda('x', toUpper(lambdaVariables('x'))))]",
                json!({"ONE": "one", "TWO": "two", "THREE": "three"}),
            ),
            (
                "[toObject(createArray('a'), lambda('x', lambdaVariables('x')), lambda('x', 1))]",
                json!({"a": 1}),
            ),
            (
                "[map(range(0, 2), lambda('x', map(range(0, 2), lambda('y', add(lambdaVariables('x'), lambdaVariables('y'))))))]",
                json!([[0, 1], [1, 2]]),
            ),
        ]);
        assert!(
            unknown("[map(reference('x').nics, lambda('n', lambdaVariables('n').id))]")
                .contains("reference")
        );
        assert!(
            error("[lambdaVariables('x')]")
                .message
                .contains("not defined")
        );
        assert!(
            error("[lambda('x', 1)]")
                .message
                .contains("can only be an argument")
        );
        assert!(
            error("[map(range(0, 1), 'x')]")
                .message
                .contains("expected a `lambda")
        );
        assert!(
            error("[map(range(0, 1), lambda(concat('x'), 1))]")
                .message
                .contains("string literals")
        );
        assert!(
            error("[filter(range(0, 1), lambda('x', 1))]")
                .message
                .contains("must return a boolean")
        );
    }

    #[test]
    fn resource_ids() {
        let registry = "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.ContainerRegistry/registries/acr";
        check(&[
            (
                "[resourceId('Microsoft.ContainerRegistry/registries', 'acr')]",
                json!(registry),
            ),
            (
                "[resourceId('rg2', 'Microsoft.Network/virtualNetworks/subnets', 'vnet', 'snet')]",
                json!(
                    "/subscriptions/{subscriptionId}/resourceGroups/rg2/providers/Microsoft.Network/virtualNetworks/vnet/subnets/snet"
                ),
            ),
            (
                "[resourceId('s1', 'rg2', 'Microsoft.Network/virtualNetworks/subnets', 'vnet/snet')]",
                json!(
                    "/subscriptions/s1/resourceGroups/rg2/providers/Microsoft.Network/virtualNetworks/vnet/subnets/snet"
                ),
            ),
            (
                "[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '7f951dda')]",
                json!(
                    "/subscriptions/{subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/7f951dda"
                ),
            ),
            (
                "[subscriptionResourceId('s1', 'Microsoft.Resources/resourceGroups', 'rg')]",
                json!("/subscriptions/s1/providers/Microsoft.Resources/resourceGroups/rg"),
            ),
            (
                "[tenantResourceId('Microsoft.Billing/billingAccounts', 'b')]",
                json!("/providers/Microsoft.Billing/billingAccounts/b"),
            ),
            (
                "[extensionResourceId(resourceId('Microsoft.ContainerRegistry/registries', 'acr'), 'Microsoft.Authorization/locks', 'lock')]",
                json!(format!(
                    "{registry}/providers/Microsoft.Authorization/locks/lock"
                )),
            ),
            (
                "[managementGroupResourceId('mg', 'Microsoft.Authorization/policyDefinitions', 'p')]",
                json!(
                    "/providers/Microsoft.Management/managementGroups/mg/providers/Microsoft.Authorization/policyDefinitions/p"
                ),
            ),
            (
                "[equals(resourceId('Microsoft.ContainerRegistry/registries', 'acr'), resourceId('Microsoft.ContainerRegistry/registries', parameters('name')))]",
                json!(false),
            ),
        ]);
        let known = TestEnv {
            scope_known: true,
            ..env()
        };
        assert_eq!(
            evaluate(
                "[resourceId('Microsoft.ContainerRegistry/registries', 'acr')]",
                &known
            ),
            Ok(s(
                "/subscriptions/0000-sub/resourceGroups/rg1/providers/Microsoft.ContainerRegistry/registries/acr"
            ))
        );
        assert_eq!(
            evaluate("[resourceGroup().location]", &known),
            Ok(s("westeurope"))
        );
        assert!(
            error("[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet')]")
                .message
                .contains("needs 2 names, got 1")
        );
        assert!(
            error("[resourceId('a', 'b')]")
                .message
                .contains("needs a resource type")
        );
        assert!(
            error("[resourceId('Microsoft.X/', 'b')]")
                .message
                .contains("not of the form")
        );
    }

    #[test]
    fn scope_functions_have_unknown_leaves() {
        assert_eq!(
            unknown("[resourceGroup().location]"),
            "`resourceGroup().location` is only known at deployment"
        );
        assert_eq!(
            unknown("[subscription().subscriptionId]"),
            "`subscription().subscriptionId` is only known at deployment"
        );
        assert!(unknown("[deployment().name]").contains("deployment()"));
        assert!(unknown("[tenant().tenantId]").contains("tenant()"));
        assert!(unknown("[environment().name]").contains("environment()"));
        check(&[
            (
                "[resourceGroup().id]",
                json!("/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}"),
            ),
            (
                "[subscription().id]",
                json!("/subscriptions/{subscriptionId}"),
            ),
            (
                "[equals(resourceGroup().id, resourceId('Microsoft.Resources/resourceGroups', 'x'))]",
                json!(false),
            ),
        ]);
        let Val::String(name) = eval("[uniqueString(resourceGroup().id)]") else {
            panic!("uniqueString(resourceGroup().id) is deterministic")
        };
        assert_eq!(name.len(), 13);
        check(&[(
            "[resourceGroup().type]",
            json!("Microsoft.Resources/resourceGroups"),
        )]);
        assert!(
            error("[resourceGroup().foo]")
                .message
                .contains("`foo` does not exist")
        );
        assert!(
            error("[resourceGroup(1)]")
                .message
                .contains("takes no arguments")
        );
    }

    #[test]
    fn deployment_time_functions_are_unknown() {
        for (text, reason) in [
            (
                "[reference('x').outputs.y.value]",
                "`reference()` is only known at deployment",
            ),
            (
                "[listKeys(resourceId('Microsoft.Storage/storageAccounts', 's'), '2023-01-01').keys[0].value]",
                "`listKeys()` is only known at deployment",
            ),
            (
                "[listCredentials(parameters('undeclared'), '2023-01-01')]",
                "`listCredentials()` is only known at deployment",
            ),
            ("[utcNow()]", "`utcNow()` is only known at deployment"),
            ("[newGuid()]", "`newGuid()` is only known at deployment"),
            (
                "[pickZones('Microsoft.Compute', 'virtualMachines', 'westus2')]",
                "`pickZones()` is only known at deployment",
            ),
            (
                "[__bicep.myFunc('a')]",
                "`__bicep.myFunc()` is a user-defined function, which is not evaluated",
            ),
            (
                "[dateTimeAdd('2020-01-01', 'P1D')]",
                "`dateTimeAdd()` is not evaluated by acr-lint",
            ),
            ("[fail('stop')]", "the template calls `fail()` here"),
        ] {
            assert_eq!(unknown(text), reason, "{text}");
        }
    }

    #[test]
    fn unknown_functions_and_bad_calls_are_errors_at_the_call() {
        let e = error("[foo(1)]");
        assert_eq!(
            (e.offset, e.message.as_str()),
            (1, "unknown function `foo`")
        );
        let e = error("[concat('a', toLower(1))]");
        assert_eq!(e.offset, 13);
        assert_eq!(
            e.message,
            "`toLower()` expects argument 1 to be a string, not an integer"
        );
        let e = error("[substring('abc')]");
        assert_eq!(
            (e.offset, e.message.as_str()),
            (1, "`substring()` takes 2 to 3 arguments, got 1")
        );
        assert_eq!(
            error("[not(true(), false())]").message,
            "`not()` takes 1 argument, got 2"
        );
    }

    #[test]
    fn unique_string_matches_azure() {
        // Values Azure returned, recorded in Kingsland.ArmLinter's ArmFunctions_UniqueString.cs.
        check(&[
            ("[uniqueString('aaa')]", json!("zavj67f3en4hc")),
            ("[uniqueString('bbb')]", json!("w5eragfxe33cy")),
            ("[uniqueString('zzz')]", json!("cryksdzzzawae")),
            (
                "[uniqueString('xxx', 'yyy', 'zzz')]",
                json!("lghi7k5js7itq"),
            ),
            (
                "[uniqueString('/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg')]",
                json!("dojm7b5lc3trm"),
            ),
        ]);
        assert!(error("[uniqueString(1)]").message.contains("a string"));
        assert_eq!(
            unknown("[uniqueString('a', parameters('adminEnabled'))]"),
            NO_ADMIN
        );
    }

    #[test]
    fn guid_is_a_version_5_uuid_in_the_arm_namespace() {
        // Python: uuid.uuid5(uuid.UUID('11fb06fb-712d-4ddd-98c7-e71bbd588830'), 'a-b')
        check(&[(
            "[guid('a', 'b')]",
            json!("2d796349-8c7e-55ec-9624-54ece82ed031"),
        )]);
        assert_eq!(unknown("[guid(parameters('adminEnabled'))]"), NO_ADMIN);
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

    #[test]
    fn sizes_are_bounded() {
        let too_large = |text: &str| {
            let message = error(text).message;
            assert!(message.starts_with("result too large"), "{text}: {message}");
        };
        too_large("[concat(parameters('big'), parameters('big'))]");
        too_large("[replace(parameters('big'), 'x', 'xx')]");
        too_large("[split(parameters('big'), 'x')]");
        too_large("[padLeft('a', 2000000)]");
        too_large("[format('{0,2000000}', 'a')]");
        too_large("[string(createArray(parameters('big'), parameters('big')))]");
        too_large(
            "[concat(range(0, 10000), range(0, 10000), range(0, 10000), range(0, 10000), range(0, 10000), range(0, 10000), range(0, 10000), range(0, 10000), range(0, 10000), range(0, 10000), range(0, 10000))]",
        );
        assert!(
            error("[range(0, 10001)]")
                .message
                .contains("between 0 and 10000")
        );
        let long = format!("['{}']", "a".repeat(MAX_EXPRESSION_BYTES));
        assert_eq!(error(&long).offset, 0);
        let deep_json = format!("[json('{}{}')]", "[".repeat(120), "]".repeat(120));
        assert!(matches!(eval(&deep_json), Val::Array(_)));
    }

    #[test]
    fn work_is_bounded() {
        let nested =
            "[length(map(range(0, 10000), lambda('x', map(range(0, 10000), lambda('y', 1)))))]";
        assert!(error(nested).message.contains("too much work"));
        let growing = "[reduce(range(0, 10000), createArray(), lambda('a', 'x', createArray(lambdaVariables('a'))))]";
        let message = error(growing).message;
        assert!(message.contains("nested too deeply"), "{message}");
        let quadratic = "[union(range(0, 10000), range(10000, 10000), map(range(0, 10000), lambda('x', string(lambdaVariables('x')))))]";
        assert!(error(quadratic).message.contains("too much work"));
    }

    #[test]
    fn values_convert_to_and_from_json() {
        let value = json!({"a": [1, 2.5, "x", null, true, {"b": {}}]});
        assert_eq!(Val::from_json(&value).to_json(), Some(value));
        assert_eq!(Val::Array(vec![Val::Unknown("u".into())]).to_json(), None);
        let object = Val::from_json(&json!({"Key": 1}));
        assert_eq!(object.get("KEY"), Some(&Val::Int(1)));
        assert!(keys_match("Ä", "ä"));
        assert!(!keys_match("a", "b"));
    }

    const SEEDS: &[&str] = &[
        "[concat('a', parameters('name'))]",
        "[parameters('obj').a.b[2].c]",
        "[parameters('obj').?x[?0]]",
        "[if(equals(parameters('sku'), 'Premium'), 'Enabled', null())]",
        "[and(not(empty(parameters('list'))), or(true, false()))]",
        "[format('{0:D3}-{1}', copyIndex(), 'it''s')]",
        "[resourceId('rg', 'Microsoft.Network/virtualNetworks/subnets', 'v', 's')]",
        "[map(range(0, 3), lambda('x', mul(lambdaVariables('x'), -2)))]",
        "[reduce(createArray(1, 2), 0, lambda('a', 'b', add(lambdaVariables('a'), lambdaVariables('b'))))]",
        "[union(createObject('a', 1), json('{\"b\": [1, 2.5]}'))]",
        "[coalesce(tryGet(parameters('nothing'), 'x'), createArray())]",
        "[uniqueString(resourceGroup().id, deployment().name)]",
        "[guid(subscription().id, 'é')]",
        "[split(toLower('A/B'), '/')[1]]",
        "[reference('x', '2020-01-01', 'full').properties.y]",
        "[__bicep.f(1)]",
        "[substring(padLeft(string(add(1, 2)), 5, '0'), 1, 2)]",
    ];

    fn never_panics(text: &str) {
        if let Err(e) = evaluate(text, &env()) {
            assert!(
                e.offset <= text.len(),
                "{text}: offset {} beyond the text",
                e.offset
            );
        }
    }

    #[test]
    fn prefixes_and_mutations_never_panic() {
        const REPLACEMENTS: &[char] = &[
            '(', ')', '\'', '[', ']', ',', '.', '?', '-', 'x', '0', ' ', 'é', '{',
        ];
        for seed in SEEDS {
            let chars: Vec<char> = seed.chars().collect();
            for end in 0..=chars.len() {
                let prefix: String = chars.iter().take(end).collect();
                never_panics(&prefix);
                never_panics(&format!("{prefix}]"));
            }
            for at in 0..chars.len() {
                let before: String = chars.iter().take(at).collect();
                let after: String = chars.iter().skip(at + 1).collect();
                never_panics(&format!("{before}{after}"));
                let current = chars.get(at).copied().unwrap_or(' ');
                never_panics(&format!("{before}{current}{current}{after}"));
                for replacement in REPLACEMENTS {
                    never_panics(&format!("{before}{replacement}{after}"));
                }
            }
        }
    }

    #[test]
    fn random_token_soup_never_panics() {
        const VOCABULARY: &[&str] = &[
            "concat(",
            "'a'",
            ",",
            ")",
            "(",
            "[",
            "]",
            ".",
            ".?",
            "[?",
            "?",
            "parameters('obj')",
            "parameters('list')",
            "1",
            "-1",
            "2.5",
            "createArray(",
            "createObject(",
            "lambda('x',",
            "lambdaVariables('x')",
            "map(",
            "filter(",
            "reduce(",
            "if(",
            "format('{0}',",
            "union(",
            "range(0,",
            "10000",
            "json('",
            "{",
            "}",
            "''",
            " ",
            "true",
            "null()",
            "equals(",
            "resourceId(",
            "'Microsoft.X/y'",
            "uniqueString(",
            "guid(",
            "split(",
            "substring(",
            "padLeft(",
            "reference(",
            "tryGet(",
            "coalesce(",
            "copyIndex(",
            "items(",
            "x",
            "é",
        ];
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..20_000 {
            let length = next() % 30 + 1;
            let mut text = String::from("[");
            for _ in 0..length {
                let pick = usize::try_from(next() % VOCABULARY.len() as u64).unwrap();
                text.push_str(VOCABULARY[pick]);
            }
            text.push(']');
            never_panics(&text);
        }
    }

    #[test]
    fn access_paths_follow_inputs_read_unchanged() {
        let path = |text: &str| access_path(text, &env());
        let parameter = |name: &str, steps: Vec<AccessStep>| {
            Some(Access {
                root: AccessRoot::Parameter(name.to_string()),
                steps,
            })
        };
        assert_eq!(path("[parameters('sku')]"), parameter("sku", vec![]));
        assert_eq!(
            path("[parameters('obj').a['b'][copyIndex()]]"),
            parameter(
                "obj",
                vec![
                    AccessStep::Key("a".into()),
                    AccessStep::Key("b".into()),
                    AccessStep::Index(2)
                ]
            )
        );
        assert_eq!(
            path("[if(equals(parameters('sku'), 'Premium'), variables('prefix'), null())]"),
            Some(Access {
                root: AccessRoot::Variable("prefix".into()),
                steps: vec![],
            })
        );
        assert_eq!(
            path("[if(parameters('adminEnabled'), parameters('sku'), 'x')]"),
            None
        );
        assert_eq!(path("[concat(parameters('sku'), 'x')]"), None);
        assert_eq!(path("[parameters(variables('prefix'))]"), None);
        assert_eq!(path("plain"), None);
        assert_eq!(path("[parameters('list')[-1]]"), None);
    }
}
