//! Suppressions: the inline directives the front ends read (their rules looked up here in the
//! catalogue), and entries of the configuration file. Each needs a rule and a reason and may
//! expire.

use std::collections::HashSet;

pub use crate::model::suppression::{Covers, Date, DirectiveError, Suppression};

use crate::model::Unit;
use crate::model::directives::{Directive, NO_RULE};
use crate::rules::{self, Finding, Label};
use crate::source::{FileId, SourceMap, Span};

/// The id of a rule named by its id or slug, current or removed.
fn rule_id(key: &str) -> Option<&'static str> {
    rules::find(key)
        .map(|r| r.meta().id)
        .or_else(|| rules::removed::find(key).map(|r| r.meta.id))
}

fn unknown_rule(key: &str) -> String {
    format!("unknown rule `{key}` in suppression")
}

/// Rule ids or slugs to ids; an unknown one is an error.
pub fn resolve_rules<'a>(keys: impl Iterator<Item = &'a str>) -> Result<Vec<&'static str>, String> {
    let ids = keys
        .map(|key| rule_id(key).ok_or_else(|| unknown_rule(key)))
        .collect::<Result<Vec<_>, _>>()?;
    if ids.is_empty() {
        return Err(NO_RULE.into());
    }
    Ok(ids)
}

/// An inline directive as a suppression, its rules looked up in the catalogue. A rule it names
/// that does not exist is the error reported, before anything wrong after it.
pub fn resolve(directive: &Directive) -> Result<Suppression, DirectiveError> {
    let error = |message, unknown_rule| DirectiveError {
        span: directive.span,
        message,
        unknown_rule,
    };
    let rules = directive
        .rules
        .iter()
        .map(|key| rule_id(key).ok_or_else(|| error(unknown_rule(key), true)))
        .collect::<Result<Vec<_>, _>>()?;
    let terms = directive
        .terms
        .as_ref()
        .map_err(|message| error(message.clone(), false))?;
    Ok(Suppression {
        rules,
        reason: terms.reason.clone(),
        until: terms.until,
        directive: directive.span,
        covers: terms.covers.clone(),
        origin: "inline",
    })
}

/// Whether a suppression covers a finding.
fn covers(suppression: &Suppression, finding: &Finding, file_name: &str) -> bool {
    if !suppression.rules.contains(&finding.rule.id) {
        return false;
    }
    let inside = |span: &Span| {
        let at = finding.primary.span;
        at.file == span.file && span.start <= at.start && at.start <= span.end
    };
    match &suppression.covers {
        Covers::Span(span) => inside(span),
        Covers::Resource {
            unit,
            address,
            span,
        } => inside(span) || (same_unit(&finding.unit, unit) && same_resource(finding, address)),
        Covers::Unit(unit) => same_unit(&finding.unit, unit),
        Covers::Path { glob, resource } => {
            glob_matches(glob, file_name)
                && resource.as_ref().is_none_or(|r| same_resource(finding, r))
        }
    }
}

/// The finding is on `address`, or on an instance of it (`acr[0]` for `acr`).
fn same_resource(finding: &Finding, address: &str) -> bool {
    let resource = finding.resource.as_str();
    resource == address
        || crate::arm::copy_stem(resource) == address
        || crate::model::graph::split_instance_key(resource)
            .is_some_and(|(base, _)| base == address)
}

/// A template evaluated with a parameters file is the unit `x.json with y.json`.
fn same_unit(finding_unit: &str, unit: &str) -> bool {
    finding_unit == unit
        || finding_unit
            .strip_prefix(unit)
            .is_some_and(|rest| rest.starts_with(" with "))
}

/// `*` matches within a path segment, `**` across segments, `?` one character.
pub fn glob_matches(glob: &str, path: &str) -> bool {
    let glob = glob.strip_prefix("./").unwrap_or(glob);
    let path = path.strip_prefix("./").unwrap_or(path);
    matches_from(glob.as_bytes(), path.as_bytes())
}

