use super::{Applies, Level, Outcomes, Rule, RuleMeta, RuleScope};
use crate::model::{RegistryView, Sku};

pub struct AnonymousPullEnabled;

static META: RuleMeta = RuleMeta {
    id: "ACR002",
    slug: "anonymous-pull-enabled",
    title: "Anyone on the internet can pull from the registry",
    level: Level::Error,
    enabled_by_default: true,
    scope: RuleScope::Registry,
    applies: Applies::Skus(&[Sku::Standard, Sku::Premium]),
    aliases: &[
        "CKV_AZURE_138",
        "Azure.ACR.AnonymousAccess",
        "Azure Policy 9f2dea28",
    ],
    security_severity: "8.0",
    tags: &["security", "identity"],
    fix_terraform: "set `anonymous_pull_enabled = false` (or remove it)",
    fix_arm: "set `\"anonymousPullEnabled\": false` (or remove it)",
    fix_bicep: "set `anonymousPullEnabled: false` (or remove it)",
    page: include_str!("../../rules/ACR002.md"),
};

const PATH: &str = "properties.anonymousPullEnabled";

impl Rule for AnonymousPullEnabled {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, view: &RegistryView<'_>, out: &mut Outcomes) {
        let registry = view.registry;
        super::report_if_enabled(registry, out, PATH, "anonymous pull enabled here", || {
            format!(
                "registry `{}` allows anonymous (unauthenticated) pull of every image",
                registry.address
            )
        });
    }
}
