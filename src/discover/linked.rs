//! Templates that parameters files name in `metadata.template` (see [`crate::arm::linked_template`]):
//! each is read with the parameters files that name it, as a pair given explicitly is, and read
//! as context when it is not among the files scanned.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use super::{Candidate, IgnoreFiles, OpenText};
use crate::{arm, bicep, model::json, source};

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

/// How many entries below the top of a repository are looked at, at most, for parameters files
/// that name a given template.
const MAX_SEARCHED: usize = 20_000;

/// The parameters files that name one of the given `templates` (in `metadata.template`, or a
/// `.bicepparam` file's `using`), found below the top of each template's repository (outside
/// one, the working directory `base`), each with its template (`(template, parameters file)`),
/// written as the template is: a template given alone is read with them as context, as a scan
/// of the repository reads it.
pub fn naming_parameters(
    templates: &[PathBuf],
    open: &OpenText<'_>,
    base: &Path,
    ignore_files: IgnoreFiles,
) -> Vec<(PathBuf, PathBuf)> {
    let mut by_top: BTreeMap<PathBuf, Vec<(PathBuf, PathBuf)>> = BTreeMap::new();
    for template in templates {
        let absolute = source::normalize(&base.join(template));
        let top = source::repository_top(&absolute).unwrap_or_else(|| base.to_path_buf());
        // Files below `top` name no template outside it: none is looked for there.
        if !absolute.starts_with(&top) {
            continue;
        }
        by_top
            .entry(top)
            .or_default()
            .push((absolute, template.clone()));
    }
    let mut found = Vec::new();
    for (top, templates) in by_top {
        for parameters in listed_below(&top, ignore_files).iter() {
            let Some(text) = super::text_of(parameters, open) else {
                continue;
            };
            let names_one = templates.iter().any(|(absolute, _)| {
                absolute
                    .file_name()
                    .is_some_and(|name| text.contains(&*name.to_string_lossy()))
            });
            if !names_one {
                continue;
            }
            let Some(linked) = named_template(parameters, &text, open, base) else {
                continue;
            };
            for (_, template) in templates.iter().filter(|(absolute, _)| *absolute == linked) {
                let written = match template.is_absolute() {
                    true => parameters.clone(),
                    false => source::relative_to(parameters, base),
                };
                found.push((template.clone(), written));
            }
        }
    }
    found
}

/// The template a parameters file names (normalized): a `.bicepparam` file's `using`, a JSON
/// one's `metadata.template`.
fn named_template(
    parameters: &Path,
    text: &str,
    open: &OpenText<'_>,
    base: &Path,
) -> Option<PathBuf> {
    if Candidate::of(parameters) == Some(Candidate::BicepParams) {
        return bicep::using_target(&base.join(parameters), text);
    }
    if !arm::may_link(text) {
        return None;
    }
    let linked = linked_template(parameters, open, base)?;
    Some(source::normalize(&base.join(linked)))
}

/// The listings of parameters files this process made, by the top they were made below: a
/// language server checks a template on every change without walking the repository again
/// ([`forget_listings`] drops them when files change).
static LISTINGS: Mutex<BTreeMap<ListedBelow, Arc<[PathBuf]>>> = Mutex::new(BTreeMap::new());

/// A listing's top directory, and whether it left out what ignore files name.
type ListedBelow = (PathBuf, IgnoreFiles);

/// [`parameters_files_below`] `top`, made once per process until [`forget_listings`].
fn listed_below(top: &Path, ignore_files: IgnoreFiles) -> Arc<[PathBuf]> {
    let key = (top.to_path_buf(), ignore_files);
    let remembered = LISTINGS.lock().ok().and_then(|l| l.get(&key).cloned());
    remembered.unwrap_or_else(|| {
        let listed: Arc<[PathBuf]> = parameters_files_below(top, ignore_files).into();
        if let Ok(mut listings) = LISTINGS.lock() {
            listings.insert(key, Arc::clone(&listed));
        }
        listed
    })
}

/// Drops the listings of parameters files made so far: files were added or removed.
pub fn forget_listings() {
    if let Ok(mut listings) = LISTINGS.lock() {
        listings.clear();
    }
}

/// The JSON files named as parameters files and the `.bicepparam` files below `top` (absolute),
/// hidden directories included, ignored ones as `ignore_files` says; at most [`MAX_SEARCHED`]
/// entries are looked at.
fn parameters_files_below(top: &Path, ignore_files: IgnoreFiles) -> Vec<PathBuf> {
    let walked = super::walker(top, ignore_files)
        .filter_entry(|entry| !super::named_as_tool_state(entry))
        .build();
    walked
        .take(MAX_SEARCHED)
        .flatten()
        .filter(|entry| entry.file_type().is_some_and(|t| t.is_file()))
        .map(ignore::DirEntry::into_path)
        .filter(|path| match Candidate::of(path) {
            Some(Candidate::Json) => source::named_as_parameters(path),
            Some(Candidate::BicepParams) => true,
            _ => false,
        })
        .collect()
}
