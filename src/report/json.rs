//! The versioned JSON report (`"version": 1`); its shape is documented in the README.

use std::io::{self, Write};

use serde_json::{Value, json};

use super::Counts;
use super::json_text;
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
    list_written(out, "findings", &scan.findings, |f, bytes| {
        push_finding(scan, f, bytes);
    })?;
    let (baselined, suppressed): (Vec<&Suppressed>, Vec<&Suppressed>) = scan
        .suppressed
        .iter()
        .partition(|s| s.origin == crate::baseline::ORIGIN);
    list_written(out, "suppressed", &suppressed, |s, bytes| {
        push_suppressed(scan, s, bytes);
    })?;
    list_written(out, "baselined", &baselined, |s, bytes| {
        push_suppressed(scan, s, bytes);
    })?;
    list_written(out, "not_applicable", &scan.not_applicable, |u, bytes| {
        push_undecided(scan, u, bytes);
    })?;
    list_written(out, "unknown", &scan.unknown, |u, bytes| {
        push_undecided(scan, u, bytes);
    })?;
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
    super::write_json_items(out, items, |item, bytes| {
        Ok(serde_json::to_writer(bytes, &to_json(item))?)
    })?;
    out.write_all(b"]")
}

/// Like [`list`], for items written straight as JSON text.
fn list_written<T: Sync>(
    out: &mut dyn Write,
    key: &str,
    items: &[T],
    write: impl Fn(&T, &mut Vec<u8>) + Sync,
) -> io::Result<()> {
    write!(out, ",\"{key}\":[")?;
    super::write_json_items(out, items, |item, bytes| {
        write(item, bytes);
        Ok(())
    })?;
    out.write_all(b"]")
}

/// A finding as [`finding_json`] gives it, written as `serde_json` writes that value (members
/// in name order).
fn push_finding(scan: &Scan, f: &crate::rules::Finding, out: &mut Vec<u8>) {
    push_finding_members(scan, f, out);
    out.push(b'}');
}

/// A finding's object without its closing brace, so a suppression can follow its last member.
fn push_finding_members(scan: &Scan, f: &crate::rules::Finding, out: &mut Vec<u8>) {
    with_rule_members(f, |members| {
        out.extend_from_slice(&members.head);
        push_finding_own_members(scan, f, out);
        out.extend_from_slice(&members.tail);
    });
}

/// The members a finding takes from its rule, written once per rule and fix text on each thread:
/// `{"docs":...,"help":...,` before the finding's own members, `"rule":...,"slug":...` after.
struct RuleMembers {
    head: Vec<u8>,
    tail: Vec<u8>,
}

type RuleMembersKey = (*const crate::rules::RuleMeta, *const u8, usize);

thread_local! {
    static RULE_MEMBERS: std::cell::RefCell<foldhash::HashMap<RuleMembersKey, RuleMembers>> =
        std::cell::RefCell::new(foldhash::HashMap::default());
}

fn with_rule_members(f: &crate::rules::Finding, write: impl FnOnce(&RuleMembers)) {
    let key: RuleMembersKey = (f.rule, f.help.as_ptr(), f.help.len());
    RULE_MEMBERS.with_borrow_mut(|known| {
        let members = known.entry(key).or_insert_with(|| rule_members(f));
        write(members);
    });
}

fn rule_members(f: &crate::rules::Finding) -> RuleMembers {
    let mut head = Vec::new();
    head.push(b'{');
    json_text::push_string_field(&mut head, "docs", &f.rule.docs_url());
    json_text::push_string_field(&mut head, "help", f.help);
    let mut tail = Vec::new();
    json_text::push_string_field(&mut tail, "rule", f.rule.id);
    json_text::push_key(&mut tail, "slug");
    json_text::push_str(&mut tail, f.rule.slug);
    RuleMembers { head, tail }
}

/// The members of a finding between those of its rule.
fn push_finding_own_members(scan: &Scan, f: &crate::rules::Finding, out: &mut Vec<u8>) {
    json_text::push_string_field(out, "label", &f.primary.message);
    json_text::push_string_field(out, "level", f.level.as_str());
    json_text::push_key(out, "location");
    push_location(scan, f.primary.span, out);
    out.push(b',');
    json_text::push_string_field(out, "message", &f.message);
    json_text::push_key(out, "notes");
    json_text::push_list(out, &f.notes, |out, note| json_text::push_str(out, note));
    out.push(b',');
    json_text::push_string_field(out, "property", &f.property);
    json_text::push_key(out, "related");
    json_text::push_list(out, &f.secondary, |out, label| {
        out.push(b'{');
        json_text::push_key(out, "location");
        push_location(scan, label.span, out);
        out.push(b',');
        json_text::push_key(out, "message");
        json_text::push_str(out, &label.message);
        out.push(b'}');
    });
    out.push(b',');
    json_text::push_string_field(out, "resource", &f.resource);
}

