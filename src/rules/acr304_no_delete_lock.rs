use super::{Applies, Level, Outcomes, Rule, RuleMeta, RuleScope, Target};
use crate::model::{Kind, RegistryView};

pub struct NoDeleteLock;

static META: RuleMeta = RuleMeta {
    id: "ACR304",
    slug: "no-delete-lock",
    title: "Nothing prevents the registry from being deleted",
    level: Level::Note,
    enabled_by_default: false,
    applies: Applies::AllSkus,
    scope: RuleScope::Registry,
    aliases: &["KICS a187ac47"],
    security_severity: "1.0",
    tags: &["reliability"],
    fix_terraform: "add an `azurerm_management_lock` with `scope` = the registry's `id` and `lock_level = \"CanNotDelete\"`",
    fix_arm: "add a `Microsoft.Authorization/locks` resource scoped to the registry with `level: CanNotDelete`",
    fix_bicep: "add a `Microsoft.Authorization/locks` resource with `scope:` the registry's symbolic name and `level: 'CanNotDelete'`",
    page: include_str!("../../rules/ACR304.md"),
};

impl Rule for NoDeleteLock {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, view: &RegistryView<'_>, out: &mut Outcomes) {
        if view.related(Kind::Lock).next().is_some() {
            return;
        }
        let registry = view.registry;
        let message = format!("registry `{}` has no delete lock", registry.address);
        let target = Target::Default(
            "no `Microsoft.Authorization/locks` / `azurerm_management_lock` is scoped to it",
        );
        out.report(registry, "locks", target, message);
    }
}
