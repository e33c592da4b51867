//! One Terraform module (a directory): variables with their values, locals, and references
//! between resources, evaluated lazily with memoisation and cycle detection.

use foldhash::{HashMap, HashMapExt};
use std::cell::{Cell, RefCell};

use hcl_edit::Span as _;
use hcl_edit::expr::{Expression, TraversalOperator};
use hcl_edit::structure::{Block, Body};

use super::eval::{self, FileText, Listing, PathStep, Scope, TemplateFile, TfValue};
use super::expr::Evaluate;
use super::origin::{self, Given, Origin, Walk, Written};
use super::span_of;
use super::types::Type;
use crate::source::{FileId, Span};
use std::path::{Path, PathBuf};

/// A parsed `.tf` file of the module.
pub struct ModuleFile<'a> {
    pub file: FileId,
    pub body: &'a Body,
    pub text: &'a str,
}

/// A variable value given from outside the module's `.tf` files, with where it was set.
#[derive(Debug, Clone)]
pub struct GivenValue {
    pub value: TfValue,
    pub span: Option<Span>,
    pub source: String,
    /// The value as written (a `.tfvars` value, a module call's literal argument), whose members
    /// keep their own spans.
    pub written: Option<std::sync::Arc<crate::model::Node>>,
}

/// How deep references between resources and locals may chain.
const MAX_REFERENCE_DEPTH: usize = 32;
/// Weight (about bytes, see [`eval::weight`]) of all the locals and resource attributes one
/// module instance may compute; past it they are unknown ("too large"), so doubling chains of
/// locals stop at tens of megabytes.
pub const MAX_MODULE_WEIGHT: usize = 16 << 20;

pub struct ModuleScope<'a> {
    variables: HashMap<String, Variable<'a>>,
    locals: HashMap<String, Written<'a>>,
    resources: HashMap<(String, String), &'a Block>,
    /// Locals and resource attributes evaluated so far, each once.
    cache: RefCell<HashMap<String, TfValue>>,
    /// The least weight of each local's value (see [`ModuleScope::least_weight`]).
    local_weights: RefCell<HashMap<String, usize>>,
    /// For each object `for` looked through (by address), the element of its collection each
    /// key it makes comes from.
    for_elements: RefCell<HashMap<usize, std::rc::Rc<ForElements>>>,
    stack: RefCell<Vec<String>>,
    /// Weight of the values computed so far, against [`MAX_MODULE_WEIGHT`].
    computed: Cell<usize>,
    /// Where the values of sensitive variables are written: defaults and given values.
    secrets: Vec<Span>,
    /// The outputs of the modules this one calls, by call name.
    called: &'a CalledOutputs,
    /// Where `file()` reads.
    files: &'a FileAccess,
}

/// Where a module's `file()` calls read: relative paths start at the root module's directory,
/// as Terraform runs there, and a file must lie below a scanned directory.
#[derive(Debug, Clone)]
pub struct FileAccess {
    /// The root module's directory.
    pub root: PathBuf,
    /// The module's own directory (`path.module`).
    pub module: PathBuf,
    /// The scanned directories, canonical.
    pub scanned: std::sync::Arc<[PathBuf]>,
    /// What paths are shown relative to.
    pub base: PathBuf,
    /// The next free file id, for the YAML files values are read from.
    pub next_id: std::sync::Arc<std::sync::atomic::AtomicUsize>,
    /// The YAML files read for where their values are written, shared by the modules of one
    /// directory's evaluation.
    pub documents: std::rc::Rc<RefCell<Documents>>,
    /// What `fileset()` and `templatefile()` read in the scan.
    pub shared: std::sync::Arc<SharedReads>,
}

/// What the evaluations of a scan's directories read once for all of them.
#[derive(Debug, Default)]
pub struct SharedReads {
    /// Unsaved text of open editor buffers, by normalised path: what `file()` reads there.
    overlays: HashMap<PathBuf, String>,
    /// The template files `templatefile()` parsed, by canonical path.
    templates: std::sync::Mutex<HashMap<PathBuf, TemplateFile>>,
    /// What `fileset()` listed, by canonical directory and pattern.
    listed: std::sync::Mutex<HashMap<(PathBuf, String), Listing>>,
}

impl SharedReads {
    /// Reads that find `overlays` (an editor's unsaved buffers) in place of the files.
    pub fn with_overlays(overlays: HashMap<PathBuf, String>) -> Self {
        SharedReads {
            overlays,
            ..SharedReads::default()
        }
    }
}

/// What `map` holds for `key`, made with `make` and kept the first time it is asked for.
fn remembered<K, V>(map: &std::sync::Mutex<HashMap<K, V>>, key: K, make: impl FnOnce(&K) -> V) -> V
where
    K: Eq + std::hash::Hash,
    V: Clone,
{
    let known = map.lock().ok().and_then(|m| m.get(&key).cloned());
    if let Some(known) = known {
        return known;
    }
    let made = make(&key);
    if let Ok(mut map) = map.lock() {
        map.insert(key, made.clone());
    }
    made
}

/// The syntax a file read through `file()` is decoded from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DataSyntax {
    Yaml,
    Json,
}

/// YAML and JSON files read as values with spans, by canonical path and syntax, and the
/// sources they add.
#[derive(Debug, Default)]
pub struct Documents {
    parsed:
        std::collections::HashMap<(PathBuf, DataSyntax), Option<std::rc::Rc<crate::model::Node>>>,
    pub sources: Vec<(FileId, crate::source::SourceFile)>,
}

impl FileAccess {
    /// `path.module`, `path.root` and `path.cwd`.
    fn path(&self, name: &str) -> Option<TfValue> {
        let shown = |path: &Path| match path.strip_prefix(&self.root) {
            Ok(relative) if relative.as_os_str().is_empty() => ".".to_string(),
            Ok(relative) => relative.to_string_lossy().into_owned(),
            Err(_) => path.to_string_lossy().into_owned(),
        };
        let text = match name {
            "module" => shown(&self.module),
            "root" => ".".to_string(),
            "cwd" => self.root.to_string_lossy().into_owned(),
            _ => return None,
        };
        Some(TfValue::String(text))
    }

    /// What `file(path)` reads: a regular file below a scanned directory, at most
    /// [`crate::source::MAX_READ_BYTES`], in UTF-8.
    fn read(&self, path: &str) -> FileText {
        match self.canonical(path) {
            Ok(canonical) => self.read_canonical(path, &canonical),
            Err(not_read) if not_read.missing => FileText::Missing(not_read.message),
            Err(not_read) => FileText::NotRead(not_read.message),
        }
    }

