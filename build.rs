//! Writes each rule page (`rules/*.md`) as the escaped text of a JSON string, so that a SARIF
//! report, which carries every page, does not escape them again at every run.

use std::path::{Path, PathBuf};

fn main() {
    println!("cargo::rerun-if-changed=rules");
    let mut pages: Vec<PathBuf> = std::fs::read_dir("rules")
        .expect("the rules directory")
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|e| e == "md"))
        .collect();
    pages.sort();
    let mut code = String::from(
        "/// Each rule page by rule id: its length in bytes, and its text escaped as inside a \
         JSON string.\npub fn page_json(id: &str) -> Option<(usize, &'static str)> {\n    match id {\n",
    );
    for page in pages {
        let id = page
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("a page named by its rule id");
        let text = std::fs::read_to_string(&page).expect("a rule page in UTF-8");
        let json = serde_json::to_string(&text).expect("a string serializes");
        let escaped = json.get(1..json.len() - 1).expect("a quoted string");
        code.push_str(&format!(
            "        {id:?} => Some(({}, {escaped:?})),\n",
            text.len()
        ));
    }
    code.push_str("        _ => None,\n    }\n}\n");
    let out = std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR");
    std::fs::write(Path::new(&out).join("rule_pages.rs"), code).expect("write rule_pages.rs");
}
