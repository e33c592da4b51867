//! Groups Terraform files into modules (one per directory) and evaluates each with its
//! variable values: defaults, `TF_VAR_` environment variables, `terraform.tfvars`,
//! `terraform.tfvars.json` and `*.auto.tfvars(.json)`, in Terraform's order of precedence.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use hcl_edit::structure::Body;

use super::eval::TfValue;
use super::module::{
    Binding, CalledModule, CalledOutputs, FileAccess, GivenValue, ModuleFile, tfvars_values,
};
use crate::model::{CallLinks, Node, RegistryRef, Resource, Unit, Value, azd};
use crate::source::{self, FileId, SourceFile, Span, normalize};
use std::sync::atomic::{AtomicUsize, Ordering};

/// What a Terraform file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    Config,
    Vars,
}

/// A parsed Terraform file waiting for its module to be evaluated.
pub struct TerraformFile {
    file: FileId,
    path: PathBuf,
    content: Content,
    /// The native syntax a `.tf.json` file was read as; its spans are offsets into it.
    native_text: Option<String>,
}

enum Content {
    Config(Body),
    Vars(Body),
    JsonVars(Node),
}

impl TerraformFile {
    pub fn hcl(file: FileId, path: &Path, kind: InputKind, body: Body) -> TerraformFile {
        let content = match kind {
            InputKind::Config => Content::Config(body),
            InputKind::Vars => Content::Vars(body),
        };
        TerraformFile {
            file,
            path: path.to_path_buf(),
            content,
            native_text: None,
        }
    }

    /// A `.tf.json` file, read as `native_text` (which `body` was parsed from).
    pub fn json_syntax(
        file: FileId,
        path: &Path,
        body: Body,
        native_text: String,
    ) -> TerraformFile {
        TerraformFile {
            file,
            path: path.to_path_buf(),
            content: Content::Config(body),
            native_text: Some(native_text),
        }
    }

    pub fn json_vars(file: FileId, path: &Path, node: Node) -> TerraformFile {
        TerraformFile {
            file,
            path: path.to_path_buf(),
            content: Content::JsonVars(node),
            native_text: None,
        }
    }

    fn file_name(&self) -> String {
        self.path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    }
}

/// What the evaluation of a directory needs from the scan around it.
pub struct ModuleContext<'a> {
    pub base: &'a Path,
    pub outside: &'a OutsideValues,
    /// The ids of the files the scan discovered, by normalised path.
    pub known_files: crate::source::KnownFiles<'a>,
    /// The next free file id, for module files outside the scanned paths.
    pub next_id: std::sync::Arc<AtomicUsize>,
    /// Unsaved text of open editor buffers, by normalised path.
    pub overlays: &'a HashMap<PathBuf, &'a str>,
    /// The scanned directories (canonical): files `file()` reads must lie below one of them.
    pub roots: std::sync::Arc<[PathBuf]>,
    /// What `fileset()` and `templatefile()` read, shared by every directory's evaluation.
    pub shared: std::sync::Arc<super::module::SharedReads>,
}

/// What evaluating a directory's module and the modules it calls produced.
#[derive(Default)]
pub struct Evaluated {
    pub resources: Vec<Resource>,
    pub units: Vec<Unit>,
    /// Module files read from outside the scanned paths.
    pub sources: Vec<(FileId, SourceFile)>,
    /// The unit id of the directory's own (root) evaluation.
    pub root: String,
    /// Directories used as child modules, directly or not: their own root evaluation is not
    /// reported.
    pub called: Vec<PathBuf>,
    /// Problems with module calls: cycles, unreadable or invalid module files.
    pub errors: Vec<(String, Option<Span>, String)>,
    /// Module calls that could not be followed (remote sources not downloaded).
    pub notices: Vec<String>,
    /// Where the native text of module files in Terraform JSON syntax lies in their JSON.
    pub json_offsets: Vec<(FileId, super::json_syntax::OffsetMap)>,
    /// Where sensitive values are written, in every module evaluated.
    pub secrets: Vec<Span>,
}

impl Evaluated {
    /// Adds an error about a module call, once however many instances make the call.
    fn add_error(&mut self, error: (String, Option<Span>, String)) {
        if !self.errors.contains(&error) {
            self.errors.push(error);
        }
    }
}

/// How deep module calls may nest.
const MAX_MODULE_DEPTH: usize = 16;

