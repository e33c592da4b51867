//! SARIF 2.1.0, as code scanning services read it: repo-relative URIs under `%SRCROOT%`,
//! every selected rule described once, failing results with stable partial fingerprints.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde_json::json;
use serde_sarif::sarif::{
    ArtifactLocation, Invocation, Location, Message, Notification, PhysicalLocation, PropertyBag,
    Region, ReportingDescriptor, Result as SarifResult, Run, RunAutomationDetails, Sarif, Tool,
    ToolComponent, VersionControlDetails,
};

use crate::findings::{InputError, Scan};
use crate::rules::{Finding, Level, RuleMeta};
use crate::source::{SourceFile, Span};
use crate::suppress::Suppressed;

use super::json_text;
use super::repository::{self, Repository};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const SRCROOT: &str = "%SRCROOT%";
const FINGERPRINT_KEY: &str = "acrLintFinding/v1";
/// The analysis category code scanning files results under (`automationDetails.id`), unless
/// [`CATEGORY_VARIABLE`] names another.
const AUTOMATION_ID: &str = "acr-lint/";
/// The environment variable that sets the category, to tell several runs on one commit apart.
const CATEGORY_VARIABLE: &str = "ACR_LINT_SARIF_CATEGORY";

/// A scan with what SARIF adds to it: the checkout its locations are relative to and each
/// file's artifact location, computed once.
struct Report<'a> {
    scan: &'a Scan,
    root: PathBuf,
    working_directory: PathBuf,
    repository: Option<Repository>,
    /// The artifact location of each file a result points into, as JSON text written into every
    /// result that points there (`None` for the other files, worked out when asked for).
    artifacts_json: Vec<Option<Vec<u8>>>,
}

impl<'a> Report<'a> {
    /// Locations are relative to the git top-level of the scanned files, else to the working
    /// directory, whatever form the paths were given in.
    fn new(scan: &'a Scan) -> Report<'a> {
        let first = scan.sources.get(0).map(|file| file.path.as_path());
        let repository = repository::locate(first.unwrap_or(Path::new(".")));
        let root = match &repository {
            Some(found) => found.root.clone(),
            None => repository::absolute(Path::new(".")),
        };
        let working_directory = std::env::current_dir().unwrap_or_default();
        let pointed_at = files_results_point_into(scan);
        let files: Vec<&SourceFile> = scan.sources.iter().collect();
        let artifacts_json = files
            .into_par_iter()
            .zip(pointed_at)
            .map(|(file, pointed_at)| {
                let location = pointed_at.then(|| artifact(&root, &working_directory, &file.path));
                location.map(|location| serde_json::to_vec(&location).unwrap_or_default())
            })
            .collect();
        Report {
            scan,
            root,
            working_directory,
            repository,
            artifacts_json,
        }
    }

    fn artifact_of(&self, span: Span) -> ArtifactLocation {
        let path = match self.scan.sources.get(span.file) {
            Some(file) => file.path.as_path(),
            None => Path::new(self.scan.sources.name(span.file)),
        };
        artifact(&self.root, &self.working_directory, path)
    }

    fn push_artifact_json(&self, out: &mut Vec<u8>, span: Span) {
        match self.artifacts_json.get(span.file) {
            Some(Some(json)) => out.extend_from_slice(json),
            _ => out.extend_from_slice(
                &serde_json::to_vec(&self.artifact_of(span)).unwrap_or_default(),
            ),
        }
    }
}

/// Which files the results (findings, suppressed or not) point into, by file id.
fn files_results_point_into(scan: &Scan) -> Vec<bool> {
    let mut pointed_at = vec![false; scan.sources.len()];
    let findings = scan
        .findings
        .iter()
        .chain(scan.suppressed.iter().map(|s| &s.finding));
    for finding in findings {
        let spans = std::iter::once(finding.primary.span)
            .chain(finding.secondary.iter().map(|label| label.span));
        for span in spans {
            if let Some(flag) = pointed_at.get_mut(span.file) {
                *flag = true;
            }
        }
    }
    pointed_at
}

/// Appends one result as JSON, with its suppression when it is suppressed, written as `serde_json`
/// writes the `serde_sarif` result (members in name order, absent ones left out).
fn push_result(
    report: &Report<'_>,
    finding: &Finding,
    suppressed: Option<&Suppressed>,
    out: &mut Vec<u8>,
) {
    out.extend_from_slice(b"{\"level\":\"");
    out.extend_from_slice(level(finding.level).as_bytes());
    out.extend_from_slice(b"\",\"locations\":[{");
    push_physical(report, out, finding.primary.span);
    out.extend_from_slice(b"}],\"message\":{\"text\":");
    push_message_text(out, finding);
    out.extend_from_slice(b"},\"partialFingerprints\":{\"");
    out.extend_from_slice(FINGERPRINT_KEY.as_bytes());
    out.extend_from_slice(b"\":");
    json_text::push_hex16(out, fingerprint_hash(report.scan, finding));
    out.extend_from_slice(b"},\"relatedLocations\":[");
    for (i, label) in finding.secondary.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(b"{\"id\":");
        json_text::push_uint(out, i);
        out.extend_from_slice(b",\"message\":{\"text\":");
        json_text::push_str(out, &label.message);
        out.extend_from_slice(b"},");
        push_physical(report, out, label.span);
        out.push(b'}');
    }
    out.extend_from_slice(b"],\"ruleId\":");
    json_text::push_str(out, finding.rule.id);
    out.extend_from_slice(b",\"ruleIndex\":");
    json_text::push_uint(out, rule_index(report.scan, finding));
    if let Some(suppressed) = suppressed {
        push_suppression(out, suppressed);
    }
    out.push(b'}');
}

