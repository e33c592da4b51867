use super::{Applies, Level, Outcomes, Rule, RuleMeta, RuleScope};
use crate::model::RegistryView;

pub struct AdminUserEnabled;

static META: RuleMeta = RuleMeta {
    id: "ACR001",
    slug: "admin-user-enabled",
    title: "The registry's admin user is enabled",
    level: Level::Error,
    enabled_by_default: true,
    scope: RuleScope::Registry,
    applies: Applies::AllSkus,
    aliases: &[
        "CKV_AZURE_137",
        "Azure.ACR.AdminUser",
        "KICS b897dfbf",
        "Azure Policy dc921057",
    ],
    security_severity: "8.0",
    tags: &["security", "identity"],
    fix_terraform: "set `admin_enabled = false` (or remove it) and grant AcrPull/AcrPush to identities",
    fix_arm: "set `\"adminUserEnabled\": false` (or remove it) and grant AcrPull/AcrPush to identities",
    fix_bicep: "set `adminUserEnabled: false` (or remove it) and grant AcrPull/AcrPush to identities",
    page: include_str!("../../rules/ACR001.md"),
};

const PATH: &str = "properties.adminUserEnabled";

impl Rule for AdminUserEnabled {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, view: &RegistryView<'_>, out: &mut Outcomes) {
        let registry = view.registry;
        super::report_if_enabled(registry, out, PATH, "admin user enabled here", || {
            format!(
                "registry `{}` enables the admin user: a shared username and password with push and pull rights",
                registry.address
            )
        });
    }
}