/// Evaluates the module in `directory` from its parsed files, and every local module it calls;
/// `None` when the directory has no `.tf` file.
pub fn evaluate_directory<'s>(
    directory: &Path,
    inputs: &[TerraformFile],
    sources: &dyn Fn(FileId) -> Option<&'s SourceFile>,
    context: &ModuleContext<'_>,
) -> Option<Evaluated> {
    let files: Vec<ModuleFile<'_>> = inputs
        .iter()
        .filter_map(|input| match &input.content {
            Content::Config(body) => Some(ModuleFile {
                file: input.file,
                body,
                text: input
                    .native_text
                    .as_deref()
                    .unwrap_or_else(|| sources(input.file).map_or("", |f| f.text.as_str())),
            }),
            _ => None,
        })
        .collect();
    if files.is_empty() {
        return None;
    }
    let given = variable_values(inputs, sources, context);
    let module = source::normalize_for_access(directory);
    let instance = super::Instance {
        unit: source::display_name(directory, context.base),
        prefix: String::new(),
        files: FileAccess {
            root: module.clone(),
            module,
            scanned: context.roots.clone(),
            base: context.base.to_path_buf(),
            next_id: std::sync::Arc::clone(&context.next_id),
            documents: Rc::default(),
            shared: std::sync::Arc::clone(&context.shared),
        },
    };
    let mut evaluated = Evaluated {
        root: instance.unit.clone(),
        ..Evaluated::default()
    };
    let chain = vec![instance.files.root.clone()];
    let mut loaded = HashMap::new();
    let calls = Calls {
        caller: directory,
        instance: &instance,
        chain: &chain,
    };
    let mut budget = ReadBudget::default();
    let mut reader = ModuleReader {
        context,
        loaded: &mut loaded,
        out: &mut evaluated,
        budget: &mut budget,
        reads: Vec::new(),
        directories: HashMap::new(),
    };
    let mut result = reader.read_with_called_outputs(&files, &given, &calls);
    for (span, message) in std::mem::take(&mut result.errors) {
        let name = sources(span.file).map_or_else(String::new, |s| s.name.clone());
        reader.out.errors.push((name, Some(span), message));
    }
    let handoffs = follow_calls(&result.calls, &calls, &mut reader);
    result.unit.set_handoffs(handoffs);
    evaluated.resources.extend(result.resources);
    evaluated.units.push(result.unit);
    evaluated.secrets.extend(result.secrets);
    let read = std::mem::take(&mut instance.files.documents.borrow_mut().sources);
    evaluated.sources.extend(read);
    Some(evaluated)
}

/// Module files read once per directory, however many calls and instances use them.
type Loaded = HashMap<PathBuf, Rc<Vec<(FileId, String, Body)>>>;

/// Where module calls are made from.
struct Calls<'c> {
    caller: &'c Path,
    instance: &'c super::Instance,
    /// The directories of the calls leading here, to find cycles.
    chain: &'c [PathBuf],
}

/// Evaluates the modules `calls` name; returns the registries handed to calls whose module
/// could not be read, for the caller's unit.
fn follow_calls(
    calls: &[super::ModuleCall],
    from: &Calls<'_>,
    reader: &mut ModuleReader<'_, '_>,
) -> Vec<(RegistryRef, String)> {
    let (caller, instance, chain) = (from.caller, from.instance, from.chain);
    let base = reader.context.base;
    let mut handoffs = Vec::new();
    for call in calls {
        let directory = reader.call_directory(call, from);
        let (Some(source_text), Some(directory)) = (&call.source, directory) else {
            let source = call.source.as_deref().unwrap_or("an unknown source");
            let description = format!("module `{}{}` ({source})", call.name, call.key);
            handoffs.extend(
                call.links
                    .iter()
                    .map(|(_, link)| (link.clone(), description.clone())),
            );
            continue;
        };
        let call_error = |problem: &str| {
            let module = format!("module `{}` ({source_text})", call.name);
            (
                source::display_name(caller, base),
                Some(call.span),
                format!("{module} {problem}"),
            )
        };
        if chain.contains(&directory) || chain.len() >= MAX_MODULE_DEPTH {
            reader
                .out
                .add_error(call_error("calls itself through its own modules"));
            continue;
        }
        reader.out.called.push(directory.clone());
        if reader.budget.instances >= MAX_MODULE_INSTANCES {
            reader.out.add_error(call_error(&format!(
                "is not checked: the calls make more than {MAX_MODULE_INSTANCES} module instances"
            )));
            continue;
        }
        reader.budget.instances += 1;
        let module_files = reader.module_files(&directory);
        let files = as_module_files(&module_files);
        let child = child_instance(instance, call, &directory);
        let mut deeper = chain.to_vec();
        deeper.push(directory.clone());
        let calls = Calls {
            caller: &directory,
            instance: &child,
            chain: &deeper,
        };
        let mut result = match reader.take_read(&child, &call.inputs) {
            Some(result) => result,
            None => reader.read_with_called_outputs(&files, &call.inputs, &calls),
        };
        let out = &mut *reader.out;
        for (span, message) in std::mem::take(&mut result.errors) {
            let name = out
                .sources
                .iter()
                .find(|(id, _)| *id == span.file)
                .map_or_else(
                    || source::display_name(&directory, base),
                    |(_, s)| s.name.clone(),
                );
            out.errors.push((name, Some(span), message));
        }
        let handoffs = follow_calls(&result.calls, &calls, reader);
        *result.unit.calls_mut() = CallLinks {
            caller: Some(instance.unit.clone()),
            input_links: call.links.clone(),
            handoffs,
        };
        let out = &mut *reader.out;
        out.resources.extend(result.resources);
        out.units.push(result.unit);
        out.secrets.extend(result.secrets);
    }
    handoffs
}