    /// What `fileset(path, pattern)` lists: nothing where `path` is no directory, as in
    /// Terraform; an error where it lies outside the scanned directories. Each directory and
    /// pattern is listed once in a scan.
    fn list(&self, path: &str, pattern: &str) -> Listing {
        let directory = match self.canonical(path) {
            Ok(directory) => directory,
            Err(not_read) if not_read.missing => return Ok(Vec::new()),
            Err(not_read) => return Err(not_read.message),
        };
        let key = (directory, pattern.to_string());
        remembered(&self.shared.listed, key, |(directory, _)| {
            super::fileset::list(directory, pattern, &self.scanned)
        })
    }

    /// The template `templatefile(path, ...)` renders, each file read and parsed once in a
    /// scan.
    fn template(&self, path: &str) -> TemplateFile {
        let canonical = match self.canonical(path) {
            Ok(canonical) => canonical,
            Err(not_read) => return TemplateFile::Unknown(not_read.message),
        };
        remembered(&self.shared.templates, canonical, |canonical| {
            TemplateFile::of(path, self.read_canonical(path, canonical))
        })
    }

    /// The canonical path `path` names, below a scanned directory.
    fn canonical(&self, path: &str) -> Result<PathBuf, crate::source::NotRead> {
        crate::source::canonical_below(&self.root.join(path), path, &self.scanned)
    }

    /// The YAML or JSON file `path` names as values spanning its text (a new source of the
    /// scan), read as `file()` reads it; `None` when it cannot be read or does not parse.
    fn data_document(
        &self,
        path: &str,
        syntax: DataSyntax,
    ) -> Option<std::rc::Rc<crate::model::Node>> {
        let key = (self.canonical(path).ok()?, syntax);
        if let Some(known) = self.documents.borrow().parsed.get(&key) {
            return known.clone();
        }
        let document = match self.read_canonical(path, &key.0) {
            FileText::Read(text) => self.parse_document(path, text, syntax),
            FileText::Missing(_) | FileText::NotRead(_) => None,
        };
        let mut documents = self.documents.borrow_mut();
        documents.parsed.insert(key, document.clone());
        document
    }

    fn parse_document(
        &self,
        path: &str,
        text: String,
        syntax: DataSyntax,
    ) -> Option<std::rc::Rc<crate::model::Node>> {
        let full = crate::source::normalize(&self.root.join(path));
        let name = crate::source::display_name(&full, &self.base);
        let id = self
            .next_id
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let source = crate::source::SourceFile::new(full, name, text);
        let document = match syntax {
            DataSyntax::Yaml => crate::model::yaml::parse(&source.text, id).ok()?,
            DataSyntax::Json => crate::model::json::parse(&source.text, id).ok()??,
        };
        self.documents.borrow_mut().sources.push((id, source));
        Some(std::rc::Rc::new(document))
    }

    fn read_canonical(&self, path: &str, canonical: &Path) -> FileText {
        let overlays = &self.shared.overlays;
        if !overlays.is_empty() {
            let written = crate::source::normalize(&self.root.join(path));
            if let Some(text) = overlays.get(&written).or_else(|| overlays.get(canonical)) {
                return FileText::Read(text.clone());
            }
        }
        match crate::source::read_regular_file(canonical, path) {
            Ok(bytes) => String::from_utf8(bytes).map_or_else(
                |_| FileText::NotRead(format!("`{path}` is not UTF-8 text")),
                FileText::Read,
            ),
            Err(not_read) => FileText::NotRead(not_read.message),
        }
    }
}

/// The outputs of the local modules a module calls, by call name.
pub type CalledOutputs = std::collections::HashMap<String, CalledModule>;

/// The elements of an object `for`'s collection, by the key each makes.
type ForElements = HashMap<String, ForElement>;

/// An element of an object `for`'s collection: the step into the collection to it, and the
/// names the `for` binds to it.
#[derive(Debug)]
struct ForElement {
    step: PathStep,
    bindings: Vec<(String, TfValue)>,
}

/// What a module call's outputs are.
#[derive(Debug, Clone)]
pub struct CalledModule {
    /// `module.NAME`: an object of output values for a call without `count` or `for_each`, a
    /// list or an object of them for one with.
    pub value: TfValue,
    /// Each instance of the call (its `count.index` or `each`, none without them) with each of
    /// its outputs and where it was written.
    pub instances: Vec<(Option<Binding>, ModuleOutputs)>,
}

/// A module instance's outputs by name, each with where it was written.
pub type ModuleOutputs = Vec<(String, GivenValue)>;

struct Variable<'a> {
    value: Option<TfValue>,
    origin: Option<(Span, String)>,
    /// Where a value given from outside that no file holds was set (`` `--var admin=...` ``).
    set_outside: Option<String>,
    /// The `default` expression, while no value given from outside replaces it.
    default: Option<Written<'a>>,
    /// The value given from outside as it was written, when it was.
    given: Option<std::sync::Arc<crate::model::Node>>,
    /// The `type` expression, whose `optional(TYPE, DEFAULT)` attributes set what is left out.
    type_expr: Option<Written<'a>>,
    /// The `type` constraint values are converted to.
    kind: Option<Type>,
    /// `sensitive = true`: the value is never read, so no message can show it.
    sensitive: bool,
    /// `nullable = false`: a null given keeps the default.
    non_nullable: bool,
}

impl<'a> ModuleScope<'a> {
    /// Where the values of the module's sensitive variables are written.
    pub fn secret_spans(&self) -> &[Span] {
        &self.secrets
    }

