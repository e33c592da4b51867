use super::{Applies, Label, Level, Outcomes, Rule, RuleMeta, RuleScope, Target, is_status};
use crate::model::{RegistryView, Setting, Sku};

pub struct PublicNetworkAccessEnabled;

static META: RuleMeta = RuleMeta {
    id: "ACR102",
    slug: "public-network-access-enabled",
    title: "The firewall is on but the public endpoint still answers",
    level: Level::Note,
    enabled_by_default: true,
    applies: Applies::Skus(&[Sku::Premium]),
    scope: RuleScope::Registry,
    aliases: &["CKV_AZURE_139", "Azure Policy 0fdf0491"],
    security_severity: "3.0",
    tags: &["security", "network"],
    fix_terraform: "set `public_network_access_enabled = false` and reach the registry through a private endpoint",
    fix_arm: "set `\"publicNetworkAccess\": \"Disabled\"` and reach the registry through a private endpoint",
    fix_bicep: "set `publicNetworkAccess: 'Disabled'` and reach the registry through a private endpoint",
    page: include_str!("../../rules/ACR102.md"),
};

impl Rule for PublicNetworkAccessEnabled {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, view: &RegistryView<'_>, out: &mut Outcomes) {
        let registry = view.registry;
        let public = registry.text("properties.publicNetworkAccess", "Enabled");
        let action = registry.text("properties.networkRuleSet.defaultAction", "Allow");
        match (is_status(&public, "Enabled"), is_status(&action, "Deny")) {
            (Some(true), Some(true)) => {
                let message = format!(
                    "registry `{}` denies by default but keeps its public endpoint open; a private-endpoint-only registry disables it",
                    registry.address
                );
                let target = match public {
                    Setting::Set(_, node) => {
                        Target::Value(node, "public network access enabled here")
                    }
                    _ => Target::Default(
                        "`publicNetworkAccess` is not set; Azure default is `Enabled`",
                    ),
                };
                if let Some(finding) =
                    out.report(registry, "properties.publicNetworkAccess", target, message)
                    && let Some(node) = action.node()
                {
                    finding.secondary.push(Label {
                        span: node.span,
                        message: "firewall denies by default here".into(),
                    });
                }
            }
            (None, Some(true)) | (Some(true), None) => {
                if let Some(node) = public.node().filter(|n| n.is_unknown()).or(action.node()) {
                    out.unknown(registry, node);
                }
            }
            _ => {}
        }
    }
}
