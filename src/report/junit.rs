//! JUnit XML, the subset CI systems read: one suite, one failing test case per finding, one
//! erroring test case per input error, and a passing one when there is nothing to report.

use std::io::{self, Write};

use super::escape_controls;
use crate::findings::{InputError, Scan};
use crate::rules::Finding;

const SUITE: &str = "acr-lint";

pub fn render(scan: &Scan, out: &mut dyn Write) -> io::Result<()> {
    let failures = scan.findings.len();
    let errors = scan.errors.len();
    let tests = (failures + errors).max(1);
    let totals = format!(
        "tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\" time=\"{:.3}\"",
        scan.elapsed.as_secs_f64()
    );
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(out, r#"<testsuites name="{SUITE}" {totals}>"#)?;
    writeln!(out, r#"  <testsuite name="{SUITE}" {totals} skipped="0">"#)?;
    for error in &scan.errors {
        write_input_error(scan, error, out)?;
    }
    for finding in &scan.findings {
        write_finding(scan, finding, out)?;
    }
    if failures + errors == 0 {
        writeln!(
            out,
            r#"    <testcase classname="{SUITE}" name="no problems found"/>"#
        )?;
    }
    writeln!(out, "  </testsuite>")?;
    writeln!(out, "</testsuites>")
}

fn write_finding(scan: &Scan, finding: &Finding, out: &mut dyn Write) -> io::Result<()> {
    let file = scan.sources.name(finding.primary.span.file);
    let start = scan.sources.start(finding.primary.span);
    let name = format!(
        "{} {} at {}:{}",
        finding.rule.id, finding.rule.slug, start.line, start.column
    );
    let mut body = vec![
        format!(
            "{}[{}]: {}",
            finding.level, finding.rule.id, finding.message
        ),
        format!("file: {file}"),
        format!("line: {}", start.line),
        format!("column: {}", start.column),
        format!("resource: {}", finding.resource),
    ];
    body.extend(finding.notes.iter().map(|n| format!("note: {n}")));
    body.push(format!("help: {}", finding.help));
    body.push(format!("docs: {}", finding.rule.docs_url()));
    Case {
        classname: file,
        name,
        outcome: "failure",
        kind: finding.rule.id,
        message: &finding.message,
        body,
    }
    .write(out)
}

fn write_input_error(scan: &Scan, error: &InputError, out: &mut dyn Write) -> io::Result<()> {
    let position = error.span.map(|s| scan.sources.start(s));
    let name = match position {
        Some(p) => format!("input error at {}:{}", p.line, p.column),
        None => "input error".to_string(),
    };
    let mut body = vec![
        format!("error: {}", error.message),
        format!("file: {}", error.path),
    ];
    if let Some(p) = position {
        body.push(format!("line: {}", p.line));
        body.push(format!("column: {}", p.column));
    }
    Case {
        classname: &error.path,
        name,
        outcome: "error",
        kind: "input-error",
        message: &error.message,
        body,
    }
    .write(out)
}

/// A `<testcase>` holding one `<failure>` or `<error>` element.
struct Case<'a> {
    classname: &'a str,
    name: String,
    /// `failure` for a finding, `error` for an input that could not be read.
    outcome: &'static str,
    /// The element's `type`: the rule id, or `input-error`.
    kind: &'a str,
    message: &'a str,
    body: Vec<String>,
}

impl Case<'_> {
    fn write(&self, out: &mut dyn Write) -> io::Result<()> {
        writeln!(
            out,
            r#"    <testcase classname="{}" name="{}">"#,
            escape_attribute(self.classname),
            escape_attribute(&self.name)
        )?;
        writeln!(
            out,
            r#"      <{outcome} type="{}" message="{}">{}</{outcome}>"#,
            escape_attribute(self.kind),
            escape_attribute(self.message),
            escape_text(&body_text(&self.body)),
            outcome = self.outcome,
        )?;
        writeln!(out, "    </testcase>")
    }
}

/// The lines of a case's body: line breaks and other control characters inside a line are
/// escaped, so only the tool starts a line.
fn body_text(lines: &[String]) -> String {
    lines
        .iter()
        .map(|line| escape_controls(line))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Character data: markup characters escaped, characters XML 1.0 forbids removed.
fn escape_text(text: &str) -> String {
    escape(text, false)
}

/// An attribute value: as text, and line breaks and tabs as references so parsers keep them.
fn escape_attribute(text: &str) -> String {
    escape(text, true)
}

fn escape(text: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\r' => out.push_str("&#13;"),
            '\n' if attribute => out.push_str("&#10;"),
            '\t' if attribute => out.push_str("&#9;"),
            c if allowed_in_xml(c) => out.push(c),
            _ => {}
        }
    }
    out
}

/// The `Char` production of XML 1.0 (Rust chars are never surrogates).
fn allowed_in_xml(c: char) -> bool {
    matches!(c,
        '\t' | '\n' | '\r'
        | '\u{20}'..='\u{D7FF}'
        | '\u{E000}'..='\u{FFFD}'
        | '\u{10000}'..='\u{10FFFF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_characters_are_escaped() {
        assert_eq!(
            escape_text(r#"a & b < c > d "e" 'f'"#),
            "a &amp; b &lt; c &gt; d &quot;e&quot; &apos;f&apos;"
        );
    }

    #[test]
    fn characters_xml_forbids_are_removed() {
        assert_eq!(escape_text("a\u{0}b\u{1b}c\u{fffe}d\u{ffff}e"), "abcde");
        assert_eq!(escape_text("tab\tline\nemoji😀"), "tab\tline\nemoji😀");
    }

    #[test]
    fn attributes_keep_line_breaks_as_references() {
        assert_eq!(escape_attribute("a\r\nb\tc"), "a&#13;&#10;b&#9;c");
        assert_eq!(escape_text("a\r\nb"), "a&#13;\nb");
    }
}
