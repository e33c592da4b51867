use super::{Applies, Level, Outcomes, Rule, RuleMeta, RuleScope, Target, literal_text};
use crate::model::{Kind, Lookup, Node, RegistryView, Resource, Value};

pub struct PlaintextTaskCredential;

static META: RuleMeta = RuleMeta {
    id: "ACR208",
    slug: "plaintext-task-credential",
    title: "A task carries a registry credential or access token in plain text",
    level: Level::Error,
    enabled_by_default: true,
    applies: Applies::AllSkus,
    scope: RuleScope::Related,
    aliases: &[],
    security_severity: "8.0",
    tags: &["security", "secrets"],
    fix_terraform: "use `identity` in `registry_credential.custom` (or a Key Vault reference) instead of `password`, and no literal `context_access_token`",
    fix_arm: "use `\"type\": \"Vaultsecret\"` with a Key Vault secret URI (or an `identity`) instead of `Opaque`, and no literal `contextAccessToken`",
    page: include_str!("../../rules/ACR208.md"),
};

impl Rule for PlaintextTaskCredential {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, view: &RegistryView<'_>, out: &mut Outcomes) {
        for task in view.related(Kind::Task) {
            for password in custom_registry_passwords(task) {
                check_password(view, task, password, out);
            }
            if let Lookup::Found(token) = task.lookup("properties.step.contextAccessToken")
                && literal_text(token).is_some()
            {
                let message = format!("task `{}` has a literal `contextAccessToken`", task.address);
                let target = Target::Value(token, "access token in plain text");
                out.report_related(
                    view,
                    task,
                    "properties.step.contextAccessToken",
                    target,
                    message,
                );
            }
        }
    }
}

/// The `password` objects of a task's custom registry credentials (ARM: an object keyed by
/// login server; Terraform: a list).
pub fn custom_registry_passwords(task: &Resource) -> Vec<&Node> {
    let Lookup::Found(registries) = task.lookup("properties.credentials.customRegistries") else {
        return Vec::new();
    };
    let entries: Vec<&Node> = match &registries.value {
        Value::Object(members) => members.iter().map(|(_, v)| v).collect(),
        Value::Array(items) => items.iter().collect(),
        _ => Vec::new(),
    };
    entries
        .into_iter()
        .filter_map(|e| e.get("password"))
        .collect()
}

fn check_password(view: &RegistryView<'_>, task: &Resource, password: &Node, out: &mut Outcomes) {
    let kind = password.get("type").and_then(Node::as_str);
    let value = password.get("value");
    let opaque = kind.is_some_and(|k| k.trim().eq_ignore_ascii_case("Opaque"));
    let literal = kind.is_none() && value.is_some_and(|v| literal_text(v).is_some());
    if !(opaque || literal) {
        return;
    }
    let (node, label) = match (password.get("type"), value) {
        (Some(kind), _) if opaque => (kind, "credential stored as `Opaque`"),
        (_, Some(value)) => (value, "password in plain text"),
        _ => (password, "plain-text credential"),
    };
    let message = format!(
        "task `{}` stores a registry password in plain text",
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
