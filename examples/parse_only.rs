//! The floor of a scan: finds the files below the paths with the scan's own walker, reads each
//! as text and parses it with the scan's parsers (HCL, JSON, Bicep), in parallel, and does
//! nothing else: no evaluation, no model, no rules, no report. The same allocator and allocator
//! settings as the command line.
//!
//! `cargo build --release --example parse_only`, then
//! `scripts/measure.sh 11 target/release/examples/parse_only ../shared/bench/synthetic`.
//!
//! `--keep texts` keeps every file's text to the end, as a scan must for its report;
//! `--keep trees` keeps the texts and every syntax tree: the cost of holding memory, apart from
//! the work of filling it.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use rayon::prelude::*;

use acr_lint::discover::{self, Candidate};
use acr_lint::source;
use acr_lint::{bicep, model, terraform};

acr_lint::install_allocator!();

/// What the program holds until it ends.
#[derive(Clone, Copy, PartialEq, PartialOrd)]
enum Keep {
    Nothing,
    Texts,
    Trees,
}

/// A text or syntax tree held to the end.
#[expect(
    dead_code,
    reason = "held, never read: only the memory it takes matters"
)]
enum Kept {
    Text(String),
    Terraform(hcl_edit::structure::Body),
    Json(Option<model::Node>),
    Bicep(bicep::syntax::ParsedFile),
}

/// What became of one file.
#[derive(Default)]
struct Tally {
    files: usize,
    bytes: usize,
    failed: usize,
    kept: Vec<Kept>,
}

impl Tally {
    fn add(mut self, mut other: Tally) -> Tally {
        self.kept.append(&mut other.kept);
        Tally {
            files: self.files + other.files,
            bytes: self.bytes + other.bytes,
            failed: self.failed + other.failed,
            kept: self.kept,
        }
    }
}

/// The file's syntax tree, or `None` when it does not parse.
fn parse(text: &str, candidate: Candidate) -> Option<Kept> {
    match candidate {
        Candidate::Terraform | Candidate::TfVars => {
            terraform::parse(text).ok().map(Kept::Terraform)
        }
        Candidate::TerraformJson => terraform::json_syntax::to_native(text)
            .ok()
            .and_then(|(native, _)| terraform::parse(&native).ok())
            .map(Kept::Terraform),
        Candidate::TfVarsJson | Candidate::Json => model::json::parse(text, 0).ok().map(Kept::Json),
        Candidate::Bicep => Some(bicep::syntax::parse(text))
            .filter(|parsed| parsed.errors.is_empty())
            .map(Kept::Bicep),
        Candidate::BicepParams => Some(bicep::syntax::parse_params(text))
            .filter(|parsed| parsed.errors.is_empty())
            .map(Kept::Bicep),
    }
}

fn read_and_parse(path: &Path, candidate: Candidate, keep: Keep) -> Tally {
    let Ok(text) = source::read_text(path) else {
        return Tally {
            files: 1,
            failed: 1,
            ..Tally::default()
        };
    };
    let tree = parse(&text, candidate);
    let mut tally = Tally {
        files: 1,
        bytes: text.len(),
        failed: usize::from(tree.is_none()),
        kept: Vec::new(),
    };
    if keep >= Keep::Texts {
        tally.kept.push(Kept::Text(text));
    }
    if keep == Keep::Trees {
        tally.kept.extend(tree);
    }
    tally
}

/// The paths and what to keep, from the arguments; `None` when they are not understood.
fn arguments() -> Option<(Vec<PathBuf>, Keep)> {
    let mut paths = Vec::new();
    let mut keep = Keep::Nothing;
    let mut arguments = std::env::args_os().skip(1);
    while let Some(argument) = arguments.next() {
        if argument == "--keep" {
            keep = match arguments.next()?.to_str()? {
                "texts" => Keep::Texts,
                "trees" => Keep::Trees,
                _ => return None,
            };
        } else {
            paths.push(PathBuf::from(argument));
        }
    }
    (!paths.is_empty()).then_some((paths, keep))
}

fn main() -> ExitCode {
    acr_lint::allocator::tune();
    let Some((paths, keep)) = arguments() else {
        eprintln!("usage: parse_only [--keep texts|trees] PATH...");
        return ExitCode::from(2);
    };
    let (files, _) = discover::discover(&paths, discover::IgnoreFiles::Honoured);
    let tally = files
        .par_iter()
        .map(|(path, candidate)| read_and_parse(path, *candidate, keep))
        .reduce(Tally::default, Tally::add);
    println!(
        "{} files, {} bytes read and parsed, {} unreadable or not parsed",
        tally.files, tally.bytes, tally.failed
    );
    // What is kept lives to the end, as a scan's model does (a scan exits without freeing it).
    std::mem::forget(tally.kept);
    ExitCode::SUCCESS
}
