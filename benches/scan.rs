//! Throughput benchmarks (divan): `cargo bench`, or `cargo bench -- NAME` for one group.
//!
//! - `end_to_end`: `../shared/bench/synthetic` (4,000 files) scanned with the default rules and
//!   rendered as SARIF into a sink; `scan_only` is the same without the rendering;
//! - `parse`: the ARM JSON parser and the HCL parser over the synthetic files, held in memory,
//!   and the Bicep and HCL parsers over the same generated registries (`*_generated`);
//! - `scaling`: 1, 2, 5 and 10 real copies of the synthetic tree (copied once into a temp dir);
//! - `changed_file`: a generated 100-file Terraform module, scanned as one file (what a pre-commit
//!   hook passes) and as the whole directory, one file of the Bicep share's 100-file directory,
//!   and every synthetic file given by name (`every_file_by_name`, as `--all-files` passes them);
//! - `bicep_share` and `end_to_end_mixed`: the Bicep share (`support/bicep_share.rs`: the 2,000 ARM
//!   templates written again in Bicep, 100 a directory) alone, and beside the synthetic corpus
//!   (6,000 files), default rules, SARIF into a sink; `parse::bicep_share` parses its files.
//!
//! The groups that need the synthetic corpus print why they are skipped when it is absent.
//! BENCHMARKS.md has the figures and the machine.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use acr_lint::ScanOptions;
use acr_lint::report::{self, Format};
use divan::counter::BytesCount;
use divan::{Bencher, black_box};

#[path = "support/bicep_share.rs"]
mod bicep_share;
#[path = "support/terraform_module.rs"]
mod terraform_module;

fn main() {
    if SYNTHETIC.is_none() {
        eprintln!(
            "skipped end_to_end, end_to_end_mixed, bicep_share, scan_only, parse, scaling, changed_file::single_bicep_file and changed_file::every_file_by_name: {} is absent \
             (regenerate it with ../shared/bench/gen_synthetic.py)",
            synthetic_path().display()
        );
    }
    divan::main();
}

/// The Terraform and JSON files below `root`.
fn walkdir_files(root: &Path) -> Vec<PathBuf> {
    let entries = |dir: &Path| -> Vec<PathBuf> {
        fs::read_dir(dir)
            .map(|read| read.flatten().map(|e| e.path()).collect())
            .unwrap_or_default()
    };
    let mut files = Vec::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for path in entries(&dir) {
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "tf" || e == "json") {
                files.push(path);
            }
        }
    }
    files
}

fn synthetic_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/bench/synthetic")
}

static SYNTHETIC: LazyLock<Option<PathBuf>> = LazyLock::new(|| {
    let path = synthetic_path();
    path.is_dir()
        .then(|| fs::canonicalize(&path).unwrap_or(path))
});

/// The Bicep share of the synthetic corpus, written once per run into a temp dir.
static BICEP_SHARE: LazyLock<Option<tempfile::TempDir>> = LazyLock::new(|| {
    let root = SYNTHETIC.as_ref()?;
    let dir = tempfile::tempdir().expect("a temp dir");
    bicep_share::write_share(root, dir.path(), usize::MAX).expect("write the Bicep share");
    Some(dir)
});

#[divan::bench(sample_count = 10, sample_size = 1)]
fn bicep_share(bencher: Bencher) {
    let Some(share) = BICEP_SHARE.as_ref() else {
        return;
    };
    let path = share.path().to_path_buf();
    bencher.bench(|| scan_to_sarif(vec![path.clone()]));
}

/// The synthetic corpus and its Bicep share together: 2,000 Terraform files, 2,000 ARM
/// templates and 2,000 Bicep templates.
#[divan::bench(sample_count = 10, sample_size = 1)]
fn end_to_end_mixed(bencher: Bencher) {
    let (Some(root), Some(share)) = (SYNTHETIC.clone(), BICEP_SHARE.as_ref()) else {
        return;
    };
    let paths = vec![root, share.path().to_path_buf()];
    bencher.bench(|| scan_to_sarif(paths.clone()));
}

/// Scans `paths` with the default rules and renders SARIF into a sink, as
/// `acr-lint PATHS -f sarif=FILE` does.
fn scan_to_sarif(paths: Vec<PathBuf>) -> usize {
    let scan = acr_lint::scan(&ScanOptions::new(paths));
    let mut sink = io::sink();
    report::render(&scan, Format::Sarif, false, &mut sink).expect("a sink accepts everything");
    scan.findings.len()
}

#[divan::bench(sample_count = 10, sample_size = 1)]
fn end_to_end(bencher: Bencher) {
    let Some(root) = SYNTHETIC.clone() else {
        return;
    };
    bencher.bench(|| scan_to_sarif(vec![root.clone()]));
}

#[divan::bench(sample_count = 10, sample_size = 1)]
fn scan_only(bencher: Bencher) {
    let Some(root) = SYNTHETIC.clone() else {
        return;
    };
    bencher.bench(|| {
        acr_lint::scan(&ScanOptions::new(vec![root.clone()]))
            .findings
            .len()
    });
}

