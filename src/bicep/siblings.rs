//! Which Bicep files of a directory a check of some of them must read with them.
//!
//! A Bicep file refers to another only by writing its path in a string: a `module`, `import`,
//! `using` or `extends` path, or a `load*()` argument. So a file whose text does not hold the
//! name of a given file cannot call it, pass it parameters or import from it, and reading it
//! would only cost time (and add its notices to the check). The names are looked for in the
//! whole text, in any ASCII case, so a mention in a comment or another directory's file of the
//! same name takes a file along too: more than needed, never less.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

/// A Bicep file of one directory: its file name, and its text when it could be read.
pub struct Sibling<'a> {
    pub name: &'a str,
    pub text: Option<&'a str>,
}

/// Whether each of `files` is read with the given ones (`given`, the same length): the given
/// files; the files the given `.bicepparam` files name (their template, the file they extend);
/// every file that names a file taken so far, until none is left (the callers, their callers,
/// the parameters files of each); and then every file a file taken names (the modules, imports
/// and loaded files their evaluation reaches), so that each file read in the directory is one
/// of those read as context, as when every file of the directory is read. A file whose text
/// could not be read, or that writes a path with an escape (`\u{...}`), may name any file.
pub fn read_with(files: &[Sibling<'_>], given: &[bool]) -> Vec<bool> {
    let mentions = Mentions::of(files);
    let mut taken: Vec<bool> = (0..files.len())
        .map(|i| given.get(i) == Some(&true))
        .collect();
    let parameters: Vec<bool> = files
        .iter()
        .map(|f| f.name.to_ascii_lowercase().ends_with(".bicepparam"))
        .collect();
    let is_parameters = |i: usize| parameters.get(i) == Some(&true);
    let given_parameters: Vec<usize> = (0..files.len())
        .filter(|&i| taken.get(i) == Some(&true) && is_parameters(i))
        .collect();
    close(&mut taken, given_parameters, |i| {
        mentions.named_by(i).filter(move |_| is_parameters(i))
    });
    let all_taken = |taken: &[bool]| -> Vec<usize> {
        (0..taken.len())
            .filter(|&i| taken.get(i) == Some(&true))
            .collect()
    };
    let start = all_taken(&taken);
    close(&mut taken, start, |i| mentions.naming(i));
    let start = all_taken(&taken);
    close(&mut taken, start, |i| mentions.named_by(i));
    taken
}

/// Takes every file reached from `start` through `next`, marking it in `taken`.
fn close<I: Iterator<Item = usize>>(
    taken: &mut [bool],
    mut pending: Vec<usize>,
    next: impl Fn(usize) -> I,
) {
    while let Some(file) = pending.pop() {
        for reached in next(file) {
            if let Some(slot) = taken.get_mut(reached)
                && !*slot
            {
                *slot = true;
                pending.push(reached);
            }
        }
    }
}

/// Which files each file's text names, and the reverse.
struct Mentions {
    /// For each file, the files it names; `None`: it may name any.
    names: Vec<Option<Vec<usize>>>,
    /// For each file, the files that name it (those that may name any left out).
    named_in: Vec<Vec<usize>>,
    /// The files that may name any file.
    naming_any: Vec<usize>,
}

impl Mentions {
    fn of(files: &[Sibling<'_>]) -> Self {
        let mut by_name: Vec<(String, usize)> = files
            .iter()
            .enumerate()
            .map(|(i, f)| (f.name.to_ascii_lowercase(), i))
            .collect();
        by_name.sort_unstable();
        // One pattern per name in lower case, with the files of that name.
        let mut unique: Vec<&str> = Vec::new();
        let mut by_pattern: Vec<Vec<usize>> = Vec::new();
        for (name, file) in &by_name {
            match (unique.last(), by_pattern.last_mut()) {
                (Some(last), Some(files)) if last == name => files.push(*file),
                _ => {
                    unique.push(name);
                    by_pattern.push(vec![*file]);
                }
            }
        }
        let finder = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .build(&unique)
            .ok();
        let names: Vec<Option<Vec<usize>>> = files
            .iter()
            .map(|file| names_in(file.text?, finder.as_ref()?, &by_pattern))
            .collect();
        let mut named_in = vec![Vec::new(); files.len()];
        let mut naming_any = Vec::new();
        for (file, named) in names.iter().enumerate() {
            match named {
                Some(named) => {
                    for &target in named {
                        if let Some(list) = named_in.get_mut(target) {
                            list.push(file);
                        }
                    }
                }
                None => naming_any.push(file),
            }
        }
        Mentions {
            names,
            named_in,
            naming_any,
        }
    }

    /// The files `file` names.
    fn named_by(&self, file: usize) -> Box<dyn Iterator<Item = usize> + '_> {
        match self.names.get(file) {
            Some(Some(named)) => Box::new(named.iter().copied()),
            Some(None) => Box::new(0..self.names.len()),
            None => Box::new(std::iter::empty()),
        }
    }

    /// The files that name `file`.
    fn naming(&self, file: usize) -> impl Iterator<Item = usize> + '_ {
        let named_in = self
            .named_in
            .get(file)
            .map(Vec::as_slice)
            .unwrap_or_default();
        named_in.iter().chain(&self.naming_any).copied()
    }
}

