//! The differential oracle: what acr-lint derives from a `.bicep` file equals what it derives
//! from the JSON the Bicep compiler produced from it (the shared Bicep samples and the corpus):
//! the same resources of the kinds the rules know, the same known settings, and the same
//! findings by rule and resource. Every mismatch is printed.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use acr_lint::model::{Node, Resource, Value};

/// `.bicep` files below `root` with the compiled JSON to compare them with: `x.json` beside
/// `x.bicep`, or `main.symbolicnames.json` (the `languageVersion` 2.0 output) where present.
fn pairs(root: &Path, out: &mut Vec<(PathBuf, PathBuf)>) {
    let Ok(entries) = std::fs::read_dir(root) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            pairs(&path, out);
            continue;
        }
        if path.extension().is_none_or(|e| e != "bicep") {
            continue;
        }
        let symbolic = path.with_file_name("main.symbolicnames.json");
        let json = path.with_extension("json");
        let main = path.file_name().is_some_and(|n| n == "main.bicep");
        // Samples the compiler reports errors in are not compared.
        let diagnostics = path.with_file_name("main.diagnostics.bicep");
        let invalid =
            main && std::fs::read_to_string(&diagnostics).is_ok_and(|d| d.contains("(Error)"));
        if invalid {
            continue;
        }
        if main && symbolic.is_file() {
            out.push((path, symbolic));
        } else if json.is_file() {
            out.push((path, json));
        }
    }
}

fn main() -> std::process::ExitCode {
    common::run_trials(vec![
        common::trial(
            "bicep_derives_what_its_compiled_json_does",
            common::shared("bicep").and(common::shared("corpus")),
            bicep_derives_what_its_compiled_json_does,
        ),
        common::trial(
            "every_corpus_bicep_file_reads_without_error",
            common::shared("corpus"),
            every_corpus_bicep_file_reads_without_error,
        ),
    ])
}

fn all_pairs(corpus: &Path) -> Vec<(PathBuf, PathBuf)> {
    let mut found = Vec::new();
    let bicep = corpus.with_file_name("bicep");
    for root in [
        bicep.join("user_submitted"),
        bicep.join("baselines"),
        corpus.to_path_buf(),
    ] {
        pairs(&root, &mut found);
    }
    found
}

/// Every leaf of a value as `path = value` (`?` for an unknown).
fn leaves(node: &Node, path: &str, out: &mut BTreeMap<String, String>) {
    match &node.value {
        Value::Object(members) => {
            for (key, value) in members {
                let key = key.to_ascii_lowercase();
                // Deployment order and loop batching are not settings.
                if path.is_empty() && matches!(key.as_str(), "dependson" | "copy" | "metadata") {
                    continue;
                }
                leaves(value, &format!("{path}.{key}"), out);
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                leaves(item, &format!("{path}[{index}]"), out);
            }
        }
        Value::Unknown(_) => {
            out.insert(path.to_string(), "?".into());
        }
        // The compiler writes a resource type in its canonical case, which only its type
        // library knows; ARM compares types case-insensitively.
        Value::String(text) if path == ".type" => {
            out.insert(path.to_string(), text.to_ascii_lowercase());
        }
        // Older compilers wrote a scope as a relative id: the same resource.
        Value::String(text) if path == ".scope" => {
            out.insert(path.to_string(), relative_id(text));
        }
        _ => {
            out.insert(path.to_string(), node.display());
        }
    }
}

/// A resource id without its subscription and group: `Microsoft.X/y/name`.
fn relative_id(id: &str) -> String {
    id.rsplit_once("/providers/")
        .map_or(id, |(_, relative)| relative)
        .to_string()
}

/// Resources by kind and address (or, for a `languageVersion` 1.0 template, whose resources
/// have no symbolic names, by kind and evaluated name).
fn by_key(resources: &[Resource], symbolic: bool) -> BTreeMap<String, BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    for resource in resources {
        let name = match resource.body.get("name") {
            Some(node) if !node.is_unknown() => node.display(),
            _ => "?".into(),
        };
        let key = if symbolic {
            format!("{:?} {}", resource.kind, resource.address)
        } else {
            let scope = match resource.body.get("scope") {
                Some(node) => node.as_str().map_or_else(|| node.display(), relative_id),
                None => String::new(),
            };
            format!("{:?} {name} {scope}", resource.kind)
        };
        let mut values = BTreeMap::new();
        leaves(&resource.body, "", &mut values);
        values.insert("existing".into(), resource.existing.to_string());
        // Resources that cannot be told apart are compared by number only.
        if out.insert(key.clone(), values).is_some() {
            out.insert(key, BTreeMap::from([("several".into(), "yes".into())]));
        }
    }
    out
}

fn is_symbolic(json: &Path) -> bool {
    let text = std::fs::read_to_string(json).unwrap_or_default();
    text.contains("\"languageVersion\": \"2.0\"")
}

