//! SARIF 2.1.0, as code scanning services read it: repo-relative URIs under `%SRCROOT%`,
//! every selected rule described once, failing results with stable partial fingerprints.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde_json::json;
use serde_sarif::sarif::{
    ArtifactLocation, Invocation, Location, Message, MultiformatMessageString, Notification,
    PhysicalLocation, PropertyBag, Region, ReportingConfiguration, ReportingDescriptor,
    Result as SarifResult, ResultLevel, Run, Sarif, Tool, ToolComponent,
};

use crate::findings::{InputError, Scan};
use crate::rules::{Finding, Level, RuleMeta};
use crate::source::Span;
use crate::suppress::Suppressed;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const SRCROOT: &str = "%SRCROOT%";
const FINGERPRINT_KEY: &str = "acrLintFinding/v1";

/// One result as JSON, with its suppression when it is suppressed.
fn serialized_result(
    scan: &Scan,
    finding: &Finding,
    suppressed: Option<&Suppressed>,
) -> io::Result<Vec<u8>> {
    let result = result(scan, &scan.rules, finding);
    let Some(suppressed) = suppressed else {
        return Ok(serde_json::to_vec(&result)?);
    };
    let mut value = serde_json::to_value(result)?;
    if let Some(members) = value.as_object_mut() {
        let kind = if suppressed.origin == "inline" {
            "inSource"
        } else {
            "external"
        };
        members.insert(
            "suppressions".into(),
            json!([{"kind": kind, "status": "accepted", "justification": suppressed.reason}]),
        );
    }
    Ok(serde_json::to_vec(&value)?)
}

/// Writes the document with its results streamed in chunks, each serialized in parallel, so a
/// large scan never holds the whole report in memory nor waits on one core.
pub fn render(scan: &Scan, out: &mut dyn Write) -> io::Result<()> {
    let shell = serde_json::to_string(&document_with(scan, Vec::new()))?;
    let Some((head, tail)) = shell.split_once(EMPTY_RESULTS) else {
        out.write_all(shell.as_bytes())?;
        return writeln!(out);
    };
    out.write_all(head.as_bytes())?;
    out.write_all(b"\"results\":[")?;
    let findings = scan.findings.iter().map(|finding| (finding, None));
    let suppressed = scan
        .suppressed
        .iter()
        .map(|suppressed| (&suppressed.finding, Some(suppressed)));
    let all: Vec<(&Finding, Option<&Suppressed>)> = findings.chain(suppressed).collect();
    super::write_json_items(out, &all, |(finding, suppressed)| {
        serialized_result(scan, finding, *suppressed)
    })?;
    out.write_all(b"]")?;
    out.write_all(tail.as_bytes())?;
    writeln!(out)
}

/// How an empty result list serialises; a JSON string can never contain it unescaped.
const EMPTY_RESULTS: &str = "\"results\":[]";

fn document_with(scan: &Scan, results: Vec<SarifResult>) -> Sarif {
    let rules = &scan.rules;
    let notifications = scan
        .errors
        .iter()
        .map(|e| notification(scan, e))
        .collect::<Vec<_>>();
    let invocation = Invocation::builder()
        .execution_successful(scan.errors.is_empty())
        .tool_execution_notifications(notifications)
        .build();
    let driver = ToolComponent::builder()
        .name("acr-lint")
        .version(crate::rules::VERSION)
        .semantic_version(crate::rules::VERSION)
        .information_uri(crate::rules::REPOSITORY)
        .rules(rules.iter().map(|r| descriptor(r)).collect::<Vec<_>>())
        .build();
    let run = Run::builder()
        .tool(Tool::builder().driver(driver).build())
        .results(results)
        .invocations(vec![invocation])
        .column_kind(json!("unicodeCodePoints"))
        .build();
    Sarif::builder()
        .schema(SCHEMA)
        .version(json!("2.1.0"))
        .runs(vec![run])
        .build()
}

