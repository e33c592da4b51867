//! Findings post-processing: the same finding from several parameters files, module calls, ARM
//! copies or Terraform instances kept once, naming them all.

use std::collections::HashMap;

use crate::rules::{Finding, Findings, Undecided};
use crate::source::Span;
use crate::{arm, terraform};

/// One finding per rule and place: the same finding from several parameters files, module
/// calls, ARM copies or Terraform instances (`count`, `for_each`) is kept once, naming them all.
pub fn merge_variants(mut findings: Findings) -> Findings {
    if findings.iter().all(|f| f.variants.is_empty()) {
        return findings;
    }
    let places = places(&findings);
    // Merged in place: a second list of findings this size was the largest scans' peak.
    for (at, place) in places.iter().enumerate() {
        let Place::MergedInto(into) = *place else {
            continue;
        };
        let (earlier, rest) = findings.split_at_mut(at);
        if let (Some(kept), Some(merged)) = (earlier.get_mut(into), rest.first_mut()) {
            kept.variants.append(&mut merged.variants);
        }
    }
    let mut is_kept = places.iter().map(|place| matches!(place, Place::Kept(_)));
    findings.retain(|_| is_kept.next().unwrap_or(true));
    let generics = places.into_iter().filter_map(|place| match place {
        Place::Kept(generic) => Some(generic),
        Place::MergedInto(_) => None,
    });
    for (finding, generic) in findings.iter_mut().zip(generics) {
        describe_variants(finding, generic);
    }
    findings
}

/// Drops a finding that repeats an earlier one word for word: the same module read through
/// callers in several files that name it alike (`module aks 'main.bicep'` in each) reports the
/// same problem at the same place for each. `findings` are sorted by where they start and by
/// rule, so a repeat is in the run of findings that start where it does, of its rule.
pub fn drop_repeated(findings: &mut Findings) {
    let same_run = |a: &Finding, b: &Finding| {
        a.primary.span.start == b.primary.span.start && a.rule.id == b.rule.id
    };
    let mut keep = vec![true; findings.len()];
    let mut run_start = 0;
    for at in 0..findings.len() {
        let (Some(finding), Some(first)) = (findings.get(at), findings.get(run_start)) else {
            continue;
        };
        if !same_run(first, finding) {
            run_start = at;
            continue;
        }
        let earlier = findings.get(run_start..at).unwrap_or_default();
        let repeats = earlier
            .iter()
            .zip(keep.get(run_start..at).unwrap_or_default())
            .any(|(kept, &is_kept)| is_kept && says_the_same(kept, finding));
        if repeats && let Some(slot) = keep.get_mut(at) {
            *slot = false;
        }
    }
    let mut is_kept = keep.into_iter();
    findings.retain(|_| is_kept.next().unwrap_or(true));
}

/// Whether two findings report the same thing at the same place in the same words.
fn says_the_same(a: &Finding, b: &Finding) -> bool {
    a.primary == b.primary
        && a.level == b.level
        && a.message == b.message
        && a.resource == b.resource
        && a.property == b.property
        && a.secondary == b.secondary
        && a.notes == b.notes
        && a.variants == b.variants
}

/// The results a rule could not decide or that do not apply, found once per evaluation of a
/// resource (parameters files, module calls and their callers, copies, instances), kept once:
/// the same rule, place and reason say nothing more the second time.
pub fn merge_undecided(results: &mut Vec<Undecided>) {
    let mut seen = std::collections::HashSet::with_capacity(results.len());
    results.retain(|result| seen.insert((result.rule.id, result.span, result.reason.clone())));
}

/// A finding's message and resource as they read for the resource rather than one of its
/// Terraform instances, when it came from one.
type Generic = Option<(String, String)>;

/// What becomes of a finding when variants merge.
enum Place {
    /// The first of its rule, place and message: kept, with its [`Generic`] reading.
    Kept(Generic),
    /// Merged into the earlier finding at this index.
    MergedInto(usize),
}

