//! Terraform configuration: `hcl-edit` syntax with spans, mapped onto the ARM-shaped model.

pub mod eval;
pub(crate) mod expr;
mod mapping;
mod module;
mod project;

use hcl_edit::Span as _;
use hcl_edit::expr::Expression;
use hcl_edit::structure::{Block, Body};

use crate::model::{self, Input, Output, Resource, Unit};
use crate::source::{FileId, Span};

pub use mapping::{REGISTRY_RESOURCE, is_known_type};
pub use module::{GivenValue, ModuleFile};
pub use project::{
    Evaluated, InputKind, ModuleContext, OutsideValues, TerraformFile, environment_values,
    evaluate_directory, normalize, var_file_values,
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
    instance: &Instance,
) -> ModuleResult {
    let scope = ModuleScope::new(files, given);
    let unit = instance.unit.as_str();
    let mut result = ModuleResult {
        resources: Vec::new(),
        unit: Unit {
            id: unit.to_string(),
            ..Unit::default()
        },
        calls: Vec::new(),
    };
    for file in files {
        let converter = Converter {
            file: file.file,
            text: file.text,
            values: Some(&scope),
        };
        let (suppressions, problems) =
            crate::suppress::from_hcl(file.body, file.text, file.file, unit);
        result.unit.suppressions.extend(suppressions);
        result.unit.suppression_problems.extend(problems);
        for block in file.body.blocks() {
            match block.ident.as_str() {
                "resource" if !scope.creates_nothing(block) => {
                    result
                        .resources
                        .extend(mapping::map_resource(block, false, &converter, unit));
                }
                "data" => result
                    .resources
                    .extend(mapping::map_resource(block, true, &converter, unit)),
                "output" => result
                    .unit
                    .outputs
                    .extend(output(block, file.file, file.text)),
                "variable" => result.unit.inputs.extend(variable(block, file.file)),
                "module" if !scope.creates_nothing(block) => {
                    result.calls.extend(module_call(block, file.file, &scope));
                }
                _ => {}
            }
        }
    }
    for resource in &mut result.resources {
        if !instance.prefix.is_empty() {
            resource.address = format!("{}{}", instance.prefix, resource.address);
            resource.variant = Some(instance.prefix.trim_end_matches('.').to_string());
        }
        if let Some(model::RegistryRef::Address(target)) = &mut resource.link
            && !instance.prefix.is_empty()
        {
            *target = format!("{}{target}", instance.prefix);
        }
        if let Some(model::RegistryRef::Token(target)) = &mut resource.link
            && !instance.prefix.is_empty()
        {
            *target = format!("{}{target}", instance.prefix);
        }
    }
    result
}

/// Which evaluation of a module this is: the root of its directory, or a module call's.
#[derive(Debug, Clone)]
pub struct Instance {
    /// The unit the resources belong to.
    pub unit: String,
    /// The module call chain prefixed to addresses, e.g. `module.platform.module.acr.`.
    pub prefix: String,
}

/// What evaluating one module instance produced.
pub struct ModuleResult {
    pub resources: Vec<Resource>,
    pub unit: Unit,
    pub calls: Vec<ModuleCall>,
}

/// A `module` block: its source and the values it passes, evaluated in the caller.
#[derive(Debug, Clone)]
pub struct ModuleCall {
    pub name: String,
    pub source: Option<String>,
    pub span: Span,
    pub inputs: HashMap<String, GivenValue>,
}

const MODULE_META_ARGUMENTS: &[&str] = &[
    "source",
    "version",
    "count",
    "for_each",
    "providers",
    "depends_on",
];

fn module_call(block: &Block, file: FileId, scope: &ModuleScope<'_>) -> Option<ModuleCall> {
    let name = block.labels.first()?.as_str().to_string();
    let source =
        block
            .body
            .get_attribute("source")
            .and_then(|a| match eval::evaluate(&a.value, scope) {
                eval::TfValue::String(text) => Some(text),
                _ => None,
            });
    let span = span_of(
        block.labels.first().and_then(|l| l.span()),
        file,
        block.span(),
    );
    let inputs = block
        .body
        .attributes()
        .filter(|a| !MODULE_META_ARGUMENTS.contains(&a.key.as_str()))
        .map(|attribute| {
            let given = GivenValue {
                value: crate::terraform::expr::Evaluate::evaluate(scope, &attribute.value),
                span: Some(span_of(attribute.value.span(), file, attribute.span())),
                source: format!("module call `module.{name}`"),
            };
            (attribute.key.as_str().to_string(), given)
        })
        .collect();
    Some(ModuleCall {
        name,
        source,
        span,
        inputs,
    })
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
        plain_string: true,
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
