//! `path:line:col: level[ACRnnn] message`, one line per finding, for editors and grep.

use std::io::{self, Write};

use super::escape_controls;
use crate::findings::Scan;

pub fn render(scan: &Scan, out: &mut dyn Write) -> io::Result<()> {
    for finding in &scan.findings {
        let start = scan.sources.start(finding.primary.span);
        writeln!(
            out,
            "{}:{}:{}: {}[{}] {}",
            escape_controls(scan.sources.name(finding.primary.span.file)),
            start.line,
            start.column,
            finding.level,
            finding.rule.id,
            escape_controls(&finding.message)
        )?;
    }
    Ok(())
}

/// `--statistics`: how many findings each rule has, one line per rule.
pub fn render_statistics(scan: &Scan, out: &mut dyn Write) -> io::Result<()> {
    let mut buffer = codespan_reporting::term::termcolor::Buffer::no_color();
    super::statistics::table(scan, &mut buffer)?;
    out.write_all(buffer.as_slice())
}