/// The synthetic files with the given extension, read into memory.
fn texts(extension: &str) -> Vec<String> {
    SYNTHETIC
        .as_ref()
        .map(|root| texts_below(root, extension))
        .unwrap_or_default()
}

/// The files below `root` with the given extension, read into memory in path order.
fn texts_below(root: &Path, extension: &str) -> Vec<String> {
    let mut files = Vec::new();
    collect(root, extension, &mut files);
    files.sort();
    files
        .iter()
        .map(|f| fs::read_to_string(f).expect("synthetic files are UTF-8"))
        .collect()
}

fn collect(dir: &Path, extension: &str, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).expect("readable directory").flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, extension, out);
        } else if path.extension().is_some_and(|e| e == extension) {
            out.push(path);
        }
    }
}

fn total_bytes(texts: &[String]) -> BytesCount {
    BytesCount::new(texts.iter().map(String::len).sum::<usize>())
}

mod parse {
    use super::*;

    /// The 2,000 ARM templates through the JSON parser (one thread).
    #[divan::bench(sample_count = 20, sample_size = 1)]
    fn arm_json(bencher: Bencher) {
        let texts = texts("json");
        bencher.counter(total_bytes(&texts)).bench(|| {
            texts
                .iter()
                .filter(|t| acr_lint::arm::json::parse(t, 0).is_ok())
                .count()
        });
    }

    /// The 2,000 Terraform files through the HCL parser (one thread).
    #[divan::bench(sample_count = 20, sample_size = 1)]
    fn hcl(bencher: Bencher) {
        let texts = texts("tf");
        bencher.counter(total_bytes(&texts)).bench(|| {
            texts
                .iter()
                .filter(|t| acr_lint::terraform::parse(t).is_ok())
                .count()
        });
    }

    /// The Bicep share's 2,000 templates (the ARM templates' registries) through the Bicep
    /// parser (one thread).
    #[divan::bench(sample_count = 20, sample_size = 1)]
    fn bicep_share(bencher: Bencher) {
        let texts = BICEP_SHARE
            .as_ref()
            .map(|share| texts_below(share.path(), "bicep"))
            .unwrap_or_default();
        bencher.counter(total_bytes(&texts)).bench(|| {
            texts
                .iter()
                .filter(|t| acr_lint::bicep::syntax::parse(t).errors.is_empty())
                .count()
        });
    }

    /// A generated Bicep file of 2,000 registries (about 2 MB) through the Bicep parser.
    #[divan::bench(sample_count = 20, sample_size = 1)]
    fn bicep_generated(bencher: Bencher) {
        let text = generated_bicep(2_000);
        assert!(acr_lint::bicep::syntax::parse(&text).errors.is_empty());
        bencher.counter(BytesCount::of_str(&text)).bench(|| {
            acr_lint::bicep::syntax::parse(black_box(&text))
                .errors
                .len()
        });
    }

    /// The same registries written in Terraform, through the HCL parser.
    #[divan::bench(sample_count = 20, sample_size = 1)]
    fn hcl_generated(bencher: Bencher) {
        let text = generated_hcl(2_000);
        assert!(acr_lint::terraform::parse(&text).is_ok());
        bencher
            .counter(BytesCount::of_str(&text))
            .bench(|| acr_lint::terraform::parse(black_box(&text)).is_ok());
    }
}

/// `count` registries with parameters, conditions, loops, interpolation and nested objects.
fn generated_bicep(count: usize) -> String {
    let mut text = String::from("param location string = resourceGroup().location\n");
    for i in 0..count {
        text.push_str(&format!(
            "@description('Registry {i}')\n\
             param sku{i} string = 'Premium'\n\
             var name{i} = 'acr${{uniqueString(resourceGroup().id)}}{i}'\n\
             resource acr{i} 'Microsoft.ContainerRegistry/registries@2023-07-01' = if (sku{i} != 'Basic') {{\n  \
               name: name{i}\n  location: location\n  sku: {{\n    name: sku{i}\n  }}\n  \
               identity: {{\n    type: 'SystemAssigned'\n  }}\n  \
               properties: {{\n    adminUserEnabled: false\n    publicNetworkAccess: 'Disabled'\n    \
               networkRuleSet: {{\n      defaultAction: 'Deny'\n      \
               ipRules: [for (ip, j) in ['10.0.0.{i}', '10.0.1.{i}']: {{\n        value: ip\n        action: 'Allow'\n      }}]\n    }}\n    \
               policies: {{\n      retentionPolicy: {{\n        days: 7 * 2\n        status: 'enabled'\n      }}\n    }}\n  }}\n  \
               tags: {{\n    env: empty(sku{i}) ? 'dev' : 'prod'\n  }}\n}}\n\n"
        ));
    }
    text
}

