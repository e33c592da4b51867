//! Terraform expressions evaluated the way Terraform evaluates them: offline, deterministic,
//! bounded and never panicking.
//!
//! A value that cannot be known before `terraform apply`, or that this evaluator does not model,
//! is [`TfValue::Unknown`] with a reason naming what is missing. An expression Terraform would
//! reject is also `Unknown` through [`evaluate`]; [`try_evaluate`] tells the two apart.
//! Variables, locals and references are asked of the caller's [`Scope`].

use std::collections::{HashMap, HashSet};
use std::fmt;

use hcl_edit::Decorated;
use hcl_edit::expr::{
    Array, BinaryOp, BinaryOperator, Conditional, Expression, ForExpr, FuncCall, Object, ObjectKey,
    Traversal, TraversalOperator, UnaryOp, UnaryOperator,
};
use hcl_edit::template::{Directive, Element, ForDirective, IfDirective, Template};

/// Expression nesting allowed below one top-level expression.
const MAX_DEPTH: usize = 128;
/// Nesting allowed in a value (from the scope or built by functions).
const MAX_VALUE_DEPTH: usize = 256;
/// Evaluation steps (expression nodes, iterations, template parts) per top-level call.
const MAX_STEPS: usize = 1_000_000;
/// Longest string, in bytes.
const MAX_STRING_BYTES: usize = 1 << 20;
/// Most items of a list or object.
const MAX_ITEMS: usize = 100_000;
/// Most items `range` produces (Terraform's own limit).
const MAX_RANGE: usize = 1024;
/// Data copied into one evaluation (roughly bytes), so memory stays bounded.
const MAX_WEIGHT: usize = 64 << 20;
/// The weight of one value node besides its text.
const NODE_WEIGHT: usize = 16;

const NESTED_TOO_DEEPLY: &str = "expression nested too deeply";
const TOO_LARGE: &str = "value too large";
const TOO_MANY_STEPS: &str = "evaluation takes too many steps";

/// A Terraform value. Objects keep key order; `Unknown` carries why (names the missing input).
#[derive(Debug, Clone, PartialEq)]
pub enum TfValue {
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    List(Vec<TfValue>),
    Object(Vec<(String, TfValue)>),
    Unknown(String),
}

impl TfValue {
    /// The reason of the first unknown part (depth first), if any part is unknown.
    pub fn unknown_reason(&self) -> Option<&str> {
        let mut pending = vec![self];
        while let Some(value) = pending.pop() {
            match value {
                TfValue::Unknown(reason) => return Some(reason),
                TfValue::List(items) => pending.extend(items.iter().rev()),
                TfValue::Object(entries) => pending.extend(entries.iter().rev().map(|(_, v)| v)),
                _ => {}
            }
        }
        None
    }

    pub fn is_wholly_known(&self) -> bool {
        self.unknown_reason().is_none()
    }

    /// The value as a bool, converted the way Terraform does (`"true"` is `true`).
    pub fn as_bool(&self) -> Option<bool> {
        to_bool(self).ok()
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            TfValue::String(text) => Some(text),
            _ => None,
        }
    }

    /// The attribute `name` of an object.
    pub fn get(&self, name: &str) -> Option<&TfValue> {
        match self {
            TfValue::Object(entries) => find_entry(entries, name),
            _ => None,
        }
    }

    /// The value at `path` below this one; an unknown part on the way is returned as is.
    /// Lets a [`Scope`] resolve the rest of a reference on a value it holds.
    pub fn at_path(&self, path: &[PathStep]) -> Option<&TfValue> {
        let mut current = self;
        for step in path {
            current = match (current, step) {
                (TfValue::Unknown(_), _) => return Some(current),
                (TfValue::Object(entries), PathStep::Attr(key)) => find_entry(entries, key)?,
                (TfValue::Object(entries), PathStep::Index(key)) => {
                    find_entry(entries, &to_text(key).ok()?)?
                }
                (TfValue::List(items), PathStep::Index(index)) => {
                    items.get(to_index(index).ok()?)?
                }
                _ => return None,
            };
        }
        Some(current)
    }

    pub fn type_name(&self) -> &'static str {
        match self {
            TfValue::Null => "null",
            TfValue::Bool(_) => "bool",
            TfValue::Number(_) => "number",
            TfValue::String(_) => "string",
            TfValue::List(_) => "list",
            TfValue::Object(_) => "object",
            TfValue::Unknown(_) => "unknown value",
        }
    }
}

/// One step of a reference below its root: `.name` or `[index]`.
#[derive(Debug, Clone, PartialEq)]
pub enum PathStep {
    Attr(String),
    Index(TfValue),
}

/// What the evaluator asks its caller for, by reference root.
pub trait Scope {
    /// `var.NAME` (None => Unknown "variable `NAME` is not declared").
    fn variable(&self, name: &str) -> Option<TfValue>;
    /// `local.NAME` (None => Unknown "local value `NAME` is not declared").
    fn local(&self, name: &str) -> Option<TfValue>;
    /// Any other traversal root: resources (`azurerm_x.name.attr`), `data`, `module`, `each`,
    /// `count`, `path`, `terraform`, `self`. Receives the root and the evaluated path up to the
    /// first splat; None => Unknown. Iteration variables of `for` are handled by the evaluator.
    fn reference(&self, root: &str, path: &[PathStep]) -> Option<TfValue>;
}

/// Why [`try_evaluate`] could not produce a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// Terraform would reject the expression (wrong types, missing attribute, bad arguments).
    Invalid,
    /// The evaluator's bounds were reached (nesting, size, steps).
    Limit,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvalError {
    pub kind: ErrorKind,
    pub message: String,
}

impl fmt::Display for EvalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for EvalError {}

/// Evaluates `expr`; errors and bounds become `Unknown` with their reason.
pub fn evaluate(expr: &Expression, scope: &dyn Scope) -> TfValue {
    try_evaluate(expr, scope).unwrap_or_else(|error| TfValue::Unknown(error.message))
}

/// Evaluates `expr` with names bound besides the scope's, such as a `dynamic` block's iterator
/// (later bindings shadow earlier ones).
pub fn evaluate_with(
    expr: &Expression,
    scope: &dyn Scope,
    bindings: &[(String, TfValue)],
) -> TfValue {
    try_evaluate_with(expr, scope, bindings).unwrap_or_else(|error| TfValue::Unknown(error.message))
}

/// Evaluates `expr`, telling expressions Terraform would reject and reached bounds apart.
pub fn try_evaluate(expr: &Expression, scope: &dyn Scope) -> Result<TfValue, EvalError> {
    try_evaluate_with(expr, scope, &[])
}

fn try_evaluate_with(
    expr: &Expression,
    scope: &dyn Scope,
    bindings: &[(String, TfValue)],
) -> Result<TfValue, EvalError> {
    let mut evaluator = Evaluator {
        scope,
        bindings: bindings.to_vec(),
        depth: 0,
        steps: 0,
        weight: 0,
    };
    match evaluator.eval(expr) {
        Ok(value) => Ok(value),
        Err(Halt::Unknown(reason)) => Ok(TfValue::Unknown(reason)),
        Err(Halt::Invalid(message)) => Err(EvalError {
            kind: ErrorKind::Invalid,
            message,
        }),
        Err(Halt::Limit(message)) => Err(EvalError {
            kind: ErrorKind::Limit,
            message: message.to_string(),
        }),
    }
}

/// The traversal an expression refers to, without evaluating it: `azurerm_container_registry.acr.id`
/// gives `("azurerm_container_registry", [acr, id])`. Literal indexes are kept; the path stops at a
/// splat or a computed index. `"${x.y}"` and `(x.y)` refer to `x.y`.
pub fn reference_of(expr: &Expression) -> Option<(String, Vec<PathStep>)> {
    let mut expr = expr;
    loop {
        match expr {
            Expression::Parenthesis(inner) => expr = inner.inner(),
            Expression::StringTemplate(template) => match template.as_single_element() {
                Some(Element::Interpolation(interpolation)) => expr = &interpolation.expr,
                _ => return None,
            },
            Expression::Variable(name) => return Some((name.as_str().to_string(), Vec::new())),
            Expression::Traversal(traversal) => return static_reference(traversal),
            _ => return None,
        }
    }
}

fn static_reference(traversal: &Traversal) -> Option<(String, Vec<PathStep>)> {
    let Expression::Variable(root) = &traversal.expr else {
        return None;
    };
    let mut path = Vec::new();
    for operator in &traversal.operators {
        let step = match operator.value() {
            TraversalOperator::GetAttr(name) => PathStep::Attr(name.as_str().to_string()),
            TraversalOperator::LegacyIndex(index) => PathStep::Index(legacy_index(*index.value())),
            TraversalOperator::Index(Expression::String(key)) => {
                PathStep::Index(TfValue::String(key.value().clone()))
            }
            TraversalOperator::Index(Expression::Number(number)) => match number.value().as_f64() {
                Some(number) => PathStep::Index(TfValue::Number(number)),
                None => break,
            },
            _ => break,
        };
        path.push(step);
    }
    Some((root.as_str().to_string(), path))
}

// ---------------------------------------------------------------------------------------------
// The evaluator

/// Why evaluation of a part stopped. `Unknown` is turned back into a value at the nearest
/// expression, so operations on unknown values give unknown values.
#[derive(Debug)]
enum Halt {
    Unknown(String),
    Invalid(String),
    Limit(&'static str),
}

type Eval = Result<TfValue, Halt>;

fn invalid(message: impl Into<String>) -> Halt {
    Halt::Invalid(message.into())
}

struct Evaluator<'s> {
    scope: &'s dyn Scope,
    /// Iteration variables of enclosing `for` expressions and directives, innermost last.
    bindings: Vec<(String, TfValue)>,
    depth: usize,
    steps: usize,
    weight: usize,
}