fn descriptor(rule: &RuleMeta) -> ReportingDescriptor {
    let mut properties = BTreeMap::new();
    properties.insert(
        "security-severity".to_string(),
        json!(rule.security_severity),
    );
    properties.insert("precision".to_string(), json!("very-high"));
    properties.insert("aliases".to_string(), json!(rule.aliases));
    let tags = rule.tags.iter().map(|t| t.to_string()).collect::<Vec<_>>();
    ReportingDescriptor::builder()
        .id(rule.id)
        .name(rule.slug)
        .short_description(text(rule.title))
        .full_description(text(rule.title))
        .help_uri(rule.docs_url())
        .help(
            MultiformatMessageString::builder()
                .text(format!("{}: {}", rule.title, rule.docs_url()))
                .markdown(rule.page)
                .build(),
        )
        .default_configuration(
            ReportingConfiguration::builder()
                .level(json!(level(rule.level)))
                .enabled(rule.enabled_by_default)
                .build(),
        )
        .properties(
            PropertyBag::builder()
                .tags(tags)
                .additional_properties(properties)
                .build(),
        )
        .build()
}

fn text(text: &str) -> MultiformatMessageString {
    MultiformatMessageString::builder().text(text).build()
}

fn level(level: Level) -> &'static str {
    match level {
        Level::Error => "error",
        Level::Warning => "warning",
        Level::Note => "note",
    }
}

fn result(scan: &Scan, rules: &[&'static RuleMeta], finding: &Finding) -> SarifResult {
    let result_level = match finding.level {
        Level::Error => ResultLevel::Error,
        Level::Warning => ResultLevel::Warning,
        Level::Note => ResultLevel::Note,
    };
    let related = finding
        .secondary
        .iter()
        .enumerate()
        .map(|(i, label)| {
            Location::builder()
                .id(i as i64)
                .physical_location(physical(scan, label.span))
                .message(Message::builder().text(&label.message).build())
                .build()
        })
        .collect::<Vec<_>>();
    let mut message = finding.message.clone();
    for note in &finding.notes {
        message.push_str(&format!("\nnote: {note}"));
    }
    message.push_str(&format!("\nhelp: {}", finding.help));
    let mut fingerprints = BTreeMap::new();
    fingerprints.insert(FINGERPRINT_KEY.to_string(), fingerprint(scan, finding));
    let builder = SarifResult::builder()
        .rule_id(finding.rule.id)
        .level(result_level)
        .message(Message::builder().text(message).build())
        .locations(vec![
            Location::builder()
                .physical_location(physical(scan, finding.primary.span))
                .build(),
        ])
        .partial_fingerprints(fingerprints);
    let index = rules
        .iter()
        .position(|r| r.id == finding.rule.id)
        .unwrap_or(0);
    builder
        .rule_index(index as i64)
        .related_locations(related)
        .build()
}

fn physical(scan: &Scan, span: Span) -> PhysicalLocation {
    let start = scan.sources.start(span);
    let end = scan.sources.end(span);
    PhysicalLocation::builder()
        .artifact_location(artifact(scan.sources.name(span.file)))
        .region(
            Region::builder()
                .start_line(start.line as i64)
                .start_column(start.column as i64)
                .end_line(end.line as i64)
                .end_column(end.column as i64)
                .build(),
        )
        .build()
}

fn artifact(name: &str) -> ArtifactLocation {
    if name.starts_with('/') {
        return ArtifactLocation::builder()
            .uri(format!("file://{}", encode_uri(name)))
            .build();
    }
    ArtifactLocation::builder()
        .uri(encode_uri(name))
        .uri_base_id(SRCROOT)
        .build()
}

/// Percent-encodes what may not stand in a URI path.
fn encode_uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// A fingerprint that survives moving code: rule, file, resource and property, no lines.
pub(crate) fn fingerprint(scan: &Scan, finding: &Finding) -> String {
    let key = format!(
        "{}\u{0}{}\u{0}{}\u{0}{}",
        finding.rule.id,
        scan.sources.name(finding.primary.span.file),
        finding.resource,
        finding.property
    );
    format!("{:016x}", fnv1a(key.as_bytes()))
}

pub(crate) fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

fn notification(scan: &Scan, error: &InputError) -> Notification {
    let location = match error.span {
        Some(span) => Location::builder()
            .physical_location(physical(scan, span))
            .build(),
        None => Location::builder()
            .physical_location(
                PhysicalLocation::builder()
                    .artifact_location(artifact(&error.path))
                    .build(),
            )
            .build(),
    };
    Notification::builder()
        .level(json!("error"))
        .message(Message::builder().text(&error.message).build())
        .locations(vec![location])
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_percent_encoded() {
        assert_eq!(encode_uri("a dir/ü.tf"), "a%20dir/%C3%BC.tf");
    }

    #[test]
    fn fnv_is_the_published_function() {
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
    }
}
