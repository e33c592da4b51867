//! A Bicep file lowered to the ARM template (`languageVersion` 2.0) the compiler would emit for
//! it, as a [`Node`] tree in which every value spans the Bicep text that wrote it. The ARM
//! template reader then evaluates it with exactly ARM semantics.

use foldhash::HashMap;
use std::path::Path;

use super::expr::{Printed, call, quote};
use super::imports::ImportState;
use super::load::{Loader, ModuleTemplate};
use super::symbols::{self, Declared, LoopHead, Lowerer, Symbols, TypeSummary};
use super::syntax::{
    ArrayItem, Body, DeclKind, Declaration, Expr, ExprKind, ForExpr, FuncDecl, ModuleDecl,
    ObjectItem, ParsedFile, PropertyKeyKind, TextSpan, TypeExpr, TypeKind, UnaryOp,
};
use crate::model::{Node, Value};
use crate::source::{FileId, Span};

const DEPLOYMENTS_TYPE: &str = "Microsoft.Resources/deployments";
/// Resource body properties that are not copied into the ARM resource as they are.
const RESOURCE_KEYWORDS: &[&str] = &["name", "parent", "scope", "dependsOn"];

/// Values given for a file's parameters (from a `.bicepparam` file), replacing their defaults,
/// and the variables those values use.
#[derive(Default)]
pub struct Given {
    pub values: HashMap<String, Node>,
    pub variables: Vec<(String, Node)>,
    /// Namespaces of the functions its imports bring.
    pub functions: Vec<Node>,
}

/// A module call whose template could not be read: its address in the template and why.
#[derive(Debug, Clone)]
pub struct UnreadModule {
    pub symbol: String,
    /// The deployment's `name` as the template writes it (what a compiled template's
    /// deployment is addressed by in `languageVersion` 1.0).
    pub deployment_name: Option<String>,
    pub reason: String,
    /// A registry module or template spec (its effect is undecided), not a local file.
    pub from_registry: bool,
    /// The addresses of the registries its parameters refer to.
    pub registries: Vec<String>,
}

/// A lowered file: the template, and the module calls that could not be read.
pub struct Lowered {
    pub template: Node,
    pub unread_modules: Vec<UnreadModule>,
}

/// Lowers a parsed `.bicep` file (at `path`, file id `file`) into an ARM template.
pub fn lower(
    parsed: &ParsedFile,
    path: &Path,
    file: FileId,
    given: Option<&Given>,
    loader: &mut Loader<'_>,
) -> Lowered {
    loader.data_bytes_left = super::load::MAX_DATA_BYTES;
    lower_in(parsed, path, file, given, loader, String::new())
}

/// Lowers a file whose resources are addressed below `prefix` (a module call's `mod/`).
fn lower_in(
    parsed: &ParsedFile,
    path: &Path,
    file: FileId,
    given: Option<&Given>,
    loader: &mut Loader<'_>,
    prefix: String,
) -> Lowered {
    let declared = symbols::declared_resources(parsed);
    let mut symbols = symbols::build(parsed, &declared);
    if let Some(given) = given {
        for (name, _) in &given.variables {
            symbols.add_variable(name, name);
        }
    }
    let mut lowerer = Lowerer {
        symbols,
        locals: Vec::new(),
        file,
        path: path.to_path_buf(),
        loader,
        unread_modules: Vec::new(),
        prefix,
        merged: Vec::new(),
        in_function: false,
    };
    let template = lowerer.template(parsed, &declared, given);
    Lowered {
        template,
        unread_modules: lowerer.unread_modules,
    }
}

/// The `__bicep` namespace of the `functions` section, holding the file's `func`s.
fn user_functions(members: Vec<(String, Node)>, span: Span) -> Node {
    object(
        vec![
            ("namespace".into(), text("__bicep", span)),
            ("members".into(), object(members, span)),
        ],
        span,
    )
}

/// Builds an object node from members, spanning `span`.
fn object(members: Vec<(String, Node)>, span: Span) -> Node {
    Node::new(Value::Object(members), span)
}

fn text(value: &str, span: Span) -> Node {
    Node::new(Value::String(value.to_string()), span)
}

/// A literal string as a template writes it: one that reads as an expression gets `[[`.
fn literal_string(value: &str) -> String {
    if crate::arm::expr::is_expression(value) || value.starts_with("[[") {
        format!("[{value}")
    } else {
        value.to_string()
    }
}

impl Lowerer<'_, '_> {
    pub fn span(&self, span: TextSpan) -> Span {
        span.in_file(self.file)
    }

