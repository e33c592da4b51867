//! The names a Bicep file declares (parameters, variables, functions, resources with their
//! nested children, modules) and what lowering needs to know of each resource and module to
//! print references to it.

use foldhash::{HashMap, HashMapExt};
use std::rc::Rc;

use super::expr::Unresolved;
use super::load::Loader;
use super::syntax::{
    Body, DeclKind, Declaration, Expr, ExprKind, ForExpr, ObjectItem, ParsedFile, ResourceDecl,
};
use crate::model::Node;
use crate::source::FileId;

/// The deployment scope a file targets (`targetScope`), which decides how resource ids print.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetScope {
    ResourceGroup,
    Subscription,
    Other,
}

/// A loop's variables and source, enough to print a reference to one instance.
#[derive(Debug, Clone)]
pub struct LoopHead {
    pub item: String,
    pub index: Option<String>,
    pub source: Expr,
}

impl LoopHead {
    fn of(looped: &ForExpr) -> LoopHead {
        LoopHead {
            item: looped.item.name.clone(),
            index: looped.index.as_ref().map(|i| i.name.clone()),
            source: looped.source.clone(),
        }
    }
}

/// A resource as references to it need it.
#[derive(Debug)]
pub struct ResourceSymbol {
    /// The ARM symbolic name: `acr`, or `acr::hook` for a nested child.
    pub symbol: String,
    /// The full type: a nested child's type after its parent's.
    pub full_type: String,
    pub api_version: String,
    /// The resource's own `name` expression (its last segment).
    pub name: Option<Expr>,
    pub looped: Option<LoopHead>,
    /// The parent, by nesting or `parent:`.
    pub parent: Option<Rc<ResourceSymbol>>,
    /// The resource given as `scope:` (an extension resource).
    pub scope: Option<Rc<ResourceSymbol>>,
}

/// A module as references to it need it.
#[derive(Debug)]
pub struct ModuleSymbol {
    pub symbol: String,
    pub name: Option<Expr>,
    pub looped: Option<LoopHead>,
}

/// A resource declaration with where it sits: its symbolic name, its parent by nesting and the
/// conditions of the resources it is nested in.
pub struct Declared<'p> {
    pub symbol: String,
    pub declaration: &'p Declaration,
    pub resource: &'p ResourceDecl,
    pub nested_in: Option<String>,
}

/// The names of one file.
#[derive(Default)]
pub struct Symbols {
    parameters: HashMap<String, String>,
    variables: HashMap<String, String>,
    /// Functions by Bicep name, with the name the template calls them by (`__bicep.f`).
    functions: HashMap<String, String>,
    resources: HashMap<String, Rc<ResourceSymbol>>,
    modules: HashMap<String, Rc<ModuleSymbol>>,
    /// Imported names not bound to anything read, with why.
    imported: HashMap<String, Unresolved>,
    /// User-defined types imported from other files.
    pub types: HashMap<String, TypeSummary>,
    /// `import * as ns`: what the file imported as `ns` exports.
    namespaces: HashMap<String, Rc<Exports>>,
    pub target_scope: Option<TargetScope>,
}

/// What a Bicep type lowers to, for a type declared in another file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TypeSummary {
    /// The ARM type: `string`, `int`, `bool`, `array` or `object`.
    pub base: &'static str,
    pub nullable: bool,
    /// Declared `@secure()`.
    pub secure: bool,
}

/// What an imported file offers the file importing it, as lowered into the importing template:
/// its variables by their template names, its functions by the names calls use, its types.
#[derive(Debug, Default)]
pub struct Exports {
    /// The file as the import names it.
    pub reference: String,
    pub variables: HashMap<String, String>,
    pub functions: HashMap<String, String>,
    pub types: HashMap<String, TypeSummary>,
    /// Why nothing of the file could be read (a registry reference the cache lacks, a cycle).
    pub unread: Option<Unresolved>,
}