/// The files whose names `text` holds; `None` when it writes an escape, which could spell any.
fn names_in(text: &str, finder: &AhoCorasick, by_pattern: &[Vec<usize>]) -> Option<Vec<usize>> {
    if text.contains("\\u{") {
        return None;
    }
    let mut named: Vec<usize> = finder
        .find_overlapping_iter(text)
        .filter_map(|found| by_pattern.get(found.pattern().as_usize()))
        .flatten()
        .copied()
        .collect();
    named.sort_unstable();
    named.dedup();
    Some(named)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The names of the files read with `given`, from files written as `(name, text)`.
    fn read_with_given(files: &[(&str, Option<&str>)], given: &[&str]) -> Vec<String> {
        let siblings: Vec<Sibling<'_>> = files
            .iter()
            .map(|(name, text)| Sibling { name, text: *text })
            .collect();
        let given: Vec<bool> = files.iter().map(|(n, _)| given.contains(n)).collect();
        let taken = read_with(&siblings, &given);
        files
            .iter()
            .zip(taken)
            .filter(|(_, taken)| *taken)
            .map(|((name, _), _)| name.to_string())
            .collect()
    }

    const FILES: &[(&str, Option<&str>)] = &[
        ("app.bicep", Some("module s './shared.bicep' = {}")),
        ("app.bicepparam", Some("using 'app.bicep'\n")),
        ("caller.bicep", Some("module a 'App.bicep' = {}")),
        ("top.bicep", Some("module c 'caller.bicep' = {}")),
        ("other.bicep", Some("module s 'shared.bicep' = {}")),
        ("shared.bicep", Some("module l 'leaf.bicep' = {}")),
        ("leaf.bicep", Some("param p string")),
        ("lone.bicep", Some("// nothing here")),
        (
            "dev.bicepparam",
            Some("using 'other.bicep'\nextends 'base.bicepparam'"),
        ),
        ("base.bicepparam", Some("using none")),
    ];

    #[test]
    fn a_file_takes_what_it_reaches_but_not_the_other_callers_of_a_shared_module() {
        assert_eq!(
            read_with_given(FILES, &["leaf.bicep"]),
            [
                "app.bicep",
                "app.bicepparam",
                "caller.bicep",
                "top.bicep",
                "other.bicep",
                "shared.bicep",
                "leaf.bicep",
                "dev.bicepparam",
                "base.bicepparam"
            ]
        );
        assert_eq!(read_with_given(FILES, &["lone.bicep"]), ["lone.bicep"]);
        assert_eq!(
            read_with_given(FILES, &["top.bicep"]),
            [
                "app.bicep",
                "caller.bicep",
                "top.bicep",
                "shared.bicep",
                "leaf.bicep"
            ]
        );
    }

    #[test]
    fn a_file_or_its_parameters_file_takes_the_files_callers_and_what_they_reach() {
        for given in ["app.bicep", "app.bicepparam"] {
            assert_eq!(
                read_with_given(FILES, &[given]),
                [
                    "app.bicep",
                    "app.bicepparam",
                    "caller.bicep",
                    "top.bicep",
                    "shared.bicep",
                    "leaf.bicep"
                ],
                "{given}"
            );
        }
        assert_eq!(
            read_with_given(FILES, &["dev.bicepparam"]),
            [
                "other.bicep",
                "shared.bicep",
                "leaf.bicep",
                "dev.bicepparam",
                "base.bicepparam"
            ]
        );
    }

    #[test]
    fn unreadable_files_and_escapes_may_name_any_file() {
        let mut files = FILES.to_vec();
        files.push(("odd.bicep", Some("module x 'l\\u{6f}ne.bicep' = {}")));
        let taken = read_with_given(&files, &["lone.bicep"]);
        assert_eq!(taken.len(), files.len());
        let mut files = FILES.to_vec();
        files.push(("locked.bicep", None));
        let taken = read_with_given(&files, &["lone.bicep"]);
        assert_eq!(taken.len(), files.len());
    }
}