/// `"physicalLocation":{...}` of a span: its file's artifact location and its region.
fn push_physical(report: &Report<'_>, out: &mut Vec<u8>, span: Span) {
    let start = report.scan.sources.start(span);
    let end = report.scan.sources.end(span);
    out.extend_from_slice(b"\"physicalLocation\":{\"artifactLocation\":");
    report.push_artifact_json(out, span);
    out.extend_from_slice(b",\"region\":{\"endColumn\":");
    json_text::push_uint(out, end.column);
    out.extend_from_slice(b",\"endLine\":");
    json_text::push_uint(out, end.line);
    out.extend_from_slice(b",\"startColumn\":");
    json_text::push_uint(out, start.column);
    out.extend_from_slice(b",\"startLine\":");
    json_text::push_uint(out, start.line);
    out.extend_from_slice(b"}}");
}

/// `,"suppressions":[...]`: in the source, or external (configuration file, baseline).
fn push_suppression(out: &mut Vec<u8>, suppressed: &Suppressed) {
    let kind = if suppressed.origin == "inline" {
        "inSource"
    } else {
        "external"
    };
    out.extend_from_slice(b",\"suppressions\":[{\"justification\":");
    json_text::push_str(out, &suppressed.reason);
    out.extend_from_slice(b",\"kind\":\"");
    out.extend_from_slice(kind.as_bytes());
    out.extend_from_slice(b"\",\"status\":\"accepted\"}]");
}

/// The index of the finding's rule in the run's rule list (the first when it is not listed).
fn rule_index(scan: &Scan, finding: &Finding) -> usize {
    scan.rules
        .iter()
        .position(|r| r.id == finding.rule.id)
        .unwrap_or(0)
}

/// Writes the document with its results streamed in chunks, each serialized in parallel, so a
/// large scan never holds the whole report in memory nor waits on one core.
pub fn render(scan: &Scan, out: &mut dyn Write) -> io::Result<()> {
    let report = Report::new(scan);
    let shell = serde_json::to_string(&document_with(&report, Vec::new(), Vec::new()))?;
    let spliced = shell.split_once(EMPTY_RESULTS).and_then(|(head, rest)| {
        let (between, tail) = rest.split_once(EMPTY_RULES)?;
        Some((head, between, tail))
    });
    let Some((head, between, tail)) = spliced else {
        out.write_all(shell.as_bytes())?;
        return writeln!(out);
    };
    out.write_all(head.as_bytes())?;
    out.write_all(b"\"results\":[")?;
    let findings = scan.findings.iter().map(|finding| (&**finding, None));
    let suppressed = scan
        .suppressed
        .iter()
        .map(|suppressed| (&*suppressed.finding, Some(suppressed)));
    let all: Vec<(&Finding, Option<&Suppressed>)> = findings.chain(suppressed).collect();
    super::write_json_items(out, &all, |(finding, suppressed), bytes| {
        push_result(&report, finding, *suppressed, bytes);
        Ok(())
    })?;
    out.write_all(b"]")?;
    out.write_all(between.as_bytes())?;
    out.write_all(&rules_json(&scan.rules))?;
    out.write_all(tail.as_bytes())?;
    writeln!(out)
}

