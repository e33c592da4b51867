//! The Bicep front end's entry point for the scan: each `.bicep` file of a directory lowered
//! and read once per parameters file (`.bicepparam` files whose `using` names it, JSON
//! parameters files paired by name, `--parameters`), or once with its defaults.

use std::path::{Path, PathBuf};

use super::load::{Context, Loader, directory_of};
use super::lower::{self, Given, Lowered, UnreadModule};
use super::params::given_values;
use super::syntax::{DeclKind, ParsedFile};
use crate::arm::{self, ParametersFile};
use crate::model::{Format, FrontEndOutput, JsonDocument, Node, RegistryRef, Resource, Value};
use crate::source::{self, FileId, SourceFile, Span};

/// A parsed Bicep file handed to the front end.
#[derive(Clone, Copy)]
pub struct BicepDocument<'a> {
    pub id: FileId,
    pub source: &'a SourceFile,
    pub parsed: &'a ParsedFile,
    /// A `.bicepparam` file rather than a `.bicep` template.
    pub parameters: bool,
}

/// What the Bicep files of a directory gave: the model, the files read besides them (modules
/// and loaded files outside the scan, with their ids) and the Bicep files used as modules.
#[derive(Default)]
pub struct BicepOutput {
    pub output: FrontEndOutput,
    pub sources: Vec<(FileId, SourceFile)>,
    pub called: Vec<PathBuf>,
    /// Files of the scan read as data, with their text.
    pub content: Vec<(FileId, String)>,
    /// Which of the directory's files read each file read besides them: (file, reader).
    pub readers: Vec<(FileId, FileId)>,
    /// The templates in other directories that a `.bicepparam` file of this one was read with.
    pub read_with_parameters: Vec<PathBuf>,
}

/// Whether `parameters` is a JSON parameters file of the Bicep file `template` by name:
/// `main.bicep` takes `main.parameters.json` and `main.parameters.<env>.json`.
pub fn pairs_with(template: &str, parameters: &str) -> bool {
    let template = arm::lower_file_name(template);
    template_stem(&template).is_some_and(|stem| arm::stem_pairs_with(stem, parameters))
}

/// What the names of a Bicep file's JSON parameters files start with: its file name (in lower
/// case) without `.bicep`.
pub fn template_stem(lower_name: &str) -> Option<&str> {
    lower_name.strip_suffix(".bicep")
}

/// Whether a JSON template is the compiled output of a Bicep file (its `metadata._generator`).
pub fn is_compiled(root: &Node) -> bool {
    root.get("metadata")
        .and_then(|m| m.get("_generator"))
        .and_then(|g| g.get("name"))
        .and_then(Node::as_str)
        .is_some_and(|name| name.eq_ignore_ascii_case("bicep"))
}

/// The Bicep file a compiled JSON template sits beside (`x.json` for `x.bicep`).
pub fn source_of_compiled(json: &Path) -> PathBuf {
    json.with_extension("bicep")
}

/// Which of a directory's Bicep files (`documents`) a compiled JSON template (see
/// [`is_compiled`]) was compiled from: `x.bicep` for `x.json`; failing that, the only template
/// that declares the parameters and outputs the JSON declares, by name (Azure quickstarts
/// compile `main.bicep` to `azuredeploy.json`).
pub fn compiled_from(json: &JsonDocument<'_>, documents: &[BicepDocument<'_>]) -> Option<usize> {
    let templates = || documents.iter().enumerate().filter(|(_, d)| !d.parameters);
    let beside = source_of_compiled(&json.source.path);
    if let Some((position, _)) = templates().find(|(_, d)| d.source.path == beside) {
        return Some(position);
    }
    let declared = Declared::of_json(json.root).filter(|d| !d.is_empty())?;
    let mut matching = templates().filter(|(_, d)| Declared::of_bicep(d.parsed) == declared);
    let (position, _) = matching.next()?;
    matching.next().is_none().then_some(position)
}

