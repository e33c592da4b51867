use super::{Applies, Level, Outcomes, Rule, RuleMeta, RuleScope, Target};
use crate::model::{Kind, Lookup, RegistryView};

pub struct WebhookNotHttps;

static META: RuleMeta = RuleMeta {
    id: "ACR108",
    slug: "webhook-not-https",
    title: "A webhook posts registry events over plain HTTP",
    level: Level::Error,
    enabled_by_default: true,
    applies: Applies::AllSkus,
    scope: RuleScope::Related,
    aliases: &["CKV2_AZURE_30"],
    security_severity: "6.5",
    tags: &["security", "network"],
    fix_terraform: "use an `https://` URL in `service_uri`",
    fix_arm: "use an `https://` URL in `properties.serviceUri`",
    fix_bicep: "use an `https://` URL in `properties.serviceUri`",
    page: include_str!("../../rules/ACR108.md"),
};

const PATH: &str = "properties.serviceUri";

impl Rule for WebhookNotHttps {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, view: &RegistryView<'_>, out: &mut Outcomes) {
        for webhook in view.related(Kind::Webhook) {
            match webhook.lookup(PATH) {
                Lookup::Found(node) => {
                    let Some(uri) = node.as_str() else { continue };
                    if uri
                        .trim()
                        .get(..7)
                        .is_some_and(|scheme| scheme.eq_ignore_ascii_case("http://"))
                    {
                        let message = format!(
                            "webhook `{}` sends event payloads (and any custom headers) unencrypted",
                            webhook.address
                        );
                        out.report_related(
                            view,
                            webhook,
                            PATH,
                            Target::Value(node, "plain HTTP"),
                            message,
                        );
                    }
                }
                Lookup::Unknown(node) => out.unknown(webhook, node),
                Lookup::Missing => {}
            }
        }
    }
}
