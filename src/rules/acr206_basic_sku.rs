use super::{Applies, Level, Outcomes, Rule, RuleMeta, RuleScope, Target};
use crate::model::{Lookup, RegistryView, Sku};

pub struct BasicSku;

static META: RuleMeta = RuleMeta {
    id: "ACR206",
    slug: "basic-sku",
    title: "The Basic SKU lacks the registry's security features",
    level: Level::Note,
    enabled_by_default: true,
    applies: Applies::Skus(&[Sku::Basic]),
    scope: RuleScope::Registry,
    aliases: &["CKV_AZURE_163", "Azure.ACR.MinSku"],
    security_severity: "2.0",
    tags: &["security", "reliability"],
    fix_terraform: "use `sku = \"Premium\"` for firewall, private link, geo-replication and quarantine (or `Standard` for production throughput)",
    fix_arm: "use `\"sku\": {\"name\": \"Premium\"}` for firewall, private link, geo-replication and quarantine",
    fix_bicep: "use `sku: { name: 'Premium' }` for firewall, private link, geo-replication and quarantine",
    page: include_str!("../../rules/ACR206.md"),
};

impl Rule for BasicSku {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, view: &RegistryView<'_>, out: &mut Outcomes) {
        let registry = view.registry;
        if let Lookup::Found(node) = registry.lookup("sku.name") {
            let message = format!(
                "registry `{}` uses the Basic SKU: no firewall, private link, geo-replication, zone redundancy, quarantine or retention",
                registry.address
            );
            out.report(
                registry,
                "sku.name",
                Target::Value(node, "Basic SKU"),
                message,
            );
        }
    }
}
