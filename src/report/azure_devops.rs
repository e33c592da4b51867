//! Azure Pipelines logging commands: one `##vso[task.logissue]` per finding and input error,
//! which the build summary shows as errors and warnings at their file and line.

use std::io::{self, Write};

use crate::findings::{InputError, Scan};
use crate::rules::{Finding, Level};
use crate::source::Span;

pub fn render(scan: &Scan, out: &mut dyn Write) -> io::Result<()> {
    for error in &scan.errors {
        writeln!(out, "{}", input_error_command(scan, error))?;
    }
    for finding in &scan.findings {
        if let Some(kind) = issue_type(finding.level, scan.fail_on) {
            writeln!(out, "{}", finding_command(scan, finding, kind))?;
        }
    }
    Ok(())
}

/// Pipelines know only errors and warnings: a note is shown as a warning when notes block the
/// build (`--fail-on note`) and left to the log otherwise.
fn issue_type(level: Level, fail_on: Option<Level>) -> Option<&'static str> {
    match level {
        Level::Error => Some("error"),
        Level::Warning => Some("warning"),
        Level::Note if fail_on == Some(Level::Note) => Some("warning"),
        Level::Note => None,
    }
}

fn finding_command(scan: &Scan, finding: &Finding, kind: &'static str) -> String {
    let mut properties = vec![("type", kind.to_string())];
    properties.extend(location(scan, finding.primary.span));
    properties.push(("code", finding.rule.id.to_string()));
    let mut message = finding.message.clone();
    for note in &finding.notes {
        message.push_str(&format!("\nnote: {note}"));
    }
    message.push_str(&format!("\nhelp: {}", finding.help));
    message.push_str(&format!("\nsee: {}", finding.rule.docs_url()));
    command(&properties, &message)
}

fn location(scan: &Scan, span: Span) -> Vec<(&'static str, String)> {
    let start = scan.sources.start(span);
    vec![
        ("sourcepath", scan.sources.name(span.file).to_string()),
        ("linenumber", start.line.to_string()),
        ("columnnumber", start.column.to_string()),
    ]
}

fn input_error_command(scan: &Scan, error: &InputError) -> String {
    let properties = match error.span {
        Some(span) => location(scan, span),
        None => vec![("sourcepath", error.path.clone())],
    };
    let mut all = vec![("type", "error".to_string())];
    all.extend(properties);
    command(&all, &error.message)
}

/// `##vso[task.logissue key=value;key=value]message`, escaped as the Pipelines task library
/// escapes it.
fn command(properties: &[(&str, String)], message: &str) -> String {
    let properties = properties
        .iter()
        .map(|(key, value)| format!("{key}={};", escape_property(value)))
        .collect::<String>();
    format!("##vso[task.logissue {properties}]{}", escape_data(message))
}

fn escape_data(text: &str) -> String {
    super::escape_command_data(text, "%AZP25")
}

fn escape_property(text: &str) -> String {
    escape_data(text).replace(']', "%5D").replace(';', "%3B")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_escapes_percent_and_line_breaks() {
        assert_eq!(escape_data("100% a;b]\r\nc"), "100%AZP25 a;b]%0D%0Ac");
    }

    #[test]
    fn properties_also_escape_bracket_and_semicolon() {
        assert_eq!(escape_property("a;b]c%"), "a%3Bb%5Dc%AZP25");
    }

    #[test]
    fn notes_are_warnings_only_when_they_block() {
        assert_eq!(issue_type(Level::Note, Some(Level::Error)), None);
        assert_eq!(issue_type(Level::Note, None), None);
        assert_eq!(issue_type(Level::Note, Some(Level::Note)), Some("warning"));
        assert_eq!(issue_type(Level::Warning, None), Some("warning"));
        assert_eq!(issue_type(Level::Error, None), Some("error"));
    }

    #[test]
    fn command_lists_properties_with_semicolons() {
        assert_eq!(
            command(&[("type", "error".into()), ("code", "ACR001".into())], "m"),
            "##vso[task.logissue type=error;code=ACR001;]m"
        );
    }
}