    fn template(
        &mut self,
        parsed: &ParsedFile,
        declared: &[Declared<'_>],
        given: Option<&Given>,
    ) -> Node {
        let whole = self.span(parsed.file.span);
        let mut parameters = Vec::new();
        let mut variables = Vec::new();
        let mut copied_variables = Vec::new();
        let mut resources = Vec::new();
        let mut outputs = Vec::new();
        let mut functions = Vec::new();
        let mut functions_namespaces = Vec::new();
        if let Some(given) = given {
            variables.extend(given.variables.iter().cloned());
            functions_namespaces.extend(given.functions.iter().cloned());
        }
        let mut imports = ImportState::default();
        self.bind_imports(parsed, &mut imports);
        variables.append(&mut imports.variables);
        functions_namespaces.append(&mut imports.functions);
        let types = Types::of(parsed, &self.symbols);
        for declaration in parsed.declarations() {
            match &declaration.kind {
                DeclKind::Param(param) => {
                    let value = given.and_then(|g| g.values.get(&param.name.name)).cloned();
                    let value = value.or_else(|| param.default.as_ref().map(|d| self.value(d)));
                    let node = self.parameter(declaration, &param.ty, &types, value);
                    parameters.push((param.name.name.clone(), node));
                }
                DeclKind::Var(var) => match &var.value.kind {
                    ExprKind::For(looped) if !is_filtered(looped) => {
                        let span = self.span(var.value.span);
                        copied_variables.push(self.copy_loop(&var.name.name, looped, span));
                    }
                    _ => variables.push((var.name.name.clone(), self.value(&var.value))),
                },
                DeclKind::Func(func) => {
                    functions.push((
                        func.name.name.clone(),
                        self.function(declaration, func, &types),
                    ));
                }
                DeclKind::Module(module) => {
                    resources.push((module.name.name.clone(), self.module(declaration, module)));
                }
                DeclKind::Output(output) => {
                    let span = self.span(declaration.span);
                    let secure = declaration.decorator("secure").is_some();
                    let kind = arm_type(&output.ty, &types, secure);
                    let type_node = text(kind, self.span(output.ty.span));
                    let value = self.value(&output.value);
                    outputs.push((
                        output.name.name.clone(),
                        object(
                            vec![("type".into(), type_node), ("value".into(), value)],
                            span,
                        ),
                    ));
                }
                _ => {}
            }
        }
        for entry in declared {
            let node = self.resource(entry, declared);
            resources.push((entry.symbol.clone(), node));
        }
        variables.append(&mut self.merged);
        if !copied_variables.is_empty() {
            variables.push((
                "copy".into(),
                Node::new(Value::Array(copied_variables), whole),
            ));
        }
        let mut template = object(
            vec![
                (
                    "$schema".into(),
                    text(
                        "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
                        whole,
                    ),
                ),
                ("languageVersion".into(), text("2.0", whole)),
                ("contentVersion".into(), text("1.0.0.0", whole)),
                ("parameters".into(), object(parameters, whole)),
                ("variables".into(), object(variables, whole)),
                ("resources".into(), object(resources, whole)),
                ("outputs".into(), object(outputs, whole)),
            ],
            whole,
        );
        if !functions.is_empty() {
            functions_namespaces.push(user_functions(functions, whole));
        }
        if !functions_namespaces.is_empty() {
            template.insert(
                "functions",
                Node::new(Value::Array(functions_namespaces), whole),
            );
        }
        template
    }

    /// A `func` as a member of the `__bicep` namespace of `functions`: its parameters read as
    /// `parameters('x')` in its body, which becomes `output.value`.
    pub fn function(
        &mut self,
        declaration: &Declaration,
        func: &FuncDecl,
        types: &Types<'_>,
    ) -> Node {
        let span = self.span(declaration.span);
        let mark = self.locals.len();
        let mut parameters = Vec::with_capacity(func.params.len());
        for param in &func.params {
            let name = &param.name.name;
            let param_span = self.span(param.name.span);
            let kind = param
                .ty
                .as_ref()
                .map_or("object", |ty| arm_type(ty, types, false));
            parameters.push(object(
                vec![
                    ("type".into(), text(kind, param_span)),
                    ("name".into(), text(name, param_span)),
                ],
                param_span,
            ));
            self.locals
                .push((name.clone(), Ok(format!("parameters({})", quote(name)))));
        }
        let outer = std::mem::replace(&mut self.in_function, true);
        let value = self.value(&func.body);
        self.in_function = outer;
        self.locals.truncate(mark);
        let kind = arm_type(&func.return_ty, types, false);
        let output = object(
            vec![
                ("type".into(), text(kind, self.span(func.return_ty.span))),
                ("value".into(), value),
            ],
            span,
        );
        object(
            vec![
                (
                    "parameters".into(),
                    Node::new(Value::Array(parameters), span),
                ),
                ("output".into(), output),
            ],
            span,
        )
    }

    /// A parameter's declaration: its ARM type (secure when `@secure()`), nullable when `?`, and
    /// its default value.
    fn parameter(
        &mut self,
        declaration: &Declaration,
        ty: &TypeExpr,
        types: &Types<'_>,
        default: Option<Node>,
    ) -> Node {
        let secure = declaration.decorator("secure").is_some();
        let kind = arm_type(ty, types, secure);
        let nullable = is_nullable(ty, types, 0);
        let mut members =
            Vec::with_capacity(1 + usize::from(nullable) + usize::from(default.is_some()));
        members.push(("type".to_string(), text(kind, self.span(ty.span))));
        if nullable {
            members.push((
                "nullable".into(),
                Node::new(Value::Bool(true), self.span(ty.span)),
            ));
        }
        if let Some(default) = default {
            members.push(("defaultValue".into(), default));
        }
        object(members, self.span(declaration.span))
    }

    /// A value as a template writes it: literals as JSON values, objects and arrays member by
    /// member, anything else as an expression string; unknown when it has no ARM form here.
    pub fn value(&mut self, expr: &Expr) -> Node {
        let span = self.span(expr.span);
        match &expr.kind {
            ExprKind::Null => Node::new(Value::Null, span),
            ExprKind::Bool(b) => Node::new(Value::Bool(*b), span),
            ExprKind::Int(n) => Node::new(Value::Number(*n as f64), span),
            ExprKind::Unary(UnaryOp::Minus, operand)
                if matches!(operand.kind, ExprKind::Int(_)) =>
            {
                match operand.kind {
                    ExprKind::Int(n) => Node::new(Value::Number(-(n as f64)), span),
                    _ => self.expression(expr),
                }
            }
            ExprKind::String(lit) => match lit.as_plain() {
                Some(plain) => text(&literal_string(plain), span),
                None => self.expression(expr),
            },
            ExprKind::Object(items) if !has_object_spread(items) => self.object(items, span),
            ExprKind::Object(items) if self.locals.is_empty() && !self.in_function => {
                self.spread_object(items, span)
            }
            ExprKind::Array(items)
                if !items.iter().any(|i| matches!(i, ArrayItem::Spread { .. })) =>
            {
                let values = items
                    .iter()
                    .filter_map(|item| match item {
                        ArrayItem::Value(value) => Some(self.value(value)),
                        ArrayItem::Spread { .. } => None,
                    })
                    .collect();
                Node::new(Value::Array(values), span)
            }
            ExprKind::Paren(inner) | ExprKind::NonNull(inner) => self.value(inner),
            ExprKind::Call(_) | ExprKind::Member(_) | ExprKind::Index(_) => {
                match self.loaded_json_part(expr, span) {
                    Some(mut data) => {
                        escape_expressions(&mut data);
                        data
                    }
                    None => self.expression(expr),
                }
            }
            _ => self.expression(expr),
        }
    }

    /// An expression string, `"[...]"`, spanning the expression.
    pub fn expression(&mut self, expr: &Expr) -> Node {
        let span = self.span(expr.span);
        printed_node(self.print(expr), span)
    }

    /// An object literal; a property whose value is a `[for ...]` becomes an ARM property
    /// `copy` loop, so that each item points at its own text.
    fn object(&mut self, items: &[ObjectItem], span: Span) -> Node {
        let mut members = Vec::new();
        let mut loops = Vec::new();
        for item in items {
            let ObjectItem::Property(property) = item else {
                continue;
            };
            let key = match &property.key.kind {
                PropertyKeyKind::Ident(name) => name.clone(),
                PropertyKeyKind::String(lit) => match lit.as_plain() {
                    Some(plain) => literal_string(plain),
                    None => match self.print_key(&property.key) {
                        Ok(printed) => bracketed(&printed),
                        Err(_) => continue,
                    },
                },
                PropertyKeyKind::Error => continue,
            };
            match &property.value.kind {
                ExprKind::For(looped) if !is_filtered(looped) && !key.starts_with('[') => {
                    let loop_span = self.span(property.value.span);
                    loops.push(self.copy_loop(&key, looped, loop_span));
                }
                _ => members.push((key, self.value(&property.value))),
            }
        }
        if !loops.is_empty() {
            members.push(("copy".into(), Node::new(Value::Array(loops), span)));
        }
        object(members, span)
    }

    /// An object with spreads, as the compiler writes it (`shallowMerge(createArray(...))`),
    /// with each run of written properties a template variable of its own, so that its values
    /// keep the places that wrote them. (Inside loops and functions, which variables cannot
    /// see, the whole object is one expression.)
    fn spread_object(&mut self, items: &[ObjectItem], span: Span) -> Node {
        let mut parts = Vec::new();
        let mut rest = items;
        while let Some(first) = rest.first() {
            if let ObjectItem::Spread { value, .. } = first {
                match self.print(value) {
                    Ok(printed) => parts.push(printed),
                    Err(reason) => return Node::unknown(reason, span),
                }
                rest = rest.get(1..).unwrap_or_default();
                continue;
            }
            let run = rest
                .iter()
                .position(|item| matches!(item, ObjectItem::Spread { .. }))
                .unwrap_or(rest.len());
            let (written, after) = rest.split_at(run);
            let start = first.span();
            let end = written.last().map_or(start, ObjectItem::span);
            let node = self.object(written, self.span(start.cover(end)));
            let name = format!("{}:merged:{}", self.file, start.start);
            parts.push(format!("variables({})", quote(&name)));
            self.merged.push((name, node));
            rest = after;
        }
        let printed = call("createArray", &parts).and_then(|list| call("shallowMerge", &[list]));
        printed_node(printed, span)
    }

    /// A `{name, count, input}` copy loop of a property or variable.
    fn copy_loop(&mut self, name: &str, looped: &ForExpr, span: Span) -> Node {
        let head = LoopHead {
            item: looped.item.name.clone(),
            index: looped.index.as_ref().map(|i| i.name.clone()),
            source: looped.source.clone(),
        };
        let count = self.count(&looped.source);
        let at = format!("copyIndex({})", quote(name));
        let mark = self.locals.len();
        self.bind_loop(&head, &at);
        let input = self.value(&looped.body);
        self.locals.truncate(mark);
        object(
            vec![
                ("name".into(), text(name, span)),
                ("count".into(), count),
                ("input".into(), input),
            ],
            span,
        )
    }

    /// `[length(source)]` for a loop's count.
    fn count(&mut self, source: &Expr) -> Node {
        let span = self.span(source.span);
        let printed = self.print(source).map(|s| format!("length({s})"));
        printed_node(printed, span)
    }

    /// A resource: its type, name and body, with its loop as `copy` and its condition (and
    /// those of the resources it is nested in) as `condition`.
    fn resource(&mut self, entry: &Declared<'_>, declared: &[Declared<'_>]) -> Node {
        let span = self.span(entry.declaration.span);
        let Some(symbol) = self.symbols.resource(&entry.symbol) else {
            return object(Vec::new(), span);
        };
        let value = &entry.resource.value;
        let looped = symbols::body_loop(value);
        let mut members = Vec::new();
        let conditions = self.conditions(entry, declared);
        let head = symbol.looped.clone();
        let mark = self.locals.len();
        if let Some(head) = &head {
            self.bind_loop(head, "copyIndex()");
        }
        let filter = looped.and_then(|l| match Body::of(&l.body) {
            Body::If { condition, .. } => Some(condition),
            _ => None,
        });
        let mut all_conditions = conditions;
        if let Some(filter) = filter {
            all_conditions.push(filter.clone());
        }
        if let Some(condition) = self.condition(&all_conditions) {
            members.push(("condition".to_string(), condition));
        }
        if let (Some(looped), Some(_)) = (looped, &head) {
            let count = self.count(&looped.source);
            let copy = object(
                vec![
                    (
                        "name".into(),
                        text(&entry.symbol, self.span(looped.source.span)),
                    ),
                    ("count".into(), count),
                ],
                self.span(value.span),
            );
            members.push(("copy".into(), copy));
        }
        if entry.resource.existing {
            members.push(("existing".into(), Node::new(Value::Bool(true), span)));
        }
        let type_span = self.span(entry.resource.type_string.span);
        members.push(("type".into(), text(&symbol.full_type, type_span)));
        if !symbol.api_version.is_empty() {
            members.push(("apiVersion".into(), text(&symbol.api_version, type_span)));
        }
        let body = symbols::body_object(value);
        if let Some(name) = body.and_then(|b| b.property("name")) {
            let name_node = if symbol.parent.is_some() {
                let name_span = self.span(name.span);
                printed_node(self.resource_name(&symbol, None), name_span)
            } else {
                self.value(name)
            };
            members.push(("name".into(), name_node));
        }
        if let Some(scope) = body.and_then(|b| b.property("scope")) {
            let scope_span = self.span(scope.span);
            let scope_node = match self.resource_target(scope) {
                Some((resource, index)) => {
                    let index = index.map(|i| self.print(i)).transpose();
                    let printed = index.and_then(|i| self.resource_id(&resource, i.as_deref()));
                    printed_node(printed, scope_span)
                }
                None if is_deployment_scope(scope) => Node::new(Value::Null, scope_span),
                None => self.value(scope),
            };
            if !matches!(scope_node.value, Value::Null) {
                members.push(("scope".into(), scope_node));
            }
            members.extend(self.deployment_scope(scope));
        }
        for item in body.and_then(Expr::as_object).unwrap_or_default() {
            let ObjectItem::Property(property) = item else {
                continue;
            };
            let Some(key) = property.key.as_plain() else {
                continue;
            };
            if RESOURCE_KEYWORDS.contains(&key) {
                continue;
            }
            let node = match &property.value.kind {
                ExprKind::Object(items) if !has_object_spread(items) => {
                    let node_span = self.span(property.value.span);
                    self.object(items, node_span)
                }
                _ => self.value(&property.value),
            };
            members.push((key.to_string(), node));
        }
        self.locals.truncate(mark);
        object(members, span)
    }