impl Exports {
    /// Why `name` imported from this file has no value here.
    pub fn why_unknown(&self, name: &str) -> Unresolved {
        match &self.unread {
            Some(reason) => format!("`{name}` is imported from `{}`: {reason}", self.reference),
            None => format!("`{name}` is not declared in `{}`", self.reference),
        }
    }
}

impl Symbols {
    pub fn parameter(&self, name: &str) -> Option<String> {
        self.parameters.get(name).cloned()
    }

    pub fn variable(&self, name: &str) -> Option<String> {
        self.variables.get(name).cloned()
    }

    /// The name a template calls the function `name` by.
    pub fn function(&self, name: &str) -> Option<&str> {
        self.functions.get(name).map(String::as_str)
    }

    /// A function known by `name` in Bicep and called as `arm_name` in the template.
    pub fn add_function(&mut self, name: &str, arm_name: &str) {
        self.functions
            .insert(name.to_string(), arm_name.to_string());
    }

    pub fn resource(&self, name: &str) -> Option<Rc<ResourceSymbol>> {
        self.resources.get(name).cloned()
    }

    pub fn module(&self, name: &str) -> Option<Rc<ModuleSymbol>> {
        self.modules.get(name).cloned()
    }

    pub fn add_parameter(&mut self, name: &str) {
        self.parameters.insert(name.to_string(), name.to_string());
    }

    /// A variable known by `name` in Bicep and by `arm_name` in the template.
    pub fn add_variable(&mut self, name: &str, arm_name: &str) {
        self.variables
            .insert(name.to_string(), arm_name.to_string());
    }

    /// The symbols of a file read for its imports: its parameters and modules belong to its
    /// own deployments, so the importing template knows none of them.
    pub fn forget_deployment_names(&mut self) {
        let names: Vec<String> = self
            .parameters
            .drain()
            .map(|(name, _)| name)
            .chain(self.modules.drain().map(|(name, _)| name))
            .collect();
        for name in names {
            let reason = format!("`{name}` belongs to the imported file's own deployments");
            self.imported.insert(name, reason);
        }
    }

    /// An imported name whose value is not known, with why.
    pub fn add_unknown_import(&mut self, name: &str, reason: Unresolved) {
        self.imported.insert(name.to_string(), reason);
    }

    pub fn add_namespace(&mut self, alias: &str, exports: Rc<Exports>) {
        for (name, summary) in &exports.types {
            self.types.insert(format!("{alias}.{name}"), *summary);
        }
        self.namespaces.insert(alias.to_string(), exports);
    }

    /// What the file imported as `ns` (`import * as ns`) exports.
    pub fn namespace(&self, namespace: &str) -> Option<&Exports> {
        self.namespaces.get(namespace).map(Rc::as_ref)
    }

    pub fn is_unknown_import(&self, name: &str) -> bool {
        self.imported.contains_key(name)
    }

    pub fn why_unknown(&self, name: &str) -> Unresolved {
        match self.imported.get(name) {
            Some(reason) => reason.clone(),
            None => format!("`{name}` is not declared"),
        }
    }

    pub fn scope(&self) -> TargetScope {
        self.target_scope.unwrap_or(TargetScope::ResourceGroup)
    }
}

/// Every resource declaration of a file, nested children after their parent, with their ARM
/// symbolic names (`parent::child`).
pub fn declared_resources(parsed: &ParsedFile) -> Vec<Declared<'_>> {
    let mut out = Vec::new();
    for declaration in parsed.declarations() {
        if let DeclKind::Resource(resource) = &declaration.kind {
            collect_resource(declaration, resource, None, &mut out, 0);
        }
    }
    out
}

/// How deep resources may nest (the parser bounds nesting too; this bounds the recursion here).
const MAX_RESOURCE_NESTING: usize = 32;

