//! Templates read with the files that go with them: parameters files paired by name, a
//! `parameters/` directory, `metadata.template` links, `.bicepparam` files, a Bicep module and
//! pairs in the configuration. The input's parts, split at lines of `---8<---`, are
//! `main.json`, `main.parameters.json`, `parameters/main.parameters.prod.json`, `main.bicep`,
//! `main.bicepparam`, `modules/registry.bicep`, `.acr-lint.yaml` and `deploy/prod.bicepparam` (a
//! `.bicepparam` file in another directory, which may name `../main.bicep`) in a temp dir that is
//! the top of a repository. The directory is scanned, then each file is given alone, and every output is
//! rendered.
#![no_main]

#[path = "../shared/scan_files.rs"]
mod scan_files;

use libfuzzer_sys::fuzz_target;
use scan_files::{scan_and_render, write_parts};

const NAMES: [&str; 8] = [
    "main.json",
    "main.parameters.json",
    "parameters/main.parameters.prod.json",
    "main.bicep",
    "main.bicepparam",
    "modules/registry.bicep",
    ".acr-lint.yaml",
    "deploy/prod.bicepparam",
];

fuzz_target!(|data: &[u8]| {
    let Ok(dir) = tempfile::tempdir() else {
        return;
    };
    if !write_parts(dir.path(), &[".git", "parameters", "modules", "deploy"], &NAMES, data) {
        return;
    }
    scan_and_render(vec![dir.path().to_path_buf()]);
    for name in NAMES {
        scan_and_render(vec![dir.path().join(name)]);
    }
});
