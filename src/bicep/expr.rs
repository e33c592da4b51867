//! Bicep expressions printed as the ARM template expressions the Bicep compiler emits for them
//! (`a == b` as `equals(a, b)`, `'x${y}'` as `format('x{0}', y)`, `acr.id` as `resourceId(...)`),
//! so that the ARM evaluator gives them exactly ARM semantics.
//!
//! What cannot be printed (a name imported from another file, a file that cannot be loaded, a
//! function only the deployment knows) is an [`Unresolved`] reason, which the caller turns into
//! an unknown value.

use super::symbols::{LoopHead, Lowerer, ModuleSymbol, ResourceSymbol};
use super::syntax::{
    BinaryOp, CallExpr, Expr, ExprKind, ForExpr, IndexExpr, LambdaExpr, MemberExpr, StringLit,
    StringPart, UnaryOp,
};
use crate::arm::expr::MAX_EXPRESSION_BYTES;

/// Why an expression has no ARM form here: the value is unknown for that reason.
pub type Unresolved = String;

pub type Printed = Result<String, Unresolved>;

/// An ARM string literal: `'it''s'`.
pub fn quote(text: &str) -> String {
    let mut quoted = String::with_capacity(text.len() + 2);
    quoted.push('\'');
    for (i, piece) in text.split('\'').enumerate() {
        if i > 0 {
            quoted.push_str("''");
        }
        quoted.push_str(piece);
    }
    quoted.push('\'');
    quoted
}

const TOO_LARGE: &str = "the expression is too large to evaluate";

/// Refuses expressions that grew past what the ARM evaluator accepts (references to resources
/// inline their names, and names may refer to other resources).
fn bounded(text: String) -> Printed {
    if text.len() > MAX_EXPRESSION_BYTES {
        Err(TOO_LARGE.into())
    } else {
        Ok(text)
    }
}

/// `name(args...)` as expression text, refused when too large.
pub(super) fn call(name: &str, args: &[String]) -> Printed {
    let separators = 2 * args.len().saturating_sub(1);
    let length = name.len() + 2 + separators + args.iter().map(String::len).sum::<usize>();
    if length > MAX_EXPRESSION_BYTES {
        return Err(TOO_LARGE.into());
    }
    let mut text = String::with_capacity(length);
    text.push_str(name);
    text.push('(');
    for (i, arg) in args.iter().enumerate() {
        if i > 0 {
            text.push_str(", ");
        }
        text.push_str(arg);
    }
    text.push(')');
    Ok(text)
}

/// How deep [`Lowerer::print`] may nest: above the parser's nesting limit, with room for
/// references that inline the names of the resources they name, and well within a thread's
/// stack. A name that refers to itself (`name: acr.name`) stops here.
const MAX_PRINT_DEPTH: usize = 160;