    /// The scope of the module's files; `given` values override defaults, later ones win.
    pub fn new(
        files: &[ModuleFile<'a>],
        given: &std::collections::HashMap<String, GivenValue>,
        called: &'a CalledOutputs,
        reads: &'a FileAccess,
    ) -> Self {
        let mut scope = ModuleScope {
            variables: HashMap::new(),
            locals: HashMap::new(),
            resources: HashMap::new(),
            cache: RefCell::new(HashMap::new()),
            local_weights: RefCell::new(HashMap::new()),
            for_elements: RefCell::new(HashMap::new()),
            stack: RefCell::new(Vec::new()),
            computed: Cell::new(0),
            secrets: Vec::new(),
            called,
            files: reads,
        };
        for file in files {
            scope.collect(file);
        }
        for (name, given) in given {
            if let Some(variable) = scope.variables.get_mut(name) {
                if variable.sensitive {
                    scope.secrets.extend(given.span);
                }
                if variable.non_nullable && given.value == TfValue::Null {
                    continue;
                }
                let value = given.value.clone();
                variable.default = None;
                variable.given = given.written.clone();
                variable.value = Some(match &variable.kind {
                    Some(kind) => kind.convert(value),
                    None => value,
                });
                variable.origin = given
                    .span
                    .map(|span| (span, format!("variable `{name}` (set in {})", given.source)));
                variable.set_outside = given.span.is_none().then(|| given.source.clone());
            }
        }
        scope
    }

    fn collect(&mut self, file: &ModuleFile<'a>) {
        for block in file.body.blocks() {
            match (block.ident.as_str(), block.labels.as_slice()) {
                ("variable", [name]) => {
                    let default = block.body.get_attribute("default");
                    let kind = block
                        .body
                        .get_attribute("type")
                        .and_then(|a| Type::parse(&a.value));
                    let value = default.map(|a| {
                        let value = eval::evaluate(&a.value, &Empty);
                        match &kind {
                            Some(kind) => kind.convert(value),
                            None => value,
                        }
                    });
                    let origin = default.map(|a| {
                        let span = span_of(a.value.span(), file.file, a.span());
                        (span, format!("the default of variable `{}`", name.as_str()))
                    });
                    let flag = |name: &str| {
                        block.body.get_attribute(name).and_then(|a| match &a.value {
                            Expression::Bool(b) => Some(*b.value()),
                            _ => None,
                        })
                    };
                    let sensitive = flag("sensitive") == Some(true);
                    if sensitive && let Some((span, _)) = &origin {
                        self.secrets.push(*span);
                    }
                    let non_nullable = flag("nullable") == Some(false);
                    let variable = Variable {
                        value,
                        origin,
                        set_outside: None,
                        default: default.map(|a| Written {
                            file: file.file,
                            expr: &a.value,
                        }),
                        given: None,
                        type_expr: block.body.get_attribute("type").map(|a| Written {
                            file: file.file,
                            expr: &a.value,
                        }),
                        kind,
                        sensitive,
                        non_nullable,
                    };
                    self.variables.insert(name.as_str().to_string(), variable);
                }
                ("locals", []) => {
                    for attribute in block.body.attributes() {
                        let written = Written {
                            file: file.file,
                            expr: &attribute.value,
                        };
                        self.locals
                            .insert(attribute.key.as_str().to_string(), written);
                    }
                }
                ("resource", [kind, name]) => {
                    self.resources.insert(
                        (kind.as_str().to_string(), name.as_str().to_string()),
                        block,
                    );
                }
                _ => {}
            }
        }
    }

    /// Evaluates once per key, guarding against cycles and runaway chains.
    fn memoized(&self, key: String, compute: impl FnOnce() -> TfValue) -> TfValue {
        if let Some(value) = self.cache.borrow().get(&key) {
            return value.clone();
        }
        {
            let stack = self.stack.borrow();
            if stack.contains(&key) {
                return TfValue::Unknown(format!("`{key}` refers to itself"));
            }
            if stack.len() >= MAX_REFERENCE_DEPTH {
                return TfValue::Unknown("references chain too deeply".into());
            }
        }
        self.stack.borrow_mut().push(key.clone());
        let value = self.within_budget(compute());
        self.stack.borrow_mut().pop();
        self.cache.borrow_mut().insert(key, value.clone());
        value
    }

    /// `value` when the module's budget of computed values allows it, otherwise an unknown
    /// saying the values are too large.
    fn within_budget(&self, value: TfValue) -> TfValue {
        let computed = self.computed.get().saturating_add(eval::weight(&value));
        self.computed.set(computed.min(MAX_MODULE_WEIGHT));
        if computed <= MAX_MODULE_WEIGHT {
            return value;
        }
        too_large()
    }

    /// The least weight (see [`eval::weight`]) the value of local `name` can have, from its
    /// expression alone: a value per array, object and other expression, the text of literal
    /// strings, and for each plain `local.x` the least weight of `x`, computed once per local.
    /// A chain of locals each referring twice to the next is known to be too large before any
    /// of it is evaluated.
    fn least_weight(&self, name: &str, depth: usize) -> usize {
        if let Some(weight) = self.local_weights.borrow().get(name) {
            return *weight;
        }
        let Some(expr) = self.locals.get(name).map(|local| local.expr) else {
            return eval::NODE_WEIGHT;
        };
        if depth >= MAX_REFERENCE_DEPTH {
            return eval::NODE_WEIGHT;
        }
        // A local met again while its own weight is counted (a cycle) weighs one value.
        self.local_weights
            .borrow_mut()
            .insert(name.to_string(), eval::NODE_WEIGHT);
        let mut weight = 0usize;
        let mut pending = vec![expr];
        while let Some(expr) = pending.pop() {
            let own = match expr {
                Expression::Array(items) => {
                    pending.extend(items.iter());
                    eval::NODE_WEIGHT
                }
                Expression::Object(members) => {
                    pending.extend(members.iter().map(|(_, value)| value.expr()));
                    eval::NODE_WEIGHT
                }
                Expression::String(text) => eval::NODE_WEIGHT + text.len(),
                other => match plain_local(other) {
                    Some(local) => self.least_weight(local, depth + 1),
                    None => eval::NODE_WEIGHT,
                },
            };
            weight = weight.saturating_add(own);
        }
        self.local_weights
            .borrow_mut()
            .insert(name.to_string(), weight);
        weight
    }

    /// `module.NAME...`: the outputs of a local module the module calls, once read.
    fn module_output(&self, path: &[PathStep]) -> Option<TfValue> {
        let (PathStep::Attr(name), rest) = path.split_first()? else {
            return None;
        };
        self.called.get(name)?.value.at_path(rest).cloned()
    }

    fn resource_attribute(&self, kind: &str, path: &[PathStep]) -> Option<TfValue> {
        let mut steps = path.iter().peekable();
        let Some(PathStep::Attr(name)) = steps.next() else {
            return None;
        };
        let block = *self.resources.get(&(kind.to_string(), name.clone()))?;
        let index = match steps.peek() {
            Some(PathStep::Index(key)) => {
                steps.next();
                Some(key)
            }
            _ => None,
        };
        let mut rest = steps.skip_while(|s| matches!(s, PathStep::Index(_)));
        let Some(PathStep::Attr(attribute)) = rest.next() else {
            return None;
        };
        let expr = &block.body.get_attribute(attribute)?.value;
        let binding = match self.instances(block) {
            // Without a key, a resource with instances is a collection: not modelled.
            Instances::Known(bindings) => {
                let index = index?;
                Some(bindings.into_iter().find(|b| b.matches(index))?)
            }
            Instances::One | Instances::Unknown(_) => None,
        };
        let suffix = binding.as_ref().map(Binding::suffix).unwrap_or_default();
        let key = [
            kind,
            ".",
            name.as_str(),
            suffix.as_str(),
            ".",
            attribute.as_str(),
        ]
        .concat();
        let value = self.memoized(key, || match &binding {
            Some(binding) => eval::evaluate(expr, &InstanceScope::bound(self, binding)),
            None => eval::evaluate(expr, self),
        });
        let remaining: Vec<PathStep> = rest.cloned().collect();
        if remaining.is_empty() {
            Some(value)
        } else {
            value.at_path(&remaining).cloned()
        }
    }

    /// Why the block's `count` is invalid (a negative number), with its value's span in the
    /// block's file.
    pub fn invalid_count(&self, block: &Block) -> Option<(std::ops::Range<usize>, String)> {
        let count = block.body.get_attribute("count")?;
        let negative = match self.instances(block) {
            Instances::Known(bindings) if bindings.is_empty() => {
                let value = self
                    .cache
                    .borrow()
                    .get(&argument_key(block, "count"))
                    .cloned();
                match value {
                    Some(TfValue::Number(n)) => Some(n),
                    Some(TfValue::String(text)) => text.trim().parse::<f64>().ok(),
                    _ => None,
                }
                .filter(|n| *n < 0.0)
            }
            _ => None,
        }?;
        let span = count.value.span().unwrap_or_default();
        Some((span, format!("`count` is {negative}; it must be 0 or more")))
    }

    /// The instances `count` or `for_each` make a `resource`, `data` or `module` block create.
    pub fn instances(&self, block: &Block) -> Instances {
        if let Some(count) = block.body.get_attribute("count") {
            let key = argument_key(block, "count");
            let value = self.memoized(key, || eval::evaluate(&count.value, self));
            return count_instances(&value);
        }
        if let Some(for_each) = block.body.get_attribute("for_each") {
            let key = argument_key(block, "for_each");
            let value = self.memoized(key, || eval::evaluate(&for_each.value, self));
            return each_instances(value);
        }
        Instances::One
    }
}

/// Most instances `count` or `for_each` may create and still be evaluated one by one.
pub const MAX_INSTANCES: usize = 64;

/// One instance that `count` or `for_each` creates, with what `count.index` or `each` are.
#[derive(Debug, Clone, PartialEq)]
pub enum Binding {
    Count(usize),
    Each { key: String, value: TfValue },
}

impl Binding {
    /// The instance key as Terraform writes it in addresses: `[0]`, `["dev"]`.
    pub fn suffix(&self) -> String {
        match self {
            Binding::Count(index) => format!("[{index}]"),
            Binding::Each { key, .. } => format!("[{}]", quote(key)),
        }
    }