fn matches_from(glob: &[u8], path: &[u8]) -> bool {
    match glob.split_first() {
        None => path.is_empty(),
        Some((b'*', rest)) if rest.first() == Some(&b'*') => {
            let rest = rest.get(1..).unwrap_or_default();
            let rest = rest.strip_prefix(b"/").unwrap_or(rest);
            (0..=path.len()).any(|i| path.get(i..).is_some_and(|tail| matches_from(rest, tail)))
        }
        Some((b'*', rest)) => (0..=path.len())
            .take_while(|&i| i == 0 || path.get(i - 1) != Some(&b'/'))
            .any(|i| path.get(i..).is_some_and(|tail| matches_from(rest, tail))),
        Some((b'?', rest)) => path
            .split_first()
            .is_some_and(|(c, tail)| *c != b'/' && matches_from(rest, tail)),
        Some((c, rest)) => path
            .split_first()
            .is_some_and(|(p, tail)| p == c && matches_from(rest, tail)),
    }
}

/// A finding kept out of the report, and why.
#[derive(Debug, Clone)]
pub struct Suppressed {
    pub finding: Finding,
    pub reason: String,
    /// The suppression's expiry, if it has one.
    pub until: Option<Date>,
    /// Where the suppression is written (none for the baseline).
    pub directive: Option<Span>,
    /// `inline`, the configuration file or the baseline.
    pub origin: String,
}

/// Applies suppressions: returns the findings still reported (with diagnostics about the
/// suppressions themselves added) and the suppressed ones.
pub fn apply<'n>(
    findings: Vec<Finding>,
    suppressions: &[Suppression],
    problems: &[DirectiveError],
    today: Date,
    file_name: &dyn Fn(FileId) -> &'n str,
) -> (Vec<Finding>, Vec<Suppressed>) {
    if suppressions.is_empty() && problems.is_empty() {
        return (findings, Vec::new());
    }
    let mut used = vec![false; suppressions.len()];
    let mut kept = Vec::with_capacity(findings.len());
    let mut suppressed = Vec::new();
    for finding in findings {
        let name = file_name(finding.primary.span.file);
        let matching = suppressions
            .iter()
            .enumerate()
            .filter(|(_, s)| covers(s, &finding, name));
        let mut active = None;
        for (index, suppression) in matching {
            if let Some(flag) = used.get_mut(index) {
                *flag = true;
            }
            if suppression.until.is_none_or(|until| until >= today) {
                active = Some(suppression);
            }
        }
        match active {
            Some(s) => suppressed.push(Suppressed {
                finding,
                reason: s.reason.clone(),
                until: s.until,
                directive: Some(s.directive),
                origin: s.origin.to_string(),
            }),
            None => kept.push(finding),
        }
    }
    for (suppression, used) in suppressions.iter().zip(&used) {
        let removed: Vec<_> = suppression
            .rules
            .iter()
            .filter_map(|id| rules::removed::find(id))
            .collect();
        for rule in &removed {
            let message = rules::removed::warning(rule, "suppressing");
            kept.push(tool_finding(
                &rules::tool::UNUSED,
                suppression.directive,
                message,
            ));
        }
        if removed.len() == suppression.rules.len() {
            continue;
        }
        match suppression.until {
            Some(until) if until < today && *used => {
                kept.push(tool_finding(&rules::tool::EXPIRED, suppression.directive, format!(
                    "suppression of {} expired on {until}: the findings it covered are reported again",
                    suppression.rules.join(", ")
                )))
            }
            _ if !*used => kept.push(tool_finding(&rules::tool::UNUSED, suppression.directive, format!(
                "suppression of {} suppresses nothing",
                suppression.rules.join(", ")
            ))),
            _ => {}
        }
    }
    for problem in problems {
        let meta = if problem.unknown_rule {
            &rules::tool::UNKNOWN_RULE
        } else {
            &rules::tool::MALFORMED
        };
        kept.push(tool_finding(meta, problem.span, problem.message.clone()));
    }
    (kept, suppressed)
}

fn tool_finding(meta: &'static rules::RuleMeta, span: Span, message: String) -> Finding {
    Finding {
        rule: meta,
        level: meta.level,
        message,
        primary: Label {
            span,
            message: "suppression".into(),
        },
        secondary: Vec::new(),
        notes: Vec::new(),
        help: meta.fix_terraform,
        resource: String::new(),
        property: String::new(),
        variants: Vec::new(),
        unit: String::new(),
        resource_decl: None,
        secret: false,
    }
}

