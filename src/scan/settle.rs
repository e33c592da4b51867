//! Parts of the model the rules run on where they are read: a template that nothing else in the
//! scan can reach (no parameters file, no Bicep file, no other unit links to it), and a Terraform
//! module that calls no module, are linked and checked on the thread that read them, and only
//! their results are kept, in place of their models. The results take the places the whole
//! scan's run would give them, so a scan reports the same either way; a module another
//! directory turns out to call is reported through its caller, and its results are dropped as
//! its resources would have been.

use std::collections::HashMap as StdHashMap;
use std::path::PathBuf;

use foldhash::{HashMap, HashMapExt, HashSet};

use crate::discover::Candidate;
use crate::model::directives::Directive;
use crate::model::suppression::Covers;
use crate::model::{self, FrontEndOutput, Kind, Resource, Unit};
use crate::read::ReadFile;
use crate::rules::{self, PartOutcomes, PlacedPart, Rule};
use crate::source::{FileId, Span};

/// What running the rules where a part is read takes.
#[derive(Clone, Copy)]
pub(super) struct Settle<'a> {
    pub rules: &'a [&'static dyn Rule],
    pub options: &'a rules::RuleOptions,
    /// Whether the report shows where not-applicable results are.
    pub not_applicable_shown: bool,
}

/// A template or module the rules ran on where it was read.
pub(super) struct Settled {
    unit: String,
    outcomes: Box<PartOutcomes>,
    /// Where its resources hold values Terraform's evaluation found sensitive.
    secrets: Vec<Span>,
    /// Its registries, each declaration once.
    registries: usize,
    /// Whether two of its resources share a declaration (a copy loop's instances).
    repeated_declaration: bool,
    /// How many of the whole scan's linked units come before its unit, once known.
    unit_position: Option<usize>,
}

/// Whether this scan may run the rules on parts where they are read: on the command line,
/// without files given by an editor, parameters files paired with templates or Bicep files
/// (which name templates from elsewhere: as modules, or with `using`).
pub(super) fn settles_where_read(
    rules_where_read: bool,
    overlays: &StdHashMap<PathBuf, &str>,
    pairs: &[(PathBuf, Vec<PathBuf>)],
    files: &[(PathBuf, Candidate)],
) -> bool {
    rules_where_read
        && overlays.is_empty()
        && pairs.is_empty()
        && !files
            .iter()
            .any(|(_, c)| matches!(c, Candidate::Bicep | Candidate::BicepParams))
}

/// Runs the rules on a Terraform directory's module where it was evaluated, when it is one unit
/// (it calls no module: each call is a unit of its own) and its directory's name cannot be taken
/// for a module call's unit (`infra/module.acr`), which the unit of another directory's call
/// would share.
pub(super) fn settle_module(
    output: FrontEndOutput,
    settle: &Settle<'_>,
    reported: &(dyn Fn(FileId) -> bool + Sync),
) -> (FrontEndOutput, Option<Box<Settled>>) {
    let named_like_a_call = |unit: &Unit| {
        unit.id
            .split('/')
            .any(crate::terraform::starts_with_module_call)
    };
    if output.units.iter().any(named_like_a_call) {
        return (output, None);
    }
    settle_part(output, settle, reported)
}

/// Runs the rules on a part made of one unit (a template read alone, a module) whose resources
/// are all its own and name no registry it does not declare (those would become registries of
/// the whole scan's model); its resources are then dropped, and what rules read of its unit.
/// `reported` says whether a file is reported (not read only as context).
pub(super) fn settle_part(
    mut output: FrontEndOutput,
    settle: &Settle<'_>,
    reported: &(dyn Fn(FileId) -> bool + Sync),
) -> (FrontEndOutput, Option<Box<Settled>>) {
    let [unit] = output.units.as_slice() else {
        return (output, None);
    };
    let own = |r: &Resource| r.unit == unit.id;
    let implied = model::graph::implied_registries(output.resources.iter());
    if !implied.is_empty() || !output.resources.iter().all(own) {
        return (output, None);
    }
    let mut graph = model::graph::link(output.resources.iter(), &[unit]);
    graph.registries.retain(|view| view.touches(&reported));
    let outcomes = rules::run_part(&graph, settle.rules, settle.options);
    drop(graph);
    let secrets = sensitive_values(&output.resources);
    let settled = Box::new(Settled {
        unit: unit.id.clone(),
        outcomes: Box::new(outcomes),
        secrets,
        registries: super::distinct_registry_declarations(output.resources.iter()),
        repeated_declaration: super::repeats_a_declaration(output.resources.iter()),
        unit_position: None,
    });
    output.resources = Vec::new();
    // What rules read of the unit is read; its directives remain for the suppressions.
    for unit in &mut output.units {
        unit.inputs = Vec::new();
        unit.outputs = Vec::new();
        if let Some(calls) = &mut unit.calls {
            calls.input_links = Vec::new();
            calls.handoffs = Vec::new();
        }
    }
    (output, Some(settled))
}

