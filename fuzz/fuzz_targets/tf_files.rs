//! The Terraform file functions (`file()`, `fileset()`, `templatefile()`, `yamldecode()`,
//! `jsondecode()`) on files the input writes: its parts, split at lines of `---8<---`, are
//! `main.tf`, `registry.yaml`, `registry.yaml.tftpl`, `registries/a.yaml` and
//! `registries/b.json` in a temp dir. The directory is scanned, then `registry.yaml` is given
//! alone as a data file, and every output is rendered.
#![no_main]

use std::io;
use std::path::PathBuf;

use acr_lint::ScanOptions;
use acr_lint::report::{self, Format};
use libfuzzer_sys::fuzz_target;

const NAMES: [&str; 5] = [
    "main.tf",
    "registry.yaml",
    "registry.yaml.tftpl",
    "registries/a.yaml",
    "registries/b.json",
];

fn scan_and_render(paths: Vec<PathBuf>) {
    let mut options = ScanOptions::new(paths);
    options.show_unknown = true;
    let scan = acr_lint::scan(&options);
    for finding in &scan.findings {
        let text = scan
            .sources
            .get(finding.primary.span.file)
            .map_or("", |file| file.text.as_str());
        assert!(finding.primary.span.end <= text.len());
        assert!(finding.primary.span.start <= finding.primary.span.end);
    }
    for format in [Format::Concise, Format::Json, Format::Sarif] {
        report::render(&scan, format, false, &mut io::sink()).expect("a sink accepts all");
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(dir) = tempfile::tempdir() else {
        return;
    };
    if std::fs::create_dir(dir.path().join("registries")).is_err() {
        return;
    }
    let text = String::from_utf8_lossy(data);
    let pieces: Vec<&str> = text.split("\n---8<---\n").collect();
    for (name, piece) in NAMES.iter().zip(pieces.iter().chain(std::iter::repeat(&""))) {
        if std::fs::write(dir.path().join(name), piece).is_err() {
            return;
        }
    }
    scan_and_render(vec![dir.path().to_path_buf()]);
    scan_and_render(vec![dir.path().join("registry.yaml")]);
});