/// The names of the parameters and outputs a template declares, sorted.
#[derive(PartialEq)]
struct Declared<'a> {
    parameters: Vec<&'a str>,
    outputs: Vec<&'a str>,
}

impl<'a> Declared<'a> {
    fn of_json(root: &'a Node) -> Option<Self> {
        let names = |key: &str| -> Option<Vec<&'a str>> {
            let mut names: Vec<&str> = match root.get(key).map(|n| &n.value) {
                None => Vec::new(),
                Some(Value::Object(members)) => {
                    members.iter().map(|(name, _)| name.as_str()).collect()
                }
                Some(_) => return None,
            };
            names.sort_unstable();
            Some(names)
        };
        Some(Declared {
            parameters: names("parameters")?,
            outputs: names("outputs")?,
        })
    }

    fn of_bicep(parsed: &'a ParsedFile) -> Self {
        let mut declared = Declared {
            parameters: Vec::new(),
            outputs: Vec::new(),
        };
        for declaration in &parsed.file.declarations {
            match &declaration.kind {
                DeclKind::Param(param) => declared.parameters.push(param.name.name.as_str()),
                DeclKind::Output(output) => declared.outputs.push(output.name.name.as_str()),
                _ => {}
            }
        }
        declared.parameters.sort_unstable();
        declared.outputs.sort_unstable();
        declared
    }

    fn is_empty(&self) -> bool {
        self.parameters.is_empty() && self.outputs.is_empty()
    }
}