fn as_module_files(files: &[(FileId, String, Body)]) -> Vec<ModuleFile<'_>> {
    files
        .iter()
        .map(|(file, text, body)| ModuleFile {
            file: *file,
            body,
            text,
        })
        .collect()
}

/// The evaluation of the module a call names, inside the caller's.
fn child_instance(
    caller: &super::Instance,
    call: &super::ModuleCall,
    directory: &Path,
) -> super::Instance {
    let name = format!("{}{}", call.name, call.key);
    super::Instance {
        unit: format!("{}/{}module.{name}", caller.unit, caller.prefix),
        prefix: format!("{}module.{name}.", caller.prefix),
        files: FileAccess {
            module: directory.to_path_buf(),
            ..caller.files.clone()
        },
    }
}

/// How many times a module is read again with the outputs of the modules it calls: once more
/// for each call whose inputs come from another call's outputs (`module.b` given `module.a.id`).
const MAX_OUTPUT_PASSES: usize = 4;
/// How many module instances the evaluation of one module may read for their outputs alone,
/// beyond which their outputs are unknown.
const MAX_OUTPUT_READS: usize = 256;
/// How many called module instances the evaluation of one module may read, however calls with
/// `count` or `for_each` multiply down the tree; the rest are not checked, with an error.
const MAX_MODULE_INSTANCES: usize = 4096;

/// Reads the modules of one directory's evaluation: each with the outputs of the local modules it
/// calls (`module.NAME.OUTPUT`), and each call's module once per set of input values.
struct ModuleReader<'r, 'c> {
    context: &'r ModuleContext<'c>,
    loaded: &'r mut Loaded,
    out: &'r mut Evaluated,
    budget: &'r mut ReadBudget,
    /// Module instances read for their outputs, kept for the reading of their resources.
    reads: Vec<ModuleRead>,
    /// The directory each call names, by caller, source and call address.
    directories: HashMap<(PathBuf, String, String), Option<PathBuf>>,
}

/// A module instance read with some input values.
struct ModuleRead {
    unit: String,
    inputs: Vec<(String, TfValue)>,
    result: super::ModuleResult,
}

/// A call's input values, in name order.
fn input_values(inputs: &HashMap<String, GivenValue>) -> Vec<(String, TfValue)> {
    let mut values: Vec<(String, TfValue)> = inputs
        .iter()
        .map(|(name, given)| (name.clone(), given.value.clone()))
        .collect();
    values.sort_by(|a, b| a.0.cmp(&b.0));
    values
}

/// How many module instances one directory's evaluation has read so far.
#[derive(Default)]
struct ReadBudget {
    /// Read for their outputs alone (see [`MAX_OUTPUT_READS`]).
    output_reads: usize,
    /// Read for their resources (see [`MAX_MODULE_INSTANCES`]).
    instances: usize,
}

impl ModuleReader<'_, '_> {
    /// Where the module instance was already read with these input values.
    fn read_index(
        &self,
        instance: &super::Instance,
        inputs: &HashMap<String, GivenValue>,
    ) -> Option<usize> {
        let reads = self.reads.iter().enumerate();
        let mut same_unit = reads.filter(|(_, read)| read.unit == instance.unit);
        let values = input_values(inputs);
        same_unit
            .find(|(_, read)| read.inputs == values)
            .map(|(at, _)| at)
    }

    fn find_read(
        &self,
        instance: &super::Instance,
        inputs: &HashMap<String, GivenValue>,
    ) -> Option<&super::ModuleResult> {
        let at = self.read_index(instance, inputs)?;
        self.reads.get(at).map(|read| &read.result)
    }

    /// The reading of the module instance with these input values, when it was read for its
    /// outputs: the reading of its resources need not be done again.
    fn take_read(
        &mut self,
        instance: &super::Instance,
        inputs: &HashMap<String, GivenValue>,
    ) -> Option<super::ModuleResult> {
        let at = self.read_index(instance, inputs)?;
        Some(self.reads.swap_remove(at).result)
    }

