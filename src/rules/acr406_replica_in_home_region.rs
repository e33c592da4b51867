use super::{Applies, Level, Outcomes, Rule, RuleMeta, RuleScope, Target, normalize_location};
use crate::model::{Kind, Lookup, RegistryView, Sku};

pub struct ReplicaInHomeRegion;

static META: RuleMeta = RuleMeta {
    id: "ACR406",
    slug: "replica-in-home-region",
    title: "A replication targets the registry's own region",
    level: Level::Error,
    enabled_by_default: true,
    applies: Applies::Skus(&[Sku::Premium]),
    scope: RuleScope::Registry,
    aliases: &[],
    security_severity: "2.0",
    tags: &["deployment"],
    fix_terraform: "remove the `georeplications` block for the registry's own location",
    fix_arm: "remove the replication in the registry's own location",
    fix_bicep: "remove the replication in the registry's own location",
    page: include_str!("../../rules/ACR406.md"),
};

impl Rule for ReplicaInHomeRegion {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, view: &RegistryView<'_>, out: &mut Outcomes) {
        let registry = view.registry;
        let home = match registry.lookup("location") {
            Lookup::Found(node) => node,
            Lookup::Unknown(node) => return out.unknown(registry, node),
            Lookup::Missing => return,
        };
        let Some(home_name) = home.as_str() else {
            return;
        };
        for replica in view.related(Kind::Replication) {
            match replica.lookup("location") {
                Lookup::Found(location) => {
                    let Some(name) = location.as_str() else {
                        continue;
                    };
                    if normalize_location(name) == normalize_location(home_name) {
                        let message = format!(
                            "replica `{}` is in `{name}`, the registry's own region: the deployment fails",
                            replica.address
                        );
                        out.report_related(
                            view,
                            replica,
                            "location",
                            Target::Value(location, "home region"),
                            message,
                        );
                    }
                }
                Lookup::Unknown(node) => out.unknown(replica, node),
                Lookup::Missing => {}
            }
        }
    }
}
