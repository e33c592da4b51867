//! Files a Bicep file reads besides itself: `loadTextContent()` and its siblings (read when the
//! file is lowered, bounded in size and to the scanned directories), and the templates of its
//! modules (local `.bicep` and `.json` files, and registry modules from the Bicep CLI's restore
//! cache), each with a file id so that values in them point there.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::syntax::{self, ParsedFile};
use crate::arm::ExplicitParameters;
use crate::model::{InputError, Node, json};
use crate::source::{self, FileId, SourceFile, Span};

/// Largest file `loadTextContent()` and its siblings read (the Bicep compiler's own limits are
/// lower: 131,072 characters of text, 96 KiB for base64).
pub const MAX_LOADED_BYTES: u64 = source::MAX_READ_BYTES;

/// The longest search pattern of `loadDirectoryFileInfo()` matched (longer ones match nothing).
const MAX_PATTERN_BYTES: usize = 1024;

/// Most files `loadDirectoryFileInfo()` lists.
pub const MAX_LISTED_FILES: usize = 1000;

/// Most bytes of JSON one template's evaluation (its modules included) reads with
/// `loadJsonContent()` as values of its own, each pointing at its text; beyond, what it loads is
/// read as the expression the compiler would write, as cheap to hold as its text.
pub const MAX_DATA_BYTES: usize = 256 * 1024;

/// How deep module calls may nest.
pub const MAX_MODULE_DEPTH: usize = 16;

/// What reading a directory's Bicep files needs from the scan around it.
pub struct Context<'a> {
    pub base: &'a Path,
    /// The ids of the files the scan discovered, by normalised path.
    pub known_files: crate::source::KnownFiles<'a>,
    /// The next free file id, for files outside the scanned paths.
    pub next_id: &'a AtomicUsize,
    /// Unsaved text of open editor buffers, by normalised path.
    pub overlays: &'a HashMap<PathBuf, &'a str>,
    /// Parameters files given with `--template`/`--parameters`.
    pub explicit: &'a [ExplicitParameters],
    /// The scanned directories (canonical): files loaded by `loadTextContent()` must lie below
    /// one of them.
    pub roots: &'a [PathBuf],
    /// The Bicep CLI's home (`~/.bicep`), where it restores registry modules.
    pub bicep_home: Option<&'a Path>,
}

/// A module's template, as far as it could be read.
pub enum ModuleTemplate {
    /// A local `.bicep` file, parsed, to be lowered.
    Bicep {
        id: FileId,
        path: PathBuf,
        parsed: Rc<ParsedFile>,
    },
    /// A JSON template: a local `.json` module or a registry module from the restore cache.
    Json(Node),
    /// A module that could not be read; the text says which and why.
    Unread(String),
}

/// The file an import names, as far as it could be read.
pub enum ImportSource {
    Bicep {
        id: FileId,
        path: PathBuf,
        parsed: Rc<ParsedFile>,
    },
    /// An ARM template: a local `.json` file or a registry reference from the restore cache.
    Json { path: PathBuf, root: Node },
    /// Why the file could not be read.
    Unread(String),
}

/// Reads files for the lowering of one directory's Bicep files, remembering what it read.
pub struct Loader<'c> {
    pub context: &'c Context<'c>,
    /// Files read that the scan did not discover, with the ids they took.
    pub sources: Vec<(FileId, SourceFile)>,
    pub errors: Vec<InputError>,
    /// What could not be followed (a missing module or loaded file).
    pub notices: Vec<String>,
    /// Bicep files used as modules (they are reported through their callers).
    pub called: Vec<PathBuf>,
    /// Files of the scan read as data (`loadJsonContent()`, `loadTextContent()`), with their
    /// text: the scan keeps only the text of the files it reads itself.
    pub content: Vec<(FileId, String)>,
    /// What the template being lowered may still read as values of its own
    /// ([`MAX_DATA_BYTES`]).
    pub data_bytes_left: usize,
    /// The module files being lowered, outermost first (to find cycles).
    pub stack: Vec<PathBuf>,
    /// Each Bicep module file lowered, with the address prefix of the call (`outer/inner/`).
    pub module_calls: Vec<(PathBuf, String)>,
    /// The file of the directory whose evaluation is being read (a template, or a
    /// `.bicepparam` file whose template lies elsewhere).
    pub reader: Option<FileId>,
    /// Which of the directory's files read each file it read (ids, once each).
    pub readers: foldhash::HashSet<(FileId, FileId)>,
    texts: HashMap<PathBuf, (FileId, Rc<str>)>,
    parsed: HashMap<PathBuf, Rc<ParsedFile>>,
}

