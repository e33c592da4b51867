use super::{Applies, Level, Outcomes, Rule, RuleMeta, RuleScope, Target};
use crate::model::{Kind, Lookup, Node, Resource, UnitView};

pub struct DefenderForContainersOff;

static META: RuleMeta = RuleMeta {
    id: "ACR305",
    slug: "defender-for-containers-off",
    title: "Microsoft Defender for Containers is set to the Free tier",
    level: Level::Warning,
    enabled_by_default: true,
    applies: Applies::AllSkus,
    scope: RuleScope::Unit,
    aliases: &["CKV_AZURE_86", "Azure.Defender.Containers"],
    security_severity: "5.0",
    tags: &["security", "monitoring"],
    fix_terraform: "set `tier = \"Standard\"` on the `azurerm_security_center_subscription_pricing` for `Containers`",
    fix_arm: "set `\"pricingTier\": \"Standard\"` on the `Microsoft.Security/pricings` named `Containers`",
    fix_bicep: "set `pricingTier: 'Standard'` on the `Microsoft.Security/pricings` named `Containers` (`targetScope = 'subscription'`)",
    page: include_str!("../../rules/ACR305.md"),
};

impl Rule for DefenderForContainersOff {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_unit(&self, unit: &UnitView<'_>, out: &mut Outcomes) {
        let pricings: Vec<&Resource> = unit
            .resources
            .iter()
            .copied()
            .filter(|r| r.kind == Kind::DefenderPricing && !r.existing)
            .collect();
        let containers_on = pricings
            .iter()
            .any(|p| plan_name(p).eq_ignore_ascii_case("Containers") && tier_is(p, "Standard"));
        for pricing in pricings {
            let plan = plan_name(pricing);
            let covered = plan.eq_ignore_ascii_case("ContainerRegistry") && containers_on;
            if covered
                || !["Containers", "ContainerRegistry"]
                    .iter()
                    .any(|p| p.eq_ignore_ascii_case(plan))
            {
                continue;
            }
            match pricing.lookup("properties.pricingTier") {
                Lookup::Found(tier) if tier_is(pricing, "Free") => {
                    let message = format!(
                        "Defender for `{plan}` is on the Free tier: images are not scanned and threats not detected"
                    );
                    out.report(
                        pricing,
                        "properties.pricingTier",
                        Target::Value(tier, "Free tier"),
                        message,
                    );
                }
                Lookup::Unknown(node) => out.unknown(pricing, node),
                _ => {}
            }
        }
    }
}

fn tier_is(pricing: &Resource, tier: &str) -> bool {
    matches!(pricing.lookup("properties.pricingTier"),
        Lookup::Found(node) if node.as_str().is_some_and(|t| t.trim().eq_ignore_ascii_case(tier)))
}

/// The Defender plan a pricing configures (its name; azurerm's default is `VirtualMachines`).
fn plan_name(pricing: &Resource) -> &str {
    let plan = pricing
        .body
        .get("name")
        .and_then(Node::as_str)
        .unwrap_or("VirtualMachines");
    plan.rsplit('/').next().unwrap_or(plan)
}
