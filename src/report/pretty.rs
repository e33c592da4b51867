//! Human output in the rustc family: code frames, labels, notes, help and a summary.

use std::io::{self, Write};

use codespan_reporting::diagnostic::{Diagnostic, Severity};
use codespan_reporting::term::{self, Config, termcolor};

use super::frame::Frames;
use super::{Counts, escape_controls, plural};
use crate::findings::{InputError, Scan};
use crate::rules::{Finding, Level};
use crate::source::FileId;

/// When to colour human output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

fn writer(color: bool) -> termcolor::Buffer {
    if color {
        termcolor::Buffer::ansi()
    } else {
        termcolor::Buffer::no_color()
    }
}

pub fn render(scan: &Scan, color: bool, out: &mut dyn Write) -> io::Result<()> {
    let config = Config::default();
    let mut buffer = writer(color);
    let sources = super::mask::MaskedSources::of(scan);
    for finding in &scan.findings {
        let spans: Vec<_> = std::iter::once(finding.primary.span)
            .chain(finding.secondary.iter().map(|l| l.span))
            .collect();
        let frames = Frames::new(&scan.sources, &sources, &spans);
        let diagnostic = diagnostic(finding, &frames);
        term::emit_to_write_style(&mut buffer, &config, &frames, &diagnostic)
            .map_err(io::Error::other)?;
    }
    out.write_all(buffer.as_slice())?;
    summary(scan, out)
}

/// `--statistics`: how many findings each rule has, then the summary.
pub fn render_statistics(scan: &Scan, color: bool, out: &mut dyn Write) -> io::Result<()> {
    let mut buffer = writer(color);
    super::statistics::table(scan, &mut buffer)?;
    out.write_all(buffer.as_slice())?;
    summary(scan, out)
}

fn diagnostic(finding: &Finding, frames: &Frames<'_>) -> Diagnostic<FileId> {
    let severity = match finding.level {
        Level::Error => Severity::Error,
        Level::Warning => Severity::Warning,
        Level::Note => Severity::Note,
    };
    let primary = &finding.primary;
    let mut labels = vec![frames.label(true, primary.span, &primary.message)];
    labels.extend(
        finding
            .secondary
            .iter()
            .map(|l| frames.label(false, l.span, &l.message)),
    );
    let mut notes: Vec<String> = finding
        .notes
        .iter()
        .map(|n| format!("note: {}", escape_controls(n)))
        .collect();
    notes.push(format!("help: {}", escape_controls(finding.help)));
    notes.push(format!("see: {}", finding.rule.docs_url()));
    Diagnostic::new(severity)
        .with_code(finding.rule.id)
        .with_message(escape_controls(&finding.message))
        .with_labels(labels)
        .with_notes(notes)
}

