//! The import graph follows the pipeline: no module imports a layer above its own, and a front
//! end imports no other front end except through an edge declared here. ARCHITECTURE.md
//! describes the layers.

use std::path::{Path, PathBuf};

/// Layers from the bottom up; a file belongs to the first entry its path (below `src/`) starts
/// with. Files of one layer may import each other.
const LAYERS: &[(&str, &str, u8)] = &[
    ("source.rs", "source", 0),
    ("model/graph.rs", "link", 3),
    ("model/", "model", 1),
    ("arm/", "front end", 2),
    ("terraform/", "front end", 2),
    ("bicep/", "front end", 2),
    ("rules/", "rules", 4),
    ("suppress.rs", "findings", 5),
    ("baseline.rs", "findings", 5),
    ("variants.rs", "findings", 5),
    ("findings.rs", "findings", 5),
    ("report/", "report", 6),
    ("discover.rs", "driver", 7),
    ("read.rs", "driver", 7),
    ("config.rs", "driver", 7),
    ("scan.rs", "driver", 7),
    ("lib.rs", "driver", 7),
    ("lsp/", "interface", 8),
    ("main.rs", "interface", 8),
];

const FRONT_ENDS: &[&str] = &["arm", "terraform", "bicep"];

/// Front-end edges allowed: Bicep reuses the ARM expression library and template reader.
const DECLARED_FRONT_END_EDGES: &[(&str, &str)] = &[("bicep", "arm")];

fn layer_of(relative: &str) -> Option<(&'static str, u8)> {
    LAYERS
        .iter()
        .find(|(prefix, _, _)| relative.starts_with(prefix))
        .map(|(_, name, level)| (*name, *level))
}

/// The file a module path names (`model::graph` is `model/graph.rs`, `model` is `model/`),
/// as the `LAYERS` table spells it; items of the crate root are `lib.rs`'s.
fn target_file(segments: &[&str]) -> String {
    match segments {
        [] => "lib.rs".into(),
        [first, ..] if first.chars().next().is_some_and(char::is_uppercase) => "lib.rs".into(),
        [module] => format!("{module}/"),
        [module, inner, ..] => format!("{module}/{inner}.rs"),
    }
}

/// The module path of a file below `src/`: `arm/expr/mod.rs` is `["arm", "expr"]`.
fn module_path(relative: &str) -> Vec<String> {
    let trimmed = relative.trim_end_matches(".rs");
    let mut parts: Vec<String> = trimmed.split('/').map(String::from).collect();
    if matches!(
        parts.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        parts.pop();
    }
    parts
}

/// Every `crate::`/`super::` path in a line of code, resolved to crate-absolute segments, with
/// the items of `use crate::{a, b}` groups.
fn imported_paths(line: &str, module: &[String]) -> Vec<Vec<String>> {
    let code = line.split("//").next().unwrap_or("");
    let mut found = Vec::new();
    for (at, _) in code
        .match_indices("crate::")
        .chain(code.match_indices("super::"))
    {
        let before = code.get(..at).unwrap_or("");
        if before.ends_with("super::")
            || before.ends_with(|c: char| c.is_alphanumeric() || c == '_')
        {
            continue;
        }
        let rest = code.get(at..).unwrap_or("");
        let path: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':' || *c == '{')
            .collect();
        let mut segments: Vec<&str> = path.split("::").filter(|s| !s.is_empty()).collect();
        let mut resolved: Vec<String> = Vec::new();
        match segments.first() {
            Some(&"crate") => {
                segments.remove(0);
            }
            _ => {
                resolved = module.to_vec();
                while segments.first() == Some(&"super") {
                    segments.remove(0);
                    resolved.pop();
                }
            }
        }
        if segments.last().is_some_and(|s| s.starts_with('{')) {
            segments.pop();
            let group = rest.split_once('{').map_or("", |(_, g)| g);
            let group = group.split('}').next().unwrap_or("");
            for item in group.split(',').map(str::trim).filter(|i| !i.is_empty()) {
                let item = item.split_whitespace().next().unwrap_or(item);
                let mut one = resolved.clone();
                one.extend(segments.iter().map(|s| s.to_string()));
                one.extend(item.split("::").filter(|s| *s != "self").map(String::from));
                found.push(one);
            }
            continue;
        }
        resolved.extend(segments.iter().map(|s| s.to_string()));
        found.push(resolved);
    }
    found
}

fn rust_files(directory: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(directory) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, files);
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
}

/// Every import that goes up the pipeline or between undeclared front ends, as
/// `file:line: from -> to`.
fn violations(src: &Path) -> Vec<String> {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    files.sort();
    let mut found = Vec::new();
    for file in files {
        let relative = file
            .strip_prefix(src)
            .unwrap_or(&file)
            .to_string_lossy()
            .replace('\\', "/");
        let Some((from_name, from_level)) = layer_of(&relative) else {
            found.push(format!("{relative}: not in the layer table"));
            continue;
        };
        let module = module_path(&relative);
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        for (number, line) in text.lines().enumerate() {
            for path in imported_paths(line, &module) {
                let segments: Vec<&str> = path.iter().map(String::as_str).collect();
                let target = target_file(&segments);
                let Some((to_name, to_level)) = layer_of(&target) else {
                    continue;
                };
                let from_front = module
                    .first()
                    .map(String::as_str)
                    .filter(|m| FRONT_ENDS.contains(m));
                let to_front = segments.first().copied().filter(|m| FRONT_ENDS.contains(m));
                let crossing = match (from_front, to_front) {
                    (Some(a), Some(b)) => a != b && !DECLARED_FRONT_END_EDGES.contains(&(a, b)),
                    _ => false,
                };
                if to_level > from_level || crossing {
                    found.push(format!(
                        "src/{relative}:{}: {from_name} imports {to_name} (`{}`)",
                        number + 1,
                        segments.join("::")
                    ));
                }
            }
        }
    }
    found
}

#[test]
fn imports_follow_the_pipeline() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let found = violations(&src);
    assert!(
        found.is_empty(),
        "imports against the pipeline:\n{}",
        found.join("\n")
    );
}

#[test]
fn an_upward_import_is_caught() {
    let module = module_path("model/mod.rs");
    let paths = imported_paths("use crate::suppress::{Suppression, Problem};", &module);
    let targets: Vec<String> = paths
        .iter()
        .map(|p| target_file(&p.iter().map(String::as_str).collect::<Vec<_>>()))
        .collect();
    assert_eq!(targets, ["suppress/", "suppress/"]);
    assert_eq!(layer_of("suppress.rs").map(|l| l.1), Some(5));
    let sibling = imported_paths(
        "let x = super::super::arm::copy_stem(a);",
        &module_path("terraform/eval/mod.rs"),
    );
    assert_eq!(sibling, [vec!["arm".to_string(), "copy_stem".to_string()]]);
}
