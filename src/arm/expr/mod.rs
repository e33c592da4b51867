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
//! - the rarely used functions listed in [`NOT_EVALUATED`] give an unknown instead of a value, as
//!   do user-defined functions (`ns.name(...)`) the [`Env`] does not declare, a function calling
//!   itself (ARM forbids it) and calls nested deeper than [`MAX_USER_FUNCTION_DEPTH`].
//!
//! `uniqueString()` reproduces Azure's algorithm and is checked against values Azure returned;
//! `guid()` is the UUID version 5 of the arguments joined with `-` in ARM's namespace, as public
//! reimplementations (and Terraform `uuidv5` users matching Bicep names) do.
//!
//! The module tree: [`value`](Val) (the value type, ARM equality and text), `lexer`, `parser`
//! ([`parse`] into the syntax tree [`Expr`]), `printer` ([`print`], the tree back into text),
//! `eval` (the evaluator and [`Env`]), `functions/` (the library by family: string, array and
//! object, numeric, logical and comparison, conversion, encoding, deployment and scope, resource
//! ids, lambdas) and `access` ([`access_path`]). A front end with its own syntax tree evaluates
//! its calls through [`call_function`].

mod access;
mod budget;
mod eval;
mod functions;
mod lexer;
mod parser;
mod printer;
#[cfg(test)]
mod test_support;
mod user_functions;
mod value;

pub use access::{Access, AccessRoot, AccessStep, access_of, access_path};
pub use eval::{Env, default_resource_group, default_subscription};
pub use functions::call_function;
pub use parser::{Call, Expr, Kind, Parsed, parse, parse_remembered};
pub use printer::print;
pub use user_functions::{MAX_USER_FUNCTION_DEPTH, UserFunction};
pub use value::{Val, keys_match, values_equal};

use eval::Evaluator;
use value::measure;

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
    evaluate_parsed(&parse(text)?, env)
}

/// [`evaluate`] of an expression already parsed.
pub fn evaluate_parsed(expr: &Expr, env: &dyn Env) -> Result<Val, ExprError> {
    let mut evaluator = Evaluator::new(env);
    let value = evaluator.eval(expr)?;
    measure(&value).map_err(|fail| fail.into_error(0))?;
    Ok(value)
}

/// An expression string with the calls to user-defined functions moved to other namespaces:
/// `rename` takes a namespace in lower case and gives its new name, or `None` to keep it.
/// `None` when the expression does not parse.
pub fn rename_namespaces(text: &str, rename: &dyn Fn(&str) -> Option<String>) -> Option<String> {
    if !is_expression(text) {
        return Some(text.to_string());
    }
    let mut tree = parse(text).ok()?;
    rename_calls(&mut tree, rename, 0)?;
    print(&tree)
}

fn rename_calls(
    expr: &mut Expr,
    rename: &dyn Fn(&str) -> Option<String>,
    depth: usize,
) -> Option<()> {
    if depth > 4 * MAX_NESTING {
        return None;
    }
    match &mut expr.kind {
        Kind::Literal(_) => {}
        Kind::Call(call) => {
            if let Some((namespace, member)) = call.name.split_once('.')
                && let Some(renamed) = rename(&namespace.to_ascii_lowercase())
            {
                call.name = format!("{renamed}.{member}");
                call.key = call.name.to_lowercase();
            }
            for arg in &mut call.args {
                rename_calls(arg, rename, depth + 1)?;
            }
        }
        Kind::Member { target, .. } => rename_calls(target, rename, depth + 1)?,
        Kind::Index { target, index, .. } => {
            rename_calls(target, rename, depth + 1)?;
            rename_calls(index, rename, depth + 1)?;
        }
    }
    Some(())
}

/// Checks an expression's syntax without evaluating it.
pub fn check_syntax(text: &str) -> Result<(), ExprError> {
    if is_expression(text) {
        parse(text).map(|_| ())
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::arm::expr::test_support::*;
    use crate::arm::expr::*;
    use serde_json::json;

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
}
