//! Terraform configuration: `hcl-edit` syntax with spans, mapped onto the ARM-shaped model.

mod expr;
mod mapping;

use hcl_edit::Span as _;
use hcl_edit::structure::{Block, Body};

use crate::model::Resource;
use crate::source::{FileId, Span};

pub use mapping::{REGISTRY_RESOURCE, map_registry};

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

/// The registries a file declares (`resource`) or refers to (`data`).
pub fn resources(body: &Body, file: FileId, text: &str) -> Vec<Resource> {
    body.blocks()
        .filter_map(|block| registry_block(block, file, text))
        .collect()
}

fn registry_block(block: &Block, file: FileId, text: &str) -> Option<Resource> {
    let kind = block.ident.as_str();
    if kind != "resource" && kind != "data" {
        return None;
    }
    let [type_label, name_label] = block.labels.as_slice() else {
        return None;
    };
    if type_label.as_str() != REGISTRY_RESOURCE {
        return None;
    }
    let decl = span_of(type_label.span(), file, block.span());
    let prefix = if kind == "data" { "data." } else { "" };
    let address = format!("{prefix}{REGISTRY_RESOURCE}.{}", name_label.as_str());
    Some(map_registry(
        block,
        address,
        decl,
        kind == "data",
        file,
        text,
    ))
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
