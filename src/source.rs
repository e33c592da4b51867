//! Source files, byte spans and line/column positions.

mod glob;

pub use glob::{Glob, GlobBase, glob_is_well_formed, glob_literal_prefix, glob_matches};

use std::path::{Path, PathBuf};

/// Index of a file in the [`SourceMap`].
pub type FileId = usize;

/// A byte range inside one source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    pub file: FileId,
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(file: FileId, start: usize, end: usize) -> Self {
        Span {
            file,
            start,
            end: end.max(start),
        }
    }
}

/// A 1-based line and column; the column counts Unicode scalar values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// `text` cut after `max_chars` characters, with `…` when something was cut.
pub fn shortened(text: &str, max_chars: usize) -> String {
    if text.len() <= max_chars {
        // No more characters than bytes: nothing to cut, and no need to count.
        return text.to_string();
    }
    match text.char_indices().nth(max_chars) {
        Some((cut, _)) => format!("{}…", text.get(..cut).unwrap_or(text)),
        None => text.to_string(),
    }
}

/// The order of the files a scan reads: by the directory they are read with (see
/// [`group_directory`]), then by path, so that each directory's files are adjacent even where a
/// subdirectory's name sorts between them.
pub fn directory_order(a: &Path, b: &Path) -> std::cmp::Ordering {
    (group_directory(a), a).cmp(&(group_directory(b), b))
}

/// The directory whose files a file is read with: its own, except for an ARM parameters file
/// (see [`named_as_parameters`]) in a directory named `parameters` or `params` that holds no
/// template of its name, which is read with the templates of the directory above
/// (`modules/hub/parameters/hub.parameters.all.json` with `modules/hub/hub.bicep`).
pub fn group_directory(path: &Path) -> Option<&Path> {
    let parent = path.parent()?;
    let template_beside = || NamedTemplates::of(path, Some(parent)).found().is_some();
    if is_parameters_directory(parent) && named_as_parameters(path) && !template_beside() {
        parent.parent()
    } else {
        Some(parent)
    }
}

/// Whether a directory is named as one that holds the parameters files of the templates above
/// it: `parameters` or `params`.
pub fn is_parameters_directory(directory: &Path) -> bool {
    directory.file_name().is_some_and(|name| {
        name.eq_ignore_ascii_case("parameters") || name.eq_ignore_ascii_case("params")
    })
}

/// What a parameters file's name holds after its template's stem.
pub const PARAMETERS_INFIX: &str = ".parameters";

/// Where each stem of a parameters file's name (in lower case) ends: before each `.parameters`
/// that the name continues with `.json`, `.jsonc` or `.<env>.json(c)` after.
pub fn stem_ends(lower_name: &str) -> impl Iterator<Item = usize> + '_ {
    lower_name
        .match_indices(PARAMETERS_INFIX)
        .filter_map(move |(at, _)| {
            let rest = lower_name.get(at + PARAMETERS_INFIX.len()..)?;
            let pairs =
                rest.starts_with('.') && (rest.ends_with(".json") || rest.ends_with(".jsonc"));
            pairs.then_some(at)
        })
}

/// The templates a parameters file's name stands for, in the name's own case.
pub struct NamedTemplates<'p> {
    name: std::borrow::Cow<'p, str>,
    ends: Vec<usize>,
    directory: Option<&'p Path>,
}

/// Which template of a parameters file's name exists in a directory.
pub enum TemplateFound<'n> {
    Named,
    Shorter(&'n str),
}

impl<'p> NamedTemplates<'p> {
    /// The name of the parameters file at `path`, its templates looked for in `directory`.
    pub fn of(path: &'p Path, directory: Option<&'p Path>) -> Self {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default();
        // Lower case keeps every byte offset: the stems end where they end in the name.
        let ends = stem_ends(&name.to_ascii_lowercase()).collect();
        NamedTemplates {
            name,
            ends,
            directory,
        }
    }

    /// The stems of the templates the name stands for.
    pub fn stems(&self) -> impl Iterator<Item = &str> {
        self.ends.iter().filter_map(|&at| self.name.get(..at))
    }

    /// The template of the name's stems that exists, or else the longest of their shorter
    /// forms that names one.
    pub fn found(&self) -> Option<TemplateFound<'_>> {
        let directory = self.directory?;
        if self.stems().any(|stem| template_exists(directory, stem)) {
            return Some(TemplateFound::Named);
        }
        let mut shorter: Vec<&str> = self.stems().flat_map(shorter_stems).collect();
        shorter.sort_by_key(|stem| std::cmp::Reverse(stem.len()));
        let found = shorter
            .into_iter()
            .find(|stem| template_exists(directory, stem));
        found.map(TemplateFound::Shorter)
    }
}

/// A stem without each of its last `.`-separated parts in turn, longest first: `a.b.c` gives
/// `a.b` and `a`.
pub fn shorter_stems(stem: &str) -> impl Iterator<Item = &str> {
    stem.rmatch_indices('.')
        .filter_map(move |(at, _)| stem.get(..at))
        .filter(|shorter| !shorter.is_empty())
}

/// Whether `directory` holds a template of that stem: JSON, or Bicep compiled at deployment.
fn template_exists(directory: &Path, stem: &str) -> bool {
    !stem.is_empty()
        && ["json", "jsonc", "bicep"]
            .iter()
            .any(|extension| directory.join(format!("{stem}.{extension}")).is_file())
}

/// `x.parameters.json`, `x.parameters.prod.json`: an ARM parameters file by its name (not a
/// Terraform file in JSON syntax, `x.parameters.tf.json`).
pub fn named_as_parameters(path: &Path) -> bool {
    let Some(name) = path.file_name() else {
        return false;
    };
    // The patterns are ASCII: the bytes of the name compare as its text in lower case does.
    let name = name.as_encoded_bytes();
    let ends_with = |suffix: &[u8]| {
        let start = name.len().checked_sub(suffix.len());
        start
            .and_then(|start| name.get(start..))
            .is_some_and(|end| end.eq_ignore_ascii_case(suffix))
    };
    let infix = b".parameters.";
    let terraform = ends_with(b".tf.json") || ends_with(b".tfvars.json");
    name.windows(infix.len())
        .any(|part| part.eq_ignore_ascii_case(infix))
        && (ends_with(b".json") || ends_with(b".jsonc"))
        && !terraform
}

/// Sorts `items` in [`directory_order`] of their paths (stable), comparing a key made once per
/// path instead of taking the paths apart at every comparison.
pub fn sort_in_directory_order<T: Send + Sync>(items: &mut [T], path: impl Fn(&T) -> &Path + Sync) {
    use rayon::prelude::*;
    if items.iter().any(|item| has_prefix(path(item))) {
        items.par_sort_by(|a, b| directory_order(path(a), path(b)));
    } else {
        items.par_sort_by_cached_key(|item| directory_order_key(path(item)));
    }
}

/// Whether a path starts with a Windows prefix (`C:`), whose order is not its text's.
fn has_prefix(path: &Path) -> bool {
    matches!(
        path.components().next(),
        Some(std::path::Component::Prefix(_))
    )
}

/// A key whose byte order is [`directory_order`] for paths without a Windows prefix: the
/// parent's components, then the path's, each component a byte for its kind (in the order of
/// [`Component`]'s kinds), its text and a NUL, which no path holds.
///
/// [`Component`]: std::path::Component
fn directory_order_key(path: &Path) -> Vec<u8> {
    let mut key = Vec::with_capacity(2 * path.as_os_str().len() + 8);
    match group_directory(path) {
        None => key.push(0),
        Some(parent) => {
            key.push(1);
            push_components(&mut key, parent);
        }
    }
    key.push(0);
    push_components(&mut key, path);
    key
}

fn push_components(key: &mut Vec<u8>, path: &Path) {
    use std::path::Component;
    for component in path.components() {
        let (kind, text): (u8, &[u8]) = match component {
            Component::Prefix(prefix) => (1, prefix.as_os_str().as_encoded_bytes()),
            Component::RootDir => (2, b""),
            Component::CurDir => (3, b""),
            Component::ParentDir => (4, b""),
            Component::Normal(name) => (5, name.as_encoded_bytes()),
        };
        key.push(kind);
        key.extend_from_slice(text);
        key.push(0);
    }
}