    /// Whether an index in a reference (`x[0]`, `x["dev"]`) names this instance.
    fn matches(&self, index: &TfValue) -> bool {
        match (self, index) {
            (Binding::Count(i), TfValue::Number(n)) => *n == *i as f64,
            (Binding::Count(i), TfValue::String(text)) => text.trim() == i.to_string(),
            (Binding::Each { key, .. }, TfValue::String(text)) => key == text,
            _ => false,
        }
    }
}

/// The instance key an index names in an address (`[0]`, `["dev"]`), when it is known.
pub(crate) fn instance_key(index: &TfValue) -> Option<String> {
    match index {
        TfValue::Number(n) if n.fract() == 0.0 && *n >= 0.0 => Some(format!("[{n}]")),
        TfValue::String(text) => Some(format!("[{}]", quote(text))),
        _ => None,
    }
}

/// A string key quoted as in Terraform addresses.
fn quote(key: &str) -> String {
    serde_json::to_string(key).unwrap_or_else(|_| format!("\"{key}\""))
}

/// The instances of a block.
#[derive(Debug, Clone, PartialEq)]
pub enum Instances {
    /// No `count` or `for_each`: one instance, addressed without a key.
    One,
    /// Known instances, in Terraform's order (none when `count = 0` or `for_each` is empty).
    Known(Vec<Binding>),
    /// `count` or `for_each` is not known (or too large to expand): evaluated once, with
    /// `count.index` and `each` unknown, and addressed without a key.
    Unknown(String),
}

impl Instances {
    /// Each instance to evaluate.
    pub fn each(self) -> Vec<Expanded> {
        match self {
            Instances::One => vec![Expanded::default()],
            Instances::Unknown(reason) => vec![Expanded {
                unknown: Some(reason),
                ..Expanded::default()
            }],
            Instances::Known(bindings) => bindings
                .into_iter()
                .map(|binding| Expanded {
                    key: binding.suffix(),
                    binding: Some(binding),
                    unknown: None,
                })
                .collect(),
        }
    }
}

/// One instance of a block to evaluate.
#[derive(Debug, Clone, Default)]
pub struct Expanded {
    /// What `count.index` or `each` are, when known.
    pub binding: Option<Binding>,
    /// The address suffix: `[0]`, `["dev"]`, or empty.
    pub key: String,
    /// Why the instances are not known, when they are not.
    pub unknown: Option<String>,
}

/// The argument of a call that takes exactly one.
fn only_argument(call: &hcl_edit::expr::FuncCall) -> Option<&Expression> {
    let mut arguments = call.args.iter();
    match (arguments.next(), arguments.next()) {
        (Some(argument), None) => Some(argument),
        _ => None,
    }
}

/// Where the value at `rest` below a value given from outside was written: the member of the
/// value as written, or the whole value's place when it is the whole.
fn given_origin<'g>(
    span: Span,
    description: String,
    written: Option<&'g std::sync::Arc<crate::model::Node>>,
    rest: &[PathStep],
    input: Option<String>,
) -> Option<Origin<'g>> {
    let given = written.and_then(|whole| {
        let part = origin::node_at(whole, rest)?;
        Some(Given { whole, part })
    });
    if given.is_none() && !rest.is_empty() {
        return None;
    }
    Some(Origin {
        span: given.map_or(span, |given| given.part.span),
        description,
        input,
        written: None,
        given,
        read: None,
    })
}

