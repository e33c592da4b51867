use super::{Applies, Label, Level, Outcomes, Rule, RuleMeta, RuleScope, Target};
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
const PUBLIC: &str = "properties.publicNetworkAccess";
const DEFAULT_ACTION: &str = "properties.networkRuleSet.defaultAction";

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
        let public = registry.text(PUBLIC, "Enabled");
        let action = registry.text(DEFAULT_ACTION, "Allow");
        let restricting = [
            (public, "Disabled", "public network access disabled here"),
            (action, "Deny", "firewall denies by default here"),
        ]
        .into_iter()
        .filter(|(setting, closed, _)| {
            setting
                .value()
                .is_some_and(|v| v.eq_ignore_ascii_case(closed))
        })
        .collect::<Vec<_>>();
        if restricting.is_empty() {
            if let Some(node) = [public, action].iter().find_map(|s| match s {
                Setting::Unknown(node) => Some(*node),
                _ => None,
            }) {
                out.unknown(registry, node);
            }
            return;
        }
        let message = format!(
            "registry `{}` is network-restricted and blocks trusted Azure services (`networkRuleBypassOptions` is `None`)",
            registry.address
        );
        let target = Target::Value(bypass_node, "trusted services bypass turned off here");
        if let Some(finding) = out.report(registry, BYPASS, target, message) {
            for (setting, _, label) in restricting {
                if let Some(node) = setting.node() {
                    finding.secondary.push(Label {
                        span: node.span,
                        message: label.to_string(),
                    });
                }
            }
        }
    }
}