/// A suppressed or baselined finding as [`suppressed_json`] gives it.
fn push_suppressed(scan: &Scan, suppressed: &Suppressed, out: &mut Vec<u8>) {
    push_finding_members(scan, &suppressed.finding, out);
    out.push(b',');
    json_text::push_key(out, "suppression");
    out.push(b'{');
    json_text::push_key(out, "location");
    match suppressed.directive {
        Some(span) => push_location(scan, span, out),
        None => out.extend_from_slice(b"null"),
    }
    out.push(b',');
    json_text::push_string_field(out, "origin", &suppressed.origin);
    json_text::push_string_field(out, "reason", &suppressed.reason);
    json_text::push_key(out, "until");
    match suppressed.until {
        Some(date) => json_text::push_str(out, &date.to_string()),
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(b"}}");
}

/// An undecided result as [`undecided_json`] gives it.
fn push_undecided(scan: &Scan, u: &crate::rules::Undecided, out: &mut Vec<u8>) {
    out.push(b'{');
    json_text::push_key(out, "location");
    push_location(scan, u.span, out);
    out.push(b',');
    json_text::push_string_field(out, "reason", &u.reason);
    json_text::push_string_field(out, "resource", &u.resource);
    json_text::push_key(out, "rule");
    json_text::push_str(out, u.rule.id);
    out.push(b'}');
}

/// The last location written on this thread, by file serial and span, with its text: the
/// results on one registry repeat its declaration's location many times in a row.
struct RecentLocation {
    key: Option<(u64, usize, usize)>,
    text: Vec<u8>,
}

thread_local! {
    static RECENT_LOCATION: std::cell::RefCell<RecentLocation> =
        const { std::cell::RefCell::new(RecentLocation { key: None, text: Vec::new() }) };
}

/// A location as [`location`] gives it.
fn push_location(scan: &Scan, span: Span, out: &mut Vec<u8>) {
    let Some(file) = scan.sources.get(span.file) else {
        return write_location(scan, span, out);
    };
    let key = Some((file.serial(), span.start, span.end));
    RECENT_LOCATION.with_borrow_mut(|recent| {
        if recent.key != key {
            recent.text.clear();
            write_location(scan, span, &mut recent.text);
            recent.key = key;
        }
        out.extend_from_slice(&recent.text);
    });
}

fn write_location(scan: &Scan, span: Span, out: &mut Vec<u8>) {
    let start = scan.sources.start(span);
    let end = scan.sources.end(span);
    out.push(b'{');
    json_text::push_key(out, "column");
    json_text::push_uint(out, start.column);
    out.push(b',');
    json_text::push_key(out, "end_column");
    json_text::push_uint(out, end.column);
    out.push(b',');
    json_text::push_key(out, "end_line");
    json_text::push_uint(out, end.line);
    out.push(b',');
    json_text::push_string_field(out, "file", scan.sources.name(span.file));
    json_text::push_key(out, "line");
    json_text::push_uint(out, start.line);
    out.push(b'}');
}

#[cfg(test)]
fn undecided_json(scan: &Scan, u: &crate::rules::Undecided) -> Value {
    json!({
        "rule": u.rule.id,
        "resource": &*u.resource,
        "reason": &*u.reason,
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

#[cfg(test)]
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

#[cfg(test)]
fn finding_json(scan: &Scan, f: &crate::rules::Finding) -> Value {
    json!({
            "rule": f.rule.id,
            "slug": f.rule.slug,
            "level": f.level.as_str(),
            "message": f.message,
            "location": location(scan, f.primary.span),
            "label": f.primary.message,
            "resource": &*f.resource,
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
#[cfg(test)]
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Every finding, suppressed finding and undecided result of the testdata (all rules,
    /// unknowns shown) is written byte for byte as `serde_json` writes its value.
    #[test]
    fn items_are_written_as_serde_writes_them() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata");
        let mut options = crate::ScanOptions::new(vec![root]);
        options.rules = crate::rules::all().to_vec();
        options.show_unknown = true;
        let scan = crate::scan(&options);
        assert!(scan.findings.len() > 500);
        assert!(!scan.suppressed.is_empty() && !scan.unknown.is_empty());
        assert!(!scan.not_applicable.is_empty());
        let same = |written: Vec<u8>, expected: Value| {
            assert_eq!(
                String::from_utf8(written).unwrap(),
                serde_json::to_string(&expected).unwrap()
            );
        };
        for f in &scan.findings {
            let mut out = Vec::new();
            push_finding(&scan, f, &mut out);
            same(out, finding_json(&scan, f));
        }
        for s in &scan.suppressed {
            let mut out = Vec::new();
            push_suppressed(&scan, s, &mut out);
            same(out, suppressed_json(&scan, s));
        }
        for u in scan.unknown.iter().chain(&scan.not_applicable) {
            let mut out = Vec::new();
            push_undecided(&scan, u, &mut out);
            same(out, undecided_json(&scan, u));
        }
    }

    /// A location remembered for one file is not written for the same offsets in another.
    #[test]
    fn the_same_span_in_two_files_is_written_with_each_file() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata");
        let mut options = crate::ScanOptions::new(vec![root]);
        options.rules = crate::rules::all().to_vec();
        let scan = crate::scan(&options);
        let mut by_span: std::collections::BTreeMap<_, Vec<Span>> = Default::default();
        for f in &scan.findings {
            let span = f.primary.span;
            by_span
                .entry((span.start, span.end))
                .or_default()
                .push(span);
        }
        let mut pairs = 0;
        for spans in by_span.values() {
            for (a, b) in spans.iter().zip(spans.iter().skip(1)) {
                if a.file == b.file {
                    continue;
                }
                pairs += 1;
                for span in [*a, *b, *a] {
                    let mut out = Vec::new();
                    push_location(&scan, span, &mut out);
                    let expected = serde_json::to_string(&location(&scan, span)).unwrap();
                    assert_eq!(String::from_utf8(out).unwrap(), expected);
                }
            }
        }
        assert!(
            pairs > 10,
            "{pairs} pairs of files with a finding at the same offsets"
        );
    }
}
