//! Suppressions: the inline directives the front ends read (their rules looked up here in the
//! catalogue), and entries of the configuration file. Each needs a rule and a reason and may
//! expire.

use std::collections::HashSet;

pub use crate::model::suppression::{Covers, Date, DirectiveError, Suppression};

use crate::model::Unit;
use crate::model::directives::{Directive, NO_RULE};
use crate::rules::{self, Finding, Findings, Label};
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
        let holds =
            |at: Span| at.file == span.file && span.start <= at.start && at.start <= span.end;
        holds(finding.primary.span) || finding.used_at.is_some_and(holds)
    };
    match &suppression.covers {
        Covers::Span(span) => inside(span),
        Covers::Resource {
            unit,
            address,
            span,
        } => {
            inside(span)
                || (same_unit(&finding.unit, unit) && same_resource(finding, address))
                || created_by_module_call(&finding.unit, unit, address)
        }
        Covers::Unit(unit) => same_unit(&finding.unit, unit),
        Covers::Path { glob, resource } => {
            crate::source::glob_matches(glob, file_name)
                && resource.as_ref().is_none_or(|r| same_resource(finding, r))
        }
    }
}

/// The finding is on `address`, on an instance of it (`acr[0]` for `acr`), or on what the Bicep
/// module call `address` deploys (`reg/acr` for `reg`).
fn same_resource(finding: &Finding, address: &str) -> bool {
    let resource = &*finding.resource;
    resource == address
        || crate::arm::copy_stem(resource) == address
        || crate::model::graph::split_instance_key(resource)
            .is_some_and(|(base, _)| base == address)
        || module_calls(resource).any(|call| call == address)
}

/// The finding is on what the Terraform module call `address` of `unit` creates, at any depth:
/// the finding's unit is the call's (`unit/module.acr`, `unit/module.acr[0]`) or below it.
fn created_by_module_call(finding_unit: &str, unit: &str, address: &str) -> bool {
    calling_units(finding_unit).any(|(caller, call)| caller == unit && call == address)
}

/// The module call a called module's unit id begins with, without its instance key and the
/// calls around it: `module.b` for `module.a.module.b["x"]/module.c`.
fn module_call_of(unit_rest: &str) -> Option<&str> {
    let child = unit_rest.split('/').next().unwrap_or(unit_rest);
    let call = child.split_once('[').map_or(child, |(call, _)| call);
    let start = call.rfind("module.")?;
    call.get(start..)
}

/// The Terraform module calls above a called module's unit, as `(caller's unit, call)`:
/// `("u", "module.a")` and `("u/module.a", "module.b")` for `u/module.a/module.b`.
fn calling_units(unit: &str) -> impl Iterator<Item = (&str, &str)> {
    crate::source::positions_of(unit, "/").filter_map(|slash| {
        let caller = unit.get(..slash)?;
        let call = module_call_of(unit.get(slash + 1..)?)?;
        Some((caller, call))
    })
}

/// The Bicep module calls a resource address goes through: `a` and `a/b` for `a/b/acr`.
fn module_calls(resource: &str) -> impl Iterator<Item = &str> {
    crate::source::positions_of(resource, "/").filter_map(|end| resource.get(..end))
}

/// A template evaluated with a parameters file is the unit `x.json with y.json`.
fn same_unit(finding_unit: &str, unit: &str) -> bool {
    finding_unit == unit
        || finding_unit
            .strip_prefix(unit)
            .is_some_and(|rest| rest.starts_with(" with "))
}

/// The suppressions that may cover a finding, found by where it points and by the resource and
/// unit it is on, so that each finding is checked against those alone: a repository with a
/// suppression on every registry would otherwise check every finding against all of them.
struct Candidates<'s> {
    /// Suppressions that cover a span (their own, or their resource's), by file.
    by_place: foldhash::HashMap<FileId, Places>,
    /// Suppressions of one resource, by its unit and address.
    by_resource: foldhash::HashMap<(&'s str, &'s str), Vec<usize>>,
    /// Suppressions of a whole unit.
    by_unit: foldhash::HashMap<&'s str, Vec<usize>>,
    /// Suppressions by path glob (configuration entries), which any finding may match.
    everywhere: Vec<usize>,
}

/// The spans of one file's suppressions, sorted by where they start, with the furthest end of
/// any span so far: the spans holding an offset are found without a pass over all of them.
#[derive(Default)]
struct Places {
    spans: Vec<(Span, usize)>,
    furthest_end: Vec<usize>,
}

impl Places {
    fn add(&mut self, span: Span, index: usize) {
        self.spans.push((span, index));
    }

    fn sort(&mut self) {
        self.spans.sort_by_key(|(span, index)| (span.start, *index));
        let mut furthest = 0;
        self.furthest_end = self
            .spans
            .iter()
            .map(|(span, _)| {
                furthest = furthest.max(span.end);
                furthest
            })
            .collect();
    }

