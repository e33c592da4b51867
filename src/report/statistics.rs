//! `--statistics`: how many findings each rule has, most first, in place of the findings.

use std::collections::HashMap;
use std::io;

use codespan_reporting::term::termcolor::{Color, ColorSpec, WriteColor};

use crate::findings::Scan;
use crate::rules::{Level, RuleMeta};

/// The rules with findings, each with its count and level, most findings first (then by id).
fn counted(scan: &Scan) -> Vec<(&'static RuleMeta, Level, usize)> {
    let mut by_rule: HashMap<&'static str, (&'static RuleMeta, Level, usize)> = HashMap::new();
    for finding in &scan.findings {
        let entry = by_rule
            .entry(finding.rule.id)
            .or_insert((finding.rule, finding.level, 0));
        entry.1 = entry.1.max(finding.level);
        entry.2 += 1;
    }
    let mut rows: Vec<_> = by_rule.into_values().collect();
    rows.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.id.cmp(b.0.id)));
    rows
}

/// One line per rule with findings: `count  id  slug  level`, columns aligned.
pub fn table(scan: &Scan, out: &mut dyn WriteColor) -> io::Result<()> {
    let rows = counted(scan);
    let count_width = rows
        .iter()
        .map(|r| r.2.to_string().len())
        .max()
        .unwrap_or(1);
    let slug_width = rows.iter().map(|r| r.0.slug.len()).max().unwrap_or(0);
    for (rule, level, count) in rows {
        write!(out, "{count:>count_width$}  ")?;
        out.set_color(
            ColorSpec::new()
                .set_fg(Some(color_of(level)))
                .set_bold(true),
        )?;
        write!(out, "{}", rule.id)?;
        out.reset()?;
        writeln!(out, "  {:<slug_width$}  {level}", rule.slug)?;
    }
    Ok(())
}

fn color_of(level: Level) -> Color {
    match level {
        Level::Error => Color::Red,
        Level::Warning => Color::Yellow,
        Level::Note => Color::Cyan,
    }
}