fn collect_resource<'p>(
    declaration: &'p Declaration,
    resource: &'p ResourceDecl,
    nested_in: Option<&str>,
    out: &mut Vec<Declared<'p>>,
    depth: usize,
) {
    if depth > MAX_RESOURCE_NESTING || resource.name.is_missing() {
        return;
    }
    let symbol = match nested_in {
        Some(parent) => format!("{parent}::{}", resource.name.name),
        None => resource.name.name.clone(),
    };
    out.push(Declared {
        symbol: symbol.clone(),
        declaration,
        resource,
        nested_in: nested_in.map(str::to_string),
    });
    for child in children(resource) {
        if let DeclKind::Resource(nested) = &child.kind {
            collect_resource(child, nested, Some(&symbol), out, depth + 1);
        }
    }
}

/// The object body of a resource or module: `{...}`, under `if` and `for` too.
pub fn body_object(value: &Expr) -> Option<&Expr> {
    Body::object(value)
}

/// The loop of a resource or module body.
pub fn body_loop(value: &Expr) -> Option<&ForExpr> {
    match Body::of(value) {
        Body::For(looped) => Some(looped),
        _ => None,
    }
}

/// The nested child resources declared in a resource's body.
pub fn children(resource: &ResourceDecl) -> impl Iterator<Item = &Declaration> {
    body_object(&resource.value)
        .and_then(Expr::as_object)
        .unwrap_or_default()
        .iter()
        .filter_map(|item| match item {
            ObjectItem::Resource(declaration) => Some(declaration.as_ref()),
            _ => None,
        })
}

/// `Microsoft.X/y@2020-01-01` split into type and API version.
pub fn split_type(type_string: &Expr) -> (String, String) {
    let text = type_string.as_plain_string().unwrap_or("");
    match text.split_once('@') {
        Some((kind, version)) => (kind.to_string(), version.to_string()),
        None => (text.to_string(), String::new()),
    }
}

