//! Terraform configuration: `hcl-edit` syntax with spans, mapped onto the ARM-shaped model.

pub mod eval;
mod expr;
mod mapping;
mod module;
mod project;

use hcl_edit::Span as _;
use hcl_edit::expr::Expression;
use hcl_edit::structure::{Block, Body};

use crate::model::{Input, Output, Resource, Unit};
use crate::source::{FileId, Span};

pub use mapping::{REGISTRY_RESOURCE, is_known_type};
pub use module::{GivenValue, ModuleFile};
pub use project::{
    InputKind, OutsideValues, TerraformFile, environment_values, evaluate_directory,
    var_file_values,
};

use expr::Converter;
use module::ModuleScope;
use std::collections::HashMap;

/// A syntax error at a byte offset of the file.
#[derive(Debug, Clone)]
pub struct SyntaxError {
    pub offset: usize,
    pub message: String,
}

pub fn parse(text: &str) -> Result<Body, SyntaxError> {
    hcl_edit::parser::parse_body(text).map_err(|error| SyntaxError {
        offset: error.location().offset(),
        message: error.message().to_string(),
    })
}

/// What a module's `.tf` files declare, evaluated together; `given` are the variable values
/// from tfvars files, the environment and the command line.
pub fn read_module(
    files: &[ModuleFile<'_>],
    given: &HashMap<String, GivenValue>,
    unit: &str,
) -> (Vec<Resource>, Unit) {
    let scope = ModuleScope::new(files, given);
    let mut resources = Vec::new();
    let mut facts = Unit {
        id: unit.to_string(),
        ..Unit::default()
    };
    for file in files {
        let converter = Converter {
            file: file.file,
            text: file.text,
            values: Some(&scope),
        };
        let (suppressions, problems) =
            crate::suppress::from_hcl(file.body, file.text, file.file, unit);
        facts.suppressions.extend(suppressions);
        facts.suppression_problems.extend(problems);
        for block in file.body.blocks() {
            match block.ident.as_str() {
                "resource" if !scope.creates_nothing(block) => {
                    resources.extend(mapping::map_resource(block, false, &converter, unit));
                }
                "data" => resources.extend(mapping::map_resource(block, true, &converter, unit)),
                "output" => facts.outputs.extend(output(block, file.file, file.text)),
                "variable" => facts.inputs.extend(variable(block, file.file)),
                _ => {}
            }
        }
    }
    (resources, facts)
}

fn output(block: &Block, file: FileId, text: &str) -> Option<Output> {
    let name = block.labels.first()?.as_str().to_string();
    let value = block.body.get_attribute("value")?;
    let span = span_of(value.value.span(), file, value.span());
    Some(Output {
        name,
        expression: text.get(span.start..span.end).unwrap_or("").to_string(),
        span,
        sensitive: is_true(block.body.get_attribute("sensitive").map(|a| &a.value)),
    })
}

fn variable(block: &Block, file: FileId) -> Option<Input> {
    let label = block.labels.first()?;
    Some(Input {
        name: label.as_str().to_string(),
        span: span_of(label.span(), file, block.span()),
        secure: is_true(block.body.get_attribute("sensitive").map(|a| &a.value)),
    })
}

fn is_true(expr: Option<&Expression>) -> bool {
    matches!(expr, Some(Expression::Bool(b)) if *b.value())
}

/// The span of a syntax node, falling back to an enclosing one.
pub(crate) fn span_of(
    range: Option<std::ops::Range<usize>>,
    file: FileId,
    fallback: Option<std::ops::Range<usize>>,
) -> Span {
    let range = range.or(fallback).unwrap_or(0..0);
    Span::new(file, range.start, range.end)
}