impl Evaluator<'_> {
    fn eval(&mut self, expr: &Expression) -> Eval {
        match self
            .nested(|this| this.eval_node(expr))
            .and_then(check_size)
        {
            Err(Halt::Unknown(reason)) => Ok(TfValue::Unknown(reason)),
            other => other,
        }
    }

    /// Runs `f` one nesting level deeper, within the depth and step bounds.
    fn nested<T>(&mut self, f: impl FnOnce(&mut Self) -> Result<T, Halt>) -> Result<T, Halt> {
        if self.depth >= MAX_DEPTH {
            return Err(Halt::Limit(NESTED_TOO_DEEPLY));
        }
        self.step()?;
        self.depth += 1;
        let result = f(self);
        self.depth -= 1;
        result
    }

    fn step(&mut self) -> Result<(), Halt> {
        self.steps += 1;
        if self.steps > MAX_STEPS {
            return Err(Halt::Limit(TOO_MANY_STEPS));
        }
        Ok(())
    }

    /// Accounts for a value copied into the evaluation (from the scope, a binding, a function).
    fn charge(&mut self, value: &TfValue) -> Result<(), Halt> {
        let (weight, depth) = measure(value);
        if depth > MAX_VALUE_DEPTH {
            return Err(Halt::Limit(NESTED_TOO_DEEPLY));
        }
        self.weight = self.weight.saturating_add(weight);
        if self.weight > MAX_WEIGHT {
            return Err(Halt::Limit(TOO_LARGE));
        }
        Ok(())
    }

    fn eval_node(&mut self, expr: &Expression) -> Eval {
        match expr {
            Expression::Null(_) => Ok(TfValue::Null),
            Expression::Bool(value) => Ok(TfValue::Bool(*value.value())),
            Expression::Number(number) => number
                .value()
                .as_f64()
                .map(TfValue::Number)
                .ok_or_else(|| invalid("number literal out of range")),
            Expression::String(text) => Ok(TfValue::String(text.value().clone())),
            Expression::Array(array) => self.eval_array(array),
            Expression::Object(object) => self.eval_object(object),
            Expression::StringTemplate(template) => self.eval_template(template),
            Expression::HeredocTemplate(heredoc) => self.eval_template(&heredoc.template),
            Expression::Parenthesis(inner) => self.eval(inner.inner()),
            Expression::Variable(name) => self.eval_rooted(name.as_str(), &[]),
            Expression::Conditional(conditional) => self.eval_conditional(conditional),
            Expression::FuncCall(call) => self.eval_call(call),
            Expression::Traversal(traversal) => self.eval_traversal(traversal),
            Expression::UnaryOp(op) => self.eval_unary(op),
            Expression::BinaryOp(op) => self.eval_binary(op),
            Expression::ForExpr(for_expr) => self.eval_for(for_expr),
        }
    }

    fn eval_array(&mut self, array: &Array) -> Eval {
        let mut items = Vec::with_capacity(array.len());
        for item in array {
            items.push(self.eval(item)?);
        }
        Ok(TfValue::List(items))
    }

    fn eval_object(&mut self, object: &Object) -> Eval {
        let mut builder = ObjectBuilder::default();
        for (key, value) in object {
            let key = self.object_key(key)?;
            let value = self.eval(value.expr())?;
            builder.insert(key, value);
        }
        Ok(builder.finish())
    }

    fn object_key(&mut self, key: &ObjectKey) -> Result<String, Halt> {
        match key {
            ObjectKey::Ident(ident) => Ok(ident.as_str().to_string()),
            // A bare `null` key is the word, as in Terraform.
            ObjectKey::Expression(Expression::Null(_)) => Ok("null".to_string()),
            ObjectKey::Expression(expr) => match self.eval(expr)? {
                TfValue::Null => Err(invalid("an object key is null")),
                key => to_text(&key),
            },
        }
    }

    fn eval_conditional(&mut self, conditional: &Conditional) -> Eval {
        let condition = self.eval(&conditional.cond_expr)?;
        match to_bool(&condition) {
            Ok(true) => self.eval(&conditional.true_expr),
            Ok(false) => self.eval(&conditional.false_expr),
            Err(Halt::Unknown(reason)) => {
                let when_true = self.eval(&conditional.true_expr);
                let when_false = self.eval(&conditional.false_expr);
                match (when_true, when_false) {
                    (Err(Halt::Limit(limit)), _) | (_, Err(Halt::Limit(limit))) => {
                        Err(Halt::Limit(limit))
                    }
                    (Ok(a), Ok(b))
                        if a.is_wholly_known() && matches!(values_equal(&a, &b), Ok(true)) =>
                    {
                        Ok(a)
                    }
                    _ => Err(Halt::Unknown(reason)),
                }
            }
            Err(other) => Err(other),
        }
    }

    fn eval_unary(&mut self, op: &UnaryOp) -> Eval {
        let value = self.eval(&op.expr)?;
        match op.operator.value() {
            UnaryOperator::Not => Ok(TfValue::Bool(!to_bool(&value)?)),
            UnaryOperator::Neg => finite(-to_number(&value)?),
        }
    }

    fn eval_binary(&mut self, op: &BinaryOp) -> Eval {
        use BinaryOperator as Op;
        let operator = *op.operator.value();
        if let Op::And | Op::Or = operator {
            return self.eval_logical(operator == Op::Or, &op.lhs_expr, &op.rhs_expr);
        }
        let lhs = self.eval(&op.lhs_expr)?;
        let rhs = self.eval(&op.rhs_expr)?;
        match operator {
            Op::Eq => Ok(TfValue::Bool(values_equal(&lhs, &rhs)?)),
            Op::NotEq => Ok(TfValue::Bool(!values_equal(&lhs, &rhs)?)),
            _ => arithmetic(operator, to_number(&lhs)?, to_number(&rhs)?),
        }
    }

    /// `&&` (decisive `false`) and `||` (decisive `true`): a known decisive operand decides,
    /// whatever the other one is; the right operand is not evaluated when the left one decides.
    fn eval_logical(&mut self, decisive: bool, lhs: &Expression, rhs: &Expression) -> Eval {
        let left = self.eval(lhs)?;
        let unknown_left = match to_bool(&left) {
            Ok(value) if value == decisive => return Ok(TfValue::Bool(value)),
            Ok(_) => None,
            Err(Halt::Unknown(reason)) => Some(reason),
            Err(other) => return Err(other),
        };
        let right = self.eval(rhs)?;
        match (to_bool(&right), unknown_left) {
            (Ok(value), _) if value == decisive => Ok(TfValue::Bool(value)),
            (Ok(_) | Err(Halt::Unknown(_)), Some(reason)) => Err(Halt::Unknown(reason)),
            (Ok(value), None) => Ok(TfValue::Bool(value)),
            (Err(other), _) => Err(other),
        }
    }

    // --- references and traversals

    fn eval_traversal(&mut self, traversal: &Traversal) -> Eval {
        let operators: Vec<&TraversalOperator> =
            traversal.operators.iter().map(Decorated::value).collect();
        match &traversal.expr {
            Expression::Variable(root) => self.eval_rooted(root.as_str(), &operators),
            base => {
                let value = self.eval(base)?;
                self.apply_operators(value, &operators)
            }
        }
    }

    /// A traversal from a name: an iteration variable, `var`, `local`, or a scope reference.
    fn eval_rooted(&mut self, root: &str, operators: &[&TraversalOperator]) -> Eval {
        if let Some(value) = self.binding(root) {
            self.charge(&value)?;
            return self.apply_operators(value, operators);
        }
        if root == "var" || root == "local" {
            return self.eval_named_value(root, operators);
        }
        let (path, rest) = self.reference_path(operators)?;
        let value = self.scope.reference(root, &path).unwrap_or_else(|| {
            TfValue::Unknown(format!("`{}` has no known value", describe(root, &path)))
        });
        self.charge(&value)?;
        self.apply_operators(value, rest)
    }

    fn binding(&self, name: &str) -> Option<TfValue> {
        let (_, value) = self
            .bindings
            .iter()
            .rev()
            .find(|(bound, _)| bound == name)?;
        Some(value.clone())
    }

    /// `var.NAME...` and `local.NAME...`.
    fn eval_named_value(&mut self, root: &str, operators: &[&TraversalOperator]) -> Eval {
        let Some((TraversalOperator::GetAttr(name), rest)) = operators.split_first() else {
            return Err(invalid(format!("`{root}` must be followed by `.NAME`")));
        };
        let name = name.as_str();
        let value = if root == "var" {
            self.scope
                .variable(name)
                .unwrap_or_else(|| TfValue::Unknown(format!("variable `{name}` is not declared")))
        } else {
            self.scope.local(name).unwrap_or_else(|| {
                TfValue::Unknown(format!("local value `{name}` is not declared"))
            })
        };
        self.charge(&value)?;
        self.apply_operators(value, rest)
    }

    /// The evaluated path up to the first splat, and the operators after it.
    fn reference_path<'o, 'e>(
        &mut self,
        operators: &'o [&'e TraversalOperator],
    ) -> Result<(Vec<PathStep>, &'o [&'e TraversalOperator]), Halt> {
        let mut path = Vec::new();
        let mut rest = operators;
        while let Some((operator, tail)) = rest.split_first() {
            let step = match operator {
                TraversalOperator::GetAttr(name) => PathStep::Attr(name.as_str().to_string()),
                TraversalOperator::LegacyIndex(index) => {
                    PathStep::Index(legacy_index(*index.value()))
                }
                TraversalOperator::Index(expr) => match self.eval(expr)? {
                    TfValue::Unknown(reason) => return Err(Halt::Unknown(reason)),
                    key => PathStep::Index(key),
                },
                TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_) => break,
            };
            path.push(step);
            rest = tail;
        }
        Ok((path, rest))
    }

    fn apply_operators(&mut self, value: TfValue, operators: &[&TraversalOperator]) -> Eval {
        let mut value = value;
        let mut rest = operators;
        while let Some((operator, tail)) = rest.split_first() {
            self.step()?;
            rest = tail;
            value = match operator {
                TraversalOperator::FullSplat(_) => return self.splat(value, tail),
                TraversalOperator::AttrSplat(_) => {
                    let attributes = tail
                        .iter()
                        .take_while(|op| matches!(op, TraversalOperator::GetAttr(_)))
                        .count();
                    let (inner, after) = tail.split_at_checked(attributes).unwrap_or((tail, &[]));
                    rest = after;
                    self.splat(value, inner)?
                }
                TraversalOperator::GetAttr(name) => get_attr(value, name.as_str())?,
                TraversalOperator::Index(expr) => {
                    let key = self.eval(expr)?;
                    get_index(value, &key)?
                }
                TraversalOperator::LegacyIndex(index) => {
                    get_index(value, &legacy_index(*index.value()))?
                }
            };
        }
        Ok(value)
    }

    /// `[*]` and `.*`: applies `operators` to each item; null is an empty list, a single value a
    /// list of one.
    fn splat(&mut self, value: TfValue, operators: &[&TraversalOperator]) -> Eval {
        let items = match value {
            TfValue::Unknown(reason) => return Err(Halt::Unknown(reason)),
            TfValue::Null => return Ok(TfValue::List(Vec::new())),
            TfValue::List(items) => items,
            single => vec![single],
        };
        self.nested(|this| {
            let mut results = Vec::with_capacity(items.len());
            for item in items {
                match this.apply_operators(item, operators) {
                    Ok(result) => results.push(result),
                    Err(Halt::Unknown(reason)) => results.push(TfValue::Unknown(reason)),
                    Err(other) => return Err(other),
                }
            }
            Ok(TfValue::List(results))
        })
    }

    // --- for expressions

    fn eval_for(&mut self, for_expr: &ForExpr) -> Eval {
        let collection = self.eval(&for_expr.intro.collection_expr)?;
        let entries = iteration_entries(collection)?;
        let key_var = for_expr.intro.key_var.as_ref().map(|var| var.as_str());
        let value_var = for_expr.intro.value_var.as_str();
        let mut list = Vec::new();
        let mut object = ObjectBuilder::default();
        for (key, value) in entries {
            self.step()?;
            let item = self.with_bindings(key_var, key, value_var, value, |this| {
                this.for_item(for_expr)
            })?;
            match item {
                None => {}
                Some((None, value)) => list.push(value),
                Some((Some(key), value)) => {
                    object.insert_for_item(key, value, for_expr.grouping)?;
                }
            }
        }
        if for_expr.key_expr.is_some() {
            Ok(object.finish())
        } else {
            Ok(TfValue::List(list))
        }
    }

    /// One iteration: None when the `if` filters it out, else the key (object form) and value.
    fn for_item(&mut self, for_expr: &ForExpr) -> Result<Option<(Option<String>, TfValue)>, Halt> {
        if let Some(cond) = &for_expr.cond {
            let keep = self.eval(&cond.expr)?;
            if !to_bool(&keep)? {
                return Ok(None);
            }
        }
        let key = match &for_expr.key_expr {
            Some(key_expr) => match self.eval(key_expr)? {
                TfValue::Null => return Err(invalid("a `for` expression produced a null key")),
                key => Some(to_text(&key)?),
            },
            None => None,
        };
        let value = self.eval(&for_expr.value_expr)?;
        Ok(Some((key, value)))
    }

    /// Runs `f` with the iteration variables bound, shadowing outer names; unbinds afterwards.
    fn with_bindings<T>(
        &mut self,
        key_var: Option<&str>,
        key: TfValue,
        value_var: &str,
        value: TfValue,
        f: impl FnOnce(&mut Self) -> T,
    ) -> T {
        let mark = self.bindings.len();
        if let Some(key_var) = key_var {
            self.bindings.push((key_var.to_string(), key));
        }
        self.bindings.push((value_var.to_string(), value));
        let result = f(self);
        self.bindings.truncate(mark);
        result
    }

    // --- templates

    fn eval_template(&mut self, template: &Template) -> Eval {
        // `"${x}"` is `x` itself, not its string form.
        if let Some(Element::Interpolation(interpolation)) = template.as_single_element() {
            return self.eval(&interpolation.expr);
        }
        let mut out = String::new();
        self.render(template, false, false, &mut out)?;
        let rendered = TfValue::String(out);
        self.charge(&rendered)?;
        Ok(rendered)
    }

    /// Renders `template` into `out`; `strip_first`/`strip_last` trim whitespace at its edges
    /// (the `~` of the enclosing directive). An unknown part makes the whole template unknown.
    fn render(
        &mut self,
        template: &Template,
        strip_first: bool,
        strip_last: bool,
        out: &mut String,
    ) -> Result<(), Halt> {
        self.nested(|this| {
            let elements: Vec<&Element> = template.iter().collect();
            for (position, element) in elements.iter().enumerate() {
                this.step()?;
                match element {
                    Element::Literal(literal) => {
                        let edges = (strip_first, strip_last);
                        let text = trimmed_literal(literal.value(), &elements, position, edges);
                        push_bounded(out, text)?;
                    }
                    Element::Interpolation(interpolation) => {
                        match this.eval(&interpolation.expr)? {
                            TfValue::Null => {
                                return Err(invalid("a template interpolates a null value"));
                            }
                            value => push_bounded(out, &to_text(&value)?)?,
                        }
                    }
                    Element::Directive(directive) => match directive.as_ref() {
                        Directive::If(if_directive) => this.render_if(if_directive, out)?,
                        Directive::For(for_directive) => this.render_for(for_directive, out)?,
                    },
                }
            }
            Ok(())
        })
    }

    fn render_if(&mut self, directive: &IfDirective, out: &mut String) -> Result<(), Halt> {
        let if_expr = &directive.if_expr;
        let condition = self.eval(&if_expr.cond_expr)?;
        let endif_strips = directive.endif_expr.strip.strip_start();
        if to_bool(&condition)? {
            let strip_last = (directive.else_expr.as_ref())
                .map_or(endif_strips, |else_expr| else_expr.strip.strip_start());
            self.render(
                &if_expr.template,
                if_expr.strip.strip_end(),
                strip_last,
                out,
            )
        } else if let Some(else_expr) = &directive.else_expr {
            self.render(
                &else_expr.template,
                else_expr.strip.strip_end(),
                endif_strips,
                out,
            )
        } else {
            Ok(())
        }
    }

    fn render_for(&mut self, directive: &ForDirective, out: &mut String) -> Result<(), Halt> {
        let intro = &directive.for_expr;
        let collection = self.eval(&intro.collection_expr)?;
        let key_var = intro.key_var.as_ref().map(|var| var.as_str());
        let strip_first = intro.strip.strip_end();
        let strip_last = directive.endfor_expr.strip.strip_start();
        for (key, value) in iteration_entries(collection)? {
            self.with_bindings(key_var, key, intro.value_var.as_str(), value, |this| {
                this.render(&intro.template, strip_first, strip_last, out)
            })?;
        }
        Ok(())
    }

    // --- function calls

    fn eval_call(&mut self, call: &FuncCall) -> Eval {
        let name = call.name.name.as_str();
        if call.name.is_namespaced() {
            let namespace: Vec<&str> = call
                .name
                .namespace
                .iter()
                .map(|part| part.as_str())
                .collect();
            let full_name = format!("{}::{name}", namespace.join("::"));
            return Ok(TfValue::Unknown(format!(
                "provider function `{full_name}` is not evaluated"
            )));
        }
        let result = match name {
            "try" => return self.eval_try(call),
            "can" => return self.eval_can(call),
            _ => {
                let args = self.eval_args(call)?;
                call_function(name, args)
            }
        };
        let value = match result {
            Err(Halt::Invalid(message)) => {
                return Err(invalid(format!("invalid call to `{name}`: {message}")));
            }
            other => other?,
        };
        self.charge(&value)?;
        Ok(value)
    }

    fn eval_args(&mut self, call: &FuncCall) -> Result<Vec<TfValue>, Halt> {
        let mut args = Vec::with_capacity(call.args.len());
        for arg in &call.args {
            args.push(self.eval(arg)?);
        }
        if call.args.expand_final() {
            match args.pop() {
                Some(TfValue::List(items)) => args.extend(items),
                Some(TfValue::Unknown(reason)) => return Err(Halt::Unknown(reason)),
                Some(other) => {
                    return Err(invalid(format!(
                        "`...` expands a list, not a {}",
                        other.type_name()
                    )));
                }
                None => {}
            }
        }
        Ok(args)
    }

    /// `try(a, b, ...)`: the first argument that evaluates without an error; an unknown one
    /// before it makes the result unknown (Terraform cannot tell yet whether it fails).
    fn eval_try(&mut self, call: &FuncCall) -> Eval {
        for arg in &call.args {
            match self.eval(arg) {
                Ok(value) => {
                    return match value.unknown_reason() {
                        Some(reason) => Err(Halt::Unknown(reason.to_string())),
                        None => Ok(value),
                    };
                }
                Err(Halt::Invalid(_)) => {}
                Err(other) => return Err(other),
            }
        }
        Err(invalid(
            "invalid call to `try`: no argument could be evaluated without an error",
        ))
    }

    /// `can(x)`: whether `x` evaluates without an error.
    fn eval_can(&mut self, call: &FuncCall) -> Eval {
        let (Some(arg), 1) = (call.args.get(0), call.args.len()) else {
            return Err(invalid("invalid call to `can`: it takes 1 argument"));
        };
        match self.eval(arg) {
            Ok(value) => match value.unknown_reason() {
                Some(reason) => Err(Halt::Unknown(reason.to_string())),
                None => Ok(TfValue::Bool(true)),
            },
            Err(Halt::Invalid(_)) => Ok(TfValue::Bool(false)),
            Err(other) => Err(other),
        }
    }
}

