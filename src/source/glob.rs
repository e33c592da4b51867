//! Path globs: `*` within a path segment, `**` across segments, `?` one character, `[...]` one
//! character of a class, `\` the next character as written; matched in time proportional to the
//! glob times the path.

use std::path::{Path, PathBuf};

/// `*` matches within a path segment, `**` across segments, `?` one character but `/`, `[a-z]`
/// one character of a class (`[^...]` or `[!...]` one not in it), and `\` takes the next
/// character as written. A `[` that no `]` closes is a character like any other.
pub fn glob_matches(glob: &str, path: &str) -> bool {
    Glob::new(glob).matches(path)
}

/// A glob read once, for matching many paths (see [`glob_matches`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Glob(Vec<Part>);

impl Glob {
    pub fn new(glob: &str) -> Glob {
        Glob(parts(glob.strip_prefix("./").unwrap_or(glob)))
    }

    /// Whether the glob matches the whole of `path`.
    pub fn matches(&self, path: &str) -> bool {
        let path = path.strip_prefix("./").unwrap_or(path);
        matches_parts(&self.0, path.as_bytes())
    }
}

/// The leading segments of `glob` that match only themselves (`infra/app` of `infra/app/*.tf`,
/// the whole of a glob with no wildcard): every path the glob matches lies there.
pub fn glob_literal_prefix(glob: &str) -> &str {
    let glob = glob.strip_prefix("./").unwrap_or(glob);
    let Some(wildcard) = glob.find(['*', '?', '[', '\\']) else {
        return glob;
    };
    let before = glob.get(..wildcard).unwrap_or_default();
    let slash = before.rfind('/').unwrap_or_default();
    before.get(..slash).unwrap_or_default()
}

/// How files are named from a directory, wherever the scan runs from: the configuration file's
/// (for its `exclude` and its suppressions' `path` globs, as its `var-files` are), or a
/// baseline's repository.
#[derive(Debug, Clone)]
pub struct GlobBase {
    /// The directory names are taken from, when it is not the working directory.
    directory: Option<PathBuf>,
    working: PathBuf,
}

impl GlobBase {
    /// Names from `directory` (relative to the working directory `working`, or absolute; `None`
    /// for the working directory itself).
    pub fn new(directory: Option<&Path>, working: &Path) -> Self {
        let directory = directory
            .map(|directory| super::normalize(&working.join(directory)))
            .filter(|directory| directory != working);
        GlobBase {
            directory,
            working: working.to_path_buf(),
        }
    }

    /// Whether the directory is the working directory, whose names the scan's sources show.
    pub fn is_working_directory(&self) -> bool {
        self.directory.is_none()
    }

    /// The name of `path` (relative to the working directory, or absolute) from the directory;
    /// `None` for a path outside it.
    pub fn name(&self, path: &Path) -> Option<String> {
        let Some(directory) = &self.directory else {
            return Some(super::display_name(path, &self.working));
        };
        let absolute = super::normalize(&self.working.join(path));
        let below = absolute.strip_prefix(directory).ok()?;
        Some(below.to_string_lossy().replace('\\', "/"))
    }
}

/// Whether every `[` of `glob` is closed by a `]` and no `\` ends it, as Terraform's `fileset`
/// requires of a pattern.
pub fn glob_is_well_formed(glob: &str) -> bool {
    let mut chars = glob.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.next().is_none() => return false,
            '[' => match class(chars.as_str()) {
                Some((_, length)) => {
                    chars = chars.as_str().get(length..).unwrap_or_default().chars()
                }
                None => return false,
            },
            _ => {}
        }
    }
    true
}

/// One element of a glob.
#[derive(Debug, Clone, PartialEq)]
enum Part {
    /// `**/`: no directory, or any run of whole directories.
    AnyDirectories,
    /// `**` not followed by `/`: any run of characters.
    AnyPath,
    /// `*`: any run of characters but `/`.
    AnyName,
    /// `?`: one character but `/`.
    OneChar,
    /// `[...]`: one character but `/` that is in the class (not in it, when negated).
    Class(Class),
    /// A byte of the path as written.
    Byte(u8),
}

#[derive(Debug, Clone, PartialEq, Default)]
struct Class {
    negated: bool,
    /// Inclusive ranges; a single character is a range of one.
    ranges: Vec<(char, char)>,
}

