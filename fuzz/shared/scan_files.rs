//! What the fuzz targets that write files share: the input split into files of a temp dir, and
//! a scan whose findings must lie inside their files and whose outputs must render.

use std::io;
use std::path::{Path, PathBuf};

use acr_lint::ScanOptions;
use acr_lint::report::{self, Format};

/// Writes the parts of `data` (split at lines of `---8<---`) as the files `names` below `dir`,
/// the missing parts as empty files, after making `directories`; `false` when that fails.
pub fn write_parts(dir: &Path, directories: &[&str], names: &[&str], data: &[u8]) -> bool {
    for directory in directories {
        if std::fs::create_dir_all(dir.join(directory)).is_err() {
            return false;
        }
    }
    let text = String::from_utf8_lossy(data);
    let pieces: Vec<&str> = text.split("\n---8<---\n").collect();
    let parts = pieces.iter().chain(std::iter::repeat(&""));
    names
        .iter()
        .zip(parts)
        .all(|(name, piece)| std::fs::write(dir.join(name), piece).is_ok())
}

/// Scans `paths` with undecided values shown (and the configuration found above the first, as
/// the command line reads it, when it is valid), checks every finding's span and renders the
/// concise, JSON and SARIF formats.
pub fn scan_and_render(paths: Vec<PathBuf>) {
    let found = paths.first().and_then(|path| acr_lint::config::find(path));
    let configuration = found.and_then(|path| acr_lint::config::load(&path).ok());
    let mut options = ScanOptions::new(paths);
    options.show_unknown = true;
    if let Some(configuration) = configuration {
        options.exclude = configuration.exclude.clone();
        options.parameter_pairs = configuration.parameter_pairs.clone();
        options.config = Some(configuration);
    }
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