/// The memo key of a block's `count` or `for_each` value (`resource a.b#count`).
fn argument_key(block: &Block, argument: &str) -> String {
    let labels: Vec<&str> = block.labels.iter().map(|l| l.as_str()).collect();
    format!("{} {}#{argument}", block.ident.as_str(), labels.join("."))
}

fn count_instances(value: &TfValue) -> Instances {
    let number = match value {
        TfValue::Number(n) => Some(*n),
        TfValue::String(text) => text.trim().parse::<f64>().ok(),
        TfValue::Unknown(reason) => return Instances::Unknown(reason.clone()),
        _ => None,
    };
    match number {
        // Terraform refuses a negative count; the block creates nothing (reported by the caller).
        Some(n) if n < 0.0 => Instances::Known(Vec::new()),
        Some(n) if n.fract() == 0.0 && n >= 0.0 && n <= MAX_INSTANCES as f64 => {
            Instances::Known((0..n as usize).map(Binding::Count).collect())
        }
        Some(n) if n.fract() == 0.0 && n > 0.0 => Instances::Unknown(format!(
            "`count` is {n}; more than {MAX_INSTANCES} instances are not evaluated one by one"
        )),
        _ => Instances::Unknown(format!(
            "`count` is not a whole number ({})",
            value.type_name()
        )),
    }
}

fn each_instances(value: TfValue) -> Instances {
    let too_many = |n: usize| {
        Instances::Unknown(format!(
            "`for_each` has {n} items; more than {MAX_INSTANCES} instances are not evaluated one by one"
        ))
    };
    match value {
        TfValue::Object(mut entries) => {
            if entries.len() > MAX_INSTANCES {
                return too_many(entries.len());
            }
            entries.sort_by(|(a, _), (b, _)| a.cmp(b));
            Instances::Known(
                entries
                    .into_iter()
                    .map(|(key, value)| Binding::Each { key, value })
                    .collect(),
            )
        }
        // A set (or a list, taken as one) of strings: each key is its value.
        TfValue::List(items) => {
            let mut keys: Vec<String> = Vec::new();
            for item in &items {
                match item {
                    TfValue::String(text) => keys.push(text.clone()),
                    TfValue::Unknown(reason) => return Instances::Unknown(reason.clone()),
                    other => {
                        return Instances::Unknown(format!(
                            "`for_each` holds a {}, not a string",
                            other.type_name()
                        ));
                    }
                }
            }
            keys.sort();
            keys.dedup();
            if keys.len() > MAX_INSTANCES {
                return too_many(keys.len());
            }
            Instances::Known(
                keys.into_iter()
                    .map(|key| Binding::Each {
                        value: TfValue::String(key.clone()),
                        key,
                    })
                    .collect(),
            )
        }
        TfValue::Unknown(reason) => Instances::Unknown(reason),
        other => Instances::Unknown(format!(
            "`for_each` is a {}, not a map or set",
            other.type_name()
        )),
    }
}

/// The scope of one instance: `count.index` and `each` as the instance binds them, everything
/// else from the module.
pub struct InstanceScope<'s, 'a> {
    module: &'s ModuleScope<'a>,
    binding: Option<&'s Binding>,
    /// The block's `for_each` expression, which `each.value` is read from.
    for_each: Option<Written<'a>>,
    /// Why `count` or `for_each` is not known, when it is not.
    unknown: Option<&'s str>,
}

impl<'s, 'a> InstanceScope<'s, 'a> {
    pub fn new(module: &'s ModuleScope<'a>, instance: &'s Expanded) -> Self {
        InstanceScope {
            module,
            binding: instance.binding.as_ref(),
            for_each: None,
            unknown: instance.unknown.as_deref(),
        }
    }

    /// The same scope, knowing where `block` (of `file`) writes what `each.value` is read from.
    pub fn reading_for_each(self, block: &'a Block, file: FileId) -> Self {
        let for_each = block.body.get_attribute("for_each");
        InstanceScope {
            for_each: for_each.map(|attribute| Written {
                file,
                expr: &attribute.value,
            }),
            ..self
        }
    }

    fn bound(module: &'s ModuleScope<'a>, binding: &'s Binding) -> Self {
        InstanceScope {
            module,
            binding: Some(binding),
            for_each: None,
            unknown: None,
        }
    }
}

impl Scope for InstanceScope<'_, '_> {
    fn variable(&self, name: &str) -> Option<TfValue> {
        self.module.variable(name)
    }

    fn local(&self, name: &str) -> Option<TfValue> {
        self.module.local(name)
    }

    fn reference(&self, root: &str, path: &[PathStep]) -> Option<TfValue> {
        match (root, self.binding) {
            ("count", Some(Binding::Count(index))) => match path {
                [PathStep::Attr(attribute)] if attribute == "index" => {
                    Some(TfValue::Number(*index as f64))
                }
                _ => None,
            },
            ("each", Some(Binding::Each { key, value })) => match path.split_first() {
                Some((PathStep::Attr(attribute), [])) if attribute == "key" => {
                    Some(TfValue::String(key.clone()))
                }
                Some((PathStep::Attr(attribute), rest)) if attribute == "value" => {
                    value.at_path(rest).cloned()
                }
                _ => None,
            },
            ("count" | "each", None) => {
                let reason = self.unknown?;
                let what = if root == "count" { "count" } else { "for_each" };
                Some(TfValue::Unknown(format!("`{what}` is not known: {reason}")))
            }
            _ => self.module.reference(root, path),
        }
    }

    fn file(&self, path: &str) -> Option<FileText> {
        self.module.file(path)
    }

    fn fileset(&self, path: &str, pattern: &str) -> Option<Listing> {
        self.module.fileset(path, pattern)
    }

    fn template(&self, path: &str) -> Option<TemplateFile> {
        self.module.template(path)
    }
}

impl Evaluate for InstanceScope<'_, '_> {
    fn set_outside(&self, variable: &str) -> Option<&str> {
        self.module.set_outside(variable)
    }

    fn evaluate(&self, expr: &Expression) -> TfValue {
        self.module.within_budget(eval::evaluate(expr, self))
    }