    /// The directory of the module a call names, looked for once per caller, source and
    /// instance (a downloaded module is looked up in `.terraform/modules/modules.json`).
    fn call_directory(&mut self, call: &super::ModuleCall, from: &Calls<'_>) -> Option<PathBuf> {
        let source_text = call.source.as_ref()?;
        let key = (
            from.caller.to_path_buf(),
            source_text.clone(),
            format!("{}{}", from.instance.prefix, call.name),
        );
        if let Some(known) = self.directories.get(&key) {
            return known.clone();
        }
        let (caller, instance) = (from.caller, from.instance);
        let directory = module_directory(
            caller,
            source_text,
            &call.name,
            instance,
            self.context,
            self.out,
        );
        self.directories.insert(key, directory.clone());
        directory
    }

    /// A module directory's files, read and parsed once per directory evaluated.
    fn module_files(&mut self, directory: &Path) -> Rc<Vec<(FileId, String, Body)>> {
        if let Some(files) = self.loaded.get(directory) {
            return Rc::clone(files);
        }
        let files = Rc::new(load_module_files(directory, self.context, self.out));
        self.loaded
            .insert(directory.to_path_buf(), Rc::clone(&files));
        files
    }

    /// Reads the module of `from` once without its calls' outputs and, where it refers to
    /// them, again with them until they no longer change.
    fn read_with_called_outputs(
        &mut self,
        files: &[ModuleFile<'_>],
        given: &HashMap<String, GivenValue>,
        from: &Calls<'_>,
    ) -> super::ModuleResult {
        let mut result = super::read_module(files, given, &CalledOutputs::new(), from.instance);
        if result.calls.is_empty() || !refers_to_modules(files) {
            return result;
        }
        for _ in 0..MAX_OUTPUT_PASSES {
            let called = self.outputs_of_calls(&result.calls, from);
            let next = super::read_module(files, given, &called, from.instance);
            // The calls' inputs as before: the calls' outputs would be as well.
            let settled = same_inputs(&result.calls, &next.calls);
            result = next;
            if settled {
                break;
            }
        }
        result
    }

    /// The outputs each call's module gives, by call name; calls whose module cannot be read
    /// (remote and not downloaded, or calling itself) are left out, so their outputs stay
    /// unknown.
    fn outputs_of_calls(&mut self, calls: &[super::ModuleCall], from: &Calls<'_>) -> CalledOutputs {
        let mut instances = Vec::new();
        for call in calls {
            let Some(directory) = self.call_directory(call, from) else {
                continue;
            };
            if from.chain.contains(&directory) || from.chain.len() >= MAX_MODULE_DEPTH {
                continue;
            }
            if self.budget.output_reads >= MAX_OUTPUT_READS {
                let reason = "too many module instances to read their outputs".to_string();
                instances.push((call, Vec::new(), TfValue::Unknown(reason)));
                continue;
            }
            self.budget.output_reads += 1;
            let module_files = self.module_files(&directory);
            let files = as_module_files(&module_files);
            let child = child_instance(from.instance, call, &directory);
            let mut deeper = from.chain.to_vec();
            deeper.push(directory.clone());
            let calls = Calls {
                caller: &directory,
                instance: &child,
                chain: &deeper,
            };
            let outputs = match self.find_read(&child, &call.inputs) {
                Some(result) => result.output_values.clone(),
                None => {
                    let result = self.read_with_called_outputs(&files, &call.inputs, &calls);
                    let outputs = result.output_values.clone();
                    self.reads.push(ModuleRead {
                        unit: child.unit,
                        inputs: input_values(&call.inputs),
                        result,
                    });
                    outputs
                }
            };
            let values = outputs.iter();
            let value = values.map(|(name, given)| (name.clone(), given.value.clone()));
            let value = TfValue::Object(value.collect());
            instances.push((call, outputs, value));
        }
        gather_instances(instances)
    }
}

/// Whether two readings of a module make the same calls with the same input values.
fn same_inputs(before: &[super::ModuleCall], after: &[super::ModuleCall]) -> bool {
    before.len() == after.len()
        && before.iter().zip(after).all(|(a, b)| {
            a.name == b.name
                && a.key == b.key
                && a.inputs.len() == b.inputs.len()
                && a.inputs.iter().all(|(name, given)| {
                    b.inputs
                        .get(name)
                        .is_some_and(|other| other.value == given.value)
                })
        })
}

/// Whether a module's files may refer to a module call's outputs.
fn refers_to_modules(files: &[ModuleFile<'_>]) -> bool {
    let finder = memchr::memmem::Finder::new("module.");
    files
        .iter()
        .any(|file| finder.find(file.text.as_bytes()).is_some())
}

/// The outputs of each call, by name: those of its one instance, a list of those of its
/// `count` instances, or an object of those of its `for_each` instances by key.
fn gather_instances(instances: Vec<CallInstance<'_>>) -> CalledOutputs {
    let mut by_name: Vec<(&str, Vec<CallInstance<'_>>)> = Vec::new();
    for instance in instances {
        let name = instance.0.name.as_str();
        match by_name.iter_mut().find(|(known, _)| *known == name) {
            Some((_, list)) => list.push(instance),
            None => by_name.push((name, vec![instance])),
        }
    }
    by_name
        .into_iter()
        .map(|(name, list)| (name.to_string(), called_module(list)))
        .collect()
}

/// A module call's instance, the outputs its module gives with where each was written, and
/// the object of their values.
type CallInstance<'c> = (&'c super::ModuleCall, Vec<(String, GivenValue)>, TfValue);

/// What `module.NAME` is, from the outputs of the call's instances.
fn called_module(list: Vec<CallInstance<'_>>) -> CalledModule {
    let unknown = |reason: String| CalledModule {
        value: TfValue::Unknown(reason),
        instances: Vec::new(),
    };
    let Some((first, _, _)) = list.first() else {
        return unknown("the module call has no instances".into());
    };
    if let Some(reason) = &first.unknown_instances {
        let name = &first.name;
        return unknown(format!(
            "the instances of `module.{name}` are not known: {reason}"
        ));
    }
    let mut values = Vec::with_capacity(list.len());
    let mut instances = Vec::with_capacity(list.len());
    for (call, outputs, value) in list {
        values.push((call.binding.clone(), value));
        instances.push((call.binding.clone(), outputs));
    }
    let value = match values.first() {
        Some((None, _)) => values.swap_remove(0).1,
        Some((Some(Binding::Count(_)), _)) => {
            TfValue::List(values.into_iter().map(|(_, v)| v).collect())
        }
        _ => TfValue::Object(
            values
                .into_iter()
                .filter_map(|(binding, value)| match binding {
                    Some(Binding::Each { key, .. }) => Some((key, value)),
                    _ => None,
                })
                .collect(),
        ),
    };
    CalledModule { value, instances }
}

/// The directory a module source names: a local path, or a module `terraform init` downloaded
/// (listed in `.terraform/modules/modules.json`).
fn module_directory(
    caller: &Path,
    source_text: &str,
    name: &str,
    instance: &super::Instance,
    context: &ModuleContext<'_>,
    out: &mut Evaluated,
) -> Option<PathBuf> {
    if source_text.starts_with("./") || source_text.starts_with("../") {
        let directory = source::normalize_for_access(&caller.join(source_text));
        if directory.is_dir() {
            return Some(directory);
        }
        out.notices.push(format!(
            "{}: module `{name}` source `{source_text}` does not exist; its resources are not checked",
            source::display_name(caller, context.base)
        ));
        return None;
    }
    let key = format!(
        "{}{name}",
        crate::model::without_instance_keys(&instance.prefix.replace("module.", ""))
    )
    .trim_end_matches('.')
    .to_string();
    match downloaded_module(caller, &key) {
        Some(directory) => Some(directory),
        None => {
            out.notices.push(format!(
                "{}: module `{name}` ({source_text}) is not available locally (run `terraform init`); its resources are not checked",
                source::display_name(caller, context.base)
            ));
            None
        }
    }
}

/// Where a module file that resolves outside its module directory `inside` (canonical) leads;
/// Terraform reads the module directory, the link is not followed out of it.
fn outside_module(path: &Path, inside: Option<&Path>) -> Option<PathBuf> {
    let target = std::fs::canonicalize(path).ok()?;
    match inside {
        Some(inside) if target.starts_with(inside) => None,
        _ => Some(target),
    }
}

/// The directory of a downloaded module, from the nearest `.terraform/modules/modules.json`.
fn downloaded_module(caller: &Path, key: &str) -> Option<PathBuf> {
    let mut directory = Some(caller);
    while let Some(dir) = directory {
        let manifest = dir.join(".terraform/modules/modules.json");
        if let Ok(text) = std::fs::read_to_string(&manifest) {
            let value: serde_json::Value = serde_json::from_str(&text).ok()?;
            let modules = value.get("Modules")?.as_array()?;
            let entry = modules
                .iter()
                .find(|m| m.get("Key").and_then(|k| k.as_str()) == Some(key))?;
            let relative = entry.get("Dir")?.as_str()?;
            return Some(source::normalize_for_access(&dir.join(relative)));
        }
        directory = dir.parent();
    }
    None
}

/// Reads and parses a module directory's `.tf` and `.tf.json` files (file id, the text the
/// syntax tree was parsed from, syntax tree).
fn load_module_files(
    directory: &Path,
    context: &ModuleContext<'_>,
    out: &mut Evaluated,
) -> Vec<(FileId, String, Body)> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(directory)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| {
                    let name = p
                        .file_name()
                        .map(|n| n.to_string_lossy().to_ascii_lowercase());
                    name.is_some_and(|n| n.ends_with(".tf") || n.ends_with(".tf.json"))
                        && p.is_file()
                })
                .collect()
        })
        .unwrap_or_default();
    paths.sort();
    let mut loaded = Vec::new();
    let inside = std::fs::canonicalize(directory).ok();
    for path in paths {
        let path = normalize(&path);
        let name = source::display_name(&path, context.base);
        if let Some(target) = outside_module(&path, inside.as_deref()) {
            out.notices.push(format!(
                "{name}: skipped: symbolic link to {}, outside its module directory",
                target.display()
            ));
            continue;
        }
        let text = match std::fs::metadata(&path) {
            Ok(meta) if meta.len() > crate::source::MAX_FILE_BYTES => None,
            _ => std::fs::read_to_string(&path).ok(),
        };
        let Some(text) = text else {
            out.errors.push((
                name,
                None,
                "module file cannot be read as UTF-8 text".into(),
            ));
            continue;
        };
        let known = context.known_files.get(&path);
        let id = known.unwrap_or_else(|| context.next_id.fetch_add(1, Ordering::Relaxed));
        let (native, offsets) = if name.to_ascii_lowercase().ends_with(".json") {
            match super::json_syntax::to_native(&text) {
                Ok((native, offsets)) => (native, Some(offsets)),
                Err((offset, message)) => {
                    if known.is_none() {
                        let span = Span::new(id, offset, offset);
                        out.sources
                            .push((id, SourceFile::new(path.clone(), name.clone(), text)));
                        out.errors.push((name, Some(span), message));
                    }
                    continue;
                }
            }
        } else {
            (text.clone(), None)
        };
        match super::parse(&native) {
            Ok(body) => {
                if known.is_none() {
                    out.sources
                        .push((id, SourceFile::new(path.clone(), name, text)));
                    out.json_offsets.extend(offsets.map(|o| (id, o)));
                }
                loaded.push((id, native, body));
            }
            Err(error) => {
                if known.is_none() {
                    out.sources
                        .push((id, SourceFile::new(path.clone(), name.clone(), text)));
                    out.errors.push((
                        name,
                        Some(Span::new(id, error.offset, error.offset)),
                        error.message,
                    ));
                }
            }
        }
    }
    loaded
}

