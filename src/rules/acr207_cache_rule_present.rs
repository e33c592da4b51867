use super::{Applies, Level, Outcomes, Rule, RuleMeta, RuleScope, Target};
use crate::model::{Kind, RegistryView};

pub struct CacheRulePresent;

static META: RuleMeta = RuleMeta {
    id: "ACR207",
    slug: "cache-rule-present",
    title: "The registry caches images from an upstream registry",
    level: Level::Note,
    enabled_by_default: false,
    applies: Applies::AllSkus,
    scope: RuleScope::Related,
    aliases: &["Azure Policy 84497762"],
    security_severity: "2.0",
    tags: &["supply-chain"],
    fix_terraform: "remove the `azurerm_container_registry_cache_rule`, or import vetted images instead of pulling through",
    fix_arm: "remove the `registries/cacheRules` resource, or import vetted images instead of pulling through",
    fix_bicep: "remove the `registries/cacheRules` resource, or import vetted images instead of pulling through",
    page: include_str!("../../rules/ACR207.md"),
};

impl Rule for CacheRulePresent {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, view: &RegistryView<'_>, out: &mut Outcomes) {
        for rule in view.related(Kind::CacheRule) {
            let source = rule
                .body
                .get("properties")
                .and_then(|p| p.get("sourceRepository"))
                .and_then(|s| s.as_str())
                .unwrap_or("an upstream registry");
            let message = format!(
                "cache rule `{}` pulls images through from `{source}`",
                rule.address
            );
            out.report_related(
                view,
                rule,
                "properties.sourceRepository",
                Target::Default("pull-through cache rule"),
                message,
            );
        }
    }
}
