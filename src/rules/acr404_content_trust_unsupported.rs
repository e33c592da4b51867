use super::{Applies, Level, Outcomes, Rule, RuleMeta, RuleScope, Target};
use crate::model::{RegistryView, Setting};

pub struct ContentTrustUnsupported;

static META: RuleMeta = RuleMeta {
    id: "ACR404",
    slug: "content-trust-unsupported",
    title: "Docker Content Trust is enabled; the service rejects it",
    level: Level::Error,
    enabled_by_default: true,
    scope: RuleScope::Registry,
    applies: Applies::AllSkus,
    aliases: &[
        "CKV_AZURE_164 (inverted)",
        "Azure.ACR.ContentTrust (inverted)",
    ],
    security_severity: "3.0",
    tags: &["deployment", "supply-chain"],
    fix_terraform: "remove `trust_policy_enabled` (v3: the `trust_policy` block) and sign images with Notation instead",
    fix_arm: "remove `policies.trustPolicy` (or set its status to `disabled`) and sign images with Notation instead",
    fix_bicep: "remove `policies.trustPolicy` (or set `trustPolicy: { status: 'disabled' }`) and sign images with Notation instead",
    page: include_str!("../../rules/ACR404.md"),
};

const PATH: &str = "properties.policies.trustPolicy.status";

impl Rule for ContentTrustUnsupported {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, view: &RegistryView<'_>, out: &mut Outcomes) {
        let registry = view.registry;
        match registry.text(PATH, "disabled") {
            Setting::Set(status, node) if status.trim().eq_ignore_ascii_case("enabled") => {
                let message = format!(
                    "registry `{}` enables Docker Content Trust, which is deprecated: the deployment fails with `ContentTrustUnsupported`",
                    registry.address
                );
                out.report(
                    registry,
                    PATH,
                    Target::Value(node, "content trust enabled here"),
                    message,
                );
            }
            Setting::Unknown(node) => out.unknown(registry, node),
            _ => {}
        }
    }
}