/// The rank of a variable file Terraform applies by itself, in its order of precedence
/// (`terraform.tfvars`, `terraform.tfvars.json`, then `*.auto.tfvars(.json)`); `None` for any
/// other file.
fn applied_rank(name: &str) -> Option<u8> {
    match name {
        "terraform.tfvars" => Some(1),
        "terraform.tfvars.json" => Some(2),
        n if n.ends_with(".auto.tfvars") || n.ends_with(".auto.tfvars.json") => Some(3),
        _ => None,
    }
}

/// Whether a variable file (`.tfvars`, `.tfvars.json`) of this name is one Terraform applies by
/// itself (`terraform.tfvars`, `*.auto.tfvars`), not only when given with `-var-file`.
pub fn applied_by_itself(name: &str) -> bool {
    applied_rank(name).is_some()
}

/// Whether the file at `path` is one of the `--var-file` files (`var_file_paths`, resolved).
pub fn given_as_var_file(path: &Path, var_file_paths: &[PathBuf]) -> bool {
    !var_file_paths.is_empty()
        && std::fs::canonicalize(path).is_ok_and(|path| var_file_paths.contains(&path))
}

/// The suppression comments of the variable files Terraform applies by itself, each covering
/// the assignment below it (findings on a value set there point at it).
pub fn variable_file_directives<'s>(
    inputs: &[TerraformFile],
    sources: &dyn Fn(FileId) -> Option<&'s SourceFile>,
    unit: &str,
    var_file_paths: &[PathBuf],
) -> Vec<crate::model::directives::Directive> {
    let given_again = |path: &Path| given_as_var_file(path, var_file_paths);
    let mut directives = Vec::new();
    for input in inputs {
        let Content::Vars(body) = &input.content else {
            continue;
        };
        let Some(source) = sources(input.file) else {
            continue;
        };
        if applied_rank(&input.file_name()).is_some()
            && crate::model::directives::has_comment_directives(&source.text)
            && !given_again(&input.path)
        {
            let found = crate::model::directives::from_hcl(body, &source.text, input.file, unit);
            directives.extend(found);
        }
    }
    directives
}

