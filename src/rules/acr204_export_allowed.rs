use super::{Applies, Level, Outcomes, Rule, RuleMeta, RuleScope, SettingCheck};
use crate::model::{RegistryView, Sku};

pub struct ExportAllowed;

static META: RuleMeta = RuleMeta {
    id: "ACR204",
    slug: "export-allowed",
    title: "Artifacts can be exported out of the registry",
    level: Level::Warning,
    enabled_by_default: true,
    applies: Applies::Skus(&[Sku::Premium]),
    scope: RuleScope::Registry,
    aliases: &["Azure.ACR.ExportPolicy", "Azure Policy 524b0254"],
    security_severity: "4.0",
    tags: &["security", "data-protection"],
    fix_terraform: "set `export_policy_enabled = false` together with `public_network_access_enabled = false`",
    fix_arm: "set `policies.exportPolicy.status` to `disabled` together with `\"publicNetworkAccess\": \"Disabled\"`",
    fix_bicep: "set `exportPolicy: { status: 'disabled' }` in `properties.policies` together with `publicNetworkAccess: 'Disabled'`",
    page: include_str!("../../rules/ACR204.md"),
};

impl Rule for ExportAllowed {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, view: &RegistryView<'_>, out: &mut Outcomes) {
        let registry = view.registry;
        SettingCheck {
            path: "properties.policies.exportPolicy.status",
            default: "enabled",
            message: format!(
                "registry `{}` allows exporting artifacts (import into other registries, pipelines)",
                registry.address
            ),
            label: "export enabled here",
            default_note: "`exportPolicy` is not set; Azure default is `enabled`",
        }
        .run(registry, out, |status| status.eq_ignore_ascii_case("enabled"));
    }
}
