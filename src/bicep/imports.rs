//! `import {a, b as c} from '...'` and `import * as ns from '...'`: the variables, functions and
//! types of another Bicep file, of an ARM template (`.json`) or of a registry reference read
//! from the Bicep CLI's restore cache, lowered into the importing template as the compiler
//! inlines them (variables under `<file>:<name>`, functions in a namespace of their own).

use foldhash::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use super::load::ImportSource;
use super::lower::{Types, json_type_summary};
use super::symbols::{self, Exports, Lowerer};
use super::syntax::{DeclKind, ExprKind, ImportDecl, ImportKind, ParsedFile};
use crate::model::{Node, Value};
use crate::source::{FileId, Span};

/// How many files deep imports are followed.
const MAX_IMPORT_DEPTH: usize = 16;

/// What the imports of one template (and of the files it imports) lowered: the template
/// variables and function namespaces to add, and each imported file's exports, read once.
#[derive(Default)]
pub struct ImportState {
    files: HashMap<PathBuf, Rc<Exports>>,
    /// The files whose imports are being followed, outermost first (to find cycles).
    following: Vec<PathBuf>,
    pub variables: Vec<(String, Node)>,
    /// `{"namespace", "members"}` entries of the template's `functions`.
    pub functions: Vec<Node>,
    /// What the names of variables and namespaces start with (a `.bicepparam` file's imports
    /// are told apart from its template's).
    tag: String,
    /// Function namespaces taken so far.
    namespaces: usize,
}

impl ImportState {
    pub fn tagged(tag: &str) -> Self {
        ImportState {
            tag: tag.to_string(),
            ..ImportState::default()
        }
    }

    /// A function namespace no other imported file takes.
    fn namespace(&mut self) -> String {
        let tag: String = self
            .tag
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect();
        self.namespaces += 1;
        format!("__bicep_{tag}{}", self.namespaces)
    }
}

impl Lowerer<'_, '_> {
    /// Binds the names the file imports in its symbols, lowering what they read into `state`.
    pub fn bind_imports(&mut self, parsed: &ParsedFile, state: &mut ImportState) {
        state.following.push(self.path.clone());
        for declaration in parsed.declarations() {
            if let DeclKind::Import(import) = &declaration.kind {
                self.bind_import(import, state);
            }
        }
        state.following.pop();
    }

    fn bind_import(&mut self, import: &ImportDecl, state: &mut ImportState) {
        // The legacy `import 'az@1.0.0'` names an extension, not a file.
        let Some(from) = &import.from else {
            return;
        };
        let reference = from.as_plain_string().unwrap_or_default().to_string();
        let exports = if reference.is_empty() {
            Rc::new(Exports {
                unread: Some("its path is not a plain string".into()),
                ..Exports::default()
            })
        } else {
            let at = self.span(from.span);
            self.exports_of(&reference, at, state)
        };
        match &import.what {
            ImportKind::Names(list) => {
                for entry in list {
                    let name = match &entry.name.kind {
                        ExprKind::Variable(ident) => Some(ident.name.as_str()),
                        _ => entry.name.as_plain_string(),
                    };
                    let Some(name) = name else {
                        continue;
                    };
                    let local = entry.alias.as_ref().map_or(name, |a| a.name.as_str());
                    self.bind_name(local, name, &exports);
                }
            }
            ImportKind::Wildcard { alias } => self.symbols.add_namespace(&alias.name, exports),
            ImportKind::Legacy(_) => {}
        }
    }

    fn bind_name(&mut self, local: &str, name: &str, exports: &Exports) {
        if let Some(variable) = exports.variables.get(name) {
            self.symbols.add_variable(local, variable);
        } else if let Some(function) = exports.functions.get(name) {
            self.symbols.add_function(local, function);
        } else if let Some(summary) = exports.types.get(name) {
            self.symbols.types.insert(local.to_string(), *summary);
        } else {
            self.symbols
                .add_unknown_import(local, exports.why_unknown(name));
        }
    }

