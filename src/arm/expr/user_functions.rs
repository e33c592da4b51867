//! User-defined functions (`"functions"` of a template, Bicep `func`): `ns.member(...)` evaluates
//! the member's `output.value` in a scope that sees only its parameters, bound to the arguments.

use std::borrow::Cow;

use super::eval::{Env, Evaluator};
use super::parser::Call;
use super::value::{Val, keys_match, measure};
use super::{ExprError, error_at, is_expression, parse, unescape_literal};

/// A user-defined function: its parameter names, in order, and its `output.value`, whose strings
/// are expressions still to evaluate.
#[derive(Debug, Clone, PartialEq)]
pub struct UserFunction {
    pub parameters: Vec<String>,
    pub output: Val,
}

/// How many user-defined function calls may be under evaluation at once.
pub const MAX_USER_FUNCTION_DEPTH: usize = 8;

/// What a function body sees: its arguments as `parameters()`, the caller's deployment scope and
/// functions, and no variables or copy indexes.
struct BodyEnv<'a> {
    caller: &'a dyn Env,
    arguments: Vec<(String, Val)>,
}

impl Env for BodyEnv<'_> {
    fn parameter(&self, name: &str) -> Option<Val> {
        self.arguments
            .iter()
            .find(|(declared, _)| keys_match(declared, name))
            .map(|(_, value)| value.clone())
    }
    fn variable(&self, _name: &str) -> Option<Val> {
        None
    }
    fn copy_index(&self, _loop_name: Option<&str>) -> Option<i64> {
        None
    }
    fn resource_group(&self) -> Cow<'_, Val> {
        self.caller.resource_group()
    }
    fn subscription(&self) -> Cow<'_, Val> {
        self.caller.subscription()
    }
    fn deployment(&self) -> Val {
        self.caller.deployment()
    }
    fn tenant(&self) -> Val {
        self.caller.tenant()
    }
    fn environment(&self) -> Val {
        self.caller.environment()
    }
    fn user_function(&self, name: &str) -> Option<UserFunction> {
        self.caller.user_function(name)
    }
}