impl Class {
    fn takes(&self, c: char) -> bool {
        c != '/' && self.ranges.iter().any(|&(lo, hi)| lo <= c && c <= hi) != self.negated
    }
}

/// The parts of a glob, in order.
fn parts(glob: &str) -> Vec<Part> {
    let mut parts = Vec::with_capacity(glob.len());
    let mut rest = glob;
    while let Some(c) = rest.chars().next() {
        let after = rest.get(c.len_utf8()..).unwrap_or_default();
        let (part, taken) = match c {
            '*' if after.starts_with("*/") => (Part::AnyDirectories, 3),
            '*' if after.starts_with('*') => (Part::AnyPath, 2),
            '*' => (Part::AnyName, 1),
            '?' => (Part::OneChar, 1),
            '[' => match class(after) {
                Some((class, length)) => (Part::Class(class), 1 + length),
                None => (Part::Byte(b'['), 1),
            },
            _ => {
                // A character as written: this one, or the one a `\\` escapes.
                let written = if c == '\\' && !after.is_empty() {
                    after
                } else {
                    rest
                };
                let length = written.chars().next().map_or(0, char::len_utf8);
                let bytes = written.get(..length).unwrap_or_default().bytes();
                parts.extend(bytes.map(Part::Byte));
                rest = written.get(length..).unwrap_or_default();
                continue;
            }
        };
        parts.push(part);
        rest = rest.get(taken..).unwrap_or_default();
    }
    parts
}

/// The class that `text` (after a `[`) opens, and how many bytes it takes up to and with its
/// `]`; `None` when no `]` closes it. A `]` right after the `[` (or after its `^` or `!`) is a
/// member, and `\` takes the next character as written.
fn class(text: &str) -> Option<(Class, usize)> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut class = Class::default();
    let mut at = 0;
    if let Some((_, '^' | '!')) = chars.first() {
        class.negated = true;
        at = 1;
    }
    let first = at;
    // A member character at an index, with its escape, and the index after it.
    let member = |at: usize| -> Option<(char, usize)> {
        match chars.get(at)?.1 {
            '\\' => Some((chars.get(at + 1)?.1, at + 2)),
            c => Some((c, at + 1)),
        }
    };
    loop {
        let &(offset, c) = chars.get(at)?;
        if c == ']' && at > first {
            return Some((class, offset + 1));
        }
        let (low, after) = member(at)?;
        let (high, after) = match (chars.get(after), chars.get(after + 1)) {
            (Some((_, '-')), Some(&(_, end))) if end != ']' => member(after + 1)?,
            _ => (low, after),
        };
        class.ranges.push((low, high));
        at = after;
    }
}

/// Whether `parts` match the whole of `path`, in time proportional to the product of their
/// lengths: which suffix of the glob matches which suffix of the path is worked out from the
/// end, one part at a time. Trying each way a star could match instead takes time exponential
/// in the stars.
fn matches_parts(parts: &[Part], path: &[u8]) -> bool {
    // next[p]: whether the parts after the current one match path[p..].
    let mut next = vec![false; path.len() + 1];
    if let Some(last) = next.last_mut() {
        *last = true;
    }
    for part in parts.iter().rev() {
        next = match part {
            Part::AnyDirectories => any_directories_from(&next, path),
            Part::AnyPath => any_from(&next),
            Part::AnyName => star(&next, path),
            Part::OneChar => one_char(&next, path, |c| c != '/'),
            Part::Class(class) => one_char(&next, path, |c| class.takes(c)),
            Part::Byte(byte) => one_byte(*byte, &next, path),
        };
    }
    next.first().copied().unwrap_or(false)
}

/// The row of `**`: from each place, whether the rest matches there or anywhere after.
fn any_from(rest: &[bool]) -> Vec<bool> {
    let mut any = false;
    let mut row: Vec<bool> = rest
        .iter()
        .rev()
        .map(|&matches| {
            any |= matches;
            any
        })
        .collect();
    row.reverse();
    row
}

/// The row of `**/`: from each place, whether the rest matches there or just after a `/`
/// anywhere after it (no directory, or whole directories).
fn any_directories_from(rest: &[bool], path: &[u8]) -> Vec<bool> {
    let mut row = vec![false; rest.len()];
    // Whether the rest matches just after a `/` after the current place.
    let mut after_a_slash = false;
    for (at, &matches) in rest.iter().enumerate().rev() {
        if let Some(slot) = row.get_mut(at) {
            *slot = matches || after_a_slash;
        }
        if matches && at > 0 && path.get(at - 1) == Some(&b'/') {
            after_a_slash = true;
        }
    }
    row
}