    /// The suppressions whose span holds `offset` (both ends included).
    fn holding(&self, offset: usize, into: &mut Vec<usize>) {
        let starts_before = self.spans.partition_point(|(span, _)| span.start <= offset);
        for position in (0..starts_before).rev() {
            if self
                .furthest_end
                .get(position)
                .is_none_or(|&end| end < offset)
            {
                break;
            }
            if let Some((span, index)) = self.spans.get(position)
                && span.end >= offset
            {
                into.push(*index);
            }
        }
    }
}

impl<'s> Candidates<'s> {
    fn of(suppressions: &'s [Suppression]) -> Self {
        let mut index = Candidates {
            by_place: Default::default(),
            by_resource: Default::default(),
            by_unit: Default::default(),
            everywhere: Vec::new(),
        };
        for (position, suppression) in suppressions.iter().enumerate() {
            match &suppression.covers {
                Covers::Span(span) => index.place(*span, position),
                Covers::Resource {
                    unit,
                    address,
                    span,
                } => {
                    index.place(*span, position);
                    let key = (unit.as_str(), address.as_str());
                    index.by_resource.entry(key).or_default().push(position);
                }
                Covers::Unit(unit) => index.by_unit.entry(unit).or_default().push(position),
                Covers::Path { .. } => index.everywhere.push(position),
            }
        }
        index.by_place.values_mut().for_each(Places::sort);
        index
    }

    fn place(&mut self, span: Span, position: usize) {
        self.by_place
            .entry(span.file)
            .or_default()
            .add(span, position);
    }

    /// The positions, in order, of the suppressions that may cover `finding` (see [`covers`]).
    fn for_finding(&self, finding: &Finding, into: &mut Vec<usize>) {
        into.clear();
        into.extend(&self.everywhere);
        for at in std::iter::once(finding.primary.span).chain(finding.used_at) {
            if let Some(places) = self.by_place.get(&at.file) {
                places.holding(at.start, into);
            }
        }
        let unit = &*finding.unit;
        let units = crate::model::unit_names(unit);
        let resource = &*finding.resource;
        let stem = crate::arm::copy_stem(resource);
        let base = crate::model::graph::split_instance_key(resource).map(|(base, _)| base);
        let addresses = [Some(resource), Some(stem.as_str()), base];
        let calls: Vec<&str> = module_calls(resource).collect();
        for unit in units {
            into.extend(self.by_unit.get(unit).into_iter().flatten());
            for address in addresses.iter().flatten().chain(&calls) {
                into.extend(
                    self.by_resource
                        .get(&(unit, *address))
                        .into_iter()
                        .flatten(),
                );
            }
        }
        if unit.contains("module.") {
            for key in calling_units(unit) {
                into.extend(self.by_resource.get(&key).into_iter().flatten());
            }
        }
        into.sort_unstable();
        into.dedup();
    }
}

/// A finding kept out of the report, and why.
#[derive(Debug, Clone)]
pub struct Suppressed {
    pub finding: Box<Finding>,
    pub reason: String,
    /// The suppression's expiry, if it has one.
    pub until: Option<Date>,
    /// Where the suppression is written (none for the baseline).
    pub directive: Option<Span>,
    /// `inline`, the configuration file or the baseline.
    pub origin: String,
}

/// What a scan can tell of the suppressions themselves.
pub struct Judgement<'a> {
    pub today: Date,
    /// Whether the scan ran a rule: an unused suppression of one it did not run says so.
    pub enabled: &'a dyn Fn(&str) -> bool,
    /// Where the configuration entries stand whose `path` names none of the files read: whether
    /// they suppress anything elsewhere is not known, so nothing is said of them.
    pub unjudged: &'a HashSet<Span>,
}

