use super::{Applies, Level, Outcomes, Rule, RuleMeta, RuleScope, Target, normalize_location};
use crate::model::{Kind, Lookup, RegistryView, Sku};

pub struct NoGeoReplication;

static META: RuleMeta = RuleMeta {
    id: "ACR302",
    slug: "no-geo-replication",
    title: "The registry is not replicated to another region",
    level: Level::Note,
    enabled_by_default: false,
    applies: Applies::Skus(&[Sku::Premium]),
    scope: RuleScope::Registry,
    aliases: &["CKV_AZURE_165", "Azure.ACR.GeoReplica"],
    security_severity: "1.0",
    tags: &["reliability"],
    fix_terraform: "add a `georeplications { location = \"<another region>\" }` block",
    fix_arm: "add a `Microsoft.ContainerRegistry/registries/replications` child in another region",
    fix_bicep: "add a `Microsoft.ContainerRegistry/registries/replications` resource with `parent:` the registry, in another region",
    page: include_str!("../../rules/ACR302.md"),
};

impl Rule for NoGeoReplication {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, view: &RegistryView<'_>, out: &mut Outcomes) {
        let registry = view.registry;
        let home = match registry.lookup("location") {
            Lookup::Found(node) => node.as_str().map(normalize_location).ok_or(node),
            Lookup::Unknown(node) => Err(node),
            Lookup::Missing => Err(&registry.body),
        };
        for replica in view.related(Kind::Replication) {
            let location = match replica.lookup("location") {
                Lookup::Found(node) => node.as_str().map(normalize_location).ok_or(node),
                Lookup::Unknown(node) => Err(node),
                Lookup::Missing => Err(&replica.body),
            };
            match (location, &home) {
                (Ok(replica_home), Ok(home)) if &replica_home == home => {}
                (Ok(_), Ok(_)) => return,
                (Err(node), _) => return out.unknown(replica, node),
                (Ok(_), Err(node)) => return out.unknown(registry, node),
            }
        }
        let message = format!(
            "registry `{}` has no replica in another region",
            registry.address
        );
        let target = Target::Default("no replication in a region other than the registry's");
        out.report(registry, "replications", target, message);
    }
}