impl<'c> Loader<'c> {
    pub fn new(context: &'c Context<'c>) -> Self {
        Loader {
            context,
            sources: Vec::new(),
            errors: Vec::new(),
            notices: Vec::new(),
            called: Vec::new(),
            content: Vec::new(),
            data_bytes_left: MAX_DATA_BYTES,
            stack: Vec::new(),
            module_calls: Vec::new(),
            reader: None,
            readers: foldhash::HashSet::default(),
            texts: HashMap::new(),
            parsed: HashMap::new(),
        }
    }

    /// The name a path is shown by.
    pub fn name(&self, path: &Path) -> String {
        source::display_name(path, self.context.base)
    }

    pub fn error(&mut self, name: String, span: Option<Span>, message: String) {
        self.errors.push(InputError {
            path: name,
            span,
            message,
            show_source: span.is_some(),
        });
    }

    /// A file's id and text (an editor's unsaved text first), reading it once; a file the scan
    /// did not discover takes a new id and is kept as a source.
    pub fn text(&mut self, path: &Path) -> Result<(FileId, Rc<str>), String> {
        if let Some((id, text)) = self.texts.get(path) {
            let found = (*id, text.clone());
            self.note_reader(found.0);
            return Ok(found);
        }
        let text: String = match self.context.overlays.get(path) {
            Some(text) => (*text).to_string(),
            None => source::read_text(path).map_err(|failure| failure.message)?,
        };
        Ok(self.kept(path, text))
    }

    /// The id and text of a file read as `text` (the text read first when it was read
    /// before): its id in the scan, or a new one with the file kept as a source.
    pub fn kept(&mut self, path: &Path, text: String) -> (FileId, Rc<str>) {
        if let Some((id, text)) = self.texts.get(path) {
            let found = (*id, text.clone());
            self.note_reader(found.0);
            return found;
        }
        let known = self.context.known_files.get(path);
        let id = known.unwrap_or_else(|| self.context.next_id.fetch_add(1, Ordering::Relaxed));
        let source = SourceFile::new(path.to_path_buf(), self.name(path), text);
        let text: Rc<str> = Rc::from(source.text.as_str());
        if known.is_none() {
            self.sources.push((id, source));
        }
        self.texts.insert(path.to_path_buf(), (id, text.clone()));
        self.note_reader(id);
        (id, text)
    }

    /// Whether the scan reads the file at `path` itself.
    pub fn is_scanned(&self, path: &Path) -> bool {
        self.context.known_files.contains(path)
    }

    /// Takes note that the evaluation being read read the file `id`.
    fn note_reader(&mut self, id: FileId) {
        if let Some(reader) = self.reader {
            self.readers.insert((id, reader));
        }
    }

    /// A Bicep file read by another (a module, an import), parsed once; its first syntax error
    /// is an input error unless the scan reads the file itself.
    pub fn parse(&mut self, path: &Path, id: FileId, text: &str) -> Rc<ParsedFile> {
        if let Some(parsed) = self.parsed.get(path) {
            return parsed.clone();
        }
        let parsed = Rc::new(syntax::parse(text));
        self.parsed.insert(path.to_path_buf(), parsed.clone());
        if let Some(error) = parsed.errors.first()
            && !self.context.known_files.contains(path)
        {
            let span = Some(error.span.in_file(id));
            self.error(self.name(path), span, error.message.clone());
        }
        parsed
    }

    /// A module file already parsed, with its id and text.
    pub fn parsed_module(&self, path: &Path) -> Option<(FileId, Rc<str>, Rc<ParsedFile>)> {
        let (id, text) = self.texts.get(path)?;
        let parsed = self.parsed.get(path)?;
        Some((*id, text.clone(), parsed.clone()))
    }