/// Where the variable file azd applies ranks among those Terraform applies by itself: after
/// them, as azd gives it with `-var-file`.
const AZD_RANK: u8 = 4;

/// Variable values from outside the `.tf` files; later sources override earlier ones.
fn variable_values<'s>(
    inputs: &[TerraformFile],
    sources: &dyn Fn(FileId) -> Option<&'s SourceFile>,
    context: &ModuleContext<'_>,
) -> HashMap<String, GivenValue> {
    let outside = context.outside;
    let mut values = outside.environment.clone();
    let rank = |input: &TerraformFile, name: &str| {
        applied_rank(name)
            .or_else(|| applied_by_azd(&input.path, &context.roots).then_some(AZD_RANK))
    };
    let mut files: Vec<(u8, String, &TerraformFile)> = inputs
        .iter()
        .filter(|input| !matches!(input.content, Content::Config(_)))
        .filter_map(|input| {
            let name = input.file_name();
            Some((rank(input, &name)?, name, input))
        })
        .collect();
    files.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    for (rank, _, input) in files {
        let shown = sources(input.file).map_or_else(|| input.file_name(), |f| f.name.clone());
        match &input.content {
            Content::Vars(body) => values.extend(tfvars_values(body, input.file, &shown)),
            Content::JsonVars(node) if rank == AZD_RANK => {
                values.extend(as_azd_fills_in(json_values(node, &shown), &shown));
            }
            Content::JsonVars(node) => values.extend(json_values(node, &shown)),
            Content::Config(_) => {}
        }
    }
    values.extend(outside.var_files.iter().cloned());
    values
}