thread_local! {
    /// How deep [`Lowerer::print`] calls are nested on this thread (a directory is lowered on
    /// one thread).
    static PRINT_DEPTH: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

impl Lowerer<'_, '_> {
    /// An expression as ARM expression text (without the enclosing brackets).
    pub fn print(&mut self, expr: &Expr) -> Printed {
        let depth = PRINT_DEPTH.get();
        if depth >= MAX_PRINT_DEPTH {
            return Err("the expression refers to itself or is nested too deeply".into());
        }
        PRINT_DEPTH.set(depth + 1);
        let printed = self.print_expr(expr);
        PRINT_DEPTH.set(depth);
        printed
    }

    fn print_expr(&mut self, expr: &Expr) -> Printed {
        match &expr.kind {
            ExprKind::Null => Ok("null()".into()),
            ExprKind::Bool(true) => Ok("true()".into()),
            ExprKind::Bool(false) => Ok("false()".into()),
            ExprKind::Int(n) => Ok(n.to_string()),
            ExprKind::String(lit) => self.print_string(lit),
            ExprKind::Array(items) => self.print_array(items),
            ExprKind::Object(items) => self.print_object(items),
            ExprKind::Variable(ident) => self.print_name(&ident.name),
            ExprKind::Member(member) => self.print_member(member),
            ExprKind::Index(index) => self.print_index(index),
            ExprKind::ResourceAccess(_) => match self.resource_target(expr) {
                Some((resource, _)) => self.resource_id(&resource, None),
                None => Err("the nested resource is not declared".into()),
            },
            ExprKind::Call(call) => self.print_call(call),
            ExprKind::NonNull(inner) | ExprKind::Paren(inner) => self.print(inner),
            ExprKind::Unary(op, operand) => self.print_unary(*op, operand),
            ExprKind::Binary(binary) => {
                let left = self.print(&binary.left)?;
                let right = self.print(&binary.right)?;
                print_binary(binary.op, left, right)
            }
            ExprKind::Ternary(ternary) => {
                let condition = self.print(&ternary.condition)?;
                let then = self.print(&ternary.then)?;
                let otherwise = self.print(&ternary.otherwise)?;
                call("if", &[condition, then, otherwise])
            }
            ExprKind::Lambda(_) => {
                Err("a lambda outside a function that takes one is not evaluated".into())
            }
            ExprKind::For(looped) => self.print_for(looped),
            ExprKind::If(_) | ExprKind::Error => Err("the expression could not be read".into()),
        }
    }

    fn print_string(&mut self, lit: &StringLit) -> Printed {
        if let Some(text) = lit.as_plain() {
            return bounded(quote(text));
        }
        let mut pattern = String::new();
        let mut args = Vec::new();
        for part in &lit.parts {
            match part {
                StringPart::Text { text, .. } => {
                    pattern.push_str(&text.replace('{', "{{").replace('}', "}}"));
                }
                StringPart::Interpolation(inner) => {
                    pattern.push_str(&format!("{{{}}}", args.len()));
                    args.push(self.print(inner)?);
                }
            }
        }
        let mut all = vec![quote(&pattern)];
        all.extend(args);
        call("format", &all)
    }

    fn print_array(&mut self, items: &[super::syntax::ArrayItem]) -> Printed {
        use super::syntax::ArrayItem;
        let mut groups: Vec<String> = Vec::new();
        let mut current: Vec<String> = Vec::new();
        let mut spread = false;
        for item in items {
            match item {
                ArrayItem::Value(value) => current.push(self.print(value)?),
                ArrayItem::Spread { value, .. } => {
                    spread = true;
                    if !current.is_empty() {
                        groups.push(call("createArray", &std::mem::take(&mut current))?);
                    }
                    groups.push(self.print(value)?);
                }
            }
        }
        if !spread {
            return call("createArray", &current);
        }
        if !current.is_empty() {
            groups.push(call("createArray", &current)?);
        }
        call("concat", &groups)
    }

    fn print_object(&mut self, items: &[super::syntax::ObjectItem]) -> Printed {
        use super::syntax::ObjectItem;
        let mut groups: Vec<String> = Vec::new();
        let mut current: Vec<String> = Vec::new();
        let mut spread = false;
        for item in items {
            match item {
                ObjectItem::Property(property) => {
                    current.push(self.print_key(&property.key)?);
                    current.push(self.print(&property.value)?);
                }
                ObjectItem::Spread { value, .. } => {
                    spread = true;
                    if !current.is_empty() {
                        groups.push(call("createObject", &std::mem::take(&mut current))?);
                    }
                    groups.push(self.print(value)?);
                }
                ObjectItem::Resource(_) => {}
            }
        }
        if !spread {
            return call("createObject", &current);
        }
        if !current.is_empty() {
            groups.push(call("createObject", &current)?);
        }
        let list = call("createArray", &groups)?;
        call("shallowMerge", &[list])
    }

    pub fn print_key(&mut self, key: &super::syntax::PropertyKey) -> Printed {
        use super::syntax::PropertyKeyKind;
        match &key.kind {
            PropertyKeyKind::Ident(name) => Ok(quote(name)),
            PropertyKeyKind::String(lit) => self.print_string(lit),
            PropertyKeyKind::Error => Err("a property name could not be read".into()),
        }
    }

    fn print_unary(&mut self, op: UnaryOp, operand: &Expr) -> Printed {
        match (op, &operand.kind) {
            (UnaryOp::Minus, ExprKind::Int(n)) => Ok(format!("-{n}")),
            (UnaryOp::Minus, _) => {
                let value = self.print(operand)?;
                call("sub", &["0".into(), value])
            }
            (UnaryOp::Not, _) => {
                let value = self.print(operand)?;
                call("not", &[value])
            }
        }
    }

    /// A name: a loop or lambda variable, a parameter, a variable, a resource or a module.
    fn print_name(&mut self, name: &str) -> Printed {
        if let Some(text) = self.local(name) {
            return text;
        }
        if let Some(arm_name) = self.symbols.parameter(name) {
            return Ok(format!("parameters({})", quote(&arm_name)));
        }
        if let Some(arm_name) = self.symbols.variable(name) {
            return Ok(format!("variables({})", quote(&arm_name)));
        }
        if let Some(resource) = self.symbols.resource(name) {
            return self.resource_id(&resource, None);
        }
        if let Some(module) = self.symbols.module(name) {
            return Ok(format!("reference({})", quote(&module.symbol)));
        }
        Err(self.symbols.why_unknown(name))
    }

    fn print_member(&mut self, member: &MemberExpr) -> Printed {
        let name = member.name.name.as_str();
        if let ExprKind::Variable(ns) = &member.base.kind
            && self.local(&ns.name).is_none()
            && let Some(exports) = self.symbols.namespace(&ns.name)
        {
            return match exports.variables.get(name) {
                Some(variable) => Ok(format!("variables({})", quote(variable))),
                None => Err(exports.why_unknown(name)),
            };
        }
        if let Some(printed) = self.symbol_member(&member.base, name) {
            return printed;
        }
        let base = self.print(&member.base)?;
        if member.safe {
            return call("tryGet", &[base, quote(name)]);
        }
        bounded(format!("{base}.{name}"))
    }

    /// `acr.id`, `acr[0].name`, `acr.properties`, `mod.outputs.x`: members of a resource or
    /// module symbol, as the compiler prints them; `None` when the base is no such symbol.
    fn symbol_member(&mut self, base: &Expr, name: &str) -> Option<Printed> {
        // `mod.outputs.x` reads the output's `value`.
        if let ExprKind::Member(inner) = &base.kind
            && inner.name.name == "outputs"
            && let Some((module, index)) = self.module_target(&inner.base)
        {
            let index = match index.map(|i| self.print(i)).transpose() {
                Ok(index) => index,
                Err(reason) => return Some(Err(reason)),
            };
            let reference = module_reference(&module, index.as_deref());
            return Some(bounded(format!("{reference}.outputs.{name}.value")));
        }
        if let Some((module, index)) = self.module_target(base) {
            let index = match index.map(|i| self.print(i)).transpose() {
                Ok(index) => index,
                Err(reason) => return Some(Err(reason)),
            };
            return Some(match name {
                "name" => self.module_name(&module, index.as_deref()),
                _ => bounded(format!(
                    "{}.{name}",
                    module_reference(&module, index.as_deref())
                )),
            });
        }
        let (resource, index) = self.resource_target(base)?;
        let index = match index.map(|i| self.print(i)).transpose() {
            Ok(index) => index,
            Err(reason) => return Some(Err(reason)),
        };
        let index = index.as_deref();
        Some(match name {
            "id" => self.resource_id(&resource, index),
            "name" => self.resource_name(&resource, index),
            "type" => Ok(quote(&resource.full_type)),
            "apiVersion" => Ok(quote(&resource.api_version)),
            "properties" => Ok(resource_reference(&resource, index, false)),
            _ => bounded(format!(
                "{}.{name}",
                resource_reference(&resource, index, true)
            )),
        })
    }

    /// The resource a base expression names (`acr`, `acr[i]`), with the index of the instance.
    pub fn resource_target<'e>(
        &self,
        base: &'e Expr,
    ) -> Option<(std::rc::Rc<ResourceSymbol>, Option<&'e Expr>)> {
        match &base.kind {
            ExprKind::Index(index) if !index.from_end => {
                let symbol = self.resource_path(&index.base)?;
                Some((self.symbols.resource(&symbol)?, Some(&index.index)))
            }
            ExprKind::NonNull(inner) | ExprKind::Paren(inner) => self.resource_target(inner),
            _ => Some((self.symbols.resource(&self.resource_path(base)?)?, None)),
        }
    }

    /// The symbolic name an expression names a resource by: `acr`, `acr::hook`.
    fn resource_path(&self, expr: &Expr) -> Option<String> {
        match &expr.kind {
            ExprKind::Variable(ident) if self.local(&ident.name).is_none() => {
                Some(ident.name.clone())
            }
            ExprKind::ResourceAccess(access) => {
                let parent = self.resource_path(&access.base)?;
                Some(format!("{parent}::{}", access.name.name))
            }
            _ => None,
        }
    }

    fn module_target<'e>(
        &self,
        base: &'e Expr,
    ) -> Option<(std::rc::Rc<ModuleSymbol>, Option<&'e Expr>)> {
        match &base.kind {
            ExprKind::Variable(ident) if self.local(&ident.name).is_none() => {
                Some((self.symbols.module(&ident.name)?, None))
            }
            ExprKind::Index(index) => match &index.base.kind {
                ExprKind::Variable(ident) if self.local(&ident.name).is_none() => {
                    Some((self.symbols.module(&ident.name)?, Some(&index.index)))
                }
                _ => None,
            },
            ExprKind::NonNull(inner) | ExprKind::Paren(inner) => self.module_target(inner),
            _ => None,
        }
    }

    fn print_index(&mut self, index: &IndexExpr) -> Printed {
        if !index.from_end
            && let Some(symbol) = self.resource_path(&index.base)
            && let Some(resource) = self.symbols.resource(&symbol)
        {
            let at = self.print(&index.index)?;
            return self.resource_id(&resource, Some(&at));
        }
        let base = self.print(&index.base)?;
        let at = self.print(&index.index)?;
        let at = if index.from_end {
            call("sub", &[call("length", std::slice::from_ref(&base))?, at])?
        } else {
            at
        };
        if index.safe {
            return call("tryGet", &[base, at]);
        }
        bounded(format!("{base}[{at}]"))
    }

    /// Whether a call is one of the Bicep library's functions (written plain or as `sys.` or
    /// `az.`, names a declaration may take), not a user-defined or imported function.
    pub fn calls_library(&self, called: &CallExpr) -> bool {
        let name = called.name.name.as_str();
        match called.base.as_ref().map(|b| &b.kind) {
            None => {
                self.symbols.function(name).is_none()
                    && (self.local(name).is_some() || !self.symbols.is_unknown_import(name))
            }
            Some(ExprKind::Variable(ns)) => {
                (ns.name == "az" || ns.name == "sys")
                    && self.local(&ns.name).is_none()
                    && self.symbols.resource(&ns.name).is_none()
            }
            Some(_) => false,
        }
    }

    fn print_call(&mut self, called: &CallExpr) -> Printed {
        let name = called.name.name.as_str();
        if self.calls_library(called) {
            return self.print_function(name, &called.args);
        }
        let Some(base) = &called.base else {
            if let Some(function) = self.symbols.function(name).map(str::to_string) {
                let args = self.print_args(&called.args)?;
                return call(&function, &args);
            }
            return Err(self.symbols.why_unknown(name));
        };
        if let Some((resource, index)) = self.resource_target(base) {
            let index = index.map(|i| self.print(i)).transpose()?;
            return self.resource_function(&resource, index.as_deref(), name, &called.args);
        }
        if let ExprKind::Variable(ns) = &base.kind
            && self.local(&ns.name).is_none()
        {
            let function = self.symbols.namespace(&ns.name).map(|exports| {
                exports
                    .functions
                    .get(name)
                    .cloned()
                    .ok_or_else(|| exports.why_unknown(name))
            });
            return match function {
                Some(Ok(function)) => {
                    let args = self.print_args(&called.args)?;
                    call(&function, &args)
                }
                Some(Err(reason)) => Err(reason),
                None => Err(self.symbols.why_unknown(&ns.name)),
            };
        }
        Err(format!("`{name}()` called on a value is not evaluated"))
    }

    fn print_args(&mut self, args: &[Expr]) -> Result<Vec<String>, Unresolved> {
        args.iter().map(|a| self.print(a)).collect()
    }

    /// `acr.listCredentials()`, `acr.listKeys()`: list functions of a resource.
    fn resource_function(
        &mut self,
        resource: &ResourceSymbol,
        index: Option<&str>,
        name: &str,
        args: &[Expr],
    ) -> Printed {
        if !name.to_ascii_lowercase().starts_with("list") {
            return Err(format!(
                "`{name}()` of a resource is only known at deployment"
            ));
        }
        let id = self.resource_id(resource, index)?;
        let mut all = vec![id, quote(&resource.api_version)];
        all.extend(self.print_args(args)?);
        call(name, &all)
    }

    /// A function of the Bicep library: most are ARM functions of the same name; the file
    /// loading functions are read now, and `any()` is its argument.
    fn print_function(&mut self, name: &str, args: &[Expr]) -> Printed {
        match name {
            "any" => match args {
                [value] => self.print(value),
                _ => Err("`any()` takes one argument".into()),
            },
            "loadTextContent" | "loadJsonContent" | "loadYamlContent" | "loadFileAsBase64" => {
                self.load_function(name, args)
            }
            "loadDirectoryFileInfo" => self.load_directory(args),
            "readEnvironmentVariable" => self.environment_variable(args),
            "getSecret" => Err("a Key Vault secret is only known at deployment".into()),
            "externalInput" => Err("an external input is only known at deployment".into()),
            "map" | "filter" | "reduce" | "sort" | "toObject" | "groupBy" | "mapValues" => {
                self.print_lambda_call(name, args)
            }
            _ => {
                let args = self.print_args(args)?;
                call(name, &args)
            }
        }
    }

    /// A function taking lambdas: each `x => body` becomes `lambda('x', body)` with `x` read
    /// through `lambdaVariables('x')`.
    fn print_lambda_call(&mut self, name: &str, args: &[Expr]) -> Printed {
        let mut printed = Vec::with_capacity(args.len());
        for arg in args {
            match &arg.kind {
                ExprKind::Lambda(lambda) => printed.push(self.print_lambda(lambda)?),
                _ => printed.push(self.print(arg)?),
            }
        }
        call(name, &printed)
    }

    fn print_lambda(&mut self, lambda: &LambdaExpr) -> Printed {
        let mut args = Vec::new();
        let mark = self.locals.len();
        for param in &lambda.params {
            let name = &param.name.name;
            args.push(quote(name));
            self.locals.push((
                name.clone(),
                Ok(format!("lambdaVariables({})", quote(name))),
            ));
        }
        let body = self.print(&lambda.body);
        self.locals.truncate(mark);
        args.push(body?);
        call("lambda", &args)
    }

    /// A `[for ...]` inside an expression: `map()` over the source (after `filter()` when the
    /// loop has a condition).
    fn print_for(&mut self, looped: &ForExpr) -> Printed {
        let source = self.print(&looped.source)?;
        let (condition, body) = match &looped.body.kind {
            ExprKind::If(filtered) => (Some(&filtered.condition), &filtered.body),
            _ => (None, &looped.body),
        };
        let mark = self.locals.len();
        let item = looped.item.name.clone();
        self.locals.push((
            item.clone(),
            Ok(format!("lambdaVariables({})", quote(&item))),
        ));
        let index = looped.index.as_ref().map(|i| i.name.clone());
        if let Some(index) = &index {
            self.locals.push((
                index.clone(),
                Ok(format!("lambdaVariables({})", quote(index))),
            ));
        }
        let mut params = vec![quote(&item)];
        params.extend(index.iter().map(|i| quote(i)));
        let filtered = condition.map(|c| self.print(c)).transpose();
        let mapped = self.print(body);
        self.locals.truncate(mark);
        let source = match filtered? {
            Some(condition) => {
                let mut lambda = params.clone();
                lambda.push(condition);
                call("filter", &[source, call("lambda", &lambda)?])?
            }
            None => source,
        };
        params.push(mapped?);
        call("map", &[source, call("lambda", &params)?])
    }

    /// The resource id the compiler prints for `acr.id`: `resourceId(type, name segments)`, or
    /// `extensionResourceId(scope, type, name)` for a resource with a resource as `scope`.
    pub fn resource_id(&mut self, resource: &ResourceSymbol, index: Option<&str>) -> Printed {
        let segments = self.name_segments(resource, index)?;
        let mut args = vec![quote(&resource.full_type)];
        args.extend(segments);
        if let Some(scope) = &resource.scope {
            let scope_id = self.resource_id(scope, None)?;
            let mut all = vec![scope_id];
            all.extend(args);
            return call("extensionResourceId", &all);
        }
        let function = match self.symbols.scope() {
            super::symbols::TargetScope::ResourceGroup => "resourceId",
            super::symbols::TargetScope::Subscription => "subscriptionResourceId",
            super::symbols::TargetScope::Other => "tenantResourceId",
        };
        call(function, &args)
    }

    /// The resource's `name` as the compiler prints it: the last segment alone for a top-level
    /// resource, `format('{0}/{1}', parent, child)` for a child.
    pub fn resource_name(&mut self, resource: &ResourceSymbol, index: Option<&str>) -> Printed {
        let segments = self.name_segments(resource, index)?;
        match segments.as_slice() {
            [only] => Ok(only.clone()),
            _ => {
                let pattern: Vec<String> =
                    (0..segments.len()).map(|i| format!("{{{i}}}")).collect();
                let mut all = vec![quote(&pattern.join("/"))];
                all.extend(segments);
                call("format", &all)
            }
        }
    }

    /// The name of each resource from the top-level ancestor down, each printed with its own
    /// loop bound to `index` (the given instance, or the current copy for the resource itself).
    fn name_segments(
        &mut self,
        resource: &ResourceSymbol,
        index: Option<&str>,
    ) -> Result<Vec<String>, Unresolved> {
        let mut segments = match &resource.parent {
            Some(parent) => self.name_segments(parent, None)?,
            None => Vec::new(),
        };
        let Some(name) = resource.name.clone() else {
            return Err(format!("resource `{}` has no name", resource.symbol));
        };
        let own = self.with_loop(resource.looped.as_ref(), index, |lowerer| {
            lowerer.print(&name)
        })?;
        segments.push(own);
        Ok(segments)
    }

    fn module_name(&mut self, module: &ModuleSymbol, index: Option<&str>) -> Printed {
        let Some(name) = module.name.clone() else {
            return Ok(quote(&module.symbol));
        };
        self.with_loop(module.looped.as_ref(), index, |lowerer| {
            lowerer.print(&name)
        })
    }

    /// Runs `f` with a loop's item and index bound to the instance `index`, or to the current
    /// copy (`copyIndex()`) when none is given.
    pub fn with_loop<R>(
        &mut self,
        looped: Option<&LoopHead>,
        index: Option<&str>,
        f: impl FnOnce(&mut Self) -> R,
    ) -> R {
        let mark = self.locals.len();
        if let Some(looped) = looped {
            let at = index.map_or_else(|| "copyIndex()".to_string(), str::to_string);
            self.bind_loop(looped, &at);
        }
        let result = f(self);
        self.locals.truncate(mark);
        result
    }

    /// Binds a loop's item to `source[at]` and its index to `at`.
    pub fn bind_loop(&mut self, looped: &LoopHead, at: &str) {
        let item = self
            .print(&looped.source)
            .and_then(|source| bounded(format!("{source}[{at}]")));
        self.locals.push((looped.item.clone(), item));
        if let Some(index) = &looped.index {
            self.locals.push((index.clone(), Ok(at.to_string())));
        }
    }
}

