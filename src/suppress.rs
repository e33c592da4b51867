//! Suppressions: inline directives in Terraform comments and ARM `metadata`, and entries of
//! the configuration file. Each needs a rule and a reason and may expire.

use hcl_edit::Span as _;
use hcl_edit::structure::{Body, Structure};

pub use crate::model::suppression::{Covers, Date, DirectiveError, Suppression};

use crate::model::{Node, Unit, Value};
use crate::rules::{self, Finding, Label};
use crate::source::{FileId, SourceMap, Span};

/// The rules, reason and expiry of a directive: `ACR001[,ACR101] reason="…" [until=YYYY-MM-DD]`.
#[derive(Debug)]
struct Directive {
    rules: Vec<&'static str>,
    reason: String,
    until: Option<Date>,
}

const MARKER: &str = "acr-lint:ignore";

fn parse_directive(text: &str) -> Result<Directive, (String, bool)> {
    let rest = text.trim_start();
    let (ids, mut rest) = rest.split_at(rest.find(char::is_whitespace).unwrap_or(rest.len()));
    if ids.is_empty() {
        return Err((
            "a suppression needs a rule id, e.g. `acr-lint:ignore ACR001 reason=\"…\"`".into(),
            false,
        ));
    }
    let rules = resolve_rules(ids.split(',').map(str::trim).filter(|s| !s.is_empty()))?;
    let mut reason = None;
    let mut until = None;
    loop {
        rest = rest.trim_start();
        if rest.is_empty() {
            break;
        }
        if let Some(after) = rest.strip_prefix("reason=") {
            let (value, remaining) =
                quoted(after).ok_or(("`reason` needs a double-quoted text".to_string(), false))?;
            reason = Some(value);
            rest = remaining;
        } else if let Some(after) = rest.strip_prefix("until=") {
            let end = after.find(char::is_whitespace).unwrap_or(after.len());
            let (value, remaining) = after.split_at(end);
            let date = Date::parse(value.trim_matches('"'))
                .ok_or((format!("`until={value}` is not a date (YYYY-MM-DD)"), false))?;
            until = Some(date);
            rest = remaining;
        } else {
            let word = rest.split_whitespace().next().unwrap_or(rest);
            return Err((
                format!(
                    "unexpected `{word}` in suppression; expected `reason=\"…\"` or `until=YYYY-MM-DD`"
                ),
                false,
            ));
        }
    }
    let reason = reason.filter(|r| !r.trim().is_empty()).ok_or((
        "a suppression needs a reason: `reason=\"…\"`".to_string(),
        false,
    ))?;
    Ok(Directive {
        rules,
        reason,
        until,
    })
}

/// Rule ids or slugs to ids; an unknown one is an error.
pub fn resolve_rules<'a>(
    keys: impl Iterator<Item = &'a str>,
) -> Result<Vec<&'static str>, (String, bool)> {
    let mut ids = Vec::new();
    for key in keys {
        let meta = rules::find(key)
            .map(|r| r.meta())
            .or_else(|| rules::removed::find(key).map(|r| &r.meta))
            .ok_or((format!("unknown rule `{key}` in suppression"), true))?;
        ids.push(meta.id);
    }
    if ids.is_empty() {
        return Err(("a suppression needs a rule id".into(), false));
    }
    Ok(ids)
}

/// A double-quoted string with `\"` escapes, and the text after it.
fn quoted(text: &str) -> Option<(String, &str)> {
    let body = text.strip_prefix('"')?;
    let mut value = String::new();
    let mut chars = body.char_indices();
    while let Some((index, c)) = chars.next() {
        match c {
            '\\' => value.push(chars.next()?.1),
            '"' => return Some((value, body.get(index + 1..)?)),
            other => value.push(other),
        }
    }
    None
}

/// The suppression comments of a Terraform file. Each covers the resource, block or attribute
/// that starts on the first line below it that is not a comment.
pub fn from_hcl(
    body: &Body,
    text: &str,
    file: FileId,
    unit: &str,
) -> (Vec<Suppression>, Vec<DirectiveError>) {
    from_comment_lines(text, file, &|offset| {
        covered_structure(body, offset, file, unit)
    })
}

/// The suppression comments of a Bicep file (`//` or `/* */` on a line of their own). Each
/// covers the structure of `structures` (a resource, module, declaration or property, by span,
/// with what a suppression above it covers) that starts on the first line below it that is not
/// a comment.
pub fn from_bicep(
    text: &str,
    file: FileId,
    structures: &[(Span, Covers)],
) -> (Vec<Suppression>, Vec<DirectiveError>) {
    from_comment_lines(text, file, &|offset| {
        structures
            .iter()
            .find(|(span, _)| span.start == offset)
            .map(|(_, covers)| covers.clone())
    })
}

