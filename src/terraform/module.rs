//! One Terraform module (a directory): variables with their values, locals, and references
//! between resources, evaluated lazily with memoisation and cycle detection.

use std::cell::RefCell;
use std::collections::HashMap;

use hcl_edit::Span as _;
use hcl_edit::expr::Expression;
use hcl_edit::structure::{Block, Body};

use super::eval::{self, PathStep, Scope, TfValue};
use super::expr::Evaluate;
use super::span_of;
use crate::source::{FileId, Span};

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
}

/// How deep references between resources and locals may chain.
const MAX_REFERENCE_DEPTH: usize = 32;

pub struct ModuleScope<'a> {
    variables: HashMap<String, Variable>,
    locals: HashMap<String, &'a Expression>,
    resources: HashMap<(String, String), &'a Block>,
    cache: RefCell<HashMap<String, TfValue>>,
    stack: RefCell<Vec<String>>,
}

struct Variable {
    value: Option<TfValue>,
    origin: Option<(Span, String)>,
}

impl<'a> ModuleScope<'a> {
    /// The scope of the module's files; `given` values override defaults, later ones win.
    pub fn new(files: &[ModuleFile<'a>], given: &HashMap<String, GivenValue>) -> Self {
        let mut scope = ModuleScope {
            variables: HashMap::new(),
            locals: HashMap::new(),
            resources: HashMap::new(),
            cache: RefCell::new(HashMap::new()),
            stack: RefCell::new(Vec::new()),
        };
        for file in files {
            scope.collect(file);
        }
        for (name, given) in given {
            if let Some(variable) = scope.variables.get_mut(name) {
                variable.value = Some(given.value.clone());
                variable.origin = given
                    .span
                    .map(|span| (span, format!("variable `{name}` (set in {})", given.source)));
            }
        }
        scope
    }

    fn collect(&mut self, file: &ModuleFile<'a>) {
        for block in file.body.blocks() {
            match (block.ident.as_str(), block.labels.as_slice()) {
                ("variable", [name]) => {
                    let default = block.body.get_attribute("default");
                    let value = default.map(|a| eval::evaluate(&a.value, &Empty));
                    let origin = default.map(|a| {
                        let span = span_of(a.value.span(), file.file, a.span());
                        (span, format!("the default of variable `{}`", name.as_str()))
                    });
                    self.variables
                        .insert(name.as_str().to_string(), Variable { value, origin });
                }
                ("locals", []) => {
                    for attribute in block.body.attributes() {
                        self.locals
                            .insert(attribute.key.as_str().to_string(), &attribute.value);
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
        let value = compute();
        self.stack.borrow_mut().pop();
        self.cache.borrow_mut().insert(key, value.clone());
        value
    }

    fn resource_attribute(&self, kind: &str, path: &[PathStep]) -> Option<TfValue> {
        let mut steps = path.iter();
        let Some(PathStep::Attr(name)) = steps.next() else {
            return None;
        };
        let block = self.resources.get(&(kind.to_string(), name.clone()))?;
        let mut rest = steps.skip_while(|s| matches!(s, PathStep::Index(_)));
        let Some(PathStep::Attr(attribute)) = rest.next() else {
            return None;
        };
        let expr = &block.body.get_attribute(attribute)?.value;
        let key = format!("{kind}.{name}.{attribute}");
        let value = self.memoized(key, || eval::evaluate(expr, self));
        let remaining: Vec<PathStep> = rest.cloned().collect();
        if remaining.is_empty() {
            Some(value)
        } else {
            value.at_path(&remaining).cloned()
        }
    }

    /// Whether `count` or `for_each` makes a resource block create nothing.
    pub fn creates_nothing(&self, block: &Block) -> bool {
        let count = block
            .body
            .get_attribute("count")
            .map(|a| eval::evaluate(&a.value, self));
        if matches!(count, Some(TfValue::Number(n)) if n == 0.0) {
            return true;
        }
        let each = block
            .body
            .get_attribute("for_each")
            .map(|a| eval::evaluate(&a.value, self));
        matches!(each, Some(TfValue::List(ref items)) if items.is_empty())
            || matches!(each, Some(TfValue::Object(ref members)) if members.is_empty())
    }
}

impl Scope for ModuleScope<'_> {
    fn variable(&self, name: &str) -> Option<TfValue> {
        let variable = self.variables.get(name)?;
        Some(
            variable
                .value
                .clone()
                .unwrap_or_else(|| TfValue::Unknown(format!("variable `{name}` has no value"))),
        )
    }

    fn local(&self, name: &str) -> Option<TfValue> {
        let expr = *self.locals.get(name)?;
        Some(self.memoized(format!("local.{name}"), || eval::evaluate(expr, self)))
    }

    fn reference(&self, root: &str, path: &[PathStep]) -> Option<TfValue> {
        match root {
            "data" | "module" | "count" | "each" | "self" | "path" | "terraform" => None,
            kind => self.resource_attribute(kind, path),
        }
    }
}

impl Evaluate for ModuleScope<'_> {
    fn evaluate(&self, expr: &Expression) -> TfValue {
        eval::evaluate(expr, self)
    }

    fn variable_origin(&self, name: &str) -> Option<(Span, String)> {
        self.variables.get(name)?.origin.clone()
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
            };
            (attribute.key.as_str().to_string(), given)
        })
        .collect()
}