fn resource_reference(resource: &ResourceSymbol, index: Option<&str>, full: bool) -> String {
    let symbol = match index {
        Some(index) => format!(
            "format('{{0}}[{{1}}]', {}, {index})",
            quote(&resource.symbol)
        ),
        None => quote(&resource.symbol),
    };
    if full {
        format!(
            "reference({symbol}, {}, 'full')",
            quote(&resource.api_version)
        )
    } else {
        format!("reference({symbol})")
    }
}

fn module_reference(module: &ModuleSymbol, index: Option<&str>) -> String {
    match index {
        Some(index) => format!(
            "reference(format('{{0}}[{{1}}]', {}, {index}))",
            quote(&module.symbol)
        ),
        None => format!("reference({})", quote(&module.symbol)),
    }
}

fn print_binary(op: BinaryOp, left: String, right: String) -> Printed {
    let lower = |text: String| format!("toLower({text})");
    match op {
        BinaryOp::Coalesce => call("coalesce", &[left, right]),
        BinaryOp::Or => call("or", &[left, right]),
        BinaryOp::And => call("and", &[left, right]),
        BinaryOp::Equals => call("equals", &[left, right]),
        BinaryOp::NotEquals => call("not", &[call("equals", &[left, right])?]),
        BinaryOp::EqualsInsensitive => call("equals", &[lower(left), lower(right)]),
        BinaryOp::NotEqualsInsensitive => {
            call("not", &[call("equals", &[lower(left), lower(right)])?])
        }
        BinaryOp::Less => call("less", &[left, right]),
        BinaryOp::LessOrEqual => call("lessOrEquals", &[left, right]),
        BinaryOp::Greater => call("greater", &[left, right]),
        BinaryOp::GreaterOrEqual => call("greaterOrEquals", &[left, right]),
        BinaryOp::Add => call("add", &[left, right]),
        BinaryOp::Subtract => call("sub", &[left, right]),
        BinaryOp::Multiply => call("mul", &[left, right]),
        BinaryOp::Divide => call("div", &[left, right]),
        BinaryOp::Modulo => call("mod", &[left, right]),
    }
}