/// Frees the texts of a directory's files that nothing the scan keeps of the directory points
/// into, once every unit of it was checked where read and no resource of it remains: the report
/// then asks only for the places its results (not-applicable ones only when it shows them),
/// secrets, directives and errors point at. `ids` are the files'.
pub(super) fn release_unused_texts(
    files: &mut [ReadFile],
    ids: impl Iterator<Item = FileId>,
    output: &FrontEndOutput,
    settled: &[(usize, Box<Settled>)],
    not_applicable_shown: bool,
) {
    if settled.is_empty() || !output.resources.is_empty() {
        return;
    }
    let settled_units: HashSet<&str> = settled.iter().map(|(_, part)| part.unit.as_str()).collect();
    let checked = |unit: &Unit| settled_units.contains(unit.id.as_str());
    if !output.units.iter().all(checked) {
        return;
    }
    let outcomes = settled.iter().flat_map(|(_, part)| {
        let results = part.outcomes.spans(not_applicable_shown);
        results.chain(part.secrets.iter().copied())
    });
    let directives = output.units.iter().flat_map(|unit| &unit.directives);
    let pointed_at: HashSet<FileId> = outcomes
        .chain(output.secrets.iter().copied())
        .chain(directives.flat_map(directive_spans))
        .chain(output.errors.iter().filter_map(|error| error.span))
        .map(|span| span.file)
        .collect();
    for (file, id) in files.iter_mut().zip(ids) {
        if file.error.is_none() && !file.source.text.is_empty() && !pointed_at.contains(&id) {
            file.source.release_text();
        }
    }
}

/// Where a directive is written, and the span it covers when it names one.
fn directive_spans(directive: &Directive) -> impl Iterator<Item = Span> {
    let covered = match directive.terms.as_ref().map(|terms| &terms.covers) {
        Ok(Covers::Span(span) | Covers::Resource { span, .. }) => Some(*span),
        _ => None,
    };
    std::iter::once(directive.span).chain(covered)
}

/// Where Terraform's evaluation found values of `resources` sensitive (templates have none).
fn sensitive_values(resources: &[Resource]) -> Vec<Span> {
    let evaluated = |r: &Resource| r.format == model::Format::Terraform;
    if !resources.iter().any(evaluated) {
        return Vec::new();
    }
    let walk = resources
        .iter()
        .fold(super::SecretWalk::new(), super::SecretWalk::add);
    walk.spans
}

/// The settled parts of a scan, each with the number of registries the whole scan's graph
/// has before it.
pub(super) struct SettledParts {
    parts: Vec<(usize, Box<Settled>)>,
}

impl SettledParts {
    /// Places each settled part (by its directory's list and its index in that list, as
    /// it was read) among the resources of the scan that `kept` keeps; those whose unit is not
    /// kept are dropped, as their resources would have been.
    pub(super) fn place(
        settled: Vec<(usize, usize, Box<Settled>)>,
        resources: &[Vec<Resource>],
        kept: &dyn Fn(&str) -> bool,
    ) -> Self {
        if settled.is_empty() {
            return SettledParts { parts: Vec::new() };
        }
        let registries_kept = |list: &[Resource]| {
            list.iter()
                .filter(|r| r.kind == Kind::Registry && kept(&r.unit))
                .count()
        };
        let mut parts = Vec::with_capacity(settled.len());
        let mut settled = settled.into_iter().peekable();
        let mut before = 0;
        for (index, list) in resources.iter().enumerate() {
            let mut counted = 0;
            while let Some((_, at, part)) = settled.next_if(|(l, _, _)| *l == index) {
                let at = at.clamp(counted, list.len());
                before += registries_kept(list.get(counted..at).unwrap_or_default());
                counted = at;
                if kept(&part.unit) {
                    parts.push((before, part));
                }
            }
            before += registries_kept(list.get(counted..).unwrap_or_default());
        }
        SettledParts { parts }
    }

    pub(super) fn registries(&self) -> usize {
        self.parts.iter().map(|(_, part)| part.registries).sum()
    }

    /// Where the kept parts' resources held sensitive values.
    pub(super) fn take_secrets(&mut self) -> Vec<Span> {
        let parts = self.parts.iter_mut();
        parts
            .flat_map(|(_, part)| std::mem::take(&mut part.secrets))
            .collect()
    }

    pub(super) fn repeated_declarations(&self) -> bool {
        self.parts.iter().any(|(_, part)| part.repeated_declaration)
    }

    /// The units the whole scan's graph links: all but the settled parts', whose places among
    /// them (how many come before each) it notes.
    pub(super) fn units_apart<'u>(&mut self, units: &'u [Unit]) -> Vec<&'u Unit> {
        if self.parts.is_empty() {
            return units.iter().collect();
        }
        let settled: HashSet<&str> = self.parts.iter().map(|(_, p)| p.unit.as_str()).collect();
        let mut positions: HashMap<&str, usize> = HashMap::with_capacity(settled.len());
        let mut apart = Vec::with_capacity(units.len().saturating_sub(settled.len()));
        for unit in units {
            if settled.contains(unit.id.as_str()) {
                positions.insert(unit.id.as_str(), apart.len());
            } else {
                apart.push(unit);
            }
        }
        for (_, part) in &mut self.parts {
            part.unit_position = positions.get(part.unit.as_str()).copied();
        }
        apart
    }

    /// The settled parts' results with their places in the graph: `kept` says which of the
    /// graph's registries were kept, in order. A part whose unit [`Self::units_apart`] did not
    /// find is left out.
    pub(super) fn into_placed(self, kept: &[bool]) -> Vec<PlacedPart> {
        let mut kept_before = 0;
        let mut counted = 0;
        let mut placed = Vec::with_capacity(self.parts.len());
        for (position, part) in self.parts {
            let position = position.clamp(counted, kept.len());
            let newly = kept.get(counted..position).unwrap_or_default();
            kept_before += newly.iter().filter(|&&k| k).count();
            counted = position;
            let Some(unit_position) = part.unit_position else {
                continue;
            };
            placed.push(PlacedPart {
                registry_position: kept_before,
                unit_position,
                outcomes: part.outcomes,
            });
        }
        placed
    }
}