    /// `resourceGroup` and `subscriptionId` of a resource or module deployed to another scope
    /// (`scope: resourceGroup(sub, group)`), as the compiler writes them.
    fn deployment_scope(&mut self, scope: &Expr) -> Vec<(String, Node)> {
        let ExprKind::Call(call) = &scope.kind else {
            return Vec::new();
        };
        let keys: &[&str] = match (call.name.name.as_str(), call.args.len()) {
            ("resourceGroup", 1) => &["resourceGroup"],
            ("resourceGroup", 2) => &["subscriptionId", "resourceGroup"],
            ("subscription", 1) => &["subscriptionId"],
            _ => &[],
        };
        keys.iter()
            .zip(&call.args)
            .map(|(key, arg)| (key.to_string(), self.value(arg)))
            .collect()
    }

    /// The conditions of the resources a nested resource sits in, outermost first, and its own.
    fn conditions(&self, entry: &Declared<'_>, declared: &[Declared<'_>]) -> Vec<Expr> {
        let mut chain = Vec::new();
        let mut current = Some(entry);
        let mut steps = 0;
        while let Some(found) = current {
            if let Body::If { condition, .. } = Body::of(&found.resource.value) {
                chain.push(condition.clone());
            }
            steps += 1;
            current = found
                .nested_in
                .as_ref()
                .filter(|_| steps < 64)
                .and_then(|parent| declared.iter().find(|e| &e.symbol == parent));
        }
        chain.reverse();
        chain
    }

    /// `and(...)` of the conditions, spanning the last (the resource's own).
    fn condition(&mut self, conditions: &[Expr]) -> Option<Node> {
        let last = conditions.last()?;
        let span = self.span(last.span);
        let printed: Result<Vec<String>, _> = conditions.iter().map(|c| self.print(c)).collect();
        let printed = printed.map(|all| {
            all.into_iter()
                .reduce(|a, b| format!("and({a}, {b})"))
                .unwrap_or_default()
        });
        Some(printed_node(printed, span))
    }

    /// A module call: a nested deployment with an inner-scope template lowered from the module
    /// file and the call's `params` as its parameters.
    fn module(&mut self, declaration: &Declaration, module: &ModuleDecl) -> Node {
        let span = self.span(declaration.span);
        let path_span = self.span(module.path.span);
        let value = &module.value;
        let looped = symbols::body_loop(value);
        let head = looped.map(|l| LoopHead {
            item: l.item.name.clone(),
            index: l.index.as_ref().map(|i| i.name.clone()),
            source: l.source.clone(),
        });
        let mark = self.locals.len();
        if let Some(head) = &head {
            self.bind_loop(head, "copyIndex()");
        }
        let mut members = Vec::new();
        let mut conditions = Vec::new();
        match Body::of(value) {
            Body::If { condition, .. } => conditions.push(condition.clone()),
            Body::For(looped) => {
                if let Body::If { condition, .. } = Body::of(&looped.body) {
                    conditions.push(condition.clone());
                }
            }
            _ => {}
        }
        if let Some(condition) = self.condition(&conditions) {
            members.push(("condition".to_string(), condition));
        }
        if let Some(looped) = looped {
            let count = self.count(&looped.source);
            let copy = object(
                vec![
                    (
                        "name".into(),
                        text(&module.name.name, self.span(looped.source.span)),
                    ),
                    ("count".into(), count),
                ],
                self.span(value.span),
            );
            members.push(("copy".into(), copy));
        }
        members.push(("type".into(), text(DEPLOYMENTS_TYPE, path_span)));
        members.push(("apiVersion".into(), text("2025-04-01", path_span)));
        let body = symbols::body_object(value);
        let name = body.and_then(|b| b.property("name")).map(|n| self.value(n));
        let deployment_name = name.as_ref().and_then(|n| n.as_str()).map(str::to_string);
        members.push((
            "name".into(),
            name.unwrap_or_else(|| text(&module.name.name, path_span)),
        ));
        let mut properties = vec![
            (
                "expressionEvaluationOptions".to_string(),
                object(vec![("scope".into(), text("inner", path_span))], path_span),
            ),
            ("mode".into(), text("Incremental", path_span)),
        ];
        if let Some(params) = body.and_then(|b| b.property("params")) {
            properties.push(("parameters".into(), self.module_parameters(params)));
        }
        if let Some(scope) = body.and_then(|b| b.property("scope")) {
            members.extend(self.deployment_scope(scope));
        }
        let reference = module.path.as_plain_string().unwrap_or("").to_string();
        match self.module_template(&module.name.name, &reference, path_span) {
            Ok(template) => properties.push(("template".into(), template)),
            Err(reason) => {
                let registries = body
                    .and_then(|b| b.property("params"))
                    .map(|params| self.registries_in(params))
                    .unwrap_or_default();
                self.unread_modules.push(UnreadModule {
                    symbol: module.name.name.clone(),
                    deployment_name,
                    reason,
                    from_registry: super::load::is_registry_reference(&reference),
                    registries,
                });
            }
        }
        members.push(("properties".into(), object(properties, span)));
        self.locals.truncate(mark);
        object(members, span)
    }

    /// A module's `params`: each as `{"value": ...}`.
    fn module_parameters(&mut self, params: &Expr) -> Node {
        let span = self.span(params.span);
        let Some(items) = params.as_object() else {
            return self.value(params);
        };
        let mut members = Vec::new();
        for item in items {
            let ObjectItem::Property(property) = item else {
                continue;
            };
            let Some(key) = property.key.as_plain() else {
                continue;
            };
            let value_span = self.span(property.value.span);
            let wrapped = match &property.value.kind {
                ExprKind::For(looped) if !is_filtered(looped) => {
                    let copy = self.copy_loop("value", looped, value_span);
                    object(
                        vec![(
                            "copy".into(),
                            Node::new(Value::Array(vec![copy]), value_span),
                        )],
                        value_span,
                    )
                }
                _ => object(
                    vec![("value".into(), self.value(&property.value))],
                    value_span,
                ),
            };
            members.push((key.to_string(), wrapped));
        }
        object(members, span)
    }

    /// The template of a module, lowered from its file; `Err` says why it could not be read.
    fn module_template(&mut self, symbol: &str, reference: &str, at: Span) -> Result<Node, String> {
        if reference.is_empty() {
            return Err("the module path is not a plain string".into());
        }
        let from = self.path.clone();
        match self.loader.module(&from, reference, at) {
            ModuleTemplate::Json(root) => Ok(root),
            ModuleTemplate::Unread(reason) => Err(reason),
            ModuleTemplate::Bicep { id, path, parsed } => {
                let prefix = format!("{}{symbol}/", self.prefix);
                self.loader
                    .module_calls
                    .push((path.clone(), prefix.clone()));
                self.loader.stack.push(from);
                let lowered = lower_in(&parsed, &path, id, None, self.loader, prefix);
                self.loader.stack.pop();
                // What a module's own modules deploy is addressed below this call.
                self.unread_modules
                    .extend(lowered.unread_modules.into_iter().map(|mut inner| {
                        inner.symbol = format!("{symbol}/{}", inner.symbol);
                        inner.deployment_name = None;
                        inner.registries.clear();
                        inner
                    }));
                Ok(lowered.template)
            }
        }
    }

    /// The registry resources an expression names (`acr`, `acr.id`, `acr.name`).
    fn registries_in(&self, expr: &Expr) -> Vec<String> {
        let mut names = Vec::new();
        names_in(expr, &mut names, 0);
        let mut found: Vec<String> = names
            .iter()
            .filter_map(|name| self.symbols.resource(name))
            .filter(|r| {
                r.full_type
                    .eq_ignore_ascii_case(crate::model::REGISTRY_TYPE)
            })
            .map(|r| r.symbol.clone())
            .collect();
        found.sort();
        found.dedup();
        found
    }

    /// `loadTextContent()`, `loadJsonContent()`, `loadYamlContent()`, `loadFileAsBase64()`: the
    /// file is read now, relative to the Bicep file. A missing file gives an unknown value (and
    /// a notice); one that cannot be read as asked is an input error.
    pub fn load_function(&mut self, name: &str, args: &[Expr]) -> Printed {
        let Some(relative) = args.first().and_then(Expr::as_plain_string) else {
            return Err(format!(
                "`{name}()` needs a file path written as a plain string"
            ));
        };
        let from = self.path.clone();
        let file_name = self.loader.name(&from);
        let at = args.first().map(|a| self.span(a.span));
        let bytes = match self.loader.loaded_file(&from, relative) {
            Ok(bytes) => bytes,
            Err(failure) if failure.missing => {
                self.loader
                    .notices
                    .push(format!("{file_name}: {}", failure.message));
                return Err(failure.message);
            }
            Err(failure) => {
                self.loader.error(file_name, at, failure.message.clone());
                return Err(failure.message);
            }
        };
        if name == "loadFileAsBase64" {
            return Ok(quote(&super::load::base64(&bytes)));
        }
        let encoding_at = if name == "loadTextContent" { 1 } else { 2 };
        let encoding = args
            .get(encoding_at)
            .and_then(Expr::as_plain_string)
            .unwrap_or("utf-8");
        let content = match super::load::decode(&bytes, encoding) {
            Ok(content) => content,
            Err(message) => {
                let message = format!("`{relative}`: {message}");
                self.loader.error(file_name, at, message.clone());
                return Err(message);
            }
        };
        let path = match args.get(1).map(|p| p.as_plain_string()) {
            None => None,
            Some(Some(path)) => Some(path),
            Some(None) => return Err(format!("`{name}()` needs a path written as a plain string")),
        };
        let value: serde_json::Value = match (name, path) {
            ("loadTextContent", _) => return Ok(quote(&content)),
            ("loadYamlContent", _) => serde_saphyr::from_str(&content)
                .map_err(|error| format!("`{relative}` is not valid YAML: {error}"))?,
            (_, None) => return Ok(format!("json({})", quote(&content))),
            _ => serde_json::from_str(&content)
                .map_err(|error| format!("`{relative}` is not valid JSON: {error}"))?,
        };
        let selected = match path {
            Some(path) => super::json_path::select(&value, path)
                .map_err(|reason| format!("`{name}()` of `{relative}`: {reason}"))?,
            None => value,
        };
        Ok(format!("json({})", quote(&selected.to_string())))
    }

    /// What `loadJsonContent()` reads, or a member or item of it (`loadJsonContent('f.json').a[0]`),
    /// as the template's own values (as the compiler writes them in), each spanning its text in
    /// the loaded file, so that a finding on one points there. `None` for any other expression,
    /// or one that does not read plainly: it is then written as an expression, which says why.
    fn loaded_json_part(&mut self, expr: &Expr, span: Span) -> Option<Node> {
        enum Step<'e> {
            Key(std::borrow::Cow<'e, str>),
            Item(usize),
        }
        let ExprKind::Call(called) = &accessed(expr).kind else {
            return None;
        };
        if called.name.name != "loadJsonContent" || !self.calls_library(called) {
            return None;
        }
        let mut steps = Vec::new();
        let mut current = expr;
        loop {
            match &current.kind {
                ExprKind::Member(member) => {
                    steps.push(Step::Key(member.name.name.as_str().into()));
                    current = &member.base;
                }
                ExprKind::Index(index) => {
                    steps.push(match &index.index.kind {
                        ExprKind::Int(item) => Step::Item(usize::try_from(*item).ok()?),
                        _ => Step::Key(literal_string(index.index.as_plain_string()?).into()),
                    });
                    current = &index.base;
                }
                ExprKind::Paren(inner) | ExprKind::NonNull(inner) => current = inner,
                _ => break,
            }
        }
        let mut data = self.loaded_json(&called.args, span)?;
        for step in steps.iter().rev() {
            data = match (step, data.value) {
                (Step::Key(key), Value::Object(members)) => {
                    let at = members
                        .iter()
                        .rposition(|(k, _)| k.eq_ignore_ascii_case(key))?;
                    members.into_iter().nth(at)?.1
                }
                (Step::Item(item), Value::Array(items)) => items.into_iter().nth(*item)?,
                _ => return None,
            };
        }
        Some(data)
    }

    /// `loadJsonContent('file.json')` (or the part a JSON path selects) of a UTF-8 JSON file,
    /// each value spanning its text in that file; `None` for a file read any other way, or not
    /// at all.
    fn loaded_json(&mut self, args: &[Expr], span: Span) -> Option<Node> {
        let (relative, selected) = match args {
            [file] => (file.as_plain_string()?, None),
            [file, path] => (file.as_plain_string()?, Some(path.as_plain_string()?)),
            _ => return None,
        };
        let from = self.path.clone();
        let path = crate::source::normalize(&super::load::directory_of(&from).join(relative));
        let size = match self.loader.context.overlays.get(&path) {
            Some(text) => text.len() as u64,
            None => std::fs::metadata(&path).map_or(0, |m| m.len()),
        };
        if size > self.loader.data_bytes_left as u64 {
            return None;
        }
        let bytes = self.loader.loaded_file(&from, relative).ok()?;
        let text = String::from_utf8(bytes).ok()?;
        self.loader.data_bytes_left = self.loader.data_bytes_left.checked_sub(text.len())?;
        // The expression this stands for takes strict JSON only: what it refuses is left to
        // it, so that it says why.
        if text.starts_with('\u{feff}') || serde_json::from_str::<serde_json::Value>(&text).is_err()
        {
            return None;
        }
        let (id, text) = self.loader.kept(&path, text);
        let root = crate::model::json::parse(&text, id).ok()??;
        Some(match selected {
            None => root,
            Some(selected) => match super::json_path::select_all(&root, selected).ok()?[..] {
                [only] => only.clone(),
                ref several => {
                    let items = several.iter().map(|&item| item.clone()).collect();
                    Node::new(Value::Array(items), span)
                }
            },
        })
    }

    /// `loadDirectoryFileInfo('dir', 'pattern')`: the files of the directory (not those below
    /// it) whose names match the pattern, as `{relativePath, baseName, extension}` in the
    /// compiler's order.
    pub fn load_directory(&mut self, args: &[Expr]) -> Printed {
        let Some(relative) = args.first().and_then(Expr::as_plain_string) else {
            return Err(
                "`loadDirectoryFileInfo()` needs a directory path written as a plain string".into(),
            );
        };
        let pattern = match args.get(1) {
            None => "*",
            Some(pattern) => pattern.as_plain_string().ok_or(
                "`loadDirectoryFileInfo()` needs a search pattern written as a plain string",
            )?,
        };
        let from = self.path.clone();
        let file_name = self.loader.name(&from);
        let mut names = match self.loader.listed_directory(&from, relative) {
            Ok(names) => names,
            Err(failure) => {
                if failure.missing {
                    let notice = format!("{file_name}: {}", failure.message);
                    self.loader.notices.push(notice);
                } else {
                    let at = args.first().map(|a| self.span(a.span));
                    self.loader.error(file_name, at, failure.message.clone());
                }
                return Err(failure.message);
            }
        };
        names.retain(|name| super::load::matches_pattern(pattern, name));
        names.sort_by_key(|name| (name.to_lowercase(), name.clone()));
        let directory = crate::source::normalize(Path::new(relative));
        let listed: Vec<serde_json::Value> = names
            .iter()
            .map(|name| {
                let path = directory.join(name).to_string_lossy().replace('\\', "/");
                let extension = Path::new(name)
                    .extension()
                    .map(|e| format!(".{}", e.to_string_lossy()))
                    .unwrap_or_default();
                serde_json::json!({
                    "relativePath": path,
                    "baseName": name,
                    "extension": extension,
                })
            })
            .collect();
        let text = serde_json::Value::Array(listed).to_string();
        Ok(format!("json({})", quote(&text)))
    }

    /// `readEnvironmentVariable('NAME', 'default')`: the variable's value now, or the default.
    pub fn environment_variable(&mut self, args: &[Expr]) -> Printed {
        let Some(name) = args.first().and_then(Expr::as_plain_string) else {
            return Err(
                "`readEnvironmentVariable()` needs a name written as a plain string".into(),
            );
        };
        match std::env::var(name) {
            Ok(value) => Ok(quote(&value)),
            Err(_) => match args.get(1) {
                Some(default) => self.print(default),
                None => Err(format!("environment variable `{name}` is not set")),
            },
        }
    }
}