/// A literal's text, trimmed where a `~` next to it asks; `edges` are the enclosing directive's.
fn trimmed_literal<'t>(
    text: &'t str,
    elements: &[&Element],
    position: usize,
    (strip_first, strip_last): (bool, bool),
) -> &'t str {
    let before = position.checked_sub(1).and_then(|p| elements.get(p));
    let after = elements.get(position + 1);
    let mut text = text;
    if before.map_or(strip_first, |element| strips_following(element)) {
        text = text.trim_start();
    }
    if after.map_or(strip_last, |element| strips_preceding(element)) {
        text = text.trim_end();
    }
    text
}

fn strips_preceding(element: &Element) -> bool {
    match element {
        Element::Literal(_) => false,
        Element::Interpolation(interpolation) => interpolation.strip.strip_start(),
        Element::Directive(directive) => match directive.as_ref() {
            Directive::If(if_directive) => if_directive.if_expr.strip.strip_start(),
            Directive::For(for_directive) => for_directive.for_expr.strip.strip_start(),
        },
    }
}

fn strips_following(element: &Element) -> bool {
    match element {
        Element::Literal(_) => false,
        Element::Interpolation(interpolation) => interpolation.strip.strip_end(),
        Element::Directive(directive) => match directive.as_ref() {
            Directive::If(if_directive) => if_directive.endif_expr.strip.strip_end(),
            Directive::For(for_directive) => for_directive.endfor_expr.strip.strip_end(),
        },
    }
}

/// (key, value) pairs a `for` iterates: list index and item, or object key and value by key.
fn iteration_entries(collection: TfValue) -> Result<Vec<(TfValue, TfValue)>, Halt> {
    match collection {
        TfValue::List(items) => Ok(items
            .into_iter()
            .enumerate()
            .map(|(index, item)| (TfValue::Number(index as f64), item))
            .collect()),
        TfValue::Object(mut entries) => {
            entries.sort_by(|(a, _), (b, _)| a.cmp(b));
            Ok(entries
                .into_iter()
                .map(|(key, value)| (TfValue::String(key), value))
                .collect())
        }
        other => Err(wrong_type(&other, "cannot be iterated over")),
    }
}

fn get_attr(value: TfValue, name: &str) -> Eval {
    match value {
        TfValue::Object(entries) => entries
            .into_iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value)
            .ok_or_else(|| invalid(format!("the object has no attribute `{name}`"))),
        other => Err(wrong_type(&other, &format!("has no attribute `{name}`"))),
    }
}

fn get_index(value: TfValue, key: &TfValue) -> Eval {
    if let TfValue::Unknown(reason) = key {
        return Err(Halt::Unknown(reason.clone()));
    }
    match value {
        TfValue::List(items) => {
            let count = items.len();
            let index = to_index(key)?;
            items.into_iter().nth(index).ok_or_else(|| {
                invalid(format!(
                    "index {index} is out of range for a list of {count}"
                ))
            })
        }
        TfValue::Object(_) => get_attr(value, &to_text(key)?),
        other => Err(wrong_type(&other, "cannot be indexed")),
    }
}

fn legacy_index(index: u64) -> TfValue {
    TfValue::Number(index as f64)
}

fn describe(root: &str, path: &[PathStep]) -> String {
    let mut text = root.to_string();
    for step in path {
        match step {
            PathStep::Attr(name) => {
                text.push('.');
                text.push_str(name);
            }
            PathStep::Index(TfValue::Number(n)) => {
                text.push_str(&format!("[{}]", number_to_string(*n)));
            }
            PathStep::Index(TfValue::String(key)) => text.push_str(&format!("[{key:?}]")),
            PathStep::Index(_) => text.push_str("[…]"),
        }
    }
    text
}

/// The weight and depth of a value, without recursion.
fn measure(value: &TfValue) -> (usize, usize) {
    let mut weight = 0usize;
    let mut deepest = 0usize;
    let mut pending = vec![(value, 1usize)];
    while let Some((value, depth)) = pending.pop() {
        deepest = deepest.max(depth);
        weight = weight.saturating_add(NODE_WEIGHT);
        match value {
            TfValue::String(text) | TfValue::Unknown(text) => {
                weight = weight.saturating_add(text.len());
            }
            TfValue::List(items) => pending.extend(items.iter().map(|item| (item, depth + 1))),
            TfValue::Object(entries) => {
                for (key, item) in entries {
                    weight = weight.saturating_add(key.len());
                    pending.push((item, depth + 1));
                }
            }
            TfValue::Null | TfValue::Bool(_) | TfValue::Number(_) => {}
        }
    }
    (weight, deepest)
}

fn check_size(value: TfValue) -> Eval {
    let too_large = match &value {
        TfValue::String(text) => text.len() > MAX_STRING_BYTES,
        TfValue::List(items) => items.len() > MAX_ITEMS,
        TfValue::Object(entries) => entries.len() > MAX_ITEMS,
        _ => false,
    };
    if too_large {
        Err(Halt::Limit(TOO_LARGE))
    } else {
        Ok(value)
    }
}

fn push_bounded(out: &mut String, text: &str) -> Result<(), Halt> {
    if out.len().saturating_add(text.len()) > MAX_STRING_BYTES {
        return Err(Halt::Limit(TOO_LARGE));
    }
    out.push_str(text);
    Ok(())
}

/// Objects built key by key: a repeated key replaces the value in its first position.
#[derive(Default)]
struct ObjectBuilder {
    entries: Vec<(String, TfValue)>,
    positions: HashMap<String, usize>,
}

impl ObjectBuilder {
    fn insert(&mut self, key: String, value: TfValue) {
        if let Some(slot) = self.get_mut(&key) {
            *slot = value;
        } else {
            self.positions.insert(key.clone(), self.entries.len());
            self.entries.push((key, value));
        }
    }

    fn get_mut(&mut self, key: &str) -> Option<&mut TfValue> {
        let position = *self.positions.get(key)?;
        self.entries.get_mut(position).map(|(_, value)| value)
    }

    /// A `for` item: a repeated key is an error, unless grouping (`...`) collects the values.
    fn insert_for_item(&mut self, key: String, value: TfValue, grouping: bool) -> Result<(), Halt> {
        match (self.get_mut(&key), grouping) {
            (Some(TfValue::List(group)), true) => group.push(value),
            (Some(_), _) => {
                return Err(invalid(format!(
                    "a `for` expression produced the key `{key}` twice; add `...` to group values"
                )));
            }
            (None, true) => self.insert(key, TfValue::List(vec![value])),
            (None, false) => self.insert(key, value),
        }
        Ok(())
    }

    fn finish(self) -> TfValue {
        TfValue::Object(self.entries)
    }
}

fn find_entry<'v>(entries: &'v [(String, TfValue)], key: &str) -> Option<&'v TfValue> {
    entries
        .iter()
        .find(|(name, _)| name == key)
        .map(|(_, value)| value)
}

// ---------------------------------------------------------------------------------------------
// Operators and conversions

/// Comparison and arithmetic on numbers.
fn arithmetic(operator: BinaryOperator, a: f64, b: f64) -> Eval {
    use BinaryOperator as Op;
    match operator {
        Op::Less => Ok(TfValue::Bool(a < b)),
        Op::LessEq => Ok(TfValue::Bool(a <= b)),
        Op::Greater => Ok(TfValue::Bool(a > b)),
        Op::GreaterEq => Ok(TfValue::Bool(a >= b)),
        Op::Plus => finite(a + b),
        Op::Minus => finite(a - b),
        Op::Mul => finite(a * b),
        Op::Div if b == 0.0 => Err(invalid("division by zero")),
        Op::Div => finite(a / b),
        Op::Mod if b == 0.0 => Err(invalid("modulo by zero")),
        Op::Mod => finite(a % b),
        Op::Eq | Op::NotEq | Op::And | Op::Or => Err(invalid(format!(
            "`{}` is not an arithmetic operator",
            operator.as_str()
        ))),
    }
}

fn finite(number: f64) -> Eval {
    if number.is_finite() {
        Ok(TfValue::Number(number))
    } else {
        Err(invalid("the result is out of the range of numbers"))
    }
}

/// Terraform's `==`: same type and value; objects compare regardless of key order.
fn values_equal(a: &TfValue, b: &TfValue) -> Result<bool, Halt> {
    match (a, b) {
        (TfValue::Unknown(reason), _) | (_, TfValue::Unknown(reason)) => {
            Err(Halt::Unknown(reason.clone()))
        }
        (TfValue::Null, TfValue::Null) => Ok(true),
        (TfValue::Bool(a), TfValue::Bool(b)) => Ok(a == b),
        (TfValue::Number(a), TfValue::Number(b)) => Ok(a == b),
        (TfValue::String(a), TfValue::String(b)) => Ok(a == b),
        (TfValue::List(a), TfValue::List(b)) => {
            if a.len() != b.len() {
                return Ok(false);
            }
            for (a, b) in a.iter().zip(b) {
                if !values_equal(a, b)? {
                    return Ok(false);
                }
            }
            Ok(true)
        }
        (TfValue::Object(a), TfValue::Object(b)) => {
            if a.len() != b.len() {
                return Ok(false);
            }
            for (a, b) in sorted_entries(a).into_iter().zip(sorted_entries(b)) {
                if a.0 != b.0 || !values_equal(a.1, b.1)? {
                    return Ok(false);
                }
            }
            Ok(true)
        }
        _ => Ok(false),
    }
}

fn sorted_entries(entries: &[(String, TfValue)]) -> Vec<(&str, &TfValue)> {
    let mut sorted: Vec<(&str, &TfValue)> = entries.iter().map(|(k, v)| (k.as_str(), v)).collect();
    sorted.sort_by(|a, b| a.0.cmp(b.0));
    sorted
}

fn to_bool(value: &TfValue) -> Result<bool, Halt> {
    match value {
        TfValue::Bool(value) => Ok(*value),
        TfValue::String(text) if text == "true" => Ok(true),
        TfValue::String(text) if text == "false" => Ok(false),
        other => Err(wrong_type(other, "cannot be used as a bool")),
    }
}

fn to_number(value: &TfValue) -> Result<f64, Halt> {
    match value {
        TfValue::Number(number) => Ok(*number),
        TfValue::String(text) => parse_number(text)
            .ok_or_else(|| invalid(format!("the string {text:?} cannot be used as a number"))),
        other => Err(wrong_type(other, "cannot be used as a number")),
    }
}

fn parse_number(text: &str) -> Option<f64> {
    let numeric = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-'));
    let number: f64 = text.parse().ok().filter(|_| numeric)?;
    number.is_finite().then_some(number)
}

/// A primitive value as a string, the way Terraform converts it.
fn to_text(value: &TfValue) -> Result<String, Halt> {
    match value {
        TfValue::String(text) => Ok(text.clone()),
        TfValue::Number(number) => Ok(number_to_string(*number)),
        TfValue::Bool(value) => Ok(value.to_string()),
        other => Err(wrong_type(other, "cannot be used as a string")),
    }
}

/// The halt for a value of the wrong type; an unknown value stays unknown.
fn wrong_type(value: &TfValue, problem: &str) -> Halt {
    match value {
        TfValue::Unknown(reason) => Halt::Unknown(reason.clone()),
        other => invalid(format!("a {} {problem}", describe_value(other))),
    }
}

fn describe_value(value: &TfValue) -> &'static str {
    match value {
        TfValue::Null => "null value",
        other => other.type_name(),
    }
}

pub(super) fn number_to_string(number: f64) -> String {
    if number == 0.0 {
        "0".to_string()
    } else {
        number.to_string()
    }
}

/// A whole number from 0 up, for indexes.
fn to_index(value: &TfValue) -> Result<usize, Halt> {
    let number = to_integer(value)?;
    usize::try_from(number).map_err(|_| invalid(format!("the index {number} is negative")))
}

fn to_integer(value: &TfValue) -> Result<i64, Halt> {
    let number = to_number(value)?;
    if number.fract() != 0.0 || number.abs() > 9_007_199_254_740_992.0 {
        return Err(invalid(format!(
            "{} is not a whole number",
            number_to_string(number)
        )));
    }
    Ok(number as i64)
}

fn as_list(value: &TfValue) -> Result<&[TfValue], Halt> {
    match value {
        TfValue::List(items) => Ok(items),
        other => Err(wrong_type(other, "is not a list")),
    }
}

fn into_list(value: TfValue) -> Result<Vec<TfValue>, Halt> {
    match value {
        TfValue::List(items) => Ok(items),
        other => Err(wrong_type(&other, "is not a list")),
    }
}

fn into_object(value: TfValue) -> Result<Vec<(String, TfValue)>, Halt> {
    match value {
        TfValue::Object(entries) => Ok(entries),
        other => Err(wrong_type(&other, "is not an object or map")),
    }
}

// ---------------------------------------------------------------------------------------------
// Functions

