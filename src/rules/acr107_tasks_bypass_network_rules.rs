use super::{Applies, Level, Outcomes, Rule, RuleMeta, RuleScope};
use crate::model::{RegistryView, Sku};

pub struct TasksBypassNetworkRules;

static META: RuleMeta = RuleMeta {
    id: "ACR107",
    slug: "tasks-bypass-network-rules",
    title: "ACR Tasks may bypass the registry's network rules",
    level: Level::Warning,
    enabled_by_default: true,
    applies: Applies::Skus(&[Sku::Premium]),
    scope: RuleScope::Registry,
    aliases: &[],
    security_severity: "5.0",
    tags: &["security", "network"],
    fix_terraform: "remove `network_rule_bypass_for_tasks_enabled` (or set it to `false`) and run tasks on an agent pool in the virtual network",
    fix_arm: "remove `networkRuleBypassAllowedForTasks` (or set it to `false`) and run tasks on an agent pool in the virtual network",
    fix_bicep: "remove `networkRuleBypassAllowedForTasks` (or set it to `false`) and run tasks on an agent pool in the virtual network",
    page: include_str!("../../rules/ACR107.md"),
};

const PATH: &str = "properties.networkRuleBypassAllowedForTasks";

impl Rule for TasksBypassNetworkRules {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, view: &RegistryView<'_>, out: &mut Outcomes) {
        let registry = view.registry;
        super::report_if_enabled(registry, out, PATH, "bypass for tasks enabled here", || {
            format!(
                "registry `{}` lets ACR Tasks reach it around its network rules using the system-assigned identity",
                registry.address
            )
        });
    }
}
