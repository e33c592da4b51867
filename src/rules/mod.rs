//! The rule catalog: metadata beside each rule, one file per rule, each a pure function of
//! the model.

mod acr001_admin_user_enabled;
mod acr002_anonymous_pull_enabled;
mod acr003_no_managed_identity;
mod acr101_unrestricted_network_access;
mod acr104_trusted_services_blocked;
mod acr404_content_trust_unsupported;

use std::fmt;

use crate::model::{Format, Graph, Node, RegistryView, Resource, Setting, Sku, UnitView};
use crate::source::Span;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    Note,
    Warning,
    Error,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Note => "note",
            Level::Warning => "warning",
            Level::Error => "error",
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a rule applies; elsewhere its result is *not applicable*.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applies {
    AllSkus,
    Skus(&'static [Sku]),
}

/// What a rule looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleScope {
    /// A registry's own settings: defined registries only (not `existing` or `data`).
    Registry,
    /// Resources related to a registry, defined or referenced.
    Related,
    /// A whole template or module (outputs, parameters, subscription-level resources).
    Unit,
}

/// A rule's identity and documentation, declared next to the rule.
#[derive(Debug)]
pub struct RuleMeta {
    pub id: &'static str,
    pub slug: &'static str,
    pub title: &'static str,
    pub level: Level,
    pub enabled_by_default: bool,
    pub applies: Applies,
    pub scope: RuleScope,
    /// Peer check IDs, so users can map suppressions and reports.
    pub aliases: &'static [&'static str],
    /// The SARIF `security-severity`, a number from 0.0 to 10.0.
    pub security_severity: &'static str,
    pub tags: &'static [&'static str],
    pub fix_terraform: &'static str,
    pub fix_arm: &'static str,
    /// The rule's page, `rules/ACRnnn.md`.
    pub page: &'static str,
}

impl RuleMeta {
    pub fn docs_url(&self) -> String {
        format!("{}/blob/main/rules/{}.md", crate::REPOSITORY, self.id)
    }

    pub fn applies_to_text(&self) -> String {
        match self.applies {
            Applies::AllSkus => "all".into(),
            Applies::Skus(skus) => skus.iter().map(|s| s.name()).collect::<Vec<_>>().join(", "),
        }
    }

    pub fn fix(&self, format: Format) -> &'static str {
        match format {
            Format::Terraform => self.fix_terraform,
            Format::Arm => self.fix_arm,
        }
    }
}

pub trait Rule: Sync {
    fn meta(&self) -> &'static RuleMeta;

    /// Checks one registry (and, for related-resource rules, what belongs to it).
    fn check(&self, _view: &RegistryView<'_>, _out: &mut Outcomes) {}

    /// Checks one template or module, for rules with [`RuleScope::Unit`].
    fn check_unit(&self, _unit: &UnitView<'_>, _out: &mut Outcomes) {}
}

/// Every rule, in ID order.
pub fn all() -> &'static [&'static dyn Rule] {
    &[
        &acr001_admin_user_enabled::AdminUserEnabled,
        &acr002_anonymous_pull_enabled::AnonymousPullEnabled,
        &acr003_no_managed_identity::NoManagedIdentity,
        &acr101_unrestricted_network_access::UnrestrictedNetworkAccess,
        &acr104_trusted_services_blocked::TrustedServicesBlocked,
        &acr404_content_trust_unsupported::ContentTrustUnsupported,
    ]
}

/// The rule with this ID or slug (case-insensitive).
pub fn find(key: &str) -> Option<&'static dyn Rule> {
    all().iter().copied().find(|rule| {
        let meta = rule.meta();
        meta.id.eq_ignore_ascii_case(key) || meta.slug.eq_ignore_ascii_case(key)
    })
}

/// A labelled span in a finding.
#[derive(Debug, Clone, PartialEq)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

/// One reported problem.
#[derive(Debug, Clone)]
pub struct Finding {
    pub rule: &'static RuleMeta,
    pub level: Level,
    pub message: String,
    pub primary: Label,
    pub secondary: Vec<Label>,
    pub notes: Vec<String>,
    pub help: &'static str,
    pub resource: String,
    /// The setting, as an ARM property path (the model's vocabulary).
    pub property: String,
}

/// A result that is neither pass nor fail.
#[derive(Debug, Clone)]
pub struct Undecided {
    pub rule: &'static RuleMeta,
    pub resource: String,
    pub span: Span,
    pub reason: String,
}

/// What the rules concluded on the scanned resources.
#[derive(Debug, Default)]
pub struct Outcomes {
    pub findings: Vec<Finding>,
    pub not_applicable: Vec<Undecided>,
    pub unknown: Vec<Undecided>,
    current: Option<&'static RuleMeta>,
}

impl Outcomes {
    /// Records a finding of the current rule on `resource`, pointing at `at`.
    pub fn report(
        &mut self,
        resource: &Resource,
        property: &str,
        at: Target<'_>,
        message: String,
    ) -> Option<&mut Finding> {
        let rule = self.current?;
        let (primary, notes) = at.label(resource);
        let mut secondary = Vec::new();
        if let Target::Value(node, _) = at
            && let Some(via) = &node.via
        {
            secondary.push(Label {
                span: via.span,
                message: format!("value comes from {}", via.description),
            });
        }
        self.findings.push(Finding {
            rule,
            level: rule.level,
            message,
            primary,
            secondary,
            notes,
            help: rule.fix(resource.format),
            resource: resource.address.clone(),
            property: property.to_string(),
        });
        self.findings.last_mut()
    }

