use super::{Applies, Level, Outcomes, Rule, RuleMeta, RuleScope, Target, normalize_location};
use crate::model::{Kind, Lookup, RegistryView, Sku};

pub struct NoGeoReplication;

static META: RuleMeta = RuleMeta {
    id: "ACR302",
    slug: "no-geo-replication",
    title: "The registry is not replicated to another region",
    level: Level::Note,
    enabled_by_default: true,
    applies: Applies::Skus(&[Sku::Premium]),
    scope: RuleScope::Registry,
    aliases: &["CKV_AZURE_165", "Azure.ACR.GeoReplica"],
    security_severity: "1.0",
    tags: &["reliability"],
    fix_terraform: "add a `georeplications { location = \"<another region>\" }` block",
    fix_arm: "add a `Microsoft.ContainerRegistry/registries/replications` child in another region",
    page: include_str!("../../rules/ACR302.md"),
};

impl Rule for NoGeoReplication {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, view: &RegistryView<'_>, out: &mut Outcomes) {
        let registry = view.registry;
        let home = match registry.lookup("location") {
            Lookup::Found(node) => node.as_str().map(normalize_location),
            Lookup::Unknown(_) | Lookup::Missing => None,
        };
        for replica in view.related(Kind::Replication) {
            let location = replica
                .body
                .get("location")
                .filter(|l| !l.is_unknown())
                .and_then(|l| l.as_str());
            match (location.map(normalize_location), &home) {
                (Some(replica_home), Some(home)) if &replica_home == home => {}
                (Some(_), Some(_)) => return,
                _ => return out.unknown(replica, &replica.body),
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
