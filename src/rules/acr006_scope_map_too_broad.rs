use super::{Applies, Level, Outcomes, Rule, RuleMeta, RuleScope, Target};
use crate::model::{Kind, RegistryView, Value};

pub struct ScopeMapTooBroad;

static META: RuleMeta = RuleMeta {
    id: "ACR006",
    slug: "scope-map-too-broad",
    title: "A scope map grants broad or destructive repository permissions",
    level: Level::Warning,
    enabled_by_default: true,
    applies: Applies::AllSkus,
    scope: RuleScope::Related,
    aliases: &[],
    security_severity: "5.0",
    tags: &["security", "identity"],
    fix_terraform: "list the repositories by name in `actions` and grant only `content/read` (and `content/write` where pushing is needed)",
    fix_arm: "list the repositories by name in `properties.actions` and grant only `content/read` (and `content/write` where pushing is needed)",
    fix_bicep: "list the repositories by name in `properties.actions` and grant only `content/read` (and `content/write` where pushing is needed)",
    page: include_str!("../../rules/ACR006.md"),
};

impl Rule for ScopeMapTooBroad {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, view: &RegistryView<'_>, out: &mut Outcomes) {
        for scope_map in view.related(Kind::ScopeMap) {
            let Some(actions) = scope_map
                .body
                .get("properties")
                .and_then(|p| p.get("actions"))
            else {
                continue;
            };
            let Value::Array(items) = &actions.value else {
                if actions.is_unknown() {
                    out.unknown(scope_map, actions);
                }
                continue;
            };
            for action in items {
                if action.is_unknown() {
                    out.unknown(scope_map, action);
                    continue;
                }
                let Some(text) = action.as_str() else {
                    continue;
                };
                if let Some(problem) = problem(text) {
                    let message = format!("scope map `{}` {problem}: `{text}`", scope_map.address);
                    out.report_related(
                        view,
                        scope_map,
                        "properties.actions",
                        Target::Value(action, problem),
                        message,
                    );
                }
            }
        }
    }
}

fn problem(action: &str) -> Option<&'static str> {
    let lower = action.trim().to_ascii_lowercase();
    let repository = lower.strip_prefix("repositories/")?;
    if repository.starts_with("*/") || repository == "*" {
        return Some("grants access to every repository");
    }
    if lower.ends_with("/content/delete") {
        return Some("grants delete");
    }
    if lower.ends_with("/metadata/write") {
        return Some("grants metadata write");
    }
    None
}
