use super::{Applies, Label, Level, Outcomes, Rule, RuleMeta, RuleScope, Target};
use crate::model::{Kind, Node, RegistryView, Resource, Setting};

pub struct ConflictingPolicies;

static META: RuleMeta = RuleMeta {
    id: "ACR407",
    slug: "conflicting-policies",
    title: "The registry combines policies the service does not allow together",
    level: Level::Error,
    enabled_by_default: true,
    applies: Applies::AllSkus,
    scope: RuleScope::Registry,
    aliases: &[],
    security_severity: "2.0",
    tags: &["deployment"],
    fix_terraform: "keep one of retention and soft delete; no soft delete with geo-replication; no content trust with a customer-managed key",
    fix_arm: "keep one of retention and soft delete; no soft delete with replications; no trust policy with a customer-managed key",
    fix_bicep: "keep one of retention and soft delete; no soft delete with replications; no trust policy with a customer-managed key",
    page: include_str!("../../rules/ACR407.md"),
};

const RETENTION: &str = "properties.policies.retentionPolicy.status";
const SOFT_DELETE: &str = "properties.policies.softDeletePolicy.status";
const ENCRYPTION: &str = "properties.encryption.status";
const TRUST: &str = "properties.policies.trustPolicy.status";

impl Rule for ConflictingPolicies {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, view: &RegistryView<'_>, out: &mut Outcomes) {
        let registry = view.registry;
        let soft_delete = enabled(registry, SOFT_DELETE);
        if let (Some(soft), Some(retention)) = (soft_delete, enabled(registry, RETENTION)) {
            conflict(
                registry,
                soft,
                retention,
                "soft delete and a retention policy cannot both be enabled",
                out,
            );
        }
        if let (Some(soft), Some(replica)) = (soft_delete, view.related(Kind::Replication).next()) {
            conflict(
                registry,
                soft,
                &replica.body,
                "soft delete cannot be enabled on a geo-replicated registry",
                out,
            );
        }
        if let (Some(trust), Some(key)) = (enabled(registry, TRUST), enabled(registry, ENCRYPTION))
        {
            conflict(
                registry,
                trust,
                key,
                "content trust cannot be enabled with a customer-managed key",
                out,
            );
        }
    }
}

/// The node that enables a policy, when it is explicitly enabled.
fn enabled<'a>(registry: &'a Resource, path: &str) -> Option<&'a Node> {
    match registry.text(path, "disabled") {
        Setting::Set(status, node) if status.trim().eq_ignore_ascii_case("enabled") => Some(node),
        _ => None,
    }
}

fn conflict(registry: &Resource, first: &Node, second: &Node, problem: &str, out: &mut Outcomes) {
    let message = format!("registry `{}`: {problem}", registry.address);
    if let Some(finding) = out.report(
        registry,
        "properties.policies",
        Target::Value(first, "enabled here"),
        message,
    ) {
        finding.secondary.push(Label {
            span: second.span,
            message: "conflicts with this".into(),
        });
    }
}
