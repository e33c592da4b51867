//! A Markdown report for job summaries and pull-request comments: a summary line, then one
//! table of findings per file, then the inputs that could not be read.

use std::io::{self, Write};

use super::{Counts, escape_controls, plural};
use crate::findings::{InputError, Scan};
use crate::rules::Finding;

pub fn render(scan: &Scan, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "## acr-lint")?;
    writeln!(out)?;
    if !scan.errors.is_empty() {
        writeln!(
            out,
            "**{} could not be read** and {} not checked (listed at the end).",
            plural(scan.errors.len(), "input"),
            if scan.errors.len() == 1 {
                "was"
            } else {
                "were"
            }
        )?;
        writeln!(out)?;
    }
    writeln!(out, "{}", summary(scan))?;
    if scan.unnamed_registry_modules > 0 {
        writeln!(out)?;
        let unread = super::unread_registry_modules(scan.unnamed_registry_modules);
        writeln!(out, "{unread}.")?;
    }
    if scan.unnamed_unpaired_parameters_files > 0 {
        writeln!(out)?;
        let count = scan.unnamed_unpaired_parameters_files;
        let unpaired = super::unpaired_parameters_files(count, false);
        writeln!(out, "{unpaired}.")?;
    }
    if scan.unnamed_unapplied_variable_files > 0 {
        writeln!(out)?;
        let count = scan.unnamed_unapplied_variable_files;
        let unapplied = super::unapplied_variable_files(count, false);
        writeln!(out, "{unapplied}.")?;
    }
    if scan.findings.is_empty() {
        writeln!(out)?;
        match (scan.files_scanned, scan.errors.is_empty()) {
            (0, true) => writeln!(out, "{}.", crate::findings::why_nothing_was_checked(scan))?,
            (0, false) => writeln!(out, "No file was checked.")?,
            (_, true) => writeln!(out, "No problems found.")?,
            (_, false) => writeln!(out, "No problems found in the files that could be read.")?,
        }
    }
    for (file, findings) in by_file(scan) {
        writeln!(out)?;
        write_file_table(scan, file, &findings, out)?;
    }
    if !scan.errors.is_empty() {
        writeln!(out)?;
        write_input_errors(scan, out)?;
    }
    Ok(())
}

/// `1 error, 2 warnings, 0 notes in 3 files (1 registry); 4 not applicable, 0 unknown.`
fn summary(scan: &Scan) -> String {
    let counts = Counts::of(scan);
    let registries = if scan.registries == 1 {
        "1 registry".to_string()
    } else {
        format!("{} registries", scan.registries)
    };
    format!(
        "{}, {}, {} in {} ({registries}); {} not applicable, {} unknown.",
        plural(counts.errors, "error"),
        plural(counts.warnings, "warning"),
        plural(counts.notes, "note"),
        plural(scan.files_scanned, "file"),
        scan.not_applicable.len(),
        scan.unknown.len(),
    )
}

/// Findings grouped by file, files in the order the scan sorted them.
fn by_file(scan: &Scan) -> Vec<(&str, Vec<&Finding>)> {
    let mut groups: Vec<(&str, Vec<&Finding>)> = Vec::new();
    for finding in &scan.findings {
        let file = scan.sources.name(finding.primary.span.file);
        match groups.iter_mut().find(|(name, _)| *name == file) {
            Some((_, findings)) => findings.push(finding),
            None => groups.push((file, vec![finding])),
        }
    }
    groups
}

fn write_file_table(
    scan: &Scan,
    file: &str,
    findings: &[&Finding],
    out: &mut dyn Write,
) -> io::Result<()> {
    writeln!(out, "### {}", code_span(file))?;
    writeln!(out)?;
    writeln!(out, "| level | rule | line:col | message |")?;
    writeln!(out, "|---|---|---|---|")?;
    for finding in findings {
        let start = scan.sources.start(finding.primary.span);
        writeln!(
            out,
            "| {} | [{}]({} \"{}\") | {}:{} | {} |",
            finding.level,
            finding.rule.id,
            finding.rule.docs_url(),
            finding.rule.slug,
            start.line,
            start.column,
            table_cell(&finding.message)
        )?;
    }
    Ok(())
}

fn write_input_errors(scan: &Scan, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "<details>")?;
    writeln!(
        out,
        "<summary>{} could not be read</summary>",
        plural(scan.errors.len(), "input")
    )?;
    writeln!(out)?;
    for error in &scan.errors {
        writeln!(
            out,
            "- {}: {}",
            code_span(&error_position(scan, error)),
            one_line(&error.message)
        )?;
    }
    writeln!(out)?;
    writeln!(out, "</details>")
}

fn error_position(scan: &Scan, error: &InputError) -> String {
    match error.span.map(|s| scan.sources.start(s)) {
        Some(p) => format!("{}:{}:{}", error.path, p.line, p.column),
        None => error.path.clone(),
    }
}

/// Text that stays inside one table cell: pipes escaped, line breaks as `<br>`.
fn table_cell(text: &str) -> String {
    one_line_with(text, "<br>").replace('|', "\\|")
}

fn one_line(text: &str) -> String {
    one_line_with(text, " ")
}

fn one_line_with(text: &str, line_break: &str) -> String {
    let text = text
        .replace("\r\n", "\n")
        .replace('\r', "\n")
        .replace('\n', line_break);
    escape_controls(&text).into_owned()
}

/// `text` as inline code, with a fence longer than any run of backticks inside it.
fn code_span(text: &str) -> String {
    let text = one_line(text);
    let longest_run = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest_run + 1);
    if text.starts_with('`') || text.ends_with('`') {
        format!("{fence} {text} {fence}")
    } else {
        format!("{fence}{text}{fence}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_cells_escape_pipes_and_line_breaks() {
        assert_eq!(table_cell("a | b\r\nc\nd"), "a \\| b<br>c<br>d");
    }

    #[test]
    fn code_spans_outgrow_backticks_inside() {
        assert_eq!(code_span("main.tf"), "`main.tf`");
        assert_eq!(code_span("a`b.tf"), "``a`b.tf``");
        assert_eq!(code_span("`x`"), "`` `x` ``");
    }
}
