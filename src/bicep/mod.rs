//! Bicep source: `.bicep` templates and `.bicepparam` parameters files, lowered to the ARM
//! templates the Bicep compiler would emit and read by the ARM template reader, so that Bicep
//! has exactly ARM semantics while every value points at the Bicep text that wrote it.

mod comments;
mod expr;
mod frontend;
mod imports;
mod json_path;
mod load;
mod lower;
mod params;
pub mod siblings;
mod symbols;
pub mod syntax;

pub use frontend::{
    BicepDocument, BicepOutput, compiled_from, is_compiled, pairs_with, read_directory, read_file,
    read_text, source_of_compiled, template_stem, using_target,
};
pub use load::{Context, MAX_DATA_BYTES, MAX_LOADED_BYTES};

/// A parsed Bicep file, as the read stage hands it to the front end.
pub struct BicepFile {
    pub parsed: syntax::ParsedFile,
    /// A `.bicepparam` parameters file rather than a `.bicep` template.
    pub parameters: bool,
}

/// The suppression directives of a parsed Bicep file read on its own (file id 0, no module
/// prefix).
pub fn directives(
    text: &str,
    parsed: &syntax::ParsedFile,
) -> Vec<crate::model::directives::Directive> {
    comments::directives(0, text, parsed, "", "")
}

/// Parses a `.bicep` file, or a `.bicepparam` file when `parameters`.
pub fn parse(text: &str, parameters: bool) -> BicepFile {
    let parsed = if parameters {
        syntax::parse_params(text)
    } else {
        syntax::parse(text)
    };
    BicepFile { parsed, parameters }
}