/// `"rules":[...]`: each rule's descriptor, written as `serde_json` writes the `serde_sarif`
/// descriptor (members in name order), without building it: the rule pages are most of a small
/// report.
fn rules_json(rules: &[&RuleMeta]) -> Vec<u8> {
    let page_bytes: usize = rules.iter().map(|rule| rule.page.len() + 1024).sum();
    let mut out = Vec::with_capacity(page_bytes);
    out.extend_from_slice(b"\"rules\":");
    json_text::push_list(&mut out, rules, |out, rule| push_descriptor(out, rule));
    out
}

fn push_descriptor(out: &mut Vec<u8>, rule: &RuleMeta) {
    let docs_url = rule.docs_url();
    out.extend_from_slice(b"{\"defaultConfiguration\":{\"enabled\":");
    out.extend_from_slice(if rule.enabled_by_default {
        b"true"
    } else {
        b"false"
    });
    out.extend_from_slice(b",\"level\":\"");
    out.extend_from_slice(level(rule.level).as_bytes());
    out.extend_from_slice(b"\"},\"fullDescription\":{\"text\":");
    json_text::push_str(out, rule.title);
    out.extend_from_slice(b"},\"help\":{\"markdown\":\"");
    match pages::page_json(rule.id) {
        Some((length, escaped)) if length == rule.page.len() => {
            out.extend_from_slice(escaped.as_bytes());
        }
        _ => json_text::push_escaped(out, rule.page),
    }
    out.push(b'"');
    out.extend_from_slice(b",\"text\":\"");
    json_text::push_escaped(out, rule.title);
    json_text::push_escaped(out, ": ");
    json_text::push_escaped(out, &docs_url);
    out.extend_from_slice(b"\"},\"helpUri\":");
    json_text::push_str(out, &docs_url);
    out.extend_from_slice(b",\"id\":");
    json_text::push_str(out, rule.id);
    out.extend_from_slice(b",\"name\":");
    json_text::push_str(out, &pascal_case(rule.slug));
    out.extend_from_slice(b",\"properties\":{\"tags\":");
    json_text::push_list(out, rule.tags, |out, tag| json_text::push_str(out, tag));
    out.extend_from_slice(b",\"aliases\":");
    json_text::push_list(out, rule.aliases, |out, alias| {
        json_text::push_str(out, alias)
    });
    out.extend_from_slice(b",\"precision\":\"very-high\",\"security-severity\":");
    json_text::push_str(out, rule.security_severity);
    out.extend_from_slice(b"},\"shortDescription\":{\"text\":");
    json_text::push_str(out, rule.title);
    out.extend_from_slice(b"}}");
}

/// The rule pages escaped when the tool was built.
mod pages {
    include!(concat!(env!("OUT_DIR"), "/rule_pages.rs"));
}

/// How an empty rule list serialises; a JSON string can never contain it unescaped.
const EMPTY_RULES: &str = "\"rules\":[]";

/// How an empty result list serialises; a JSON string can never contain it unescaped.
const EMPTY_RESULTS: &str = "\"results\":[]";

/// The SARIF document of `report` with `results` and the rule `descriptors` given.
fn document_with(
    report: &Report<'_>,
    results: Vec<SarifResult>,
    descriptors: Vec<ReportingDescriptor>,
) -> Sarif {
    let scan = report.scan;
    let notifications = scan
        .errors
        .iter()
        .map(|e| notification(report, e))
        .collect::<Vec<_>>();
    let invocation = Invocation::builder()
        .execution_successful(scan.errors.is_empty())
        .tool_execution_notifications(notifications)
        .build();
    let driver = ToolComponent::builder()
        .name("acr-lint")
        .full_name(format!("acr-lint {}", crate::rules::VERSION))
        .version(crate::rules::VERSION)
        .semantic_version(crate::rules::VERSION)
        .information_uri(crate::rules::REPOSITORY)
        .rules(descriptors)
        .build();
    let run = Run::builder()
        .tool(Tool::builder().driver(driver).build())
        .results(results)
        .invocations(vec![invocation])
        .column_kind(json!("unicodeCodePoints"))
        .automation_details(automation_details(&|name| std::env::var(name).ok()))
        .original_uri_base_ids(base_ids(&report.root))
        .version_control_provenance(provenance(report.repository.as_ref()))
        .build();
    Sarif::builder()
        .schema(SCHEMA)
        .version(json!("2.1.0"))
        .runs(vec![run])
        .build()
}