/// The bare names an expression uses.
fn names_in(expr: &Expr, out: &mut Vec<String>, depth: usize) {
    if depth > super::syntax::MAX_DEPTH {
        return;
    }
    let mut visit = |e: &Expr| names_in(e, out, depth + 1);
    match &expr.kind {
        ExprKind::Variable(ident) => out.push(ident.name.clone()),
        ExprKind::String(lit) => {
            for part in &lit.parts {
                if let super::syntax::StringPart::Interpolation(inner) = part {
                    visit(inner);
                }
            }
        }
        ExprKind::Array(items) => {
            for item in items {
                match item {
                    ArrayItem::Value(value) | ArrayItem::Spread { value, .. } => visit(value),
                }
            }
        }
        ExprKind::Object(items) => {
            for item in items {
                match item {
                    ObjectItem::Property(property) => visit(&property.value),
                    ObjectItem::Spread { value, .. } => visit(value),
                    ObjectItem::Resource(_) => {}
                }
            }
        }
        ExprKind::Member(member) => visit(&member.base),
        ExprKind::ResourceAccess(access) => visit(&access.base),
        ExprKind::Index(index) => {
            visit(&index.base);
            visit(&index.index);
        }
        ExprKind::Call(call) => {
            if let Some(base) = &call.base {
                visit(base);
            }
            for arg in &call.args {
                visit(arg);
            }
        }
        ExprKind::NonNull(inner) | ExprKind::Paren(inner) | ExprKind::Unary(_, inner) => {
            visit(inner)
        }
        ExprKind::Binary(binary) => {
            visit(&binary.left);
            visit(&binary.right);
        }
        ExprKind::Ternary(ternary) => {
            visit(&ternary.condition);
            visit(&ternary.then);
            visit(&ternary.otherwise);
        }
        ExprKind::Lambda(lambda) => visit(&lambda.body),
        ExprKind::For(looped) => {
            visit(&looped.source);
            visit(&looped.body);
        }
        ExprKind::If(conditional) => {
            visit(&conditional.condition);
            visit(&conditional.body);
        }
        _ => {}
    }
}

