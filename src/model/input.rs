//! What a front end hands to the rest of the pipeline: the seam every input format plugs into.

use super::{Node, Resource, Unit};
use std::path::Path;

use crate::source::{self, FileId, SourceFile, Span};

/// A parsed JSON file handed to the front end that reads it.
#[derive(Clone, Copy)]
pub struct JsonDocument<'a> {
    pub source: &'a SourceFile,
    pub root: &'a Node,
}

/// An input that could not be read or parsed.
#[derive(Debug, Clone)]
pub struct InputError {
    pub path: String,
    /// Where in the file, when the file could be read.
    pub span: Option<Span>,
    pub message: String,
    /// Whether showing the source around `span` helps (a syntax error, not a binary file).
    pub show_source: bool,
}

/// What a front end made of the files given to it: resources and units for the model (inline
/// suppressions travel in their unit), files it read besides those (which take the file ids
/// it was given), inputs it could not read and what it could not follow.
#[derive(Debug, Default)]
pub struct FrontEndOutput {
    pub resources: Vec<Resource>,
    pub units: Vec<Unit>,
    pub sources: Vec<SourceFile>,
    pub errors: Vec<InputError>,
    pub notices: Vec<String>,
    /// What could not be followed and leaves results undecided (a registry module missing from
    /// the Bicep restore cache): shown with `--show-unknown`.
    pub undecided_notices: Vec<String>,
    /// Where values the inputs mark secret are written (`securestring` parameter values,
    /// sensitive variables): never shown in a report.
    pub secrets: Vec<Span>,
    /// The parameters files templates were read with (by the file of their `parameters`).
    pub parameters_read: Vec<FileId>,
}

impl FrontEndOutput {
    /// Adds another front end's output after this one's.
    pub fn extend(&mut self, other: FrontEndOutput) {
        append(&mut self.resources, other.resources);
        append(&mut self.units, other.units);
        append(&mut self.sources, other.sources);
        append(&mut self.errors, other.errors);
        append(&mut self.notices, other.notices);
        append(&mut self.undecided_notices, other.undecided_notices);
        append(&mut self.secrets, other.secrets);
        append(&mut self.parameters_read, other.parameters_read);
    }
}

/// Adds `items` after what `list` holds; a list with no room yet takes them as they are
/// instead of copying them into room made for them.
pub fn append<T>(list: &mut Vec<T>, items: Vec<T>) {
    if list.capacity() == 0 {
        *list = items;
    } else {
        list.extend(items);
    }
}

/// A file's text, or empty text and an input error (named `name`) when it cannot be read.
pub fn read_or_report(path: &Path, name: &str, errors: &mut Vec<InputError>) -> String {
    source::read_text(path).unwrap_or_else(|failure| {
        errors.push(InputError {
            path: name.to_string(),
            span: None,
            message: failure.message,
            show_source: false,
        });
        String::new()
    })
}