    /// The canonical path of `relative` (to the file at `from`), which must lie below a scanned
    /// directory; one that does not exist is told apart.
    fn inside_scan(&self, from: &Path, relative: &str) -> Result<PathBuf, LoadFailure> {
        let path = source::normalize_for_access(&directory_of(from).join(relative));
        source::canonical_below(&path, relative, self.context.roots)
    }

    /// The bytes of a file loaded by `loadTextContent()` and its siblings: below a scanned
    /// directory, a regular file, at most [`MAX_LOADED_BYTES`].
    pub fn loaded_file(&mut self, from: &Path, relative: &str) -> Result<Vec<u8>, LoadFailure> {
        let canonical = self.inside_scan(from, relative)?;
        let path = source::normalize(&directory_of(from).join(relative));
        let bytes = match self.context.overlays.get(&path) {
            Some(text) => {
                source::within_read_limit(text.len() as u64, relative)?;
                text.as_bytes().to_vec()
            }
            None => source::read_regular_file(&canonical, relative)?,
        };
        if let Some(id) = self.context.known_files.get(&path)
            && !self.content.iter().any(|(kept, _)| *kept == id)
            && let Ok(text) = std::str::from_utf8(&bytes)
        {
            self.content.push((id, text.to_string()));
        }
        Ok(bytes)
    }

    /// The names of the files (not directories) in a directory listed by
    /// `loadDirectoryFileInfo()`: below a scanned directory, at most [`MAX_LISTED_FILES`].
    pub fn listed_directory(
        &mut self,
        from: &Path,
        relative: &str,
    ) -> Result<Vec<String>, LoadFailure> {
        let canonical = self.inside_scan(from, relative)?;
        let entries = std::fs::read_dir(&canonical).map_err(|error| {
            LoadFailure::refused(format!("`{relative}` cannot be listed: {error}"))
        })?;
        let mut names = Vec::new();
        for entry in entries.flatten() {
            if !entry.file_type().is_ok_and(|t| t.is_file()) {
                continue;
            }
            if names.len() >= MAX_LISTED_FILES {
                return Err(LoadFailure::refused(format!(
                    "`{relative}` holds more than {MAX_LISTED_FILES} files and is not listed"
                )));
            }
            names.push(entry.file_name().to_string_lossy().into_owned());
        }
        Ok(names)
    }

    /// The template of a module called with `reference` from the file at `from`.
    pub fn module(&mut self, from: &Path, reference: &str, at: Span) -> ModuleTemplate {
        if let Some(registry) = registry_reference(reference) {
            return self.registry_module(from, reference, &registry);
        }
        let path = source::normalize(&directory_of(from).join(reference));
        if self.stack.len() >= MAX_MODULE_DEPTH {
            return ModuleTemplate::Unread(format!(
                "module `{reference}` is nested more than {MAX_MODULE_DEPTH} modules deep"
            ));
        }
        if self.stack.contains(&path) || path == from {
            let mut chain: Vec<String> = self.stack.iter().map(|p| self.name(p)).collect();
            chain.push(self.name(from));
            chain.push(self.name(&path));
            let message = format!("module cycle: {}", chain.join(" -> "));
            self.error(self.name(from), Some(at), message.clone());
            return ModuleTemplate::Unread(message);
        }
        if !path.is_file() && !self.context.overlays.contains_key(&path) {
            return ModuleTemplate::Unread(format!("module file `{reference}` does not exist"));
        }
        let (id, text) = match self.text(&path) {
            Ok(found) => found,
            Err(message) => {
                let message = format!("module `{reference}` cannot be read: {message}");
                self.error(self.name(from), Some(at), message.clone());
                return ModuleTemplate::Unread(message);
            }
        };
        let lower = reference.to_ascii_lowercase();
        if lower.ends_with(".json") || lower.ends_with(".jsonc") {
            return self.json_module(&path, id, &text, reference);
        }
        let parsed = self.parse(&path, id, &text);
        if !parsed.is_clean() {
            return ModuleTemplate::Unread(format!("module `{reference}` has syntax errors"));
        }
        self.called.push(path.clone());
        ModuleTemplate::Bicep { id, path, parsed }
    }

    fn json_module(
        &mut self,
        path: &Path,
        id: FileId,
        text: &str,
        reference: &str,
    ) -> ModuleTemplate {
        match self.json_template(path, id, text, reference) {
            Ok(root) => ModuleTemplate::Json(root),
            Err(reason) => ModuleTemplate::Unread(format!("module {reason}")),
        }
    }

