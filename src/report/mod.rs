//! Renderers over a finished [`Scan`].

mod azure_devops;
mod concise;
mod frame;
mod github;
mod gitlab;
mod json;
mod json_text;
mod junit;
mod markdown;
mod mask;
mod pretty;
mod repository;
mod sarif;
mod statistics;

use std::borrow::Cow;
use std::io::{self, Write};

use rayon::prelude::*;

use crate::findings::Scan;
use crate::rules::Level;

pub use mask::mask_messages;
pub use pretty::ColorChoice;

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Pretty,
    Concise,
    Json,
    Sarif,
    Github,
    Junit,
    Gitlab,
    Markdown,
    AzureDevops,
}

impl Format {
    pub const ALL: &'static [Format] = &[
        Format::Pretty,
        Format::Concise,
        Format::Json,
        Format::Sarif,
        Format::Github,
        Format::Junit,
        Format::Gitlab,
        Format::Markdown,
        Format::AzureDevops,
    ];

    /// Whether the report says where each not-applicable result is (the JSON report lists
    /// them; the others count them at most).
    pub fn shows_where_not_applicable(self) -> bool {
        self == Format::Json
    }

    /// Whether the report lists or counts the not-applicable results (the JSON report lists
    /// them, the pretty and Markdown reports count them).
    pub fn counts_not_applicable(self) -> bool {
        matches!(self, Format::Json | Format::Pretty | Format::Markdown)
    }

    /// The name users give on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Format::Pretty => "pretty",
            Format::Concise => "concise",
            Format::Json => "json",
            Format::Sarif => "sarif",
            Format::Github => "github",
            Format::Junit => "junit",
            Format::Gitlab => "gitlab",
            Format::Markdown => "markdown",
            Format::AzureDevops => "azure-devops",
        }
    }

    pub fn parse(name: &str) -> Option<Format> {
        Format::ALL
            .iter()
            .copied()
            .find(|format| format.name() == name)
    }

    /// Every name, comma-separated, for messages.
    pub fn names() -> String {
        let names: Vec<&str> = Format::ALL.iter().map(|format| format.name()).collect();
        names.join(", ")
    }
}

/// Writes `scan` in `format`. `color` applies to the human formats only.
pub fn render(scan: &Scan, format: Format, color: bool, out: &mut dyn Write) -> io::Result<()> {
    match format {
        Format::Pretty => pretty::render(scan, color, out),
        Format::Concise => concise::render(scan, out),
        Format::Json => json::render(scan, out),
        Format::Sarif => sarif::render(scan, out),
        Format::Github => github::render(scan, out),
        Format::Junit => junit::render(scan, out),
        Format::Gitlab => gitlab::render(scan, out),
        Format::Markdown => markdown::render(scan, out),
        Format::AzureDevops => azure_devops::render(scan, out),
    }
}

/// Writes how many findings each rule has in place of the findings (`--statistics`), in a human
/// format: after them the summary, in `pretty`.
pub fn render_statistics(
    scan: &Scan,
    format: Format,
    color: bool,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Pretty => pretty::render_statistics(scan, color, out),
        Format::Concise => concise::render_statistics(scan, out),
        _ => render(scan, format, color, out),
    }
}

/// Writes the input errors for a human on standard error.
pub fn render_errors(scan: &Scan, color: bool, out: &mut dyn Write) -> io::Result<()> {
    pretty::render_errors(scan, color, out)
}

/// Counts of findings by level.
#[derive(Debug, Default, Clone, Copy)]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
    pub notes: usize,
}

impl Counts {
    pub fn of(scan: &Scan) -> Counts {
        let mut counts = Counts::default();
        for finding in &scan.findings {
            match finding.level {
                Level::Error => counts.errors += 1,
                Level::Warning => counts.warnings += 1,
                Level::Note => counts.notes += 1,
            }
        }
        counts
    }
}

/// How a character that must not reach a terminal or a CI log raw is written: C0 and C1
/// control characters (ESC, CR, LF, ... but not tab) and the bidirectional overrides, as Rust
/// escapes (`\u{1b}`, `\n`); `None` for characters shown as they are.
fn escape_char(c: char) -> Option<String> {
    let hidden = (c.is_control() && c != '\t')
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
    hidden.then(|| c.escape_default().collect())
}

