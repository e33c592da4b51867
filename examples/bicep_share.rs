//! Writes the Bicep share of the benchmark corpus (the synthetic corpus's ARM templates written
//! again in Bicep) for command-line measurements:
//! `cargo run --release --example bicep_share -- /tmp/bicep-share [SYNTHETIC]`.

#[path = "../benches/support/bicep_share.rs"]
mod bicep_share;

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args = std::env::args_os().skip(1);
    let Some(out) = args.next().map(PathBuf::from) else {
        eprintln!("usage: bicep_share OUT_DIR [SYNTHETIC_DIR]");
        return ExitCode::from(2);
    };
    let synthetic = args.next().map(PathBuf::from).unwrap_or_else(|| {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/bench/synthetic")
    });
    match bicep_share::write_share(&synthetic, &out, usize::MAX) {
        Ok(count) => {
            println!("wrote {count} Bicep templates to {}", out.display());
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!(
                "could not write the Bicep share from {}: {error}",
                synthetic.display()
            );
            ExitCode::FAILURE
        }
    }
}