/// What a chain of plain member and item accesses (`x.a[0]`, not `x.?a`, `x[^1]`) reads from.
fn accessed(mut expr: &Expr) -> &Expr {
    loop {
        expr = match &expr.kind {
            ExprKind::Member(member) if !member.safe => &member.base,
            ExprKind::Index(index) if !index.safe && !index.from_end => &index.base,
            ExprKind::Paren(inner) | ExprKind::NonNull(inner) => inner,
            _ => return expr,
        };
    }
}

/// Loaded data as a template holds it: a string or key that starts with `[` is escaped as
/// `[[`, so that it stays text instead of being read as an expression.
fn escape_expressions(node: &mut Node) {
    let escape = |text: &mut String| {
        if text.starts_with('[') {
            text.insert(0, '[');
        }
    };
    match &mut node.value {
        Value::String(text) => escape(text),
        Value::Array(items) => items.iter_mut().for_each(escape_expressions),
        Value::Object(members) => {
            for (key, value) in members {
                escape(key);
                escape_expressions(value);
            }
        }
        _ => {}
    }
}

fn printed_node(printed: Printed, span: Span) -> Node {
    match printed {
        Ok(text) => Node::new(Value::String(bracketed(&text)), span),
        Err(reason) => Node::unknown(reason, span),
    }
}

