//! Provenance: which template input an expression reads unchanged.

use super::eval::{Env, Evaluator};
use super::parser::{Expr, Kind, parse};
use super::value::{Val, as_int};
use super::{MAX_NESTING, is_expression};

/// Where an expression's value is read from unchanged: a parameter or variable, then member and
/// index steps. Callers use it to point at the literal that set a value rather than at the
/// expression that passed it on.
#[derive(Debug, Clone, PartialEq)]
pub struct Access {
    pub root: AccessRoot,
    pub steps: Vec<AccessStep>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum AccessRoot {
    Parameter(String),
    Variable(String),
    /// A user-defined function whose output is written out, with no expression in it: its
    /// `namespace.member` in lower case.
    Function(String),
}

#[derive(Debug, Clone, PartialEq)]
pub enum AccessStep {
    Key(String),
    Index(usize),
}

/// The input an expression reads unchanged: `parameters('a')`, `variables('b').c[2]`,
/// `parameters('list')[copyIndex()]`, or either branch of an `if()` whose condition is known.
/// `None` for anything computed, and for expressions that do not parse or evaluate.
pub fn access_path(text: &str, env: &dyn Env) -> Option<Access> {
    if !is_expression(text) {
        return None;
    }
    access_of(&parse(text).ok()?, env)
}

/// [`access_path`] of an expression already parsed.
pub fn access_of(expr: &Expr, env: &dyn Env) -> Option<Access> {
    let mut evaluator = Evaluator::new(env);
    trace(expr, &mut evaluator, 0)
}

pub(super) fn trace(expr: &Expr, evaluator: &mut Evaluator<'_>, depth: usize) -> Option<Access> {
    if depth > MAX_NESTING {
        return None;
    }
    match &expr.kind {
        Kind::Call(call) => match (call.key.as_str(), call.args.as_slice()) {
            ("parameters" | "variables", [name]) => {
                let Kind::Literal(Val::String(name)) = &name.kind else {
                    return None;
                };
                let root = if call.key == "parameters" {
                    AccessRoot::Parameter(name.clone())
                } else {
                    AccessRoot::Variable(name.clone())
                };
                Some(Access {
                    root,
                    steps: Vec::new(),
                })
            }
            (key, _) if key.contains('.') => {
                let function = evaluator.env.user_function(key)?;
                (!has_expression(&function.output, 0)).then(|| Access {
                    root: AccessRoot::Function(key.to_string()),
                    steps: Vec::new(),
                })
            }
            ("if", [condition, when_true, when_false]) => match evaluator.eval(condition).ok()? {
                Val::Bool(true) => trace(when_true, evaluator, depth + 1),
                Val::Bool(false) => trace(when_false, evaluator, depth + 1),
                _ => None,
            },
            ("coalesce", args) => trace_coalesce(args, evaluator, depth),
            ("tryget", [target, keys @ ..]) if !keys.is_empty() => {
                let mut access = trace(target, evaluator, depth + 1)?;
                for key in keys {
                    access.steps.push(step_of(evaluator.eval(key).ok()?)?);
                }
                Some(access)
            }
            _ => None,
        },
        Kind::Member { target, name, .. } => {
            let mut access = trace(target, evaluator, depth + 1)?;
            access.steps.push(AccessStep::Key(name.clone()));
            Some(access)
        }
        Kind::Index { target, index, .. } => {
            let mut access = trace(target, evaluator, depth + 1)?;
            access.steps.push(step_of(evaluator.eval(index).ok()?)?);
            Some(access)
        }
        Kind::Literal(_) => None,
    }
}

/// A member name or an array index, as an index expression or `tryGet()` gives it.
fn step_of(key: Val) -> Option<AccessStep> {
    match key {
        Val::String(key) => Some(AccessStep::Key(key)),
        other => Some(AccessStep::Index(usize::try_from(as_int(&other)?).ok()?)),
    }
}

/// The argument `coalesce()` takes (its first that is not null), where that is read unchanged;
/// `None` where an argument before it is not known.
fn trace_coalesce(args: &[Expr], evaluator: &mut Evaluator<'_>, depth: usize) -> Option<Access> {
    for arg in args {
        match evaluator.eval(arg).ok()? {
            Val::Null => {}
            Val::Unknown(_) => return None,
            _ => return trace(arg, evaluator, depth + 1),
        }
    }
    None
}

/// Whether a function's output holds an expression still to evaluate.
fn has_expression(value: &Val, depth: usize) -> bool {
    if depth > MAX_NESTING {
        return true;
    }
    match value {
        Val::String(text) => is_expression(text),
        Val::Array(items) => items.iter().any(|item| has_expression(item, depth + 1)),
        Val::Object(members) => members
            .iter()
            .any(|(_, item)| has_expression(item, depth + 1)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use crate::arm::expr::test_support::*;
    use crate::arm::expr::*;

    #[test]
    fn access_paths_follow_inputs_read_unchanged() {
        let path = |text: &str| access_path(text, &env());
        let parameter = |name: &str, steps: Vec<AccessStep>| {
            Some(Access {
                root: AccessRoot::Parameter(name.to_string()),
                steps,
            })
        };
        assert_eq!(path("[parameters('sku')]"), parameter("sku", vec![]));
        assert_eq!(
            path("[parameters('obj').a['b'][copyIndex()]]"),
            parameter(
                "obj",
                vec![
                    AccessStep::Key("a".into()),
                    AccessStep::Key("b".into()),
                    AccessStep::Index(2)
                ]
            )
        );
        assert_eq!(
            path("[if(equals(parameters('sku'), 'Premium'), variables('prefix'), null())]"),
            Some(Access {
                root: AccessRoot::Variable("prefix".into()),
                steps: vec![],
            })
        );
        assert_eq!(
            path("[if(parameters('adminEnabled'), parameters('sku'), 'x')]"),
            None
        );
        assert_eq!(
            path("[coalesce(null(), tryGet(parameters('obj'), 'a'), 'x')]"),
            parameter("obj", vec![AccessStep::Key("a".into())])
        );
        assert_eq!(
            path("[coalesce(tryGet(parameters('obj'), 'missing'), parameters('sku'))]"),
            parameter("sku", vec![])
        );
        assert_eq!(
            path("[coalesce(tryGet(parameters('obj'), 'missing'), 'x')]"),
            None
        );
        assert_eq!(path("[concat(parameters('sku'), 'x')]"), None);
        assert_eq!(path("[parameters(variables('prefix'))]"), None);
        assert_eq!(path("plain"), None);
        assert_eq!(path("[parameters('list')[-1]]"), None);
    }
}
