use super::{Applies, Label, Level, Outcomes, Rule, RuleMeta, RuleScope, Target};
use crate::model::{RegistryView, Resource, Setting};

pub struct UnrestrictedNetworkAccess;

static META: RuleMeta = RuleMeta {
    id: "ACR101",
    slug: "unrestricted-network-access",
    title: "The registry accepts connections from any network",
    level: Level::Warning,
    enabled_by_default: true,
    scope: RuleScope::Registry,
    applies: Applies::AllSkus,
    aliases: &["Azure Policy d0793b48", "Azure.ACR.Firewall"],
    security_severity: "5.0",
    tags: &["security", "network"],
    fix_terraform: "set `public_network_access_enabled = false` and use a private endpoint, or (Premium) add `network_rule_set { default_action = \"Deny\" }` with allowed ranges",
    fix_arm: "set `\"publicNetworkAccess\": \"Disabled\"` and use a private endpoint, or (Premium) set `networkRuleSet.defaultAction` to `Deny` with allowed ranges",
    fix_bicep: "set `publicNetworkAccess: 'Disabled'` and use a private endpoint, or (Premium) set `networkRuleSet: { defaultAction: 'Deny' }` with allowed ranges",
    page: include_str!("../../rules/ACR101.md"),
};

const PUBLIC: &str = "properties.publicNetworkAccess";
const DEFAULT_ACTION: &str = "properties.networkRuleSet.defaultAction";

impl Rule for UnrestrictedNetworkAccess {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, view: &RegistryView<'_>, out: &mut Outcomes) {
        let registry = view.registry;
        let public = registry.text(PUBLIC, "Enabled");
        let action = registry.text(DEFAULT_ACTION, "Allow");
        let public_open = public.value().map(|v| v.eq_ignore_ascii_case("Enabled"));
        let action_open = action.value().map(|v| v.eq_ignore_ascii_case("Allow"));
        match (public_open, action_open) {
            (Some(true), Some(true)) => report(registry, &public, &action, out),
            (Some(false), _) | (_, Some(false)) => {}
            (None, _) => unknown(registry, &public, out),
            (_, None) => unknown(registry, &action, out),
        }
    }
}

fn report(
    registry: &Resource,
    public: &Setting<'_, &str>,
    action: &Setting<'_, &str>,
    out: &mut Outcomes,
) {
    let message = format!(
        "registry `{}` is reachable from any network: public network access is enabled and the firewall allows all",
        registry.address
    );
    let target = Target::of(public, "public network access enabled here");
    let target = match target {
        Target::Default(_) => {
            Target::Default("`publicNetworkAccess` is not set; Azure default is `Enabled`")
        }
        explicit => explicit,
    };
    let Some(finding) = out.report(registry, PUBLIC, target, message) else {
        return;
    };
    match action {
        Setting::Set(_, node) => finding.secondary.push(Label {
            span: node.span,
            message: "firewall default action allows all".into(),
        }),
        _ => finding
            .notes
            .push("`networkRuleSet.defaultAction` is not set; Azure default is `Allow`".into()),
    }
}

fn unknown(registry: &Resource, setting: &Setting<'_, &str>, out: &mut Outcomes) {
    if let Some(node) = setting.node() {
        out.unknown(registry, node);
    }
}