/// The run's category: `acr-lint/`, or in an Azure Pipelines build the build's identity, which
/// Advanced Security for Azure DevOps requires to file the results.
fn automation_details(env: &dyn Fn(&str) -> Option<String>) -> RunAutomationDetails {
    let plain = || {
        let id = match env(CATEGORY_VARIABLE).filter(|category| !category.trim().is_empty()) {
            Some(category) if category.ends_with('/') => category,
            Some(category) => format!("{category}/"),
            None => AUTOMATION_ID.to_string(),
        };
        RunAutomationDetails::builder().id(id).build()
    };
    if env("TF_BUILD").is_none_or(|value| !value.eq_ignore_ascii_case("true")) {
        return plain();
    }
    let value = |name: &str| env(name).unwrap_or_default();
    let collection = value("SYSTEM_COLLECTIONURI");
    let organization = collection
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .to_string();
    let fields = [
        ("buildDefinitionId", value("SYSTEM_DEFINITIONID")),
        ("buildDefinitionName", value("BUILD_DEFINITIONNAME")),
        ("phaseId", value("SYSTEM_PHASEID")),
        ("phaseName", value("SYSTEM_PHASENAME")),
        ("projectName", value("SYSTEM_TEAMPROJECT")),
        ("projectId", value("SYSTEM_TEAMPROJECTID")),
        ("organization", organization.clone()),
        ("buildId", value("BUILD_BUILDID")),
        ("sourceBranch", value("BUILD_SOURCEBRANCH")),
    ];
    let id = format!(
        "azuredevops/pipeline/build/{organization}/{}/{}/{}/{}/{}",
        value("SYSTEM_TEAMPROJECT"),
        value("SYSTEM_DEFINITIONID"),
        value("SYSTEM_PHASEID"),
        value("BUILD_SOURCEBRANCH"),
        value("BUILD_BUILDID"),
    );
    let properties = fields
        .into_iter()
        .map(|(key, value)| (format!("azuredevops/pipeline/build/{key}"), json!(value)))
        .collect::<BTreeMap<_, _>>();
    RunAutomationDetails::builder()
        .id(id)
        .properties(
            PropertyBag::builder()
                .additional_properties(properties)
                .build(),
        )
        .build()
}

/// Where `%SRCROOT%` was on this machine, for viewers that open the files.
fn base_ids(root: &Path) -> BTreeMap<String, ArtifactLocation> {
    let mut uri = format!(
        "file://{}",
        encode_uri(&root.to_string_lossy().replace('\\', "/"))
    );
    if !uri.ends_with('/') {
        uri.push('/');
    }
    let mut ids = BTreeMap::new();
    ids.insert(
        SRCROOT.to_string(),
        ArtifactLocation::builder().uri(uri).build(),
    );
    ids
}

/// The commit and remote of the checkout, when the scan ran in one.
fn provenance(repository: Option<&Repository>) -> Vec<VersionControlDetails> {
    let Some(repository) = repository else {
        return Vec::new();
    };
    let Some(uri) = repository.uri.clone() else {
        return Vec::new();
    };
    let mut details = VersionControlDetails::builder()
        .repository_uri(uri)
        .mapped_to(ArtifactLocation::builder().uri_base_id(SRCROOT).build())
        .build();
    details.revision_id = repository.revision.clone();
    details.branch = repository.branch.clone();
    vec![details]
}

/// SARIF names rules in PascalCase: `admin-user-enabled` is `AdminUserEnabled`.
fn pascal_case(slug: &str) -> String {
    slug.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(|word| {
            let mut chars = word.chars();
            chars.next().map_or_else(String::new, |first| {
                first.to_ascii_uppercase().to_string() + chars.as_str()
            })
        })
        .collect()
}

/// A rule's descriptor as `serde_sarif` builds it: what [`push_descriptor`] must write.
#[cfg(test)]
fn descriptor(rule: &RuleMeta) -> ReportingDescriptor {
    use serde_sarif::sarif::{MultiformatMessageString, ReportingConfiguration};
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
        .name(pascal_case(rule.slug))
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

#[cfg(test)]
fn text(text: &str) -> serde_sarif::sarif::MultiformatMessageString {
    serde_sarif::sarif::MultiformatMessageString::builder()
        .text(text)
        .build()
}

fn level(level: Level) -> &'static str {
    match level {
        Level::Error => "error",
        Level::Warning => "warning",
        Level::Note => "note",
    }
}

