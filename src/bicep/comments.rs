//! Inline suppressions in Bicep files: `// acr-lint:ignore ACR001 reason="..."` on the line
//! above a resource, module, declaration or property, with the same rules as in Terraform.

use super::symbols;
use super::syntax::{DeclKind, Declaration, Expr, ExprKind, ObjectItem, ParsedFile};
use crate::model::directives::{self, Directive};
use crate::model::suppression::Covers;
use crate::source::{FileId, Span};

/// The unit a file is evaluated in, and the address prefix of its resources there.
struct Unit<'u> {
    name: &'u str,
    prefix: &'u str,
}

/// How deep object literals are followed for properties a suppression may stand above.
const MAX_OBJECT_DEPTH: usize = 64;

/// The suppression directives written in a Bicep file. A suppression above a resource or module of the
/// file evaluated as `unit` covers it by address (every instance of a loop; `prefix` is the
/// module call the file is read through, `mod/`); any other covers its span.
pub fn directives(
    file: FileId,
    text: &str,
    parsed: &ParsedFile,
    unit: &str,
    prefix: &str,
) -> Vec<Directive> {
    if !directives::has_comment_directives(text) {
        return Vec::new();
    }
    let mut structures = Vec::new();
    let unit = Unit { name: unit, prefix };
    for declaration in parsed.declarations() {
        collect(declaration, None, file, &unit, &mut structures);
    }
    directives::from_bicep(text, file, &structures)
}

fn collect(
    declaration: &Declaration,
    parent: Option<&str>,
    file: FileId,
    unit: &Unit<'_>,
    out: &mut Vec<(Span, Covers)>,
) {
    let span = declaration.span.in_file(file);
    let (address, value) = match &declaration.kind {
        DeclKind::Resource(resource) => {
            let address = match parent {
                Some(parent) => format!("{parent}::{}", resource.name.name),
                None => resource.name.name.clone(),
            };
            (Some(address), Some(&resource.value))
        }
        DeclKind::Module(module) => (Some(module.name.name.clone()), Some(&module.value)),
        DeclKind::Param(param) => (None, param.default.as_ref()),
        DeclKind::ParamAssignment(param) => (None, Some(&param.value)),
        DeclKind::Var(var) => (None, Some(&var.value)),
        DeclKind::Output(output) => (None, Some(&output.value)),
        _ => (None, None),
    };
    let covers = match &address {
        Some(address) => Covers::Resource {
            unit: unit.name.to_string(),
            address: format!("{}{address}", unit.prefix),
            span,
        },
        None => Covers::Span(span),
    };
    out.push((span, covers));
    if let Some(value) = value {
        let body = symbols::body_object(value).unwrap_or(value);
        properties(body, address.as_deref(), file, unit, out, 0);
    }
}

/// The properties of an object literal, at any depth, and nested resources.
fn properties(
    expr: &Expr,
    resource: Option<&str>,
    file: FileId,
    unit: &Unit<'_>,
    out: &mut Vec<(Span, Covers)>,
    depth: usize,
) {
    if depth > MAX_OBJECT_DEPTH {
        return;
    }
    match &expr.kind {
        ExprKind::Object(items) => {
            for item in items {
                match item {
                    ObjectItem::Property(property) => {
                        out.push((
                            property.span.in_file(file),
                            Covers::Span(property.span.in_file(file)),
                        ));
                        properties(&property.value, resource, file, unit, out, depth + 1);
                    }
                    ObjectItem::Resource(nested) => collect(nested, resource, file, unit, out),
                    ObjectItem::Spread { .. } => {}
                }
            }
        }
        ExprKind::Array(items) => {
            for item in items {
                if let super::syntax::ArrayItem::Value(value) = item {
                    properties(value, resource, file, unit, out, depth + 1);
                }
            }
        }
        ExprKind::For(looped) => properties(&looped.body, resource, file, unit, out, depth + 1),
        ExprKind::If(conditional) => {
            properties(&conditional.body, resource, file, unit, out, depth + 1)
        }
        _ => {}
    }
}
