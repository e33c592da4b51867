use super::{Applies, Level, Outcomes, Rule, RuleMeta, RuleScope, Target};
use crate::model::{Format, Kind, Lookup, Node, RegistryView, Sku, Value};

pub struct PremiumFeatureOnLowerSku;

static META: RuleMeta = RuleMeta {
    id: "ACR401",
    slug: "premium-feature-on-lower-sku",
    title: "A Premium-only feature is used on a Basic or Standard registry",
    level: Level::Error,
    enabled_by_default: true,
    applies: Applies::Skus(&[Sku::Basic, Sku::Standard]),
    scope: RuleScope::Registry,
    aliases: &[],
    security_severity: "3.0",
    tags: &["deployment"],
    fix_terraform: "use `sku = \"Premium\"`, or remove the Premium-only setting",
    fix_arm: "use `\"sku\": {\"name\": \"Premium\"}`, or remove the Premium-only setting",
    fix_bicep: "use `sku: { name: 'Premium' }`, or remove the Premium-only setting",
    page: include_str!("../../rules/ACR401.md"),
};

/// A Premium-only setting: path, the value that needs Premium, what it is.
const SETTINGS: &[(&str, &str, &str)] = &[
    (
        "properties.publicNetworkAccess",
        "Disabled",
        "disabling public network access",
    ),
    (
        "properties.networkRuleSet.defaultAction",
        "Deny",
        "a firewall (network rule set)",
    ),
    ("properties.zoneRedundancy", "Enabled", "zone redundancy"),
    (
        "properties.policies.quarantinePolicy.status",
        "enabled",
        "quarantine",
    ),
    (
        "properties.policies.retentionPolicy.status",
        "enabled",
        "a retention policy",
    ),
    (
        "properties.encryption.status",
        "enabled",
        "customer-managed key encryption",
    ),
    (
        "properties.dataEndpointEnabled",
        "true",
        "dedicated data endpoints",
    ),
    (
        "properties.policies.exportPolicy.status",
        "disabled",
        "disabling export",
    ),
    (
        "properties.networkRuleBypassAllowedForTasks",
        "true",
        "letting tasks bypass network rules",
    ),
];

const RULE_SET: &str = "properties.networkRuleSet";

impl Rule for PremiumFeatureOnLowerSku {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, view: &RegistryView<'_>, out: &mut Outcomes) {
        let registry = view.registry;
        let sku = registry.sku().map_or("this", Sku::name);
        let before = out.findings.len();
        let properties = registry.lookup("properties");
        for &(path, premium_value, feature) in SETTINGS {
            let found = match path.strip_prefix("properties.") {
                Some(property) => properties.below(property),
                None => registry.lookup(path),
            };
            match found {
                Lookup::Found(node) if matches_value(node, premium_value) => {
                    let message = format!(
                        "{feature} needs the Premium SKU; registry `{}` is {sku}",
                        registry.address
                    );
                    out.report(registry, path, Target::Value(node, "Premium only"), message);
                }
                Lookup::Unknown(node) => out.unknown(registry, node),
                _ => {}
            }
        }
        for list in ["ipRules", "virtualNetworkRules"] {
            let path = format!("properties.networkRuleSet.{list}");
            if let Lookup::Found(node) = registry.lookup(&path)
                && matches!(&node.value, Value::Array(items) if !items.is_empty())
            {
                let message = format!(
                    "firewall rules need the Premium SKU; registry `{}` is {sku}",
                    registry.address
                );
                out.report(registry, path, Target::Value(node, "Premium only"), message);
            }
        }
        let firewall_reported = out
            .findings
            .iter()
            .skip(before)
            .any(|f| f.property.starts_with(RULE_SET));
        if !firewall_reported
            && registry.format == Format::Terraform
            && let Lookup::Found(block) = registry.lookup(RULE_SET)
        {
            let message = format!(
                "a `network_rule_set` needs the Premium SKU; registry `{}` is {sku}",
                registry.address
            );
            out.report(
                registry,
                RULE_SET,
                Target::Value(block, "Premium only"),
                message,
            );
        }
        for (kind, feature) in [
            (Kind::PrivateEndpoint, "a private endpoint"),
            (Kind::Replication, "geo-replication"),
        ] {
            for related in view.related(kind) {
                if related.body.is_unknown() {
                    out.unknown(related, &related.body);
                    continue;
                }
                let message = format!(
                    "{feature} needs the Premium SKU; registry `{}` is {sku}",
                    registry.address
                );
                out.report_related(
                    view,
                    related,
                    "sku.name",
                    Target::Default("Premium only"),
                    message,
                );
            }
        }
    }
}

fn matches_value(node: &Node, expected: &str) -> bool {
    match &node.value {
        Value::String(s) => s.trim().eq_ignore_ascii_case(expected),
        Value::Bool(b) => b.to_string() == expected,
        _ => false,
    }
}
