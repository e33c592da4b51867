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

/// Where a concise report's findings of `rule` are (`file:line:col`), sorted.
pub fn concise_places(stdout: &str, rule: &str) -> Vec<String> {
    let tag = format!("[{rule}]");
    let mut places: Vec<String> = stdout
        .lines()
        .filter(|line| line.contains(&tag))
        .filter_map(|line| line.split(": ").next().map(str::to_string))
        .collect();
    places.sort();
    places
}

/// The shared corpus beside the repository, or why it cannot be used.
pub fn shared(dir: &str) -> Result<PathBuf, String> {
    let path = repo().join("..").join("shared").join(dir);
    if path.is_dir() {
        Ok(path)
    } else {
        Err(format!("needs ../shared/{dir}, which is absent"))
    }
}

/// A test for the libtest-mimic harness that needs something the machine may lack: run with
/// it when `needs` has it, reported as ignored with the reason otherwise.
pub fn trial<T: Send + 'static>(
    name: &str,
    needs: Result<T, String>,
    test: fn(T),
) -> libtest_mimic::Trial {
    match needs {
        Ok(input) => libtest_mimic::Trial::test(name, move || {
            test(input);
            Ok(())
        }),
        Err(reason) => libtest_mimic::Trial::test(name, || Ok(()))
            .with_kind(format!("ignored: {reason}"))
            .with_ignored_flag(true),
    }
}

/// A test for the libtest-mimic harness that needs nothing.
pub fn always(name: &str, test: fn()) -> libtest_mimic::Trial {
    libtest_mimic::Trial::test(name, move || {
        test();
        Ok(())
    })
}

/// Runs the trials as `cargo test` runs tests (filters, `--ignored`, `--list`).
pub fn run_trials(trials: Vec<libtest_mimic::Trial>) -> std::process::ExitCode {
    let arguments = libtest_mimic::Arguments::from_args();
    match libtest_mimic::run(&arguments, trials).has_failed() {
        true => std::process::ExitCode::FAILURE,
        false => std::process::ExitCode::SUCCESS,
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

/// A Bicep registry whose admin user a parameter sets (line 10), off by default.
pub const ADMIN_REGISTRY: &str = "param adminEnabled bool = false

resource acr 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: 'contosoregistry'
  location: 'westeurope'
  sku: {
    name: 'Premium'
  }
  properties: {
    adminUserEnabled: adminEnabled
  }
}
";

/// A registry module as the Bicep CLI restores it (`bicep restore`), at
/// [`CACHED_MODULE_PATH`] below the home directory: a registry with the admin user set by a
/// parameter.
pub const CACHED_MODULE: &str = r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "languageVersion": "2.0",
  "contentVersion": "1.0.0.0",
  "parameters": {
    "name": {"type": "string"},
    "acrAdminUserEnabled": {"type": "bool", "defaultValue": false}
  },
  "resources": {
    "registry": {
      "type": "Microsoft.ContainerRegistry/registries",
      "apiVersion": "2023-07-01",
      "name": "[parameters('name')]",
      "location": "westeurope",
      "sku": {"name": "Premium"},
      "properties": {"adminUserEnabled": "[parameters('acrAdminUserEnabled')]"}
    }
  }
}
"#;

/// Where the restore cache keeps `br/public:avm/res/container-registry/registry:0.1.0`.
pub const CACHED_MODULE_PATH: &str =
    ".bicep/br/mcr.microsoft.com/bicep$avm$res$container-registry$registry/0.1.0$/main.json";

/// A call of that module that enables the admin user (line 5).
pub const REGISTRY_MODULE_CALL: &str =
    "module registry 'br/public:avm/res/container-registry/registry:0.1.0' = {
  name: 'registry'
  params: {
    name: 'contosoregistry'
    acrAdminUserEnabled: true
  }
}
";

/// Holds `alone`, the scan of the file `name` of `root` given by name, to what `whole`, the scan
/// of `root`, reports: the same findings in that file, and besides only findings `whole` has
/// too, on resources the file deploys through the modules it calls (a Bicep template's, whose
/// unit is the file). The number of findings `alone` reports.
pub fn assert_reports_as_the_scan(whole: &Scan, alone: &Scan, root: &Path, name: &str) -> usize {
    let given = root.join(name).canonicalize().ok();
    let in_file = finding_lines_in_file(alone, root, name);
    assert_eq!(in_file, finding_lines_in_file(whole, root, name), "{name}");
    let everything = finding_lines(alone, root);
    let besides: Vec<&String> = everything.iter().filter(|l| !in_file.contains(l)).collect();
    if besides.is_empty() {
        return everything.len();
    }
    let whole_lines = finding_lines(whole, root);
    for line in &besides {
        assert!(
            whole_lines.contains(line),
            "{name}: {line} is not in the scan"
        );
    }
    let deployed_by_the_file = |unit: &str| {
        acr_lint::model::unit_names(unit)
            .any(|unit_name| Path::new(unit_name).canonicalize().ok() == given)
    };
    let outside = alone.findings.iter().filter(|f| {
        let file = alone
            .sources
            .get(f.primary.span.file)
            .map(|f| f.path.clone());
        file.is_some_and(|path| path != root.join(name))
            && f.resource_decl.is_none_or(|d| {
                alone
                    .sources
                    .get(d.file)
                    .is_none_or(|f| f.path != root.join(name))
            })
    });
    for finding in outside {
        assert!(
            deployed_by_the_file(&finding.unit),
            "{name}: a finding of {} outside the file",
            finding.unit
        );
    }
    everything.len()
}

/// The findings of `scan` in the file `name`: those that point into it, or are on a resource
/// declared in it.
pub fn finding_lines_in_file(scan: &Scan, root: &Path, name: &str) -> Vec<String> {
    let in_file = |span: acr_lint::source::Span| {
        scan.sources
            .get(span.file)
            .is_some_and(|f| f.path == root.join(name))
    };
    let mut lines: Vec<String> = scan
        .findings
        .iter()
        .filter(|f| in_file(f.primary.span) || f.resource_decl.is_some_and(in_file))
        .map(|f| {
            let file = scan.sources.get(f.primary.span.file).expect("a known file");
            let start = scan.sources.start(f.primary.span);
            let name = file.path.strip_prefix(root).unwrap_or(&file.path);
            let name = name.to_string_lossy();
            format!("{name}:{}:{} {}", start.line, start.column, f.rule.id)
        })
        .collect();
    lines.sort();
    lines
}
