//! The import graph follows the pipeline: no module imports a layer above its own, and a front
//! end imports no other front end except through an edge declared here. ARCHITECTURE.md
//! describes the layers.

use std::path::{Path, PathBuf};

/// Layers from the bottom up, by module path; a module belongs to the first entry its path
/// starts with, and the crate root (`lib.rs`, `main.rs`) to the driver. Modules of one layer may
/// import each other.
const LAYERS: &[(&str, &str, u8)] = &[
    ("source", "source", 0),
    ("model::graph", "link", 3),
    ("model", "model", 1),
    ("arm", "front end", 2),
    ("terraform", "front end", 2),
    ("bicep", "front end", 2),
    ("rules", "rules", 4),
    ("suppress", "findings", 5),
    ("baseline", "findings", 5),
    ("variants", "findings", 5),
    ("findings", "findings", 5),
    ("report", "report", 6),
    ("allocator", "driver", 7),
    ("discover", "driver", 7),
    ("read", "driver", 7),
    ("config", "driver", 7),
    ("scan", "driver", 7),
    ("lsp", "interface", 8),
    ("main", "interface", 8),
];

/// The layer of the crate root, whose items (`crate::Scan`, `crate::scan`) are re-exports.
const ROOT: (&str, u8) = ("driver", 7);

const FRONT_ENDS: &[&str] = &["arm", "terraform", "bicep"];

/// Front-end edges allowed: Bicep reuses the ARM expression library and template reader.
const DECLARED_FRONT_END_EDGES: &[(&str, &str)] = &[("bicep", "arm")];

/// The layer of a module path (`["model", "graph", "link"]`); `None` for the crate root.
fn layer_of(path: &[&str]) -> Option<(&'static str, u8)> {
    LAYERS
        .iter()
        .find(|(prefix, _, _)| {
            let prefix: Vec<&str> = prefix.split("::").collect();
            path.len() >= prefix.len() && path.iter().zip(&prefix).all(|(a, b)| a == b)
        })
        .map(|(_, name, level)| (*name, *level))
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
        let module = module_path(&relative);
        let module_segments: Vec<&str> = module.iter().map(String::as_str).collect();
        let layer = match module_segments.as_slice() {
            [] => Some(ROOT),
            path => layer_of(path),
        };
        let Some((from_name, from_level)) = layer else {
            found.push(format!("src/{relative}: not in the layer table"));
            continue;
        };
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        // Unit tests (at the end of a file) may use anything.
        let shipped = text.lines().take_while(|l| !l.starts_with("#[cfg(test)]"));
        for (number, line) in shipped.enumerate() {
            for path in imported_paths(line, &module) {
                let segments: Vec<&str> = path.iter().map(String::as_str).collect();
                let (to_name, to_level) = layer_of(&segments).unwrap_or(ROOT);
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
    let layers: Vec<_> = paths
        .iter()
        .map(|p| layer_of(&p.iter().map(String::as_str).collect::<Vec<_>>()))
        .collect();
    assert_eq!(layers, [Some(("findings", 5)), Some(("findings", 5))]);
    assert_eq!(layer_of(&["model"]), Some(("model", 1)));
    assert_eq!(layer_of(&["model", "graph", "link"]), Some(("link", 3)));
    let sibling = imported_paths(
        "let x = super::super::arm::copy_stem(a);",
        &module_path("terraform/eval/mod.rs"),
    );
    assert_eq!(sibling, [vec!["arm".to_string(), "copy_stem".to_string()]]);
}

#[test]
fn a_front_end_calling_the_suppression_layer_is_caught() {
    let src = tempfile::tempdir().expect("temporary directory");
    std::fs::create_dir(src.path().join("arm")).expect("directory");
    let call = "    let found = crate::suppress::from_arm_metadata(metadata, &covers);\n";
    std::fs::write(src.path().join("arm/template.rs"), call).expect("file written");
    assert_eq!(
        violations(src.path()),
        ["src/arm/template.rs:1: front end imports findings (`suppress::from_arm_metadata`)"]
    );
}