/// Applies suppressions: returns the findings still reported (with diagnostics about the
/// suppressions themselves added) and the suppressed ones.
pub fn apply<'n>(
    findings: Findings,
    suppressions: &[Suppression],
    problems: &[DirectiveError],
    judgement: &Judgement<'_>,
    file_name: &dyn Fn(FileId) -> &'n str,
) -> (Findings, Vec<Suppressed>) {
    let today = judgement.today;
    if suppressions.is_empty() && problems.is_empty() {
        return (findings, Vec::new());
    }
    let mut used = vec![false; suppressions.len()];
    let mut kept = Vec::with_capacity(findings.len());
    let mut suppressed = Vec::new();
    let index = Candidates::of(suppressions);
    let mut candidates = Vec::new();
    for finding in findings {
        let name = file_name(finding.primary.span.file);
        index.for_finding(&finding, &mut candidates);
        let matching = candidates
            .iter()
            .filter_map(|&index| Some((index, suppressions.get(index)?)))
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
        if !*used && judgement.unjudged.contains(&suppression.directive) {
            continue;
        }
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
                "suppression of {} suppresses nothing{}",
                suppression.rules.join(", "),
                why_unused(&suppression.rules, judgement.enabled)
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

/// Why a suppression may have suppressed nothing, when the scan did not run all of its rules:
/// `: ACR001 is not enabled` (removed rules have a warning of their own).
fn why_unused(ids: &[&str], enabled: &dyn Fn(&str) -> bool) -> String {
    let not_run: Vec<&str> = ids
        .iter()
        .copied()
        .filter(|id| !enabled(id) && rules::removed::find(id).is_none())
        .collect();
    match not_run.as_slice() {
        [] => String::new(),
        [one] => format!(": {one} is not enabled"),
        several => format!(": {} are not enabled", several.join(", ")),
    }
}

fn tool_finding(meta: &'static rules::RuleMeta, span: Span, message: String) -> Box<Finding> {
    Box::new(Finding {
        rule: meta,
        level: meta.level,
        message,
        primary: Label {
            span,
            message: "suppression".into(),
        },
        used_at: None,
        secondary: Vec::new(),
        notes: Vec::new(),
        help: meta.fix_terraform,
        resource: "".into(),
        property: "".into(),
        variants: Vec::new(),
        unit: "".into(),
        resource_decl: None,
        secret: false,
    })
}

/// How suppressions apply in a scan.
pub struct Options<'a> {
    /// Whether the suppressions written in the scanned files count.
    pub inline: bool,
    /// Whether the scan read the whole directory of the configuration file (a path given is
    /// that directory or one above it), so that an entry for files it did not read is unused.
    pub configuration_directory_scanned: bool,
    /// The paths given to the scan, named from the configuration file's directory.
    pub paths_scanned: &'a [String],
    /// Tool diagnostics (ACR9xx) switched off.
    pub ignored_diagnostics: &'a [&'static str],
    /// The rules the scan ran.
    pub rules_run: &'a [&'static str],
}

/// Applies the inline suppressions of every unit (unless switched off) and the configuration's.
pub fn apply_to_scan(
    findings: Findings,
    units: &[Unit],
    options: &Options<'_>,
    (sources, glob_base): (&SourceMap, &crate::source::GlobBase),
    config_suppressions: Vec<Suppression>,
) -> (Findings, Vec<Suppressed>) {
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
    // A configuration entry's `path` is matched against names relative to the configuration.
    let by_path = |s: &Suppression| matches!(s.covers, Covers::Path { .. });
    let named_elsewhere = !glob_base.is_working_directory();
    let glob_names: Vec<String> = match named_elsewhere && config_suppressions.iter().any(by_path) {
        true => sources
            .iter()
            .map(|file| glob_base.name(&file.path).unwrap_or_default())
            .collect(),
        false => Vec::new(),
    };
    let name = |id: FileId| match named_elsewhere {
        true => glob_names.get(id).map_or("", String::as_str),
        false => sources.name(id),
    };
    let judged_by_what_was_read =
        !options.configuration_directory_scanned && config_suppressions.iter().any(by_path);
    let unjudged: HashSet<Span> = match judged_by_what_was_read {
        true => {
            let names_read: Vec<&str> = (0..sources.len()).map(name).collect();
            entries_for_files_not_read(&config_suppressions, &names_read, options.paths_scanned)
                .collect()
        }
        false => HashSet::new(),
    };
    suppressions.extend(config_suppressions);
    let enabled = |id: &str| {
        options.rules_run.contains(&id) || rules::tool::ALL.iter().any(|tool| tool.id == id)
    };
    let judgement = Judgement {
        today: Date::today(),
        enabled: &enabled,
        unjudged: &unjudged,
    };
    let (mut kept, suppressed) = apply(findings, &suppressions, &problems, &judgement, &name);
    kept.retain(|f| !options.ignored_diagnostics.contains(&f.rule.id));
    (kept, suppressed)
}

/// Where the configuration entries are written that may cover files the scan did not read: those
/// whose `path` glob matches none of the files read (`path: "infra/*.tf"` when only `legacy` is
/// scanned), and those whose glob reaches beyond the paths scanned (`path: "**/*.tf"`, or a
/// `resource` with no `path`, when only `legacy` is): they may well suppress something there.
fn entries_for_files_not_read<'e>(
    entries: &'e [Suppression],
    names_read: &'e [&str],
    paths_scanned: &'e [String],
) -> impl Iterator<Item = Span> + 'e {
    entries.iter().filter_map(move |entry| {
        let Covers::Path { glob, .. } = &entry.covers else {
            return None;
        };
        let within = crate::source::glob_literal_prefix(glob);
        let inside_the_scan = paths_scanned.iter().any(|path| lies_within(within, path));
        let matcher = crate::source::Glob::new(glob);
        let matches_one = names_read.iter().any(|name| matcher.matches(name));
        (!(inside_the_scan && matches_one)).then_some(entry.directive)
    })
}

