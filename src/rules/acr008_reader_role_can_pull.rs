use super::roles::READER;
use super::{Applies, Level, Outcomes, Rule, RuleMeta, RuleScope};
use crate::model::RegistryView;

pub struct ReaderRoleCanPull;

static META: RuleMeta = RuleMeta {
    id: "ACR008",
    slug: "reader-role-can-pull",
    title: "Reader is assigned at registry scope; Reader can pull images",
    level: Level::Note,
    enabled_by_default: true,
    applies: Applies::AllSkus,
    scope: RuleScope::Related,
    aliases: &[],
    security_severity: "2.0",
    tags: &["security", "identity"],
    fix_terraform: "assign `AcrPull` for pulling; keep Reader only where reading the registry's settings is the intent",
    fix_arm: "assign AcrPull (7f951dda-4ed3-4680-a7ca-43fe172d538d) for pulling instead of Reader",
    fix_bicep: "assign AcrPull (`subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '7f951dda-4ed3-4680-a7ca-43fe172d538d')`) for pulling instead of Reader",
    page: include_str!("../../rules/ACR008.md"),
};

impl Rule for ReaderRoleCanPull {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, view: &RegistryView<'_>, out: &mut Outcomes) {
        super::role_assignments(view, out, &[READER], |_| {
            "Reader is assigned on the registry: it grants image pull as well as read access to settings".to_string()
        });
    }
}
