use super::{Applies, Level, Outcomes, Rule, RuleMeta, RuleScope, SettingCheck};
use crate::model::{RegistryView, Sku};

pub struct QuarantineDisabled;

static META: RuleMeta = RuleMeta {
    id: "ACR201",
    slug: "quarantine-disabled",
    title: "Quarantine is disabled: pushed images are pullable before they are scanned",
    level: Level::Note,
    enabled_by_default: true,
    applies: Applies::Skus(&[Sku::Premium]),
    scope: RuleScope::Registry,
    aliases: &["CKV_AZURE_166", "Azure.ACR.Quarantine"],
    security_severity: "3.0",
    tags: &["security", "supply-chain"],
    fix_terraform: "set `quarantine_policy_enabled = true`",
    fix_arm: "set `policies.quarantinePolicy.status` to `enabled`",
    fix_bicep: "set `quarantinePolicy: { status: 'enabled' }` in `properties.policies`",
    page: include_str!("../../rules/ACR201.md"),
};

impl Rule for QuarantineDisabled {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, view: &RegistryView<'_>, out: &mut Outcomes) {
        let registry = view.registry;
        SettingCheck {
            path: "properties.policies.quarantinePolicy.status",
            default: "disabled",
            message: format!(
                "registry `{}` does not quarantine new images until they are scanned",
                registry.address
            ),
            label: "quarantine not enabled",
            default_note: "`quarantinePolicy` is not set; Azure default is `disabled`",
        }
        .run(registry, out, |status| {
            !status.eq_ignore_ascii_case("enabled")
        });
    }
}
