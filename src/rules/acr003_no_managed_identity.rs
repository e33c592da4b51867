use super::{Applies, Level, Outcomes, Rule, RuleMeta, RuleScope, Target};
use crate::model::{Lookup, RegistryView, Setting};

pub struct NoManagedIdentity;

static META: RuleMeta = RuleMeta {
    id: "ACR003",
    slug: "no-managed-identity",
    title: "The registry has no managed identity",
    level: Level::Warning,
    enabled_by_default: true,
    scope: RuleScope::Registry,
    applies: Applies::AllSkus,
    aliases: &["Conformity ContainerRegistry use-managed-identities"],
    security_severity: "4.0",
    tags: &["security", "identity"],
    fix_terraform: "add an `identity { type = \"SystemAssigned\" }` block (or UserAssigned with `identity_ids`)",
    fix_arm: "add `\"identity\": {\"type\": \"SystemAssigned\"}` to the registry resource",
    fix_bicep: "add `identity: { type: 'SystemAssigned' }` to the registry resource",
    page: include_str!("../../rules/ACR003.md"),
};

impl Rule for NoManagedIdentity {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, view: &RegistryView<'_>, out: &mut Outcomes) {
        let registry = view.registry;
        let message = format!("registry `{}` has no managed identity", registry.address);
        match registry.lookup("identity") {
            Lookup::Missing => {
                let target = Target::Default("no identity is set; the registry gets none");
                out.report(registry, "identity", target, message);
            }
            Lookup::Unknown(node) => out.unknown(registry, node),
            Lookup::Found(identity) if identity.get("type").is_none() => {
                let target = Target::Value(identity, "identity without a type");
                out.report(registry, "identity.type", target, message);
            }
            Lookup::Found(_) => match registry.text("identity.type", "None") {
                Setting::Set(kind, node) if kind.trim().eq_ignore_ascii_case("none") => {
                    let target = Target::Value(node, "identity type None");
                    out.report(registry, "identity.type", target, message);
                }
                Setting::Unknown(node) => out.unknown(registry, node),
                _ => {}
            },
        }
    }
}