/// Reads the Bicep files of one directory. `compiled` are the JSON templates compiled from
/// them, whose resources are kept only where the Bicep side could not read a module.
pub fn read_directory(
    documents: &[BicepDocument<'_>],
    compiled: &[JsonDocument<'_>],
    json_parameters: &[JsonDocument<'_>],
    context: &Context<'_>,
) -> BicepOutput {
    let mut loader = Loader::new(context);
    let mut output = FrontEndOutput::default();
    let targets = UsingTargets::of(documents);
    let paired = PairedJson::of(documents, compiled, json_parameters);
    let templates = documents.iter().enumerate().filter(|(_, d)| !d.parameters);
    for (position, template) in templates {
        let compiled = paired.compiled(position, compiled);
        if !template.parsed.is_clean() {
            if let Some(json) = compiled {
                read_compiled_whole(json, json_parameters, &mut output);
            }
            continue;
        }
        let json_parameters = paired.parameters(template, compiled, json_parameters);
        loader.reader = Some(template.id);
        let found = evaluations(
            template,
            &targets,
            json_parameters,
            context.explicit,
            &mut loader,
        );
        for evaluation in found {
            read_template(template, &evaluation, compiled, &mut loader, &mut output);
        }
    }
    let mut read_with_parameters = Vec::new();
    for (parameters, target) in &targets.parameters {
        loader.reader = Some(parameters.id);
        let read = read_elsewhere(
            parameters,
            target.as_deref(),
            &targets,
            &mut loader,
            &mut output,
        );
        read_with_parameters.extend(read.map(Path::to_path_buf));
    }
    output.errors.extend(loader.errors);
    output.notices.extend(loader.notices);
    BicepOutput {
        output,
        sources: loader.sources,
        called: loader.called,
        content: loader.content,
        readers: loader.readers.into_iter().collect(),
        read_with_parameters,
    }
}

/// Reads one `.bicep` file on its own (with the `.bicepparam` and JSON parameters files beside
/// it), outside a scan, loading files below `root`: what the front end makes of it, and its
/// syntax errors.
pub fn read_file(path: &Path, root: &Path) -> FrontEndOutput {
    let path = source::normalize(path);
    let base = std::env::current_dir().unwrap_or_default();
    let directory = directory_of(&path).to_path_buf();
    let mut sources = Vec::new();
    let mut output = FrontEndOutput::default();
    let siblings = std::fs::read_dir(&directory)
        .map(|entries| entries.flatten().map(|e| e.path()).collect::<Vec<_>>())
        .unwrap_or_default();
    let mut names: Vec<PathBuf> = siblings
        .into_iter()
        .map(|p| source::normalize(&p))
        .filter(|p| {
            let name = p.to_string_lossy().to_ascii_lowercase();
            *p == path || name.ends_with(".bicepparam") || name.ends_with(".json")
        })
        .collect();
    names.sort();
    for file in &names {
        let name = source::display_name(file, &base);
        let text = crate::model::input::read_or_report(file, &name, &mut output.errors);
        sources.push(SourceFile::new(file.clone(), name, text));
    }
    let parsed: Vec<Option<super::BicepFile>> = sources
        .iter()
        .map(|s| {
            let name = s.name.to_ascii_lowercase();
            if s.path == path {
                Some(super::parse(&s.text, false))
            } else if name.ends_with(".bicepparam") {
                Some(super::parse(&s.text, true))
            } else {
                None
            }
        })
        .collect();
    let json: Vec<(usize, Node)> = sources
        .iter()
        .enumerate()
        .filter(|(_, s)| s.name.to_ascii_lowercase().ends_with(".json"))
        .filter_map(|(id, s)| Some((id, crate::model::json::parse(&s.text, id).ok()??)))
        .collect();
    let documents: Vec<BicepDocument<'_>> = parsed
        .iter()
        .enumerate()
        .filter_map(|(id, file)| {
            let file = file.as_ref()?;
            Some(BicepDocument {
                id,
                source: sources.get(id)?,
                parsed: &file.parsed,
                parameters: file.parameters,
            })
        })
        .collect();
    let parameters: Vec<JsonDocument<'_>> = json
        .iter()
        .filter(|(id, root)| {
            sources.get(*id).is_some_and(|source| {
                arm::classify_file(root, &source.path) == arm::JsonKind::Parameters
            })
        })
        .filter_map(|(id, root)| {
            Some(JsonDocument {
                source: sources.get(*id)?,
                root,
            })
        })
        .collect();
    let next_id = std::sync::atomic::AtomicUsize::new(sources.len());
    let overlays = std::collections::HashMap::new();
    let roots: Vec<PathBuf> = std::fs::canonicalize(root).into_iter().collect();
    let home = std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".bicep"));
    let context = Context {
        base: &base,
        known_files: crate::source::KnownFiles::default(),
        next_id: &next_id,
        overlays: &overlays,
        explicit: &[],
        roots: &roots,
        bicep_home: home.as_deref(),
    };
    for document in &documents {
        if let Some(error) = document.parsed.errors.first() {
            output.errors.push(crate::model::InputError {
                path: document.source.name.clone(),
                span: Some(error.span.in_file(document.id)),
                message: error.message.clone(),
                show_source: true,
            });
        }
    }
    output.extend(read_directory(&documents, &[], &parameters, &context).output);
    output
}

/// Lowers and reads Bicep text as a file `main.bicep` of its own (no modules or loaded files
/// are read: they lie outside any scanned directory), for fuzzing the evaluation.
pub fn read_text(text: &str) -> FrontEndOutput {
    let source = SourceFile::new(
        PathBuf::from("main.bicep"),
        "main.bicep".into(),
        text.into(),
    );
    let file = super::parse(&source.text, false);
    let document = BicepDocument {
        id: 0,
        source: &source,
        parsed: &file.parsed,
        parameters: false,
    };
    let next_id = std::sync::atomic::AtomicUsize::new(1);
    let overlays = std::collections::HashMap::new();
    let context = Context {
        base: Path::new("."),
        known_files: crate::source::KnownFiles::default(),
        next_id: &next_id,
        overlays: &overlays,
        explicit: &[],
        roots: &[],
        bicep_home: None,
    };
    read_directory(&[document], &[], &[], &context).output
}

/// One evaluation of a template: with the values of a parameters file, or with its defaults.
struct Evaluation<'a> {
    /// The parameters file's name, as shown.
    file: Option<String>,
    given: Option<Given>,
    json: Option<&'a Node>,
}

