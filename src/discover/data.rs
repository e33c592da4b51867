//! YAML and JSON files given by name: the data a Terraform configuration reads with
//! `yamldecode(file(...))` and `jsondecode(file(...))`. Such a file is checked with the Terraform configurations of its
//! directory and the directories above it, read as context, so that a change to it alone (as
//! pre-commit gives it) reports what a scan of the repository reports in it.

use std::path::{Component, Path, PathBuf};

use super::{Candidate, Family, IgnoreFiles};
use crate::source;

/// How many directories above a data file are looked in, at most.
const MAX_LEVELS: usize = 32;
/// How many entries of the repository are looked at, at most, for Terraform files that name a
/// data file none of the directories above it names.
const MAX_SEARCHED: usize = 20_000;

/// Whether a file given by name is a YAML file a Terraform configuration may read as data;
/// acr-lint's own configuration file is not.
pub fn is_data_file(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    let name = name.to_ascii_lowercase();
    (name.ends_with(".yaml") || name.ends_with(".yml"))
        && name != crate::config::FILE_NAME
        && name != ".acr-lint.yml"
}

/// Whether a file given by name is JSON that is no ARM template, parameters file or Terraform
/// plan by its name or text: data a Terraform configuration may read with
/// `jsondecode(file(...))`.
pub fn is_json_data(path: &Path, open: &super::OpenText<'_>) -> bool {
    Candidate::of(path) == Some(Candidate::Json)
        && !crate::arm::named_as_parameters(path)
        && path.is_file()
        && super::text_of(path, open).is_some_and(|text| !crate::arm::may_be_arm(&text))
}

/// The Terraform configurations around the given data files, to read as context: their files
/// (`.tf`, `.tf.json`, `.tfvars`, `.tfvars.json`), and those directories, canonical, for
/// `file()` to read in as a scan of them would.
pub fn terraform_around(
    data_files: &[PathBuf],
    ignore_files: IgnoreFiles,
) -> (Vec<(PathBuf, Candidate)>, Vec<PathBuf>) {
    // Each directory's Terraform files, listed once however many data files look there.
    let mut terraform: std::collections::BTreeMap<PathBuf, Vec<(PathBuf, Candidate)>> =
        Default::default();
    for file in data_files {
        let name = file.file_name().map(|n| n.to_string_lossy().into_owned());
        let name = name.unwrap_or_default();
        let around = directories_around(file);
        for directory in &around {
            terraform
                .entry(directory.clone())
                .or_insert_with(|| terraform_of(directory, ignore_files));
        }
        let named_around = around
            .iter()
            .filter_map(|directory| terraform.get(directory))
            .any(|files| names(files, &name));
        if let Some(top) = around.last().filter(|top| !named_around && is_a_top(top)) {
            for directory in naming_below(top, &name, ignore_files) {
                terraform
                    .entry(directory.clone())
                    .or_insert_with(|| terraform_of(&directory, ignore_files));
            }
        }
    }
    let mut files = Vec::new();
    let mut roots = Vec::new();
    for (directory, found) in terraform.into_iter().filter(|(_, found)| !found.is_empty()) {
        files.extend(found);
        roots.extend(source::normalize_for_access(&directory).canonicalize().ok());
    }
    (files, roots)
}

/// The Terraform files (`.tf`, `.tf.json`, `.tfvars`, `.tfvars.json`) of `directory` (the
/// empty path: the working directory).
fn terraform_of(directory: &Path, ignore_files: IgnoreFiles) -> Vec<(PathBuf, Candidate)> {
    let listed = (!directory.as_os_str().is_empty()).then_some(directory);
    super::readable_siblings(listed, ignore_files, &|_, candidate| {
        candidate.family() == Family::Terraform
    })
}

/// The directories a data file's Terraform configuration may be in: its own and those above it,
/// up to the working directory, or the top of its repository (the directory holding `.git`)
/// when that comes first. A file outside the working directory (named by an absolute path or one
/// leading up) looks up to the top of its repository, and in its own directory alone when it is
/// in none. The working directory is the empty path.
fn directories_around(file: &Path) -> Vec<PathBuf> {
    let Some(own) = file.parent() else {
        return Vec::new();
    };
    let inside_working_directory = own
        .components()
        .all(|c| matches!(c, Component::Normal(_) | Component::CurDir));
    if inside_working_directory {
        return up_to_the_top(own, true);
    }
    match own.canonicalize() {
        Ok(canonical) => up_to_the_top(&canonical, false),
        Err(_) => vec![own.to_path_buf()],
    }
}