/// A result as `serde_sarif` builds it: what [`push_result`] must write.
#[cfg(test)]
fn result(report: &Report<'_>, finding: &Finding) -> SarifResult {
    use serde_sarif::sarif::ResultLevel;
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
                .physical_location(physical(report, label.span))
                .message(Message::builder().text(&*label.message).build())
                .build()
        })
        .collect::<Vec<_>>();
    let message = message_text(finding);
    let mut fingerprints = BTreeMap::new();
    fingerprints.insert(
        FINGERPRINT_KEY.to_string(),
        fingerprint(report.scan, finding),
    );
    let builder = SarifResult::builder()
        .rule_id(finding.rule.id)
        .level(result_level)
        .message(Message::builder().text(message).build())
        .locations(vec![
            Location::builder()
                .physical_location(physical(report, finding.primary.span))
                .build(),
        ])
        .partial_fingerprints(fingerprints);
    builder
        .rule_index(rule_index(report.scan, finding) as i64)
        .related_locations(related)
        .build()
}

/// The finding's message, its notes and its help as one JSON string, each note and the help on
/// a line of its own, written without building the string.
fn push_message_text(out: &mut Vec<u8>, finding: &Finding) {
    out.push(b'"');
    json_text::push_escaped(out, &finding.message);
    for note in &finding.notes {
        json_text::push_escaped(out, "\nnote: ");
        json_text::push_escaped(out, note);
    }
    json_text::push_escaped(out, "\nhelp: ");
    json_text::push_escaped(out, finding.help);
    out.push(b'"');
}

/// What [`push_message_text`] writes, as a string.
#[cfg(test)]
fn message_text(finding: &Finding) -> String {
    use std::fmt::Write as _;
    let notes: usize = finding.notes.iter().map(|note| note.len() + 7).sum();
    let mut message = String::with_capacity(finding.message.len() + notes + finding.help.len() + 7);
    message.push_str(&finding.message);
    for note in &finding.notes {
        let _ = write!(message, "\nnote: {note}");
    }
    let _ = write!(message, "\nhelp: {}", finding.help);
    message
}

fn physical(report: &Report<'_>, span: Span) -> PhysicalLocation {
    let start = report.scan.sources.start(span);
    let end = report.scan.sources.end(span);
    PhysicalLocation::builder()
        .artifact_location(report.artifact_of(span))
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

/// A file below `root` relative to `%SRCROOT%`; any other by its absolute `file://` URI.
fn artifact(root: &Path, working_directory: &Path, path: &Path) -> ArtifactLocation {
    let absolute = repository::absolute_from(working_directory, path);
    match absolute.strip_prefix(root) {
        Ok(relative) => ArtifactLocation::builder()
            .uri(encode_uri(&relative.to_string_lossy().replace('\\', "/")))
            .uri_base_id(SRCROOT)
            .build(),
        Err(_) => {
            let text = absolute.to_string_lossy().replace('\\', "/");
            let slash = if text.starts_with('/') { "" } else { "/" };
            ArtifactLocation::builder()
                .uri(format!("file://{slash}{}", encode_uri(&text)))
                .build()
        }
    }
}

/// Percent-encodes what may not stand in a URI path.
pub(super) fn encode_uri(path: &str) -> String {
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
    format!("{:016x}", fingerprint_hash(scan, finding))
}

fn fingerprint_hash(scan: &Scan, finding: &Finding) -> u64 {
    let mut hash = Fnv1a::default();
    // The key's parts, separated by NUL bytes, hashed without building the key.
    let parts = [
        finding.rule.id,
        scan.sources.name(finding.primary.span.file),
        &finding.resource,
        &finding.property,
    ];
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            hash.update(b"\0");
        }
        hash.update(part.as_bytes());
    }
    hash.0
}

pub(crate) fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash = Fnv1a::default();
    hash.update(bytes);
    hash.0
}

/// The 64-bit FNV-1a hash of everything written to it.
struct Fnv1a(u64);