/// A directory's Bicep files as `using` paths are matched against them, each path normalized
/// once and looked up by its bytes rather than compared with every other.
struct UsingTargets<'d> {
    /// The `.bicepparam` files that parse cleanly, each with the template its `using` names.
    parameters: Vec<(&'d BicepDocument<'d>, Option<PathBuf>)>,
    /// The positions in `parameters` of the files whose `using` names each (normalized) path.
    by_target: foldhash::HashMap<std::ffi::OsString, Vec<usize>>,
    /// The (normalized) path of every file.
    paths: foldhash::HashSet<std::ffi::OsString>,
}

impl<'d> UsingTargets<'d> {
    fn of(documents: &'d [BicepDocument<'d>]) -> Self {
        let clean = documents
            .iter()
            .filter(|d| d.parameters && d.parsed.is_clean());
        let parameters: Vec<_> = clean.map(|d| (d, using_path(d))).collect();
        let mut by_target: foldhash::HashMap<std::ffi::OsString, Vec<usize>> = Default::default();
        for (position, (_, target)) in parameters.iter().enumerate() {
            if let Some(target) = target {
                let positions = by_target.entry(target.as_os_str().to_owned()).or_default();
                positions.push(position);
            }
        }
        UsingTargets {
            parameters,
            by_target,
            paths: documents
                .iter()
                .map(|d| source::normalize(&d.source.path).into_os_string())
                .collect(),
        }
    }

    /// The parameters files whose `using` names the template at `template`, in order.
    fn using(&self, template: &Path) -> impl Iterator<Item = &'d BicepDocument<'d>> + '_ {
        let template = source::normalize(template);
        let positions = self.by_target.get(template.as_os_str());
        let positions = positions.map_or(&[][..], Vec::as_slice).iter();
        positions.filter_map(|&position| Some(self.parameters.get(position)?.0))
    }

    /// Whether `target` (normalized) is one of the directory's files.
    fn holds(&self, target: &Path) -> bool {
        self.paths.contains(target.as_os_str())
    }
}

/// A directory's JSON files as its Bicep files find theirs: the compiled templates by the Bicep
/// file each was compiled from, and the parameters files by the stem of the templates they pair
/// with.
struct PairedJson {
    /// For each of the directory's Bicep files, the position of the JSON compiled from it.
    compiled: Vec<Option<usize>>,
    parameters: arm::ParametersByStem,
}

