//! The Bicep parser against the compiler's own samples (`../shared/bicep`) and the corpus
//! (`../shared/corpus`), skipped with a printed reason when they are absent, and unit tests
//! of spans, strings, precedence and recovery.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use acr_lint::bicep::syntax::{
    self, ArrayItem, BinaryOp, Body, DeclKind, ExprKind, ObjectItem, ParsedFile, StringPart,
    TypeKind, UnaryOp,
};

fn shared(relative: &str) -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared")
        .join(relative);
    if path.is_dir() {
        Some(path)
    } else {
        eprintln!("skipped: {} is absent", path.display());
        None
    }
}

fn is_source(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    !name.contains(".diagnostics.") && (name.ends_with(".bicep") || name.ends_with(".bicepparam"))
}

/// Every `.bicep`/`.bicepparam` source under `dir` (diagnostics files excluded), sorted.
fn sources(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if is_source(&path) {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

fn parse_path(path: &Path) -> (String, ParsedFile) {
    let text = std::fs::read_to_string(path).unwrap();
    let parsed = if path.extension().is_some_and(|e| e == "bicepparam") {
        syntax::parse_params(&text)
    } else {
        syntax::parse(&text)
    };
    (text, parsed)
}

/// 1-based line and column (in characters) of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, column)
}

/// Each syntax error as `file:line:col: CODE message`.
fn describe_errors(path: &Path, text: &str, parsed: &ParsedFile) -> Vec<String> {
    parsed
        .errors
        .iter()
        .map(|e| {
            let (line, col) = line_col(text, e.span.start);
            format!("{}:{line}:{col}: {} {}", path.display(), e.code, e.message)
        })
        .collect()
}

/// Parses every file and returns the descriptions of all syntax errors.
fn failures(files: &[PathBuf]) -> Vec<String> {
    files
        .iter()
        .flat_map(|path| {
            let (text, parsed) = parse_path(path);
            describe_errors(path, &text, &parsed)
        })
        .collect()
}

fn sample_dirs(root: &Path) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

fn has_compiler_error(dir: &Path) -> bool {
    std::fs::read_dir(dir).unwrap().flatten().any(|e| {
        let name = e.file_name().to_string_lossy().into_owned();
        name.contains(".diagnostics.")
            && std::fs::read_to_string(e.path()).is_ok_and(|t| t.contains("(Error)"))
    })
}

fn assert_no_failures(what: &str, files: usize, failures: &[String]) {
    for failure in failures {
        eprintln!("{failure}");
    }
    eprintln!("{what}: {files} files, {} syntax errors", failures.len());
    assert!(files > 0, "{what}: no files found");
    assert!(
        failures.is_empty(),
        "{what}: {} syntax errors",
        failures.len()
    );
}

#[test]
fn samples_the_compiler_accepts_parse_without_error() {
    let mut files = Vec::new();
    for folder in ["bicep/baselines", "bicep/baselines_bicepparam"] {
        let Some(root) = shared(folder) else { return };
        for dir in sample_dirs(&root) {
            if !has_compiler_error(&dir) {
                files.extend(sources(&dir));
            }
        }
    }
    assert_no_failures(
        "compiler-accepted baselines",
        files.len(),
        &failures(&files),
    );
}

#[test]
fn user_submitted_samples_parse_without_error() {
    let Some(root) = shared("bicep/user_submitted") else {
        return;
    };
    let files = sources(&root);
    assert_no_failures("user_submitted", files.len(), &failures(&files));
}

#[test]
fn corpus_bicep_files_parse_without_error() {
    let Some(root) = shared("corpus") else { return };
    let files = sources(&root);
    assert_no_failures("corpus", files.len(), &failures(&files));
}

/// The compiler's codes for errors found while lexing and parsing (the others come from name
/// resolution and type checking, which this parser does not do).
const PARSE_CODES: &[&str] = &[
    "BCP001", "BCP002", "BCP003", "BCP004", "BCP005", "BCP006", "BCP007", "BCP008", "BCP009",
    "BCP010", "BCP012", "BCP013", "BCP015", "BCP016", "BCP017", "BCP018", "BCP019", "BCP020",
    "BCP022", "BCP023", "BCP064", "BCP068", "BCP096", "BCP097", "BCP103", "BCP117", "BCP118",
    "BCP123", "BCP132", "BCP153", "BCP136", "BCP140", "BCP147", "BCP162", "BCP167", "BCP201", "BCP202",
    "BCP226", "BCP236", "BCP237", "BCP238", "BCP243", "BCP249", "BCP266", "BCP279", "BCP290",
    "BCP291", "BCP292", "BCP325", "BCP337", "BCP346", "BCP347",
];

/// The 1-based source lines on which the compiler reports a parse error, from a
/// `*.diagnostics.*` file: each `//@[start:end) [BCPnnn (Error)]` line belongs to the source
/// line above it.
fn compiler_parse_error_lines(diagnostics: &str) -> BTreeSet<usize> {
    let mut lines = BTreeSet::new();
    let mut source_line = 0;
    for line in diagnostics.lines() {
        let Some(rest) = line.strip_prefix("//@[") else {
            source_line += 1;
            continue;
        };
        let is_parse_error = rest.split_once(") [").is_some_and(|(_, diagnostic)| {
            PARSE_CODES
                .iter()
                .any(|code| diagnostic.starts_with(&format!("{code} (Error)")))
        });
        if is_parse_error {
            lines.insert(source_line);
        }
    }
    lines
}

/// Samples whose parse-error lines differ from the compiler's, each with the reason.
const KNOWN_MISMATCHES: &[(&str, &str)] = &[
    (
        "InvalidLambdas_LF",
        "line 86: after the broken lambda parameter list on lines 83-85 the compiler's recovery \
         also consumes the `)` on line 86; the parser reports it as an unknown declaration",
    ),
    (
        "InvalidMultilineString_CRLF",
        "the baseline prints the unterminated multi-line string error (BCP140) under the \
         string's last line (2); the parser reports it where the string starts (line 1)",
    ),
    (
        "InvalidParameters_LF",
        "line 87 `'${{this: doesnt}.work}'`: the compiler ends the interpolation at the object's \
         `}` and reports the last quote as an unterminated string; the parser reads the object \
         inside the interpolation (no syntax error there)",
    ),
    (
        "InvalidTestFramework_CRLF",
        "lines 106-110 and 122: after `test sample{` and inside an unclosed `test ... = {` the \
         compiler skips the braced block silently; the parser reports its lines",
    ),
];

#[test]
fn invalid_samples_report_syntax_errors_on_the_compilers_lines() {
    let mut samples = Vec::new();
    for (folder, source, diagnostics) in [
        ("bicep/baselines", "main.bicep", "main.diagnostics.bicep"),
        (
            "bicep/baselines_bicepparam",
            "parameters.bicepparam",
            "parameters.diagnostics.bicepparam",
        ),
    ] {
        let Some(root) = shared(folder) else { return };
        for dir in sample_dirs(&root) {
            let name = dir.file_name().unwrap().to_string_lossy().into_owned();
            if name.starts_with("Invalid") {
                samples.push((name, dir.join(source), dir.join(diagnostics)));
            }
        }
    }
    let mut mismatched = Vec::new();
    for (name, source, diagnostics) in &samples {
        let expected = compiler_parse_error_lines(&std::fs::read_to_string(diagnostics).unwrap());
        let (text, parsed) = parse_path(source);
        let actual: BTreeSet<usize> = parsed
            .errors
            .iter()
            .map(|e| line_col(&text, e.span.start).0)
            .collect();
        let known = KNOWN_MISMATCHES.iter().find(|(n, _)| n == name);
        if expected == actual {
            assert!(
                known.is_none(),
                "{name} now matches the compiler: remove it from KNOWN_MISMATCHES"
            );
            eprintln!("{name}: {} lines match", expected.len());
            continue;
        }
        let missing: Vec<_> = expected.difference(&actual).collect();
        let extra: Vec<_> = actual.difference(&expected).collect();
        eprintln!("{name}: compiler-only lines {missing:?}, parser-only lines {extra:?}");
        for error in describe_errors(source, &text, &parsed) {
            let line: usize = error
                .split(':')
                .nth(1)
                .and_then(|l| l.parse().ok())
                .unwrap_or(0);
            if extra.contains(&&line) {
                eprintln!("  parser-only: {error}");
            }
        }
        if known.is_none() {
            mismatched.push(name.clone());
        }
    }
    assert!(!samples.is_empty(), "no Invalid samples found");
    assert!(
        mismatched.is_empty(),
        "syntax errors not on the compiler's lines in: {mismatched:?}"
    );
}
