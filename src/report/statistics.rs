//! `--statistics`: how many findings each rule has, most first, in place of the findings.

use std::collections::HashMap;
use std::io;

use codespan_reporting::term::termcolor::{Color, ColorSpec, WriteColor};

use crate::findings::Scan;
use crate::rules::{Level, RuleMeta};

/// A rule with findings: how many, and the highest level among them.
struct Row {
    rule: &'static RuleMeta,
    level: Level,
    count: usize,
}

/// The rules with findings, most findings first (then by id).
fn counted(scan: &Scan) -> Vec<Row> {
    let mut by_rule: HashMap<&'static str, Row> = HashMap::new();
    for finding in &scan.findings {
        let row = by_rule.entry(finding.rule.id).or_insert(Row {
            rule: finding.rule,
            level: finding.level,
            count: 0,
        });
        row.level = row.level.max(finding.level);
        row.count += 1;
    }
    let mut rows: Vec<Row> = by_rule.into_values().collect();
    rows.sort_by(|a, b| b.count.cmp(&a.count).then(a.rule.id.cmp(b.rule.id)));
    rows
}

/// One line per rule with findings: `count  id  slug  level`, columns aligned.
pub fn table(scan: &Scan, out: &mut dyn WriteColor) -> io::Result<()> {
    let rows = counted(scan);
    let count_width = rows
        .iter()
        .map(|row| row.count.to_string().len())
        .max()
        .unwrap_or(1);
    let slug_width = rows
        .iter()
        .map(|row| row.rule.slug.len())
        .max()
        .unwrap_or(0);
    for Row { rule, level, count } in rows {
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