fn call_function(name: &str, args: Vec<TfValue>) -> Eval {
    match name {
        "lower" => map_text(name, args, str::to_lowercase),
        "upper" => map_text(name, args, str::to_uppercase),
        "title" => map_text(name, args, title_case),
        "trimspace" => map_text(name, args, |text| text.trim().to_string()),
        "trim" => trim_with(name, args, |text, cutset| {
            text.trim_matches(|c| cutset.contains(c)).to_string()
        }),
        "trimprefix" => trim_with(name, args, |text, prefix| {
            text.strip_prefix(prefix).unwrap_or(text).to_string()
        }),
        "trimsuffix" => trim_with(name, args, |text, suffix| {
            text.strip_suffix(suffix).unwrap_or(text).to_string()
        }),
        "startswith" => text_test(name, args, |text, prefix| text.starts_with(prefix)),
        "endswith" => text_test(name, args, |text, suffix| text.ends_with(suffix)),
        "replace" => replace(args),
        "substr" => substr(args),
        "format" => format_call(args),
        "join" => join(args),
        "split" => split(args),
        "length" => length(args),
        "concat" => concat(args),
        "contains" => contains(args),
        "lookup" => lookup(args),
        "merge" => merge(args),
        "coalesce" => coalesce(args),
        "coalescelist" => coalescelist(args),
        "keys" => keys_or_values(name, args, |(key, _)| TfValue::String(key)),
        "values" => keys_or_values(name, args, |(_, value)| value),
        "element" => element(args),
        "index" => index_of(args),
        "flatten" => flatten_call(args),
        "distinct" => distinct_call(args),
        "compact" => compact(args),
        "one" => one(args),
        "range" => range(&args),
        "zipmap" => zipmap(args),
        "reverse" => reverse(args),
        "sort" => sort(args),
        "min" => fold_numbers(name, &args, f64::min),
        "max" => fold_numbers(name, &args, f64::max),
        "sum" => sum(args),
        "abs" => map_number(name, args, f64::abs),
        "ceil" => map_number(name, args, f64::ceil),
        "floor" => map_number(name, args, f64::floor),
        "alltrue" => all_or_any(name, args, false),
        "anytrue" => all_or_any(name, args, true),
        "tobool" => convert(name, args, |value| to_bool(&value).map(TfValue::Bool)),
        "tostring" => convert(name, args, |value| to_text(&value).map(TfValue::String)),
        "tonumber" => convert(name, args, |value| to_number(&value).map(TfValue::Number)),
        "tolist" => convert(name, args, |value| into_list(value).map(TfValue::List)),
        "toset" => convert(name, args, to_set),
        "tomap" => convert(name, args, |value| into_object(value).map(TfValue::Object)),
        "sensitive" | "nonsensitive" => single(name, args),
        "jsonencode" => jsonencode(args),
        "jsondecode" => jsondecode(args),
        "file" | "fileexists" | "fileset" | "filebase64" | "filemd5" | "filesha1"
        | "filesha256" | "filesha512" | "filebase64sha256" | "filebase64sha512"
        | "templatefile" | "abspath" => {
            Ok(TfValue::Unknown(format!("function `{name}` reads files")))
        }
        "timestamp" | "plantimestamp" | "uuid" | "bcrypt" => Ok(TfValue::Unknown(format!(
            "function `{name}` gives a new value on every run"
        ))),
        // What is not modelled is unknown; an unknown argument is the better reason.
        _ => Ok(args
            .iter()
            .find_map(|arg| arg.unknown_reason())
            .map_or_else(
                || TfValue::Unknown(format!("function `{name}` is not evaluated")),
                |reason| TfValue::Unknown(reason.to_string()),
            )),
    }
}

fn exactly<const N: usize>(name: &str, args: Vec<TfValue>) -> Result<[TfValue; N], Halt> {
    let count = args.len();
    let plural = if N == 1 { "" } else { "s" };
    args.try_into()
        .map_err(|_| invalid(format!("`{name}` takes {N} argument{plural}, got {count}")))
}

fn single(name: &str, args: Vec<TfValue>) -> Eval {
    let [value] = exactly(name, args)?;
    Ok(value)
}

fn map_text(name: &str, args: Vec<TfValue>, f: impl Fn(&str) -> String) -> Eval {
    let [text] = exactly(name, args)?;
    Ok(TfValue::String(f(&to_text(&text)?)))
}

fn trim_with(name: &str, args: Vec<TfValue>, f: impl Fn(&str, &str) -> String) -> Eval {
    let [text, other] = exactly(name, args)?;
    Ok(TfValue::String(f(&to_text(&text)?, &to_text(&other)?)))
}

fn text_test(name: &str, args: Vec<TfValue>, f: impl Fn(&str, &str) -> bool) -> Eval {
    let [text, other] = exactly(name, args)?;
    Ok(TfValue::Bool(f(&to_text(&text)?, &to_text(&other)?)))
}

fn map_number(name: &str, args: Vec<TfValue>, f: impl Fn(f64) -> f64) -> Eval {
    let [number] = exactly(name, args)?;
    finite(f(to_number(&number)?))
}

/// Conversion functions: null stays null.
fn convert(name: &str, args: Vec<TfValue>, f: impl Fn(TfValue) -> Eval) -> Eval {
    match exactly(name, args)? {
        [TfValue::Null] => Ok(TfValue::Null),
        [value] => f(value),
    }
}

/// Go's `strings.Title`: upper-cases the first letter of each word.
fn title_case(text: &str) -> String {
    let mut previous = ' ';
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if is_word_separator(previous) {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        previous = c;
    }
    out
}

fn is_word_separator(c: char) -> bool {
    if c.is_ascii() {
        !(c.is_ascii_alphanumeric() || c == '_')
    } else {
        !c.is_alphanumeric() && c.is_whitespace()
    }
}

fn replace(args: Vec<TfValue>) -> Eval {
    let [text, search, replacement] = exactly("replace", args)?;
    let (text, search, replacement) = (to_text(&text)?, to_text(&search)?, to_text(&replacement)?);
    if search.len() > 1 && search.starts_with('/') && search.ends_with('/') {
        return Ok(TfValue::Unknown(
            "`replace` with a regular expression is not evaluated".into(),
        ));
    }
    let matches = if search.is_empty() {
        text.chars().count() + 1
    } else {
        text.matches(search.as_str()).count()
    };
    let size = text
        .len()
        .saturating_sub(matches.saturating_mul(search.len()))
        .saturating_add(matches.saturating_mul(replacement.len()));
    if size > MAX_STRING_BYTES {
        return Err(Halt::Limit(TOO_LARGE));
    }
    Ok(TfValue::String(text.replace(search.as_str(), &replacement)))
}

/// `substr(text, offset, length)` in characters; a negative offset counts from the end and a
/// negative length means "to the end".
fn substr(args: Vec<TfValue>) -> Eval {
    let [text, offset, length] = exactly("substr", args)?;
    let text = to_text(&text)?;
    let (offset, length) = (to_integer(&offset)?, to_integer(&length)?);
    let count = i64::try_from(text.chars().count()).unwrap_or(i64::MAX);
    let start = if offset < 0 {
        count.saturating_add(offset).max(0)
    } else {
        offset
    };
    if start > count {
        return Err(invalid("the offset is beyond the end of the string"));
    }
    let take = if length < 0 { count } else { length };
    let start = usize::try_from(start).unwrap_or(usize::MAX);
    let take = usize::try_from(take).unwrap_or(usize::MAX);
    Ok(TfValue::String(
        text.chars().skip(start).take(take).collect(),
    ))
}

fn join(args: Vec<TfValue>) -> Eval {
    let mut args = args.into_iter();
    let separator = args
        .next()
        .ok_or_else(|| invalid("`join` takes a separator and lists"))?;
    let separator = to_text(&separator)?;
    let mut out = String::new();
    let mut lists = 0;
    let mut first = true;
    for list in args {
        lists += 1;
        for item in as_list(&list)? {
            if let TfValue::Null = item {
                return Err(invalid("a list element is null"));
            }
            if !first {
                push_bounded(&mut out, &separator)?;
            }
            first = false;
            push_bounded(&mut out, &to_text(item)?)?;
        }
    }
    if lists == 0 {
        return Err(invalid("`join` takes a separator and at least one list"));
    }
    Ok(TfValue::String(out))
}

fn split(args: Vec<TfValue>) -> Eval {
    let [separator, text] = exactly("split", args)?;
    let (separator, text) = (to_text(&separator)?, to_text(&text)?);
    let parts = if separator.is_empty() {
        text.chars().count()
    } else {
        text.matches(separator.as_str()).count() + 1
    };
    if parts > MAX_ITEMS {
        return Err(Halt::Limit(TOO_LARGE));
    }
    let items = if separator.is_empty() {
        text.chars()
            .map(|c| TfValue::String(c.to_string()))
            .collect()
    } else {
        text.split(separator.as_str())
            .map(|part| TfValue::String(part.to_string()))
            .collect()
    };
    Ok(TfValue::List(items))
}

fn length(args: Vec<TfValue>) -> Eval {
    let [value] = exactly("length", args)?;
    let count = match &value {
        TfValue::String(text) => text.chars().count(),
        TfValue::List(items) => items.len(),
        TfValue::Object(entries) => entries.len(),
        other => return Err(wrong_type(other, "has no length")),
    };
    Ok(TfValue::Number(count as f64))
}

fn concat(args: Vec<TfValue>) -> Eval {
    let mut items = Vec::new();
    for list in args {
        let list = into_list(list)?;
        if items.len().saturating_add(list.len()) > MAX_ITEMS {
            return Err(Halt::Limit(TOO_LARGE));
        }
        items.extend(list);
    }
    Ok(TfValue::List(items))
}

/// True when a known item equals `value`, even if other items are unknown.
fn contains(args: Vec<TfValue>) -> Eval {
    let [list, value] = exactly("contains", args)?;
    if let Some(reason) = value.unknown_reason() {
        return Err(Halt::Unknown(reason.to_string()));
    }
    let mut unknown = None;
    for item in as_list(&list)? {
        match values_equal(item, &value) {
            Ok(true) => return Ok(TfValue::Bool(true)),
            Ok(false) => {}
            Err(Halt::Unknown(reason)) => {
                unknown.get_or_insert(reason);
            }
            Err(other) => return Err(other),
        }
    }
    match unknown {
        Some(reason) => Err(Halt::Unknown(reason)),
        None => Ok(TfValue::Bool(false)),
    }
}

fn lookup(args: Vec<TfValue>) -> Eval {
    let count = args.len();
    let mut args = args.into_iter();
    let (Some(map), Some(key), default, None) =
        (args.next(), args.next(), args.next(), args.next())
    else {
        return Err(invalid(format!(
            "`lookup` takes 2 or 3 arguments, got {count}"
        )));
    };
    let key = to_text(&key)?;
    let entries = into_object(map)?;
    match entries.into_iter().find(|(name, _)| *name == key) {
        Some((_, value)) => Ok(value),
        None => default.ok_or_else(|| {
            invalid(format!(
                "the map has no key `{key}` and no default was given"
            ))
        }),
    }
}

fn merge(args: Vec<TfValue>) -> Eval {
    let mut merged = ObjectBuilder::default();
    for map in args {
        if let TfValue::Null = map {
            continue;
        }
        for (key, value) in into_object(map)? {
            merged.insert(key, value);
        }
    }
    Ok(merged.finish())
}

/// The first argument that is neither null nor an empty string.
fn coalesce(args: Vec<TfValue>) -> Eval {
    for value in args {
        match value {
            TfValue::Unknown(reason) => return Err(Halt::Unknown(reason)),
            TfValue::Null => {}
            TfValue::String(ref text) if text.is_empty() => {}
            value => return Ok(value),
        }
    }
    Err(invalid("no argument is non-null and non-empty"))
}

fn coalescelist(args: Vec<TfValue>) -> Eval {
    for list in args {
        if let TfValue::Null = list {
            continue;
        }
        let items = into_list(list)?;
        if !items.is_empty() {
            return Ok(TfValue::List(items));
        }
    }
    Err(invalid("no argument is a non-empty list"))
}

/// `keys` and `values`: in key order, as Terraform gives them.
fn keys_or_values(name: &str, args: Vec<TfValue>, pick: fn((String, TfValue)) -> TfValue) -> Eval {
    let [map] = exactly(name, args)?;
    let mut entries = into_object(map)?;
    entries.sort_by(|(a, _), (b, _)| a.cmp(b));
    Ok(TfValue::List(entries.into_iter().map(pick).collect()))
}

/// `element(list, index)`: the index wraps around.
fn element(args: Vec<TfValue>) -> Eval {
    let [list, index] = exactly("element", args)?;
    let items = into_list(list)?;
    let index = to_index(&index)?;
    let count = items.len();
    if count == 0 {
        return Err(invalid("cannot take an element of an empty list"));
    }
    items
        .into_iter()
        .nth(index % count)
        .ok_or_else(|| invalid("index out of range"))
}

fn index_of(args: Vec<TfValue>) -> Eval {
    let [list, value] = exactly("index", args)?;
    for (position, item) in as_list(&list)?.iter().enumerate() {
        if values_equal(item, &value)? {
            return Ok(TfValue::Number(position as f64));
        }
    }
    Err(invalid("the value is not in the list"))
}

fn flatten_call(args: Vec<TfValue>) -> Eval {
    let [list] = exactly("flatten", args)?;
    let mut flat = Vec::new();
    flatten_into(into_list(list)?, &mut flat, 0)?;
    Ok(TfValue::List(flat))
}

fn flatten_into(items: Vec<TfValue>, flat: &mut Vec<TfValue>, depth: usize) -> Result<(), Halt> {
    if depth > MAX_VALUE_DEPTH {
        return Err(Halt::Limit(NESTED_TOO_DEEPLY));
    }
    for item in items {
        match item {
            TfValue::List(inner) => flatten_into(inner, flat, depth + 1)?,
            // An unknown item may be a list: the shape of the result is unknown.
            TfValue::Unknown(reason) => return Err(Halt::Unknown(reason)),
            other => flat.push(other),
        }
        if flat.len() > MAX_ITEMS {
            return Err(Halt::Limit(TOO_LARGE));
        }
    }
    Ok(())
}

fn distinct_call(args: Vec<TfValue>) -> Eval {
    let [list] = exactly("distinct", args)?;
    distinct(into_list(list)?).map(TfValue::List)
}

fn distinct(items: Vec<TfValue>) -> Result<Vec<TfValue>, Halt> {
    let mut seen = HashSet::new();
    let mut unique = Vec::new();
    for item in items {
        let mut key = String::new();
        canonical_key(&item, &mut key)?;
        if seen.insert(key) {
            unique.push(item);
        }
    }
    Ok(unique)
}

