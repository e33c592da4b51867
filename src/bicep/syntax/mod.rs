//! The Bicep language's syntax: a lexer and a hand-written recursive-descent parser with error
//! recovery, producing a syntax tree ([`ast`]) with byte spans.
//!
//! ```ignore
//! let parsed = acr_lint::bicep::syntax::parse("param name string = 'acr'\n");
//! assert!(parsed.errors.is_empty());
//! ```

pub mod ast;
mod lexer;
mod parser;

pub use ast::*;

/// The deepest nesting of brackets, interpolations, ternaries and lambdas the parser follows;
/// deeper input is a syntax error, not a stack overflow. Parsing at this depth fits in the 2 MiB
/// stack of a spawned thread even in a debug build (real templates nest a few levels).
pub const MAX_DEPTH: usize = 100;

/// Parses a `.bicep` file.
pub fn parse(text: &str) -> ParsedFile {
    parser::parse(text, Dialect::Template)
}

/// Parses a `.bicepparam` file (`using`, `extends`, `param name = value` assignments).
pub fn parse_params(text: &str) -> ParsedFile {
    parser::parse(text, Dialect::Parameters)
}

/// Which kind of file is parsed: they share the grammar except for `param`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    /// `.bicep`: `param name type [= default]`.
    Template,
    /// `.bicepparam`: `param name = value`.
    Parameters,
}
