//! Terraform configuration: `hcl-edit` syntax with spans, mapped onto the ARM-shaped model.

mod duplicate_keys;
pub mod eval;
pub(crate) mod expr;
mod fileset;
mod frontend;
pub mod json_syntax;
mod mapping;
mod module;
mod multiline_for;
mod origin;
mod plan;
mod project;
mod repair;
mod types;

use std::sync::Arc;

use hcl_edit::Span as _;
use hcl_edit::expr::Expression;
use hcl_edit::structure::{Block, Body};

use crate::model::{self, Input, Output, Resource, Unit, directives};
use crate::source::{FileId, Span};

pub use crate::source::normalize;
pub use frontend::{
    DirectoryOutput, ModuleCalls, VarValue, outside_values, read_directory, starts_with_module_call,
};
pub use mapping::{REGISTRY_RESOURCE, is_known_type};
pub use module::{GivenValue, ModuleFile, SharedReads};
pub use plan::{Plan, combine as combine_plan, is_plan, read_plan};
pub use project::{
    Evaluated, InputKind, ModuleContext, OutsideValues, TerraformFile, applied_by_azd,
    applied_by_itself, command_line_value, environment_values, evaluate_directory,
    given_as_var_file, invalid_var_value, var_file_values,
};

use expr::Converter;
use module::{Binding, CalledOutputs, Expanded, InstanceScope, ModuleScope};
use std::collections::HashMap;

/// A syntax error at a byte offset of the file.
#[derive(Debug, Clone)]
pub struct SyntaxError {
    pub offset: usize,
    pub message: String,
}

pub fn parse(text: &str) -> Result<Body, SyntaxError> {
    hcl_edit::parser::parse_body(text).or_else(|error| repair::parse_mended(text, error))
}

