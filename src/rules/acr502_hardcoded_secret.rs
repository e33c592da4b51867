use super::secrets::secret_values;
use super::{Applies, Level, Outcomes, Rule, RuleMeta, RuleScope, Target, literal_text};
use crate::model::{Kind, Lookup, Node, RegistryView, Value};

pub struct HardcodedSecret;

static META: RuleMeta = RuleMeta {
    id: "ACR502",
    slug: "hardcoded-secret",
    title: "A registry secret is written in the code",
    level: Level::Error,
    enabled_by_default: true,
    applies: Applies::AllSkus,
    scope: RuleScope::Related,
    aliases: &[],
    security_severity: "8.5",
    tags: &["security", "secrets"],
    fix_terraform: "pass the secret in a `sensitive` variable or read it from Key Vault (`azurerm_key_vault_secret`)",
    fix_arm: "pass the secret in a `securestring` parameter (a Key Vault reference in the parameters file)",
    fix_bicep: "pass the secret in a `@secure()` parameter (from `az.getSecret()` in a `.bicepparam` file, or `getSecret()` on an `existing` Key Vault)",
    page: include_str!("../../rules/ACR502.md"),
};

impl Rule for HardcodedSecret {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, view: &RegistryView<'_>, out: &mut Outcomes) {
        for resource in &view.related {
            for secret in secret_values(resource) {
                if literal_text(secret.node).is_some_and(|text| secret.is_secret_literal(text)) {
                    let message = format!(
                        "{} of `{}` is written in the code",
                        secret.what, resource.address
                    );
                    let finding = out.report_related(
                        view,
                        resource,
                        secret.property,
                        Target::Value(secret.node, "literal secret"),
                        message,
                    );
                    if let Some(finding) = finding {
                        finding.secret = true;
                    }
                }
            }
        }
        for credential_set in view.related(Kind::CredentialSet) {
            let Lookup::Found(Node {
                value: Value::Array(credentials),
                ..
            }) = credential_set.lookup("properties.authCredentials")
            else {
                continue;
            };
            for id in credentials
                .iter()
                .filter_map(|c| c.get("passwordSecretIdentifier"))
            {
                if literal_text(id).is_some_and(|text| !is_key_vault_secret_uri(text)) {
                    let message = format!(
                        "credential set `{}` holds a password instead of a Key Vault secret identifier",
                        credential_set.address
                    );
                    let target = Target::Value(id, "not a Key Vault secret URI");
                    let finding = out.report_related(
                        view,
                        credential_set,
                        "properties.authCredentials.passwordSecretIdentifier",
                        target,
                        message,
                    );
                    if let Some(finding) = finding {
                        finding.secret = true;
                    }
                }
            }
        }
    }
}

fn is_key_vault_secret_uri(text: &str) -> bool {
    let lower = text.trim().to_ascii_lowercase();
    lower.starts_with("https://") && lower.contains("/secrets/")
}