/// `[text]`: expression text as an ARM template string holds it.
fn bracketed(text: &str) -> String {
    let mut string = String::with_capacity(text.len() + 2);
    string.push('[');
    string.push_str(text);
    string.push(']');
    string
}

fn is_filtered(looped: &ForExpr) -> bool {
    matches!(looped.body.kind, ExprKind::If(_))
}

fn has_object_spread(items: &[ObjectItem]) -> bool {
    items.iter().any(|i| matches!(i, ObjectItem::Spread { .. }))
}

/// A module-style scope (`resourceGroup(...)`, `subscription()`, `tenant()`), which does not
/// change how a resource is addressed here.
fn is_deployment_scope(scope: &Expr) -> bool {
    match &scope.kind {
        ExprKind::Call(call) => matches!(
            call.name.name.as_str(),
            "resourceGroup" | "subscription" | "tenant" | "managementGroup"
        ),
        _ => false,
    }
}

/// The user-defined types a file can name: its own declarations (with whether `@secure()`) and
/// those it imports, summarised.
pub struct Types<'p> {
    declared: HashMap<&'p str, (&'p TypeExpr, bool)>,
    imported: HashMap<String, TypeSummary>,
}

impl<'p> Types<'p> {
    pub fn of(parsed: &'p ParsedFile, symbols: &Symbols) -> Self {
        let declared = parsed
            .declarations()
            .iter()
            .filter_map(|d| match &d.kind {
                DeclKind::Type(t) => Some((
                    t.name.name.as_str(),
                    (&t.ty, d.decorator("secure").is_some()),
                )),
                _ => None,
            })
            .collect();
        Types {
            declared,
            imported: symbols.types.clone(),
        }
    }