    /// Records that the current rule could not decide, naming the missing input.
    pub fn unknown(&mut self, registry: &Resource, node: &Node) {
        let Some(rule) = self.current else {
            return;
        };
        let reason = match &node.value {
            crate::model::Value::Unknown(reason) => reason.clone(),
            other => format!(
                "value {} is not understood",
                Node::new(other.clone(), node.span).display()
            ),
        };
        self.unknown.push(Undecided {
            rule,
            resource: registry.address.clone(),
            span: node.span,
            reason,
        });
    }
}

/// Where a finding points: at the value that was written, or at the resource whose
/// omitted setting takes the service default.
#[derive(Debug, Clone, Copy)]
pub enum Target<'a> {
    Value(&'a Node, &'a str),
    Default(&'a str),
}

impl<'a> Target<'a> {
    /// The target of a setting: its value when written, the resource when defaulted.
    pub fn of<T: fmt::Display + Copy>(setting: &Setting<'a, T>, label: &'a str) -> Target<'a> {
        match setting.node() {
            Some(node) => Target::Value(node, label),
            None => Target::Default(label),
        }
    }

    fn label(self, registry: &Resource) -> (Label, Vec<String>) {
        match self {
            Target::Value(node, message) => (
                Label {
                    span: node.span,
                    message: message.to_string(),
                },
                Vec::new(),
            ),
            Target::Default(default_note) => (
                Label {
                    span: registry.decl,
                    message: "declared here".to_string(),
                },
                vec![default_note.to_string()],
            ),
        }
    }
}

/// Runs the selected rules on the linked model.
pub fn run(graph: &Graph<'_>, rules: &[&'static dyn Rule]) -> Outcomes {
    let mut out = Outcomes::default();
    for view in &graph.registries {
        run_on_registry(view, rules, &mut out);
    }
    for unit in &graph.units {
        for rule in rules.iter().filter(|r| r.meta().scope == RuleScope::Unit) {
            out.current = Some(rule.meta());
            rule.check_unit(unit, &mut out);
        }
    }
    out.current = None;
    out
}

fn run_on_registry(view: &RegistryView<'_>, rules: &[&'static dyn Rule], out: &mut Outcomes) {
    let registry = view.registry;
    for rule in rules {
        let meta = rule.meta();
        let runs = match meta.scope {
            RuleScope::Registry => !registry.existing,
            RuleScope::Related => !view.related.is_empty() || !registry.existing,
            RuleScope::Unit => false,
        };
        if !runs {
            continue;
        }
        out.current = Some(meta);
        if registry.existing || applicable(meta, registry, out) {
            rule.check(view, out);
        }
    }
}

fn applicable(meta: &'static RuleMeta, registry: &Resource, out: &mut Outcomes) -> bool {
    let Applies::Skus(skus) = meta.applies else {
        return true;
    };
    let undecided = |reason: String, span: Span| Undecided {
        rule: meta,
        resource: registry.address.clone(),
        span,
        reason,
    };
    match registry.sku() {
        Ok(sku) if skus.contains(&sku) => true,
        Ok(sku) => {
            let reason = format!(
                "applies to {} registries; this one is {}",
                meta.applies_to_text(),
                sku.name()
            );
            out.not_applicable.push(undecided(reason, registry.decl));
            false
        }
        Err(node) => {
            let (reason, span) = match node {
                Some(node) => match &node.value {
                    crate::model::Value::Unknown(reason) => {
                        (format!("the SKU is unknown: {reason}"), node.span)
                    }
                    _ => (
                        format!(
                            "the SKU {} is not one of Basic, Standard, Premium",
                            node.display()
                        ),
                        node.span,
                    ),
                },
                None => ("the registry declares no SKU".to_string(), registry.decl),
            };
            out.unknown.push(undecided(reason, span));
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_slugs_are_unique_and_well_formed() {
        let mut seen = std::collections::HashSet::new();
        for rule in all() {
            let meta = rule.meta();
            assert!(seen.insert(meta.id), "duplicate id {}", meta.id);
            assert!(seen.insert(meta.slug), "duplicate slug {}", meta.slug);
            assert!(meta.id.len() == 6 && meta.id.starts_with("ACR"));
            assert!(
                meta.page
                    .starts_with(&format!("# {}: {}", meta.id, meta.slug)),
                "page of {}",
                meta.id
            );
            let severity: f32 = meta.security_severity.parse().unwrap();
            assert!((0.0..=10.0).contains(&severity));
        }
    }

    #[test]
    fn find_accepts_ids_and_slugs_in_any_case() {
        assert_eq!(find("acr001").map(|r| r.meta().id), Some("ACR001"));
        assert_eq!(
            find("Admin-User-Enabled").map(|r| r.meta().id),
            Some("ACR001")
        );
        assert!(find("ACR999").is_none());
    }
}