impl Default for Fnv1a {
    fn default() -> Self {
        Self(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv1a {
    fn update(&mut self, bytes: &[u8]) {
        self.0 = bytes.iter().fold(self.0, |hash, &b| {
            (hash ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
        });
    }
}

fn notification(report: &Report<'_>, error: &InputError) -> Notification {
    let location = match error.span {
        Some(span) => Location::builder()
            .physical_location(physical(report, span))
            .build(),
        None => Location::builder()
            .physical_location(
                PhysicalLocation::builder()
                    .artifact_location(artifact(
                        &report.root,
                        &report.working_directory,
                        Path::new(&error.path),
                    ))
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
    fn automation_id_names_the_azure_pipelines_build() {
        let outside = automation_details(&|_| None);
        assert_eq!(outside.id.as_deref(), Some(AUTOMATION_ID));
        let named = automation_details(&|name: &str| {
            (name == CATEGORY_VARIABLE).then(|| "acr-lint/prod".to_string())
        });
        assert_eq!(named.id.as_deref(), Some("acr-lint/prod/"));
        let build = |name: &str| {
            let value = match name {
                "TF_BUILD" => "True",
                "SYSTEM_COLLECTIONURI" => "https://dev.azure.com/contoso/",
                "SYSTEM_TEAMPROJECT" => "infra",
                "SYSTEM_DEFINITIONID" => "12",
                "SYSTEM_PHASEID" => "a1",
                "BUILD_SOURCEBRANCH" => "refs/heads/main",
                "BUILD_BUILDID" => "345",
                _ => return None,
            };
            Some(value.to_string())
        };
        let inside = automation_details(&build);
        assert_eq!(
            inside.id.as_deref(),
            Some("azuredevops/pipeline/build/contoso/infra/12/a1/refs/heads/main/345")
        );
        let properties = inside.properties.unwrap().additional_properties;
        assert_eq!(
            properties["azuredevops/pipeline/build/buildDefinitionId"],
            json!("12")
        );
    }

    #[test]
    fn rule_names_are_pascal_case() {
        assert_eq!(pascal_case("admin-user-enabled"), "AdminUserEnabled");
        assert_eq!(pascal_case("cmk-no-identity"), "CmkNoIdentity");
    }

    #[test]
    fn files_outside_the_root_keep_absolute_uris() {
        let root = Path::new("/repo");
        let inside = artifact(root, root, Path::new("/repo/infra/a b.tf"));
        assert_eq!(inside.uri.as_deref(), Some("infra/a%20b.tf"));
        assert_eq!(inside.uri_base_id.as_deref(), Some(SRCROOT));
        let outside = artifact(root, root, Path::new("/elsewhere/x.tf"));
        assert_eq!(outside.uri.as_deref(), Some("file:///elsewhere/x.tf"));
        assert_eq!(outside.uri_base_id, None);
    }

    /// Every result of the testdata (all rules, suppressed ones included) is written byte for
    /// byte as `serde_json` writes the `serde_sarif` result, with its suppression added.
    #[test]
    fn results_are_written_as_serde_writes_them() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata");
        let mut options = crate::ScanOptions::new(vec![root]);
        options.rules = crate::rules::all().to_vec();
        let scan = crate::scan(&options);
        assert!(scan.findings.len() > 500 && !scan.suppressed.is_empty());
        let report = Report::new(&scan);
        let all = scan.findings.iter().map(|finding| (finding, None)).chain(
            scan.suppressed
                .iter()
                .map(|suppressed| (&suppressed.finding, Some(suppressed))),
        );
        for (finding, suppressed) in all {
            let mut expected = serde_json::to_value(result(&report, finding)).unwrap();
            if let Some(suppressed) = suppressed {
                let kind = if suppressed.origin == "inline" {
                    "inSource"
                } else {
                    "external"
                };
                expected.as_object_mut().unwrap().insert(
                    "suppressions".into(),
                    json!([{"kind": kind, "status": "accepted", "justification": suppressed.reason}]),
                );
            }
            let mut written = Vec::new();
            push_result(&report, finding, suppressed, &mut written);
            assert_eq!(
                String::from_utf8(written).unwrap(),
                serde_json::to_string(&expected).unwrap()
            );
        }
    }

    #[test]
    fn rule_descriptors_are_written_as_serde_sarif_serializes_them() {
        let rules: Vec<&RuleMeta> = crate::rules::all()
            .iter()
            .map(|rule| rule.meta())
            .chain(crate::rules::tool::ALL.iter().copied())
            .collect();
        assert!(rules.iter().any(|rule| !rule.enabled_by_default));
        let escaped_when_built = |rule: &&RuleMeta| {
            pages::page_json(rule.id).is_some_and(|(length, _)| length == rule.page.len())
        };
        assert!(rules.iter().all(escaped_when_built));
        let descriptors: Vec<ReportingDescriptor> = rules.iter().map(|r| descriptor(r)).collect();
        let mut expected = String::from("\"rules\":");
        expected.push_str(&serde_json::to_string(&descriptors).unwrap());
        assert_eq!(String::from_utf8(rules_json(&rules)).unwrap(), expected);
    }

    #[test]
    fn fnv_is_the_published_function() {
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
    }
}
