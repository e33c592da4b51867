use super::{Applies, Level, Outcomes, Rule, RuleMeta, RuleScope, Target, literal_text};
use crate::model::{Kind, Lookup, Node, RegistryView, Resource, Value};

pub struct PlaintextTaskCredential;

static META: RuleMeta = RuleMeta {
    id: "ACR208",
    slug: "plaintext-task-credential",
    title: "A task authenticates to a registry with a username and password",
    level: Level::Error,
    enabled_by_default: true,
    applies: Applies::AllSkus,
    scope: RuleScope::Related,
    aliases: &[],
    security_severity: "8.0",
    tags: &["security", "secrets"],
    fix_terraform: "set `identity` in `registry_credential.custom` (with a Key Vault secret URI as `password`, or no password) instead of a username and password",
    fix_arm: "use `\"type\": \"Vaultsecret\"` with a Key Vault secret URI (and an `identity`) instead of `Opaque`",
    fix_bicep: "use `type: 'Vaultsecret'` with a Key Vault secret URI (and an `identity`) instead of `'Opaque'`",
    page: include_str!("../../rules/ACR208.md"),
};

impl Rule for PlaintextTaskCredential {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, view: &RegistryView<'_>, out: &mut Outcomes) {
        for task in view.related(Kind::Task) {
            for credential in custom_registry_credentials(task) {
                check_credential(view, task, credential, out);
            }
        }
    }
}

/// The custom registry credentials of a task (ARM: an object keyed by login server; Terraform:
/// a list of `custom` blocks).
fn custom_registry_credentials(task: &Resource) -> Vec<&Node> {
    let Lookup::Found(registries) = task.lookup("properties.credentials.customRegistries") else {
        return Vec::new();
    };
    match &registries.value {
        Value::Object(members) => members.iter().map(|(_, v)| v).collect(),
        Value::Array(items) => items.iter().collect(),
        _ => Vec::new(),
    }
}

/// The `password` objects of a task's custom registry credentials (ARM: an object keyed by
/// login server; Terraform: a list).
pub fn custom_registry_passwords(task: &Resource) -> Vec<&Node> {
    custom_registry_credentials(task)
        .into_iter()
        .filter_map(|e| e.get("password"))
        .collect()
}

/// Reports a credential whose password is of type `Opaque` (written, or implied by a password
/// without a type and without an identity), unless the password is a literal: that is ACR502's.
fn check_credential(
    view: &RegistryView<'_>,
    task: &Resource,
    credential: &Node,
    out: &mut Outcomes,
) {
    let Some(password) = credential.get("password") else {
        return;
    };
    let value = password.get("value");
    if value.is_some_and(|v| literal_text(v).is_some()) {
        return;
    }
    let (node, label) = match password.get("type") {
        Some(kind) => match &kind.value {
            Value::String(text) if text.trim().eq_ignore_ascii_case("Opaque") => {
                (kind, "username/password credential (`Opaque`)")
            }
            Value::Unknown(_) => return out.unknown(task, kind),
            _ => return,
        },
        None if credential.get("identity").is_some() => return,
        None => (value.unwrap_or(password), "password without an identity"),
    };
    let message = format!(
        "task `{}` authenticates to a registry with a username and password instead of a managed identity or a Key Vault secret",
        task.address
    );
    out.report_related(
        view,
        task,
        "properties.credentials.customRegistries.password",
        Target::Value(node, label),
        message,
    );
}