/// Reads the `acr-lint:ignore` comment lines of a file; `target` gives what a suppression
/// above the structure starting at a byte offset covers.
fn from_comment_lines(
    text: &str,
    file: FileId,
    target: &dyn Fn(usize) -> Option<Covers>,
) -> (Vec<Suppression>, Vec<DirectiveError>) {
    let mut found = Vec::new();
    let mut problems = Vec::new();
    let lines: Vec<(usize, &str)> = line_offsets(text);
    for (index, &(start, line)) in lines.iter().enumerate() {
        let trimmed = line.trim_start();
        let Some(comment) = comment_text(trimmed) else {
            continue;
        };
        let Some(at) = comment.find(MARKER) else {
            continue;
        };
        let directive_span = Span::new(
            file,
            start + (line.len() - trimmed.len()),
            start + line.trim_end().len(),
        );
        let parsed = parse_directive(comment.get(at + MARKER.len()..).unwrap_or(""));
        let target = lines
            .iter()
            .skip(index + 1)
            .find(|(_, l)| {
                let t = l.trim();
                !t.is_empty() && comment_text(t).is_none()
            })
            .and_then(|&(offset, l)| target(offset + (l.len() - l.trim_start().len())));
        match (parsed, target) {
            (Ok(directive), Some(covers)) => found.push(Suppression {
                rules: directive.rules,
                reason: directive.reason,
                until: directive.until,
                directive: directive_span,
                covers,
                origin: "inline",
            }),
            (Err((message, unknown_rule)), _) => problems.push(DirectiveError {
                span: directive_span,
                message,
                unknown_rule,
            }),
            (Ok(_), None) => problems.push(DirectiveError {
                span: directive_span,
                message: "a suppression must stand on the line above a resource, block, attribute or module call".into(),
                unknown_rule: false,
            }),
        }
    }
    (found, problems)
}

/// The text of a comment line (`#`, `//`, or a one-line `/* */`), without its delimiters.
fn comment_text(trimmed: &str) -> Option<&str> {
    trimmed
        .strip_prefix('#')
        .or_else(|| trimmed.strip_prefix("//"))
        .or_else(|| {
            let inner = trimmed.strip_prefix("/*")?;
            Some(inner.trim_end().strip_suffix("*/").unwrap_or(inner))
        })
}

fn line_offsets(text: &str) -> Vec<(usize, &str)> {
    let mut offset = 0;
    text.split_inclusive('\n')
        .map(|line| {
            let start = offset;
            offset += line.len();
            (start, line.trim_end_matches(['\n', '\r']))
        })
        .collect()
}

/// What a suppression above the structure starting at `offset` covers.
fn covered_structure(body: &Body, offset: usize, file: FileId, unit: &str) -> Option<Covers> {
    for structure in body.iter() {
        let range = structure.span()?;
        if !range.contains(&offset) && range.start != offset {
            continue;
        }
        if range.start == offset {
            return Some(covers_of(structure, range, file, unit));
        }
        if let Structure::Block(block) = structure {
            return covered_structure(&block.body, offset, file, unit);
        }
    }
    None
}

fn covers_of(
    structure: &Structure,
    range: std::ops::Range<usize>,
    file: FileId,
    unit: &str,
) -> Covers {
    let span = Span::new(file, range.start, range.end);
    match structure {
        Structure::Block(block)
            if matches!(block.ident.as_str(), "resource" | "data" | "module") =>
        {
            let labels: Vec<&str> = block.labels.iter().map(|l| l.as_str()).collect();
            let address = match (block.ident.as_str(), labels.as_slice()) {
                ("resource", [kind, name]) => format!("{kind}.{name}"),
                ("data", [kind, name]) => format!("data.{kind}.{name}"),
                ("module", [name]) => format!("module.{name}"),
                _ => return Covers::Span(span),
            };
            Covers::Resource {
                unit: unit.to_string(),
                address,
                span,
            }
        }
        _ => Covers::Span(span),
    }
}

