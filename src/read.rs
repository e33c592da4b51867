//! The read stage: each discovered file read as text and parsed into the document its front end
//! takes, or an input error.

use std::path::Path;

use crate::discover::Candidate;
use crate::model::{Node, json};
use crate::source::{self, FileId, SourceFile, Span};
use crate::{arm, bicep, terraform};

pub use crate::model::json::MAX_FILE_VALUES;

/// Terraform files with more words than this are refused (about 12 MB of ordinary HCL).
pub const MAX_HCL_WORDS: usize = 2_000_000;

/// A parsed file, by the front end that takes it.
pub enum Document {
    Terraform(terraform::TerraformFile),
    ArmTemplate(Node),
    ArmParameters(Node),
    TerraformPlan(Node),
    Bicep(bicep::BicepFile),
}

/// One file as read.
pub struct ReadFile {
    pub source: SourceFile,
    pub document: Option<Document>,
    pub error: Option<(Option<Span>, String)>,
    /// Whether the file is an input of some front end (counted as scanned).
    pub scanned: bool,
    /// For Terraform JSON syntax, where the offsets of the native text it was read as lie in
    /// the file.
    pub json_offsets: Option<terraform::json_syntax::OffsetMap>,
}

/// Reads and parses one file; `overlay` is text to read instead of the file on disk.
pub fn read(
    id: FileId,
    path: &Path,
    candidate: Candidate,
    overlay: Option<&str>,
    base: &Path,
) -> ReadFile {
    let name = source::display_name(path, base);
    let text = match overlay.map_or_else(|| source::read_text(path), |text| Ok(text.to_string())) {
        Ok(text) => text,
        Err(failure) => {
            let readable = failure.text.is_some();
            let source =
                SourceFile::new(path.to_path_buf(), name, failure.text.unwrap_or_default());
            // The text read is what comes before the offending byte.
            let end = source.text.len();
            let span = readable.then(|| Span::new(id, end, end));
            return ReadFile {
                source,
                document: None,
                error: Some((span, failure.message)),
                scanned: false,
                json_offsets: None,
            };
        }
    };
    let mut result = ReadFile {
        source: SourceFile::new(path.to_path_buf(), name, text),
        document: None,
        error: None,
        scanned: true,
        json_offsets: None,
    };
    let text = result.source.text.as_str();
    if let Some(message) = too_many_values(text, candidate, path) {
        result.error = Some((None, message));
        result.source.text = String::new();
        result.scanned = false;
        return result;
    }
    match candidate {
        Candidate::Terraform | Candidate::TfVars => match terraform::parse(text) {
            Ok(body) => {
                let kind = if candidate == Candidate::Terraform {
                    terraform::InputKind::Config
                } else {
                    terraform::InputKind::Vars
                };
                let file = terraform::TerraformFile::hcl(id, path, kind, body);
                result.document = Some(Document::Terraform(file));
            }
            Err(e) => result.error = Some((Some(Span::new(id, e.offset, e.offset)), e.message)),
        },
        Candidate::TfVarsJson => match json::parse(text, id) {
            Ok(node) => {
                result.document = node
                    .map(|n| Document::Terraform(terraform::TerraformFile::json_vars(id, path, n)))
            }
            Err(e) => result.error = Some((Some(Span::new(id, e.start, e.end)), e.message)),
        },
        Candidate::TerraformJson => read_terraform_json(id, path, &mut result),
        Candidate::Json => read_json(id, &mut result, base),
        Candidate::Bicep | Candidate::BicepParams => {
            let file = bicep::parse(text, candidate == Candidate::BicepParams);
            if let Some(error) = file.parsed.errors.first() {
                result.error = Some((Some(error.span.in_file(id)), error.message.clone()));
            }
            result.document = Some(Document::Bicep(file));
        }
    }
    if !result.scanned {
        result.source.text = String::new();
    }
    result
}