/// A CI logging command's message: `%` as `percent` (each CI has its own), CR and LF as `%0D`
/// and `%0A` as the runners decode them, other control characters escaped, so a command can
/// only start where the tool writes one.
fn escape_command_data(text: &str, percent: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => out.push_str(percent),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            c => match escape_char(c) {
                Some(escaped) => out.push_str(&escaped),
                None => out.push(c),
            },
        }
    }
    out
}

/// `text` with control characters escaped (see [`escape_char`]), so a name or value from an
/// input can neither move the cursor nor start a line of its own.
pub fn escape_controls(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| escape_char(c).is_some()) {
        return Cow::Borrowed(text);
    }
    let mut escaped = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match escape_char(c) {
            Some(escape) => escaped.push_str(&escape),
            None => escaped.push(c),
        }
    }
    Cow::Owned(escaped)
}

/// Said instead of "No problems found" when no file could be checked at all.
/// `11 Bicep registry modules could not be read, so what they deploy is not checked`.
fn unread_registry_modules(count: usize) -> String {
    let they_deploy = if count == 1 {
        "it deploys"
    } else {
        "they deploy"
    };
    format!(
        "{} could not be read, so what {they_deploy} is not checked",
        plural(count, "Bicep registry module")
    )
}

/// The summary's words for parameters files read with no template; `how` adds how to name and
/// pair them.
fn unpaired_parameters_files(count: usize, how: bool) -> String {
    let (is, its, them) = words_for(count);
    let how = if how {
        format!(" (`--show-unknown` names {them}; pair {them} in the configuration)")
    } else {
        String::new()
    };
    format!(
        "{} {is} read with no template, so {its} values are not checked{how}",
        plural(count, "parameters file")
    )
}

/// The summary's words for variable files no module applies; `how` adds how to name and apply
/// them.
fn unapplied_variable_files(count: usize, how: bool) -> String {
    let (is, its, them) = words_for(count);
    let how = if how {
        format!(" (`--show-unknown` names {them}; give {them} with `--var-file`)")
    } else {
        String::new()
    };
    format!(
        "{} {is} applied to no module (Terraform applies {them} only with `-var-file`), so {its} \
         values are not checked{how}",
        plural(count, "variable file")
    )
}

/// "is", "its" and "it" for one thing, "are", "their" and "them" for any other count.
fn words_for(count: usize) -> (&'static str, &'static str, &'static str) {
    if count == 1 {
        ("is", "its", "it")
    } else {
        ("are", "their", "them")
    }
}

fn plural(count: usize, word: &str) -> String {
    if count == 1 {
        format!("{count} {word}")
    } else {
        format!("{count} {word}s")
    }
}

/// How many items are serialized together before they are written.
const ITEMS_PER_CHUNK: usize = 2048;

/// How many items one task serializes into one buffer, comma-separated.
const ITEMS_PER_GROUP: usize = 64;

/// Writes `items` as the comma-separated elements of a JSON array, serialized in parallel
/// chunks: a large report neither waits on one core nor sits whole in memory. A helper thread
/// serializes the next chunk while this one writes the last. `serialize` appends one item.
fn write_json_items<T: Sync>(
    out: &mut dyn Write,
    items: &[T],
    serialize: impl Fn(&T, &mut Vec<u8>) -> io::Result<()> + Sync,
) -> io::Result<()> {
    let serialize = &serialize;
    let serialize_chunk = |chunk: &[T]| -> Vec<io::Result<Vec<u8>>> {
        chunk
            .par_chunks(ITEMS_PER_GROUP)
            .map(|group| serialized_group(group, serialize))
            .collect()
    };
    let mut first = true;
    if items.len() <= ITEMS_PER_CHUNK {
        return write_array_elements(out, serialize_chunk(items), &mut first);
    }
    std::thread::scope(|scope| {
        let (sender, receiver) = std::sync::mpsc::sync_channel(1);
        scope.spawn(move || {
            for chunk in items.chunks(ITEMS_PER_CHUNK) {
                if sender.send(serialize_chunk(chunk)).is_err() {
                    return;
                }
            }
        });
        receiver
            .into_iter()
            .try_for_each(|serialized| write_array_elements(out, serialized, &mut first))
    })
}

