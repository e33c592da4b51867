//! Suppressions as the inline directives and the configuration file write them down: what they
//! cover, for which rules and until when, and the directives that could not be read.

use crate::source::Span;

/// A calendar date, compared as (year, month, day).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl Date {
    pub fn parse(text: &str) -> Option<Date> {
        let mut parts = text.trim().split('-');
        let year = parts.next()?.parse().ok()?;
        let month = parts.next()?.parse().ok()?;
        let day = parts.next()?.parse().ok()?;
        let valid = parts.next().is_none() && (1..=12).contains(&month) && (1..=31).contains(&day);
        valid.then_some(Date { year, month, day })
    }

    /// Today in UTC.
    pub fn today() -> Date {
        let seconds = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        Date::from_days((seconds / 86_400) as i64)
    }

    /// The civil date `days` after 1970-01-01.
    fn from_days(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// What a suppression covers.
#[derive(Debug, Clone, PartialEq)]
pub enum Covers {
    /// Findings whose primary span lies inside this span.
    Span(Span),
    /// Findings on this resource of this template or module (and inside its span).
    Resource {
        unit: String,
        address: String,
        span: Span,
    },
    /// Every finding of a template or module.
    Unit(String),
    /// Findings in files matching a glob, optionally on one resource (configuration entries).
    Path {
        glob: String,
        resource: Option<String>,
    },
}

/// One suppression.
#[derive(Debug, Clone)]
pub struct Suppression {
    /// Rule ids; slugs are resolved to ids through the rule catalogue.
    pub rules: Vec<&'static str>,
    pub reason: String,
    pub until: Option<Date>,
    /// Where it is written, for diagnostics about it.
    pub directive: Span,
    pub covers: Covers,
    /// Where it was written: `inline` or the configuration file.
    pub origin: &'static str,
}

/// A directive that could not be understood, or names an unknown rule.
#[derive(Debug, Clone)]
pub struct DirectiveError {
    pub span: Span,
    pub message: String,
    pub unknown_rule: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(Date::from_days(0).to_string(), "1970-01-01");
        assert_eq!(Date::from_days(20_415).to_string(), "2025-11-23");
        assert!(Date::parse("2026-02-30").is_some());
        assert!(Date::parse("2026-13-01").is_none());
    }
}
