//! The ARM function library, by family. Strict functions get their arguments evaluated (a
//! top-level unknown argument makes the result unknown before the function runs, except for
//! `createArray` and `createObject`, which keep unknowns as leaves); lazy functions (`if`, `and`,
//! `or`, `coalesce` and the lambda functions) evaluate their arguments only as far as needed.

mod array_object;
mod conversion;
mod deployment_scope;
mod encoding;
mod lambdas;
mod logical_comparison;
mod numeric;
mod resource_ids;
mod string;

use std::borrow::Cow;

use crate::arm::expr::budget::{Fail, fail};
use crate::arm::expr::eval::known_at_deployment;
use crate::arm::expr::eval::{Env, Evaluator};
use crate::arm::expr::parser::{Call, Expr, Kind};
use crate::arm::expr::value::{Val, as_int, measure};
use crate::arm::expr::{ExprError, NOT_EVALUATED, error_at};

/// Evaluated arguments of one call.
pub(super) struct Args<'n> {
    pub(super) name: &'n str,
    pub(super) vals: Vec<Val>,
}

impl Args<'_> {
    pub(super) fn count(&self, min: usize, max: usize) -> Result<(), Fail> {
        let got = self.vals.len();
        if got < min || got > max {
            return Err(arity_error(self.name, min, max, got));
        }
        Ok(())
    }

    pub(super) fn arg(&self, i: usize) -> Result<&Val, Fail> {
        self.vals
            .get(i)
            .ok_or_else(|| fail(format!("`{}()` is missing argument {}", self.name, i + 1)))
    }

    pub(super) fn str(&self, i: usize) -> Result<&str, Fail> {
        match self.arg(i)? {
            Val::String(s) => Ok(s),
            other => Err(type_error(self.name, i, "a string", other)),
        }
    }

    pub(super) fn int(&self, i: usize) -> Result<i64, Fail> {
        let value = self.arg(i)?;
        as_int(value).ok_or_else(|| type_error(self.name, i, "an integer", value))
    }

    pub(super) fn array(&self, i: usize) -> Result<&[Val], Fail> {
        match self.arg(i)? {
            Val::Array(items) => Ok(items),
            other => Err(type_error(self.name, i, "an array", other)),
        }
    }

    pub(super) fn object(&self, i: usize) -> Result<&[(String, Val)], Fail> {
        match self.arg(i)? {
            Val::Object(entries) => Ok(entries),
            other => Err(type_error(self.name, i, "an object", other)),
        }
    }

    /// Every argument as a string.
    pub(super) fn strings(&self) -> Result<Vec<&str>, Fail> {
        (0..self.vals.len()).map(|i| self.str(i)).collect()
    }

    pub(super) fn take(&mut self, i: usize) -> Val {
        self.vals
            .get_mut(i)
            .map_or(Val::Null, |value| std::mem::replace(value, Val::Null))
    }

    pub(super) fn wrong_type(&self, i: usize, expected: &str) -> Fail {
        match self.arg(i) {
            Ok(value) => type_error(self.name, i, expected, value),
            Err(missing) => missing,
        }
    }
}

pub(super) fn arity_error(name: &str, min: usize, max: usize, got: usize) -> Fail {
    let expected = match (min, max) {
        (0, 0) => "no arguments".to_string(),
        (min, usize::MAX) => format!("at least {min} argument{}", plural(min)),
        (min, max) if min == max => format!("{min} argument{}", plural(min)),
        (min, max) => format!("{min} to {max} arguments"),
    };
    fail(format!("`{name}()` takes {expected}, got {got}"))
}

pub(super) fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

pub(super) fn type_error(name: &str, i: usize, expected: &str, got: &Val) -> Fail {
    fail(format!(
        "`{name}()` expects argument {} to be {expected}, not {}",
        i + 1,
        got.type_name()
    ))
}

pub(super) type Builtin = fn(&mut Evaluator<'_>, &mut Args<'_>) -> Result<Val, Fail>;

