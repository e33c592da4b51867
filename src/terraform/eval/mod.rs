//! Terraform expressions evaluated the way Terraform evaluates them: offline, deterministic,
//! bounded and never panicking.
//!
//! A value that cannot be known before `terraform apply`, or that this evaluator does not model,
//! is [`TfValue::Unknown`] with a reason naming what is missing. An expression Terraform would
//! reject is also `Unknown` through [`evaluate`]; [`try_evaluate`] tells the two apart.
//! Variables, locals and references are asked of the caller's [`Scope`].
//!
//! The module tree: `value` ([`TfValue`], its bounds and equality), `conversion` (Terraform's
//! type conversions), `expressions` (the evaluator: literals, collections, operators,
//! conditionals, `for`), `references` (traversals, asked of the [`Scope`]), `templates` (string
//! templates and heredocs) and `functions/` (the built-in functions by family: string, format,
//! collection, numeric, JSON; `try` and `can`).

mod conversion;
mod expressions;
mod functions;
#[cfg(test)]
mod garbage_tests;
mod references;
mod templates;
#[cfg(test)]
mod test_support;
mod value;

pub(super) use conversion::number_to_string;
pub use references::{FileText, Listing, Scope, TemplateFile, reference_of};
pub use value::{PathStep, TfValue};

use std::fmt;

use hcl_edit::expr::Expression;

use expressions::Evaluator;

/// Expression nesting allowed below one top-level expression.
const MAX_DEPTH: usize = 128;

/// Nesting allowed in a value (from the scope or built by functions).
const MAX_VALUE_DEPTH: usize = 256;

/// Evaluation steps (expression nodes, iterations, template parts) per top-level call.
const MAX_STEPS: usize = 1_000_000;

/// Longest string, in bytes.
const MAX_STRING_BYTES: usize = 1 << 20;

/// Most items of a list or object.
const MAX_ITEMS: usize = 100_000;

/// Most items `range` produces (Terraform's own limit).
const MAX_RANGE: usize = 1024;

/// Data copied into one evaluation (roughly bytes), so memory stays bounded.
const MAX_WEIGHT: usize = 16 << 20;

/// The weight of one value node besides its text (about its size in memory).
pub(crate) const NODE_WEIGHT: usize = 48;

const NESTED_TOO_DEEPLY: &str = "expression nested too deeply";

const TOO_LARGE: &str = "value too large";

const TOO_MANY_STEPS: &str = "evaluation takes too many steps";

/// Why [`try_evaluate`] could not produce a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// Terraform would reject the expression (wrong types, missing attribute, bad arguments).
    Invalid,
    /// The evaluator's bounds were reached (nesting, size, steps).
    Limit,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvalError {
    pub kind: ErrorKind,
    pub message: String,
}

impl fmt::Display for EvalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for EvalError {}

/// About the memory a value takes, in bytes.
pub fn weight(value: &TfValue) -> usize {
    value::measure(value).0
}

/// Evaluates `expr`; errors and bounds become `Unknown` with their reason.
pub fn evaluate(expr: &Expression, scope: &dyn Scope) -> TfValue {
    try_evaluate(expr, scope).unwrap_or_else(|error| TfValue::Unknown(error.message))
}

/// Evaluates `expr` with names bound besides the scope's, such as a `dynamic` block's iterator
/// (later bindings shadow earlier ones).
pub fn evaluate_with(
    expr: &Expression,
    scope: &dyn Scope,
    bindings: &[(String, TfValue)],
) -> TfValue {
    try_evaluate_with(expr, scope, bindings).unwrap_or_else(|error| TfValue::Unknown(error.message))
}

/// Evaluates `expr`, telling expressions Terraform would reject and reached bounds apart.
pub fn try_evaluate(expr: &Expression, scope: &dyn Scope) -> Result<TfValue, EvalError> {
    try_evaluate_with(expr, scope, &[])
}

/// [`try_evaluate`] with names bound besides the scope's.
pub fn try_evaluate_with(
    expr: &Expression,
    scope: &dyn Scope,
    bindings: &[(String, TfValue)],
) -> Result<TfValue, EvalError> {
    let mut evaluator = Evaluator {
        scope,
        bindings: bindings.to_vec(),
        depth: 0,
        steps: 0,
        weight: 0,
    };
    match evaluator.eval(expr) {
        Ok(value) => Ok(value),
        Err(Halt::Unknown(reason)) => Ok(TfValue::Unknown(reason)),
        Err(Halt::Invalid(message)) => Err(EvalError {
            kind: ErrorKind::Invalid,
            message,
        }),
        Err(Halt::Limit(message)) => Err(EvalError {
            kind: ErrorKind::Limit,
            message: message.to_string(),
        }),
    }
}

/// Why evaluation of a part stopped. `Unknown` is turned back into a value at the nearest
/// expression, so operations on unknown values give unknown values.
#[derive(Debug)]
enum Halt {
    Unknown(String),
    Invalid(String),
    Limit(&'static str),
}

type Eval = Result<TfValue, Halt>;

fn invalid(message: impl Into<String>) -> Halt {
    Halt::Invalid(message.into())
}