/// The files a scan discovered, by path, for the readers of modules and loaded files to take a
/// file's id when it was discovered too.
#[derive(Clone, Copy, Default)]
pub struct KnownFiles<'a> {
    /// In [`directory_order`], as discovery sorts them; a file's id is its index.
    paths: &'a [&'a Path],
}

impl<'a> KnownFiles<'a> {
    pub fn new(paths: &'a [&'a Path]) -> Self {
        KnownFiles { paths }
    }

    /// The id of the file at `path`, when it was discovered.
    pub fn get(&self, path: &Path) -> Option<FileId> {
        self.paths
            .binary_search_by(|known| directory_order(known, path))
            .ok()
    }

    pub fn contains(&self, path: &Path) -> bool {
        self.get(path).is_some()
    }
}

/// One file read from disk, with a leading byte-order mark removed.
#[derive(Debug)]
pub struct SourceFile {
    pub path: PathBuf,
    /// The path as shown to users: relative to the working directory when possible.
    pub name: String,
    pub text: String,
    /// Where each line starts, found the first time a position is asked for (most files of a
    /// scan never are).
    line_starts: std::sync::OnceLock<Vec<usize>>,
    /// Characters counted in columns (carriage returns are not) before every
    /// [`CHECKPOINT_BYTES`]-th byte, so a column costs the same on a long line as on a short one;
    /// counted the first time a position on a long line is asked for.
    checkpoints: std::sync::OnceLock<Vec<usize>>,
    /// Tells this file's positions apart from another's in [`RECENT_POSITIONS`], even where a
    /// later file takes this one's place in memory.
    serial: u64,
    /// The length of the text [`SourceFile::release_text`] freed, until it is read again.
    released: Option<usize>,
}

/// The last positions asked for on this thread, by file serial and byte offset: a report asks
/// for the same few places many times in a row (the results on one resource).
type RecentPositions = [(u64, usize, Position); 2];

thread_local! {
    static RECENT_POSITIONS: std::cell::Cell<RecentPositions> = const {
        std::cell::Cell::new([(0, 0, Position { line: 1, column: 1 }); 2])
    };
}

/// The serial of the next [`SourceFile`]; 0 is never given, so the empty memo matches no file.
static NEXT_SERIAL: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

/// Bytes between two entries of [`SourceFile`]'s column checkpoints.
const CHECKPOINT_BYTES: usize = 4096;

/// A file's text without the byte order mark it may start with: offsets count from after it.
fn without_byte_order_mark(mut text: String) -> String {
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    text
}

/// Characters a column counts in `bytes`: every UTF-8 lead byte except carriage returns.
fn column_chars(bytes: &[u8]) -> usize {
    bytes
        .iter()
        .filter(|&&b| b & 0xC0 != 0x80 && b != b'\r')
        .count()
}

impl SourceFile {
    pub fn new(path: PathBuf, name: String, text: String) -> Self {
        SourceFile {
            path,
            name,
            text: without_byte_order_mark(text),
            line_starts: std::sync::OnceLock::new(),
            checkpoints: std::sync::OnceLock::new(),
            serial: NEXT_SERIAL.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            released: None,
        }
    }

    /// Frees the text of a file read from disk that the report is not expected to show, until
    /// [`SourceFile::restore_text`] reads it again.
    pub fn release_text(&mut self) {
        self.released = Some(self.text.len());
        self.text = String::new();
    }

    /// Whether the text was freed and not read again.
    pub fn is_released(&self) -> bool {
        self.released.is_some()
    }

    /// Reads again the text [`SourceFile::release_text`] freed; why not, when the file cannot
    /// be read or no longer has the length it had.
    pub fn restore_text(&mut self) -> Result<(), String> {
        let Some(length) = self.released.take() else {
            return Ok(());
        };
        let read = read_text(&self.path).map_err(|failure| failure.message)?;
        let text = without_byte_order_mark(read);
        if text.len() != length {
            return Err("the file changed while it was scanned".to_string());
        }
        self.text = text;
        // Positions asked for while the text was freed were counted in no text.
        self.line_starts = std::sync::OnceLock::new();
        self.checkpoints = std::sync::OnceLock::new();
        Ok(())
    }

    /// A number no other file of this process has: what was remembered of a file is never
    /// taken for another's.
    pub fn serial(&self) -> u64 {
        self.serial
    }

    fn checkpoints(&self) -> &[usize] {
        self.checkpoints.get_or_init(|| {
            std::iter::once(0)
                .chain(
                    self.text
                        .as_bytes()
                        .chunks(CHECKPOINT_BYTES)
                        .scan(0, |count, chunk| {
                            *count += column_chars(chunk);
                            Some(*count)
                        }),
                )
                .collect()
        })
    }

    pub fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(memchr::memchr_iter(b'\n', self.text.as_bytes()).map(|i| i + 1))
                .collect()
        })
    }

    /// The position of a byte offset, clamped to the file.
    pub fn position(&self, offset: usize) -> Position {
        let mut recent = RECENT_POSITIONS.get();
        if let Some(&(_, _, known)) = recent
            .iter()
            .find(|&&(serial, at, _)| serial == self.serial && at == offset)
        {
            return known;
        }
        let position = self.compute_position(offset);
        recent.rotate_right(1);
        recent[0] = (self.serial, offset, position);
        RECENT_POSITIONS.set(recent);
        position
    }

    fn compute_position(&self, offset: usize) -> Position {
        let offset = self.floor_char_boundary(offset.min(self.text.len()));
        let line_starts = self.line_starts();
        let line_index = match line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let line_start = line_starts.get(line_index).copied().unwrap_or(0);
        let column = self.columns_between(line_start, offset);
        Position {
            line: line_index + 1,
            column: column + 1,
        }
    }

    /// The byte offset of a 1-based line and column (the inverse of [`Self::position`]): the
    /// first offset at that position, since carriage returns take no column. A column past the
    /// end of its line gives the end of the line.
    pub fn offset(&self, line: usize, column: usize) -> usize {
        let index = line.saturating_sub(1);
        let line_starts = self.line_starts();
        let Some(&line_start) = line_starts.get(index) else {
            return self.text.len();
        };
        let line_end = line_starts
            .get(index + 1)
            .map_or(self.text.len(), |&next| next.saturating_sub(1));
        let mut columns = column.saturating_sub(1);
        for (i, c) in self
            .text
            .get(line_start..line_end)
            .unwrap_or("")
            .char_indices()
        {
            if columns == 0 {
                return line_start + i;
            }
            if c != '\r' {
                columns -= 1;
            }
        }
        line_end
    }

    /// Characters counted in columns before `offset`, from the nearest checkpoint.
    /// Columns from `line_start` to `offset` on one line: counted directly on a short line,
    /// through the checkpoints on a long one.
    fn columns_between(&self, line_start: usize, offset: usize) -> usize {
        if offset - line_start <= CHECKPOINT_BYTES {
            let bytes = self.text.as_bytes().get(line_start..offset).unwrap_or(&[]);
            return column_chars(bytes);
        }
        self.chars_before(offset)
            .saturating_sub(self.chars_before(line_start))
    }

    fn chars_before(&self, offset: usize) -> usize {
        let index = offset / CHECKPOINT_BYTES;
        let from = index * CHECKPOINT_BYTES;
        let counted = self.checkpoints().get(index).copied().unwrap_or(0);
        counted + column_chars(self.text.as_bytes().get(from..offset).unwrap_or(&[]))
    }

    fn floor_char_boundary(&self, mut offset: usize) -> usize {
        while offset > 0 && !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        offset
    }
}

/// All files of one scan, addressed by [`FileId`]: in the lists they were read in (a
/// directory's), which are kept as they are rather than copied into one.
#[derive(Debug, Default)]
pub struct SourceMap {
    lists: Vec<Vec<SourceFile>>,
    /// Where each file is, by id: its list and its index in the list.
    places: Vec<(u32, u32)>,
}

impl SourceMap {
    /// Adds files in order; their ids follow the last file's.
    pub fn append(&mut self, files: Vec<SourceFile>) {
        if files.is_empty() {
            return;
        }
        let list = self.lists.len() as u32;
        self.places
            .extend((0..files.len() as u32).map(|index| (list, index)));
        self.lists.push(files);
    }

