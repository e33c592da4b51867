use super::roles::{self, CONTRIBUTOR, OWNER, RBAC_ADMINISTRATOR, USER_ACCESS_ADMINISTRATOR};
use super::{Applies, Level, Outcomes, Rule, RuleMeta, RuleScope};
use crate::model::RegistryView;

pub struct PrivilegedRoleOnRegistry;

static META: RuleMeta = RuleMeta {
    id: "ACR007",
    slug: "privileged-role-on-registry",
    title: "A privileged role is assigned at registry scope",
    level: Level::Warning,
    enabled_by_default: true,
    applies: Applies::AllSkus,
    scope: RuleScope::Related,
    aliases: &["KICS 77deea6a"],
    security_severity: "6.0",
    tags: &["security", "identity"],
    fix_terraform: "assign AcrPull, AcrPush or AcrDelete instead (`role_definition_name = \"AcrPull\"`)",
    fix_arm: "assign AcrPull (7f951dda-…), AcrPush (8311e382-…) or AcrDelete (c2f4ef07-…) instead",
    fix_bicep: "assign AcrPull (7f951dda-…), AcrPush (8311e382-…) or AcrDelete (c2f4ef07-…) instead, with `subscriptionResourceId('Microsoft.Authorization/roleDefinitions', ...)`",
    page: include_str!("../../rules/ACR007.md"),
};

const PRIVILEGED: &[&str] = &[
    OWNER,
    CONTRIBUTOR,
    USER_ACCESS_ADMINISTRATOR,
    RBAC_ADMINISTRATOR,
];

impl Rule for PrivilegedRoleOnRegistry {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, view: &RegistryView<'_>, out: &mut Outcomes) {
        super::role_assignments(view, out, PRIVILEGED, |role| {
            format!(
                "{} is assigned on the registry: it can manage the registry itself, not only its images",
                roles::role_name(role)
            )
        });
    }
}
