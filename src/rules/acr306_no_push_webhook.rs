use super::{Applies, Level, Outcomes, Rule, RuleMeta, RuleScope, Target};
use crate::model::{Kind, Lookup, Node, RegistryView, Resource, Value};

pub struct NoPushWebhook;

static META: RuleMeta = RuleMeta {
    id: "ACR306",
    slug: "no-push-webhook",
    title: "No webhook announces pushed images",
    level: Level::Note,
    enabled_by_default: false,
    applies: Applies::AllSkus,
    scope: RuleScope::Registry,
    aliases: &[],
    security_severity: "1.0",
    tags: &["security", "monitoring"],
    fix_terraform: "add an `azurerm_container_registry_webhook` with `actions = [\"push\"]` pointing at your scanner",
    fix_arm: "add a `registries/webhooks` child with `actions: [\"push\"]` pointing at your scanner",
    fix_bicep: "add a `registries/webhooks` resource with `parent:` the registry and `actions: ['push']` pointing at your scanner",
    page: include_str!("../../rules/ACR306.md"),
};

impl Rule for NoPushWebhook {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, view: &RegistryView<'_>, out: &mut Outcomes) {
        let mut undecided = None;
        for webhook in view.related(Kind::Webhook) {
            match announces_push(webhook) {
                Ok(true) => return,
                Ok(false) => {}
                Err(node) => undecided = Some((webhook, node)),
            }
        }
        if let Some((webhook, node)) = undecided {
            return out.unknown(webhook, node);
        }
        let registry = view.registry;
        let message = format!(
            "registry `{}` has no enabled webhook on `push`",
            registry.address
        );
        out.report(
            registry,
            "webhooks",
            Target::Default("no enabled webhook with the `push` action"),
            message,
        );
    }
}

fn announces_push(webhook: &Resource) -> Result<bool, &Node> {
    match webhook.lookup("properties.status") {
        Lookup::Found(status)
            if status
                .as_str()
                .is_some_and(|s| s.eq_ignore_ascii_case("disabled")) =>
        {
            return Ok(false);
        }
        Lookup::Unknown(node) => return Err(node),
        _ => {}
    }
    let actions = match webhook.lookup("properties.actions") {
        Lookup::Found(node) => node,
        Lookup::Unknown(node) => return Err(node),
        Lookup::Missing => return Ok(false),
    };
    let Value::Array(items) = &actions.value else {
        return Ok(false);
    };
    if items
        .iter()
        .any(|a| a.as_str().is_some_and(|a| a.eq_ignore_ascii_case("push")))
    {
        return Ok(true);
    }
    items.iter().find(|a| a.is_unknown()).map_or(Ok(false), Err)
}
