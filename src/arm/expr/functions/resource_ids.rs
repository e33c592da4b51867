//! Resource ids: `resourceId`, `subscriptionResourceId`, `tenantResourceId`, `extensionResourceId`,
//! `managementGroupResourceId`.

use std::fmt::Write as _;

use super::string::string_result;
use super::{Args, arity_error, plural};
use crate::arm::expr::budget::{Fail, fail};
use crate::arm::expr::eval::Evaluator;
use crate::arm::expr::value::Val;
use crate::arm::expr::{
    MANAGEMENT_GROUP_PLACEHOLDER, RESOURCE_GROUP_PLACEHOLDER, SUBSCRIPTION_PLACEHOLDER,
};

/// `resourceId([subscriptionId], [resourceGroupName], type, name1, name2, ...)`:
/// `/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.X/a/{name1}/b/{name2}`.
///
/// A subscription or resource group not passed and not known from [`Env`](crate::arm::expr::Env) is written as the
/// placeholder [`SUBSCRIPTION_PLACEHOLDER`] / [`RESOURCE_GROUP_PLACEHOLDER`], so the result is a
/// known string and ids built in the same template still compare equal.
pub(super) fn resource_id(ev: &mut Evaluator<'_>, a: &mut Args<'_>) -> Result<Val, Fail> {
    a.count(2, usize::MAX)?;
    let parts = a.strings()?;
    let (scope, resource_type, names) = split_scope(a.name, &parts, 2)?;
    let (subscription, group) = match scope {
        [] => (subscription_id(ev), resource_group_name(ev)),
        [group] => (subscription_id(ev), (*group).to_string()),
        [subscription, group, ..] => ((*subscription).to_string(), (*group).to_string()),
    };
    let path = provider_path(a.name, resource_type, names)?;
    string_result(format!(
        "/subscriptions/{subscription}/resourceGroups/{group}/providers/{path}"
    ))
}

/// `subscriptionResourceId([subscriptionId], type, names...)`.
pub(super) fn subscription_resource_id(
    ev: &mut Evaluator<'_>,
    a: &mut Args<'_>,
) -> Result<Val, Fail> {
    a.count(2, usize::MAX)?;
    let parts = a.strings()?;
    let (scope, resource_type, names) = split_scope(a.name, &parts, 1)?;
    let subscription = match scope.first() {
        Some(subscription) => (*subscription).to_string(),
        None => subscription_id(ev),
    };
    let path = provider_path(a.name, resource_type, names)?;
    string_result(format!("/subscriptions/{subscription}/providers/{path}"))
}

/// `tenantResourceId(type, names...)`.
pub(super) fn tenant_resource_id(_: &mut Evaluator<'_>, a: &mut Args<'_>) -> Result<Val, Fail> {
    a.count(2, usize::MAX)?;
    let parts = a.strings()?;
    let (_, resource_type, names) = split_scope(a.name, &parts, 0)?;
    let path = provider_path(a.name, resource_type, names)?;
    string_result(format!("/providers/{path}"))
}

/// `extensionResourceId(scopeId, type, names...)`: `{scopeId}/providers/{type}/{names}`.
pub(super) fn extension_resource_id(_: &mut Evaluator<'_>, a: &mut Args<'_>) -> Result<Val, Fail> {
    a.count(3, usize::MAX)?;
    let parts = a.strings()?;
    let (scope, rest) = parts
        .split_first()
        .ok_or_else(|| arity_error(a.name, 3, usize::MAX, 0))?;
    let (resource_type, names) = rest
        .split_first()
        .ok_or_else(|| arity_error(a.name, 3, usize::MAX, 1))?;
    let path = provider_path(a.name, resource_type, names)?;
    string_result(format!("{}/providers/{path}", scope.trim_end_matches('/')))
}

/// `managementGroupResourceId([managementGroupId], type, names...)`.
pub(super) fn management_group_resource_id(
    _: &mut Evaluator<'_>,
    a: &mut Args<'_>,
) -> Result<Val, Fail> {
    a.count(2, usize::MAX)?;
    let parts = a.strings()?;
    let (scope, resource_type, names) = split_scope(a.name, &parts, 1)?;
    let group = scope
        .first()
        .copied()
        .unwrap_or(MANAGEMENT_GROUP_PLACEHOLDER);
    let path = provider_path(a.name, resource_type, names)?;
    string_result(format!(
        "/providers/Microsoft.Management/managementGroups/{group}/providers/{path}"
    ))
}

/// Splits resource id arguments into the optional scope arguments (at most `max_scope`), the
/// resource type (the first argument with a `/`) and the names.
pub(super) fn split_scope<'p, 's>(
    function: &str,
    parts: &'p [&'s str],
    max_scope: usize,
) -> Result<(&'p [&'s str], &'s str, &'p [&'s str]), Fail> {
    let missing_type = || {
        fail(format!(
            "`{function}()` needs a resource type such as `Microsoft.ContainerRegistry/registries`"
        ))
    };
    let type_at = parts
        .iter()
        .take(max_scope + 1)
        .position(|part| part.contains('/'))
        .ok_or_else(missing_type)?;
    let (scope, rest) = parts.split_at_checked(type_at).ok_or_else(missing_type)?;
    let (resource_type, names) = rest.split_first().ok_or_else(missing_type)?;
    Ok((scope, resource_type, names))
}