    /// A JSON template's root, or why not (`` `x.json` is empty``); invalid JSON is an input
    /// error unless the scan reads the file itself.
    fn json_template(
        &mut self,
        path: &Path,
        id: FileId,
        text: &str,
        reference: &str,
    ) -> Result<Node, String> {
        if let Some(message) = crate::model::json::too_many_values(text.as_bytes()) {
            return Err(format!("`{reference}`: {message}"));
        }
        match json::parse(text, id) {
            Ok(Some(root)) => Ok(root),
            Ok(None) => Err(format!("`{reference}` is empty")),
            Err(error) => {
                if !self.context.known_files.contains(path) {
                    let span = Span::new(id, error.start, error.end);
                    self.error(
                        self.name(path),
                        Some(span),
                        format!("invalid JSON: {}", error.message),
                    );
                }
                Err(format!("`{reference}` is not valid JSON"))
            }
        }
    }

    fn registry_module(
        &mut self,
        from: &Path,
        reference: &str,
        registry: &Registry<'_>,
    ) -> ModuleTemplate {
        let unread = || {
            ModuleTemplate::Unread(format!(
                "module `{reference}` is not in the Bicep restore cache (run `bicep restore`)"
            ))
        };
        let Some(cached) = self.cached_module(from, registry) else {
            return unread();
        };
        match self.text(&cached) {
            Ok((id, text)) => self.json_module(&cached, id, &text, reference),
            Err(_) => unread(),
        }
    }

    /// The file an `import ... from reference` in the file at `from` names: a local Bicep or
    /// JSON file, or a registry reference read from the restore cache.
    pub fn import_source(&mut self, from: &Path, reference: &str) -> ImportSource {
        let (path, cached) = match registry_reference(reference) {
            Some(registry) => match self.cached_module(from, &registry) {
                Some(cached) if cached.is_file() => (cached, true),
                _ => {
                    return ImportSource::Unread(
                        "it is not in the Bicep restore cache (run `bicep restore`)".into(),
                    );
                }
            },
            None => (
                source::normalize(&directory_of(from).join(reference)),
                false,
            ),
        };
        if !path.is_file() && !self.context.overlays.contains_key(&path) {
            return ImportSource::Unread("the file does not exist".into());
        }
        let (id, text) = match self.text(&path) {
            Ok(found) => found,
            Err(message) => return ImportSource::Unread(format!("it cannot be read: {message}")),
        };
        let lower = reference.to_ascii_lowercase();
        if cached || lower.ends_with(".json") || lower.ends_with(".jsonc") {
            return match self.json_template(&path, id, &text, reference) {
                Ok(root) => ImportSource::Json { path, root },
                Err(reason) => ImportSource::Unread(reason),
            };
        }
        let parsed = self.parse(&path, id, &text);
        if !parsed.is_clean() {
            return ImportSource::Unread("it has syntax errors".into());
        }
        ImportSource::Bicep { id, path, parsed }
    }

    /// Where the Bicep CLI restores a registry module: `~/.bicep/br/<registry>/<repository with
    /// `$` for `/`>/<tag>$/main.json`, or `~/.bicep/ts/<subscription>/<group>/<name>/<version>/main.json`.
    fn cached_module(&self, from: &Path, registry: &Registry<'_>) -> Option<PathBuf> {
        let home = self.context.bicep_home?;
        match registry {
            Registry::Oci { alias, path, tag } => {
                let (host, repository) = match alias {
                    None => {
                        let (host, repository) = path.split_once('/')?;
                        (host.to_string(), repository.to_string())
                    }
                    Some("public") => ("mcr.microsoft.com".to_string(), format!("bicep/{path}")),
                    Some(alias) => {
                        let (host, prefix) = module_alias(from, "br", alias)?;
                        let repository = match prefix {
                            Some(prefix) => format!("{}/{path}", prefix.trim_end_matches('/')),
                            None => path.to_string(),
                        };
                        (host, repository)
                    }
                };
                Some(
                    home.join("br")
                        .join(host)
                        .join(repository.replace('/', "$"))
                        .join(format!("{tag}$"))
                        .join("main.json"),
                )
            }
            Registry::TemplateSpec {
                alias,
                path,
                version,
            } => {
                let path = match alias {
                    None => path.to_string(),
                    Some(alias) => {
                        let (subscription, group) = module_alias(from, "ts", alias)?;
                        format!("{subscription}/{}/{path}", group.unwrap_or_default())
                    }
                };
                let mut cached = home.join("ts");
                for part in path.split('/') {
                    cached.push(part);
                }
                Some(cached.join(version).join("main.json"))
            }
        }
    }
}