/// A string equal for values that `==` finds equal (objects in key order).
fn canonical_key(value: &TfValue, out: &mut String) -> Result<(), Halt> {
    match value {
        TfValue::Unknown(reason) => return Err(Halt::Unknown(reason.clone())),
        TfValue::Null => out.push('n'),
        TfValue::Bool(value) => out.push(if *value { 'T' } else { 'F' }),
        TfValue::Number(number) => out.push_str(&format!("d{}:", number_to_string(*number))),
        TfValue::String(text) => out.push_str(&format!("s{}:{text}", text.len())),
        TfValue::List(items) => {
            out.push_str(&format!("l{}[", items.len()));
            for item in items {
                canonical_key(item, out)?;
            }
            out.push(']');
        }
        TfValue::Object(entries) => {
            out.push_str(&format!("o{}{{", entries.len()));
            for (key, item) in sorted_entries(entries) {
                out.push_str(&format!("{}:{key}", key.len()));
                canonical_key(item, out)?;
            }
            out.push('}');
        }
    }
    Ok(())
}

/// `toset`: distinct items; strings and numbers in Terraform's set order.
fn to_set(value: TfValue) -> Eval {
    let mut items = distinct(into_list(value)?)?;
    if items.iter().all(|item| matches!(item, TfValue::String(_))) {
        items.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
    } else if items.iter().all(|item| matches!(item, TfValue::Number(_))) {
        items.sort_by(|a, b| match (a, b) {
            (TfValue::Number(a), TfValue::Number(b)) => a.total_cmp(b),
            _ => std::cmp::Ordering::Equal,
        });
    }
    Ok(TfValue::List(items))
}

fn compact(args: Vec<TfValue>) -> Eval {
    let [list] = exactly("compact", args)?;
    let mut kept = Vec::new();
    for item in into_list(list)? {
        match item {
            TfValue::Null => {}
            TfValue::String(ref text) if text.is_empty() => {}
            other => kept.push(TfValue::String(to_text(&other)?)),
        }
    }
    Ok(TfValue::List(kept))
}

/// `one(list)`: null for an empty list, the item of a list of one.
fn one(args: Vec<TfValue>) -> Eval {
    let [list] = exactly("one", args)?;
    let mut items = into_list(list)?.into_iter();
    match (items.next(), items.next()) {
        (None, _) => Ok(TfValue::Null),
        (Some(item), None) => Ok(item),
        (Some(_), Some(_)) => Err(invalid("the list has more than one element")),
    }
}

fn range(args: &[TfValue]) -> Eval {
    let numbers = args
        .iter()
        .map(to_number)
        .collect::<Result<Vec<f64>, Halt>>()?;
    let (start, limit, step) = match numbers.as_slice() {
        [limit] => (0.0, *limit, 1.0),
        [start, limit] => (*start, *limit, if limit >= start { 1.0 } else { -1.0 }),
        [start, limit, step] => (*start, *limit, *step),
        _ => {
            return Err(invalid(format!(
                "`range` takes 1 to 3 arguments, got {}",
                numbers.len()
            )));
        }
    };
    if step == 0.0 {
        return Err(invalid("the step must not be zero"));
    }
    let mut items = Vec::new();
    loop {
        let current = start + items.len() as f64 * step;
        let more = if step > 0.0 {
            current < limit
        } else {
            current > limit
        };
        if !more {
            return Ok(TfValue::List(items));
        }
        if items.len() >= MAX_RANGE {
            return Err(Halt::Limit(TOO_LARGE));
        }
        items.push(TfValue::Number(current));
    }
}

fn zipmap(args: Vec<TfValue>) -> Eval {
    let [keys, values] = exactly("zipmap", args)?;
    let (keys, values) = (into_list(keys)?, into_list(values)?);
    if keys.len() != values.len() {
        return Err(invalid(format!(
            "{} keys but {} values",
            keys.len(),
            values.len()
        )));
    }
    let mut object = ObjectBuilder::default();
    for (key, value) in keys.iter().zip(values) {
        object.insert(to_text(key)?, value);
    }
    Ok(object.finish())
}

fn reverse(args: Vec<TfValue>) -> Eval {
    let [list] = exactly("reverse", args)?;
    let mut items = into_list(list)?;
    items.reverse();
    Ok(TfValue::List(items))
}

/// `sort`: strings in lexical order (numbers are converted to strings, as in Terraform).
fn sort(args: Vec<TfValue>) -> Eval {
    let [list] = exactly("sort", args)?;
    let mut texts = as_list(&list)?
        .iter()
        .map(to_text)
        .collect::<Result<Vec<String>, Halt>>()?;
    texts.sort();
    Ok(TfValue::List(
        texts.into_iter().map(TfValue::String).collect(),
    ))
}

fn fold_numbers(name: &str, args: &[TfValue], f: fn(f64, f64) -> f64) -> Eval {
    let mut numbers = args.iter().map(to_number);
    let first = numbers
        .next()
        .ok_or_else(|| invalid(format!("`{name}` takes at least 1 argument")))??;
    numbers
        .try_fold(first, |acc, number| Ok(f(acc, number?)))
        .map(TfValue::Number)
}

fn sum(args: Vec<TfValue>) -> Eval {
    let [list] = exactly("sum", args)?;
    let items = as_list(&list)?;
    if items.is_empty() {
        return Err(invalid("cannot sum an empty list"));
    }
    let total = items
        .iter()
        .map(to_number)
        .try_fold(0.0, |acc, number| Ok::<f64, Halt>(acc + number?))?;
    finite(total)
}

/// `alltrue` (decisive `false`) and `anytrue` (decisive `true`).
fn all_or_any(name: &str, args: Vec<TfValue>, decisive: bool) -> Eval {
    let [list] = exactly(name, args)?;
    let mut unknown = None;
    for item in as_list(&list)? {
        match to_bool(item) {
            Ok(value) if value == decisive => return Ok(TfValue::Bool(decisive)),
            Ok(_) => {}
            Err(Halt::Unknown(reason)) => {
                unknown.get_or_insert(reason);
            }
            Err(other) => return Err(other),
        }
    }
    match unknown {
        Some(reason) => Err(Halt::Unknown(reason)),
        None => Ok(TfValue::Bool(!decisive)),
    }
}

// --- format

fn format_call(args: Vec<TfValue>) -> Eval {
    let mut args = args.into_iter();
    let spec = args
        .next()
        .ok_or_else(|| invalid("`format` takes a format string"))?;
    let values: Vec<TfValue> = args.collect();
    format_values(&to_text(&spec)?, &values).map(TfValue::String)
}

/// A `%` verb: flags, width and precision, and the verb letter.
#[derive(Default)]
struct Verb {
    left: bool,
    zero: bool,
    plus: bool,
    width: usize,
    precision: Option<usize>,
    letter: char,
}

fn format_values(spec: &str, values: &[TfValue]) -> Result<String, Halt> {
    let mut out = String::new();
    let mut chars = spec.chars().peekable();
    let mut used = 0;
    while let Some(c) = chars.next() {
        if c != '%' {
            push_bounded(&mut out, c.encode_utf8(&mut [0; 4]))?;
            continue;
        }
        if chars.next_if_eq(&'%').is_some() {
            push_bounded(&mut out, "%")?;
            continue;
        }
        let verb = parse_verb(&mut chars)?;
        let value = values
            .get(used)
            .ok_or_else(|| invalid("the format string needs more arguments than were given"))?;
        used += 1;
        push_bounded(&mut out, &render_verb(&verb, value)?)?;
    }
    if used < values.len() {
        return Err(invalid(format!(
            "{} arguments given but the format string uses {used}",
            values.len()
        )));
    }
    Ok(out)
}

fn parse_verb(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> Result<Verb, Halt> {
    let mut verb = Verb::default();
    while let Some(flag) = chars.next_if(|c| matches!(c, '-' | '0' | '+' | ' ' | '#')) {
        match flag {
            '-' => verb.left = true,
            '0' => verb.zero = true,
            '+' => verb.plus = true,
            _ => {}
        }
    }
    verb.width = parse_count(chars)?.unwrap_or(0);
    if chars.next_if_eq(&'.').is_some() {
        verb.precision = Some(parse_count(chars)?.unwrap_or(0));
    }
    verb.letter = match chars.next() {
        Some('[' | '*') => {
            return Err(Halt::Unknown(
                "`format` argument indexes and `*` widths are not evaluated".into(),
            ));
        }
        Some(letter) => letter,
        None => return Err(invalid("the format string ends in the middle of a verb")),
    };
    Ok(verb)
}

fn parse_count(
    chars: &mut std::iter::Peekable<std::str::Chars<'_>>,
) -> Result<Option<usize>, Halt> {
    let mut count: Option<usize> = None;
    while let Some(digit) = chars
        .next_if(char::is_ascii_digit)
        .and_then(|c| c.to_digit(10))
    {
        let next = count
            .unwrap_or(0)
            .saturating_mul(10)
            .saturating_add(digit as usize);
        if next > MAX_STRING_BYTES {
            return Err(Halt::Limit(TOO_LARGE));
        }
        count = Some(next);
    }
    Ok(count)
}

fn render_verb(verb: &Verb, value: &TfValue) -> Result<String, Halt> {
    let numeric = matches!(verb.letter, 'd' | 'f');
    let body = match verb.letter {
        's' => {
            let text = non_null_text(value)?;
            match verb.precision {
                Some(precision) => text.chars().take(precision).collect(),
                None => text,
            }
        }
        'v' => match value {
            TfValue::Null => "null".to_string(),
            TfValue::List(_) | TfValue::Object(_) => json_string(value)?,
            other => to_text(other)?,
        },
        'q' => quote_json(&non_null_text(value)?, false),
        't' => to_bool(value)?.to_string(),
        'd' => signed(verb, to_integer(value)?.to_string()),
        'f' => {
            let precision = verb.precision.unwrap_or(6).min(100);
            signed(verb, format!("{:.*}", precision, to_number(value)?))
        }
        other => {
            return Err(Halt::Unknown(format!(
                "format verb `%{other}` is not evaluated"
            )));
        }
    };
    Ok(pad(verb, body, numeric))
}

fn non_null_text(value: &TfValue) -> Result<String, Halt> {
    match value {
        TfValue::Null => Err(invalid("a null value cannot be formatted")),
        other => to_text(other),
    }
}

fn signed(verb: &Verb, digits: String) -> String {
    if verb.plus && !digits.starts_with('-') {
        format!("+{digits}")
    } else {
        digits
    }
}

fn pad(verb: &Verb, body: String, numeric: bool) -> String {
    let missing = verb.width.saturating_sub(body.chars().count());
    if missing == 0 {
        return body;
    }
    if verb.left {
        return body + &" ".repeat(missing);
    }
    if verb.zero && numeric {
        let sign_len = usize::from(body.starts_with(['-', '+']));
        let (sign, digits) = body.split_at_checked(sign_len).unwrap_or(("", &body));
        return format!("{sign}{}{digits}", "0".repeat(missing));
    }
    " ".repeat(missing) + &body
}

// --- JSON

fn jsonencode(args: Vec<TfValue>) -> Eval {
    let [value] = exactly("jsonencode", args)?;
    json_string(&value).map(TfValue::String)
}

fn json_string(value: &TfValue) -> Result<String, Halt> {
    let mut out = String::new();
    write_json(value, &mut out)?;
    Ok(out)
}

/// JSON as Terraform writes it: object keys in order, HTML characters escaped.
fn write_json(value: &TfValue, out: &mut String) -> Result<(), Halt> {
    match value {
        TfValue::Unknown(reason) => return Err(Halt::Unknown(reason.clone())),
        TfValue::Null => push_bounded(out, "null")?,
        TfValue::Bool(value) => push_bounded(out, if *value { "true" } else { "false" })?,
        TfValue::Number(number) => push_bounded(out, &number_to_string(*number))?,
        TfValue::String(text) => push_bounded(out, &quote_json(text, true))?,
        TfValue::List(items) => {
            push_bounded(out, "[")?;
            for (position, item) in items.iter().enumerate() {
                if position > 0 {
                    push_bounded(out, ",")?;
                }
                write_json(item, out)?;
            }
            push_bounded(out, "]")?;
        }
        TfValue::Object(entries) => {
            push_bounded(out, "{")?;
            for (position, (key, item)) in sorted_entries(entries).into_iter().enumerate() {
                if position > 0 {
                    push_bounded(out, ",")?;
                }
                push_bounded(out, &quote_json(key, true))?;
                push_bounded(out, ":")?;
                write_json(item, out)?;
            }
            push_bounded(out, "}")?;
        }
    }
    Ok(())
}

fn quote_json(text: &str, escape_html: bool) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' if escape_html => {
                out.push_str(&format!("\\u{:04x}", u32::from(c)));
            }
            c if u32::from(c) < 0x20 => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn jsondecode(args: Vec<TfValue>) -> Eval {
    let [text] = exactly("jsondecode", args)?;
    let json: serde_json::Value = serde_json::from_str(&to_text(&text)?)
        .map_err(|error| invalid(format!("invalid JSON: {error}")))?;
    from_json(json)
}

