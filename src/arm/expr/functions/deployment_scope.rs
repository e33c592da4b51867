//! Parameters, variables, copy indexes and the deployment scope (`resourceGroup()`,
//! `subscription()`, ...).

use std::borrow::Cow;

use super::Args;
use crate::arm::expr::budget::{Fail, fail};
use crate::arm::expr::eval::{Env, Evaluator};
use crate::arm::expr::value::Val;

pub(super) fn parameters(ev: &mut Evaluator<'_>, a: &mut Args<'_>) -> Result<Val, Fail> {
    a.count(1, 1)?;
    let name = a.str(0)?;
    match ev.env.parameter(name) {
        Some(value) => ev.admit(value),
        None => Err(fail(format!("parameter `{name}` is not declared"))),
    }
}

pub(super) fn variables(ev: &mut Evaluator<'_>, a: &mut Args<'_>) -> Result<Val, Fail> {
    a.count(1, 1)?;
    let name = a.str(0)?;
    match ev.env.variable(name) {
        Some(value) => ev.admit(value),
        None => Err(fail(format!("variable `{name}` is not declared"))),
    }
}

/// `copyIndex()`, `copyIndex(offset)`, `copyIndex('loop')`, `copyIndex('loop', offset)`.
pub(super) fn copy_index(ev: &mut Evaluator<'_>, a: &mut Args<'_>) -> Result<Val, Fail> {
    a.count(0, 2)?;
    let (loop_name, offset) = match a.vals.as_slice() {
        [] => (None, 0),
        [Val::String(name)] => (Some(name.as_str()), 0),
        [Val::String(name), _] => (Some(name.as_str()), a.int(1)?),
        [_] => (None, a.int(0)?),
        _ => return Err(a.wrong_type(0, "a loop name")),
    };
    let Some(index) = ev.env.copy_index(loop_name) else {
        if let Some(reason) = ev.env.copy_index_unknown(loop_name) {
            return Err(Fail::Unknown(reason));
        }
        let reason = match loop_name {
            Some(name) => format!("`copyIndex('{name}')` is only known inside that copy loop"),
            None => "`copyIndex()` is only known inside a copy loop".to_string(),
        };
        return Err(Fail::Unknown(reason));
    };
    index
        .checked_add(offset)
        .map(Val::Int)
        .ok_or_else(|| fail("`copyIndex()` overflows"))
}

pub(super) fn scope_object(
    ev: &mut Evaluator<'_>,
    a: &mut Args<'_>,
    get: fn(&dyn Env) -> Cow<'_, Val>,
) -> Result<Val, Fail> {
    a.count(0, 0)?;
    let value = get(ev.env).into_owned();
    ev.admit(value)
}

#[cfg(test)]
mod tests {
    use crate::arm::expr::test_support::*;
    use crate::arm::expr::*;
    use serde_json::json;

    #[test]
    fn scope_functions_have_unknown_leaves() {
        assert_eq!(
            unknown("[resourceGroup().location]"),
            "`resourceGroup().location` is only known at deployment"
        );
        assert_eq!(
            unknown("[subscription().subscriptionId]"),
            "`subscription().subscriptionId` is only known at deployment"
        );
        assert!(unknown("[deployment().name]").contains("deployment()"));
        assert!(unknown("[tenant().tenantId]").contains("tenant()"));
        assert!(unknown("[environment().name]").contains("environment()"));
        check(&[
            (
                "[resourceGroup().id]",
                json!("/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}"),
            ),
            (
                "[subscription().id]",
                json!("/subscriptions/{subscriptionId}"),
            ),
            (
                "[equals(resourceGroup().id, resourceId('Microsoft.Resources/resourceGroups', 'x'))]",
                json!(false),
            ),
        ]);
        let Val::String(name) = eval("[uniqueString(resourceGroup().id)]") else {
            panic!("uniqueString(resourceGroup().id) is deterministic")
        };
        assert_eq!(name.len(), 13);
        check(&[(
            "[resourceGroup().type]",
            json!("Microsoft.Resources/resourceGroups"),
        )]);
        assert!(
            error("[resourceGroup().foo]")
                .message
                .contains("`foo` does not exist")
        );
        assert!(
            error("[resourceGroup(1)]")
                .message
                .contains("takes no arguments")
        );
    }

    /// `resourceGroup().x` reads `x` from the environment's object without copying the object;
    /// `first(createArray(resourceGroup())).x` copies the whole object, then reads `x`.
    #[test]
    fn a_property_of_a_scope_object_is_what_the_whole_object_holds() {
        let known = TestEnv {
            scope_known: true,
            ..env()
        };
        for env in [env(), known] {
            for function in ["resourceGroup", "subscription"] {
                for property in [
                    ".id",
                    ".name",
                    ".location",
                    ".type",
                    ".subscriptionId",
                    ".?missing",
                    ".missing",
                    "['name']",
                ] {
                    let read = evaluate(&format!("[{function}(){property}]"), &env);
                    let whole = format!("[first(createArray({function}())){property}]");
                    let from_whole = evaluate(&whole, &env);
                    match (read, from_whole) {
                        (Ok(read), Ok(from_whole)) => {
                            assert_eq!(read, from_whole, "{function}(){property}")
                        }
                        (Err(read), Err(from_whole)) => {
                            assert_eq!(read.message, from_whole.message, "{function}(){property}")
                        }
                        other => panic!("{function}(){property}: {other:?}"),
                    }
                }
            }
        }
    }

    #[test]
    fn deployment_time_functions_are_unknown() {
        for (text, reason) in [
            (
                "[reference('x').outputs.y.value]",
                "`reference()` is only known at deployment",
            ),
            (
                "[listKeys(resourceId('Microsoft.Storage/storageAccounts', 's'), '2023-01-01').keys[0].value]",
                "`listKeys()` is only known at deployment",
            ),
            (
                "[listCredentials(parameters('undeclared'), '2023-01-01')]",
                "`listCredentials()` is only known at deployment",
            ),
            ("[utcNow()]", "`utcNow()` is only known at deployment"),
            ("[newGuid()]", "`newGuid()` is only known at deployment"),
            (
                "[pickZones('Microsoft.Compute', 'virtualMachines', 'westus2')]",
                "`pickZones()` is only known at deployment",
            ),
            (
                "[__bicep.myFunc('a')]",
                "`__bicep.myFunc()` is a user-defined function, which is not evaluated",
            ),
            (
                "[dateTimeAdd('2020-01-01', 'P1D')]",
                "`dateTimeAdd()` is not evaluated by acr-lint",
            ),
            ("[fail('stop')]", "the template calls `fail()` here"),
        ] {
            assert_eq!(unknown(text), reason, "{text}");
        }
    }
}