/// What a module's `.tf` files declare, evaluated together; `given` are the variable values
/// from tfvars files, the environment and the command line.
pub fn read_module(
    files: &[ModuleFile<'_>],
    given: &HashMap<String, GivenValue>,
    called: &CalledOutputs,
    instance: &Instance,
) -> ModuleResult {
    let scope = ModuleScope::new(files, given, called, &instance.files);
    let unit = instance.unit.as_str();
    let mut result = ModuleResult {
        resources: Vec::new(),
        unit: Unit {
            id: unit.to_string(),
            ..Unit::default()
        },
        calls: Vec::new(),
        errors: Vec::new(),
        secrets: scope.secret_spans().to_vec(),
        output_values: Vec::new(),
    };
    for file in files {
        let directives = directives::from_hcl(file.body, file.text, file.file, unit);
        result.unit.directives.extend(directives);
        for block in file.body.blocks() {
            if let Some((range, message)) = scope.invalid_count(block) {
                let span = Span::new(file.file, range.start, range.end);
                result.errors.push((span, message));
            }
            match block.ident.as_str() {
                kind @ ("resource" | "data") => {
                    for expanded in scope.instances(block).each() {
                        let instance = InstanceScope::new(&scope, &expanded)
                            .reading_for_each(block, file.file);
                        let key = &expanded.key;
                        let converter = Converter {
                            file: file.file,
                            text: file.text,
                            values: Some(&instance),
                        };
                        let data = kind == "data";
                        result
                            .resources
                            .extend(mapping::map_resource(block, data, &converter, unit, key));
                    }
                }
                "output" => {
                    let converter = Converter {
                        file: file.file,
                        text: file.text,
                        values: Some(&scope),
                    };
                    let output = output(block, &converter);
                    if let Some(secret) = output.as_ref().filter(|o| o.sensitive) {
                        result
                            .secrets
                            .extend(literal_value(block).map(|_| secret.span));
                    }
                    if !instance.prefix.is_empty() {
                        let output = output_value(block, file, &scope, instance);
                        result.output_values.extend(output);
                    }
                    result.unit.outputs.extend(output);
                }
                "variable" => result.unit.inputs.extend(variable(block, file.file)),
                "module" => {
                    for expanded in scope.instances(block).each() {
                        let instance = InstanceScope::new(&scope, &expanded)
                            .reading_for_each(block, file.file);
                        result
                            .calls
                            .extend(module_call(block, file, &instance, &expanded));
                    }
                }
                _ => {}
            }
        }
    }
    for resource in &mut result.resources {
        if !instance.prefix.is_empty() {
            resource.address = format!("{}{}", instance.prefix, resource.address);
            resource.variant = Some(match resource.variant.take() {
                Some(own) => format!("{}{own}", instance.prefix),
                None => instance.prefix.trim_end_matches('.').to_string(),
            });
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
        if let Some(model::RegistryRef::ModuleOutput { module, .. }) = &mut resource.link
            && !instance.prefix.is_empty()
        {
            *module = format!("{}{module}", instance.prefix);
        }
    }
    let call_links = result
        .calls
        .iter_mut()
        .flat_map(|call| call.links.iter_mut().map(|(_, link)| link));
    let output_links = result
        .unit
        .outputs
        .iter_mut()
        .filter_map(|output| output.reference.as_mut());
    for link in call_links.chain(output_links) {
        match link {
            model::RegistryRef::Address(target)
            | model::RegistryRef::ModuleOutput { module: target, .. }
                if !instance.prefix.is_empty() =>
            {
                *target = format!("{}{target}", instance.prefix);
            }
            _ => {}
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
    /// Where the module's `file()` calls read.
    pub files: module::FileAccess,
}

/// What evaluating one module instance produced.
pub struct ModuleResult {
    pub resources: Vec<Resource>,
    pub unit: Unit,
    pub calls: Vec<ModuleCall>,
    /// Values Terraform would refuse (a negative `count`), where they are written.
    pub errors: Vec<(Span, String)>,
    /// Where sensitive values are written: sensitive variables' values and outputs.
    pub secrets: Vec<Span>,
    /// The value of each output of a called module, with where it was written, for the
    /// caller's `module.NAME.OUTPUT`.
    pub output_values: Vec<(String, GivenValue)>,
}

/// A `module` block: its source and the values it passes, evaluated in the caller.
#[derive(Debug, Clone)]
pub struct ModuleCall {
    pub name: String,
    /// The instance key when the call has `count` or `for_each` (`[0]`, `["dev"]`), else empty.
    pub key: String,
    /// What `count.index` or `each` are for this instance, when known.
    pub binding: Option<Binding>,
    /// Why the call's instances are not known (its `count` or `for_each` is not), when not.
    pub unknown_instances: Option<String>,
    pub source: Option<String>,
    pub span: Span,
    pub inputs: HashMap<String, GivenValue>,
    /// The registries inputs refer to (`registry_id = azurerm_container_registry.acr.id`).
    pub links: Vec<(String, model::RegistryRef)>,
}

const MODULE_META_ARGUMENTS: &[&str] = &[
    "source",
    "version",
    "count",
    "for_each",
    "providers",
    "depends_on",
];

fn module_call(
    block: &Block,
    file: &ModuleFile<'_>,
    scope: &InstanceScope<'_, '_>,
    expanded: &Expanded,
) -> Option<ModuleCall> {
    let key = expanded.key.as_str();
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
        file.file,
        block.span(),
    );
    let converter = Converter {
        file: file.file,
        text: file.text,
        values: Some(scope),
    };
    let call = format!("module call `module.{name}{key}`");
    let mut inputs = HashMap::new();
    let mut links = Vec::new();
    let arguments = block.body.attributes();
    for attribute in arguments.filter(|a| !MODULE_META_ARGUMENTS.contains(&a.key.as_str())) {
        let input = attribute.key.as_str().to_string();
        if let Some(link) = mapping::registry_reference(&attribute.value, &converter) {
            links.push((input.clone(), link));
        }
        inputs.insert(input, call_input(attribute, &call, file.file, scope));
    }
    Some(ModuleCall {
        name,
        key: key.to_string(),
        binding: expanded.binding.clone(),
        unknown_instances: expanded.unknown.clone(),
        source,
        span,
        inputs,
        links,
    })
}

/// The value a module call gives an input, with where it was set.
fn call_input(
    attribute: &hcl_edit::structure::Attribute,
    call: &str,
    file: FileId,
    scope: &dyn expr::Evaluate,
) -> GivenValue {
    let value = scope.evaluate(&attribute.value);
    // A variable or local passed on keeps pointing at where its value was written.
    let origin = Some(&attribute.value)
        .filter(|_| value.unknown_reason().is_none())
        .and_then(|expr| scope.origin(expr, file));
    match origin {
        Some(origin) => {
            // The part given on whole, without a copy, where it is the whole.
            let written = match (origin.given, origin.written) {
                (Some(given), _) if std::ptr::eq(given.part, &**given.whole) => {
                    Some(Arc::clone(given.whole))
                }
                (Some(given), _) => Some(Arc::new(given.part.clone())),
                (None, Some(written)) => Some(Arc::new(origin::as_evaluated(written, Some(scope)))),
                (None, None) => origin.read,
            };
            GivenValue {
                value,
                span: Some(origin.span),
                source: format!("{call}, from {}", origin.description),
                written,
            }
        }
        None => {
            let argument = origin::Written {
                file,
                expr: &attribute.value,
            };
            let written = origin::is_written_out(&attribute.value)
                .then(|| Arc::new(origin::as_evaluated(argument, Some(scope))));
            GivenValue {
                value,
                span: Some(span_of(attribute.value.span(), file, attribute.span())),
                source: call.to_string(),
                written,
            }
        }
    }
}

fn output(block: &Block, converter: &Converter<'_>) -> Option<Output> {
    let name = block.labels.first()?.as_str().to_string();
    let value = block.body.get_attribute("value")?;
    let span = span_of(value.value.span(), converter.file, value.span());
    Some(Output {
        name,
        expression: converter
            .text
            .get(span.start..span.end)
            .unwrap_or("")
            .to_string(),
        span,
        sensitive: is_true(block.body.get_attribute("sensitive").map(|a| &a.value)),
        reference: mapping::registry_reference(&value.value, converter),
    })
}

/// A called module's output: its name, and its value with where it was written. A sensitive
/// output's value is not read.
fn output_value(
    block: &Block,
    file: &ModuleFile<'_>,
    scope: &ModuleScope<'_>,
    instance: &Instance,
) -> Option<(String, GivenValue)> {
    let name = block.labels.first()?.as_str().to_string();
    let attribute = block.body.get_attribute("value")?;
    let module = instance.prefix.trim_end_matches('.');
    if is_true(block.body.get_attribute("sensitive").map(|a| &a.value)) {
        let reason = format!("output `{name}` of `{module}` is sensitive: its value is not read");
        let value = GivenValue {
            value: eval::TfValue::Unknown(reason),
            span: None,
            source: String::new(),
            written: None,
        };
        return Some((name, value));
    }
    let what = format!("output `{name}` of `{module}`");
    Some((name, call_input(attribute, &what, file.file, scope)))
}

/// The value of an output written as a literal (no reference to anything).
fn literal_value(block: &Block) -> Option<()> {
    let value = block.body.get_attribute("value")?;
    eval::evaluate(&value.value, &module::Empty)
        .is_wholly_known()
        .then_some(())
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

/// A finding of one resource instance (`variant` is the instance's address, such as
/// `azurerm_container_registry.acr[0]`) as it reads for the resource itself: its message and
/// resource without the instance key. `None` when `variant` is not an instance of `resource`.
pub fn instance_generic(variant: &str, resource: &str, message: &str) -> Option<(String, String)> {
    let (base, _) = model::graph::split_instance_key(variant)?;
    let rest = resource.strip_prefix(variant)?;
    if !(rest.is_empty() || rest.starts_with('.')) {
        return None;
    }
    Some((message.replace(variant, base), format!("{base}{rest}")))
}

/// The note naming the instances a merged finding was found in: `in instances acr[0], acr[1]`.
pub fn instances_note(variants: &[String]) -> String {
    let mut names: Vec<String> = Vec::new();
    for variant in variants {
        let (base, key) = model::graph::split_instance_key(variant).unwrap_or((variant, ""));
        let short = match base.rsplit_once('.') {
            Some((head, name)) if head == "module" || head.ends_with(".module") => {
                format!("module.{name}")
            }
            Some((_, name)) => name.to_string(),
            None => base.to_string(),
        };
        let name = format!("{short}{key}");
        if !names.contains(&name) {
            names.push(name);
        }
    }
    format!("in instances {}", names.join(", "))
}