/// The `metadata.acr-lint.ignore` entries of an ARM resource or template.
pub fn from_arm_metadata(
    metadata: Option<&Node>,
    covers: &Covers,
) -> (Vec<Suppression>, Vec<DirectiveError>) {
    let mut found = Vec::new();
    let mut problems = Vec::new();
    let Some(section) = metadata.and_then(|m| m.get("acr-lint")) else {
        return (found, problems);
    };
    let entries = match section.get("ignore").map(|i| &i.value) {
        Some(Value::Array(entries)) => entries.as_slice(),
        _ => {
            problems.push(DirectiveError {
                span: section.span,
                message: "`acr-lint` metadata needs an `ignore` array of `{\"id\", \"reason\", \"until\"}` entries".into(),
                unknown_rule: false,
            });
            return (found, problems);
        }
    };
    for entry in entries {
        match arm_entry(entry) {
            Ok(directive) => found.push(Suppression {
                rules: directive.rules,
                reason: directive.reason,
                until: directive.until,
                directive: entry.span,
                covers: covers.clone(),
                origin: "inline",
            }),
            Err((message, unknown_rule)) => problems.push(DirectiveError {
                span: entry.span,
                message,
                unknown_rule,
            }),
        }
    }
    (found, problems)
}

fn arm_entry(entry: &Node) -> Result<Directive, (String, bool)> {
    let ids: Vec<&str> = match entry.get("id").map(|i| &i.value) {
        Some(Value::String(id)) => id.split(',').map(str::trim).collect(),
        Some(Value::Array(ids)) => ids.iter().filter_map(Node::as_str).collect(),
        _ => {
            return Err((
                "a suppression entry needs an `id` (e.g. \"ACR001\")".into(),
                false,
            ));
        }
    };
    let rules = resolve_rules(ids.into_iter())?;
    let reason = entry
        .get("reason")
        .and_then(Node::as_str)
        .filter(|r| !r.trim().is_empty())
        .ok_or(("a suppression entry needs a `reason`".to_string(), false))?
        .to_string();
    let until = match entry.get("until") {
        Some(node) => {
            let text = node.as_str().unwrap_or("");
            Some(Date::parse(text).ok_or((
                format!("`until` \"{text}\" is not a date (YYYY-MM-DD)"),
                false,
            ))?)
        }
        None => None,
    };
    Ok(Directive {
        rules,
        reason,
        until,
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
pub fn apply(
    findings: Vec<Finding>,
    suppressions: &[Suppression],
    problems: &[DirectiveError],
    today: Date,
    file_name: &dyn Fn(FileId) -> String,
) -> (Vec<Finding>, Vec<Suppressed>) {
    let mut used = vec![false; suppressions.len()];
    let mut kept = Vec::new();
    let mut suppressed = Vec::new();
    for finding in findings {
        let name = file_name(finding.primary.span.file);
        let matching = suppressions
            .iter()
            .enumerate()
            .filter(|(_, s)| covers(s, &finding, &name));
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
    let inline = units.iter().filter(|_| options.inline);
    let mut seen = std::collections::HashSet::new();
    let mut suppressions: Vec<Suppression> = inline
        .clone()
        .flat_map(|u| u.suppressions.iter())
        .filter(|s| seen.insert((s.directive, s.rules.clone())))
        .cloned()
        .collect();
    suppressions.extend(config_suppressions);
    let mut seen = std::collections::HashSet::new();
    let problems: Vec<DirectiveError> = inline
        .flat_map(|u| u.suppression_problems.iter())
        .filter(|p| seen.insert(p.span))
        .cloned()
        .collect();
    let name = |id: FileId| sources.name(id).to_string();
    let (kept, suppressed) = apply(findings, &suppressions, &problems, Date::today(), &name);
    let kept = kept
        .into_iter()
        .filter(|f| !options.ignored_diagnostics.contains(&f.rule.id))
        .collect();
    (kept, suppressed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directives() {
        let d = parse_directive(
            " ACR001,no-managed-identity reason=\"shared \\\"legacy\\\" box\" until=2030-01-31",
        )
        .unwrap();
        assert_eq!(d.rules, vec!["ACR001", "ACR003"]);
        assert_eq!(d.reason, "shared \"legacy\" box");
        assert_eq!(d.until, Date::parse("2030-01-31"));
        assert!(parse_directive(" ACR001").is_err());
        assert!(parse_directive(" ACR999 reason=\"x\"").unwrap_err().1);
        assert!(parse_directive(" ACR001 reason=\"x\" until=tomorrow").is_err());
        assert!(parse_directive(" ACR001 because").is_err());
    }

    #[test]
    fn a_suppression_of_a_removed_rule_is_accepted_with_a_warning_that_says_why() {
        let directive = parse_directive(" zone-redundancy-disabled reason=\"zones\"").unwrap();
        let suppression = Suppression {
            rules: directive.rules,
            reason: directive.reason,
            until: None,
            directive: Span::new(0, 0, 0),
            covers: Covers::Unit("main".into()),
            origin: "inline",
        };
        let (kept, _) = apply(Vec::new(), &[suppression], &[], Date::today(), &|_| {
            String::new()
        });
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