fn summary(scan: &Scan, out: &mut dyn Write) -> io::Result<()> {
    let counts = Counts::of(scan);
    let total = scan.findings.len();
    let elapsed = scan.elapsed.as_secs_f64() * 1000.0;
    if !scan.errors.is_empty() {
        writeln!(out, "{}", unreadable_line(scan))?;
    }
    if scan.files_scanned == 0 && total == 0 {
        if scan.errors.is_empty() {
            writeln!(out, "{}.", crate::findings::why_nothing_was_checked(scan))?;
        }
        return Ok(());
    }
    if total == 0 {
        write!(out, "No problems found")?;
    } else {
        write!(
            out,
            "Found {} ({}, {}, {})",
            plural(total, "problem"),
            plural(counts.errors, "error"),
            plural(counts.warnings, "warning"),
            plural(counts.notes, "note")
        )?;
    }
    writeln!(
        out,
        " in {} ({}) in {elapsed:.0} ms.",
        plural(scan.files_scanned, "file"),
        plural(scan.registries, "registry").replace("registrys", "registries")
    )?;
    let mut extras = Vec::new();
    if total > 0 {
        let blocking = scan.fail_on.map_or(0, |threshold| {
            scan.findings
                .iter()
                .filter(|f| f.level >= threshold)
                .count()
        });
        extras.push(format!(
            "{blocking} blocking, {} not blocking",
            total - blocking
        ));
    }
    let baselined = scan
        .suppressed
        .iter()
        .filter(|s| s.origin == crate::baseline::ORIGIN)
        .count();
    let suppressed = scan.suppressed.len() - baselined;
    if suppressed > 0 {
        extras.push(format!("{suppressed} suppressed"));
    }
    if baselined > 0 {
        extras.push(format!("{baselined} baselined"));
    }
    if scan.stale_baseline_entries > 0 {
        extras.push(format!(
            "{} no longer found (update the baseline)",
            plural(scan.stale_baseline_entries, "baseline entry").replace("entrys", "entries")
        ));
    }
    if !scan.not_applicable.is_empty() {
        extras.push(format!(
            "{} not applicable to the registry SKU",
            scan.not_applicable.len()
        ));
    }
    if !scan.unknown.is_empty() {
        extras.push(format!(
            "{} could not be decided (values unknown before deployment)",
            scan.unknown.len()
        ));
    }
    if scan.unnamed_registry_modules > 0 {
        let unread = super::unread_registry_modules(scan.unnamed_registry_modules);
        extras.push(format!("{unread} (`--show-unknown` names them)"));
    }
    if scan.unnamed_unpaired_parameters_files > 0 {
        let count = scan.unnamed_unpaired_parameters_files;
        extras.push(super::unpaired_parameters_files(count, true));
    }
    if scan.unnamed_unapplied_variable_files > 0 {
        let count = scan.unnamed_unapplied_variable_files;
        extras.push(super::unapplied_variable_files(count, true));
    }
    if !extras.is_empty() {
        writeln!(out, "{}.", extras.join("; "))?;
    }
    Ok(())
}

/// The first line of a summary when inputs could not be read: how many, and whether anything
/// was checked.
fn unreadable_line(scan: &Scan) -> String {
    let count = scan.errors.len();
    let inputs = plural(count, "input");
    let verb = if count == 1 { "was" } else { "were" };
    if scan.files_scanned == 0 {
        format!("{inputs} could not be read (errors above), so no file was checked.")
    } else {
        format!(
            "{inputs} could not be read (errors above) and {verb} not checked; the results below cover the rest."
        )
    }
}

pub fn render_errors(scan: &Scan, color: bool, out: &mut dyn Write) -> io::Result<()> {
    let config = Config::default();
    let mut buffer = writer(color);
    let sources = super::mask::MaskedSources::of(scan);
    for error in &scan.errors {
        match error.span {
            Some(span) if error.show_source => {
                let frames = Frames::new(&scan.sources, &sources, &[span]);
                let diagnostic = Diagnostic::error()
                    .with_message(format!("could not read {}", escape_controls(&error.path)))
                    .with_labels(vec![frames.label(true, span, &error.message)]);
                term::emit_to_write_style(&mut buffer, &config, &frames, &diagnostic)
                    .map_err(io::Error::other)?;
            }
            _ => write_plain_error(&mut buffer, scan, error)?,
        }
    }
    out.write_all(buffer.as_slice())
}

fn write_plain_error(
    buffer: &mut termcolor::Buffer,
    scan: &Scan,
    error: &InputError,
) -> io::Result<()> {
    use termcolor::WriteColor;
    buffer.set_color(
        termcolor::ColorSpec::new()
            .set_fg(Some(termcolor::Color::Red))
            .set_bold(true),
    )?;
    write!(buffer, "error")?;
    buffer.reset()?;
    let position = error.span.map(|s| scan.sources.start(s));
    match position {
        Some(p) => writeln!(
            buffer,
            ": {}:{}:{}: {}",
            escape_controls(&error.path),
            p.line,
            p.column,
            escape_controls(&error.message)
        ),
        None => writeln!(
            buffer,
            ": {}: {}",
            escape_controls(&error.path),
            escape_controls(&error.message)
        ),
    }
}