pub(super) fn lookup(key: &str) -> Option<Builtin> {
    let builtin: Builtin = match key {
        "parameters" => deployment_scope::parameters,
        "variables" => deployment_scope::variables,
        "copyindex" => deployment_scope::copy_index,
        "lambdavariables" => lambdas::lambda_variables,
        "resourcegroup" => {
            |ev, a| deployment_scope::scope_object(ev, a, |env| env.resource_group())
        }
        "subscription" => |ev, a| deployment_scope::scope_object(ev, a, |env| env.subscription()),
        "deployment" => {
            |ev, a| deployment_scope::scope_object(ev, a, |env| Cow::Owned(env.deployment()))
        }
        "tenant" => |ev, a| deployment_scope::scope_object(ev, a, |env| Cow::Owned(env.tenant())),
        "environment" => {
            |ev, a| deployment_scope::scope_object(ev, a, |env| Cow::Owned(env.environment()))
        }
        "true" => |_, a| a.count(0, 0).map(|()| Val::Bool(true)),
        "false" => |_, a| a.count(0, 0).map(|()| Val::Bool(false)),
        "null" => |_, a| a.count(0, 0).map(|()| Val::Null),
        "not" => logical_comparison::not,
        "equals" => logical_comparison::equals,
        "bool" => conversion::to_bool,
        "int" => conversion::to_int,
        "float" => conversion::to_float,
        "string" => conversion::to_string,
        "json" => conversion::json,
        "array" => conversion::array,
        "concat" => string::concat,
        "format" => string::format,
        "tolower" => |_, a| string::map_string(a, str::to_lowercase),
        "toupper" => |_, a| string::map_string(a, str::to_uppercase),
        "trim" => |_, a| string::map_string(a, |s| s.trim().to_string()),
        "replace" => string::replace,
        "contains" => array_object::contains,
        "empty" => array_object::empty,
        "length" => array_object::length,
        "union" => array_object::union,
        "intersection" => array_object::intersection,
        "shallowmerge" => array_object::shallow_merge,
        "createobject" => array_object::create_object,
        "createarray" => |_, a| Ok(Val::Array(std::mem::take(&mut a.vals))),
        "tryget" => array_object::try_get,
        "items" => array_object::items,
        "objectkeys" => array_object::object_keys,
        "split" => string::split,
        "join" => string::join,
        "first" => |_, a| array_object::first_or_last(a, true),
        "last" => |_, a| array_object::first_or_last(a, false),
        "substring" => string::substring,
        "startswith" => |_, a| string::affix(a, true),
        "endswith" => |_, a| string::affix(a, false),
        "indexof" => |ev, a| array_object::index_of(ev, a, false),
        "lastindexof" => |ev, a| array_object::index_of(ev, a, true),
        "skip" => |_, a| array_object::skip_or_take(a, true),
        "take" => |_, a| array_object::skip_or_take(a, false),
        "padleft" => string::pad_left,
        "min" => |_, a| numeric::min_or_max(a, true),
        "max" => |_, a| numeric::min_or_max(a, false),
        "range" => numeric::range,
        "add" => |_, a| numeric::arithmetic(a, i64::checked_add),
        "sub" => |_, a| numeric::arithmetic(a, i64::checked_sub),
        "mul" => |_, a| numeric::arithmetic(a, i64::checked_mul),
        "div" => |_, a| numeric::division(a, i64::checked_div),
        "mod" => |_, a| numeric::division(a, i64::checked_rem),
        "greater" => |_, a| logical_comparison::ordering(a, std::cmp::Ordering::is_gt),
        "greaterorequals" => |_, a| logical_comparison::ordering(a, std::cmp::Ordering::is_ge),
        "less" => |_, a| logical_comparison::ordering(a, std::cmp::Ordering::is_lt),
        "lessorequals" => |_, a| logical_comparison::ordering(a, std::cmp::Ordering::is_le),
        "uniquestring" => encoding::unique_string,
        "guid" => encoding::guid,
        "base64" => encoding::base64,
        "base64tostring" => encoding::base64_to_string,
        "resourceid" => resource_ids::resource_id,
        "subscriptionresourceid" => resource_ids::subscription_resource_id,
        "tenantresourceid" => resource_ids::tenant_resource_id,
        "extensionresourceid" => resource_ids::extension_resource_id,
        "managementgroupresourceid" => resource_ids::management_group_resource_id,
        _ => return None,
    };
    Some(builtin)
}

/// Why a call is unknown without evaluating it: deployment-time functions, user-defined functions
/// and recognised ARM functions that are not evaluated.
pub(super) fn deferred_reason(key: &str, name: &str) -> Option<String> {
    if key.contains('.') {
        return Some(format!(
            "`{name}()` is a user-defined function, which is not evaluated"
        ));
    }
    let at_deployment = key.starts_with("list")
        || matches!(
            key,
            "reference" | "pickzones" | "utcnow" | "newguid" | "deployer" | "managementgroup"
        );
    if at_deployment {
        return Some(known_at_deployment(&format!("{name}()")));
    }
    if key == "fail" {
        return Some("the template calls `fail()` here".to_string());
    }
    NOT_EVALUATED
        .contains(&key)
        .then(|| format!("`{name}()` is not evaluated by acr-lint"))
}

