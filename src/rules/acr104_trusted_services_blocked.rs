use super::{
    Applies, Level, NetworkRestriction, Outcomes, Rule, RuleMeta, RuleScope, Target,
    network_restriction,
};
use crate::model::{RegistryView, Setting, Sku};

pub struct TrustedServicesBlocked;

static META: RuleMeta = RuleMeta {
    id: "ACR104",
    slug: "trusted-services-blocked",
    title: "Trusted Azure services cannot reach the network-restricted registry",
    level: Level::Error,
    enabled_by_default: true,
    scope: RuleScope::Registry,
    applies: Applies::Skus(&[Sku::Premium]),
    aliases: &["Conformity ContainerRegistry allow-trusted-microsoft-services"],
    security_severity: "5.0",
    tags: &["security", "network", "reliability"],
    fix_terraform: "set `network_rule_bypass_option = \"AzureServices\"` (or remove it)",
    fix_arm: "set `\"networkRuleBypassOptions\": \"AzureServices\"` (or remove it)",
    fix_bicep: "set `networkRuleBypassOptions: 'AzureServices'` (or remove it)",
    page: include_str!("../../rules/ACR104.md"),
};

const BYPASS: &str = "properties.networkRuleBypassOptions";

impl Rule for TrustedServicesBlocked {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, view: &RegistryView<'_>, out: &mut Outcomes) {
        let registry = view.registry;
        let (bypass_value, bypass_node) = match registry.text(BYPASS, "AzureServices") {
            Setting::Set(value, node) => (value, node),
            Setting::Default(_) => return,
            Setting::Unknown(node) => return out.unknown(registry, node),
        };
        if !bypass_value.trim().eq_ignore_ascii_case("None") {
            return;
        }
        let restricting = match network_restriction(registry) {
            NetworkRestriction::By(restricting) => restricting,
            NetworkRestriction::Open => return,
            NetworkRestriction::Undecided(node) => return out.unknown(registry, node),
        };
        let message = format!(
            "registry `{}` is network-restricted and blocks trusted Azure services (`networkRuleBypassOptions` is `None`)",
            registry.address
        );
        let target = Target::Value(bypass_node, "trusted services bypass turned off here");
        if let Some(finding) = out.report(registry, BYPASS, target, message) {
            finding.label_restrictions(&restricting);
        }
    }
}
