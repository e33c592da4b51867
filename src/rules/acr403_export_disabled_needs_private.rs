use super::{Applies, Label, Level, Outcomes, Rule, RuleMeta, RuleScope, Target, is_status};
use crate::model::{RegistryView, Setting};

pub struct ExportDisabledNeedsPrivate;

static META: RuleMeta = RuleMeta {
    id: "ACR403",
    slug: "export-disabled-needs-private",
    title: "Export is disabled while public network access is enabled",
    level: Level::Error,
    enabled_by_default: true,
    applies: Applies::AllSkus,
    scope: RuleScope::Registry,
    aliases: &[],
    security_severity: "3.0",
    tags: &["deployment"],
    fix_terraform: "set `public_network_access_enabled = false` together with `export_policy_enabled = false`",
    fix_arm: "set `\"publicNetworkAccess\": \"Disabled\"` together with `exportPolicy.status: disabled`",
    fix_bicep: "set `publicNetworkAccess: 'Disabled'` together with `exportPolicy: { status: 'disabled' }`",
    page: include_str!("../../rules/ACR403.md"),
};

const EXPORT: &str = "properties.policies.exportPolicy.status";
const PUBLIC: &str = "properties.publicNetworkAccess";

impl Rule for ExportDisabledNeedsPrivate {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, view: &RegistryView<'_>, out: &mut Outcomes) {
        let registry = view.registry;
        let export = registry.text(EXPORT, "enabled");
        let Setting::Set(_, export_node) = export else {
            if let Setting::Unknown(node) = export {
                out.unknown(registry, node);
            }
            return;
        };
        if is_status(&export, "disabled") != Some(true) {
            return;
        }
        let public = registry.text(PUBLIC, "Enabled");
        match is_status(&public, "Enabled") {
            Some(true) => {
                let message = format!(
                    "registry `{}` disables export but keeps public network access: the service rejects this",
                    registry.address
                );
                let target = Target::Value(export_node, "export disabled here");
                if let Some(finding) = out.report(registry, EXPORT, target, message) {
                    match public.node() {
                        Some(node) => finding.secondary.push(Label {
                            span: node.span,
                            message: "public network access enabled here".into(),
                        }),
                        None => finding.notes.push(
                            "`publicNetworkAccess` is not set; Azure default is `Enabled`".into(),
                        ),
                    }
                }
            }
            None => {
                if let Some(node) = public.node() {
                    out.unknown(registry, node);
                }
            }
            Some(false) => {}
        }
    }
}