    fn evaluate_bound(&self, expr: &Expression, bindings: &[(String, TfValue)]) -> TfValue {
        self.module
            .within_budget(eval::evaluate_with(expr, self, bindings))
    }

    fn attempt_bound(
        &self,
        expr: &Expression,
        bindings: &[(String, TfValue)],
    ) -> Result<TfValue, eval::EvalError> {
        eval::try_evaluate_with(expr, self, bindings)
    }

    fn element_origin<'s>(
        &'s self,
        for_each: Written<'s>,
        path: &[PathStep],
    ) -> Option<Origin<'s>> {
        self.module.element_origin(for_each, path)
    }

    fn origin<'s>(&'s self, expr: &'s Expression, file: FileId) -> Option<Origin<'s>> {
        let attempt = |expr: &Expression| eval::try_evaluate(expr, self);
        let each = match (self.binding, self.for_each) {
            (Some(Binding::Each { key, .. }), Some(for_each)) => Some((key.as_str(), for_each)),
            _ => None,
        };
        self.module.origin_in(expr, file, &attempt, each)
    }
}

impl Scope for ModuleScope<'_> {
    fn variable(&self, name: &str) -> Option<TfValue> {
        let variable = self.variables.get(name)?;
        if variable.sensitive {
            return Some(TfValue::Unknown(format!(
                "variable `{name}` is sensitive: its value is not read"
            )));
        }
        Some(
            variable
                .value
                .clone()
                .unwrap_or_else(|| TfValue::Unknown(format!("variable `{name}` has no value"))),
        )
    }

    fn local(&self, name: &str) -> Option<TfValue> {
        let expr = self.locals.get(name)?.expr;
        Some(self.memoized(format!("local.{name}"), || {
            let left = MAX_MODULE_WEIGHT.saturating_sub(self.computed.get());
            if self.least_weight(name, 0) > left {
                return too_large();
            }
            eval::evaluate(expr, self)
        }))
    }

    fn reference(&self, root: &str, path: &[PathStep]) -> Option<TfValue> {
        match root {
            "module" => self.module_output(path),
            "path" => match path {
                [PathStep::Attr(name)] => self.files.path(name),
                _ => None,
            },
            "data" | "count" | "each" | "self" | "terraform" => None,
            kind => self.resource_attribute(kind, path),
        }
    }

    fn file(&self, path: &str) -> Option<FileText> {
        Some(self.files.read(path))
    }

    fn fileset(&self, path: &str, pattern: &str) -> Option<Listing> {
        Some(self.files.list(path, pattern))
    }

    fn template(&self, path: &str) -> Option<TemplateFile> {
        Some(self.files.template(path))
    }
}

impl Evaluate for ModuleScope<'_> {
    fn set_outside(&self, variable: &str) -> Option<&str> {
        self.variables.get(variable)?.set_outside.as_deref()
    }

    fn evaluate(&self, expr: &Expression) -> TfValue {
        self.within_budget(eval::evaluate(expr, self))
    }

    fn evaluate_bound(&self, expr: &Expression, bindings: &[(String, TfValue)]) -> TfValue {
        self.within_budget(eval::evaluate_with(expr, self, bindings))
    }

    fn attempt_bound(
        &self,
        expr: &Expression,
        bindings: &[(String, TfValue)],
    ) -> Result<TfValue, eval::EvalError> {
        eval::try_evaluate_with(expr, self, bindings)
    }

    fn element_origin<'s>(
        &'s self,
        for_each: Written<'s>,
        path: &[PathStep],
    ) -> Option<Origin<'s>> {
        let item = path.first().and_then(PathStep::key).unwrap_or_default();
        self.trace_written(for_each, path, 0, || format!("`dynamic` item `{item}`"))
    }

    fn origin<'s>(&'s self, expr: &'s Expression, file: FileId) -> Option<Origin<'s>> {
        let attempt = |expr: &Expression| eval::try_evaluate(expr, self);
        self.origin_in(expr, file, &attempt, None)
    }
}

