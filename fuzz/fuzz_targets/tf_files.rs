//! The Terraform file functions (`file()`, `fileset()`, `templatefile()`, `yamldecode()`,
//! `jsondecode()`) and variable files on files the input writes: its parts, split at lines of
//! `---8<---`, are `main.tf`, `registry.yaml`, `registry.yaml.tftpl`, `registries/a.yaml`,
//! `registries/b.json`, `prod.tfvars` (applied only when given), `azure.yaml` and
//! `main.tfvars.json` (applied when the project file says azd provisions this directory with
//! Terraform) in a temp dir. The directory is scanned, then `registry.yaml` and `prod.tfvars`
//! are given alone, and every output is rendered.
#![no_main]

#[path = "../shared/scan_files.rs"]
mod scan_files;

use libfuzzer_sys::fuzz_target;
use scan_files::{scan_and_render, write_parts};

const NAMES: [&str; 8] = [
    "main.tf",
    "registry.yaml",
    "registry.yaml.tftpl",
    "registries/a.yaml",
    "registries/b.json",
    "prod.tfvars",
    "azure.yaml",
    "main.tfvars.json",
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
    scan_and_render(vec![dir.path().join("prod.tfvars")]);
});
