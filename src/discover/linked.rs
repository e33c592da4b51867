//! Templates that parameters files name in `metadata.template` (see [`crate::arm::linked_template`]):
//! each is read with the parameters files that name it, as a pair given explicitly is, and read
//! as context when it is not among the files scanned.

use std::path::{Path, PathBuf};

use super::{Candidate, OpenText};
use crate::{arm, model::json, source};

/// The templates the parameters files among `files` name, each with one of them
/// (`(template, parameters file)`), in the order of `files`; links that name no template are
/// reported where the parameters file is read.
pub fn linked_templates(
    files: &[(PathBuf, Candidate)],
    open: &OpenText<'_>,
    base: &Path,
) -> Vec<(PathBuf, PathBuf)> {
    files
        .iter()
        .filter(|(path, candidate)| {
            *candidate == Candidate::Json && source::named_as_parameters(path)
        })
        .filter_map(|(path, _)| Some((linked_template(path, open, base)?, path.clone())))
        .collect()
}

fn linked_template(parameters: &Path, open: &OpenText<'_>, base: &Path) -> Option<PathBuf> {
    let text = super::text_of(parameters, open)?;
    if !arm::may_link(&text) {
        return None;
    }
    let root = json::parse(&text, 0).ok().flatten()?;
    let (link, _) = arm::template_link(&root)?;
    arm::linked_template(parameters, link, base).ok()
}
