use super::{Applies, Level, Outcomes, Rule, RuleMeta, RuleScope, SettingCheck};
use crate::model::{RegistryView, Sku};

pub struct NoCustomerManagedKey;

static META: RuleMeta = RuleMeta {
    id: "ACR205",
    slug: "no-customer-managed-key",
    title: "The registry is not encrypted with a customer-managed key",
    level: Level::Note,
    enabled_by_default: false,
    applies: Applies::Skus(&[Sku::Premium]),
    scope: RuleScope::Registry,
    aliases: &["Azure Policy 5b9159ae"],
    security_severity: "2.0",
    tags: &["security", "data-protection"],
    fix_terraform: "add an `encryption { key_vault_key_id = ..., identity_client_id = ... }` block with a user-assigned identity",
    fix_arm: "set `encryption` to `{\"status\": \"enabled\", \"keyVaultProperties\": {\"keyIdentifier\": ..., \"identity\": ...}}`",
    fix_bicep: "set `encryption: { status: 'enabled', keyVaultProperties: { keyIdentifier: ..., identity: ... } }` with a user-assigned identity's `clientId`",
    page: include_str!("../../rules/ACR205.md"),
};

impl Rule for NoCustomerManagedKey {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, view: &RegistryView<'_>, out: &mut Outcomes) {
        let registry = view.registry;
        SettingCheck {
            path: "properties.encryption.status",
            default: "disabled",
            message: format!(
                "registry `{}` uses Microsoft-managed keys only",
                registry.address
            ),
            label: "customer-managed key not enabled",
            default_note: "`encryption` is not set; Azure default is `disabled`",
        }
        .run(registry, out, |status| {
            !status.eq_ignore_ascii_case("enabled")
        });
    }
}
