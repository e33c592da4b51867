//! The git checkout a scan ran in, read from `.git` without running git: its top-level
//! directory (SARIF locations are relative to it), the commit checked out and the remote.

use std::fs;
use std::path::{Path, PathBuf};

use crate::source::normalize;

/// Larger `.git` files than this (a huge `packed-refs`) are not read.
const MAX_GIT_FILE_BYTES: u64 = 8 * 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repository {
    /// The top-level directory, absolute.
    pub root: PathBuf,
    /// The commit checked out, when `HEAD` resolves.
    pub revision: Option<String>,
    /// The branch checked out, e.g. `refs/heads/main`.
    pub branch: Option<String>,
    /// The `origin` remote (else the first remote), without credentials.
    pub uri: Option<String>,
}

/// `path` made absolute against the working directory, lexically.
pub fn absolute(path: &Path) -> PathBuf {
    if path.is_absolute() {
        return normalize(path);
    }
    absolute_from(&std::env::current_dir().unwrap_or_default(), path)
}

/// `path` made absolute against `base` (the working directory), lexically.
pub fn absolute_from(base: &Path, path: &Path) -> PathBuf {
    normalize(&base.join(path))
}

/// The checkout `start` (a file or directory) lies in, if any.
pub fn locate(start: &Path) -> Option<Repository> {
    let start = absolute(start);
    for dir in start.ancestors() {
        let dot_git = dir.join(".git");
        let git_dir = if dot_git.is_dir() {
            dot_git
        } else if dot_git.is_file() {
            linked_git_dir(&dot_git, dir)?
        } else {
            continue;
        };
        return Some(read(dir, &git_dir));
    }
    None
}

/// A worktree or submodule's `.git` file: `gitdir: <path>`.
fn linked_git_dir(dot_git: &Path, dir: &Path) -> Option<PathBuf> {
    let text = read_small(dot_git)?;
    let target = text.trim().strip_prefix("gitdir:")?.trim();
    Some(normalize(&dir.join(target)))
}

fn read(root: &Path, git_dir: &Path) -> Repository {
    let common = common_dir(git_dir);
    let head = read_small(&git_dir.join("HEAD")).unwrap_or_default();
    let head = head.trim();
    let (branch, revision) = match head.strip_prefix("ref:") {
        Some(reference) => {
            let reference = reference.trim();
            let revision = resolve_ref(git_dir, &common, reference);
            (Some(reference.to_string()), revision)
        }
        None => (None, is_object_id(head).then(|| head.to_string())),
    };
    let uri = read_small(&common.join("config")).and_then(|config| remote_url(&config));
    Repository {
        root: root.to_path_buf(),
        revision,
        branch,
        uri,
    }
}

/// Where refs and config live: a linked worktree names its repository in `commondir`.
fn common_dir(git_dir: &Path) -> PathBuf {
    match read_small(&git_dir.join("commondir")) {
        Some(text) => normalize(&git_dir.join(text.trim())),
        None => git_dir.to_path_buf(),
    }
}

fn resolve_ref(git_dir: &Path, common: &Path, reference: &str) -> Option<String> {
    if reference
        .split('/')
        .any(|part| part == ".." || part.is_empty())
    {
        return None;
    }
    for dir in [git_dir, common] {
        if let Some(text) = read_small(&dir.join(reference)) {
            let id = text.trim();
            return is_object_id(id).then(|| id.to_string());
        }
    }
    let packed = read_small(&common.join("packed-refs"))?;
    packed.lines().find_map(|line| {
        let (id, name) = line.split_once(' ')?;
        (name.trim() == reference && is_object_id(id)).then(|| id.to_string())
    })
}

fn is_object_id(text: &str) -> bool {
    matches!(text.len(), 40 | 64) && text.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The `url` of `[remote "origin"]`, else of the first remote.
fn remote_url(config: &str) -> Option<String> {
    let mut remotes: Vec<(String, String)> = Vec::new();
    let mut section: Option<String> = None;
    for line in config.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            section = line
                .strip_prefix("[remote \"")
                .and_then(|rest| rest.strip_suffix("\"]"))
                .map(str::to_string);
            continue;
        }
        let Some(name) = &section else { continue };
        if let Some((key, value)) = line.split_once('=')
            && key.trim().eq_ignore_ascii_case("url")
        {
            remotes.push((name.clone(), value.trim().trim_matches('"').to_string()));
        }
    }
    let (_, url) = remotes
        .iter()
        .find(|(name, _)| name == "origin")
        .or(remotes.first())?;
    web_uri(url)
}

