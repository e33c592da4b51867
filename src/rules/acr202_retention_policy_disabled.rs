use super::{Applies, Level, Outcomes, Rule, RuleMeta, RuleScope, SettingCheck, is_status};
use crate::model::{RegistryView, Sku};

pub struct RetentionPolicyDisabled;

static META: RuleMeta = RuleMeta {
    id: "ACR202",
    slug: "retention-policy-disabled",
    title: "Untagged manifests are kept forever",
    level: Level::Note,
    enabled_by_default: true,
    applies: Applies::Skus(&[Sku::Premium]),
    scope: RuleScope::Registry,
    aliases: &["CKV_AZURE_167", "Azure.ACR.Retention"],
    security_severity: "1.0",
    tags: &["reliability", "cost"],
    fix_terraform: "set `retention_policy_in_days = 7` (azurerm v3: `retention_policy { enabled = true }`)",
    fix_arm: "set `policies.retentionPolicy` to `{\"status\": \"enabled\", \"days\": 7}`",
    fix_bicep: "set `retentionPolicy: { status: 'enabled', days: 7 }` in `properties.policies`",
    page: include_str!("../../rules/ACR202.md"),
};

impl Rule for RetentionPolicyDisabled {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, view: &RegistryView<'_>, out: &mut Outcomes) {
        let registry = view.registry;
        let soft_delete = registry.text("properties.policies.softDeletePolicy.status", "disabled");
        match is_status(&soft_delete, "enabled") {
            Some(true) => return,
            None => {
                if let Some(node) = soft_delete.node() {
                    out.unknown(registry, node);
                }
                return;
            }
            Some(false) => {}
        }
        SettingCheck {
            path: "properties.policies.retentionPolicy.status",
            default: "disabled",
            message: format!(
                "registry `{}` keeps untagged manifests forever (no retention policy, no soft delete)",
                registry.address
            ),
            label: "retention not enabled",
            default_note: "`retentionPolicy` is not set; Azure default is `disabled`",
        }
        .run(registry, out, |status| !status.eq_ignore_ascii_case("enabled"));
    }
}