/// Whether the directory a search for a data file's readers stops at is one to search below: the
/// working directory or the top of a repository.
fn is_a_top(directory: &Path) -> bool {
    directory.as_os_str().is_empty() || holds_repository(directory)
}

/// Whether one of the Terraform `files` holds `name` (a data file's name).
fn names(files: &[(PathBuf, Candidate)], name: &str) -> bool {
    files
        .iter()
        .any(|(path, _)| source::read_text(path).is_ok_and(|text| text.contains(name)))
}

/// The directories below `top` (searched as the walk of a scan would, at most [`MAX_SEARCHED`]
/// entries) with a Terraform file that holds `name`: a root module that reads the data file
/// from a directory beside it (`file("../config/registry.yaml")`).
fn naming_below(top: &Path, name: &str, ignore_files: IgnoreFiles) -> Vec<PathBuf> {
    let mut found = Vec::new();
    if name.is_empty() {
        return found;
    }
    let walked = super::walker(&source::normalize_for_access(top), ignore_files)
        .max_depth(Some(MAX_LEVELS))
        .filter_entry(|entry| !super::named_as_tool_state(entry))
        .build();
    for entry in walked.take(MAX_SEARCHED).flatten() {
        let path = entry.path();
        let is_terraform = matches!(
            Candidate::of(path),
            Some(Candidate::Terraform | Candidate::TerraformJson)
        );
        let names = || source::read_text(path).is_ok_and(|text| text.contains(name));
        if entry.file_type().is_some_and(|t| t.is_file()) && is_terraform && names() {
            let directory = path.parent().map(Path::to_path_buf).unwrap_or_default();
            found.push(in_the_form_of(top, directory));
        }
    }
    found
}

/// A directory the walk of `top` found, written as `top`'s directories are: relative to the
/// working directory (without `./`) when `top` is.
fn in_the_form_of(top: &Path, directory: PathBuf) -> PathBuf {
    if top.as_os_str().is_empty() {
        return directory
            .strip_prefix(".")
            .map(Path::to_path_buf)
            .unwrap_or(directory);
    }
    directory
}

/// `directory` and those above it, to the first that holds `.git`, or to the end of the path
/// when `to_the_end`; `directory` alone when neither is reached within [`MAX_LEVELS`].
fn up_to_the_top(directory: &Path, to_the_end: bool) -> Vec<PathBuf> {
    let mut directories = Vec::new();
    for above in directory.ancestors().take(MAX_LEVELS) {
        directories.push(above.to_path_buf());
        let at_the_end = above.parent().is_none() || above.as_os_str().is_empty();
        if holds_repository(above) || (to_the_end && at_the_end) {
            return directories;
        }
    }
    directories.truncate(1);
    directories
}

fn holds_repository(directory: &Path) -> bool {
    source::normalize_for_access(directory)
        .join(".git")
        .exists()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_files_are_yaml_but_not_the_configuration() {
        assert!(is_data_file(Path::new("config/registry.yaml")));
        assert!(is_data_file(Path::new("Registry.YML")));
        assert!(!is_data_file(Path::new(".acr-lint.yaml")));
        assert!(!is_data_file(Path::new("main.tf")));
        assert!(!is_data_file(Path::new("yaml")));
    }

    #[test]
    fn directories_above_a_relative_file_end_at_the_working_directory() {
        let found = directories_around(Path::new("infra/config/registry.yaml"));
        let expected: Vec<PathBuf> = ["infra/config", "infra", ""]
            .iter()
            .map(PathBuf::from)
            .collect();
        assert_eq!(found, expected);
        assert_eq!(
            directories_around(Path::new("registry.yaml")),
            [PathBuf::new()]
        );
    }

    #[test]
    fn directories_above_end_at_the_top_of_the_repository() {
        let root = std::env::temp_dir().join(format!("acr-lint-data-{}", std::process::id()));
        let file = root.join("repo/infra/config.yaml");
        std::fs::create_dir_all(root.join("repo/.git")).unwrap();
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(&file, "a: 1\n").unwrap();
        let canonical = root.canonicalize().unwrap();
        assert_eq!(
            directories_around(&file),
            [canonical.join("repo/infra"), canonical.join("repo")]
        );
        std::fs::remove_dir_all(&root).unwrap();
    }
}