/// Whether the path `name` is `directory` or lies below it (both named from one directory).
fn lies_within(name: &str, directory: &str) -> bool {
    let directory = directory.strip_prefix("./").unwrap_or(directory);
    let directory = directory.trim_end_matches('/');
    if directory.is_empty() || directory == "." {
        return true;
    }
    match name.strip_prefix(directory) {
        Some(rest) => rest.is_empty() || rest.starts_with('/'),
        None => false,
    }
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
    fn a_called_module_s_unit_names_the_calls_above_it() {
        assert_eq!(
            calling_units("infra/app/module.a[\"x/y\"]/module.a.module.b").collect::<Vec<_>>(),
            [
                ("infra/app", "module.a"),
                ("infra/app/module.a[\"x/y\"]", "module.b"),
            ]
        );
        assert!(created_by_module_call("u/module.acr[0]", "u", "module.acr"));
        assert!(created_by_module_call(
            "u/module.a/module.a.module.b",
            "u/module.a",
            "module.b"
        ));
        assert!(!created_by_module_call("u/module.acr2", "u", "module.acr"));
        assert!(!created_by_module_call(
            "u/module.acr",
            "u",
            "azurerm_container_registry.acr"
        ));
        assert!(!created_by_module_call("v/module.acr", "u", "module.acr"));
    }

    #[test]
    fn the_candidates_of_a_finding_hold_every_suppression_that_covers_it() {
        let span = |file, start, end| Span::new(file, start, end);
        let resource = |unit: &str, address: &str, at: Span| Covers::Resource {
            unit: unit.into(),
            address: address.into(),
            span: at,
        };
        let covers = [
            Covers::Span(span(0, 10, 20)),
            Covers::Span(span(0, 12, 14)),
            Covers::Span(span(0, 0, 100)),
            Covers::Span(span(0, 20, 20)),
            Covers::Span(span(1, 10, 20)),
            resource("main", "acr", span(0, 30, 40)),
            resource("main", "acr", span(0, 35, 60)),
            resource("t.json", "acr", span(2, 0, 5)),
            resource("t.json with a.json", "acr", span(2, 0, 5)),
            resource("mod", "module.m", span(3, 0, 9)),
            Covers::Unit("main".into()),
            Covers::Unit("t.json".into()),
            Covers::Unit("".into()),
            Covers::Path {
                glob: "**/*.tf".into(),
                resource: None,
            },
        ];
        let suppressions: Vec<Suppression> = covers
            .into_iter()
            .map(|covers| Suppression {
                rules: vec!["ACR001"],
                reason: "r".into(),
                until: None,
                directive: span(9, 0, 1),
                covers,
                origin: "inline",
            })
            .collect();
        let index = Candidates::of(&suppressions);
        let units = [
            "main",
            "t.json",
            "t.json with a.json",
            "t.json with b.json",
            "",
            " with x",
        ];
        let addresses = [
            "acr",
            "acr[0]",
            "acr[\"k\"]",
            "acr[0]/x",
            "other",
            "module.m",
        ];
        let mut candidates = Vec::new();
        let mut checked = 0;
        for file in 0..4 {
            for start in [
                0, 5, 9, 10, 12, 14, 15, 20, 21, 30, 35, 40, 41, 60, 61, 100, 101,
            ] {
                for unit in units {
                    for address in addresses {
                        let mut finding = tool_finding(
                            rules::find("ACR001").unwrap().meta(),
                            span(file, start, start + 1),
                            String::new(),
                        );
                        finding.unit = unit.into();
                        finding.resource = address.into();
                        index.for_finding(&finding, &mut candidates);
                        let covering: Vec<usize> = (0..suppressions.len())
                            .filter(|&i| super::covers(&suppressions[i], &finding, "m/main.tf"))
                            .collect();
                        let kept: Vec<usize> = candidates
                            .iter()
                            .copied()
                            .filter(|&i| super::covers(&suppressions[i], &finding, "m/main.tf"))
                            .collect();
                        assert_eq!(kept, covering, "{file} {start} {unit:?} {address:?}");
                        checked += usize::from(!covering.is_empty());
                    }
                }
            }
        }
        assert!(checked > 100, "{checked}");
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
        let judgement = Judgement {
            today: Date::today(),
            enabled: &|_| true,
            unjudged: &HashSet::new(),
        };
        let (kept, _) = apply(Vec::new(), &[suppression], &[], &judgement, &|_| "");
        let messages: Vec<&str> = kept.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(messages.len(), 1, "{messages:?}");
        assert!(messages[0].starts_with("ACR303 (zone-redundancy-disabled) was removed: Azure"));
    }
}