/// A Terraform file in JSON syntax, read as the native syntax it stands for.
fn read_terraform_json(id: FileId, path: &Path, result: &mut ReadFile) {
    let (native, offsets) = match terraform::json_syntax::to_native(&result.source.text) {
        Ok(rewritten) => rewritten,
        Err((offset, message)) => {
            result.error = Some((Some(Span::new(id, offset, offset)), message));
            return;
        }
    };
    match terraform::parse(&native) {
        Ok(body) => {
            let file = terraform::TerraformFile::json_syntax(id, path, body, native);
            result.document = Some(Document::Terraform(file));
        }
        Err(e) => {
            let at = offsets.json_offset(e.offset);
            let message = format!("not read as Terraform: {}", e.message);
            result.error = Some((Some(Span::new(id, at, at)), message));
        }
    }
    result.json_offsets = Some(offsets);
}

/// A JSON file: an ARM template or parameters file, a Terraform plan, or none of these.
fn read_json(id: FileId, result: &mut ReadFile, base: &Path) {
    let text = result.source.text.as_str();
    if !arm::may_be_arm(text) && !arm::named_as_parameters(&result.source.path) {
        result.scanned = false;
        return;
    }
    let root = match json::parse(text, id) {
        Ok(Some(root)) => root,
        Ok(None) => {
            result.scanned = false;
            return;
        }
        Err(e) => {
            let span = Span::new(id, e.start, e.end);
            result.error = Some((Some(span), format!("invalid JSON: {}", e.message)));
            return;
        }
    };
    if terraform::is_plan(&root) {
        result.document = Some(Document::TerraformPlan(root));
        return;
    }
    match arm::classify_file(&root, &result.source.path) {
        arm::JsonKind::Template => result.document = Some(Document::ArmTemplate(root)),
        arm::JsonKind::Parameters => {
            let path = &result.source.path;
            let link = arm::template_link(&root).filter(|_| arm::named_as_parameters(path));
            result.error = match link {
                Some((link, span)) => arm::linked_template(path, link, base)
                    .err()
                    .map(|why| (Some(span), why)),
                None => arm::missing_template(path).map(|why| (None, why)),
            };
            result.document = Some(Document::ArmParameters(root));
        }
        arm::JsonKind::Other => result.scanned = false,
    }
}

/// Refuses a file that would be parsed and holds more than [`MAX_FILE_VALUES`] values, counted
/// (generously: strings and comments are not skipped) by the bytes that open or separate them:
/// `,` `[` `{` `=` `:`. HCL files are also refused above [`MAX_HCL_WORDS`] whitespace-separated
/// words, which bounds what separators miss: unquoted block labels (`a b c {}`).
fn too_many_values(text: &str, candidate: Candidate, path: &Path) -> Option<String> {
    if candidate == Candidate::Json && !arm::may_be_arm(text) && !arm::named_as_parameters(path) {
        return None;
    }
    let bytes = text.as_bytes();
    // Each value takes a byte and each word two (the last one): shorter files need no count.
    if bytes.len() <= MAX_FILE_VALUES.min(MAX_HCL_WORDS) {
        return None;
    }
    if let Some(message) = json::too_many_values(bytes) {
        return Some(message);
    }
    let hcl = matches!(candidate, Candidate::Terraform | Candidate::TfVars);
    (hcl && word_count(bytes) > MAX_HCL_WORDS).then(|| {
        format!(
            "file holds more than {MAX_HCL_WORDS} words (separated by whitespace); \
             files that large are not read"
        )
    })
}

fn word_count(bytes: &[u8]) -> usize {
    let starts = bytes
        .windows(2)
        .filter(
            |pair| matches!(pair, [a, b] if a.is_ascii_whitespace() && !b.is_ascii_whitespace()),
        )
        .count();
    starts + usize::from(bytes.first().is_some_and(|b| !b.is_ascii_whitespace()))
}