impl PairedJson {
    fn of(
        documents: &[BicepDocument<'_>],
        compiled: &[JsonDocument<'_>],
        parameters: &[JsonDocument<'_>],
    ) -> Self {
        let mut compiled_of = vec![None; documents.len()];
        for (position, json) in compiled.iter().enumerate() {
            let Some(source) = compiled_from(json, documents) else {
                continue;
            };
            let beside = source_of_compiled(&json.source.path);
            let own = documents
                .get(source)
                .is_some_and(|d| d.source.path == beside);
            // A Bicep file's own `x.json` wins over another compiled file that matches it.
            if let Some(slot) = compiled_of.get_mut(source) {
                if own {
                    *slot = Some(position);
                } else {
                    slot.get_or_insert(position);
                }
            }
        }
        PairedJson {
            compiled: compiled_of,
            parameters: arm::ParametersByStem::new(
                parameters.iter().map(|p| p.source.path.as_path()),
            ),
        }
    }

    /// The template compiled from the directory's Bicep file at `position`, among `compiled`
    /// (the directory's, as indexed).
    fn compiled<'c>(
        &self,
        position: usize,
        compiled: &'c [JsonDocument<'c>],
    ) -> Option<&'c JsonDocument<'c>> {
        compiled.get(self.compiled.get(position).copied().flatten()?)
    }

    /// The JSON parameters files that pair with `template` by name, in the directory's order,
    /// among `parameters` (the directory's, as indexed): its own, and those of the template
    /// compiled from it when that has another name (`azuredeploy.parameters.json` for
    /// `main.bicep` compiled to `azuredeploy.json`).
    fn parameters<'p>(
        &self,
        template: &BicepDocument<'_>,
        compiled: Option<&JsonDocument<'_>>,
        parameters: &'p [JsonDocument<'p>],
    ) -> impl Iterator<Item = &'p JsonDocument<'p>> + use<'p> {
        let lower_name = arm::lower_file_name(&template.source.name);
        let mut positions = template_stem(&lower_name)
            .map_or(&[][..], |stem| self.parameters.of_stem(stem))
            .to_vec();
        let compiled_name = compiled.map(|json| arm::lower_file_name(&json.source.name));
        let compiled_stem = compiled_name.as_deref().and_then(arm::template_stem);
        if let Some(stem) = compiled_stem.filter(|&stem| Some(stem) != template_stem(&lower_name)) {
            positions.extend_from_slice(self.parameters.of_stem(stem));
            positions.sort_unstable();
            positions.dedup();
        }
        positions
            .into_iter()
            .filter_map(|position| parameters.get(position))
    }
}

fn evaluations<'a>(
    template: &BicepDocument<'_>,
    targets: &UsingTargets<'_>,
    json_parameters: impl Iterator<Item = &'a JsonDocument<'a>>,
    explicit: &'a [arm::ExplicitParameters],
    loader: &mut Loader<'_>,
) -> Vec<Evaluation<'a>> {
    let mut found = Vec::new();
    // The parameters files read, by their names as shown.
    let mut read: Vec<&str> = Vec::new();
    for parameters in targets.using(&template.source.path) {
        read.push(&parameters.source.name);
        found.push(Evaluation {
            file: Some(short_name(&parameters.source.name)),
            given: Some(given_values(parameters, loader)),
            json: None,
        });
    }
    for parameters in json_parameters {
        if let Some(values) = parameters.root.get("parameters") {
            read.push(&parameters.source.name);
            found.push(Evaluation {
                file: Some(short_name(&parameters.source.name)),
                given: None,
                json: Some(values),
            });
        }
    }
    // Resolving the path takes a system call for each of its components: only when needed.
    let canonical = (!explicit.is_empty())
        .then(|| std::fs::canonicalize(&template.source.path).ok())
        .flatten();
    for explicit in explicit
        .iter()
        .filter(|e| Some(&e.template) == canonical.as_ref())
    {
        for (name, root) in &explicit.files {
            if read.contains(&name.as_str()) {
                continue;
            }
            read.push(name);
            let short = short_name(name);
            let short_taken = found
                .iter()
                .any(|e| e.file.as_deref() == Some(short.as_str()));
            found.push(Evaluation {
                file: Some(if short_taken { name.clone() } else { short }),
                given: None,
                json: root.get("parameters"),
            });
        }
    }
    if found.is_empty() {
        found.push(Evaluation {
            file: None,
            given: None,
            json: None,
        });
    }
    found
}