/// A remote as a URI code scanning services accept: credentials removed, `host:path` (scp
/// syntax) as `https://host/path`, a local absolute path as a `file://` URI, without a trailing
/// `.git`. `None` for what cannot be a URI (a relative path).
fn web_uri(url: &str) -> Option<String> {
    let url = if let Some((scheme, rest)) = url.split_once("://") {
        let rest = rest.split_once('@').map_or(rest, |(_, host)| host);
        format!("{scheme}://{rest}")
    } else if url.starts_with('/') {
        format!("file://{}", super::sarif::encode_uri(url))
    } else {
        let (user_host, path) = url.split_once(':')?;
        if user_host.contains('/') || user_host.len() < 2 {
            return None;
        }
        let host = user_host.split_once('@').map_or(user_host, |(_, h)| h);
        format!("https://{host}/{}", path.trim_start_matches('/'))
    };
    Some(url.strip_suffix(".git").unwrap_or(&url).to_string())
}

fn read_small(path: &Path) -> Option<String> {
    let metadata = fs::metadata(path).ok()?;
    if !metadata.is_file() || metadata.len() > MAX_GIT_FILE_BYTES {
        return None;
    }
    fs::read_to_string(path).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remotes_become_web_uris_without_credentials() {
        assert_eq!(
            web_uri("https://user:token@github.com/o/r.git").as_deref(),
            Some("https://github.com/o/r")
        );
        assert_eq!(
            web_uri("git@github.com:o/r.git").as_deref(),
            Some("https://github.com/o/r")
        );
        assert_eq!(
            web_uri("ssh://git@ssh.dev.azure.com/v3/org/p/r").as_deref(),
            Some("ssh://ssh.dev.azure.com/v3/org/p/r")
        );
        assert_eq!(
            web_uri("/srv/repos/r.git").as_deref(),
            Some("file:///srv/repos/r")
        );
        assert_eq!(web_uri("../r"), None);
        assert_eq!(web_uri("r"), None);
        assert_eq!(
            web_uri("/srv/my repos/r").as_deref(),
            Some("file:///srv/my%20repos/r")
        );
    }

    #[test]
    fn origin_wins_over_other_remotes() {
        let config = "[core]\n\tbare = false\n[remote \"upstream\"]\n\turl = https://a/x\n\
                      [remote \"origin\"]\n\turl = https://b/y.git\n";
        assert_eq!(remote_url(config).as_deref(), Some("https://b/y"));
        assert_eq!(remote_url("[core]\n"), None);
    }

    #[test]
    fn refs_resolve_loose_then_packed() {
        let dir = tempfile::tempdir().unwrap();
        let git = dir.path().join(".git");
        fs::create_dir_all(git.join("refs/heads")).unwrap();
        let id = "0123456789abcdef0123456789abcdef01234567";
        fs::write(git.join("HEAD"), "ref: refs/heads/main\n").unwrap();
        fs::write(
            git.join("packed-refs"),
            format!("# pack\n{id} refs/heads/main\n"),
        )
        .unwrap();
        let found = locate(&dir.path().join("infra/main.tf")).unwrap();
        assert_eq!(found.root, dir.path());
        assert_eq!(found.revision.as_deref(), Some(id));
        assert_eq!(found.branch.as_deref(), Some("refs/heads/main"));
        let loose = "89abcdef0123456789abcdef0123456789abcdef";
        fs::write(git.join("refs/heads/main"), format!("{loose}\n")).unwrap();
        assert_eq!(locate(dir.path()).unwrap().revision.as_deref(), Some(loose));
    }

    #[test]
    fn refs_cannot_climb_out_of_the_git_directory() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(
            resolve_ref(dir.path(), dir.path(), "../../etc/passwd"),
            None
        );
    }
}
