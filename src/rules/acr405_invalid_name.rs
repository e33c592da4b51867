use super::{Applies, Level, Outcomes, Rule, RuleMeta, RuleScope, Target};
use crate::model::{Kind, Lookup, RegistryView, Resource};

pub struct InvalidName;

static META: RuleMeta = RuleMeta {
    id: "ACR405",
    slug: "invalid-name",
    title: "A registry or child resource name breaks its naming rules",
    level: Level::Error,
    enabled_by_default: true,
    applies: Applies::AllSkus,
    scope: RuleScope::Related,
    aliases: &["Azure.ACR.Name"],
    security_severity: "2.0",
    tags: &["deployment"],
    fix_terraform: "rename: registries, replications and webhooks take 5-50 letters and digits; tokens, cache rules and credential sets also `-`; scope maps also `-` and `_`",
    fix_arm: "rename: registries, replications and webhooks take 5-50 letters and digits; tokens, cache rules and credential sets also `-`; scope maps also `-` and `_`",
    fix_bicep: "rename: registries, replications and webhooks take 5-50 letters and digits; tokens, cache rules and credential sets also `-`; scope maps also `-` and `_`",
    page: include_str!("../../rules/ACR405.md"),
};

impl Rule for InvalidName {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, view: &RegistryView<'_>, out: &mut Outcomes) {
        if !view.registry.existing {
            check_name(view, view.registry, out);
        }
        for related in &view.related {
            check_name(view, related, out);
        }
    }
}

/// The characters a kind's names may use besides letters and digits, when it has a pattern.
fn extra_characters(kind: Kind) -> Option<&'static str> {
    match kind {
        Kind::Registry | Kind::Replication | Kind::Webhook => Some(""),
        Kind::Token | Kind::CacheRule | Kind::CredentialSet => Some("-"),
        Kind::ScopeMap => Some("-_"),
        _ => None,
    }
}

fn check_name(view: &RegistryView<'_>, resource: &Resource, out: &mut Outcomes) {
    let Some(extra) = extra_characters(resource.kind) else {
        return;
    };
    let node = match resource.lookup("name") {
        Lookup::Found(node) => node,
        Lookup::Unknown(node) => return out.unknown(resource, node),
        Lookup::Missing => return,
    };
    let Some(full) = node.as_str().filter(|n| !n.trim().is_empty()) else {
        return;
    };
    let name = if resource.is_registry() {
        full
    } else {
        full.rsplit('/').next().unwrap_or(full)
    };
    let length = name.chars().count();
    let valid_chars = name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || extra.contains(c));
    if (5..=50).contains(&length) && valid_chars {
        return;
    }
    let allowed = match extra {
        "" => "letters and digits",
        "-" => "letters, digits and `-`",
        _ => "letters, digits, `-` and `_`",
    };
    let message = format!("name `{name}` is invalid: use 5 to 50 {allowed}");
    let target = Target::Value(node, "invalid name");
    if resource.is_registry() {
        out.report(resource, "name", target, message);
    } else {
        out.report_related(view, resource, "name", target, message);
    }
}