/// Builds the symbol table of a file: every declared name, and the resources and modules with
/// their parents, scopes and loops resolved.
pub fn build(parsed: &ParsedFile, declared: &[Declared<'_>]) -> Symbols {
    let mut symbols = Symbols::default();
    for declaration in parsed.declarations() {
        match &declaration.kind {
            DeclKind::Param(param) => symbols.add_parameter(&param.name.name),
            DeclKind::ParamAssignment(param) => symbols.add_parameter(&param.name.name),
            DeclKind::Var(var) => symbols.add_variable(&var.name.name, &var.name.name),
            DeclKind::Func(func) => {
                let name = &func.name.name;
                symbols.add_function(name, &format!("__bicep.{name}"));
            }
            DeclKind::Module(module) => {
                let body = body_object(&module.value);
                symbols.modules.insert(
                    module.name.name.clone(),
                    Rc::new(ModuleSymbol {
                        symbol: module.name.name.clone(),
                        name: body.and_then(|b| b.property("name")).cloned(),
                        looped: body_loop(&module.value).map(LoopHead::of),
                    }),
                );
            }
            DeclKind::TargetScope(scope) => {
                symbols.target_scope = Some(match scope.as_plain_string() {
                    Some("resourceGroup") | None => TargetScope::ResourceGroup,
                    Some("subscription") => TargetScope::Subscription,
                    Some(_) => TargetScope::Other,
                });
            }
            _ => {}
        }
    }
    let mut resolving = Vec::new();
    let index = DeclaredIndex::new(declared);
    for entry in declared {
        resolve_resource(&entry.symbol, &index, &mut symbols, &mut resolving);
    }
    // Inside a parent's body, and everywhere when unambiguous, a child goes by its own name.
    let mut short: HashMap<String, Vec<Rc<ResourceSymbol>>> = HashMap::new();
    for entry in declared.iter().filter(|e| e.nested_in.is_some()) {
        if let Some(resolved) = symbols.resources.get(&entry.symbol) {
            short
                .entry(entry.resource.name.name.clone())
                .or_default()
                .push(resolved.clone());
        }
    }
    for (name, found) in short {
        if let [only] = found.as_slice()
            && !symbols.resources.contains_key(&name)
        {
            symbols.resources.insert(name, only.clone());
        }
    }
    symbols
}

/// Resolves a resource's symbol after those it refers to (`parent:`, `scope:`), guarding
/// against cycles.
fn resolve_resource(
    symbol: &str,
    declared: &DeclaredIndex<'_, '_>,
    symbols: &mut Symbols,
    resolving: &mut Vec<String>,
) -> Option<Rc<ResourceSymbol>> {
    if let Some(done) = symbols.resources.get(symbol) {
        return Some(done.clone());
    }
    if resolving.iter().any(|s| s == symbol) || resolving.len() > MAX_RESOURCE_NESTING {
        return None;
    }
    let entry = declared.find(symbol)?;
    resolving.push(symbol.to_string());
    let body = body_object(&entry.resource.value);
    let referenced = |key: &str| {
        body.and_then(|b| b.property(key))
            .and_then(|e| referenced_symbol(e, declared, entry.nested_in.as_deref()))
    };
    let parent_symbol = entry.nested_in.clone().or_else(|| referenced("parent"));
    let parent = parent_symbol.and_then(|p| resolve_resource(&p, declared, symbols, resolving));
    let scope =
        referenced("scope").and_then(|s| resolve_resource(&s, declared, symbols, resolving));
    resolving.pop();
    let (declared_type, api_version) = split_type(&entry.resource.type_string);
    let full_type = match (&parent, entry.nested_in.is_some()) {
        (Some(parent), true) if !declared_type.contains('/') => {
            format!("{}/{declared_type}", parent.full_type)
        }
        _ => declared_type,
    };
    let resolved = Rc::new(ResourceSymbol {
        symbol: symbol.to_string(),
        full_type,
        api_version,
        name: body.and_then(|b| b.property("name")).cloned(),
        looped: body_loop(&entry.resource.value).map(LoopHead::of),
        parent,
        scope,
    });
    symbols
        .resources
        .insert(symbol.to_string(), resolved.clone());
    Some(resolved)
}

/// The symbolic name of the resource an expression refers to as a whole (`acr`, `acr::hook`,
/// a sibling child by its own name inside the same parent).
fn referenced_symbol(
    expr: &Expr,
    declared: &DeclaredIndex<'_, '_>,
    nested_in: Option<&str>,
) -> Option<String> {
    let name = match &expr.kind {
        ExprKind::Variable(ident) => ident.name.as_str(),
        ExprKind::NonNull(inner) | ExprKind::Paren(inner) => {
            return referenced_symbol(inner, declared, nested_in);
        }
        ExprKind::ResourceAccess(access) => {
            let parent = referenced_symbol(&access.base, declared, nested_in)?;
            let symbol = format!("{parent}::{}", access.name.name);
            return declared.holds(&symbol).then_some(symbol);
        }
        _ => return None,
    };
    if let Some(parent) = nested_in {
        let sibling = format!("{parent}::{name}");
        if declared.holds(&sibling) {
            return Some(sibling);
        }
    }
    if declared.holds(name) {
        return Some(name.to_string());
    }
    match declared.nested_named(name) {
        [only] => Some(only.symbol.clone()),
        _ => None,
    }
}

/// A file's declared resources found by symbol, and the nested ones by their own name, in one
/// lookup each rather than a pass over all of them.
struct DeclaredIndex<'d, 'p> {
    /// The first resource declared with each symbol.
    by_symbol: HashMap<&'d str, &'d Declared<'p>>,
    /// The nested resources with each name, in the order they are declared.
    nested_by_name: HashMap<&'d str, Vec<&'d Declared<'p>>>,
}

impl<'d, 'p> DeclaredIndex<'d, 'p> {
    fn new(declared: &'d [Declared<'p>]) -> Self {
        let mut by_symbol = HashMap::with_capacity(declared.len());
        let mut nested_by_name: HashMap<&str, Vec<&Declared<'p>>> = HashMap::new();
        for entry in declared {
            by_symbol.entry(entry.symbol.as_str()).or_insert(entry);
            if entry.nested_in.is_some() {
                let name = entry.resource.name.name.as_str();
                nested_by_name.entry(name).or_default().push(entry);
            }
        }
        DeclaredIndex {
            by_symbol,
            nested_by_name,
        }
    }

    fn find(&self, symbol: &str) -> Option<&'d Declared<'p>> {
        self.by_symbol.get(symbol).copied()
    }

    fn holds(&self, symbol: &str) -> bool {
        self.by_symbol.contains_key(symbol)
    }

    fn nested_named(&self, name: &str) -> &[&'d Declared<'p>] {
        self.nested_by_name.get(name).map_or(&[], Vec::as_slice)
    }
}

