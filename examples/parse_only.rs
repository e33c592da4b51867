//! The floor of a scan: finds the files below the paths with the scan's own walker, reads each
//! as text and parses it with the scan's parsers (HCL, JSON, Bicep), in parallel, and does
//! nothing else: no evaluation, no model, no rules, no report. The same allocator and allocator
//! settings as the command line.
//!
//! `cargo build --release --example parse_only`, then
//! `scripts/measure.sh 11 target/release/examples/parse_only ../shared/bench/synthetic`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use rayon::prelude::*;

use acr_lint::discover::{self, Candidate};
use acr_lint::source;
use acr_lint::{bicep, model, terraform};

acr_lint::install_allocator!();

/// What became of one file.
#[derive(Default)]
struct Tally {
    files: usize,
    bytes: usize,
    failed: usize,
}

impl Tally {
    fn add(self, other: Tally) -> Tally {
        Tally {
            files: self.files + other.files,
            bytes: self.bytes + other.bytes,
            failed: self.failed + other.failed,
        }
    }
}

fn parses(text: &str, candidate: Candidate) -> bool {
    match candidate {
        Candidate::Terraform | Candidate::TfVars => terraform::parse(text).is_ok(),
        Candidate::TerraformJson => terraform::json_syntax::to_native(text)
            .is_ok_and(|(native, _)| terraform::parse(&native).is_ok()),
        Candidate::TfVarsJson | Candidate::Json => model::json::parse(text, 0).is_ok(),
        Candidate::Bicep => bicep::syntax::parse(text).errors.is_empty(),
        Candidate::BicepParams => bicep::syntax::parse_params(text).errors.is_empty(),
    }
}

fn read_and_parse(path: &Path, candidate: Candidate) -> Tally {
    let Ok(text) = source::read_text(path) else {
        return Tally {
            files: 1,
            failed: 1,
            ..Tally::default()
        };
    };
    Tally {
        files: 1,
        bytes: text.len(),
        failed: usize::from(!parses(&text, candidate)),
    }
}

fn main() -> ExitCode {
    acr_lint::allocator::tune();
    let paths: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    if paths.is_empty() {
        eprintln!("usage: parse_only PATH...");
        return ExitCode::from(2);
    }
    let (files, _) = discover::discover(&paths);
    let tally = files
        .par_iter()
        .map(|(path, candidate)| read_and_parse(path, *candidate))
        .reduce(Tally::default, Tally::add);
    println!(
        "{} files, {} bytes read and parsed, {} unreadable or not parsed",
        tally.files, tally.bytes, tally.failed
    );
    ExitCode::SUCCESS
}