/// How suppressions apply in a scan.
pub struct Options<'a> {
    /// Whether the suppressions written in the scanned files count.
    pub inline: bool,
    /// Tool diagnostics (ACR9xx) switched off.
    pub ignored_diagnostics: &'a [&'static str],
}

/// Applies the inline suppressions of every unit (unless switched off) and the configuration's.
pub fn apply_to_scan(
    findings: Vec<Finding>,
    units: &[Unit],
    options: &Options<'_>,
    sources: &SourceMap,
    config_suppressions: Vec<Suppression>,
) -> (Vec<Finding>, Vec<Suppressed>) {
    let directives = units
        .iter()
        .filter(|_| options.inline)
        .flat_map(|u| u.directives.iter());
    let mut suppressions = Vec::new();
    let mut problems = Vec::new();
    let mut seen_suppressions = HashSet::new();
    let mut seen_problems = HashSet::new();
    for resolved in directives.map(resolve) {
        match resolved {
            Ok(s) if seen_suppressions.insert((s.directive, s.rules.clone())) => {
                suppressions.push(s)
            }
            Err(p) if seen_problems.insert(p.span) => problems.push(p),
            _ => {}
        }
    }
    suppressions.extend(config_suppressions);
    let name = |id: FileId| sources.name(id);
    let (mut kept, suppressed) = apply(findings, &suppressions, &problems, Date::today(), &name);
    kept.retain(|f| !options.ignored_diagnostics.contains(&f.rule.id));
    (kept, suppressed)
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::model::directives::Terms;

    fn directive(rules: &[&str], terms: Result<Terms, String>) -> Directive {
        Directive {
            span: Span::new(0, 3, 9),
            rules: rules.iter().map(|r| r.to_string()).collect(),
            terms,
        }
    }

    fn terms(reason: &str) -> Result<Terms, String> {
        Ok(Terms {
            reason: reason.into(),
            until: Date::parse("2030-01-31"),
            covers: Covers::Unit("main".into()),
        })
    }

    #[test]
    fn rule_ids_and_slugs_become_ids() {
        let suppression =
            resolve(&directive(&["ACR001", "no-managed-identity"], terms("box"))).unwrap();
        assert_eq!(suppression.rules, ["ACR001", "ACR003"]);
        assert_eq!(suppression.reason, "box");
        assert_eq!(suppression.until, Date::parse("2030-01-31"));
        assert_eq!(suppression.directive, Span::new(0, 3, 9));
    }

    #[test]
    fn an_unknown_rule_is_the_error_even_when_what_follows_it_is_wrong_too() {
        let no_reason = Err("a suppression needs a reason".to_string());
        let error = resolve(&directive(&["ACR001", "ACR999"], no_reason.clone())).unwrap_err();
        assert!(error.unknown_rule);
        assert_eq!(error.message, "unknown rule `ACR999` in suppression");
        assert_eq!(error.span, Span::new(0, 3, 9));
        let error = resolve(&directive(&["ACR001"], no_reason)).unwrap_err();
        assert!(!error.unknown_rule);
        assert_eq!(error.message, "a suppression needs a reason");
    }

    #[test]
    fn a_suppression_of_a_removed_rule_is_accepted_with_a_warning_that_says_why() {
        let suppression =
            resolve(&directive(&["zone-redundancy-disabled"], terms("zones"))).unwrap();
        let (kept, _) = apply(Vec::new(), &[suppression], &[], Date::today(), &|_| "");
        let messages: Vec<&str> = kept.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(messages.len(), 1, "{messages:?}");
        assert!(messages[0].starts_with("ACR303 (zone-redundancy-disabled) was removed: Azure"));
    }

    #[test]
    fn globs() {
        assert!(glob_matches("infra/**/*.json", "infra/a/b/main.json"));
        assert!(glob_matches("infra/*.tf", "infra/main.tf"));
        assert!(!glob_matches("infra/*.tf", "infra/x/main.tf"));
        assert!(glob_matches("**", "anything/at/all"));
        assert!(glob_matches("main.?f", "main.tf"));
    }
}