    pub fn push(&mut self, file: SourceFile) -> FileId {
        let id = self.places.len();
        let list = self.lists.len().saturating_sub(1) as u32;
        match self.lists.last_mut() {
            Some(last) => {
                self.places.push((list, last.len() as u32));
                last.push(file);
            }
            None => self.append(vec![file]),
        }
        id
    }

    /// Which list holds the file `id`, and where in it.
    fn place(&self, id: FileId) -> Option<(usize, usize)> {
        let &(list, index) = self.places.get(id)?;
        Some((list as usize, index as usize))
    }

    pub fn get(&self, id: FileId) -> Option<&SourceFile> {
        let (list, index) = self.place(id)?;
        self.lists.get(list)?.get(index)
    }

    fn get_mut(&mut self, id: FileId) -> Option<&mut SourceFile> {
        let (list, index) = self.place(id)?;
        self.lists.get_mut(list)?.get_mut(index)
    }

    /// The files in the order of their ids.
    pub fn iter(&self) -> impl Iterator<Item = &SourceFile> + '_ {
        self.lists.iter().flatten()
    }

    /// Gives a file read without keeping its text (one the scan found nothing to read in) the
    /// text a front end read it with; whether it had none before.
    pub fn keep_text(&mut self, id: FileId, text: String) -> bool {
        match self.get_mut(id) {
            Some(file) if file.text.is_empty() && !text.is_empty() => {
                *file = SourceFile::new(
                    std::mem::take(&mut file.path),
                    std::mem::take(&mut file.name),
                    text,
                );
                true
            }
            _ => false,
        }
    }

    /// Reads again the freed texts of the files `ids` (see [`SourceFile::restore_text`]): a
    /// notice for each that could not be.
    pub fn restore_texts(&mut self, ids: impl IntoIterator<Item = FileId>) -> Vec<String> {
        let mut failed = Vec::new();
        for id in ids {
            let Some(file) = self.get_mut(id).filter(|f| f.is_released()) else {
                continue;
            };
            if let Err(why) = file.restore_text() {
                failed.push(format!(
                    "{}: {why}; places in it are shown at its start",
                    file.name
                ));
            }
        }
        failed
    }

    pub fn len(&self) -> usize {
        self.places.len()
    }

    pub fn is_empty(&self) -> bool {
        self.places.is_empty()
    }

    pub fn name(&self, id: FileId) -> &str {
        self.get(id).map_or("<unknown>", |f| f.name.as_str())
    }

    pub fn start(&self, span: Span) -> Position {
        self.get(span.file)
            .map_or(Position { line: 1, column: 1 }, |f| f.position(span.start))
    }

    pub fn end(&self, span: Span) -> Position {
        self.get(span.file)
            .map_or(Position { line: 1, column: 1 }, |f| f.position(span.end))
    }
}

/// Paths found by their file name, then compared whole (as `Path`s compare, component by
/// component): finding one among many takes a lookup and a comparison with the few of the same
/// name, not a comparison with each.
#[derive(Default)]
pub struct PathIndex {
    paths: Vec<PathBuf>,
    by_name: foldhash::HashMap<std::ffi::OsString, Vec<usize>>,
    /// Paths without a file name (`/`, `..`).
    unnamed: Vec<usize>,
}

impl PathIndex {
    pub fn new(paths: impl IntoIterator<Item = PathBuf>) -> Self {
        let mut index = PathIndex::default();
        for (position, path) in paths.into_iter().enumerate() {
            match path.file_name() {
                Some(name) => index.by_name.entry(name.to_owned()).or_default(),
                None => &mut index.unnamed,
            }
            .push(position);
            index.paths.push(path);
        }
        index
    }

    /// The position of the first indexed path equal to `path`.
    pub fn position(&self, path: &Path) -> Option<usize> {
        let same_name = match path.file_name() {
            Some(name) => self.by_name.get(name)?,
            None => &self.unnamed,
        };
        same_name
            .iter()
            .copied()
            .find(|&position| self.paths.get(position).is_some_and(|p| p == path))
    }
}

/// Where `pattern` starts in `text`, overlapping occurrences included.
pub fn positions_of<'t>(text: &'t str, pattern: &'t str) -> impl Iterator<Item = usize> + 't {
    let mut from = 0;
    std::iter::from_fn(move || {
        let at = from + text.get(from..)?.find(pattern)?;
        from = at + pattern.chars().next().map_or(1, char::len_utf8);
        Some(at)
    })
}

/// The name shown for a path: relative to `base` when it lies below it, also when it is
/// written from above (`../parameters/x.json` in `parameters` shows as `x.json`).
pub fn display_name(path: &Path, base: &Path) -> String {
    let returning = path.starts_with("..").then(|| returning_below(path, base));
    let normalized;
    let shown = match returning {
        Some(Returning::Below(rest)) => rest,
        Some(Returning::Outside) => path,
        Some(Returning::Unknown) => {
            normalized = normalize(&base.join(path));
            normalized.strip_prefix(base).unwrap_or(path)
        }
        None => path.strip_prefix(base).unwrap_or(path),
    };
    let shown = shown.strip_prefix(".").unwrap_or(shown);
    if shown.as_os_str().is_empty() {
        // The base directory itself, as a shell names it.
        return ".".to_string();
    }
    match shown.to_str() {
        Some(text) if !text.contains('\\') => text.to_string(),
        _ => shown.to_string_lossy().replace('\\', "/"),
    }
}

/// Where a path that climbs out of `base` first (`../main/a.tf` from `/work/main`) leads.
enum Returning<'a> {
    /// Back below `base`: the rest of the path from there (`a.tf`).
    Below(&'a Path),
    Outside,
    /// Not worked out here: the path or `base` has `.` or `..` past its beginning.
    Unknown,
}

/// Where `path`, a sequence of `..` followed by names, leads from `base`, an absolute path of
/// names, worked out on their bytes without building the joined path: it comes back below
/// `base` when the names after the `..` are those it climbed out of.
#[cfg(unix)]
fn returning_below<'a>(path: &'a Path, base: &Path) -> Returning<'a> {
    if !(base.is_absolute() && is_normalized(base) && is_normalized(path)) {
        return Returning::Unknown;
    }
    let path_bytes = path.as_os_str().as_encoded_bytes();
    let base_bytes = base.as_os_str().as_encoded_bytes();
    let mut rest = path_bytes;
    let mut climbs = 0;
    while let Some(after) = rest.strip_prefix(b"..") {
        match after {
            [] => rest = after,
            [b'/', more @ ..] => rest = more,
            _ => break,
        }
        climbs += 1;
    }
    // The names of `base` climbed out of, from the separator before them.
    let mut climbed_from = base_bytes.len();
    for _ in 0..climbs {
        let kept = base_bytes.get(..climbed_from).unwrap_or_default();
        match kept.iter().rposition(|byte| *byte == b'/') {
            Some(separator) if climbed_from > 1 => climbed_from = separator,
            _ => return Returning::Outside,
        }
    }
    let climbed_out_of = base_bytes.get(climbed_from + 1..).unwrap_or_default();
    let below = match rest.strip_prefix(climbed_out_of) {
        Some([]) => &[][..],
        Some([b'/', below @ ..]) => below,
        _ => return Returning::Outside,
    };
    Returning::Below(Path::new(
        <std::ffi::OsStr as std::os::unix::ffi::OsStrExt>::from_bytes(below),
    ))
}

#[cfg(not(unix))]
fn returning_below<'a>(_path: &'a Path, _base: &Path) -> Returning<'a> {
    Returning::Unknown
}