    /// What the file `reference` names exports, lowered into `state` the first time.
    fn exports_of(&mut self, reference: &str, at: Span, state: &mut ImportState) -> Rc<Exports> {
        let unread = |reason: String| {
            Rc::new(Exports {
                reference: reference.to_string(),
                unread: Some(reason),
                ..Exports::default()
            })
        };
        if state.following.len() > MAX_IMPORT_DEPTH {
            return unread(format!(
                "imports are followed at most {MAX_IMPORT_DEPTH} files deep"
            ));
        }
        let from = self.path.clone();
        match self.loader.import_source(&from, reference) {
            ImportSource::Unread(reason) => unread(reason),
            ImportSource::Json { path, root } => {
                if let Some(done) = state.files.get(&path) {
                    return done.clone();
                }
                let exports = Rc::new(self.json_exports(&path, &root, reference, state));
                state.files.insert(path, exports.clone());
                exports
            }
            ImportSource::Bicep { id, path, parsed } => {
                if let Some(done) = state.files.get(&path) {
                    return done.clone();
                }
                if let Some(start) = state.following.iter().position(|p| *p == path) {
                    let cycle = state.following.get(start..).unwrap_or_default();
                    let mut chain: Vec<String> =
                        cycle.iter().map(|p| self.loader.name(p)).collect();
                    chain.push(self.loader.name(&path));
                    let message = format!("import cycle: {}", chain.join(" -> "));
                    let file = self.loader.name(&from);
                    let reported = self
                        .loader
                        .errors
                        .iter()
                        .any(|e| e.path == file && e.span == Some(at) && e.message == message);
                    if !reported {
                        self.loader.error(file, Some(at), message.clone());
                    }
                    return unread(message);
                }
                let exports = Rc::new(self.bicep_exports(id, &path, &parsed, reference, state));
                state.files.insert(path, exports.clone());
                exports
            }
        }
    }

    /// A Bicep file's variables and functions lowered into `state` (with what they import in
    /// turn), and its types summarised.
    fn bicep_exports(
        &mut self,
        id: FileId,
        path: &Path,
        parsed: &ParsedFile,
        reference: &str,
        state: &mut ImportState,
    ) -> Exports {
        let prefix = format!("{}{}:", state.tag, self.loader.name(path));
        let namespace = state.namespace();
        let mut symbols = symbols::build(parsed, &[]);
        symbols.forget_deployment_names();
        for declaration in parsed.declarations() {
            match &declaration.kind {
                DeclKind::Var(var) => {
                    let name = &var.name.name;
                    symbols.add_variable(name, &format!("{prefix}{name}"));
                }
                DeclKind::Func(func) => {
                    let name = &func.name.name;
                    symbols.add_function(name, &format!("{namespace}.{name}"));
                }
                _ => {}
            }
        }
        let mut lowerer = Lowerer {
            symbols,
            locals: Vec::new(),
            file: id,
            path: path.to_path_buf(),
            loader: &mut *self.loader,
            unread_modules: Vec::new(),
            prefix: String::new(),
            merged: Vec::new(),
            in_function: false,
        };
        lowerer.bind_imports(parsed, state);
        let types = Types::of(parsed, &lowerer.symbols);
        let mut exports = Exports {
            reference: reference.to_string(),
            ..Exports::default()
        };
        let mut members = Vec::new();
        for declaration in parsed.declarations() {
            match &declaration.kind {
                DeclKind::Var(var) => {
                    let name = &var.name.name;
                    let value = lowerer.value(&var.value);
                    let arm_name = format!("{prefix}{name}");
                    state.variables.push((arm_name.clone(), value));
                    exports.variables.insert(name.clone(), arm_name);
                }
                DeclKind::Func(func) => {
                    let name = &func.name.name;
                    members.push((name.clone(), lowerer.function(declaration, func, &types)));
                    exports
                        .functions
                        .insert(name.clone(), format!("{namespace}.{name}"));
                }
                DeclKind::Type(declared) => {
                    let summary = types.summary(&declared.ty, declaration);
                    exports.types.insert(declared.name.name.clone(), summary);
                }
                _ => {}
            }
        }
        state.variables.append(&mut lowerer.merged);
        if !members.is_empty() {
            let span = lowerer.span(parsed.file.span);
            state
                .functions
                .push(namespace_node(&namespace, members, span));
        }
        exports
    }

