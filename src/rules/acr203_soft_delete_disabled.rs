use super::{Applies, Level, Outcomes, Rule, RuleMeta, RuleScope, SettingCheck, is_status};
use crate::model::{Kind, RegistryView};

pub struct SoftDeleteDisabled;

static META: RuleMeta = RuleMeta {
    id: "ACR203",
    slug: "soft-delete-disabled",
    title: "Deleted artifacts cannot be recovered",
    level: Level::Note,
    enabled_by_default: false,
    applies: Applies::AllSkus,
    scope: RuleScope::Registry,
    aliases: &["Azure.ACR.SoftDelete"],
    security_severity: "1.0",
    tags: &["reliability"],
    fix_terraform: "enable soft delete through an azapi body (`policies.softDeletePolicy.status = \"enabled\"`); azurerm has no attribute for it",
    fix_arm: "set `policies.softDeletePolicy` to `{\"status\": \"enabled\", \"retentionDays\": 7}` (preview API versions)",
    fix_bicep: "set `softDeletePolicy: { status: 'enabled', retentionDays: 7 }` in `properties.policies` (preview API versions)",
    page: include_str!("../../rules/ACR203.md"),
};

impl Rule for SoftDeleteDisabled {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, view: &RegistryView<'_>, out: &mut Outcomes) {
        let registry = view.registry;
        if view.related(Kind::Replication).next().is_some() {
            return;
        }
        let retention = registry.text("properties.policies.retentionPolicy.status", "disabled");
        if is_status(&retention, "enabled") != Some(false) {
            return;
        }
        SettingCheck {
            path: "properties.policies.softDeletePolicy.status",
            default: "disabled",
            message: format!(
                "registry `{}` cannot recover deleted artifacts (soft delete is off)",
                registry.address
            ),
            label: "soft delete not enabled",
            default_note: "`softDeletePolicy` is not set; Azure default is `disabled`",
        }
        .run(registry, out, |status| {
            !status.eq_ignore_ascii_case("enabled")
        });
    }
}
