//! The whole pipeline on one input, written both as `main.tf` and as `azuredeploy.json`, then
//! rendered in every format.
#![no_main]

use std::io;

use acr_lint::ScanOptions;
use acr_lint::report::{self, Format};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(dir) = tempfile::tempdir() else {
        return;
    };
    for name in ["main.tf", "azuredeploy.json"] {
        if std::fs::write(dir.path().join(name), data).is_err() {
            return;
        }
    }
    let mut options = ScanOptions::new(vec![dir.path().to_path_buf()]);
    options.show_unknown = true;
    let scan = acr_lint::scan(&options);
    for (finding, file) in scan.findings.iter().map(|f| (f, scan.sources.get(f.primary.span.file))) {
        let text = file.map_or("", |f| f.text.as_str());
        assert!(finding.primary.span.end <= text.len());
    }
    for format in [Format::Pretty, Format::Concise, Format::Json, Format::Sarif] {
        report::render(&scan, format, false, &mut io::sink()).expect("a sink accepts all");
    }
    report::render_errors(&scan, false, &mut io::sink()).expect("a sink accepts all");
});
