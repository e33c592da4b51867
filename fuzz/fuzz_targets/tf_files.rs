//! The Terraform file functions (`file()`, `fileset()`, `templatefile()`, `yamldecode()`,
//! `jsondecode()`) on files the input writes: its parts, split at lines of `---8<---`, are
//! `main.tf`, `registry.yaml`, `registry.yaml.tftpl`, `registries/a.yaml` and
//! `registries/b.json` in a temp dir. The directory is scanned, then `registry.yaml` is given
//! alone as a data file, and every output is rendered.
#![no_main]

#[path = "../shared/scan_files.rs"]
mod scan_files;

use libfuzzer_sys::fuzz_target;
use scan_files::{scan_and_render, write_parts};

const NAMES: [&str; 5] = [
    "main.tf",
    "registry.yaml",
    "registry.yaml.tftpl",
    "registries/a.yaml",
    "registries/b.json",
];

fuzz_target!(|data: &[u8]| {
    let Ok(dir) = tempfile::tempdir() else {
        return;
    };
    if !write_parts(dir.path(), &["registries"], &NAMES, data) {
        return;
    }
    scan_and_render(vec![dir.path().to_path_buf()]);
    scan_and_render(vec![dir.path().join("registry.yaml")]);
});