impl<'a> ModuleScope<'a> {
    /// Where the value of `expr`, written in `file` where `attempt` evaluates, was written;
    /// `each` is the instance key and the `for_each` expression `each.value` is read from.
    fn origin_in<'s>(
        &'s self,
        expr: &'s Expression,
        file: FileId,
        attempt: &dyn Fn(&Expression) -> Result<TfValue, eval::EvalError>,
        each: Option<(&str, Written<'a>)>,
    ) -> Option<Origin<'s>> {
        let picked = origin::picked(expr, attempt)?;
        if let Some(by) = picked.by
            && origin::is_written_out(picked.expr)
        {
            let written = Written {
                file,
                expr: picked.expr,
            };
            return origin::picked_literal(written, &picked.path, || format!("`{by}()`"));
        }
        if let Some(decoded) = self.decoded_file_at(picked.expr, &picked.path, attempt) {
            return Some(decoded);
        }
        // Nothing else is traced: its path (and the indexes in it) need not be worked out.
        if !origin::reference_root(picked.expr).is_some_and(origin::is_traced_root) {
            return None;
        }
        let index = |expr: &Expression| attempt(expr).ok();
        let (root, mut path) = origin::static_reference(picked.expr, &index)?;
        path.extend(picked.path);
        match (root, each) {
            ("each", Some((key, for_each))) => {
                let (PathStep::Attr(value), rest) = path.split_first()? else {
                    return None;
                };
                if value != "value" {
                    return None;
                }
                // A key, never an index: an item of a set of strings is found by its value.
                let mut path = vec![PathStep::Attr(key.to_string())];
                path.extend(rest.iter().cloned());
                let description = || format!("`for_each` item `{key}`");
                self.trace_written(for_each, &path, 0, description)
            }
            ("each" | "count", _) => None,
            _ => self.trace(root, &path, 0),
        }
    }

    /// Where the value at `path` below `root` (`var` or `local`) was written.
    fn trace(&self, root: &str, path: &[PathStep], hops: usize) -> Option<Origin<'_>> {
        let (PathStep::Attr(name), rest) = path.split_first()? else {
            return None;
        };
        match root {
            "var" => self.variable_trace(name, rest),
            "local" => {
                let local = *self.locals.get(name)?;
                self.trace_written(local, rest, hops, || format!("local `{name}`"))
            }
            "module" => self.output_trace(name, rest),
            _ => None,
        }
    }

    /// Where the value at `path` below the written expression `written` was written: in it, or
    /// where a variable or local it reads was.
    fn trace_written<'w>(
        &'w self,
        written: Written<'w>,
        path: &[PathStep],
        hops: usize,
        description: impl FnOnce() -> String,
    ) -> Option<Origin<'w>> {
        if hops >= origin::MAX_HOPS {
            return None;
        }
        let (expr, rest) = match origin::walk(written.expr, path) {
            Walk::Reached(expr) if origin::is_written_out(expr) => {
                return origin::picked_literal(Written { expr, ..written }, &[], description);
            }
            Walk::Reached(expr) => (expr, &[][..]),
            Walk::Through(expr, rest) => (expr, rest),
            Walk::Lost => return None,
        };
        let attempt = |expr: &Expression| eval::try_evaluate(expr, self);
        let (mut expr, mut below) = (expr, rest.to_vec());
        // Each round looks through the picking calls and, where there is one, an object `for`.
        for _ in 0..origin::MAX_HOPS {
            let picked = origin::picked(expr, &attempt)?;
            let mut path = picked.path;
            path.extend(below);
            if origin::is_written_out(picked.expr) {
                let picked = Written {
                    expr: picked.expr,
                    ..written
                };
                return origin::picked_literal(picked, &path, description);
            }
            if let Some(decoded) = self.decoded_for(picked.expr, &path) {
                return Some(decoded);
            }
            if let Some((collection, through)) = self.through_for(picked.expr, &path) {
                (expr, below) = (collection, through);
                continue;
            }
            if let Some(argument) = origin::through_conversion(picked.expr, &path) {
                (expr, below) = (argument, path);
                continue;
            }
            if let Some(decoded) = self.decoded_file_at(picked.expr, &path, &attempt) {
                return Some(decoded);
            }
            if !origin::reference_root(picked.expr).is_some_and(origin::is_traced_root) {
                return None;
            }
            let index = |expr: &Expression| attempt(expr).ok();
            let (root, mut reference) = origin::static_reference(picked.expr, &index)?;
            reference.extend(path);
            return self.trace(root, &reference, hops + 1);
        }
        None
    }

    /// Where the value at `path` of `yamldecode(file(PATH))` or `jsondecode(file(PATH))`, or of
    /// a member or item of it (`yamldecode(file(PATH)).registry`), is written in that file.
    fn decoded_file_at(
        &self,
        expr: &Expression,
        path: &[PathStep],
        attempt: &dyn Fn(&Expression) -> Result<TfValue, eval::EvalError>,
    ) -> Option<Origin<'_>> {
        if let Some(origin) = self.decoded_file(expr, path, &[]) {
            return Some(origin);
        }
        let index = |expr: &Expression| attempt(expr).ok();
        let (call, mut steps) = origin::call_traversal(expr, &index)?;
        steps.extend(path.iter().cloned());
        self.decoded_file(call, &steps, &[])
    }

    /// `{ for k, v in X : KEY => DECODE(file(PATH)) }` read at `[key, rest…]`: where the value
    /// at `rest` is written in the file PATH names for the element whose KEY is `key` (one YAML
    /// file of a `fileset()` for each registry).
    fn decoded_for(&self, expr: &Expression, path: &[PathStep]) -> Option<Origin<'_>> {
        let Expression::ForExpr(for_expr) = origin::without_parentheses(expr) else {
            return None;
        };
        if for_expr.key_expr.is_none() || for_expr.grouping {
            return None;
        }
        let (first, rest) = path.split_first()?;
        let wanted = first.key()?;
        let elements = self.object_for_elements(for_expr);
        let element = elements.get(&*wanted)?;
        let index = |expr: &Expression| eval::try_evaluate_with(expr, self, &element.bindings).ok();
        let (call, steps) = match origin::call_traversal(&for_expr.value_expr, &index) {
            Some((call, mut steps)) => {
                steps.extend(rest.iter().cloned());
                (call, steps)
            }
            None => (&for_expr.value_expr, rest.to_vec()),
        };
        self.decoded_file(call, &steps, &element.bindings)
    }

    /// Where the value at `path` of `yamldecode(file(PATH))` or `jsondecode(file(PATH))` is
    /// written in that file, PATH evaluated with `bindings`.
    fn decoded_file(
        &self,
        expr: &Expression,
        path: &[PathStep],
        bindings: &[(String, TfValue)],
    ) -> Option<Origin<'_>> {
        let Expression::FuncCall(decode) = origin::without_parentheses(expr) else {
            return None;
        };
        let Expression::FuncCall(file) = origin::without_parentheses(only_argument(decode)?) else {
            return None;
        };
        let named = only_argument(file)?;
        let is = |call: &hcl_edit::expr::FuncCall, name: &str| {
            !call.name.is_namespaced() && call.name.name.as_str() == name
        };
        let syntax = if is(decode, "yamldecode") {
            DataSyntax::Yaml
        } else if is(decode, "jsondecode") {
            DataSyntax::Json
        } else {
            return None;
        };
        if !is(file, "file") {
            return None;
        }
        let TfValue::String(file_path) = eval::evaluate_with(named, self, bindings) else {
            return None;
        };
        let document = self.files.data_document(&file_path, syntax)?;
        let part = origin::node_at(&document, path)?;
        Some(Origin {
            span: part.span,
            description: format!("`{file_path}`"),
            input: None,
            written: None,
            given: None,
            read: Some(std::sync::Arc::new(part.clone())),
        })
    }

    /// `{ for k, v in X : KEY => v if COND }` read at `[key, rest…]`: `X` at the element whose
    /// `KEY` is `key` (and whose `COND` holds), then `rest`. Only where each value is the
    /// element itself, and `X` holds at most [`origin::MAX_FOR_ELEMENTS`] elements.
    fn through_for<'e>(
        &self,
        expr: &'e Expression,
        path: &[PathStep],
    ) -> Option<(&'e Expression, Vec<PathStep>)> {
        let for_expr = origin::identity_object_for(expr)?;
        let (first, rest) = path.split_first()?;
        let wanted = first.key()?;
        let elements = self.object_for_elements(for_expr);
        let mut path = vec![elements.get(&*wanted)?.step.clone()];
        path.extend(rest.iter().cloned());
        Some((&for_expr.intro.collection_expr, path))
    }

    /// [`Self::for_elements_of`], worked out once for each `for` expression.
    fn object_for_elements(&self, for_expr: &hcl_edit::expr::ForExpr) -> std::rc::Rc<ForElements> {
        let address = std::ptr::from_ref(for_expr) as usize;
        if let Some(known) = self.for_elements.borrow().get(&address) {
            return std::rc::Rc::clone(known);
        }
        let elements = std::rc::Rc::new(self.for_elements_of(for_expr));
        self.for_elements
            .borrow_mut()
            .insert(address, std::rc::Rc::clone(&elements));
        elements
    }

    /// The element of an object `for`'s collection each key it makes comes from (the elements
    /// its condition keeps); none past [`origin::MAX_FOR_ELEMENTS`] elements.
    fn for_elements_of(&self, for_expr: &hcl_edit::expr::ForExpr) -> ForElements {
        let mut keys = HashMap::new();
        let elements: Vec<(TfValue, PathStep, TfValue)> =
            match eval::evaluate(&for_expr.intro.collection_expr, self) {
                TfValue::Object(members) if members.len() <= origin::MAX_FOR_ELEMENTS => members
                    .into_iter()
                    .map(|(key, value)| {
                        let step = PathStep::Attr(key.clone());
                        (TfValue::String(key), step, value)
                    })
                    .collect(),
                TfValue::List(items) if items.len() <= origin::MAX_FOR_ELEMENTS => (0..)
                    .zip(items)
                    .map(|(index, value)| {
                        let index = TfValue::Number(f64::from(index));
                        (index.clone(), PathStep::Index(index), value)
                    })
                    .collect(),
                _ => return keys,
            };
        let Some(key_expr) = for_expr.key_expr.as_ref() else {
            return keys;
        };
        let value_name = for_expr.intro.value_var.as_str();
        let key_name = for_expr.intro.key_var.as_ref().map(|k| k.as_str());
        for (key, step, value) in elements {
            let mut bindings = vec![(value_name.to_string(), value)];
            bindings.extend(key_name.map(|name| (name.to_string(), key)));
            let kept = for_expr.cond.as_ref().is_none_or(|cond| {
                eval::evaluate_with(&cond.expr, self, &bindings) == TfValue::Bool(true)
            });
            let made = eval::evaluate_with(key_expr, self, &bindings);
            if let (true, Some(made)) = (kept, origin::key_text(&made)) {
                keys.entry(made).or_insert(ForElement { step, bindings });
            }
        }
        keys
    }

    /// Where the value at `path` below output `OUTPUT` of `module.NAME` (`call`) was written:
    /// in the called module, or where it was given to that module.
    fn output_trace(&self, call: &str, path: &[PathStep]) -> Option<Origin<'_>> {
        let called = self.called.get(call)?;
        let (outputs, path) = match path.split_first()? {
            (PathStep::Index(index), rest) => {
                let instances = called.instances.iter();
                let mut bound = instances.filter_map(|(b, outputs)| Some((b.as_ref()?, outputs)));
                (bound.find(|(b, _)| b.matches(index))?.1, rest)
            }
            _ => match called.instances.as_slice() {
                [(None, outputs)] => (outputs, path),
                _ => return None,
            },
        };
        let (PathStep::Attr(output), rest) = path.split_first()? else {
            return None;
        };
        let (_, value) = outputs.iter().find(|(name, _)| name == output)?;
        let description = value.source.clone();
        given_origin(value.span?, description, value.written.as_ref(), rest, None)
    }

    /// Where the value at `rest` below variable `name` was set: in its default, or in the value
    /// given from outside.
    fn variable_trace(&self, name: &str, rest: &[PathStep]) -> Option<Origin<'_>> {
        let variable = self.variables.get(name)?;
        if variable.sensitive {
            return None;
        }
        let input = Some(name.to_string());
        let left_out = match (variable.default, &variable.given) {
            (Some(default), _) => origin::lacks(default.expr, rest),
            (None, Some(given)) => origin::node_lacks(given, rest),
            (None, None) => false,
        };
        if left_out {
            let written = variable.type_expr?;
            let expr = origin::optional_default(written.expr, rest)?;
            let written = Written { expr, ..written };
            return origin::is_written_out(expr).then(|| Origin {
                span: written.span(),
                description: format!("the `optional()` default in the type of variable `{name}`"),
                input,
                written: Some(written),
                given: None,
                read: None,
            });
        }
        let Some(default) = variable.default else {
            let (span, description) = variable.origin.clone()?;
            return given_origin(span, description, variable.given.as_ref(), rest, input);
        };
        let Walk::Reached(expr) = origin::walk(default.expr, rest) else {
            return None;
        };
        let written = Written { expr, ..default };
        Some(Origin {
            span: written.span(),
            description: format!("the default of variable `{name}`"),
            input,
            written: Some(written),
            given: None,
            read: None,
        })
    }
}