/// A `.bicepparam` file whose `using` names a Bicep template in another directory, or a JSON
/// template anywhere: that template read with its values. The template, when it was read so.
fn read_elsewhere<'t>(
    parameters: &BicepDocument<'_>,
    target: Option<&'t Path>,
    directory: &UsingTargets<'_>,
    loader: &mut Loader<'_>,
    output: &mut FrontEndOutput,
) -> Option<&'t Path> {
    let target = target?;
    let written = using_expr(parameters).and_then(|path| path.as_plain_string());
    if let Some(message) = written.and_then(not_a_template) {
        let at = using_span(parameters).map(|span| span.in_file(parameters.id));
        loader.error(parameters.source.name.clone(), at, message);
        return None;
    }
    let extension = target
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    if matches!(extension.as_deref(), Some("json" | "jsonc")) {
        return read_json_template(parameters, target, loader, output);
    }
    if directory.holds(target) || extension.as_deref() != Some("bicep") {
        return None;
    }
    let (id, text) = using_text(parameters, target, loader)?;
    let parsed = super::syntax::parse(&text);
    if !parsed.is_clean() {
        return None;
    }
    // A template the scan reads itself reads its modules as its own: reported when it is.
    if loader.is_scanned(target) {
        loader.reader = Some(id);
    }
    let source = SourceFile::new(target.to_path_buf(), loader.name(target), text.to_string());
    let template = BicepDocument {
        id,
        source: &source,
        parsed: &parsed,
        parameters: false,
    };
    let evaluation = Evaluation {
        file: Some(short_name(&parameters.source.name)),
        given: Some(given_values(parameters, loader)),
        json: None,
    };
    read_template(&template, &evaluation, None, loader, output);
    Some(target)
}

/// A `.bicepparam` file whose `using` names a JSON template, beside it or elsewhere: that
/// template read with its values, as a Bicep template is lowered with them (they replace the
/// parameters' defaults; the file's variables and functions join the template's). The
/// template, when it was read so.
fn read_json_template<'t>(
    parameters: &BicepDocument<'_>,
    target: &'t Path,
    loader: &mut Loader<'_>,
    output: &mut FrontEndOutput,
) -> Option<&'t Path> {
    let (id, text) = using_text(parameters, target, loader)?;
    let not_read = |why: String| format!("`using` names `{}`{why}", target.display());
    if let Some(message) = crate::model::json::too_many_values(text.as_bytes()) {
        loader
            .notices
            .push(unused_values(parameters, &not_read(format!(": {message}"))));
        return None;
    }
    let template = crate::model::json::parse(&text, id).ok().flatten();
    let Some(root) = template.filter(|r| arm::classify_file(r, target) == arm::JsonKind::Template)
    else {
        let why = ", which is not an ARM template".to_string();
        loader
            .notices
            .push(unused_values(parameters, &not_read(why)));
        return None;
    };
    let given = given_values(parameters, loader);
    let root = with_given_values(root, given);
    let empty = Node::object(Span::new(parameters.id, 0, 0));
    let file = short_name(&parameters.source.name);
    let parameters_file = ParametersFile {
        name: &file,
        parameters: &empty,
    };
    output.secrets.extend(arm::secure_spans(&root, None));
    let read = arm::read(&root, &loader.name(target), Some(&parameters_file));
    output.resources.extend(read.resources);
    output.units.push(read.unit);
    Some(target)
}

/// The text of the template a `.bicepparam` file's `using` names, or a note that it cannot be
/// read.
fn using_text(
    parameters: &BicepDocument<'_>,
    target: &Path,
    loader: &mut Loader<'_>,
) -> Option<(FileId, std::rc::Rc<str>)> {
    let Ok(read) = loader.text(target) else {
        let message = format!("`using` names `{}`, which cannot be read", target.display());
        loader.notices.push(unused_values(parameters, &message));
        return None;
    };
    Some(read)
}

/// A note that the values of a `.bicepparam` file are not applied, and why.
fn unused_values(parameters: &BicepDocument<'_>, why: &str) -> String {
    format!("{}: {why}", parameters.source.name)
}

