//! Findings post-processing: the same finding from several parameters files, module calls, ARM
//! copies or Terraform instances kept once, naming them all.

use std::collections::HashMap;

use crate::rules::Finding;
use crate::source::Span;
use crate::{arm, terraform};

/// One finding per rule and place: the same finding from several parameters files, module
/// calls, ARM copies or Terraform instances (`count`, `for_each`) is kept once, naming them all.
pub fn merge_variants(findings: Vec<Finding>) -> Vec<Finding> {
    if findings.iter().all(|f| f.variants.is_empty()) {
        return findings;
    }
    let mut merged: Vec<Finding> = Vec::with_capacity(findings.len());
    // Each merged finding's message and resource as they read for the resource rather than
    // one of its Terraform instances, when it came from one.
    let mut generics: Vec<Option<(String, String)>> = Vec::with_capacity(findings.len());
    let mut index: HashMap<(&'static str, Span, String), usize> = HashMap::new();
    for finding in findings {
        if finding.variants.is_empty() {
            merged.push(finding);
            generics.push(None);
            continue;
        }
        let generic = match finding.variants.as_slice() {
            [variant] => terraform::instance_generic(variant, &finding.resource, &finding.message),
            _ => None,
        };
        let message = generic
            .as_ref()
            .map_or_else(|| copy_stem_message(&finding), |(m, _)| m.clone());
        let key = (finding.rule.id, finding.primary.span, message);
        match index.get(&key).and_then(|&i| merged.get_mut(i)) {
            Some(existing) => existing.variants.extend(finding.variants),
            None => {
                index.insert(key, merged.len());
                merged.push(finding);
                generics.push(generic);
            }
        }
    }
    for (finding, generic) in merged.iter_mut().zip(generics) {
        describe_variants(finding, generic);
    }
    merged
}

/// Names the variants a merged finding was found with, in its notes.
fn describe_variants(finding: &mut Finding, generic: Option<(String, String)>) {
    if let Some((message, resource)) = generic {
        // One instance only: it reads as it is.
        if finding.variants.len() > 1 {
            finding
                .notes
                .push(terraform::instances_note(&finding.variants));
            finding.message = message;
            finding.resource = resource;
        }
        return;
    }
    finding.variants.sort();
    finding.variants.dedup();
    if finding.variants.iter().all(|v| v.starts_with("module.")) {
        if finding.variants.len() > 1 {
            let calls = finding.variants.join(", ");
            finding.notes.push(format!("in module calls {calls}"));
        }
        return;
    }
    describe_arm_variants(finding);
}

/// Notes naming the parameters files and copies an ARM finding was found with.
fn describe_arm_variants(finding: &mut Finding) {
    let mut files = Vec::new();
    let mut copies = Vec::new();
    for variant in &finding.variants {
        let (file, copy) = arm::split_variant(variant);
        files.extend(file);
        copies.extend(copy);
    }
    files.sort_unstable();
    files.dedup();
    copies.sort_by_key(|address| natural_key(address));
    copies.dedup();
    let mut notes = Vec::new();
    if !files.is_empty() {
        let noun = if files.len() == 1 { "file" } else { "files" };
        notes.push(format!("with parameters {noun} {}", files.join(", ")));
    }
    if copies.len() > 1 {
        finding.message = copy_stem_message(finding);
        finding.resource = arm::copy_stem(&finding.resource);
        notes.push(format!("in copies {}", copies.join(", ")));
    }
    finding.notes.extend(notes);
}

/// A finding's message with its copy instance's address (`acr[1]`) as its loop's (`acr`), so
/// that the same finding in every instance merges.
fn copy_stem_message(finding: &Finding) -> String {
    let copied = finding
        .variants
        .iter()
        .any(|v| arm::split_variant(v).1.is_some());
    if copied {
        let stem = arm::copy_stem(&finding.resource);
        finding.message.replace(&finding.resource, &stem)
    } else {
        finding.message.clone()
    }
}

/// Sorts `acr[2]` before `acr[10]`.
fn natural_key(text: &str) -> Vec<(String, u64)> {
    let mut key = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let letters = rest.len() - rest.trim_start_matches(|c: char| !c.is_ascii_digit()).len();
        let (word, tail) = rest.split_at(letters);
        let digits = tail.len() - tail.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let (number, tail) = tail.split_at(digits);
        key.push((word.to_string(), number.parse().unwrap_or(u64::MAX)));
        rest = tail;
    }
    key
}