/// What a value past the module's budget of computed values is.
fn too_large() -> TfValue {
    TfValue::Unknown(format!(
        "value too large: a module's values may weigh at most {} MiB",
        MAX_MODULE_WEIGHT >> 20
    ))
}

/// The local an expression is exactly a reference to: `local.name`.
fn plain_local(expr: &Expression) -> Option<&str> {
    let Expression::Traversal(traversal) = expr else {
        return None;
    };
    let (Expression::Variable(root), [operator]) =
        (&traversal.expr, traversal.operators.as_slice())
    else {
        return None;
    };
    match operator.value() {
        TraversalOperator::GetAttr(name) if root.as_str() == "local" => Some(name.as_str()),
        _ => None,
    }
}

/// A scope with nothing in it, for variable defaults and tfvars values (literals).
pub struct Empty;

impl Scope for Empty {
    fn variable(&self, _: &str) -> Option<TfValue> {
        None
    }

    fn local(&self, _: &str) -> Option<TfValue> {
        None
    }

    fn reference(&self, _: &str, _: &[PathStep]) -> Option<TfValue> {
        None
    }
}

/// The values a `.tfvars` file sets.
pub fn tfvars_values(body: &Body, file: FileId, source: &str) -> Vec<(String, GivenValue)> {
    body.attributes()
        .map(|attribute| {
            let span = span_of(attribute.value.span(), file, attribute.span());
            let given = GivenValue {
                value: eval::evaluate(&attribute.value, &Empty),
                span: Some(span),
                source: source.to_string(),
                written: Some(std::sync::Arc::new(origin::as_written(Written {
                    file,
                    expr: &attribute.value,
                }))),
            };
            (attribute.key.as_str().to_string(), given)
        })
        .collect()
}
