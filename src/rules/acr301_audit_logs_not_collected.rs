use super::{Applies, Level, Outcomes, Rule, RuleMeta, RuleScope, Target};
use crate::model::{Kind, Lookup, Node, RegistryView, Resource, Value};

pub struct AuditLogsNotCollected;

static META: RuleMeta = RuleMeta {
    id: "ACR301",
    slug: "audit-logs-not-collected",
    title: "Registry login and repository events are not collected",
    level: Level::Warning,
    enabled_by_default: true,
    applies: Applies::AllSkus,
    scope: RuleScope::Registry,
    aliases: &["Azure.ACR.AuditLogs"],
    security_severity: "4.0",
    tags: &["security", "monitoring"],
    fix_terraform: "add an `azurerm_monitor_diagnostic_setting` with `target_resource_id` = the registry's `id` and `enabled_log { category_group = \"audit\" }`",
    fix_arm: "add a `Microsoft.Insights/diagnosticSettings` scoped to the registry with `logs: [{\"categoryGroup\": \"audit\", \"enabled\": true}]`",
    fix_bicep: "add a `Microsoft.Insights/diagnosticSettings` resource with `scope:` the registry's symbolic name and `logs: [{ categoryGroup: 'audit', enabled: true }]`",
    page: include_str!("../../rules/ACR301.md"),
};

/// The two audit categories, as literals the notes are put together from.
macro_rules! login {
    () => {
        "ContainerRegistryLoginEvents"
    };
}
macro_rules! repository {
    () => {
        "ContainerRegistryRepositoryEvents"
    };
}

const LOGIN: &str = login!();
const REPOSITORY: &str = repository!();
const BOTH_NEEDED: &str = concat!(
    "audit needs both `",
    login!(),
    "` and `",
    repository!(),
    "` (or category group `audit`)"
);
const COLLECT_BOTH: &str = concat!(
    "collect `",
    login!(),
    "` and `",
    repository!(),
    "` (or category group `audit` / `allLogs`)"
);

/// Which audit categories one diagnostic setting collects.
#[derive(Default)]
struct Collected {
    login: bool,
    repository: bool,
}

impl Rule for AuditLogsNotCollected {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, view: &RegistryView<'_>, out: &mut Outcomes) {
        let registry = view.registry;
        let mut partial: Option<(&Resource, &'static str)> = None;
        let mut undecided: Option<(&Resource, &Node)> = None;
        let mut total = Collected::default();
        for setting in view.related(Kind::DiagnosticSetting) {
            match collected(setting) {
                Err(node) => undecided = Some((setting, node)),
                Ok(c) => {
                    total.login |= c.login;
                    total.repository |= c.repository;
                    if c.login != c.repository {
                        partial = Some((setting, if c.login { REPOSITORY } else { LOGIN }));
                    }
                }
            }
        }
        if total.login && total.repository {
            return;
        }
        if let Some((setting, node)) = undecided {
            return out.unknown(setting, node);
        }
        match partial {
            Some((setting, missing)) => {
                let message = format!(
                    "diagnostic setting `{}` does not collect `{missing}`",
                    setting.address
                );
                let target = Target::Value(
                    &setting.body,
                    "collects only one of the two audit categories",
                );
                if let Some(finding) =
                    out.report_related(view, setting, "properties.logs", target, message)
                {
                    finding.notes.push(BOTH_NEEDED.into());
                }
            }
            None => {
                let message = format!(
                    "registry `{}` has no diagnostic setting that collects its audit logs",
                    registry.address
                );
                let target = Target::Default(
                    "no `Microsoft.Insights/diagnosticSettings` / `azurerm_monitor_diagnostic_setting` with the audit categories targets it",
                );
                if let Some(finding) = out.report(registry, "diagnosticSettings", target, message) {
                    finding.notes.push(COLLECT_BOTH.into());
                }
            }
        }
    }
}

/// The categories an enabled diagnostic setting collects, or the node that makes it unknown.
fn collected(setting: &Resource) -> Result<Collected, &Node> {
    let logs = match setting.lookup("properties.logs") {
        Lookup::Found(node) => node,
        Lookup::Unknown(node) => return Err(node),
        Lookup::Missing => return Ok(Collected::default()),
    };
    let Value::Array(entries) = &logs.value else {
        return Ok(Collected::default());
    };
    let mut result = Collected::default();
    for entry in entries {
        if entry.is_unknown() {
            return Err(entry);
        }
        match entry.get("enabled") {
            Some(enabled) if enabled.is_unknown() => return Err(enabled),
            Some(enabled) if enabled.as_bool() == Some(false) => continue,
            _ => {}
        }
        let category = entry.get("category");
        let group = entry.get("categoryGroup");
        if let Some(unknown) = [category, group]
            .into_iter()
            .flatten()
            .find(|n| n.is_unknown())
        {
            return Err(unknown);
        }
        let is = |node: Option<&Node>, name: &str| {
            node.and_then(Node::as_str)
                .is_some_and(|v| v.eq_ignore_ascii_case(name))
        };
        if is(group, "audit") || is(group, "allLogs") {
            result.login = true;
            result.repository = true;
        }
        result.login |= is(category, LOGIN);
        result.repository |= is(category, REPOSITORY);
    }
    Ok(result)
}
