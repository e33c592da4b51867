//! Path globs: `*` within a path segment, `**` across segments, `?` one character; matched in
//! time proportional to the glob times the path.

/// `*` matches within a path segment, `**` across segments, `?` one character.
pub fn glob_matches(glob: &str, path: &str) -> bool {
    let glob = glob.strip_prefix("./").unwrap_or(glob);
    let path = path.strip_prefix("./").unwrap_or(path);
    matches_from(glob.as_bytes(), path.as_bytes())
}

/// Whether `glob` matches the whole of `path`, in time proportional to the product of their
/// lengths: which suffix of the glob matches which suffix of the path is worked out from the
/// ends, one glob byte at a time, keeping the rows the next one needs (a `**/` looks three
/// ahead). Trying each way a star could match instead takes time exponential in the stars.
fn matches_from(glob: &[u8], path: &[u8]) -> bool {
    let mut end = vec![false; path.len() + 1];
    if let Some(last) = end.last_mut() {
        *last = true;
    }
    // later[k][p]: whether the glob from the byte k + 1 after the current one matches path[p..].
    let mut later = std::collections::VecDeque::from([end]);
    for g in (0..glob.len()).rev() {
        let row = match glob.get(g..).unwrap_or_default() {
            [b'*', b'*', after @ ..] => {
                let skip = if after.first() == Some(&b'/') { 2 } else { 1 };
                any_from(later.get(skip).map(Vec::as_slice).unwrap_or_default())
            }
            [b'*', ..] => star(later.front().map(Vec::as_slice).unwrap_or_default(), path),
            [byte, ..] => one(
                *byte,
                later.front().map(Vec::as_slice).unwrap_or_default(),
                path,
            ),
            [] => Vec::new(),
        };
        later.push_front(row);
        later.truncate(3);
    }
    later
        .front()
        .and_then(|row| row.first())
        .copied()
        .unwrap_or(false)
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

/// The row of `?` or a literal byte: it takes the path's byte, and the rest matches after it.
fn one(glob_byte: u8, rest: &[bool], path: &[u8]) -> Vec<bool> {
    let takes = |byte: u8| match glob_byte {
        b'?' => byte != b'/',
        literal => byte == literal,
    };
    path.iter()
        .zip(rest.iter().skip(1))
        .map(|(&byte, &matches)| takes(byte) && matches)
        .chain(std::iter::once(false))
        .collect()
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

    /// How globs matched before: each way a star could match tried in turn.
    fn matches_by_trying_each_way(glob: &[u8], path: &[u8]) -> bool {
        match glob.split_first() {
            None => path.is_empty(),
            Some((b'*', rest)) if rest.first() == Some(&b'*') => {
                let rest = rest.get(1..).unwrap_or_default();
                let rest = rest.strip_prefix(b"/").unwrap_or(rest);
                (0..=path.len()).any(|i| {
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
                assert_eq!(
                    matches_from(glob, path),
                    matches_by_trying_each_way(glob, path),
                    "{:?} {:?}",
                    String::from_utf8_lossy(glob),
                    String::from_utf8_lossy(path)
                );
            }
        }
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