/// Lowers expressions of one file: its symbols, the loop and lambda variables in scope, and
/// the loader for files it reads (`loadTextContent`, modules).
pub struct Lowerer<'l, 'c> {
    pub symbols: Symbols,
    /// Names bound by loops and lambdas, innermost last, with their ARM text or why unknown.
    pub locals: Vec<(String, Result<String, Unresolved>)>,
    pub file: FileId,
    pub path: std::path::PathBuf,
    pub loader: &'l mut Loader<'c>,
    /// Module calls whose template could not be read.
    pub unread_modules: Vec<super::lower::UnreadModule>,
    /// The address prefix of the resources of this file (`mod/` inside a module call).
    pub prefix: String,
    /// Template variables holding the written parts of objects with spreads.
    pub merged: Vec<(String, Node)>,
    /// Lowering a function's body, which sees no template variables.
    pub in_function: bool,
}

impl Lowerer<'_, '_> {
    /// A loop or lambda variable in scope.
    pub fn local(&self, name: &str) -> Option<Result<String, Unresolved>> {
        self.locals
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, text)| text.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::{build, declared_resources};
    use crate::bicep::syntax::parse;

    const REGISTRY: &str = "resource acr 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: 'acr'
  resource rep 'replications' = {
    name: 'northeurope'
  }
}
";

    /// The symbol of what the resource `symbol` names as its scope, when it resolves.
    fn scope_of(text: &str, symbol: &str) -> Option<String> {
        let parsed = parse(text);
        let declared = declared_resources(&parsed);
        let symbols = build(&parsed, &declared);
        let resource = symbols.resources.get(symbol)?;
        resource.scope.as_ref().map(|scope| scope.symbol.clone())
    }

    #[test]
    fn references_to_nested_resources_resolve_by_access_and_by_their_own_name_when_unambiguous() {
        let lock = |scope: &str| {
            format!(
                "{REGISTRY}resource lock 'Microsoft.Authorization/locks@2020-05-01' = {{\n  \
                 scope: {scope}\n  name: 'lock'\n}}\n"
            )
        };
        assert_eq!(scope_of(&lock("acr"), "lock").as_deref(), Some("acr"));
        assert_eq!(
            scope_of(&lock("acr::rep"), "lock").as_deref(),
            Some("acr::rep")
        );
        assert_eq!(scope_of(&lock("rep"), "lock").as_deref(), Some("acr::rep"));
        assert_eq!(scope_of(&lock("acr::none"), "lock"), None);
        assert_eq!(scope_of(&lock("none"), "lock"), None);
        let other = REGISTRY.replace("resource acr ", "resource other ");
        let ambiguous = format!("{other}{}", lock("rep"));
        assert_eq!(scope_of(&ambiguous, "lock"), None);
        assert_eq!(
            scope_of(&format!("{other}{}", lock("other::rep")), "lock").as_deref(),
            Some("other::rep")
        );
    }
}