/// The values of a variable file azd applies, each value azd fills in from an environment
/// variable made unknown.
pub fn as_azd_fills_in(
    values: Vec<(String, GivenValue)>,
    shown: &str,
) -> Vec<(String, GivenValue)> {
    let fill_in = |(name, mut given): (String, GivenValue)| {
        given.value = unknown_where_azd_fills_in(given.value, shown, 0);
        (name, given)
    };
    values.into_iter().map(fill_in).collect()
}

/// Whether azd applies the variable file at `path` when it provisions (see
/// [`azd::applies_terraform_var_file`]), looking for its project within the readable `roots`.
pub fn applied_by_azd(path: &Path, roots: &[PathBuf]) -> bool {
    let json_variable_file = path
        .file_name()
        .and_then(|name| name.to_str())
        .is_some_and(|name| name.ends_with(".tfvars.json"));
    let Some(canonical) = json_variable_file
        .then(|| std::fs::canonicalize(path).ok())
        .flatten()
    else {
        return false;
    };
    roots
        .iter()
        .filter(|root| canonical.starts_with(root))
        .any(|top| azd::applies_terraform_var_file(&canonical, top))
}

/// A value of the variable file azd applies with each string that holds an environment variable
/// azd fills in (`${AZURE_LOCATION}`) made unknown; `depth` bounds the walk as parsing bounds
/// the nesting.
fn unknown_where_azd_fills_in(value: TfValue, file: &str, depth: usize) -> TfValue {
    const MAX_DEPTH: usize = 64;
    match value {
        TfValue::String(text) => match azd::filled_in_reason(&text, file) {
            Some(reason) => TfValue::Unknown(reason),
            None => TfValue::String(text),
        },
        TfValue::List(items) if depth < MAX_DEPTH => TfValue::List(
            items
                .into_iter()
                .map(|item| unknown_where_azd_fills_in(item, file, depth + 1))
                .collect(),
        ),
        TfValue::Object(members) if depth < MAX_DEPTH => TfValue::Object(
            members
                .into_iter()
                .map(|(key, item)| (key, unknown_where_azd_fills_in(item, file, depth + 1)))
                .collect(),
        ),
        other => other,
    }
}

/// Variable values that apply to every module: `TF_VAR_` environment variables (lowest
/// precedence) and `--var-file` files (highest, later files winning).
#[derive(Debug, Default)]
pub struct OutsideValues {
    pub environment: HashMap<String, GivenValue>,
    pub var_files: Vec<(String, GivenValue)>,
    /// The suppression comments of the `--var-file` files, each covering the assignment below
    /// it.
    pub directives: Vec<crate::model::directives::Directive>,
    /// The `--var-file` files, resolved: a module's own variable file given again this way has
    /// its comments read once, as a `--var-file` file, whose values win.
    pub var_file_paths: Vec<PathBuf>,
}

/// What a `--var-file` file holds: the values it sets and its suppression comments.
pub struct VarFile {
    pub values: Vec<(String, GivenValue)>,
    /// Each covers the assignment below it.
    pub directives: Vec<crate::model::directives::Directive>,
}