/// A path with `.` and `..` resolved lexically (no file system access), as paths are compared.
pub fn normalize(path: &Path) -> PathBuf {
    use std::path::Component;
    if is_normalized(path) {
        return path.to_path_buf();
    }
    let mut out = PathBuf::with_capacity(path.as_os_str().len());
    // How many of the last components of `out` are names a `..` can take away.
    let mut names = 0usize;
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir if names > 0 => {
                out.pop();
                names -= 1;
            }
            Component::ParentDir => out.push(".."),
            Component::Normal(name) => {
                out.push(name);
                names += 1;
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// Largest file a template or module reads besides itself (Bicep's `loadTextContent()` and its
/// siblings, Terraform's `file()`).
pub const MAX_READ_BYTES: u64 = 1024 * 1024;

/// Why a file a template or module names is not read; a missing file is told apart.
#[derive(Debug)]
pub struct NotRead {
    pub missing: bool,
    pub message: String,
}

impl NotRead {
    /// A file that exists and is not read.
    pub fn refused(message: String) -> Self {
        NotRead {
            missing: false,
            message,
        }
    }
}

/// The canonical path of `path` (named `shown` in messages), which must lie below one of the
/// canonical `roots`: a template or module reads nothing outside the scanned directories.
pub fn canonical_below(path: &Path, shown: &str, roots: &[PathBuf]) -> Result<PathBuf, NotRead> {
    let canonical = std::fs::canonicalize(path).map_err(|error| NotRead {
        missing: true,
        message: format!("`{shown}` cannot be read: {error}"),
    })?;
    if !roots.iter().any(|root| canonical.starts_with(root)) {
        return Err(NotRead::refused(format!(
            "`{shown}` lies outside the scanned directories and their repository and is not read"
        )));
    }
    Ok(canonical)
}

/// The bytes of the file at `canonical` (named `shown` in messages): a regular file of at most
/// [`MAX_READ_BYTES`].
pub fn read_regular_file(canonical: &Path, shown: &str) -> Result<Vec<u8>, NotRead> {
    let metadata = std::fs::metadata(canonical).ok();
    if !metadata.as_ref().is_some_and(std::fs::Metadata::is_file) {
        // A pipe or device would block the read or never end.
        return Err(NotRead::refused(format!("`{shown}` is not a regular file")));
    }
    within_read_limit(metadata.map_or(0, |m| m.len()), shown)?;
    std::fs::read(canonical)
        .map_err(|error| NotRead::refused(format!("`{shown}` cannot be read: {error}")))
}

/// Refuses a file (named `shown`) of more than [`MAX_READ_BYTES`].
pub fn within_read_limit(size: u64, shown: &str) -> Result<(), NotRead> {
    if size > MAX_READ_BYTES {
        return Err(NotRead::refused(format!(
            "`{shown}` is larger than {} KiB and is not read",
            MAX_READ_BYTES / 1024
        )));
    }
    Ok(())
}

/// [`normalize`] for a path the file system is asked about: `.` where the components cancel
/// out (`examples/..`), not the empty path, which names nothing.
pub fn normalize_for_access(path: &Path) -> PathBuf {
    let normalized = normalize(path);
    if normalized.as_os_str().is_empty() {
        return PathBuf::from(".");
    }
    normalized
}

/// The top of the repository an absolute, normalized `path` (a file or directory) lies in: the
/// nearest of it and the directories above it that holds `.git`.
pub fn repository_top(path: &Path) -> Option<PathBuf> {
    path.ancestors()
        .find(|directory| directory.join(".git").exists())
        .map(Path::to_path_buf)
}

/// The directory below which the files a scanned directory's configuration reads
/// (`loadTextContent()`, `file()`, `fileset()`) may lie: the top of the repository it is in;
/// outside a repository, the working directory `base` when it lies below it (and is not the
/// root of the file system); otherwise itself. Both paths are canonical.
pub fn readable_below(scanned: &Path, base: &Path) -> PathBuf {
    if let Some(top) = repository_top(scanned) {
        return top;
    }
    if base.parent().is_some() && scanned.starts_with(base) {
        return base.to_path_buf();
    }
    scanned.to_path_buf()
}

/// `path` relative to `base` (both absolute and normalized), lexically: `../x` for a sibling.
pub fn relative_to(path: &Path, base: &Path) -> PathBuf {
    let common = path
        .components()
        .zip(base.components())
        .take_while(|(a, b)| a == b)
        .count();
    let mut relative = PathBuf::new();
    for _ in base.components().skip(common) {
        relative.push("..");
    }
    for component in path.components().skip(common) {
        relative.push(component);
    }
    relative
}

/// Whether [`normalize`] leaves `path` as it is: no `.` component, no `..` after a name, no
/// empty one (`a//b`), no trailing separator.
fn is_normalized(path: &Path) -> bool {
    if cfg!(not(unix)) {
        return false;
    }
    let bytes = path.as_os_str().as_encoded_bytes();
    let mut after_a_name = false;
    !bytes.ends_with(b"/")
        && bytes
            .split(|byte| *byte == b'/')
            .enumerate()
            .all(|(i, name)| match name {
                b"" => i == 0,
                b"." => false,
                b".." => !after_a_name,
                _ => {
                    after_a_name = true;
                    true
                }
            })
}

/// Whether a file written with [`write_atomically`] is synced to disk before it replaces the
/// old one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Durability {
    /// Synced first: the new content survives a power loss once the call returns (a baseline,
    /// which people edit and commit).
    Synced,
    /// Left to the kernel to write back: a report, which the next run writes again. Readers
    /// still see the old file or the whole new one, never a torn one.
    Regenerable,
}

/// Writes a file the way an interrupted or failed run cannot tear it: into a temporary file
/// beside it (its directory created when missing), synced when `durability` asks for it, then
/// renamed over it. On failure the previous file is left as it was. A path that is a symbolic
/// link, a device, a pipe or a socket (`/dev/null`, `/dev/stdout`, a named pipe, `>(...)`) is
/// written through instead: renaming over it would replace it with a plain file.
///
/// On Linux the temporary file has no name while it is written (`O_TMPFILE`): a run killed
/// by any signal, `SIGKILL` included, leaves nothing behind. It is named `.NAME.PID.tmp` only
/// once complete, for the rename; where the file system cannot do this, it is written under
/// that name from the start. While it has that name, a run stopped by `SIGINT`, `SIGTERM` or
/// `SIGHUP` removes it before it ends.
pub fn write_atomically(
    path: &Path,
    durability: Durability,
    write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    if written_through(path) {
        return write_in_place(path, durability, write);
    }
    if let Some(directory) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(directory)?;
    }
    let temporary = temporary_path(path)?;
    #[cfg(unix)]
    let _removed_if_stopped = removed_if_stopped::Registration::new(&temporary);
    #[cfg(target_os = "linux")]
    if let Some(file) = unnamed::create(path) {
        return unnamed::write(file, &temporary, path, durability, write);
    }
    let written = std::fs::File::create(&temporary).and_then(|file| {
        let file = write_through_buffer(file, durability, write)?;
        drop(file);
        std::fs::rename(&temporary, path)
    });
    if written.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    written
}

/// Whether `path` is a symbolic link or names a device, a pipe or a socket: such a path is
/// written, not replaced.
fn written_through(path: &Path) -> bool {
    let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    is_link || is_device_or_pipe(path)
}

/// Whether `path` names (through links) something that is neither a plain file nor a
/// directory: a device, a pipe or a socket.
pub fn is_device_or_pipe(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir())
}

/// Writes into the file `path` names (through a link, into a device or a pipe), synced when
/// `durability` asks for it and the file is a plain one.
fn write_in_place(
    path: &Path,
    durability: Durability,
    write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .open(path)?;
    let plain = file.metadata().is_ok_and(|m| m.is_file());
    let durability = if plain {
        durability
    } else {
        Durability::Regenerable
    };
    write_through_buffer(file, durability, write).map(drop)
}

/// `.NAME.PID.tmp` beside `path`.
fn temporary_path(path: &Path) -> std::io::Result<PathBuf> {
    let name = path
        .file_name()
        .ok_or_else(|| std::io::Error::other("not a file name"))?;
    let mut temporary_name = std::ffi::OsString::from(".");
    temporary_name.push(name);
    temporary_name.push(format!(".{}.tmp", std::process::id()));
    Ok(path.with_file_name(temporary_name))
}

/// Bytes gathered before each write to the file.
const WRITE_BUFFER_BYTES: usize = 256 * 1024;

