use super::{Applies, Level, Outcomes, Rule, RuleMeta, RuleScope};
use crate::model::{RegistryView, Sku};

pub struct AnonymousPullOnBasic;

static META: RuleMeta = RuleMeta {
    id: "ACR402",
    slug: "anonymous-pull-on-basic",
    title: "Anonymous pull is set on a Basic registry, which does not support it",
    level: Level::Error,
    enabled_by_default: true,
    applies: Applies::Skus(&[Sku::Basic]),
    scope: RuleScope::Registry,
    aliases: &[],
    security_severity: "3.0",
    tags: &["deployment"],
    fix_terraform: "remove `anonymous_pull_enabled` (and keep pulls authenticated), or use Standard or Premium",
    fix_arm: "remove `anonymousPullEnabled` (and keep pulls authenticated), or use Standard or Premium",
    fix_bicep: "remove `anonymousPullEnabled` (and keep pulls authenticated), or use Standard or Premium",
    page: include_str!("../../rules/ACR402.md"),
};

const PATH: &str = "properties.anonymousPullEnabled";

impl Rule for AnonymousPullOnBasic {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, view: &RegistryView<'_>, out: &mut Outcomes) {
        let registry = view.registry;
        super::report_if_enabled(registry, out, PATH, "not supported on Basic", || {
            format!(
                "registry `{}` is Basic: anonymous pull is not available",
                registry.address
            )
        });
    }
}
