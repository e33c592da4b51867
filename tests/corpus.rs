//! Every real template and module in the shared corpus is read without a crash or parse error.

mod common;

#[test]
fn corpus_scans_without_errors() {
    let Some(corpus) = common::shared("corpus") else {
        return;
    };
    let scan = common::scan(&corpus);
    let errors: Vec<String> = scan
        .errors
        .iter()
        .map(|e| format!("{}: {}", e.path, e.message))
        .collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    assert!(
        scan.files_scanned > 100,
        "only {} files scanned",
        scan.files_scanned
    );
    assert!(
        scan.registries >= 20,
        "only {} registries found",
        scan.registries
    );
}
