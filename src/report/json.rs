//! The versioned JSON report (`"version": 1`); its shape is documented in the README.

use std::io::{self, Write};

use serde_json::{Value, json};

use super::Counts;
use crate::findings::{Scan, Suppressed};
use crate::source::Span;

pub const JSON_VERSION: u32 = 1;

/// Writes the document member by member, streaming its lists, so a large scan never holds
/// the whole report in memory.
pub fn render(scan: &Scan, out: &mut dyn Write) -> io::Result<()> {
    let counts = Counts::of(scan);
    write!(out, "{{\"version\":{JSON_VERSION},\"tool\":")?;
    serde_json::to_writer(
        &mut *out,
        &json!({"name": "acr-lint", "version": crate::rules::VERSION}),
    )?;
    out.write_all(b",\"summary\":")?;
    let summary = json!({
        "files_scanned": scan.files_scanned,
        "registries": scan.registries,
        "errors": counts.errors,
        "warnings": counts.warnings,
        "notes": counts.notes,
        "not_applicable": scan.not_applicable.len(),
        "unknown": scan.unknown.len(),
        "suppressed": scan.suppressed.iter().filter(|s| s.origin != crate::baseline::ORIGIN).count(),
        "baselined": scan.suppressed.iter().filter(|s| s.origin == crate::baseline::ORIGIN).count(),
        "stale_baseline_entries": scan.stale_baseline_entries,
        "fail_on": scan.fail_on.map(|l| l.as_str()),
        "blocking": scan.fail_on.map_or(0, |t| scan.findings.iter().filter(|f| f.level >= t).count()),
        "input_errors": scan.errors.len(),
    });
    serde_json::to_writer(&mut *out, &summary)?;
    list(out, "findings", &scan.findings, |f| finding_json(scan, f))?;
    let (baselined, suppressed): (Vec<&Suppressed>, Vec<&Suppressed>) = scan
        .suppressed
        .iter()
        .partition(|s| s.origin == crate::baseline::ORIGIN);
    list(out, "suppressed", &suppressed, |s| suppressed_json(scan, s))?;
    list(out, "baselined", &baselined, |s| suppressed_json(scan, s))?;
    list(out, "not_applicable", &scan.not_applicable, |u| {
        undecided_json(scan, u)
    })?;
    list(out, "unknown", &scan.unknown, |u| undecided_json(scan, u))?;
    list(out, "input_errors", &scan.errors, |e| {
        input_error_json(scan, e)
    })?;
    out.write_all(b"}\n")
}

fn list<T: Sync>(
    out: &mut dyn Write,
    key: &str,
    items: &[T],
    to_json: impl Fn(&T) -> Value + Sync,
) -> io::Result<()> {
    write!(out, ",\"{key}\":[")?;
    super::write_json_items(out, items, |item| Ok(serde_json::to_vec(&to_json(item))?))?;
    out.write_all(b"]")
}

fn undecided_json(scan: &Scan, u: &crate::rules::Undecided) -> Value {
    json!({
        "rule": u.rule.id,
        "resource": u.resource,
        "reason": u.reason,
        "location": location(scan, u.span),
    })
}

fn input_error_json(scan: &Scan, e: &crate::findings::InputError) -> Value {
    let position = e.span.map(|s| scan.sources.start(s));
    json!({
        "file": e.path,
        "line": position.map(|p| p.line),
        "column": position.map(|p| p.column),
        "message": e.message,
    })
}

fn location(scan: &Scan, span: Span) -> Value {
    let start = scan.sources.start(span);
    let end = scan.sources.end(span);
    json!({
        "file": scan.sources.name(span.file),
        "line": start.line,
        "column": start.column,
        "end_line": end.line,
        "end_column": end.column,
    })
}

fn finding_json(scan: &Scan, f: &crate::rules::Finding) -> Value {
    json!({
            "rule": f.rule.id,
            "slug": f.rule.slug,
            "level": f.level.as_str(),
            "message": f.message,
            "location": location(scan, f.primary.span),
            "label": f.primary.message,
            "resource": f.resource,
            "property": f.property,
            "notes": f.notes,
            "help": f.help,
            "docs": f.rule.docs_url(),
        "related": f.secondary.iter().map(|l| json!({
            "message": l.message,
            "location": location(scan, l.span),
        })).collect::<Vec<_>>(),
    })
}

/// A suppressed or baselined finding: the finding, and the suppression that keeps it out of
/// the report.
fn suppressed_json(scan: &Scan, suppressed: &Suppressed) -> Value {
    let mut finding = finding_json(scan, &suppressed.finding);
    if let Value::Object(members) = &mut finding {
        members.insert(
            "suppression".into(),
            json!({
                "reason": suppressed.reason,
                "until": suppressed.until.map(|d| d.to_string()),
                "origin": suppressed.origin,
                "location": suppressed.directive.map(|span| location(scan, span)),
            }),
        );
    }
    finding
}