/// The row of `*`: the rest matches here, or the star takes one more byte that is not `/`.
fn star(rest: &[bool], path: &[u8]) -> Vec<bool> {
    let mut after = rest.last().copied().unwrap_or(false);
    let mut row = vec![after];
    for (&matches, &byte) in rest.iter().zip(path).rev() {
        after = matches || (byte != b'/' && after);
        row.push(after);
    }
    row.reverse();
    row
}

/// The row of a byte written as it is: it takes the path's byte, and the rest matches after it.
fn one_byte(glob_byte: u8, rest: &[bool], path: &[u8]) -> Vec<bool> {
    path.iter()
        .zip(rest.iter().skip(1))
        .map(|(&byte, &matches)| byte == glob_byte && matches)
        .chain(std::iter::once(false))
        .collect()
}

/// The row of `?` or a class: from a place where a character starts, it takes that character
/// when `takes` says so, and the rest matches after it.
fn one_char(rest: &[bool], path: &[u8], takes: impl Fn(char) -> bool) -> Vec<bool> {
    (0..=path.len())
        .map(|at| {
            let Some(c) = path.get(at..).and_then(first_char) else {
                return false;
            };
            takes(c) && rest.get(at + c.len_utf8()).copied().unwrap_or(false)
        })
        .collect()
}

