use super::{Applies, Level, Outcomes, Rule, RuleMeta, RuleScope, Target, normalize_location};
use crate::model::{Kind, Lookup, RegistryView, Resource, Sku};

pub struct ReplicaLocationNotAllowed;

static META: RuleMeta = RuleMeta {
    id: "ACR307",
    slug: "replica-location-not-allowed",
    title: "The registry or a replica is in a location that is not allowed",
    level: Level::Error,
    enabled_by_default: false,
    applies: Applies::Skus(&[Sku::Premium]),
    scope: RuleScope::Registry,
    aliases: &["Azure.ACR.ReplicaLocation"],
    security_severity: "4.0",
    tags: &["compliance"],
    fix_terraform: "move the registry or replica to one of the allowed locations (`--allowed-locations`)",
    fix_arm: "move the registry or replica to one of the allowed locations (`--allowed-locations`)",
    fix_bicep: "move the registry or replica to one of the allowed locations (`--allowed-locations`)",
    page: include_str!("../../rules/ACR307.md"),
};

impl Rule for ReplicaLocationNotAllowed {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, view: &RegistryView<'_>, out: &mut Outcomes) {
        let allowed: Vec<String> = out
            .options
            .allowed_locations
            .iter()
            .map(|l| normalize_location(l))
            .collect();
        if allowed.is_empty() {
            return;
        }
        check_location(view, view.registry, &allowed, out);
        for replica in view.related(Kind::Replication) {
            check_location(view, replica, &allowed, out);
        }
    }
}

fn check_location(
    view: &RegistryView<'_>,
    resource: &Resource,
    allowed: &[String],
    out: &mut Outcomes,
) {
    match resource.lookup("location") {
        Lookup::Found(node) => {
            let Some(location) = node.as_str() else {
                return;
            };
            if allowed.contains(&normalize_location(location)) {
                return;
            }
            let message = format!(
                "`{}` is in `{location}`, which is not an allowed location",
                resource.address
            );
            let target = Target::Value(node, "location not allowed");
            if resource.is_registry() {
                out.report(resource, "location", target, message);
            } else {
                out.report_related(view, resource, "location", target, message);
            }
        }
        Lookup::Unknown(node) => out.unknown(resource, node),
        Lookup::Missing => {}
    }
}