    /// An ARM template's variables (evaluated there, as values that point into it), functions
    /// (in a namespace of their own) and type definitions.
    fn json_exports(
        &mut self,
        path: &Path,
        root: &Node,
        reference: &str,
        state: &mut ImportState,
    ) -> Exports {
        let prefix = format!("{}{}:", state.tag, self.loader.name(path));
        let mut exports = Exports {
            reference: reference.to_string(),
            ..Exports::default()
        };
        // A template lists the variables it exports; one that does not is read whole.
        let exported: Option<Vec<&str>> = root
            .get("metadata")
            .and_then(|m| m.get("__bicep_exported_variables!"))
            .and_then(|list| match &list.value {
                Value::Array(items) => Some(
                    items
                        .iter()
                        .filter_map(|item| item.get("name")?.as_str())
                        .collect(),
                ),
                _ => None,
            });
        let wanted = |name: &str| exported.as_ref().is_none_or(|names| names.contains(&name));
        for (name, value) in crate::arm::variable_values(root, &wanted) {
            let arm_name = format!("{prefix}{name}");
            state
                .variables
                .push((arm_name.clone(), as_literal(value, 0)));
            exports.variables.insert(name, arm_name);
        }
        let namespaces: Vec<(String, &Node)> = match root.get("functions").map(|f| &f.value) {
            Some(Value::Array(list)) => list
                .iter()
                .filter_map(|ns| Some((ns.get("namespace")?.as_str()?.to_string(), ns)))
                .collect(),
            _ => Vec::new(),
        };
        let namespace = state.namespace();
        let renamed: Vec<(String, String)> = namespaces
            .iter()
            .enumerate()
            .map(|(index, (old, _))| (old.to_ascii_lowercase(), format!("{namespace}_{index}")))
            .collect();
        let rename = |namespace: &str| {
            renamed
                .iter()
                .find(|(old, _)| old == namespace)
                .map(|(_, new)| new.clone())
        };
        for ((_, entry), (_, new)) in namespaces.iter().zip(&renamed) {
            let Some(Value::Object(members)) = entry.get("members").map(|m| &m.value) else {
                continue;
            };
            let members: Vec<(String, Node)> = members
                .iter()
                .map(|(name, definition)| (name.clone(), renamed_calls(definition, &rename, 0)))
                .collect();
            for (name, _) in &members {
                exports
                    .functions
                    .insert(name.clone(), format!("{new}.{name}"));
            }
            state
                .functions
                .push(namespace_node(new, members, entry.span));
        }
        if let Some(Value::Object(definitions)) = root.get("definitions").map(|d| &d.value) {
            for (name, definition) in definitions {
                exports
                    .types
                    .insert(name.clone(), json_type_summary(definition, root));
            }
        }
        exports
    }
}

fn namespace_node(namespace: &str, members: Vec<(String, Node)>, span: Span) -> Node {
    Node::new(
        Value::Object(vec![
            (
                "namespace".into(),
                Node::new(Value::String(namespace.to_string()), span),
            ),
            ("members".into(), Node::new(Value::Object(members), span)),
        ]),
        span,
    )
}

/// How deep values are copied; deeper ones are unknown.
const MAX_COPY_DEPTH: usize = crate::arm::expr::MAX_VALUE_DEPTH;

/// An evaluated value as a template writes it: a string that would read as an expression is
/// escaped with `[[`.
fn as_literal(node: Node, depth: usize) -> Node {
    if depth > MAX_COPY_DEPTH {
        return Node::unknown("the value is nested too deeply", node.span);
    }
    let Node { value, span, via } = node;
    let value = match value {
        Value::String(text) if text.starts_with('[') => Value::String(format!("[{text}")),
        Value::Array(items) => Value::Array(
            items
                .into_iter()
                .map(|item| as_literal(item, depth + 1))
                .collect(),
        ),
        Value::Object(members) => Value::Object(
            members
                .into_iter()
                .map(|(key, item)| (key, as_literal(item, depth + 1)))
                .collect(),
        ),
        other => other,
    };
    Node { value, span, via }
}

/// A function definition of an ARM template with its calls to the template's functions moved
/// to their new namespaces.
fn renamed_calls(node: &Node, rename: &dyn Fn(&str) -> Option<String>, depth: usize) -> Node {
    if depth > MAX_COPY_DEPTH {
        return Node::unknown("the value is nested too deeply", node.span);
    }
    let value = match &node.value {
        Value::String(text) => match crate::arm::expr::rename_namespaces(text, rename) {
            Some(renamed) => Value::String(renamed),
            None => return Node::unknown("the expression could not be read", node.span),
        },
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|item| renamed_calls(item, rename, depth + 1))
                .collect(),
        ),
        Value::Object(members) => Value::Object(
            members
                .iter()
                .map(|(key, item)| (key.clone(), renamed_calls(item, rename, depth + 1)))
                .collect(),
        ),
        other => other.clone(),
    };
    Node {
        value,
        span: node.span,
        via: node.via.clone(),
    }
}