impl Evaluator<'_> {
    /// Calls the user-defined function `call` names, or `None` when the environment declares none
    /// of that name.
    pub(super) fn user_call(
        &mut self,
        call: &Call,
        offset: usize,
    ) -> Option<Result<Val, ExprError>> {
        let function = self.env.user_function(&call.key)?;
        Some(self.call_user_function(call, &function, offset))
    }

    fn call_user_function(
        &mut self,
        call: &Call,
        function: &UserFunction,
        offset: usize,
    ) -> Result<Val, ExprError> {
        let name = &call.name;
        if self.user_calls.contains(&call.key) {
            return Ok(Val::Unknown(format!(
                "`{name}()` calls itself, which user-defined functions may not"
            )));
        }
        if self.user_calls.len() >= MAX_USER_FUNCTION_DEPTH {
            return Ok(Val::Unknown(format!(
                "user-defined functions nest more than {MAX_USER_FUNCTION_DEPTH} deep at `{name}()`"
            )));
        }
        if call.args.len() != function.parameters.len() {
            return Err(error_at(
                offset,
                format!(
                    "`{name}()` takes {} arguments, not {}",
                    function.parameters.len(),
                    call.args.len()
                ),
            ));
        }
        let mut arguments = Vec::with_capacity(call.args.len());
        for (parameter, arg) in function.parameters.iter().zip(&call.args) {
            arguments.push((parameter.clone(), self.eval(arg)?));
        }
        let body = BodyEnv {
            caller: self.env,
            arguments,
        };
        let mut inner = Evaluator::new(&body);
        inner.budget = std::mem::replace(&mut self.budget, super::budget::Budget(0));
        inner.user_calls = std::mem::take(&mut self.user_calls);
        inner.user_calls.push(call.key.clone());
        let result = inner.eval_output(&function.output);
        self.budget = inner.budget;
        self.user_calls = inner.user_calls;
        self.user_calls.pop();
        result.map_err(|e| error_at(offset, format!("in `{name}()`: {}", e.message)))
    }

    /// A function's `output.value`: its expression strings evaluated, other values as they are.
    fn eval_output(&mut self, output: &Val) -> Result<Val, ExprError> {
        let weight = measure(output).map_err(|fail| fail.into_error(0))?;
        self.budget
            .spend(weight)
            .map_err(|fail| fail.into_error(0))?;
        self.eval_output_part(output)
    }

    fn eval_output_part(&mut self, output: &Val) -> Result<Val, ExprError> {
        match output {
            Val::String(text) if is_expression(text) => {
                let expr = parse(text)?;
                self.eval(&expr)
            }
            Val::String(text) => Ok(Val::String(unescape_literal(text).to_string())),
            Val::Array(items) => items
                .iter()
                .map(|item| self.eval_output_part(item))
                .collect::<Result<_, _>>()
                .map(Val::Array),
            Val::Object(entries) => entries
                .iter()
                .map(|(key, value)| Ok((key.clone(), self.eval_output_part(value)?)))
                .collect::<Result<_, _>>()
                .map(Val::Object),
            other => Ok(other.clone()),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::arm::expr::test_support::*;
    use crate::arm::expr::*;
    use serde_json::json;

    #[test]
    fn arguments_bind_parameters_without_regard_to_case() {
        check(&[
            ("[ns.suffix('v')]", json!("vx")),
            ("[NS.Suffix(parameters('name'))]", json!("myacrx")),
            ("[ns.twice('v')]", json!("vxx")),
            (
                "[ns.pair('a', 2)]",
                json!({"first": "a", "rest": [2, "[lit]", 3]}),
            ),
            ("[ns.mapped(createArray('a', 'b'))]", json!(["ax", "bx"])),
            ("[ns.group()]", json!("Microsoft.Resources/resourceGroups")),
            ("[length(ns.suffix('v'))]", json!(2)),
        ]);
    }

    #[test]
    fn unknown_arguments_give_unknowns_only_where_used() {
        assert_eq!(unknown("[ns.suffix(parameters('adminEnabled'))]"), NO_ADMIN);
        assert_eq!(unknown("[ns.twice(parameters('adminEnabled'))]"), NO_ADMIN);
        assert_eq!(eval("[ns.ignores(parameters('adminEnabled'))]"), s("fixed"));
    }

    #[test]
    fn cycles_and_deep_chains_are_unknown() {
        assert!(unknown("[ns.self()]").contains("`ns.self()` calls itself"));
        assert!(unknown("[ns.ping()]").contains("`ns.ping()` calls itself"));
        // `chain.fN` calls `chain.fN+1` until `chain.f{MAX + 1}`: from f2 the chain is MAX calls long.
        assert!(unknown("[chain.f1()]").contains("nest more than"));
        assert_eq!(
            eval("[chain.f2()]"),
            s(&format!("{}end", "c".repeat(MAX_USER_FUNCTION_DEPTH - 1)))
        );
    }

    #[test]
    fn undeclared_functions_are_unknown() {
        assert!(unknown("[other.fn('v')]").contains("user-defined function"));
    }

    #[test]
    fn body_errors_point_at_the_call() {
        let e = error("[concat('a', ns.variable())]");
        assert_eq!(e.offset, 13);
        assert!(e.message.starts_with("in `ns.variable()`"), "{e}");
        let e = error("[ns.suffix('a', 'b')]");
        assert_eq!(e.offset, 1);
        assert!(e.message.contains("takes 1 arguments, not 2"), "{e}");
        let e = error("[ns.double(ns.double(parameters('big')))]");
        assert!(e.message.contains("result too large"), "{e}");
    }
}

#[cfg(test)]
mod deep_tests {
    use crate::arm::expr::*;

    /// `deep.fN` nests `MAX_NESTING - 2` calls around a call to `deep.fN+1`.
    struct DeepEnv;

    impl Env for DeepEnv {
        fn parameter(&self, _name: &str) -> Option<Val> {
            None
        }
        fn variable(&self, _name: &str) -> Option<Val> {
            None
        }
        fn copy_index(&self, _loop_name: Option<&str>) -> Option<i64> {
            None
        }
        fn user_function(&self, name: &str) -> Option<UserFunction> {
            let depth: usize = name.strip_prefix("deep.f")?.parse().ok()?;
            let wrap = MAX_NESTING - 2;
            let body = format!(
                "[{}deep.f{}(){}]",
                "concat('a', ".repeat(wrap),
                depth + 1,
                ")".repeat(wrap)
            );
            Some(UserFunction {
                parameters: Vec::new(),
                output: Val::String(body),
            })
        }
    }

    #[test]
    fn deeply_nested_bodies_in_a_long_chain_stay_within_the_stack() {
        let value = evaluate("[deep.f0()]", &DeepEnv);
        assert!(
            matches!(&value, Ok(Val::Unknown(reason)) if reason.contains("nest more than")),
            "{value:?}"
        );
    }
}