/// Calls the library function `name` (in any case) with arguments already evaluated, as the
/// evaluator calls a function whose arguments evaluated to `args`: for a front end that evaluates
/// its own syntax tree. Unknown arguments and deployment-time functions give unknowns as in
/// [`evaluate`](crate::arm::expr::evaluate); the lambda functions, which take `lambda(...)` syntax,
/// are errors. Errors are at offset 0.
pub fn call_function(name: &str, args: Vec<Val>, env: &dyn Env) -> Result<Val, ExprError> {
    let args = args
        .into_iter()
        .map(|value| Expr {
            offset: 0,
            kind: Kind::Literal(value),
        })
        .collect();
    let call = Call {
        name: name.to_string(),
        key: name.to_lowercase(),
        args,
    };
    let value = Evaluator::new(env).call(&call, 0)?;
    measure(&value).map_err(|fail| fail.into_error(0))?;
    Ok(value)
}

impl Evaluator<'_> {
    pub(super) fn lazy_call(
        &mut self,
        call: &Call,
        offset: usize,
    ) -> Option<Result<Val, ExprError>> {
        let args = call.args.as_slice();
        let result = match call.key.as_str() {
            "if" => self.eval_if(call, args, offset),
            "and" => self.eval_logical(call, args, offset, false),
            "or" => self.eval_logical(call, args, offset, true),
            "coalesce" => self.eval_coalesce(call, args, offset),
            "map" => self.eval_map(call, args, offset),
            "filter" => self.eval_filter(call, args, offset),
            "reduce" => self.eval_reduce(call, args, offset),
            "toobject" => self.eval_to_object(call, args, offset),
            "lambda" => Err(error_at(
                offset,
                "`lambda()` can only be an argument of `map`, `filter`, `reduce` or `toObject`",
            )),
            _ => return None,
        };
        Some(result)
    }
}

#[cfg(test)]
mod tests {
    use crate::arm::expr::test_support::*;
    use crate::arm::expr::*;

    #[test]
    fn unknown_functions_and_bad_calls_are_errors_at_the_call() {
        let e = error("[foo(1)]");
        assert_eq!(
            (e.offset, e.message.as_str()),
            (1, "unknown function `foo`")
        );
        let e = error("[concat('a', toLower(1))]");
        assert_eq!(e.offset, 13);
        assert_eq!(
            e.message,
            "`toLower()` expects argument 1 to be a string, not an integer"
        );
        let e = error("[substring('abc')]");
        assert_eq!(
            (e.offset, e.message.as_str()),
            (1, "`substring()` takes 2 to 3 arguments, got 1")
        );
        assert_eq!(
            error("[not(true(), false())]").message,
            "`not()` takes 1 argument, got 2"
        );
    }

    #[test]
    fn library_functions_are_called_with_evaluated_arguments() {
        let call = |name: &str, args: Vec<Val>| call_function(name, args, &env());
        assert_eq!(call("toLower", vec![s("ABC")]), Ok(s("abc")));
        assert_eq!(
            call("concat", vec![s("a"), Val::Int(1), Val::Bool(true)]),
            Ok(s("a1True"))
        );
        assert_eq!(call("parameters", vec![s("sku")]), Ok(s("Premium")));
        assert_eq!(
            call("if", vec![Val::Bool(false), s("yes"), s("no")]),
            Ok(s("no"))
        );
        assert_eq!(
            call("length", vec![Val::Unknown(NO_ADMIN.into())]),
            Ok(Val::Unknown(NO_ADMIN.into()))
        );
        assert!(matches!(call("utcNow", vec![]), Ok(Val::Unknown(_))));
        let same = |name: &str, text: &str| {
            let args = vec![s("Microsoft.ContainerRegistry/registries"), s("acr")];
            assert_eq!(call(name, args).ok(), evaluate(text, &env()).ok(), "{text}");
        };
        same(
            "resourceId",
            "[resourceId('Microsoft.ContainerRegistry/registries', 'acr')]",
        );
        let error = call("noSuchFunction", vec![]).err().map(|e| e.message);
        assert_eq!(error.as_deref(), Some("unknown function `noSuchFunction`"));
        let error = call("map", vec![Val::Array(vec![]), s("x")])
            .err()
            .map(|e| e.message);
        assert_eq!(error.as_deref(), Some("expected a `lambda(...)` here"));
        let error = call("substring", vec![s("abc"), Val::Int(5)]).err();
        assert_eq!(error.map(|e| e.offset), Some(0));
    }
}