    /// What a type declared as `ty` (by `declaration`) lowers to.
    pub fn summary(&self, ty: &TypeExpr, declaration: &Declaration) -> TypeSummary {
        TypeSummary {
            base: base_type(ty, self, 0),
            nullable: is_nullable(ty, self, 0),
            secure: declaration.decorator("secure").is_some() || is_secure(ty, self, 0),
        }
    }

    /// The imported type a type expression names (`t`, `ns.t`).
    fn imported(&self, ty: &TypeExpr) -> Option<&TypeSummary> {
        match &ty.kind {
            TypeKind::Name(ident) => self.imported.get(&ident.name),
            TypeKind::Member { base, name } => match &base.kind {
                TypeKind::Name(ns) => self.imported.get(&format!("{}.{}", ns.name, name.name)),
                _ => None,
            },
            _ => None,
        }
    }
}

/// The type an ARM template's definition (or parameter) declares, following `$ref`s.
pub fn json_type_summary(definition: &Node, template: &Node) -> TypeSummary {
    let mut current = definition;
    let mut nullable = false;
    for _ in 0..MAX_TYPE_DEPTH {
        nullable |= current.get("nullable").and_then(Node::as_bool) == Some(true);
        let next = current
            .get("$ref")
            .and_then(Node::as_str)
            .and_then(|r| r.strip_prefix("#/definitions/"))
            .and_then(|name| template.get("definitions")?.get(name));
        match next {
            Some(next) => current = next,
            None => break,
        }
    }
    let kind = current
        .get("type")
        .and_then(Node::as_str)
        .unwrap_or("object")
        .to_ascii_lowercase();
    let (base, secure) = match kind.as_str() {
        "string" => ("string", false),
        "securestring" => ("string", true),
        "secureobject" => ("object", true),
        "int" => ("int", false),
        "bool" => ("bool", false),
        "array" => ("array", false),
        _ => ("object", false),
    };
    TypeSummary {
        base,
        nullable,
        secure,
    }
}