fn from_json(json: serde_json::Value) -> Eval {
    Ok(match json {
        serde_json::Value::Null => TfValue::Null,
        serde_json::Value::Bool(value) => TfValue::Bool(value),
        serde_json::Value::Number(number) => TfValue::Number(
            number
                .as_f64()
                .ok_or_else(|| invalid("a JSON number is out of range"))?,
        ),
        serde_json::Value::String(text) => TfValue::String(text),
        serde_json::Value::Array(items) => {
            TfValue::List(items.into_iter().map(from_json).collect::<Result<_, _>>()?)
        }
        serde_json::Value::Object(map) => {
            let mut entries = map
                .into_iter()
                .map(|(key, value)| Ok((key, from_json(value)?)))
                .collect::<Result<Vec<_>, Halt>>()?;
            entries.sort_by(|(a, _), (b, _)| a.cmp(b));
            TfValue::Object(entries)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use hcl_edit::expr::Parenthesis;
    use hcl_edit::parser::{parse_body, parse_expr};
    use std::cell::RefCell;

    const AFTER_APPLY: &str =
        "`azurerm_user_assigned_identity.id.principal_id` is known only after apply";
    const PENDING: &str = "variable `pending` has no value";

    fn s(text: &str) -> TfValue {
        TfValue::String(text.to_string())
    }

    fn n(number: f64) -> TfValue {
        TfValue::Number(number)
    }

    fn obj(entries: &[(&str, TfValue)]) -> TfValue {
        TfValue::Object(
            entries
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
        )
    }

    /// Fixed variables, locals and references; records the references it is asked for.
    #[derive(Default)]
    struct TestScope {
        asked: RefCell<Vec<(String, Vec<PathStep>)>>,
    }

    impl Scope for TestScope {
        fn variable(&self, name: &str) -> Option<TfValue> {
            let item = |name: &str, enabled: bool| {
                obj(&[("name", s(name)), ("enabled", TfValue::Bool(enabled))])
            };
            Some(match name {
                "name" => s("Acr"),
                "enabled" => TfValue::Bool(true),
                "enabled_text" => s("true"),
                "replicas" => n(3.0),
                "tags" => obj(&[("env", s("dev")), ("team", s("platform"))]),
                "zones" => TfValue::List(vec![s("1"), s("2")]),
                "items" => TfValue::List(vec![item("a", true), item("b", false)]),
                "nothing" => TfValue::Null,
                "pending" => TfValue::Unknown(PENDING.to_string()),
                "half" => TfValue::List(vec![s("x"), TfValue::Unknown(PENDING.to_string())]),
                _ => return None,
            })
        }

        fn local(&self, name: &str) -> Option<TfValue> {
            match name {
                "prefix" => Some(s("acr")),
                "config" => Some(obj(&[
                    ("sku", s("Premium")),
                    ("admin", TfValue::Bool(false)),
                ])),
                _ => None,
            }
        }

        fn reference(&self, root: &str, path: &[PathStep]) -> Option<TfValue> {
            self.asked
                .borrow_mut()
                .push((root.to_string(), path.to_vec()));
            let registry = |id: &str| obj(&[("id", s(id)), ("name", s("acrprod"))]);
            let value = match root {
                "each" => obj(&[("key", s("dev")), ("value", obj(&[("name", s("one"))]))]),
                "count" => obj(&[("index", n(2.0))]),
                "path" => obj(&[("module", s("."))]),
                "azurerm_container_registry" => obj(&[
                    ("acr", registry("/acr")),
                    ("many", TfValue::List(vec![registry("a"), registry("b")])),
                ]),
                "azurerm_user_assigned_identity" => obj(&[(
                    "id",
                    obj(&[("principal_id", TfValue::Unknown(AFTER_APPLY.into()))]),
                )]),
                _ => return None,
            };
            value.at_path(path).cloned()
        }
    }

    fn parse(src: &str) -> Expression {
        parse_expr(src).unwrap_or_else(|error| panic!("`{src}` does not parse: {error}"))
    }

    fn eval(src: &str) -> TfValue {
        evaluate(&parse(src), &TestScope::default())
    }

    /// Each expression evaluates to the value of the expected expression.
    fn check(cases: &[(&str, &str)]) {
        for (src, expected) in cases {
            assert_eq!(eval(src), eval(expected), "`{src}`");
        }
    }

    /// Each expression is unknown, with a reason containing the given text.
    fn check_unknown(cases: &[(&str, &str)]) {
        for (src, reason) in cases {
            match eval(src) {
                TfValue::Unknown(actual) => assert!(actual.contains(reason), "`{src}`: {actual}"),
                other => panic!("`{src}` should be unknown, is {other:?}"),
            }
        }
    }

    /// Each expression is one Terraform rejects (or a bound), with a message containing the text.
    fn check_error(kind: ErrorKind, cases: &[(&str, &str)]) {
        for (src, message) in cases {
            match try_evaluate(&parse(src), &TestScope::default()) {
                Err(error) => {
                    assert_eq!(error.kind, kind, "`{src}`: {error}");
                    assert!(error.message.contains(message), "`{src}`: {error}");
                }
                Ok(value) => panic!("`{src}` should fail, is {value:?}"),
            }
        }
    }

    #[test]
    fn literals() {
        assert_eq!(eval("null"), TfValue::Null);
        assert_eq!(eval("true"), TfValue::Bool(true));
        assert_eq!(eval("1.5"), n(1.5));
        assert_eq!(eval("\"a\\tb\""), s("a\tb"));
        assert_eq!(
            eval("[1, \"a\", false]"),
            TfValue::List(vec![n(1.0), s("a"), TfValue::Bool(false)])
        );
        assert_eq!(
            eval("{ zeta = 1, \"alpha\" = 2, (local.prefix) = 3, 4 = 4 }"),
            obj(&[
                ("zeta", n(1.0)),
                ("alpha", n(2.0)),
                ("acr", n(3.0)),
                ("4", n(4.0))
            ])
        );
        check_unknown(&[("{ (var.pending) = 1 }", PENDING)]);
        check_error(
            ErrorKind::Invalid,
            &[("{ (var.nothing) = 1 }", "key is null")],
        );
    }

    #[test]
    fn string_templates() {
        check(&[
            ("\"${var.name}-${local.prefix}\"", "\"Acr-acr\""),
            (
                "\"n=${1 + 1} ${true} ${var.enabled_text}\"",
                "\"n=2 true true\"",
            ),
            ("\"${var.tags}\"", "{ env = \"dev\", team = \"platform\" }"),
            ("\"%{if var.enabled}on%{else}off%{endif}\"", "\"on\""),
            ("\"%{if !var.enabled}on%{else}off%{endif}\"", "\"off\""),
            ("\"[%{if false}x%{endif}]\"", "\"[]\""),
            ("\"%{for z in var.zones}${z},%{endfor}\"", "\"1,2,\""),
            (
                "\"%{for k, v in var.tags}${k}=${v};%{endfor}\"",
                "\"env=dev;team=platform;\"",
            ),
            ("\"a %{~ if true ~} b %{~ endif ~} c\"", "\"abc\""),
            ("\"x ${~ \"y\" ~} z\"", "\"xyz\""),
            ("\"$${literal} %%{literal}\"", "\"$${literal} %%{literal}\""),
        ]);
        assert_eq!(eval("\"$${x}\""), s("${x}"));
        check_unknown(&[
            ("\"id-${var.pending}\"", PENDING),
            ("\"%{if var.pending}a%{endif}\"", PENDING),
            ("\"%{for z in var.pending}${z}%{endfor}\"", PENDING),
        ]);
        check_error(
            ErrorKind::Invalid,
            &[
                ("\"x${var.nothing}\"", "null"),
                ("\"${var.zones}x\"", "list cannot"),
            ],
        );
    }

    #[test]
    fn heredocs() {
        let body = parse_body("a = <<-EOT\n    hello ${var.name}\n      indented\n    EOT\nb = <<EOT\nplain %{if true}yes%{endif}\nEOT\n")
            .unwrap_or_else(|error| panic!("{error}"));
        let value_of = |name: &str| {
            let attribute = body
                .get_attribute(name)
                .unwrap_or_else(|| panic!("no `{name}`"));
            evaluate(&attribute.value, &TestScope::default())
        };
        assert_eq!(value_of("a"), s("hello Acr\n  indented\n"));
        assert_eq!(value_of("b"), s("plain yes\n"));
    }

    #[test]
    fn arithmetic_and_comparison() {
        check(&[
            ("1 + 2 * 3 - 4 / 2", "5"),
            ("7 % 3", "1"),
            ("-7 % 3", "-1"),
            ("\"5\" + 1", "6"),
            ("-var.replicas", "-3"),
            ("1 < 2", "true"),
            ("2 <= 2", "true"),
            ("3 > 4", "false"),
            ("\"10\" >= 9", "true"),
            ("1 == 1", "true"),
            ("1 == \"1\"", "false"),
            ("null == null", "true"),
            ("var.nothing != null", "false"),
            ("{ a = 1, b = [2] } == { b = [2], a = 1 }", "true"),
            ("[1, 2] == [1, 3]", "false"),
            ("!false", "true"),
            ("!var.enabled_text", "false"),
        ]);
        check_unknown(&[
            ("var.pending + 1", PENDING),
            ("1 < var.pending", PENDING),
            ("var.pending == 1", PENDING),
            ("-var.pending", PENDING),
            ("!var.pending", PENDING),
        ]);
        check_error(
            ErrorKind::Invalid,
            &[
                ("1 / 0", "division by zero"),
                ("1 % 0", "modulo by zero"),
                ("\"a\" + 1", "cannot be used as a number"),
                ("!1", "cannot be used as a bool"),
                ("true + 1", "bool cannot"),
            ],
        );
    }

    #[test]
    fn logical_operators_short_circuit() {
        check(&[
            ("true && \"true\"", "true"),
            ("true || false", "true"),
            ("false && var.pending", "false"),
            ("var.pending && false", "false"),
            ("true || var.pending", "true"),
            ("var.pending || true", "true"),
            ("var.nothing != null && var.nothing.x", "false"),
        ]);
        check_unknown(&[
            ("true && var.pending", PENDING),
            ("var.pending || false", PENDING),
            ("var.pending && var.enabled", PENDING),
        ]);
        check_error(
            ErrorKind::Invalid,
            &[("true && 1", "number cannot be used as a bool")],
        );
    }

    #[test]
    fn conditionals() {
        check(&[
            ("true ? 1 : 2", "1"),
            ("var.enabled_text ? \"on\" : \"off\"", "\"on\""),
            (
                "var.nothing == null ? \"none\" : var.nothing.missing",
                "\"none\"",
            ),
            ("var.pending ? \"same\" : \"same\"", "\"same\""),
        ]);
        check_unknown(&[
            ("var.pending ? \"a\" : \"b\"", PENDING),
            ("var.pending ? [var.pending] : [var.pending]", PENDING),
        ]);
        check_error(
            ErrorKind::Invalid,
            &[("null ? 1 : 2", "null value cannot be used as a bool")],
        );
    }

    #[test]
    fn for_expressions() {
        check(&[
            (
                "[for z in var.zones : \"zone-${z}\"]",
                "[\"zone-1\", \"zone-2\"]",
            ),
            ("[for i, z in var.zones : i]", "[0, 1]"),
            (
                "[for item in var.items : item.name if item.enabled]",
                "[\"a\"]",
            ),
            (
                "{for item in var.items : item.name => item.enabled}",
                "{ a = true, b = false }",
            ),
            (
                "{for k, v in { b = 1, a = 2 } : k => v * 10}",
                "{ a = 20, b = 10 }",
            ),
            ("[for v in { b = 1, a = 2 } : v]", "[2, 1]"),
            (
                "{for v in [\"x\", \"y\", \"x\"] : v => v...}",
                "{ x = [\"x\", \"x\"], y = [\"y\"] }",
            ),
            ("[for each in [1, 2] : each]", "[1, 2]"),
            ("[for x in [1] : [for x in [2] : x]]", "[[2]]"),
            (
                "[for x in [1, 2] : var.pending]",
                "[var.pending, var.pending]",
            ),
        ]);
        assert!(TestScope::default().asked.borrow().is_empty());
        check_unknown(&[
            ("[for z in var.pending : z]", PENDING),
            ("[for z in var.zones : z if var.pending]", PENDING),
            ("{for z in var.zones : var.pending => z}", PENDING),
        ]);
        check_error(
            ErrorKind::Invalid,
            &[
                ("{for v in [\"x\", \"x\"] : v => v}", "twice"),
                ("[for x in 5 : x]", "a number cannot be iterated over"),
                ("[for x in null : x]", "null"),
            ],
        );
    }

    #[test]
    fn splats_and_indexes() {
        check(&[
            ("azurerm_container_registry.many[*].id", "[\"a\", \"b\"]"),
            ("var.items[*].name", "[\"a\", \"b\"]"),
            ("var.items.*.name", "[\"a\", \"b\"]"),
            ("var.items.*.name[1]", "\"b\""),
            ("[[{ a = 1 }], [{ a = 2 }]][*][0].a", "[1, 2]"),
            ("var.nothing[*]", "[]"),
            ("var.name[*]", "[\"Acr\"]"),
            ("var.zones.0", "\"1\""),
            ("var.zones[1]", "\"2\""),
            ("var.zones[\"1\"]", "\"2\""),
            ("var.tags[\"env\"]", "\"dev\""),
            ("var.items[0].name", "\"a\""),
            ("({ a = { b = 1 } }).a.b", "1"),
            ("[var.half[0], length(var.half)]", "[\"x\", 2]"),
        ]);
        assert_eq!(
            eval("var.half[*]"),
            TfValue::List(vec![s("x"), TfValue::Unknown(PENDING.into())])
        );
        check_unknown(&[
            ("var.pending.x", PENDING),
            ("var.zones[var.pending]", PENDING),
            ("var.pending[*].x", PENDING),
        ]);
        check_error(
            ErrorKind::Invalid,
            &[
                ("var.zones[2]", "out of range"),
                ("var.zones[-1]", "negative"),
                ("var.zones[0.5]", "whole number"),
                ("var.tags.missing", "no attribute `missing`"),
                ("var.nothing.x", "null value"),
                ("var.name.x", "a string has no attribute `x`"),
                ("var.items[*].missing", "no attribute"),
            ],
        );
    }

    #[test]
    fn references_are_routed_to_the_scope() {
        let attr = |name: &str| PathStep::Attr(name.to_string());
        let cases: Vec<(&str, TfValue, &str, Vec<PathStep>)> = vec![
            (
                "azurerm_container_registry.acr.id",
                s("/acr"),
                "azurerm_container_registry",
                vec![attr("acr"), attr("id")],
            ),
            (
                "each.value.name",
                s("one"),
                "each",
                vec![attr("value"), attr("name")],
            ),
            ("each.key", s("dev"), "each", vec![attr("key")]),
            ("count.index", n(2.0), "count", vec![attr("index")]),
            ("path.module", s("."), "path", vec![attr("module")]),
            (
                "azurerm_container_registry.many[count.index - 2].id",
                s("a"),
                "azurerm_container_registry",
                vec![attr("many"), PathStep::Index(n(0.0)), attr("id")],
            ),
            (
                "azurerm_container_registry.many.1.name",
                s("acrprod"),
                "azurerm_container_registry",
                vec![attr("many"), PathStep::Index(n(1.0)), attr("name")],
            ),
            (
                "azurerm_container_registry.many[*].name",
                TfValue::List(vec![s("acrprod"), s("acrprod")]),
                "azurerm_container_registry",
                vec![attr("many")],
            ),
        ];
        for (src, expected, root, path) in cases {
            let scope = TestScope::default();
            assert_eq!(evaluate(&parse(src), &scope), expected, "`{src}`");
            let asked = scope.asked.borrow();
            assert_eq!(asked.last(), Some(&(root.to_string(), path)), "`{src}`");
        }
        check_unknown(&[
            (
                "azurerm_user_assigned_identity.id.principal_id",
                AFTER_APPLY,
            ),
            (
                "data.azurerm_client_config.current.tenant_id",
                "`data.azurerm_client_config.current.tenant_id` has no known value",
            ),
            (
                "module.m[\"a\"].out",
                "`module.m[\"a\"].out` has no known value",
            ),
            ("var.missing", "variable `missing` is not declared"),
            ("local.missing", "local value `missing` is not declared"),
            // A function that is not modelled gives its unknown argument's reason.
            (
                "timeadd(azurerm_user_assigned_identity.id.principal_id, \"1h\")",
                AFTER_APPLY,
            ),
            (
                "timeadd(\"2026-01-01T00:00:00Z\", \"1h\")",
                "function `timeadd` is not evaluated",
            ),
        ]);
        check_error(
            ErrorKind::Invalid,
            &[
                ("var", "must be followed"),
                ("local[0]", "must be followed"),
            ],
        );
    }

    #[test]
    fn reference_of_reads_traversals_without_evaluating() {
        let attr = |name: &str| PathStep::Attr(name.to_string());
        let reference = |src: &str| reference_of(&parse(src));
        assert_eq!(
            reference("azurerm_container_registry.acr.id"),
            Some((
                "azurerm_container_registry".into(),
                vec![attr("acr"), attr("id")]
            ))
        );
        assert_eq!(
            reference("\"${azurerm_container_registry.acr.id}\""),
            Some((
                "azurerm_container_registry".into(),
                vec![attr("acr"), attr("id")]
            ))
        );
        assert_eq!(
            reference("(data.x.y)"),
            Some(("data".into(), vec![attr("x"), attr("y")]))
        );
        assert_eq!(
            reference("a.b[0][\"k\"].c"),
            Some((
                "a".into(),
                vec![
                    attr("b"),
                    PathStep::Index(n(0.0)),
                    PathStep::Index(s("k")),
                    attr("c")
                ]
            ))
        );
        assert_eq!(
            reference("a.b[count.index].c"),
            Some(("a".into(), vec![attr("b")]))
        );
        assert_eq!(reference("a.b[*].c"), Some(("a".into(), vec![attr("b")])));
        assert_eq!(reference("self"), Some(("self".into(), vec![])));
        assert_eq!(reference("\"id-${a.b}\""), None);
        assert_eq!(reference("lower(a.b)"), None);
        assert_eq!(reference("[a.b][0]"), None);
    }

    #[test]
    fn string_functions() {
        check(&[
            ("lower(\"ACR\")", "\"acr\""),
            ("upper(var.name)", "\"ACR\""),
            (
                "title(\"hello world-wide_web\")",
                "\"Hello World-Wide_web\"",
            ),
            ("trimspace(\"  a b \\n\")", "\"a b\""),
            ("trim(\"?!hello?!\", \"!?\")", "\"hello\""),
            ("trimprefix(\"acr-prod\", \"acr-\")", "\"prod\""),
            ("trimprefix(\"prod\", \"acr-\")", "\"prod\""),
            ("trimsuffix(\"acr-prod\", \"-prod\")", "\"acr\""),
            ("replace(\"a-b-c\", \"-\", \"\")", "\"abc\""),
            ("replace(\"ab\", \"\", \"-\")", "\"-a-b-\""),
            ("startswith(\"acrprod\", \"acr\")", "true"),
            ("endswith(\"acrprod\", \"acr\")", "false"),
            ("substr(\"hello world\", 1, 4)", "\"ello\""),
            ("substr(\"hello world\", -5, -1)", "\"world\""),
            ("substr(\"héllo\", 1, 100)", "\"éllo\""),
            ("join(\",\", [\"a\", \"b\"], [\"c\"])", "\"a,b,c\""),
            ("join(\",\", [])", "\"\""),
            ("split(\",\", \"a,b,,c\")", "[\"a\", \"b\", \"\", \"c\"]"),
            ("split(\"\", \"ab\")", "[\"a\", \"b\"]"),
            ("split(\",\", \"\")", "[\"\"]"),
            ("length(\"héllo\")", "5"),
        ]);
        check_unknown(&[
            ("lower(var.pending)", PENDING),
            ("trim(var.pending, \" \")", PENDING),
            ("replace(\"x\", var.pending, \"y\")", PENDING),
            ("join(\",\", var.half)", PENDING),
            ("split(\",\", var.pending)", PENDING),
            ("substr(var.pending, 0, 1)", PENDING),
            ("startswith(var.pending, \"a\")", PENDING),
            ("replace(\"abc\", \"/b/\", \"x\")", "regular expression"),
        ]);
        check_error(
            ErrorKind::Invalid,
            &[
                (
                    "lower([1])",
                    "invalid call to `lower`: a list cannot be used as a string",
                ),
                ("lower(\"a\", \"b\")", "`lower` takes 1 argument, got 2"),
                ("upper(null)", "null value cannot"),
                ("join(\",\")", "at least one list"),
                ("join(\",\", [null])", "null"),
                ("substr(\"abc\", 5, 1)", "beyond the end"),
            ],
        );
    }

    #[test]
    fn format_function() {
        check(&[
            ("format(\"%s-%d\", \"acr\", 7)", "\"acr-7\""),
            (
                "format(\"%v|%v|%v|%v\", \"a\", 1.5, true, null)",
                "\"a|1.5|true|null\"",
            ),
            (
                "format(\"%v\", { b = [1], a = \"<\" })",
                "\"{\\\"a\\\":\\\"\\\\u003c\\\",\\\"b\\\":[1]}\"",
            ),
            (
                "format(\"%q %t %%\", \"x\\\"y\", \"true\")",
                "\"\\\"x\\\\\\\"y\\\" true %\"",
            ),
            (
                "format(\"[%5s][%-5s][%05d][%+d][%.2f][%.1s]\", \"ab\", \"ab\", -42, 3, 3.14159, \"xyz\")",
                "\"[   ab][ab   ][-0042][+3][3.14][x]\"",
            ),
            ("format(\"%d\", \"12\")", "\"12\""),
        ]);
        check_unknown(&[
            ("format(\"%s\", var.pending)", PENDING),
            ("format(var.pending, 1)", PENDING),
            ("format(\"%x\", 255)", "format verb `%x`"),
            ("format(\"%[1]s\", \"a\")", "argument indexes"),
        ]);
        check_error(
            ErrorKind::Invalid,
            &[
                ("format(\"%s %s\", \"a\")", "more arguments"),
                ("format(\"%s\", \"a\", \"b\")", "2 arguments given"),
                ("format(\"%d\", 1.5)", "whole number"),
                ("format(\"%s\", null)", "null value cannot be formatted"),
                ("format(\"%\")", "middle of a verb"),
                ("format()", "format string"),
            ],
        );
    }

    #[test]
    fn collection_functions() {
        check(&[
            ("concat([1], [], [2, 3])", "[1, 2, 3]"),
            ("contains([\"a\", \"b\"], \"b\")", "true"),
            ("contains([1], \"1\")", "false"),
            ("contains(var.half, \"x\")", "true"),
            ("length(var.zones)", "2"),
            ("length({ a = 1 })", "1"),
            ("length([var.pending, 1])", "2"),
            ("lookup(var.tags, \"env\")", "\"dev\""),
            ("lookup(var.tags, \"missing\", \"none\")", "\"none\""),
            (
                "merge({ a = 1, b = 1 }, null, { b = 2, c = 3 })",
                "{ a = 1, b = 2, c = 3 }",
            ),
            ("coalesce(null, \"\", \"x\", var.pending)", "\"x\""),
            ("coalesce(null, 0)", "0"),
            ("coalescelist([], null, [1], [2])", "[1]"),
            ("keys({ b = 1, a = var.pending })", "[\"a\", \"b\"]"),
            ("values({ b = 1, a = 2 })", "[2, 1]"),
            ("element([\"a\", \"b\", \"c\"], 4)", "\"b\""),
            ("index([\"a\", \"b\"], \"b\")", "1"),
            ("flatten([[1, [2]], [], 3])", "[1, 2, 3]"),
            (
                "distinct([1, \"1\", 1, [1], [1], { a = 1 }, { a = 1 }])",
                "[1, \"1\", [1], { a = 1 }]",
            ),
            ("compact([\"a\", \"\", null, 1])", "[\"a\", \"1\"]"),
            ("one([])", "null"),
            ("one([5])", "5"),
            ("range(3)", "[0, 1, 2]"),
            ("range(1, 4)", "[1, 2, 3]"),
            ("range(4, 1)", "[4, 3, 2]"),
            ("range(0, 1, 0.25)", "[0, 0.25, 0.5, 0.75]"),
            ("range(0, 5, -1)", "[]"),
            ("zipmap([\"a\", \"b\"], [1, 2])", "{ a = 1, b = 2 }"),
            ("reverse([1, 2])", "[2, 1]"),
            (
                "sort([\"b\", \"a\", 10, 9])",
                "[\"10\", \"9\", \"a\", \"b\"]",
            ),
            ("alltrue([true, \"true\"])", "true"),
            ("alltrue([var.pending, false])", "false"),
            ("anytrue([false, var.pending, true])", "true"),
            ("anytrue([])", "false"),
            ("concat([var.zones, [\"3\"]]...)", "[\"1\", \"2\", \"3\"]"),
            ("max([1, 5, 3]...)", "5"),
        ]);
        check_unknown(&[
            ("concat(var.pending, [1])", PENDING),
            ("contains(var.half, \"y\")", PENDING),
            ("contains(var.zones, var.pending)", PENDING),
            ("contains(var.pending, 1)", PENDING),
            ("length(var.pending)", PENDING),
            ("lookup(var.pending, \"a\", 1)", PENDING),
            ("lookup(var.tags, var.pending)", PENDING),
            ("merge(var.tags, var.pending)", PENDING),
            ("coalesce(null, var.pending, \"x\")", PENDING),
            ("coalescelist(var.pending, [1])", PENDING),
            ("keys(var.pending)", PENDING),
            ("values(var.pending)", PENDING),
            ("element(var.zones, var.pending)", PENDING),
            ("index(var.half, \"z\")", PENDING),
            ("flatten([[1], var.pending])", PENDING),
            ("distinct(var.half)", PENDING),
            ("compact(var.half)", PENDING),
            ("one(var.pending)", PENDING),
            ("range(var.pending)", PENDING),
            ("zipmap(var.half, [1, 2])", PENDING),
            ("reverse(var.pending)", PENDING),
            ("sort(var.half)", PENDING),
            ("alltrue([var.pending, true])", PENDING),
            ("concat([var.pending]...)", PENDING),
            ("concat(var.pending...)", PENDING),
        ]);
        check_error(
            ErrorKind::Invalid,
            &[
                ("concat([1], \"a\")", "string is not a list"),
                ("length(null)", "null value has no length"),
                ("length(1)", "number has no length"),
                ("lookup(var.tags, \"x\")", "no key `x`"),
                ("lookup(var.tags)", "2 or 3 arguments"),
                ("merge([1])", "list is not an object"),
                ("coalesce(null, \"\")", "non-null"),
                ("coalescelist([])", "non-empty"),
                ("keys([1])", "not an object"),
                ("element([], 0)", "empty list"),
                ("index([1], 2)", "not in the list"),
                ("one([1, 2])", "more than one"),
                ("range(1, 2, 0)", "step must not be zero"),
                ("range()", "1 to 3 arguments"),
                ("zipmap([\"a\"], [])", "1 keys but 0 values"),
                ("sum([])", "empty list"),
                ("concat(1...)", "`...` expands a list"),
            ],
        );
    }

    #[test]
    fn number_functions() {
        check(&[
            ("min(3, 1, 2)", "1"),
            ("max(\"3\", 10)", "10"),
            ("abs(-2.5)", "2.5"),
            ("ceil(1.2)", "2"),
            ("floor(-1.2)", "-2"),
            ("sum([1, 2, \"3\"])", "6"),
        ]);
        check_unknown(&[
            ("min(1, var.pending)", PENDING),
            ("abs(var.pending)", PENDING),
            ("sum([var.pending])", PENDING),
        ]);
        check_error(
            ErrorKind::Invalid,
            &[
                ("min()", "at least 1 argument"),
                ("abs(\"x\")", "cannot be used as a number"),
                ("ceil(1, 2)", "takes 1 argument"),
            ],
        );
    }

    #[test]
    fn conversion_functions() {
        check(&[
            ("tobool(\"true\")", "true"),
            ("tobool(false)", "false"),
            ("tobool(null)", "null"),
            ("tostring(5)", "\"5\""),
            ("tostring(0.5)", "\"0.5\""),
            ("tostring(true)", "\"true\""),
            ("tostring(null)", "null"),
            ("tonumber(\"1e3\")", "1000"),
            ("tonumber(\"-2.5\")", "-2.5"),
            ("tonumber(null)", "null"),
            ("tolist([1])", "[1]"),
            ("toset([\"b\", \"a\", \"b\"])", "[\"a\", \"b\"]"),
            ("toset([3, 1, 3])", "[1, 3]"),
            ("tomap({ a = 1 })", "{ a = 1 }"),
            ("sensitive(\"s\")", "\"s\""),
            ("nonsensitive(1)", "1"),
            ("\"x${-0}\"", "\"x0\""),
        ]);
        check_unknown(&[
            ("tobool(var.pending)", PENDING),
            ("tostring(var.pending)", PENDING),
            ("tonumber(var.pending)", PENDING),
            ("toset(var.half)", PENDING),
            ("tomap(var.pending)", PENDING),
            ("tolist(var.pending)", PENDING),
        ]);
        check_error(
            ErrorKind::Invalid,
            &[
                ("tobool(\"yes\")", "string cannot be used as a bool"),
                ("tostring([1])", "list cannot"),
                ("tonumber(\"inf\")", "\"inf\" cannot"),
                ("tonumber(\"1 \")", "cannot be used as a number"),
                ("tolist({ a = 1 })", "object is not a list"),
                ("tomap([1])", "list is not an object"),
            ],
        );
    }

    #[test]
    fn json_functions() {
        check(&[
            (
                "jsonencode({ b = [1, 2.5, null, true], a = \"<&>\" })",
                "\"{\\\"a\\\":\\\"\\\\u003c\\\\u0026\\\\u003e\\\",\\\"b\\\":[1,2.5,null,true]}\"",
            ),
            (
                "jsonencode(\"line\\nquote\\\"\")",
                "\"\\\"line\\\\nquote\\\\\\\"\\\"\"",
            ),
            (
                "jsondecode(\"{\\\"b\\\": [1, \\\"x\\\"], \\\"a\\\": null}\")",
                "{ a = null, b = [1, \"x\"] }",
            ),
            ("jsondecode(jsonencode(var.items)) == var.items", "true"),
        ]);
        check_unknown(&[
            ("jsonencode(var.half)", PENDING),
            ("jsonencode({ a = var.pending })", PENDING),
            ("jsondecode(var.pending)", PENDING),
        ]);
        check_error(
            ErrorKind::Invalid,
            &[
                ("jsondecode(\"{\")", "invalid JSON"),
                ("jsondecode(\"[1e999]\")", "invalid JSON"),
            ],
        );
    }

    #[test]
    fn try_and_can() {
        check(&[
            ("try(var.tags.missing, \"fallback\")", "\"fallback\""),
            ("try(var.tags.env, \"fallback\")", "\"dev\""),
            ("try(tonumber(\"x\"), lower([]), 3)", "3"),
            ("can(var.tags.missing)", "false"),
            ("can(var.tags.env)", "true"),
            ("can(tobool(\"maybe\"))", "false"),
            ("try(var.nothing.x, null)", "null"),
        ]);
        check_unknown(&[
            ("try(var.pending, \"x\")", PENDING),
            ("try(var.pending.attr, \"x\")", PENDING),
            ("try(var.tags.missing, var.half)", PENDING),
            ("can(var.pending)", PENDING),
        ]);
        check_error(
            ErrorKind::Invalid,
            &[
                ("try(var.tags.missing, lower([]))", "no argument"),
                ("try()", "no argument"),
                ("can(1, 2)", "takes 1 argument"),
            ],
        );
    }

    #[test]
    fn functions_not_evaluated() {
        check_unknown(&[
            ("file(\"x.txt\")", "function `file` reads files"),
            ("templatefile(\"t.tpl\", {})", "reads files"),
            ("filebase64(\"x\")", "reads files"),
            ("timestamp()", "new value on every run"),
            ("uuid()", "new value on every run"),
            (
                "cidrsubnet(\"10.0.0.0/16\", 8, 1)",
                "function `cidrsubnet` is not evaluated",
            ),
            (
                "no_such_function(1)",
                "function `no_such_function` is not evaluated",
            ),
            (
                "provider::azurerm::normalise_resource_id(\"x\")",
                "provider function `provider::azurerm::normalise_resource_id` is not evaluated",
            ),
            ("lower(file(\"x\"))", "reads files"),
        ]);
    }

    #[test]
    fn value_helpers() {
        let value = eval("{ a = [{ b = 1 }, var.pending], c = \"true\" }");
        assert_eq!(value.unknown_reason(), Some(PENDING));
        assert!(!value.is_wholly_known());
        assert_eq!(value.get("c").and_then(TfValue::as_bool), Some(true));
        assert_eq!(value.get("c").and_then(TfValue::as_str), Some("true"));
        let at = |path: &[PathStep]| value.at_path(path).cloned();
        let a = PathStep::Attr("a".into());
        assert_eq!(
            at(&[
                a.clone(),
                PathStep::Index(n(0.0)),
                PathStep::Attr("b".into())
            ]),
            Some(n(1.0))
        );
        assert_eq!(
            at(&[
                a.clone(),
                PathStep::Index(n(1.0)),
                PathStep::Attr("b".into())
            ]),
            Some(TfValue::Unknown(PENDING.into()))
        );
        assert_eq!(at(&[PathStep::Index(s("c"))]), Some(s("true")));
        assert_eq!(at(&[a.clone(), PathStep::Index(n(5.0))]), None);
        assert_eq!(at(&[PathStep::Attr("z".into())]), None);
        assert_eq!(TfValue::Null.type_name(), "null");
        assert_eq!(
            evaluate(&parse("1 / 0"), &TestScope::default()),
            TfValue::Unknown("division by zero".into())
        );
    }

    fn nested_parentheses(depth: usize) -> Expression {
        let mut expr = parse("1");
        for _ in 0..depth {
            expr = Expression::Parenthesis(Box::new(Parenthesis::new(expr)));
        }
        expr
    }

    #[test]
    fn nesting_is_bounded() {
        let scope = TestScope::default();
        assert_eq!(evaluate(&nested_parentheses(MAX_DEPTH - 1), &scope), n(1.0));
        assert_eq!(
            evaluate(&nested_parentheses(MAX_DEPTH + 1), &scope),
            TfValue::Unknown(NESTED_TOO_DEEPLY.into())
        );
        let chain = vec!["1"; 100].join(" + ");
        let deep = format!("{}{chain}{}", "[".repeat(40), "]".repeat(40));
        check_unknown(&[(deep.as_str(), NESTED_TOO_DEEPLY)]);
        let kind = try_evaluate(&parse(&deep), &scope).map_err(|error| error.kind);
        assert_eq!(kind, Err(ErrorKind::Limit));
        // Bounds are not errors `try` can catch.
        check_unknown(&[(&format!("try({deep}, 1)"), NESTED_TOO_DEEPLY)]);
    }

    /// The deepest expressions allowed, built from the costliest nodes, fit a test thread's stack.
    #[test]
    fn deepest_expressions_fit_the_stack() {
        let wrappers: &[fn(&str) -> String] = &[
            |inner| format!("lower(format(\"%s\", {inner}))"),
            |inner| format!("\"%{{if true}}${{{inner}}}%{{endif}}\""),
            |inner| format!("[for x in [1] : {inner}][0]"),
            |inner| format!("true ? {inner} : 0"),
            |inner| format!("try({inner}, 1)"),
        ];
        for wrap in wrappers {
            let mut expr = parse("var.name");
            for _ in 0..MAX_DEPTH {
                let inner = "(PLACEHOLDER)";
                let mut outer = parse(&wrap(inner));
                replace_placeholder(&mut outer, &expr);
                expr = outer;
            }
            let value = evaluate(&expr, &TestScope::default());
            assert_eq!(value, TfValue::Unknown(NESTED_TOO_DEEPLY.into()));
        }
    }

    /// Replaces the variable `PLACEHOLDER` in `expr` by `with`.
    fn replace_placeholder(expr: &mut Expression, with: &Expression) {
        use hcl_edit::visit_mut::{VisitMut, visit_expr_mut};
        struct Replace<'a>(&'a Expression);
        impl VisitMut for Replace<'_> {
            fn visit_expr_mut(&mut self, node: &mut Expression) {
                if node
                    .as_variable()
                    .is_some_and(|name| name.as_str() == "PLACEHOLDER")
                {
                    *node = self.0.clone();
                } else {
                    visit_expr_mut(self, node);
                }
            }
        }
        Replace(with).visit_expr_mut(expr);
    }

    #[test]
    fn sizes_are_bounded() {
        check_unknown(&[
            ("format(\"%2000000s\", \"x\")", TOO_LARGE),
            (
                "replace(format(\"%1000s\", \"\"), \" \", format(\"%2000s\", \"\"))",
                TOO_LARGE,
            ),
            (
                "join(\"\", [for i in range(1000) : format(\"%2000s\", \"\")])",
                TOO_LARGE,
            ),
            (
                "\"%{for i in range(1000)}${format(\"%2000s\", \"\")}%{endfor}\"",
                TOO_LARGE,
            ),
            (
                "jsonencode([for i in range(1000) : format(\"%2000s\", \"\")])",
                TOO_LARGE,
            ),
            ("flatten([for i in range(1000) : range(1000)])", TOO_LARGE),
            ("concat([for i in range(1000) : range(1000)]...)", TOO_LARGE),
            ("range(2000)", TOO_LARGE),
            ("range(0, 1, 1e-9)", TOO_LARGE),
            ("split(\"\", format(\"%200000s\", \"\"))", TOO_LARGE),
        ]);
        check(&[
            ("length(format(\"%1048576s\", \"\"))", "1048576"),
            ("length(range(1024))", "1024"),
        ]);
    }

    #[test]
    fn steps_and_copied_data_are_bounded() {
        check_unknown(&[
            (
                "[for i in range(1000) : [for j in range(1000) : j]]",
                TOO_MANY_STEPS,
            ),
            (
                "length([for i in range(1000) : [for j in range(100) : format(\"%1000s\", \"\")]])",
                TOO_LARGE,
            ),
        ]);
    }

    /// A deterministic pseudo-random sequence (xorshift).
    struct Random(u64);

    impl Random {
        fn below(&mut self, bound: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % bound.max(1) as u64) as usize
        }

        fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
            items.get(self.below(items.len())).copied().unwrap_or("")
        }
    }

    const FUNCTIONS: &[&str] = &[
        "lower",
        "upper",
        "title",
        "trimspace",
        "trim",
        "trimprefix",
        "trimsuffix",
        "replace",
        "format",
        "join",
        "split",
        "concat",
        "contains",
        "length",
        "lookup",
        "merge",
        "coalesce",
        "coalescelist",
        "try",
        "can",
        "tobool",
        "tostring",
        "tonumber",
        "tolist",
        "toset",
        "tomap",
        "keys",
        "values",
        "element",
        "index",
        "flatten",
        "distinct",
        "compact",
        "min",
        "max",
        "abs",
        "ceil",
        "floor",
        "jsonencode",
        "jsondecode",
        "startswith",
        "endswith",
        "substr",
        "one",
        "range",
        "zipmap",
        "reverse",
        "sort",
        "sum",
        "alltrue",
        "anytrue",
        "file",
        "unknown_fn",
    ];

    const ATOMS: &[&str] = &[
        "null",
        "true",
        "false",
        "0",
        "-1",
        "2.5",
        "1e300",
        "\"\"",
        "\"a,b\"",
        "\"%s%d%v\"",
        "\"true\"",
        "\"{\\\"a\\\":1}\"",
        "var.name",
        "var.zones",
        "var.items",
        "var.tags",
        "var.pending",
        "var.half",
        "var.nothing",
        "local.config",
        "each.value",
        "count.index",
        "azurerm_container_registry.many",
        "x",
        "[]",
        "{}",
    ];

    /// A random expression from the grammar, at most `depth` levels deep.
    fn generate(random: &mut Random, depth: usize) -> String {
        if depth == 0 {
            return random.pick(ATOMS).to_string();
        }
        let mut sub = || generate(random, depth - 1);
        let (a, b, c) = (sub(), sub(), sub());
        match random.below(12) {
            0 => format!("[{a}, {b}]"),
            1 => format!("{{ k = {a}, (\"{c}\") = {b} }}"),
            2 => format!(
                "{a} {} {b}",
                ["+", "-", "*", "/", "%", "==", "!=", "<", ">=", "&&", "||"]
                    .get(random.below(11))
                    .unwrap_or(&"+")
            ),
            3 => format!("{a} ? {b} : {c}"),
            4 => format!("[for x in {a} : {b} if {c}]"),
            5 => format!("{{for k, x in {a} : tostring(k) => {b}...}}"),
            6 => format!("\"${{{a}}}-%{{if {b}}}y%{{else}}${{{c}}}%{{endif}}\""),
            7 => format!("({a})[*].name"),
            8 => format!("({a})[{b}]"),
            9 => format!("!{a}"),
            _ => {
                let name = random.pick(FUNCTIONS);
                match random.below(4) {
                    0 => format!("{name}()"),
                    1 => format!("{name}({a})"),
                    2 => format!("{name}({a}, {b})"),
                    _ => format!("{name}({a}, {b}, {c}...)"),
                }
            }
        }
    }

    /// Mutates `text` at character positions: deletes, duplicates or inserts a token.
    fn mutate(random: &mut Random, text: &str) -> String {
        const TOKENS: &[&str] = &[
            "[", "]", "{", "}", "(", ")", "${", "%{", "~", "\"", ".", "*", "...", "?", ":", "=>",
            ",", "for", "if", "-", "!", "<<EOT\n", "\n",
        ];
        let mut chars: Vec<char> = text.chars().collect();
        for _ in 0..=random.below(3) {
            let at = random.below(chars.len() + 1);
            let end = (at + random.below(8)).min(chars.len());
            match random.below(3) {
                0 => {
                    chars.drain(at..end);
                }
                1 => {
                    let copy: Vec<char> = chars.get(at..end).unwrap_or(&[]).to_vec();
                    chars.splice(at..at, copy);
                }
                _ => {
                    chars.splice(at..at, random.pick(TOKENS).chars());
                }
            }
        }
        chars.into_iter().collect()
    }

    /// A scope that answers with awkward values: too deep, unknown, large, or nothing.
    struct AwkwardScope;

    impl AwkwardScope {
        fn value(name: &str) -> Option<TfValue> {
            match name.len() % 4 {
                0 => Some(
                    (0..MAX_VALUE_DEPTH + 10)
                        .fold(TfValue::Null, |inner, _| TfValue::List(vec![inner])),
                ),
                1 => Some(TfValue::Unknown(format!("`{name}` is awkward"))),
                2 => Some(TfValue::List(vec![
                    obj(&[
                        ("name", s(name)),
                        ("value", n(1.0))
                    ]);
                    100
                ])),
                _ => None,
            }
        }
    }

    impl Scope for AwkwardScope {
        fn variable(&self, name: &str) -> Option<TfValue> {
            Self::value(name)
        }

        fn local(&self, name: &str) -> Option<TfValue> {
            Self::value(name)
        }

        fn reference(&self, root: &str, path: &[PathStep]) -> Option<TfValue> {
            Self::value(&format!("{root}{}", path.len()))
        }
    }

    #[test]
    fn garbage_input_never_panics() {
        let (scope, awkward) = (TestScope::default(), AwkwardScope);
        let mut random = Random(0x2545_f491_4f6c_dd1d);
        let mut parsed = 0;
        for round in 0..4000 {
            let generated = generate(&mut random, 1 + round % 4);
            let src = if round % 2 == 0 {
                generated
            } else {
                mutate(&mut random, &generated)
            };
            if let Ok(expr) = parse_expr(&src) {
                parsed += 1;
                let _ = evaluate(&expr, &scope);
                let _ = evaluate(&expr, &awkward);
                let _ = reference_of(&expr);
            }
        }
        assert!(parsed > 2000, "only {parsed} inputs parsed");
    }
}