/// `Microsoft.X/a/b` with names `n1`, `n2` -> `Microsoft.X/a/n1/b/n2`. A name may also carry several
/// segments (`parent/child`).
pub(super) fn provider_path(
    function: &str,
    resource_type: &str,
    names: &[&str],
) -> Result<String, Fail> {
    let mut segments = resource_type.split('/');
    let namespace = segments.next().unwrap_or_default();
    let types: Vec<&str> = segments.collect();
    if namespace.is_empty() || types.is_empty() || types.iter().any(|t| t.is_empty()) {
        return Err(fail(format!(
            "`{function}()` resource type `{resource_type}` is not of the form `Namespace/type`"
        )));
    }
    let names: Vec<&str> = names.iter().flat_map(|n| n.split('/')).collect();
    if names.len() != types.len() {
        return Err(fail(format!(
            "`{function}()` resource type `{resource_type}` needs {} name{}, got {}",
            types.len(),
            plural(types.len()),
            names.len()
        )));
    }
    let mut path = namespace.to_string();
    for (segment, name) in types.iter().zip(names) {
        let _ = write!(path, "/{segment}/{name}");
    }
    Ok(path)
}

pub(super) fn subscription_id(ev: &Evaluator<'_>) -> String {
    known_string(&ev.env.subscription(), "subscriptionId")
        .unwrap_or_else(|| SUBSCRIPTION_PLACEHOLDER.to_string())
}

pub(super) fn resource_group_name(ev: &Evaluator<'_>) -> String {
    known_string(&ev.env.resource_group(), "name")
        .unwrap_or_else(|| RESOURCE_GROUP_PLACEHOLDER.to_string())
}

pub(super) fn known_string(object: &Val, key: &str) -> Option<String> {
    match object.get(key) {
        Some(Val::String(s)) => Some(s.clone()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use crate::arm::expr::test_support::*;
    use crate::arm::expr::*;
    use serde_json::json;

    #[test]
    fn resource_ids() {
        let registry = "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.ContainerRegistry/registries/acr";
        check(&[
            (
                "[resourceId('Microsoft.ContainerRegistry/registries', 'acr')]",
                json!(registry),
            ),
            (
                "[resourceId('rg2', 'Microsoft.Network/virtualNetworks/subnets', 'vnet', 'snet')]",
                json!(
                    "/subscriptions/{subscriptionId}/resourceGroups/rg2/providers/Microsoft.Network/virtualNetworks/vnet/subnets/snet"
                ),
            ),
            (
                "[resourceId('s1', 'rg2', 'Microsoft.Network/virtualNetworks/subnets', 'vnet/snet')]",
                json!(
                    "/subscriptions/s1/resourceGroups/rg2/providers/Microsoft.Network/virtualNetworks/vnet/subnets/snet"
                ),
            ),
            (
                "[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '7f951dda')]",
                json!(
                    "/subscriptions/{subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/7f951dda"
                ),
            ),
            (
                "[subscriptionResourceId('s1', 'Microsoft.Resources/resourceGroups', 'rg')]",
                json!("/subscriptions/s1/providers/Microsoft.Resources/resourceGroups/rg"),
            ),
            (
                "[tenantResourceId('Microsoft.Billing/billingAccounts', 'b')]",
                json!("/providers/Microsoft.Billing/billingAccounts/b"),
            ),
            (
                "[extensionResourceId(resourceId('Microsoft.ContainerRegistry/registries', 'acr'), 'Microsoft.Authorization/locks', 'lock')]",
                json!(format!(
                    "{registry}/providers/Microsoft.Authorization/locks/lock"
                )),
            ),
            (
                "[managementGroupResourceId('mg', 'Microsoft.Authorization/policyDefinitions', 'p')]",
                json!(
                    "/providers/Microsoft.Management/managementGroups/mg/providers/Microsoft.Authorization/policyDefinitions/p"
                ),
            ),
            (
                "[equals(resourceId('Microsoft.ContainerRegistry/registries', 'acr'), resourceId('Microsoft.ContainerRegistry/registries', parameters('name')))]",
                json!(false),
            ),
        ]);
        let known = TestEnv {
            scope_known: true,
            ..env()
        };
        assert_eq!(
            evaluate(
                "[resourceId('Microsoft.ContainerRegistry/registries', 'acr')]",
                &known
            ),
            Ok(s(
                "/subscriptions/0000-sub/resourceGroups/rg1/providers/Microsoft.ContainerRegistry/registries/acr"
            ))
        );
        assert_eq!(
            evaluate("[resourceGroup().location]", &known),
            Ok(s("westeurope"))
        );
        assert!(
            error("[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet')]")
                .message
                .contains("needs 2 names, got 1")
        );
        assert!(
            error("[resourceId('a', 'b')]")
                .message
                .contains("needs a resource type")
        );
        assert!(
            error("[resourceId('Microsoft.X/', 'b')]")
                .message
                .contains("not of the form")
        );
    }
}