/// How many user-defined types are followed to find a type's ARM type.
const MAX_TYPE_DEPTH: usize = 16;

/// The ARM type of a Bicep type (`securestring`/`secureObject` when secure, or when a
/// `@secure()` type).
fn arm_type(ty: &TypeExpr, types: &Types<'_>, secure: bool) -> &'static str {
    let base = base_type(ty, types, 0);
    match (base, secure || is_secure(ty, types, 0)) {
        ("string", true) => "securestring",
        ("object", true) => "secureObject",
        (base, _) => base,
    }
}

fn base_type(ty: &TypeExpr, types: &Types<'_>, depth: usize) -> &'static str {
    if depth > MAX_TYPE_DEPTH {
        return "object";
    }
    match &ty.kind {
        TypeKind::Name(ident) => match ident.name.as_str() {
            "string" => "string",
            "int" => "int",
            "bool" => "bool",
            "array" => "array",
            "object" => "object",
            other => match types.declared.get(other) {
                Some((declared, _)) => base_type(declared, types, depth + 1),
                None => types.imported(ty).map_or("object", |t| t.base),
            },
        },
        TypeKind::Member { .. } => types.imported(ty).map_or("object", |t| t.base),
        TypeKind::Literal(literal) => match &literal.kind {
            ExprKind::String(_) => "string",
            ExprKind::Int(_) | ExprKind::Unary(UnaryOp::Minus, _) => "int",
            ExprKind::Bool(_) | ExprKind::Unary(UnaryOp::Not, _) => "bool",
            _ => "object",
        },
        TypeKind::Union(members) => members
            .iter()
            .map(|m| base_type(m, types, depth + 1))
            .find(|t| *t != "object")
            .unwrap_or("object"),
        TypeKind::Nullable(inner) | TypeKind::NonNull(inner) | TypeKind::Paren(inner) => {
            base_type(inner, types, depth + 1)
        }
        TypeKind::Array(_) | TypeKind::Tuple(_) => "array",
        _ => "object",
    }
}

fn is_nullable(ty: &TypeExpr, types: &Types<'_>, depth: usize) -> bool {
    if depth > MAX_TYPE_DEPTH {
        return false;
    }
    match &ty.kind {
        TypeKind::Nullable(_) => true,
        TypeKind::Paren(inner) => is_nullable(inner, types, depth + 1),
        TypeKind::Name(ident) => match types.declared.get(ident.name.as_str()) {
            Some((declared, _)) => is_nullable(declared, types, depth + 1),
            None => types.imported(ty).is_some_and(|t| t.nullable),
        },
        TypeKind::Member { .. } => types.imported(ty).is_some_and(|t| t.nullable),
        _ => false,
    }
}

/// Whether a type names a `@secure()` user-defined type.
fn is_secure(ty: &TypeExpr, types: &Types<'_>, depth: usize) -> bool {
    if depth > MAX_TYPE_DEPTH {
        return false;
    }
    match &ty.kind {
        TypeKind::Nullable(inner) | TypeKind::Paren(inner) | TypeKind::NonNull(inner) => {
            is_secure(inner, types, depth + 1)
        }
        TypeKind::Name(ident) => match types.declared.get(ident.name.as_str()) {
            Some((declared, secure)) => *secure || is_secure(declared, types, depth + 1),
            None => types.imported(ty).is_some_and(|t| t.secure),
        },
        TypeKind::Member { .. } => types.imported(ty).is_some_and(|t| t.secure),
        _ => false,
    }
}