/// Why a file could not be loaded; a missing file is told apart (the value is then unknown
/// and the scan notes it, as a trimmed copy of a repository often lacks such files).
pub type LoadFailure = source::NotRead;

/// The text of loaded bytes in the encoding `loadTextContent()` was given (a byte-order mark
/// wins), or why it is not text.
pub fn decode(bytes: &[u8], encoding: &str) -> Result<String, String> {
    let utf16 = |bytes: &[u8], little: bool| {
        let units: Vec<u16> = bytes
            .chunks(2)
            .map(|pair| match pair {
                [a, b] if little => u16::from_le_bytes([*a, *b]),
                [a, b] => u16::from_be_bytes([*a, *b]),
                _ => 0xFFFD,
            })
            .collect();
        String::from_utf16(&units).map_err(|_| "not valid UTF-16 text".to_string())
    };
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return String::from_utf8(rest.to_vec()).map_err(|_| "not valid UTF-8 text".into());
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return utf16(rest, true);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return utf16(rest, false);
    }
    match encoding.to_ascii_lowercase().as_str() {
        "utf-16" => utf16(bytes, true),
        "utf-16be" => utf16(bytes, false),
        "iso-8859-1" => Ok(bytes.iter().map(|&b| char::from(b)).collect()),
        _ => String::from_utf8(bytes.to_vec()).map_err(|_| "not valid UTF-8 text".into()),
    }
}

/// Standard base64 with padding.
pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let symbol =
        |index: u32| char::from(ALPHABET.get((index & 63) as usize).copied().unwrap_or(b'='));
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = |i: usize| u32::from(chunk.get(i).copied().unwrap_or(0));
        let triple = (b(0) << 16) | (b(1) << 8) | b(2);
        out.push(symbol(triple >> 18));
        out.push(symbol(triple >> 12));
        out.push(if chunk.len() > 1 {
            symbol(triple >> 6)
        } else {
            '='
        });
        out.push(if chunk.len() > 2 { symbol(triple) } else { '=' });
    }
    out
}

/// Whether a file name matches a search pattern of `loadDirectoryFileInfo()`: `*` stands for
/// any run of characters, `?` for one.
pub fn matches_pattern(pattern: &str, name: &str) -> bool {
    if pattern.len() > MAX_PATTERN_BYTES {
        return false;
    }
    let pattern: Vec<char> = pattern.chars().collect();
    let name: Vec<char> = name.chars().collect();
    // The pattern positions reachable after each character of the name.
    let mut reachable = vec![false; pattern.len() + 1];
    if let Some(start) = reachable.first_mut() {
        *start = true;
    }
    close_stars(&pattern, &mut reachable);
    for c in name {
        let mut next = vec![false; pattern.len() + 1];
        for (at, p) in pattern.iter().enumerate() {
            if !reachable.get(at).copied().unwrap_or(false) {
                continue;
            }
            let slot = match p {
                '*' => next.get_mut(at),
                '?' => next.get_mut(at + 1),
                p if *p == c => next.get_mut(at + 1),
                _ => None,
            };
            if let Some(slot) = slot {
                *slot = true;
            }
        }
        close_stars(&pattern, &mut next);
        reachable = next;
    }
    reachable.last().copied().unwrap_or(false)
}

/// Marks the positions after each `*` reachable from the position before it (a `*` may match
/// nothing).
fn close_stars(pattern: &[char], reachable: &mut [bool]) {
    for (at, p) in pattern.iter().enumerate() {
        if *p == '*'
            && reachable.get(at).copied().unwrap_or(false)
            && let Some(slot) = reachable.get_mut(at + 1)
        {
            *slot = true;
        }
    }
}