/// The character `bytes` start with, when they start with a whole one.
fn first_char(bytes: &[u8]) -> Option<char> {
    let length = match *bytes.first()? {
        0x00..=0x7F => 1,
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF7 => 4,
        _ => return None,
    };
    std::str::from_utf8(bytes.get(..length)?)
        .ok()?
        .chars()
        .next()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        assert!(glob_matches("infra/**/*.json", "infra/a/b/main.json"));
        assert!(glob_matches("infra/*.tf", "infra/main.tf"));
        assert!(!glob_matches("infra/*.tf", "infra/x/main.tf"));
        assert!(glob_matches("**", "anything/at/all"));
        assert!(glob_matches("main.?f", "main.tf"));
    }

    #[test]
    fn the_literal_prefix_of_a_glob_holds_every_path_it_matches() {
        assert_eq!(glob_literal_prefix("infra/app/*.tf"), "infra/app");
        assert_eq!(glob_literal_prefix("./infra/**"), "infra");
        assert_eq!(glob_literal_prefix("infra/main.tf"), "infra/main.tf");
        assert_eq!(glob_literal_prefix("inf?a/main.tf"), "");
        assert_eq!(glob_literal_prefix("**/*.tf"), "");
        assert_eq!(glob_literal_prefix("a/[bc]/d"), "a");
        assert_eq!(glob_literal_prefix("a/\\*/d"), "a");
    }

    /// How globs matched before: each way a star could match tried in turn.
    fn matches_by_trying_each_way(glob: &[u8], path: &[u8]) -> bool {
        match glob.split_first() {
            None => path.is_empty(),
            Some((b'*', rest)) if rest.first() == Some(&b'*') => {
                let rest = rest.get(1..).unwrap_or_default();
                let directories = rest.first() == Some(&b'/');
                let rest = rest.strip_prefix(b"/").unwrap_or(rest);
                (0..=path.len())
                    .filter(|&i| !directories || i == 0 || path.get(i - 1) == Some(&b'/'))
                    .any(|i| {
                        path.get(i..)
                            .is_some_and(|tail| matches_by_trying_each_way(rest, tail))
                    })
            }
            Some((b'*', rest)) => (0..=path.len())
                .take_while(|&i| i == 0 || path.get(i - 1) != Some(&b'/'))
                .any(|i| {
                    path.get(i..)
                        .is_some_and(|tail| matches_by_trying_each_way(rest, tail))
                }),
            Some((b'?', rest)) => path
                .split_first()
                .is_some_and(|(c, tail)| *c != b'/' && matches_by_trying_each_way(rest, tail)),
            Some((c, rest)) => path
                .split_first()
                .is_some_and(|(p, tail)| p == c && matches_by_trying_each_way(rest, tail)),
        }
    }

    /// Every string of up to `most` of `alphabet`'s bytes.
    fn strings_of(alphabet: &[u8], most: u32) -> Vec<Vec<u8>> {
        let mut all = vec![Vec::new()];
        let mut last = vec![Vec::new()];
        for _ in 0..most {
            last = last
                .iter()
                .flat_map(|s: &Vec<u8>| {
                    alphabet.iter().map(move |b| {
                        let mut longer = s.clone();
                        longer.push(*b);
                        longer
                    })
                })
                .collect();
            all.extend(last.iter().cloned());
        }
        all
    }

    #[test]
    fn globs_match_as_trying_each_way_did() {
        let globs = strings_of(b"*?/a", 5);
        let paths = strings_of(b"/ab", 5);
        for glob in &globs {
            for path in &paths {
                let text = std::str::from_utf8(glob).unwrap_or_default();
                assert_eq!(
                    matches_parts(&parts(text), path),
                    matches_by_trying_each_way(glob, path),
                    "{:?} {:?}",
                    String::from_utf8_lossy(glob),
                    String::from_utf8_lossy(path)
                );
            }
        }
    }

    #[test]
    fn classes_take_one_character_of_their_members() {
        assert!(glob_matches("[ad]*.yaml", "apps.yaml"));
        assert!(glob_matches("[ad]*.yaml", "data.yaml"));
        assert!(!glob_matches("[ad]*.yaml", "build.yaml"));
        assert!(glob_matches("[a-c]x", "bx"));
        assert!(!glob_matches("[a-c]x", "dx"));
        assert!(glob_matches("[^a-c]x", "dx"));
        assert!(glob_matches("[!a-c]x", "dx"));
        assert!(!glob_matches("[!a-c]x", "ax"));
        assert!(!glob_matches("[^a]", "/"), "a class never takes `/`");
        assert!(glob_matches("[]a]", "]"), "a `]` first is a member");
        assert!(glob_matches("[a-]", "-"), "a `-` last is a member");
        assert!(glob_matches("[\\]]", "]"));
        assert!(glob_matches("[é-ë]", "ê"));
        assert!(!glob_matches("[é-ë]", "e"));
    }

    #[test]
    fn escapes_and_unclosed_classes_are_characters_as_written() {
        assert!(glob_matches("\\*.tf", "*.tf"));
        assert!(!glob_matches("\\*.tf", "main.tf"));
        assert!(glob_matches("a\\?", "a?"));
        assert!(!glob_matches("a\\?", "ab"));
        assert!(glob_matches("[ab", "[ab"));
        assert!(!glob_matches("[ab", "a"));
        assert!(glob_is_well_formed("[ab]/**/*.{tf,json}"));
        assert!(glob_is_well_formed("\\[x"));
        assert!(!glob_is_well_formed("[ab"));
        assert!(!glob_is_well_formed("x\\"));
        assert!(!glob_is_well_formed("[\\]"));
    }

    #[test]
    fn a_double_star_and_slash_takes_whole_directories() {
        assert!(glob_matches("a/**/b", "a/b"));
        assert!(glob_matches("a/**/b", "a/x/y/b"));
        assert!(!glob_matches("a/**/b", "a/xb"));
        assert!(glob_matches("**/main.tf", "main.tf"));
        assert!(glob_matches("**/main.tf", "x/main.tf"));
        assert!(!glob_matches("**/main.tf", "xmain.tf"));
        assert!(glob_matches("a/**", "a/x/y"));
        assert!(glob_matches("a**b", "axy/zb"));
    }

    #[test]
    fn a_question_mark_takes_one_character_of_any_length() {
        assert!(glob_matches("?.tf", "é.tf"));
        assert!(glob_matches("??.tf", "日本.tf"));
        assert!(!glob_matches("?.tf", "日本.tf"));
        assert!(!glob_matches("?", "/"));
    }

    #[test]
    fn a_glob_of_many_stars_does_not_take_exponential_time() {
        let path = format!("{}/main.tf", "a".repeat(300));
        let stars = "*a".repeat(40);
        assert!(!glob_matches(&format!("{stars}*z"), &path));
        assert!(!glob_matches(&format!("**a{}**z", "**a".repeat(40)), &path));
        assert!(glob_matches(&format!("{stars}*/main.tf"), &path));
    }
}
