//! Parameters files that name their template in `metadata.template`, wherever it lies:
//! `./main.bicep` or `../main.json` from the parameters file's directory, any other path from
//! the top of the repository the parameters file is in (outside one, from the nearest directory
//! above it, within the working directory, where the path names a file).

use std::path::{Path, PathBuf};

use crate::model::Node;
use crate::source::{self, Span};

/// The template a parameters file names in `metadata.template`, and where the name is written.
pub fn template_link(root: &Node) -> Option<(&str, Span)> {
    let link = root.get("metadata")?.get("template")?;
    Some((link.as_str()?, link.span))
}

/// Whether a parameters file's text may name its template (cheap, before parsing it).
pub fn may_link(text: &str) -> bool {
    memchr::memmem::find(text.as_bytes(), b"\"metadata\"").is_some()
        && memchr::memmem::find(text.as_bytes(), b"\"template\"").is_some()
}

/// The template the parameters file `parameters` names with `link`, written as the parameters
/// file's path is (relative to `base`, the working directory, or absolute), or why it is not
/// read: it does not exist, is no template or Bicep file, or lies outside the repository.
pub fn linked_template(parameters: &Path, link: &str, base: &Path) -> Result<PathBuf, String> {
    let written = link.trim().replace('\\', "/");
    let absolute_parameters = source::normalize(&base.join(parameters));
    let own_directory = absolute_parameters.parent().unwrap_or(base);
    let repository = source::repository_top(&absolute_parameters);
    let top = repository
        .clone()
        .unwrap_or_else(|| outside_a_repository(own_directory, &written, base));
    let from_file = written.starts_with("./") || written.starts_with("../");
    let directory = if from_file { own_directory } else { &top };
    let template = source::normalize(&directory.join(written.trim_start_matches('/')));
    let is_template = [".json", ".jsonc", ".bicep"].iter().any(|extension| {
        template
            .to_string_lossy()
            .to_ascii_lowercase()
            .ends_with(extension)
    });
    let inside = |path: &Path| match (path.canonicalize(), top.canonicalize()) {
        (Ok(path), Ok(top)) => path.starts_with(top),
        _ => false,
    };
    let why = if written.is_empty() || Path::new(&written).is_absolute() {
        "names no template by a relative path"
    } else if !is_template {
        "names no `.json` template or `.bicep` file"
    } else if !template.is_file() {
        "names a template that does not exist"
    } else if !inside(&template) {
        "names a template outside the repository (or, outside one, the working directory)"
    } else {
        let shown = match parameters.is_absolute() {
            true => template,
            false => source::relative_to(&template, base),
        };
        return Ok(shown);
    };
    let looked_at = source::display_name(&template, base);
    let looked_at = match looked_at == link {
        true => String::new(),
        false => format!(", looked for at `{looked_at}`"),
    };
    Err(format!(
        "`metadata.template` {why} (`{link}`{looked_at}); a path relative to the parameters \
         file starts with `./` or `../`, any other is relative to the top of the repository"
    ))
}

/// Where a path of a parameters file outside a repository is read from: the nearest directory
/// above it (up to the working directory `base`, when the file lies below it) from which
/// `written` names a file; the working directory, or the file's own directory, when none does.
fn outside_a_repository(own_directory: &Path, written: &str, base: &Path) -> PathBuf {
    let boundary = if own_directory.starts_with(base) {
        base
    } else {
        own_directory
    };
    let mut above = own_directory.ancestors();
    let found = above
        .find(|directory| directory.starts_with(boundary) && directory.join(written).is_file());
    found.unwrap_or(boundary).to_path_buf()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A repository (`repo/`, with `.git`) holding a Bicep file, a parameters file and a text
    /// file, beside a template outside it.
    fn repository() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().expect("temporary directory");
        let repo = dir.path().join("repo");
        for directory in [".git", "bicep", "deploy/dev"] {
            std::fs::create_dir_all(repo.join(directory)).expect("directory");
        }
        for file in [
            "bicep/main.bicep",
            "deploy/dev/x.parameters.json",
            "notes.txt",
        ] {
            std::fs::write(repo.join(file), "{}").expect("file");
        }
        std::fs::write(dir.path().join("outside.json"), "{}").expect("file");
        (dir, repo)
    }

    #[test]
    fn a_link_is_read_from_the_top_of_the_repository_or_from_the_file() {
        let (_dir, repo) = repository();
        let parameters = Path::new("deploy/dev/x.parameters.json");
        let found = |link: &str| linked_template(parameters, link, &repo);
        let main = Ok(PathBuf::from("bicep/main.bicep"));
        assert_eq!(found("bicep/main.bicep"), main);
        assert_eq!(found("bicep\\main.bicep"), main);
        assert_eq!(found("../../bicep/main.bicep"), main);
        assert_eq!(found("./../../bicep/main.bicep"), main);
        // An absolute parameters file's template is absolute too.
        let absolute = repo.join(parameters);
        assert_eq!(
            linked_template(&absolute, "./../../bicep/main.bicep", Path::new("/")),
            Ok(repo.join("bicep/main.bicep"))
        );
        // From a working directory below the top, the path is still read from the top.
        let below = repo.join("deploy");
        assert_eq!(
            linked_template(
                Path::new("dev/x.parameters.json"),
                "bicep/main.bicep",
                &below
            ),
            Ok(PathBuf::from("../bicep/main.bicep"))
        );
    }

    #[test]
    fn outside_a_repository_a_link_is_read_from_the_nearest_directory_that_holds_it() {
        let (dir, repo) = repository();
        std::fs::remove_dir(repo.join(".git")).expect("no repository");
        let parameters = repo.join("deploy/dev/x.parameters.json");
        let from = |base: &Path| linked_template(&parameters, "bicep/main.bicep", base);
        assert_eq!(from(dir.path()), Ok(repo.join("bicep/main.bicep")));
        assert_eq!(from(&repo), Ok(repo.join("bicep/main.bicep")));
        // Not above the working directory, nor outside it.
        assert!(from(&repo.join("deploy")).is_err());
        let outside = linked_template(&parameters, "outside.json", dir.path());
        assert_eq!(outside, Ok(dir.path().join("outside.json")));
        let below = linked_template(&parameters, "outside.json", &repo);
        assert!(below.is_err());
    }

    #[test]
    fn a_link_to_nothing_readable_says_why() {
        let (_dir, repo) = repository();
        let parameters = Path::new("deploy/dev/x.parameters.json");
        let why = |link: &str| linked_template(parameters, link, &repo).expect_err(link);
        assert!(why("bicep/other.bicep").contains("does not exist"));
        assert!(why("notes.txt").contains("no `.json` template"));
        assert!(why("/etc/hosts.json").contains("relative path"));
        assert!(why("").contains("relative path"));
        assert!(why("bicep/../../outside.json").contains("outside the repository"));
        assert!(why("../../../outside.json").contains("outside the repository"));
    }
}
