//! GitHub Actions workflow commands: one `::error`, `::warning` or `::notice` annotation per
//! finding, most severe first, escaped as the Actions toolkit escapes them.

use std::cmp::Reverse;
use std::io::{self, Write};

use super::plural;
use crate::findings::{InputError, Scan};
use crate::rules::{Finding, Level};
use crate::source::Span;

/// Annotations GitHub keeps per level and step; it logs the rest without annotating them.
pub const ANNOTATIONS_PER_LEVEL: usize = 10;

pub fn render(scan: &Scan, out: &mut dyn Write) -> io::Result<()> {
    let hidden = NotAnnotated::of(scan);
    // First, not last: as the last notice it would itself be dropped when notes overflow.
    if hidden.total() > 0 {
        writeln!(out, "{}", overflow_notice(&hidden))?;
    }
    for error in &scan.errors {
        writeln!(out, "{}", input_error_command(scan, error))?;
    }
    for finding in most_severe_first(&scan.findings) {
        writeln!(out, "{}", finding_command(scan, finding))?;
    }
    Ok(())
}

fn most_severe_first(findings: &[Box<Finding>]) -> Vec<&Finding> {
    let mut sorted: Vec<&Finding> = findings.iter().map(|finding| &**finding).collect();
    sorted.sort_by_key(|f| Reverse(f.level));
    sorted
}

/// How many results of each level GitHub will log but not show as annotations.
#[derive(Debug, Default, PartialEq, Eq)]
struct NotAnnotated {
    errors: usize,
    warnings: usize,
    notes: usize,
}

impl NotAnnotated {
    fn of(scan: &Scan) -> NotAnnotated {
        let count = |level: Level| scan.findings.iter().filter(|f| f.level == level).count();
        let errors = scan.errors.len() + count(Level::Error);
        let warnings = count(Level::Warning);
        let notes = count(Level::Note);
        let cap = ANNOTATIONS_PER_LEVEL;
        let overflow = errors > cap || warnings > cap || notes > cap;
        // The overflow notice takes one of the notice annotations.
        let note_cap = if overflow { cap - 1 } else { cap };
        NotAnnotated {
            errors: errors.saturating_sub(cap),
            warnings: warnings.saturating_sub(cap),
            notes: notes.saturating_sub(note_cap),
        }
    }

    fn total(&self) -> usize {
        self.errors + self.warnings + self.notes
    }
}

fn overflow_notice(hidden: &NotAnnotated) -> String {
    let by_level = [
        (hidden.errors, "error"),
        (hidden.warnings, "warning"),
        (hidden.notes, "note"),
    ]
    .iter()
    .filter(|(count, _)| *count > 0)
    .map(|(count, word)| plural(*count, word))
    .collect::<Vec<_>>()
    .join(", ");
    let message = format!(
        "{} more findings not shown as annotations ({by_level}): GitHub shows {cap} errors, \
         {cap} warnings and {cap} notices per step. Every finding is in this step's log; for all \
         of them in one place, upload SARIF (-f sarif=FILE) to code scanning or write the job \
         summary (-f markdown=$GITHUB_STEP_SUMMARY).",
        hidden.total(),
        cap = ANNOTATIONS_PER_LEVEL,
    );
    command("notice", &[("title", "acr-lint".into())], &message)
}

fn finding_command(scan: &Scan, finding: &Finding) -> String {
    let mut properties = location(scan, finding.primary.span);
    properties.push((
        "title",
        format!("{} {}", finding.rule.id, finding.rule.slug),
    ));
    command(
        command_name(finding.level),
        &properties,
        &finding_text(finding),
    )
}

fn command_name(level: Level) -> &'static str {
    match level {
        Level::Error => "error",
        Level::Warning => "warning",
        Level::Note => "notice",
    }
}

/// The message, its notes, the fix and the rule's page, one per line.
fn finding_text(finding: &Finding) -> String {
    let mut text = finding.message.clone();
    for note in &finding.notes {
        text.push_str(&format!("\nnote: {note}"));
    }
    text.push_str(&format!("\nhelp: {}", finding.help));
    text.push_str(&format!("\nsee: {}", finding.rule.docs_url()));
    text
}

/// `file`, `line`, `col`, `endLine`, `endColumn`; columns only on a one-line span, as the
/// runner drops them otherwise.
fn location(scan: &Scan, span: Span) -> Vec<(&'static str, String)> {
    let start = scan.sources.start(span);
    let end = scan.sources.end(span);
    let mut properties = vec![
        ("file", scan.sources.name(span.file).to_string()),
        ("line", start.line.to_string()),
    ];
    if start.line == end.line {
        properties.push(("col", start.column.to_string()));
    }
    properties.push(("endLine", end.line.to_string()));
    if start.line == end.line {
        properties.push(("endColumn", end.column.to_string()));
    }
    properties
}

fn input_error_command(scan: &Scan, error: &InputError) -> String {
    let mut properties = vec![("file", error.path.clone())];
    if let Some(span) = error.span {
        let start = scan.sources.start(span);
        properties.push(("line", start.line.to_string()));
        properties.push(("col", start.column.to_string()));
    }
    properties.push(("title", "acr-lint input error".into()));
    command("error", &properties, &error.message)
}

/// `::name key=value,key=value::message`, escaped as the Actions toolkit escapes commands.
fn command(name: &str, properties: &[(&str, String)], message: &str) -> String {
    let properties = properties
        .iter()
        .map(|(key, value)| format!("{key}={}", escape_property(value)))
        .collect::<Vec<_>>()
        .join(",");
    let separator = if properties.is_empty() { "" } else { " " };
    format!("::{name}{separator}{properties}::{}", escape_data(message))
}

fn escape_data(text: &str) -> String {
    super::escape_command_data(text, "%25")
}

fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_escapes_percent_and_line_breaks_only() {
        assert_eq!(escape_data("100% a:b,c\r\nd"), "100%25 a:b,c%0D%0Ad");
    }

    #[test]
    fn properties_also_escape_colon_and_comma() {
        assert_eq!(escape_property("a%:b,c\n"), "a%25%3Ab%2Cc%0A");
    }

    #[test]
    fn command_without_properties_has_no_space() {
        assert_eq!(command("notice", &[], "hi"), "::notice::hi");
        assert_eq!(
            command("error", &[("file", "a,b.tf".into())], "m"),
            "::error file=a%2Cb.tf::m"
        );
    }
}
