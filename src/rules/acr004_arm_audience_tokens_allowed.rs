use super::{Applies, Level, Outcomes, Rule, RuleMeta, RuleScope, Target, is_status};
use crate::model::{RegistryView, Setting};

pub struct ArmAudienceTokensAllowed;

static META: RuleMeta = RuleMeta {
    id: "ACR004",
    slug: "arm-audience-tokens-allowed",
    title: "The registry accepts Entra tokens issued for Azure Resource Manager",
    level: Level::Note,
    enabled_by_default: true,
    applies: Applies::AllSkus,
    scope: RuleScope::Registry,
    aliases: &["Azure Policy 42781ec6"],
    security_severity: "2.0",
    tags: &["security", "identity"],
    fix_terraform: "set `azuread_authentication_as_arm_policy_enabled = false` (azurerm 4.81+)",
    fix_arm: "set `policies.azureADAuthenticationAsArmPolicy.status` to `disabled`",
    fix_bicep: "set `azureADAuthenticationAsArmPolicy: { status: 'disabled' }` in `properties.policies`",
    page: include_str!("../../rules/ACR004.md"),
};

const PATH: &str = "properties.policies.azureADAuthenticationAsArmPolicy.status";

impl Rule for ArmAudienceTokensAllowed {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, view: &RegistryView<'_>, out: &mut Outcomes) {
        let registry = view.registry;
        let status = registry.text(PATH, "enabled");
        match is_status(&status, "enabled") {
            Some(true) => {
                let message = format!(
                    "registry `{}` accepts Entra ID tokens with the Azure Resource Manager audience for registry access",
                    registry.address
                );
                let target = match status {
                    Setting::Set(_, node) => {
                        Target::Value(node, "ARM-audience tokens allowed here")
                    }
                    _ => Target::Default(
                        "`azureADAuthenticationAsArmPolicy` is not set; Azure default is `enabled`",
                    ),
                };
                out.report(registry, PATH, target, message);
            }
            None => {
                if let Some(node) = status.node() {
                    out.unknown(registry, node);
                }
            }
            Some(false) => {}
        }
    }
}