/// Writes through a buffer into `file`, and syncs it to disk when `durability` asks for it.
fn write_through_buffer(
    file: std::fs::File,
    durability: Durability,
    write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> std::io::Result<std::fs::File> {
    let mut out = std::io::BufWriter::with_capacity(WRITE_BUFFER_BYTES, file);
    write(&mut out)?;
    let file = out.into_inner().map_err(|e| e.into_error())?;
    if durability == Durability::Synced {
        file.sync_all()?;
    }
    Ok(file)
}

/// Temporary files without a name until they are complete.
#[cfg(target_os = "linux")]
mod unnamed {
    use std::ffi::CString;
    use std::fs::File;
    use std::io::{Seek, SeekFrom};
    use std::os::unix::ffi::OsStrExt;
    use std::os::unix::fs::OpenOptionsExt;
    use std::os::unix::io::AsRawFd;
    use std::path::Path;

    /// An unnamed file in the directory of `path`; `None` where the file system has none.
    pub(super) fn create(path: &Path) -> Option<File> {
        let directory = match path.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent,
            _ => Path::new("."),
        };
        std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .mode(0o666)
            .custom_flags(libc::O_TMPFILE)
            .open(directory)
            .ok()
    }

    /// Writes `file`, gives it the name `temporary` and renames that over `path`. Where the
    /// name cannot be given (no `/proc`), the content is copied into `temporary` instead.
    pub(super) fn write(
        file: File,
        temporary: &Path,
        path: &Path,
        durability: crate::source::Durability,
        write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        let mut file = crate::source::write_through_buffer(file, durability, write)?;
        let _ = std::fs::remove_file(temporary);
        let named = link(&file, temporary).or_else(|_| {
            file.seek(SeekFrom::Start(0))?;
            let copy = File::create(temporary)?;
            let copied = |out: &mut dyn std::io::Write| std::io::copy(&mut file, out).map(|_| ());
            crate::source::write_through_buffer(copy, durability, copied).map(drop)
        });
        let renamed = named.and_then(|()| std::fs::rename(temporary, path));
        if renamed.is_err() {
            let _ = std::fs::remove_file(temporary);
        }
        renamed
    }

    /// Gives the unnamed `file` the name `path` (`linkat` through `/proc/self/fd`).
    fn link(file: &File, path: &Path) -> std::io::Result<()> {
        let invalid = |_| std::io::Error::other("path holds a NUL byte");
        let from = CString::new(format!("/proc/self/fd/{}", file.as_raw_fd())).map_err(invalid)?;
        let to = CString::new(path.as_os_str().as_bytes()).map_err(invalid)?;
        // SAFETY: both arguments are NUL-terminated strings that outlive the call.
        let linked = unsafe {
            libc::linkat(
                libc::AT_FDCWD,
                from.as_ptr(),
                libc::AT_FDCWD,
                to.as_ptr(),
                libc::AT_SYMLINK_FOLLOW,
            )
        };
        if linked == 0 {
            Ok(())
        } else {
            Err(std::io::Error::last_os_error())
        }
    }
}

/// Temporary files removed when a signal that asks the run to stop arrives while they exist.
#[cfg(unix)]
mod removed_if_stopped {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    use std::path::Path;
    use std::sync::Once;
    use std::sync::atomic::{AtomicPtr, Ordering};

    /// The signals a user or a supervisor sends to stop a run.
    pub(super) const STOP_SIGNALS: [libc::c_int; 3] = [libc::SIGINT, libc::SIGTERM, libc::SIGHUP];

    /// Paths the signal handler removes; more files than this at once go without.
    static PENDING: [AtomicPtr<libc::c_char>; 8] =
        [const { AtomicPtr::new(std::ptr::null_mut()) }; 8];

    /// A path in [`PENDING`] until dropped. Its text is leaked, never freed: the handler may be
    /// reading it on another thread when the registration ends.
    pub(super) struct Registration {
        slot: Option<&'static AtomicPtr<libc::c_char>>,
    }

    impl Registration {
        pub(super) fn new(path: &Path) -> Self {
            install_handlers();
            let Ok(text) = CString::new(path.as_os_str().as_bytes()) else {
                return Self { slot: None };
            };
            let text = Box::leak(text.into_boxed_c_str()).as_ptr().cast_mut();
            let null = std::ptr::null_mut();
            let slot = PENDING.iter().find(|slot| {
                slot.compare_exchange(null, text, Ordering::SeqCst, Ordering::SeqCst)
                    .is_ok()
            });
            Self { slot }
        }
    }

    impl Drop for Registration {
        fn drop(&mut self) {
            if let Some(slot) = self.slot {
                slot.store(std::ptr::null_mut(), Ordering::SeqCst);
            }
        }
    }

    /// Installs [`remove_pending_and_stop`] for each stop signal the run does not ignore.
    fn install_handlers() {
        static INSTALLED: Once = Once::new();
        INSTALLED.call_once(|| {
            for signal in STOP_SIGNALS {
                // SAFETY: the handler only calls async-signal-safe functions (`unlink`,
                // `signal`, `raise`) and reads atomics; `sigaction` is given valid structures.
                unsafe {
                    let mut previous: libc::sigaction = std::mem::zeroed();
                    if libc::sigaction(signal, std::ptr::null(), &mut previous) != 0
                        || previous.sa_sigaction != libc::SIG_DFL
                    {
                        continue;
                    }
                    let mut action: libc::sigaction = std::mem::zeroed();
                    action.sa_sigaction = remove_pending_and_stop as *const () as usize;
                    action.sa_flags = libc::SA_RESTART;
                    libc::sigemptyset(&mut action.sa_mask);
                    libc::sigaction(signal, &action, std::ptr::null_mut());
                }
            }
        });
    }

    /// Removes the pending files, then ends the run by the same signal, as if never caught.
    extern "C" fn remove_pending_and_stop(signal: libc::c_int) {
        for slot in &PENDING {
            let path = slot.swap(std::ptr::null_mut(), Ordering::SeqCst);
            if !path.is_null() {
                // SAFETY: a non-null slot holds a leaked, NUL-terminated path.
                unsafe { libc::unlink(path) };
            }
        }
        // SAFETY: both are async-signal-safe; the raised signal is delivered when the handler
        // returns, with the default action restored.
        unsafe {
            libc::signal(signal, libc::SIG_DFL);
            libc::raise(signal);
        }
    }
}

/// What tells an existing file from every other on the system (device and inode, on Unix), to
/// rule out cheaply that two paths name the same file; `None` for a path that names nothing.
pub fn file_identity(path: &Path) -> Option<(u64, u64)> {
    std::fs::metadata(path).ok().map(|m| identity_of(&m))
}

/// The [`file_identity`] of a file whose metadata is at hand.
pub fn identity_of(metadata: &std::fs::Metadata) -> (u64, u64) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        (metadata.dev(), metadata.ino())
    }
    #[cfg(not(unix))]
    {
        let _ = metadata;
        (0, 0)
    }
}

/// [`same_file`], given each path's [`file_identity`]: a file that exists is never one that
/// does not, nor one of another identity, and only paths that may be the same are resolved.
pub fn same_file_of(a: (&Path, Option<(u64, u64)>), b: (&Path, Option<(u64, u64)>)) -> bool {
    match (a.1, b.1) {
        (Some(first), Some(second)) => first == second && same_file(a.0, b.0),
        (None, None) => same_file(a.0, b.0),
        _ => false,
    }
}

/// Whether two paths name the same file, existing or not (compared through their canonical
/// directory).
pub fn same_file(a: &Path, b: &Path) -> bool {
    fn resolved(path: &Path) -> Option<PathBuf> {
        if let Ok(canonical) = path.canonicalize() {
            return Some(canonical);
        }
        let parent = match path.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent.canonicalize().ok()?,
            _ => std::env::current_dir().ok()?,
        };
        Some(parent.join(path.file_name()?))
    }
    match (resolved(a), resolved(b)) {
        (Some(a), Some(b)) => a == b,
        _ => normalize(a) == normalize(b),
    }
}

/// Files larger than this are refused: ARM limits templates to 4 MB.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// Why a file could not be read as text; `text` is the (lossy) text before the offending byte,
/// for positions, when the file was read but is not UTF-8 text.
pub struct ReadFailure {
    pub message: String,
    pub text: Option<String>,
}

impl ReadFailure {
    fn unreadable(error: impl ToString) -> Self {
        ReadFailure {
            message: error.to_string(),
            text: None,
        }
    }
}

/// Opens a path for reading; opening a named pipe returns at once instead of waiting for a
/// writer (the caller then refuses it as not a regular file).
fn open_without_blocking(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(target_os = "linux")]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NONBLOCK);
    options.open(path)
}

