//! `fileset(path, pattern)`: the regular files below a directory whose paths relative to it
//! match a pattern, as Terraform lists them, within the scanned directories and a bounded walk.

use std::path::{Path, PathBuf};

use crate::source::{Glob, glob_is_well_formed};

/// At most this many files are listed by one call.
const MAX_FILES: usize = 1024;
/// At most this many directory entries are looked at by one call.
const MAX_VISITS: usize = 16_384;
/// How deep below the directory a pattern with `**` looks, at most.
const MAX_DEPTH: usize = 16;
/// How many patterns a pattern's alternatives (`{a,b}`) make, at most.
const MAX_ALTERNATIVES: usize = 64;
/// The longest pattern evaluated, in bytes (alternatives nest one call deep per brace).
const MAX_PATTERN_BYTES: usize = 1024;

/// The paths, relative to `directory` (canonical, below one of `roots`) with `/` between their
/// parts and sorted, of the regular files below it that `pattern` matches; an error saying why
/// they are not listed.
pub fn list(directory: &Path, pattern: &str, roots: &[PathBuf]) -> Result<Vec<String>, String> {
    let not_evaluated =
        || format!("the `fileset` pattern `{pattern}` uses syntax that is not evaluated");
    if pattern.len() > MAX_PATTERN_BYTES {
        return Err(not_evaluated());
    }
    if !glob_is_well_formed(pattern) {
        return Err(format!(
            "the `fileset` pattern `{pattern}` is malformed (a `[` no `]` closes, or a `\\` at its end)"
        ));
    }
    let patterns =
        alternatives(pattern.strip_prefix("./").unwrap_or(pattern)).ok_or_else(not_evaluated)?;
    let depth = patterns
        .iter()
        .map(|p| {
            if p.contains("**") {
                MAX_DEPTH
            } else {
                p.matches('/').count()
            }
        })
        .max()
        .unwrap_or(0);
    let globs: Vec<Glob> = patterns.iter().map(|p| Glob::new(p)).collect();
    let mut walk = Walk {
        globs: &globs,
        roots,
        found: Vec::new(),
        visits: 0,
    };
    walk.directory(directory, "", depth)?;
    walk.found.sort_unstable();
    walk.found.dedup();
    Ok(walk.found)
}

/// The patterns without alternatives a pattern stands for (`{a,b}.yaml`: `a.yaml`, `b.yaml`);
/// `None` for braces that do not pair, or more than [`MAX_ALTERNATIVES`] patterns.
fn alternatives(pattern: &str) -> Option<Vec<String>> {
    let Some(open) = pattern.find('{') else {
        return (!pattern.contains('}')).then(|| vec![pattern.to_string()]);
    };
    let (before, rest) = pattern.split_at(open);
    let mut depth = 0usize;
    let mut parts = Vec::new();
    let mut start = 1;
    for (at, byte) in rest.bytes().enumerate() {
        match byte {
            b'{' => depth += 1,
            b'}' if depth == 1 => {
                parts.push(rest.get(start..at)?);
                let after = rest.get(at + 1..)?;
                let mut expanded = Vec::new();
                for part in parts {
                    for tail in alternatives(&format!("{part}{after}"))? {
                        expanded.push(format!("{before}{tail}"));
                        if expanded.len() > MAX_ALTERNATIVES {
                            return None;
                        }
                    }
                }
                return Some(expanded);
            }
            b'}' => depth = depth.checked_sub(1)?,
            b',' if depth == 1 => {
                parts.push(rest.get(start..at)?);
                start = at + 1;
            }
            _ => {}
        }
    }
    None
}

struct Walk<'a> {
    globs: &'a [Glob],
    roots: &'a [PathBuf],
    found: Vec<String>,
    visits: usize,
}

