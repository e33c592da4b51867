use super::{
    Applies, Level, NetworkRestriction, Outcomes, Rule, RuleMeta, RuleScope, Target,
    network_restriction,
};
use crate::model::{RegistryView, Setting, Sku};

pub struct DataEndpointsDisabled;

static META: RuleMeta = RuleMeta {
    id: "ACR106",
    slug: "data-endpoints-disabled",
    title: "A network-restricted registry serves layers from the shared data endpoint",
    level: Level::Note,
    enabled_by_default: true,
    applies: Applies::Skus(&[Sku::Premium]),
    scope: RuleScope::Registry,
    aliases: &["CKV_AZURE_237"],
    security_severity: "2.0",
    tags: &["security", "network"],
    fix_terraform: "set `data_endpoint_enabled = true` so firewall rules can name the registry's own data endpoints",
    fix_arm: "set `\"dataEndpointEnabled\": true` so firewall rules can name the registry's own data endpoints",
    fix_bicep: "set `dataEndpointEnabled: true` so firewall rules can name the registry's own data endpoints",
    page: include_str!("../../rules/ACR106.md"),
};

const PATH: &str = "properties.dataEndpointEnabled";

impl Rule for DataEndpointsDisabled {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, view: &RegistryView<'_>, out: &mut Outcomes) {
        let registry = view.registry;
        let enabled = registry.flag(PATH, false);
        if enabled.value() == Some(true) {
            return;
        }
        let restricting = match network_restriction(registry) {
            NetworkRestriction::By(restricting) => restricting,
            NetworkRestriction::Open => return,
            NetworkRestriction::Undecided(node) => return out.unknown(registry, node),
        };
        let target = match enabled {
            Setting::Unknown(node) => return out.unknown(registry, node),
            Setting::Set(_, node) => Target::Value(node, "dedicated data endpoints disabled here"),
            Setting::Default(_) => {
                Target::Default("`dataEndpointEnabled` is not set; Azure default is `false`")
            }
        };
        let message = format!(
            "registry `{}` is network-restricted but has no dedicated data endpoints",
            registry.address
        );
        if let Some(finding) = out.report(registry, PATH, target, message) {
            finding.label_restrictions(&restricting);
        }
    }
}