/// The first `size` bytes of an open file (its size when it was opened: what it held then, and
/// never more than the limit, even if it grows while it is read), in one read call.
fn read_bounded(file: &mut std::fs::File, size: u64) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    file.take(size.min(MAX_FILE_BYTES))
        .read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Reads a file as UTF-8 text, refusing binary, oversized and unreadable files.
pub fn read_text(path: &Path) -> Result<String, ReadFailure> {
    let mut file = open_without_blocking(path).map_err(ReadFailure::unreadable)?;
    let metadata = file.metadata().map_err(ReadFailure::unreadable)?;
    if !metadata.is_file() {
        // A pipe or device would block the read or never end.
        return Err(ReadFailure::unreadable("not a regular file"));
    }
    let size = metadata.len();
    if size > MAX_FILE_BYTES {
        return Err(ReadFailure::unreadable(format!(
            "file is {} MiB; files over {} MiB are not read",
            size / (1024 * 1024),
            MAX_FILE_BYTES / (1024 * 1024)
        )));
    }
    let bytes = read_bounded(&mut file, size).map_err(ReadFailure::unreadable)?;
    text_from_bytes(bytes)
}

/// Reads standard input as the text of a file, refusing what [`read_text`] refuses.
pub fn read_standard_input() -> Result<String, ReadFailure> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::io::stdin()
        .lock()
        .take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(ReadFailure::unreadable)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(ReadFailure::unreadable(format!(
            "standard input holds more than {} MiB; files over {} MiB are not read",
            MAX_FILE_BYTES / (1024 * 1024),
            MAX_FILE_BYTES / (1024 * 1024)
        )));
    }
    text_from_bytes(bytes)
}