fn compare(bicep: &Path, json: &Path, mismatches: &mut Vec<String>) {
    let symbolic = is_symbolic(json);
    let text = std::fs::read_to_string(json).expect("compiled JSON is readable");
    let root = acr_lint::model::json::parse(&text, 0)
        .expect("compiled JSON parses")
        .expect("compiled JSON is not empty");
    let from_json = acr_lint::arm::read(&root, "main.json", None).resources;
    let from_bicep = acr_lint::bicep::read_file(bicep, &common::repo().join("..").join("shared"));
    let name = bicep.display();
    for error in &from_bicep.errors {
        mismatches.push(format!("{name}: input error: {}", error.message));
    }
    // Registry modules the restore cache lacks are undecided on the Bicep side; what the
    // compiled JSON inlines for them is the accepted difference.
    let unread: Vec<String> = from_bicep
        .undecided_notices
        .iter()
        .filter(|n| n.contains("restore cache"))
        .filter_map(|n| Some(format!("{}/", n.split('`').nth(1)?)))
        .collect();
    let accepted = |address: &str| {
        let stem = acr_lint::arm::copy_stem(address);
        unread
            .iter()
            .any(|prefix| stem.starts_with(prefix.as_str()))
    };
    let from_json: Vec<Resource> = from_json
        .into_iter()
        .filter(|r| !accepted(&r.address))
        .collect();
    let expected = by_key(&from_json, symbolic);
    // A `languageVersion` 1.0 template leaves `existing` resources out.
    let bicep_resources: Vec<Resource> = from_bicep
        .resources
        .iter()
        .filter(|r| symbolic || !r.existing)
        .cloned()
        .collect();
    let found = by_key(&bicep_resources, symbolic);
    for (key, values) in &expected {
        let Some(bicep_values) = found.get(key) else {
            mismatches.push(format!("{name}: missing resource {key}"));
            continue;
        };
        for (path, value) in values {
            let other = bicep_values.get(path).map_or("(absent)", String::as_str);
            if other != value {
                mismatches.push(format!("{name}: {key}{path}: JSON {value}, Bicep {other}"));
            }
        }
        for path in bicep_values.keys().filter(|p| !values.contains_key(*p)) {
            mismatches.push(format!("{name}: {key}{path}: only in Bicep"));
        }
    }
    for key in found.keys().filter(|k| !expected.contains_key(*k)) {
        mismatches.push(format!("{name}: extra resource {key}"));
    }
    let findings = |path: &Path| {
        let scan = common::scan(path);
        let mut found: Vec<String> = scan
            .findings
            .iter()
            .filter(|f| !accepted(&f.resource))
            .map(|f| {
                if symbolic {
                    format!("{} {}", f.rule.id, f.resource)
                } else {
                    f.rule.id.to_string()
                }
            })
            .collect();
        found.sort();
        found
    };
    // A registry handed to a registry module the cache lacks has its absent-resource rules
    // undecided: the other accepted difference.
    let undecided: Vec<String> = common::scan(bicep)
        .unknown
        .iter()
        .filter(|u| u.reason.contains("could not be read"))
        .map(|u| format!("{} {}", u.rule.id, u.resource))
        .collect();
    let (json_alone, _copy) = alone(json);
    let (expected, found) = (findings(&json_alone), findings(bicep));
    let expected: Vec<String> = expected
        .into_iter()
        .filter(|f| !undecided.contains(f))
        .collect();
    if expected != found {
        mismatches.push(format!(
            "{name}: findings differ\n  JSON:  {expected:?}\n  Bicep: {found:?}"
        ));
    }
}

/// The compiled template read as a template of its own: beside its Bicep source (`x.json` for
/// `x.bicep`, or another name for a source that declares what it declares) a scan reports it
/// through the source, so it is copied to a directory of its own.
fn alone(json: &Path) -> (PathBuf, Option<tempfile::TempDir>) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let copy = dir.path().join(json.file_name().expect("a file name"));
    std::fs::copy(json, &copy).expect("the template copied");
    (copy, Some(dir))
}

fn bicep_derives_what_its_compiled_json_does(corpus: PathBuf) {
    let pairs = all_pairs(&corpus);
    assert!(pairs.len() > 200, "only {} pairs found", pairs.len());
    let mut mismatches = Vec::new();
    for (bicep, json) in &pairs {
        compare(bicep, json, &mut mismatches);
    }
    for mismatch in &mismatches {
        println!("{mismatch}");
    }
    println!(
        "{} pairs compared, {} mismatches",
        pairs.len(),
        mismatches.len()
    );
    assert!(mismatches.is_empty(), "{} mismatches", mismatches.len());
}

fn every_corpus_bicep_file_reads_without_error(corpus: PathBuf) {
    let mut files = Vec::new();
    collect_bicep(&corpus, &mut files);
    assert!(!files.is_empty());
    let mut errors = Vec::new();
    for file in &files {
        // Not Bicep: a shell assignment pasted into the template, which the compiler rejects
        // too (BCP007).
        if file.ends_with("container-registry-hidden-marketplace/main.bicep") {
            continue;
        }
        for error in acr_lint::bicep::read_file(file, &corpus).errors {
            errors.push(format!("{}: {}", file.display(), error.message));
        }
    }
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}

fn collect_bicep(root: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(root) else {
        return;
    };
    for path in entries.flatten().map(|e| e.path()) {
        if path.is_dir() {
            collect_bicep(&path, out);
        } else if path.extension().is_some_and(|e| e == "bicep") {
            out.push(path);
        }
    }
}