/// What a variable file (`.tfvars` or `.tfvars.json`) holds, or its syntax error.
pub fn var_file_values(file: FileId, source: &SourceFile) -> Result<VarFile, (usize, String)> {
    let name = source.name.as_str();
    if name.ends_with(".json") {
        let node =
            crate::model::json::parse(&source.text, file).map_err(|e| (e.start, e.message))?;
        return Ok(VarFile {
            values: node.map(|n| json_values(&n, name)).unwrap_or_default(),
            directives: Vec::new(),
        });
    }
    let body = super::parse(&source.text).map_err(|e| (e.offset, e.message))?;
    let directives = if crate::model::directives::has_comment_directives(&source.text) {
        crate::model::directives::from_hcl(&body, &source.text, file, name)
    } else {
        Vec::new()
    };
    Ok(VarFile {
        values: tfvars_values(&body, file, name),
        directives,
    })
}

fn json_values(node: &Node, shown: &str) -> Vec<(String, GivenValue)> {
    let Value::Object(members) = &node.value else {
        return Vec::new();
    };
    members
        .iter()
        .map(|(name, value)| {
            let given = GivenValue {
                value: to_tf_value(value),
                span: Some(value.span),
                source: shown.to_string(),
                written: Some(std::sync::Arc::new(value.clone())),
            };
            (name.clone(), given)
        })
        .collect()
}

fn to_tf_value(node: &Node) -> TfValue {
    match &node.value {
        Value::Null => TfValue::Null,
        Value::Bool(b) => TfValue::Bool(*b),
        Value::Number(n) => TfValue::Number(*n),
        Value::String(s) => TfValue::String(s.clone()),
        Value::Array(items) => TfValue::List(items.iter().map(to_tf_value).collect()),
        Value::Object(members) => TfValue::Object(
            members
                .iter()
                .map(|(k, v)| (k.clone(), to_tf_value(v)))
                .collect(),
        ),
        Value::Unknown(reason) => TfValue::Unknown(reason.clone()),
    }
}

/// `TF_VAR_name` environment variables, as strings.
pub fn environment_values() -> HashMap<String, GivenValue> {
    std::env::vars()
        .filter_map(|(key, value)| {
            let name = key.strip_prefix("TF_VAR_")?;
            let given = GivenValue {
                value: raw_value(&value),
                span: None,
                source: format!("environment variable `{key}`"),
                written: None,
            };
            Some((name.to_string(), given))
        })
        .collect()
}

/// A `--var NAME=VALUE` value.
pub fn command_line_value(name: &str, value: &str) -> GivenValue {
    GivenValue {
        value: raw_value(value),
        span: None,
        source: format!("`--var {name}=...`"),
        written: None,
    }
}

/// Why a `--var` value is not one Terraform accepts: a list or object that is not valid HCL,
/// with the position in the value; `None` when it is accepted.
pub fn invalid_var_value(text: &str) -> Option<String> {
    let trimmed = text.trim_start();
    if !(trimmed.starts_with('[') || trimmed.starts_with('{')) {
        return None;
    }
    const PREFIX: &str = "value = ";
    super::parse(&format!("{PREFIX}{text}\n"))
        .err()
        .map(|error| {
            let at = error.offset.saturating_sub(PREFIX.len()).min(text.len());
            format!(
                "not a valid HCL value at character {}: {}",
                at + 1,
                error.message
            )
        })
}

/// A value given as text, as Terraform reads `-var` and `TF_VAR_`: a list or object in HCL
/// syntax, anything else the string itself (converted later to the variable's type).
fn raw_value(text: &str) -> TfValue {
    let trimmed = text.trim_start();
    if !(trimmed.starts_with('[') || trimmed.starts_with('{')) {
        return TfValue::String(text.to_string());
    }
    match super::parse(&format!("value = {text}\n")) {
        Ok(body) => match body.get_attribute("value") {
            Some(attribute) => super::eval::evaluate(&attribute.value, &super::module::Empty),
            None => TfValue::String(text.to_string()),
        },
        Err(_) => TfValue::Unknown(format!(
            "`{}` is not a valid HCL value",
            super::expr::shorten(text)
        )),
    }
}

#[cfg(test)]
mod raw_value_tests {
    use super::*;

    #[test]
    fn lists_and_objects_are_hcl_anything_else_a_string() {
        assert_eq!(
            raw_value(r#"["10.0.0.0/8", "*"]"#),
            TfValue::List(vec![
                TfValue::String("10.0.0.0/8".into()),
                TfValue::String("*".into())
            ])
        );
        assert_eq!(
            raw_value("{ enabled = true }"),
            TfValue::Object(vec![("enabled".into(), TfValue::Bool(true))])
        );
        assert_eq!(raw_value("true"), TfValue::String("true".into()));
        assert_eq!(raw_value("a=b"), TfValue::String("a=b".into()));
        assert!(matches!(raw_value("[unclosed"), TfValue::Unknown(_)));
    }
}