impl Walk<'_> {
    /// Lists `directory`, whose path relative to the listed one is `prefix`, and the directories
    /// below it down to `depth` more levels.
    fn directory(&mut self, directory: &Path, prefix: &str, depth: usize) -> Result<(), String> {
        let Ok(entries) = std::fs::read_dir(directory) else {
            return Ok(());
        };
        for entry in entries.flatten() {
            self.visits += 1;
            if self.visits > MAX_VISITS {
                return Err(format!(
                    "`fileset` would look at more than {MAX_VISITS} files and directories"
                ));
            }
            let Some(name) = entry.file_name().to_str().map(str::to_string) else {
                continue;
            };
            let relative = format!("{prefix}{name}");
            match self.kind(&entry) {
                Some(Kind::File) if self.globs.iter().any(|glob| glob.matches(&relative)) => {
                    if self.found.len() == MAX_FILES {
                        return Err(format!("`fileset` matches more than {MAX_FILES} files"));
                    }
                    self.found.push(relative);
                }
                Some(Kind::Directory(path)) if depth > 0 => {
                    self.directory(&path, &format!("{relative}/"), depth - 1)?;
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// A regular file, or a directory with the path to list it by; a symbolic link counts as
    /// what it leads to when that lies within the scanned directories.
    fn kind(&self, entry: &std::fs::DirEntry) -> Option<Kind> {
        let file_type = entry.file_type().ok()?;
        if file_type.is_file() {
            return Some(Kind::File);
        }
        if file_type.is_dir() {
            return Some(Kind::Directory(entry.path()));
        }
        if !file_type.is_symlink() {
            return None;
        }
        let target = std::fs::canonicalize(entry.path()).ok()?;
        if !self.roots.iter().any(|root| target.starts_with(root)) {
            return None;
        }
        let metadata = std::fs::metadata(&target).ok()?;
        if metadata.is_file() {
            Some(Kind::File)
        } else if metadata.is_dir() {
            Some(Kind::Directory(target))
        } else {
            None
        }
    }
}

enum Kind {
    File,
    Directory(PathBuf),
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(names: &[&str]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for name in names {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "x").unwrap();
        }
        dir
    }

    fn listed(dir: &tempfile::TempDir, pattern: &str) -> Result<Vec<String>, String> {
        let root = dir.path().canonicalize().unwrap();
        list(&root, pattern, std::slice::from_ref(&root))
    }

    #[test]
    fn lists_the_matching_files_sorted_relative_to_the_directory() {
        let dir = tree(&["b.yaml", "a.yaml", "c.txt", "sub/d.yaml", "sub/deep/e.yaml"]);
        assert_eq!(listed(&dir, "*.yaml").unwrap(), ["a.yaml", "b.yaml"]);
        assert_eq!(listed(&dir, "./sub/*.yaml").unwrap(), ["sub/d.yaml"]);
        assert_eq!(
            listed(&dir, "**/*.yaml").unwrap(),
            ["a.yaml", "b.yaml", "sub/d.yaml", "sub/deep/e.yaml"]
        );
        assert_eq!(listed(&dir, "?.txt").unwrap(), ["c.txt"]);
        assert!(listed(&dir, "*.json").unwrap().is_empty());
        assert_eq!(listed(&dir, "{a,c}.*").unwrap(), ["a.yaml", "c.txt"]);
        assert_eq!(listed(&dir, "[ab].yaml").unwrap(), ["a.yaml", "b.yaml"]);
        assert_eq!(listed(&dir, "[!ab].*").unwrap(), ["c.txt"]);
        assert_eq!(listed(&dir, "sub/[c-e].yaml").unwrap(), ["sub/d.yaml"]);
        assert!(listed(&dir, "[ab.yaml").unwrap_err().contains("malformed"));
        assert!(listed(&dir, "{a.yaml").is_err());
    }

    #[test]
    fn alternatives_expand_nested_and_bounded() {
        assert_eq!(alternatives("x").unwrap(), ["x"]);
        assert_eq!(
            alternatives("{a,b{c,d}}/*.{yaml,yml}").unwrap(),
            [
                "a/*.yaml",
                "a/*.yml",
                "bc/*.yaml",
                "bc/*.yml",
                "bd/*.yaml",
                "bd/*.yml"
            ]
        );
        assert!(alternatives("a}").is_none());
        assert!(alternatives("{a,b").is_none());
        assert!(alternatives(&"{a,b}".repeat(7)).is_none());
    }

    #[test]
    fn a_long_or_deeply_nested_pattern_is_not_evaluated() {
        let dir = tree(&["a.yaml"]);
        let nested = format!("{}a.yaml{}", "{".repeat(100_000), "}".repeat(100_000));
        assert!(listed(&dir, &nested).is_err());
        let nested = format!("{}a.yaml{}", "{".repeat(200), "}".repeat(200));
        assert_eq!(listed(&dir, &nested).unwrap(), ["a.yaml"]);
    }

    #[cfg(unix)]
    #[test]
    fn links_out_of_the_scanned_directories_are_not_followed() {
        let outside = tree(&["secret.yaml"]);
        let dir = tree(&["a.yaml"]);
        std::os::unix::fs::symlink(
            outside.path().join("secret.yaml"),
            dir.path().join("s.yaml"),
        )
        .unwrap();
        std::os::unix::fs::symlink(outside.path(), dir.path().join("out")).unwrap();
        std::os::unix::fs::symlink(dir.path(), dir.path().join("loop")).unwrap();
        assert_eq!(listed(&dir, "*.yaml").unwrap(), ["a.yaml"]);
        // A link back into the tree is followed until the depth bound.
        let all = listed(&dir, "**/a.yaml").unwrap();
        assert!((2..=MAX_DEPTH + 1).contains(&all.len()), "{all:?}");
        assert!(!all.iter().any(|path| path.starts_with("out")));
    }

    #[test]
    fn a_wide_tree_is_refused_not_walked_to_the_end() {
        let names: Vec<String> = (0..MAX_FILES + 1).map(|i| format!("{i}.yaml")).collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let dir = tree(&names);
        assert!(listed(&dir, "*.yaml").unwrap_err().contains("more than"));
    }
}