#[cfg(test)]
mod tests {
    use super::{MAX_EXPRESSION_BYTES, TOO_LARGE, call, quote};

    #[test]
    fn quotes_double_single_quotes() {
        assert_eq!(quote("it's"), "'it''s'");
        assert_eq!(quote(""), "''");
        assert_eq!(quote("'"), "''''");
        assert_eq!(quote("''a'"), "'''''a'''");
        assert_eq!(quote("plain"), "'plain'");
    }

    #[test]
    fn calls_join_their_arguments_with_commas() {
        let args = |list: &[&str]| list.iter().map(|a| a.to_string()).collect::<Vec<_>>();
        assert_eq!(call("utcNow", &[]), Ok("utcNow()".to_string()));
        assert_eq!(call("not", &args(&["x"])), Ok("not(x)".to_string()));
        assert_eq!(
            call("if", &args(&["a", "'b'", "c()"])),
            Ok("if(a, 'b', c())".to_string())
        );
    }

    #[test]
    fn calls_longer_than_an_expression_may_be_are_refused() {
        // `f(` + the arguments + `, ` + `)`: exactly the limit, then one byte over it.
        let first = "a".repeat(MAX_EXPRESSION_BYTES - 6);
        let fits = call("f", &[first.clone(), "b".to_string()]).expect("at the limit");
        assert_eq!(fits.len(), MAX_EXPRESSION_BYTES);
        let over = call("f", &[first, "bc".to_string()]);
        assert_eq!(over, Err(TOO_LARGE.to_string()));
    }
}
