use super::{Applies, Level, Outcomes, Rule, RuleMeta, RuleScope, Target};
use crate::model::{Kind, Lookup, Node, RegistryView, Sku, Value};

pub struct NoPrivateEndpoint;

static META: RuleMeta = RuleMeta {
    id: "ACR105",
    slug: "no-private-endpoint",
    title: "No private endpoint is linked to the registry",
    level: Level::Note,
    enabled_by_default: true,
    applies: Applies::Skus(&[Sku::Premium]),
    scope: RuleScope::Registry,
    aliases: &[
        "Azure Policy e8eef0a8",
        "KICS dda11a20",
        "Conformity use-private-endpoints",
    ],
    security_severity: "3.0",
    tags: &["security", "network"],
    fix_terraform: "add an `azurerm_private_endpoint` whose `private_service_connection` points at the registry's `id` with `subresource_names = [\"registry\"]`",
    fix_arm: "add a `Microsoft.Network/privateEndpoints` resource whose `privateLinkServiceConnections` name the registry with `groupIds: [\"registry\"]`",
    fix_bicep: "add a `Microsoft.Network/privateEndpoints` resource whose `privateLinkServiceConnections` set `privateLinkServiceId` to the registry's `id` with `groupIds: ['registry']`",
    page: include_str!("../../rules/ACR105.md"),
};

impl Rule for NoPrivateEndpoint {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, view: &RegistryView<'_>, out: &mut Outcomes) {
        let registry = view.registry;
        let mut undecided = None;
        for endpoint in view.related(Kind::PrivateEndpoint) {
            match targets_registry_group(&endpoint.body) {
                Some(true) => return,
                Some(false) => {}
                None => undecided = Some(endpoint),
            }
        }
        if let Some(endpoint) = undecided {
            return out.unknown(endpoint, &endpoint.body);
        }
        let message = format!("registry `{}` has no private endpoint", registry.address);
        let target = Target::Default(
            "no `Microsoft.Network/privateEndpoints` / `azurerm_private_endpoint` with group `registry` links to it",
        );
        out.report(registry, "privateEndpointConnections", target, message);
    }
}

/// Whether an endpoint's connections include the `registry` group (`None`: not known).
fn targets_registry_group(body: &Node) -> Option<bool> {
    let mut unknown = false;
    for key in [
        "privateLinkServiceConnections",
        "manualPrivateLinkServiceConnections",
    ] {
        let connections = match body.lookup(&format!("properties.{key}")) {
            Lookup::Found(node) => node,
            Lookup::Unknown(_) => {
                unknown = true;
                continue;
            }
            Lookup::Missing => continue,
        };
        let Value::Array(items) = &connections.value else {
            continue;
        };
        for connection in items {
            match connection.lookup("properties.groupIds") {
                Lookup::Found(Node {
                    value: Value::Array(groups),
                    ..
                }) => {
                    if groups.iter().any(|g| {
                        g.as_str()
                            .is_some_and(|g| g.eq_ignore_ascii_case("registry"))
                    }) {
                        return Some(true);
                    }
                    unknown |= groups.iter().any(Node::is_unknown);
                }
                Lookup::Found(_) | Lookup::Missing => {}
                Lookup::Unknown(_) => unknown = true,
            }
        }
    }
    (!unknown).then_some(false)
}