/// The bytes of a file as UTF-8 text, refusing binary (NUL bytes) and other non-UTF-8 bytes.
fn text_from_bytes(bytes: Vec<u8>) -> Result<String, ReadFailure> {
    // The error points just past the text before the offending byte; that text is lossy, so
    // positions are taken from its length, never from the byte offset in the file.
    let not_text = |message: &str, before: &[u8]| ReadFailure {
        message: message.to_string(),
        text: Some(String::from_utf8_lossy(before).into_owned()),
    };
    if let Some(offset) = memchr::memchr(0, &bytes) {
        let before = bytes.get(..offset).unwrap_or_default();
        return Err(not_text(
            "binary file (contains NUL bytes), not a text file",
            before,
        ));
    }
    String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let valid = e.as_bytes().get(..offset).unwrap_or_default();
        not_text("not valid UTF-8 text", valid)
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn files_are_read_below_the_repository_or_the_working_directory() {
        use super::readable_below;
        let dir = tempfile::tempdir().unwrap();
        let top = dir.path().canonicalize().unwrap();
        let scanned = top.join("repo/infra/bicep");
        std::fs::create_dir_all(&scanned).unwrap();
        // Outside a repository: the working directory, when the scan lies below it.
        assert_eq!(readable_below(&scanned, &top), top);
        assert_eq!(
            readable_below(&scanned, &top.join("repo/infra")),
            top.join("repo/infra")
        );
        assert_eq!(readable_below(&scanned, &top.join("elsewhere")), scanned);
        assert_eq!(readable_below(&scanned, Path::new("/")), scanned);
        assert_eq!(readable_below(&scanned, Path::new("")), scanned);
        // Inside one: its top, wherever the working directory is.
        std::fs::create_dir(top.join("repo/.git")).unwrap();
        for base in [
            top.as_path(),
            &scanned,
            &top.join("elsewhere"),
            Path::new("/"),
        ] {
            assert_eq!(readable_below(&scanned, base), top.join("repo"), "{base:?}");
        }
    }

    #[test]
    fn parameters_files_of_a_parameters_directory_are_read_with_the_directory_above() {
        use super::group_directory;
        let group = |path: &str| group_directory(Path::new(path)).map(Path::to_path_buf);
        let directory = |path: &str| Some(PathBuf::from(path));
        assert_eq!(group("m/parameters/a.parameters.json"), directory("m"));
        assert_eq!(group("m/Params/a.b.Parameters.prod.jsonc"), directory("m"));
        assert_eq!(group("parameters/a.parameters.json"), directory(""));
        assert_eq!(group("m/parameters/a.json"), directory("m/parameters"));
        assert_eq!(group("m/parameters/main.bicep"), directory("m/parameters"));
        assert_eq!(
            group("m/parameters/a.parameters.bicepparam"),
            directory("m/parameters")
        );
        let dir = tempfile::tempdir().unwrap();
        let parameters_directory = dir.path().join("m/parameters");
        std::fs::create_dir_all(&parameters_directory).unwrap();
        std::fs::write(parameters_directory.join("own.json"), "{}").unwrap();
        let own = parameters_directory.join("own.dev.parameters.json");
        assert_eq!(group_directory(&own), Some(parameters_directory.as_path()));
        let other = parameters_directory.join("other.parameters.json");
        assert_eq!(
            group_directory(&other),
            Some(dir.path().join("m").as_path())
        );
        for terraform in ["a.parameters.tf.json", "a.parameters.tfvars.json"] {
            let path = format!("m/parameters/{terraform}");
            assert_eq!(group(&path), directory("m/parameters"), "{path}");
        }
        assert_eq!(
            group("m/settings/a.parameters.json"),
            directory("m/settings")
        );
        assert_eq!(
            group("m/parameters.d/a.parameters.json"),
            directory("m/parameters.d")
        );
    }

    use super::*;

    #[test]
    fn positions_of_a_pattern_include_overlapping_ones() {
        let found: Vec<usize> = positions_of("a with with b with ", " with ").collect();
        assert_eq!(found, [1, 6, 13]);
        assert_eq!(positions_of("aaa", "aa").collect::<Vec<_>>(), [0, 1]);
        assert_eq!(positions_of("", " with ").count(), 0);
        assert_eq!(positions_of("é with ", " with ").collect::<Vec<_>>(), [2]);
    }

    #[test]
    fn a_path_index_finds_the_first_equal_path_as_paths_compare() {
        let index = PathIndex::new(
            [
                "a/b/main.bicep",
                "a/./b/x.bicep",
                "c/main.bicep",
                "a/b/main.bicep",
                "/",
                "..",
            ]
            .map(PathBuf::from),
        );
        assert_eq!(index.position(Path::new("a/b/main.bicep")), Some(0));
        assert_eq!(index.position(Path::new("a/b//main.bicep")), Some(0));
        assert_eq!(index.position(Path::new("a/b/x.bicep")), Some(1));
        assert_eq!(index.position(Path::new("c/main.bicep")), Some(2));
        assert_eq!(index.position(Path::new("./c/main.bicep")), None);
        assert_eq!(index.position(Path::new("d/main.bicep")), None);
        assert_eq!(index.position(Path::new("a/b/Main.bicep")), None);
        assert_eq!(index.position(Path::new("/")), Some(4));
        assert_eq!(index.position(Path::new("..")), Some(5));
        assert_eq!(index.position(Path::new("../..")), None);
    }

    fn file(text: &str) -> SourceFile {
        SourceFile::new(PathBuf::from("f"), "f".into(), text.into())
    }

    /// Set in the copy of this test binary that [`a_stopped_run_removes_its_named_temporary_file`]
    /// starts: the file that copy names and then waits beside.
    #[cfg(unix)]
    const STOPPED_CHILD_FILE: &str = "ACR_LINT_STOPPED_CHILD_FILE";

    /// Set with it: a signal the copy ignores, as a run started by `nohup` ignores `SIGHUP`.
    #[cfg(unix)]
    const STOPPED_CHILD_IGNORES: &str = "ACR_LINT_STOPPED_CHILD_IGNORES";

    /// The copy's part: stop signals as a run in the foreground has them (a test runner started
    /// in the background ignores `SIGINT`), then a registered file, then a wait to be stopped.
    #[cfg(unix)]
    fn name_a_file_and_wait(path: &Path) {
        let ignored: Option<libc::c_int> = std::env::var(STOPPED_CHILD_IGNORES)
            .ok()
            .and_then(|n| n.parse().ok());
        for signal in removed_if_stopped::STOP_SIGNALS {
            let action = if Some(signal) == ignored {
                libc::SIG_IGN
            } else {
                libc::SIG_DFL
            };
            // SAFETY: sets a disposition before any handler of this process is installed.
            unsafe { libc::signal(signal, action) };
        }
        std::fs::write(path, "partial").expect("temporary file written");
        let _registration = removed_if_stopped::Registration::new(path);
        println!("named");
        std::thread::sleep(std::time::Duration::from_secs(20));
    }

    /// A copy of this test binary that has named `path`, ignoring `ignored`.
    #[cfg(unix)]
    fn child_that_named(path: &Path, ignored: Option<libc::c_int>) -> std::process::Child {
        use std::io::BufRead;
        let mut command = std::process::Command::new(std::env::current_exe().expect("test binary"));
        command
            .args([
                "source::tests::a_stopped_run_removes_its_named_temporary_file",
                "--exact",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(STOPPED_CHILD_FILE, path)
            .env_remove(STOPPED_CHILD_IGNORES)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null());
        if let Some(signal) = ignored {
            command.env(STOPPED_CHILD_IGNORES, signal.to_string());
        }
        let mut child = command.spawn().expect("test binary starts again");
        let stdout = child.stdout.take().expect("piped stdout");
        let named = std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
            .any(|line| line.contains("named"));
        assert!(named, "the child named its file");
        assert!(path.exists());
        child
    }

    /// Sorts by comparing the paths, as the sort by keys must: stable, so duplicates keep the
    /// order they came in.
    fn compared(paths: &[(String, usize)]) -> Vec<(String, usize)> {
        let mut expected = paths.to_vec();
        expected.sort_by(|(a, _), (b, _)| directory_order(Path::new(a), Path::new(b)));
        expected
    }

    fn keyed(paths: &[(String, usize)]) -> Vec<(String, usize)> {
        let mut sorted = paths.to_vec();
        sort_in_directory_order(&mut sorted, |(path, _)| Path::new(path));
        sorted
    }

    #[test]
    fn the_sort_by_keys_is_the_directory_order() {
        let names = [
            "", "/", ".", "..", "./a", "../a", "a/../b", "/a", "a", "a/", "a//b", "a/./b", "a/b",
            "a/b/c", "a.b", "a-b", "a b", "a\u{1}b", "a/\u{1}", "a\u{5}/b", "ab", "a/b.tf",
            "a/c/d.tf", "a/z.tf", "b", "/a/b", "a/b", "./a/b", "é/x", "z/..",
        ];
        let paths: Vec<(String, usize)> = names
            .iter()
            .enumerate()
            .map(|(i, name)| (name.to_string(), i))
            .collect();
        assert_eq!(keyed(&paths), compared(&paths));
        let mut reversed = paths.clone();
        reversed.reverse();
        assert_eq!(keyed(&reversed), compared(&reversed));
    }

    #[test]
    fn the_sort_by_keys_agrees_on_generated_paths() {
        let alphabet = ['a', 'b', '.', '/', '-', '\u{1}', 'é'];
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n as u64) as usize
        };
        for _ in 0..200 {
            let paths: Vec<(String, usize)> = (0..40)
                .map(|i| {
                    let length = next(9);
                    let path: String = (0..length)
                        .map(|_| alphabet.get(next(alphabet.len())).copied().unwrap_or('a'))
                        .collect();
                    (path, i)
                })
                .collect();
            assert_eq!(keyed(&paths), compared(&paths), "{paths:?}");
        }
    }

    #[cfg(unix)]
    fn send(child: &std::process::Child, signal: libc::c_int) {
        let pid = libc::pid_t::try_from(child.id()).expect("pid fits");
        // SAFETY: `kill` with the pid of a child not yet waited for.
        assert_eq!(unsafe { libc::kill(pid, signal) }, 0);
    }

    #[cfg(unix)]
    #[test]
    fn a_stopped_run_removes_its_named_temporary_file() {
        use std::os::unix::process::ExitStatusExt;
        if let Some(path) = std::env::var_os(STOPPED_CHILD_FILE) {
            return name_a_file_and_wait(Path::new(&path));
        }
        let dir = tempfile::tempdir().expect("scratch directory");
        for signal in removed_if_stopped::STOP_SIGNALS {
            let path = dir.path().join(format!(".out.sarif.{signal}.tmp"));
            let mut child = child_that_named(&path, None);
            send(&child, signal);
            let status = child.wait().expect("child ends");
            assert_eq!(status.signal(), Some(signal), "ended by the signal itself");
            assert!(!path.exists(), "signal {signal} left {}", path.display());
        }
        // A signal the run was started ignoring stays ignored; the others still clean up.
        let path = dir.path().join(".out.sarif.nohup.tmp");
        let mut child = child_that_named(&path, Some(libc::SIGHUP));
        send(&child, libc::SIGHUP);
        std::thread::sleep(std::time::Duration::from_millis(300));
        assert!(
            child.try_wait().expect("child state").is_none(),
            "SIGHUP was ignored"
        );
        assert!(path.exists());
        send(&child, libc::SIGTERM);
        let status = child.wait().expect("child ends");
        assert_eq!(status.signal(), Some(libc::SIGTERM));
        assert!(!path.exists(), "SIGTERM left {}", path.display());
    }

    #[test]
    fn relative_paths_climb_to_the_common_directory() {
        let relative = |path: &str, base: &str| relative_to(Path::new(path), Path::new(base));
        assert_eq!(
            relative("/r/bicep/main.bicep", "/r"),
            Path::new("bicep/main.bicep")
        );
        assert_eq!(
            relative("/r/bicep/main.bicep", "/r/deploy"),
            Path::new("../bicep/main.bicep")
        );
        assert_eq!(relative("/r/a.json", "/r/x/y"), Path::new("../../a.json"));
        assert_eq!(relative("/r", "/r"), Path::new(""));
    }

    #[test]
    fn a_path_climbing_out_of_the_base_is_shown_as_joining_and_normalizing_shows_it() {
        let bases = ["/", "/work", "/work/main", "/work/main/sub"];
        let paths = [
            "..",
            "../main",
            "../main/a.tf",
            "../../work/main/a.tf",
            "../../../x",
            "../mainly",
            "../../main/a.tf",
            "../sub/../main/a.tf",
            "../main/./a.tf",
            "../../../../a.tf",
        ];
        for base in bases.map(Path::new) {
            for path in paths.map(Path::new) {
                let joined = normalize(&base.join(path));
                let expected = match joined.strip_prefix(base).unwrap_or(path) {
                    shown if shown.as_os_str().is_empty() => ".".to_string(),
                    shown => shown.to_string_lossy().into_owned(),
                };
                assert_eq!(display_name(path, base), expected, "{path:?} from {base:?}");
            }
        }
    }

    #[test]
    fn display_names_are_relative_with_forward_slashes() {
        let base = Path::new("/work/main");
        assert_eq!(display_name(Path::new("/work/main/a/b.tf"), base), "a/b.tf");
        assert_eq!(display_name(Path::new("./a/b.tf"), base), "a/b.tf");
        assert_eq!(display_name(Path::new("../x/b.tf"), base), "../x/b.tf");
        assert_eq!(display_name(Path::new("../main/a/b.tf"), base), "a/b.tf");
        assert_eq!(
            display_name(Path::new("../../work/main/b.tf"), base),
            "b.tf"
        );
        assert_eq!(
            display_name(Path::new("../mainly/b.tf"), base),
            "../mainly/b.tf"
        );
        assert_eq!(display_name(Path::new("../main"), base), ".");
        assert_eq!(
            display_name(Path::new("../../../x.tf"), base),
            "../../../x.tf"
        );
        assert_eq!(display_name(Path::new("../main/./a.tf"), base), "a.tf");
        assert_eq!(display_name(Path::new("../x/../main/a.tf"), base), "a.tf");
        assert_eq!(
            display_name(Path::new("../main/a.tf"), Path::new("/work/./main")),
            "a.tf"
        );
        assert_eq!(display_name(Path::new("a\\b.tf"), base), "a/b.tf");
        assert_eq!(display_name(Path::new("/work/main"), base), ".");
        assert_eq!(display_name(Path::new("."), base), ".");
        assert_eq!(display_name(Path::new(""), base), ".");
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStrExt;
            let bytes = std::ffi::OsStr::from_bytes(b"a/\xff\\b.tf");
            assert_eq!(display_name(Path::new(bytes), base), "a/\u{fffd}/b.tf");
        }
    }

    #[test]
    fn normalizing_resolves_dots_lexically_and_leaves_normal_paths_alone() {
        for (path, expected) in [
            ("", ""),
            ("a/b.tf", "a/b.tf"),
            ("/work/a", "/work/a"),
            ("/", "/"),
            ("./a/./b/", "a/b"),
            ("a//b", "a/b"),
            ("a/../b", "b"),
            ("a/b/../../..", ".."),
            ("../../a/../b", "../../b"),
            ("/work/main/../shared/x.tf", "/work/shared/x.tf"),
            ("/..", "/.."),
            (".", ""),
            ("..", ".."),
            ("../a/b", "../a/b"),
            ("../../a", "../../a"),
            ("/../a", "/../a"),
            ("../a/..", ".."),
            ("../a//b", "../a/b"),
            ("../a/./b", "../a/b"),
            ("../a/../..", "../.."),
        ] {
            assert_eq!(normalize(Path::new(path)), Path::new(expected), "{path}");
            assert_eq!(
                normalize(Path::new(path)).as_os_str(),
                Path::new(expected).as_os_str(),
                "{path}"
            );
        }
    }

    #[test]
    fn a_freed_text_is_read_again_unless_the_file_changed() {
        let dir = tempfile::tempdir().expect("temporary directory");
        let path = dir.path().join("main.tf");
        std::fs::write(&path, "\u{feff}a = 1\nb = 2\n").expect("written");
        let Ok(text) = read_text(&path) else {
            panic!("{} not read", path.display())
        };
        let mut file = SourceFile::new(path.clone(), "main.tf".into(), text);
        let second_line = file.position(6);
        file.release_text();
        assert!(file.is_released() && file.text.is_empty());
        assert_eq!(file.restore_text(), Ok(()));
        assert!(!file.is_released());
        assert_eq!(
            (file.text.as_str(), file.position(6)),
            ("a = 1\nb = 2\n", second_line)
        );
        file.release_text();
        std::fs::write(&path, "a = 10\nb = 2\n").expect("changed");
        let changed = file.restore_text().expect_err("a changed file");
        assert!(
            changed.contains("changed while it was scanned"),
            "{changed}"
        );
        let mut sources = SourceMap::default();
        sources.push(file);
        sources.get_mut(0).expect("pushed").release_text();
        std::fs::remove_file(&path).expect("removed");
        let notices = sources.restore_texts([0, 0, 7]);
        assert_eq!(notices.len(), 1, "{notices:?}");
        assert!(notices[0].starts_with("main.tf: "), "{notices:?}");
    }

    #[test]
    fn parameters_files_are_told_by_their_names_in_any_case() {
        // The name in lower case, as text.
        let by_lowercase_text = |path: &Path| {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().to_ascii_lowercase())
                .unwrap_or_default();
            let terraform = name.ends_with(".tf.json") || name.ends_with(".tfvars.json");
            name.contains(".parameters.")
                && (name.ends_with(".json") || name.ends_with(".jsonc"))
                && !terraform
        };
        let mut names: Vec<std::ffi::OsString> = [
            "main.parameters.json",
            "Main.PARAMETERS.Prod.JSON",
            "a.parameters.jsonc",
            "x.parameters.tf.json",
            "x.Parameters.TFVARS.json",
            "parameters.json",
            ".parameters.json",
            "a.parameters.",
            "a.parameters.yaml",
            "dir/x.parameters.json",
            "x.parameters.json/",
            "a.json",
            "",
            "..",
            "/",
        ]
        .iter()
        .map(std::ffi::OsString::from)
        .collect();
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStrExt;
            names.push(std::ffi::OsStr::from_bytes(b"\xff.parameters.json").to_os_string());
            names.push(std::ffi::OsStr::from_bytes(b"a.parameters.\xffjson").to_os_string());
        }
        let mut told = 0;
        for name in &names {
            let path = Path::new(name);
            assert_eq!(
                named_as_parameters(path),
                by_lowercase_text(path),
                "{name:?}"
            );
            told += usize::from(named_as_parameters(path));
        }
        assert_eq!(told, 6 + usize::from(cfg!(unix)));
    }

    #[test]
    fn files_appended_in_lists_are_found_by_their_ids_in_order() {
        let file =
            |name: &str| SourceFile::new(PathBuf::from(name), name.to_string(), String::new());
        let mut sources = SourceMap::default();
        assert_eq!(sources.push(file("first")), 0);
        sources.append(vec![file("a"), file("b")]);
        sources.append(Vec::new());
        sources.append(vec![file("c"), file("d"), file("e")]);
        assert_eq!(sources.push(file("last")), 6);
        let names: Vec<&str> = sources.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["first", "a", "b", "c", "d", "e", "last"]);
        assert_eq!(sources.len(), 7);
        for (id, expected) in names.iter().enumerate() {
            assert_eq!(sources.name(id), *expected);
        }
        assert!(sources.get(7).is_none() && sources.get(usize::MAX).is_none());
        assert_eq!(sources.name(usize::MAX), "<unknown>");
        assert!(SourceMap::default().get(0).is_none());
    }

    #[test]
    fn a_path_asked_about_is_never_empty() {
        for (path, expected) in [
            ("examples/..", "."),
            (".", "."),
            ("./", "."),
            ("a/../b", "b"),
        ] {
            assert_eq!(
                normalize_for_access(Path::new(path)),
                Path::new(expected),
                "{path}"
            );
        }
    }

    #[test]
    fn positions_count_characters_and_ignore_carriage_returns() {
        let f = file("ab\r\nçd = 1\n");
        assert_eq!(f.position(0), Position { line: 1, column: 1 });
        let d = f.text.find('d').unwrap();
        assert_eq!(f.position(d), Position { line: 2, column: 2 });
        assert_eq!(f.offset(2, 2), d);
    }

    #[test]
    fn shortened_text_is_cut_after_whole_characters() {
        assert_eq!(shortened("abc", 3), "abc");
        assert_eq!(shortened("abcd", 3), "abc…");
        assert_eq!(shortened("ééé", 2), "éé…");
        assert_eq!(shortened("", 0), "");
        assert_eq!(shortened("x", 0), "…");
    }

    #[test]
    fn remembered_positions_belong_to_their_file() {
        let first = file("ab\ncd\n");
        let second = file("abcd\nx\n");
        for _ in 0..2 {
            assert_eq!(first.position(3), Position { line: 2, column: 1 });
            assert_eq!(second.position(3), Position { line: 1, column: 4 });
            assert_eq!(first.position(4), Position { line: 2, column: 2 });
        }
        drop(first);
        // A file made where the first one was is asked the same offset afresh.
        let third = file("\n\n\nz");
        assert_eq!(third.position(3), Position { line: 4, column: 1 });
    }

    #[test]
    fn positions_on_long_lines_count_across_checkpoints() {
        let line = "é\r".repeat(5000);
        let text = format!("x\n{line}y{line}z\n");
        let f = file(&text);
        let y = f.text.find('y').unwrap();
        assert_eq!(
            f.position(y),
            Position {
                line: 2,
                column: 5001
            }
        );
        let z = f.text.find('z').unwrap();
        assert_eq!(
            f.position(z),
            Position {
                line: 2,
                column: 10002
            }
        );
        assert_eq!(
            f.position(z + 1),
            Position {
                line: 2,
                column: 10003
            }
        );
    }

    #[test]
    fn byte_order_mark_is_removed() {
        let f = file("\u{feff}{}");
        assert_eq!(f.text, "{}");
        assert_eq!(f.position(0), Position { line: 1, column: 1 });
    }

    #[test]
    fn offsets_past_the_end_are_clamped() {
        let f = file("a\nb");
        assert_eq!(f.position(99), Position { line: 2, column: 2 });
        assert_eq!(f.offset(9, 1), 3);
        assert_eq!(f.offset(1, 9), 1);
    }

    #[test]
    fn offsets_skip_carriage_returns_like_positions() {
        let f = file("a\rbc\r\nd");
        assert_eq!(f.position(3), Position { line: 1, column: 3 });
        assert_eq!(f.offset(1, 3), 3);
        assert_eq!(f.offset(1, 4), 4);
        assert_eq!(f.offset(2, 1), 6);
    }
}