/// A JSON template with the values a `.bicepparam` file gives: each as its parameter's default.
fn with_given_values(mut template: Node, given: Given) -> Node {
    let span = template.span;
    if let Some(declared) = template.entry_object("parameters", span)
        && let Value::Object(members) = &mut declared.value
    {
        for (name, declaration) in members.iter_mut() {
            let value = given
                .values
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(name));
            if let Some((_, value)) = value {
                declaration.insert("defaultValue", value.clone());
            }
        }
    }
    if let Some(variables) = template.entry_object("variables", span) {
        for (name, value) in given.variables {
            variables.insert(&name, value);
        }
    }
    if !given.functions.is_empty() {
        if template.get("functions").is_none() {
            let none = Node::new(Value::Array(Vec::new()), span);
            template.insert("functions", none);
        }
        if let Some(functions) = template.entry_object("functions", span)
            && let Value::Array(namespaces) = &mut functions.value
        {
            namespaces.extend(given.functions);
        }
    }
    template
}

/// Why a `using` path names no template: a parameters file, or a file that is neither Bicep nor
/// JSON (a registry module or template spec is a template).
fn not_a_template(reference: &str) -> Option<String> {
    if super::load::is_registry_reference(reference) {
        return None;
    }
    let extension = Path::new(reference)
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    match extension.as_deref() {
        Some("bicep" | "json" | "jsonc") => None,
        Some("bicepparam") => Some(
            "`using` names a parameters file; it must name the template the values are for".into(),
        ),
        _ => Some(format!(
            "`using` names `{reference}`, which is neither a Bicep nor a JSON template"
        )),
    }
}

/// The path a `.bicepparam` file's `using` is given, as written.
fn using_expr<'a>(parameters: &BicepDocument<'a>) -> Option<&'a super::syntax::Expr> {
    declared_using(parameters.parsed)
}

fn declared_using(parsed: &ParsedFile) -> Option<&super::syntax::Expr> {
    parsed.declarations().iter().find_map(|d| match &d.kind {
        DeclKind::Using(using) => using.path.as_ref(),
        _ => None,
    })
}

/// The file the `.bicepparam` file at `path`, whose text is `text`, names in its `using`
/// (normalized; nothing for `using none` or an expression).
pub fn using_target(path: &Path, text: &str) -> Option<PathBuf> {
    let parsed = super::syntax::parse_params(text);
    let relative = declared_using(&parsed)?.as_plain_string()?;
    Some(source::normalize(&directory_of(path).join(relative)))
}

fn using_span(parameters: &BicepDocument<'_>) -> Option<super::syntax::TextSpan> {
    using_expr(parameters).map(|path| path.span)
}

/// The template a `.bicepparam` file's `using` names.
fn using_path(parameters: &BicepDocument<'_>) -> Option<PathBuf> {
    let relative = using_expr(parameters)?.as_plain_string()?;
    Some(source::normalize(
        &directory_of(&parameters.source.path).join(relative),
    ))
}

pub(super) fn short_name(name: &str) -> String {
    name.rsplit('/').next().unwrap_or(name).to_string()
}

/// Lowers and reads a template with one parameters file (or none), keeping from its compiled
/// JSON only what the Bicep side could not read.
fn read_template(
    template: &BicepDocument<'_>,
    evaluation: &Evaluation<'_>,
    compiled: Option<&JsonDocument<'_>>,
    loader: &mut Loader<'_>,
    output: &mut FrontEndOutput,
) {
    let first_module = loader.module_calls.len();
    let Lowered {
        template: root,
        unread_modules,
    } = lower::lower(
        template.parsed,
        &template.source.path,
        template.id,
        evaluation.given.as_ref(),
        loader,
    );
    output
        .parameters_read
        .extend(evaluation.json.map(|values| values.span.file));
    let empty = Node::object(Span::new(template.id, 0, 0));
    let values = evaluation.json.unwrap_or(&empty);
    let parameters_file = evaluation.file.as_deref().map(|name| ParametersFile {
        name,
        parameters: values,
    });
    let name = &template.source.name;
    let mut read = arm::read(&root, name, parameters_file.as_ref());
    output
        .secrets
        .extend(arm::secure_spans(&root, evaluation.json));
    read.unit.format = Format::Bicep;
    let directives = super::comments::directives(
        template.id,
        &template.source.text,
        template.parsed,
        name,
        "",
    );
    read.unit.directives.extend(directives);
    // A module file is read only through its callers: its suppressions cover what it deploys
    // through each call, and those that cannot be read are reported once, by where they stand.
    let calls: Vec<(PathBuf, String)> = loader
        .module_calls
        .get(first_module..)
        .unwrap_or_default()
        .to_vec();
    for (module, prefix) in calls {
        if let Some((id, text, parsed)) = loader.parsed_module(&module) {
            let directives = super::comments::directives(id, &text, &parsed, name, &prefix);
            read.unit.directives.extend(directives);
        }
    }
    for module in &unread_modules {
        note_unread(module, name, &read.resources, &mut read.unit, output);
    }
    for resource in &mut read.resources {
        resource.format = Format::Bicep;
    }
    output.resources.extend(read.resources);
    if let Some(json) = compiled.filter(|_| !unread_modules.is_empty()) {
        let inlined = read_compiled(json, parameters_file.as_ref(), &read.unit.id);
        output.resources.extend(
            inlined
                .into_iter()
                .filter(|r| inside_unread(r, &unread_modules)),
        );
    }
    output.units.push(read.unit);
}