/// A group of items serialized into one buffer, each after a comma but the first.
fn serialized_group<T>(
    group: &[T],
    serialize: impl Fn(&T, &mut Vec<u8>) -> io::Result<()>,
) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::with_capacity(group.len() * BYTES_PER_ITEM);
    for (i, item) in group.iter().enumerate() {
        if i > 0 {
            bytes.push(b',');
        }
        serialize(item, &mut bytes)?;
    }
    Ok(bytes)
}

/// Room made for each item of a group at once: most findings take 400 to 900 bytes.
const BYTES_PER_ITEM: usize = 768;

/// Writes serialized groups of items, each after a comma but the array's first.
fn write_array_elements(
    out: &mut dyn Write,
    serialized: Vec<io::Result<Vec<u8>>>,
    first: &mut bool,
) -> io::Result<()> {
    let written = serialized
        .iter()
        .position(Result::is_err)
        .unwrap_or(serialized.len());
    let mut slices = Vec::with_capacity(written * 2);
    for bytes in serialized.iter().take(written).flatten() {
        if !*first {
            slices.push(io::IoSlice::new(b","));
        }
        *first = false;
        slices.push(io::IoSlice::new(bytes));
    }
    // Handed to the writer as they are: a chunk is larger than the file's buffer, so it goes
    // to the file in one call instead of being copied into the buffer first.
    write_all_vectored(out, &mut slices)?;
    match serialized.into_iter().nth(written) {
        Some(Err(failure)) => Err(failure),
        _ => Ok(()),
    }
}

fn write_all_vectored(out: &mut dyn Write, mut slices: &mut [io::IoSlice<'_>]) -> io::Result<()> {
    io::IoSlice::advance_slices(&mut slices, 0);
    while !slices.is_empty() {
        match out.write_vectored(slices) {
            Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
            Ok(n) => io::IoSlice::advance_slices(&mut slices, n),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(items: &[u32]) -> io::Result<Vec<u8>> {
        let mut out = Vec::new();
        write_json_items(&mut out, items, |item, bytes| {
            if *item == u32::MAX {
                return Err(io::Error::other("unserializable"));
            }
            bytes.extend_from_slice(item.to_string().as_bytes());
            Ok(())
        })?;
        Ok(out)
    }

    #[test]
    fn items_are_written_in_order_comma_separated_across_groups_and_chunks() {
        let sizes = [0, 1, 2, 63, 64, 65, 2047, 2048, 2049, 4096, 5000];
        for size in sizes {
            let items: Vec<u32> = (0..size).collect();
            let array = format!("[{}]", String::from_utf8(written(&items).unwrap()).unwrap());
            let parsed: Vec<u32> = serde_json::from_str(&array).unwrap();
            assert_eq!(parsed, items, "{size} items");
        }
    }

    /// Takes at most a few bytes per call, and is sometimes interrupted, as a pipe may be.
    struct Trickle {
        written: Vec<u8>,
        calls: usize,
    }

    impl Write for Trickle {
        fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
            self.write_vectored(&[io::IoSlice::new(bytes)])
        }

        fn write_vectored(&mut self, slices: &[io::IoSlice<'_>]) -> io::Result<usize> {
            self.calls += 1;
            if self.calls.is_multiple_of(5) {
                return Err(io::ErrorKind::Interrupted.into());
            }
            let mut taken = 0;
            for slice in slices {
                let take = slice.len().min(7 - taken);
                self.written.extend_from_slice(&slice[..take]);
                taken += take;
                if taken == 7 {
                    break;
                }
            }
            Ok(taken)
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn items_reach_a_writer_that_takes_a_few_bytes_at_a_time_whole() {
        let items: Vec<u32> = (0..3000).collect();
        let mut out = Trickle {
            written: Vec::new(),
            calls: 0,
        };
        write_json_items(&mut out, &items, |item, bytes| {
            bytes.extend_from_slice(item.to_string().as_bytes());
            Ok(())
        })
        .unwrap();
        assert_eq!(out.written, written(&items).unwrap());
        assert!(out.calls > 1000, "{} calls", out.calls);
    }

    #[test]
    fn an_item_that_cannot_be_serialized_fails_the_write() {
        for at in [0, 70, 3000] {
            let mut items: Vec<u32> = (0..4000).collect();
            items[at] = u32::MAX;
            assert!(written(&items).is_err(), "failing item at {at}");
        }
    }
}