/// The registries of [`generated_bicep`] as `azurerm_container_registry` blocks.
fn generated_hcl(count: usize) -> String {
    let mut text = String::from("variable \"location\" {\n  default = \"westeurope\"\n}\n");
    for i in 0..count {
        text.push_str(&format!(
            "variable \"sku{i}\" {{\n  description = \"Registry {i}\"\n  default = \"Premium\"\n}}\n\
             locals {{\n  name{i} = \"acr${{var.location}}{i}\"\n}}\n\
             resource \"azurerm_container_registry\" \"acr{i}\" {{\n  \
               count = var.sku{i} != \"Basic\" ? 1 : 0\n  name = local.name{i}\n  \
               location = var.location\n  sku = var.sku{i}\n  \
               identity {{\n    type = \"SystemAssigned\"\n  }}\n  \
               admin_enabled = false\n  public_network_access_enabled = false\n  \
               network_rule_set {{\n    default_action = \"Deny\"\n    \
               ip_rule = [for ip in [\"10.0.0.{i}\", \"10.0.1.{i}\"] : {{\n      ip_range = ip\n      action = \"Allow\"\n    }}]\n  }}\n  \
               retention_policy {{\n    days = 7 * 2\n    enabled = true\n  }}\n  \
               tags = {{\n    env = var.sku{i} == \"\" ? \"dev\" : \"prod\"\n  }}\n}}\n\n"
        ));
    }
    text
}

/// Ten real copies of the synthetic tree, made once per run: `copies/c0` ... `copies/c9`.
static COPIES: LazyLock<Option<(tempfile::TempDir, Vec<PathBuf>)>> = LazyLock::new(|| {
    let root = SYNTHETIC.as_ref()?;
    let dir = tempfile::tempdir().expect("a temp dir");
    let copies = (0..10)
        .map(|i| {
            let copy = dir.path().join(format!("c{i}"));
            copy_tree(root, &copy).expect("copy the synthetic tree");
            copy
        })
        .collect();
    Some((dir, copies))
});

fn copy_tree(from: &Path, to: &Path) -> io::Result<()> {
    fs::create_dir_all(to)?;
    for entry in fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_tree(&entry.path(), &target)?;
        } else {
            fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}

/// The synthetic corpus N times (N separate directory trees), all rules, SARIF to a sink.
#[divan::bench(args = [1, 2, 5, 10], sample_count = 3, sample_size = 1)]
fn scaling(bencher: Bencher, copies: usize) {
    let Some((_, trees)) = COPIES.as_ref() else {
        return;
    };
    let paths: Vec<PathBuf> = trees.iter().take(copies).cloned().collect();
    bencher
        .counter(divan::counter::ItemsCount::new(copies * 4000))
        .bench(|| scan_to_sarif(paths.clone()));
}

/// A Terraform module of 100 files, like the synthetic ones: each declares a resource group, a
/// virtual network, a storage account and a registry, some through module variables and locals.
static MODULE: LazyLock<tempfile::TempDir> = LazyLock::new(|| {
    let dir = tempfile::tempdir().expect("a temp dir");
    fs::write(dir.path().join("variables.tf"), terraform_module::VARIABLES)
        .expect("write variables.tf");
    for i in 1..100 {
        fs::write(
            dir.path().join(format!("file_{i:03}.tf")),
            terraform_module::module_file(i),
        )
        .expect("write a module file");
    }
    dir
});

mod changed_file {
    use super::*;

    /// One file of the module given as the path, as a pre-commit hook passes it.
    #[divan::bench(sample_count = 50)]
    fn single_file(bencher: Bencher) {
        let file = MODULE.path().join("file_042.tf");
        bencher.bench(|| scan_to_sarif(vec![black_box(file.clone())]));
    }

    /// One template of the Bicep share given as the path (its 100-file directory is there).
    #[divan::bench(sample_count = 50)]
    fn single_bicep_file(bencher: Bencher) {
        let Some(share) = BICEP_SHARE.as_ref() else {
            return;
        };
        let file = share.path().join("g07").join("acr_0742.bicep");
        bencher.bench(|| scan_to_sarif(vec![black_box(file.clone())]));
    }

    /// Every file of the synthetic corpus given by name, as `pre-commit run --all-files` passes
    /// them: each directory is read once for the context of its files, not once a file.
    #[divan::bench(sample_count = 10, sample_size = 1)]
    fn every_file_by_name(bencher: Bencher) {
        let Some(root) = SYNTHETIC.as_ref() else {
            return;
        };
        let mut files: Vec<PathBuf> = walkdir_files(root);
        files.sort();
        bencher.bench(|| scan_to_sarif(black_box(files.clone())));
    }

    /// The whole 100-file module directory.
    #[divan::bench(sample_count = 20)]
    fn whole_module(bencher: Bencher) {
        let dir = MODULE.path().to_path_buf();
        bencher.bench(|| scan_to_sarif(vec![black_box(dir.clone())]));
    }
}