fn places(findings: &[Box<Finding>]) -> Vec<Place> {
    let mut places = Vec::with_capacity(findings.len());
    let mut index: HashMap<(&'static str, Span, String), usize> = HashMap::new();
    for (at, finding) in findings.iter().enumerate() {
        if finding.variants.is_empty() {
            places.push(Place::Kept(None));
            continue;
        }
        let generic = match finding.variants.as_slice() {
            [variant] => terraform::instance_generic(variant, &finding.resource, &finding.message),
            _ => None,
        };
        let message = generic
            .as_ref()
            .map_or_else(|| copy_stem_message(finding), |(m, _)| m.clone());
        let key = (finding.rule.id, finding.primary.span, message);
        match index.get(&key) {
            Some(&first) => places.push(Place::MergedInto(first)),
            None => {
                index.insert(key, at);
                places.push(Place::Kept(generic));
            }
        }
    }
    places
}

/// Names the variants a merged finding was found with, in its notes.
fn describe_variants(finding: &mut Finding, generic: Generic) {
    if let Some((message, resource)) = generic {
        // One instance only: it reads as it is.
        if finding.variants.len() > 1 {
            finding
                .notes
                .push(terraform::instances_note(&finding.variants).into());
            finding.message = message;
            finding.resource = resource.into();
        }
        return;
    }
    finding.variants.sort();
    finding.variants.dedup();
    if finding.variants.iter().all(|v| v.starts_with("module.")) {
        if finding.variants.len() > 1 {
            let calls = finding.variants.join(", ");
            finding
                .notes
                .push(format!("in module calls {calls}").into());
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
        finding.resource = arm::copy_stem(&finding.resource).into();
        notes.push(format!("in copies {}", copies.join(", ")));
    }
    finding.notes.extend(notes.into_iter().map(Into::into));
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
        finding.message.replace(&*finding.resource, &stem)
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

#[cfg(test)]
mod tests {
    use super::{drop_repeated, merge_variants};
    use crate::rules::{self, Finding, Label, Level};
    use crate::source::Span;

    fn finding(rule: usize, at: usize, variant: Option<&str>) -> Box<Finding> {
        Box::new(Finding {
            rule: rules::all()[rule].meta(),
            level: Level::Warning,
            message: "registry `acr` has the setting".into(),
            primary: Label {
                span: Span::new(0, at, at + 4),
                message: "".into(),
            },
            used_at: None,
            secondary: Vec::new(),
            notes: Vec::new(),
            help: "",
            resource: "acr".into(),
            resource_decl: None,
            property: "properties.adminUserEnabled".into(),
            variants: variant.into_iter().map(str::to_string).collect(),
            unit: "main.json".into(),
            secret: false,
        })
    }

    #[test]
    fn the_same_finding_from_several_parameters_files_is_kept_once_naming_them_in_order() {
        let merged = merge_variants(vec![
            finding(0, 10, Some("prod.parameters.json")),
            finding(1, 10, Some("prod.parameters.json")),
            finding(0, 10, Some("dev.parameters.json")),
            finding(0, 50, None),
            finding(1, 10, Some("test.parameters.json")),
            finding(0, 10, Some("dev.parameters.json")),
        ]);
        let described: Vec<(&str, usize, Vec<String>)> = merged
            .iter()
            .map(|f| {
                let notes = f.notes.iter().map(|note| note.to_string()).collect();
                (f.rule.id, f.primary.span.start, notes)
            })
            .collect();
        let (first, second) = (rules::all()[0].meta().id, rules::all()[1].meta().id);
        let note = |files: &str| vec![format!("with parameters files {files}")];
        assert_eq!(
            described,
            [
                (first, 10, note("dev.parameters.json, prod.parameters.json")),
                (
                    second,
                    10,
                    note("prod.parameters.json, test.parameters.json")
                ),
                (first, 50, Vec::new()),
            ]
        );
    }

    #[test]
    fn a_finding_repeated_word_for_word_is_kept_once() {
        let longer = |mut f: Box<Finding>| {
            f.primary.span.end += 2;
            f
        };
        let other_resource = |mut f: Box<Finding>| {
            f.resource = "other/acr".into();
            f
        };
        let mut findings = vec![
            finding(0, 10, None),
            longer(finding(0, 10, None)),
            other_resource(finding(0, 10, None)),
            finding(0, 10, None),
            finding(1, 10, None),
            longer(finding(0, 10, None)),
            finding(0, 20, None),
            finding(0, 20, None),
        ];
        drop_repeated(&mut findings);
        let kept: Vec<(usize, usize, &str)> = findings
            .iter()
            .map(|f| (f.primary.span.start, f.primary.span.end, &*f.resource))
            .collect();
        // Sorted by start and rule, as the scan sorts them; the rule-1 finding ends a run.
        assert_eq!(
            kept,
            [
                (10, 14, "acr"),
                (10, 16, "acr"),
                (10, 14, "other/acr"),
                (10, 14, "acr"),
                (10, 16, "acr"),
                (20, 24, "acr"),
            ]
        );
    }
}
