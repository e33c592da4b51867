//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use acr_lint::{Scan, ScanOptions};

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Scans `path` with the default rules.
pub fn scan(path: &Path) -> Scan {
    acr_lint::scan(&ScanOptions::new(vec![path.to_path_buf()]))
}

/// Findings as `file:line:col RULE`, the file relative to `root`.
pub fn finding_lines(scan: &Scan, root: &Path) -> Vec<String> {
    let mut lines: Vec<String> = scan
        .findings
        .iter()
        .map(|f| {
            let file = scan
                .sources
                .get(f.primary.span.file)
                .expect("finding in a known file");
            let name = file
                .path
                .strip_prefix(root)
                .unwrap_or(&file.path)
                .to_string_lossy()
                .replace('\\', "/");
            let start = scan.sources.start(f.primary.span);
            format!("{name}:{}:{} {}", start.line, start.column, f.rule.id)
        })
        .collect();
    lines.sort();
    lines
}

/// The shared corpus beside the repository, when present.
pub fn shared(dir: &str) -> Option<PathBuf> {
    let path = repo().join("..").join("shared").join(dir);
    if path.is_dir() {
        Some(path)
    } else {
        eprintln!("skipped: {} is absent", path.display());
        None
    }
}

/// A temporary directory holding the given files (paths relative to it).
pub fn scratch(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary directory");
    for (name, content) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("directories");
        std::fs::write(path, content).expect("file written");
    }
    dir
}
