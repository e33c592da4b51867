use super::{Applies, Label, Level, Outcomes, Rule, RuleMeta, RuleScope, Target};
use crate::model::{Lookup, Node, RegistryView, Resource, Setting, Sku, Value};

pub struct CmkIdentityNotAssigned;

static META: RuleMeta = RuleMeta {
    id: "ACR409",
    slug: "cmk-identity-not-assigned",
    title: "The customer-managed key names an identity the registry does not have",
    level: Level::Error,
    enabled_by_default: true,
    applies: Applies::Skus(&[Sku::Premium]),
    scope: RuleScope::Registry,
    aliases: &[],
    security_severity: "3.0",
    tags: &["deployment", "data-protection"],
    fix_terraform: "add the user-assigned identity to `identity { type = \"UserAssigned\", identity_ids = [...] }`",
    fix_arm: "add the user-assigned identity to the registry's `identity.userAssignedIdentities`",
    fix_bicep: "add the user-assigned identity to the registry's `identity.userAssignedIdentities` (`'${identity.id}': {}`)",
    page: include_str!("../../rules/ACR409.md"),
};

const KEY_IDENTITY: &str = "properties.encryption.keyVaultProperties.identity";

impl Rule for CmkIdentityNotAssigned {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, view: &RegistryView<'_>, out: &mut Outcomes) {
        let registry = view.registry;
        let key_identity = ["properties", "encryption", "keyVaultProperties", "identity"]
            .iter()
            .try_fold(&registry.body, |node, key| node.get(key));
        let Some(key_identity) = key_identity.filter(|n| !matches!(n.value, Value::Null)) else {
            return;
        };
        let identity_type = registry.text("identity.type", "None");
        let has_user_assigned = match identity_type {
            Setting::Set(kind, _) | Setting::Default(kind) => {
                kind.to_ascii_lowercase().contains("userassigned")
            }
            Setting::Unknown(node) => return out.unknown(registry, node),
        };
        if has_user_assigned && !names_another_identity(registry, key_identity) {
            return;
        }
        let message = format!(
            "registry `{}` encrypts with a key accessed by a user-assigned identity it does not have",
            registry.address
        );
        let target = Target::Value(key_identity, "identity for the key");
        if let Some(finding) = out.report(registry, KEY_IDENTITY, target, message) {
            match identity_type.node() {
                Some(node) => finding.secondary.push(Label {
                    span: node.span,
                    message: "no user-assigned identity here".into(),
                }),
                None => finding
                    .notes
                    .push("the registry declares no identity".into()),
            }
        }
    }
}

/// Whether the key's identity is a resource reference that none of the registry's assigned
/// identities refers to (Terraform: `identity_client_id = x.client_id` with `identity_ids`).
fn names_another_identity(registry: &Resource, key_identity: &Node) -> bool {
    let Some(wanted) = key_identity
        .via
        .as_ref()
        .and_then(|v| v.reference.as_deref())
    else {
        return false;
    };
    let Lookup::Found(Node {
        value: Value::Array(assigned),
        ..
    }) = registry.lookup("identity.identityIds")
    else {
        return false;
    };
    let references: Vec<Option<&str>> = assigned
        .iter()
        .map(|id| id.via.as_ref().and_then(|v| v.reference.as_deref()))
        .collect();
    references.iter().all(Option::is_some) && !references.contains(&Some(wanted))
}