/// A module that could not be read: a notice naming it (shown with `--show-unknown` for a
/// registry module, whose effect is undecided), and the registries it is handed (their
/// absent-resource rules are then undecided).
fn note_unread(
    module: &UnreadModule,
    file: &str,
    resources: &[Resource],
    unit: &mut crate::model::Unit,
    output: &mut FrontEndOutput,
) {
    let notice = format!(
        "{file}: module `{}`: {}; what it deploys is not checked",
        module.symbol, module.reason
    );
    if module.from_registry {
        output.undecided_notices.push(notice);
    } else {
        output.notices.push(notice);
    }
    for registry in &module.registries {
        if resources
            .iter()
            .any(|r| r.is_registry() && &r.address == registry)
        {
            unit.calls_mut().handoffs.push((
                RegistryRef::Address(registry.clone()),
                format!("module `{}`", module.symbol),
            ));
        }
    }
}

/// The resources of a compiled template, read as the Bicep file's unit.
fn read_compiled(
    json: &JsonDocument<'_>,
    parameters: Option<&ParametersFile<'_>>,
    unit: &str,
) -> Vec<Resource> {
    let mut read = arm::read(json.root, &json.source.name, parameters);
    for resource in &mut read.resources {
        resource.unit = unit.to_string();
    }
    read.resources
}

/// A compiled template whose Bicep source could not be parsed: read as ARM, whole.
fn read_compiled_whole(
    json: &JsonDocument<'_>,
    json_parameters: &[JsonDocument<'_>],
    output: &mut FrontEndOutput,
) {
    output.extend(arm::read_directory(&[*json], json_parameters, &[]));
}

/// Whether a resource of the compiled template lies in a deployment the Bicep side could not
/// read (by the module's symbolic name, or its deployment name in `languageVersion` 1.0).
fn inside_unread(resource: &Resource, unread: &[UnreadModule]) -> bool {
    let address = resource.address.as_str();
    unread.iter().any(|module| {
        let names =
            std::iter::once(module.symbol.as_str()).chain(module.deployment_name.as_deref());
        names.into_iter().any(|name| {
            address.strip_prefix(name).is_some_and(|rest| {
                rest.starts_with('/') || (rest.starts_with('[') && rest.contains("]/"))
            })
        })
    })
}

#[cfg(test)]
mod tests {
    use super::pairs_with;

    #[test]
    fn json_parameters_pair_with_bicep_by_name() {
        assert!(pairs_with("infra/main.bicep", "infra/main.parameters.json"));
        assert!(pairs_with("main.bicep", "main.parameters.prod.json"));
        assert!(!pairs_with("main.bicep", "other.parameters.json"));
        assert!(!pairs_with("main.json", "main.parameters.json"));
    }
}