/// The directory of a file (`.` for a bare name).
pub fn directory_of(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// A registry module reference, split.
#[derive(Debug, PartialEq, Eq)]
enum Registry<'r> {
    /// `br:host/repo:tag`, `br/public:path:tag`, `br/alias:path:tag`.
    Oci {
        alias: Option<&'r str>,
        path: &'r str,
        tag: &'r str,
    },
    /// `ts:subscription/group/name:version`, `ts/alias:name:version`.
    TemplateSpec {
        alias: Option<&'r str>,
        path: &'r str,
        version: &'r str,
    },
}

/// Whether a module path names a registry module, and its parts.
/// Whether a module reference names a registry module or template spec (`br:`, `br/alias:`,
/// `ts:`), not a local file.
pub fn is_registry_reference(reference: &str) -> bool {
    registry_reference(reference).is_some()
}

fn registry_reference(reference: &str) -> Option<Registry<'_>> {
    let (scheme, rest) = reference.split_once(':')?;
    let (kind, alias) = match scheme.split_once('/') {
        Some((kind, alias)) => (kind, Some(alias)),
        None => (scheme, None),
    };
    let (path, tag) = rest.rsplit_once(':')?;
    match kind {
        "br" => Some(Registry::Oci { alias, path, tag }),
        "ts" => Some(Registry::TemplateSpec {
            alias,
            path,
            version: tag,
        }),
        _ => None,
    }
}

/// A module alias from the nearest `bicepconfig.json`: for `br`, the registry and module path
/// prefix; for `ts`, the subscription and resource group.
fn module_alias(from: &Path, kind: &str, alias: &str) -> Option<(String, Option<String>)> {
    let mut directory = std::fs::canonicalize(directory_of(from)).ok();
    for _ in 0..64 {
        let current = directory?;
        let config = current.join("bicepconfig.json");
        if config.is_file() {
            let text = source::read_text(&config).ok()?;
            let root = json::parse(&text, 0).ok()??;
            let entry = root.get("moduleAliases")?.get(kind)?.get(alias)?;
            let text_of = |key: &str| entry.get(key).and_then(Node::as_str).map(str::to_string);
            return match kind {
                "br" => Some((text_of("registry")?, text_of("modulePath"))),
                _ => Some((text_of("subscription")?, text_of("resourceGroup"))),
            };
        }
        directory = current.parent().map(Path::to_path_buf);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_references_split() {
        assert_eq!(
            registry_reference("br/public:avm/res/container-registry/registry:0.1.0"),
            Some(Registry::Oci {
                alias: Some("public"),
                path: "avm/res/container-registry/registry",
                tag: "0.1.0"
            })
        );
        assert_eq!(
            registry_reference("br:contoso.azurecr.io/bicep/acr:v1"),
            Some(Registry::Oci {
                alias: None,
                path: "contoso.azurecr.io/bicep/acr",
                tag: "v1"
            })
        );
        assert!(registry_reference("./modules/acr.bicep").is_none());
        assert!(registry_reference("ts:sub/rg/spec:1.0").is_some());
    }

    #[test]
    fn search_patterns_match_with_stars_and_question_marks() {
        assert!(matches_pattern("*", "a.txt"));
        assert!(matches_pattern("*.txt", "a.txt"));
        assert!(matches_pattern("*.txt", ".txt"));
        assert!(!matches_pattern("*.txt", "a.json"));
        assert!(matches_pattern("a?c*", "abc.json"));
        assert!(!matches_pattern("a?c", "ac"));
        assert!(matches_pattern("**x", "x"));
    }

    #[test]
    fn base64_pads() {
        assert_eq!(base64(b"Man"), "TWFu");
        assert_eq!(base64(b"Ma"), "TWE=");
        assert_eq!(base64(b"M"), "TQ==");
        assert_eq!(base64(b""), "");
    }

    #[test]
    fn text_decodes_by_encoding_and_byte_order_mark() {
        assert_eq!(decode(&[0xFF, 0xFE, b'a', 0], "utf-8").unwrap(), "a");
        assert_eq!(decode(&[0, b'a'], "utf-16BE").unwrap(), "a");
        assert_eq!(decode(&[0xE9], "iso-8859-1").unwrap(), "é");
        assert!(decode(&[0xE9], "utf-8").is_err());
    }
}
