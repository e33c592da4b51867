//! The versioned JSON report (`"version": 1`); its shape is documented in the README.

use std::io::{self, Write};

use serde_json::{Value, json};

use super::Counts;
use crate::Scan;
use crate::source::Span;

pub const JSON_VERSION: u32 = 1;

pub fn render(scan: &Scan, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &document(scan))?;
    writeln!(out)
}

pub fn document(scan: &Scan) -> Value {
    let counts = Counts::of(scan);
    json!({
        "version": JSON_VERSION,
        "tool": {"name": "acr-lint", "version": crate::VERSION},
        "summary": {
            "files_scanned": scan.files_scanned,
            "registries": scan.registries,
            "errors": counts.errors,
            "warnings": counts.warnings,
            "notes": counts.notes,
            "not_applicable": scan.not_applicable.len(),
            "unknown": scan.unknown.len(),
            "input_errors": scan.errors.len(),
        },
        "findings": scan.findings.iter().map(|f| json!({
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
        })).collect::<Vec<_>>(),
        "not_applicable": scan.not_applicable.iter().map(|u| json!({
            "rule": u.rule.id,
            "resource": u.resource,
            "reason": u.reason,
            "location": location(scan, u.span),
        })).collect::<Vec<_>>(),
        "unknown": scan.unknown.iter().map(|u| json!({
            "rule": u.rule.id,
            "resource": u.resource,
            "reason": u.reason,
            "location": location(scan, u.span),
        })).collect::<Vec<_>>(),
        "input_errors": scan.errors.iter().map(|e| {
            let position = e.span.map(|s| scan.sources.start(s));
            json!({
                "file": e.path,
                "line": position.map(|p| p.line),
                "column": position.map(|p| p.column),
                "message": e.message,
            })
        }).collect::<Vec<_>>(),
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
