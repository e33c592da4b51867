//! The Bicep parser against the compiler's own samples (`../shared/bicep`) and the corpus
//! (`../shared/corpus`), reported as ignored with the reason when they are absent, and unit
//! tests of spans, strings, precedence and recovery.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use acr_lint::bicep::syntax::{
    self, ArrayItem, Body, DeclKind, ExprKind, ObjectItem, ParsedFile, StringPart, TypeKind,
    UnaryOp,
};

fn shared(relative: &str) -> Option<PathBuf> {
    common::shared(relative).ok()
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

fn user_submitted_samples_parse_without_error() {
    let Some(root) = shared("bicep/user_submitted") else {
        return;
    };
    let files = sources(&root);
    assert_no_failures("user_submitted", files.len(), &failures(&files));
}

/// Corpus files that are not valid Bicep, with the lines of their syntax errors and why.
const CORPUS_INVALID: &[(&str, &[usize], &str)] = &[(
    "azure-quickstart-templates/quickstarts/microsoft.containerregistry/\
     container-registry-hidden-marketplace/main.bicep",
    &[27, 28, 29, 30, 31],
    "shell variable assignments (`SUBSCRIPTION_ID='...'`) pasted between the declarations",
)];

fn corpus_bicep_files_parse_without_error() {
    let Some(root) = shared("corpus") else { return };
    let mut clean = Vec::new();
    for path in sources(&root) {
        let relative = path
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        match CORPUS_INVALID.iter().find(|(file, ..)| *file == relative) {
            Some((_, lines, why)) => {
                let (text, parsed) = parse_path(&path);
                let found: Vec<usize> = parsed
                    .errors
                    .iter()
                    .map(|e| line_col(&text, e.span.start).0)
                    .collect::<BTreeSet<_>>()
                    .into_iter()
                    .collect();
                assert_eq!(found, *lines, "{relative} ({why})");
            }
            None => clean.push(path),
        }
    }
    assert_no_failures("corpus", clean.len(), &failures(&clean));
}

/// The compiler's codes for errors found while lexing and parsing (the others come from name
/// resolution and type checking, which this parser does not do).
const PARSE_CODES: &[&str] = &[
    "BCP001", "BCP002", "BCP003", "BCP004", "BCP005", "BCP006", "BCP007", "BCP008", "BCP009",
    "BCP010", "BCP012", "BCP013", "BCP015", "BCP016", "BCP017", "BCP018", "BCP019", "BCP020",
    "BCP022", "BCP023", "BCP024", "BCP064", "BCP068", "BCP096", "BCP097", "BCP103", "BCP117",
    "BCP118", "BCP123", "BCP132", "BCP153", "BCP136", "BCP140", "BCP147", "BCP162", "BCP167",
    "BCP201", "BCP202", "BCP226", "BCP236", "BCP237", "BCP238", "BCP243", "BCP249", "BCP266",
    "BCP279", "BCP290", "BCP291", "BCP292", "BCP325", "BCP337", "BCP346", "BCP347", "BCP401",
];

/// The 1-based source lines on which the compiler reports a parse error, from a
/// `*.diagnostics.*` file: each `//@[start:end) [BCPnnn (Error)]` line belongs to the source
/// line above it, unless `start` lies past that line's end: the baseline then printed it under
/// the last of several lines it counts its offsets across (line breaks it did not split on),
/// and it belongs to the nearest line above that is long enough.
fn compiler_parse_error_lines(diagnostics: &str) -> BTreeSet<usize> {
    let mut lines = BTreeSet::new();
    let mut source: Vec<usize> = Vec::new();
    for line in diagnostics.lines() {
        let Some(rest) = line.strip_prefix("//@[") else {
            source.push(line.chars().count());
            continue;
        };
        let is_parse_error = rest.split_once(") [").is_some_and(|(_, diagnostic)| {
            PARSE_CODES
                .iter()
                .any(|code| diagnostic.starts_with(&format!("{code} (Error)")))
        });
        if !is_parse_error {
            continue;
        }
        let start: usize = rest
            .split(':')
            .next()
            .and_then(|s| s.trim().parse().ok())
            .unwrap_or(0);
        let mut at = source.len();
        while at > 1 && start > source[at - 1] {
            at -= 1;
        }
        lines.insert(at);
    }
    lines
}

/// Samples whose parse-error lines differ from the compiler's, each with the reason.
const KNOWN_MISMATCHES: &[(&str, &str)] = &[];

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

// Unit tests of the syntax tree.

fn parse_clean(text: &str) -> ParsedFile {
    let parsed = syntax::parse(text);
    assert!(parsed.errors.is_empty(), "{text}: {:?}", parsed.errors);
    parsed
}

/// The value of the first `var` of a clean parse.
fn var_value(text: &str) -> syntax::Expr {
    let parsed = parse_clean(text);
    match &parsed.declarations()[0].kind {
        DeclKind::Var(var) => var.value.clone(),
        other => panic!("not a var: {other:?}"),
    }
}

/// The names of the declarations that have one, in order.
fn declared_names(parsed: &ParsedFile) -> Vec<&str> {
    parsed
        .declarations()
        .iter()
        .filter_map(|d| d.name())
        .map(|n| n.name.as_str())
        .collect()
}

fn slice(text: &str, span: syntax::TextSpan) -> &str {
    &text[span.range()]
}

fn spans_cover_the_text_of_each_node() {
    let text = "\u{feff}@secure()\nparam adminPassword string = 'x${y}z' // note\n";
    let parsed = parse_clean(text);
    let decl = &parsed.declarations()[0];
    assert_eq!(
        slice(text, decl.span),
        "@secure()\nparam adminPassword string = 'x${y}z'"
    );
    assert_eq!(slice(text, decl.decorators[0].span), "@secure()");
    assert_eq!(decl.decorator("secure").map(|d| d.args().len()), Some(0));
    let DeclKind::Param(param) = &decl.kind else {
        panic!("not a param")
    };
    assert_eq!(slice(text, param.name.span), "adminPassword");
    assert_eq!(param.ty.as_name(), Some("string"));
    let default = param.default.as_ref().unwrap();
    assert_eq!(slice(text, default.span()), "'x${y}z'");
    let ExprKind::String(lit) = &default.kind else {
        panic!("not a string")
    };
    let StringPart::Interpolation(hole) = &lit.parts[1] else {
        panic!("no interpolation")
    };
    assert_eq!(slice(text, hole.span), "y");
    assert_eq!(parsed.comments.len(), 1);
    assert_eq!(slice(text, parsed.comments[0].span), "// note");
    assert_eq!(parsed.comments[0].text, " note");
}

fn strings_decode_escapes_and_nest_interpolations() {
    let value = var_value(r"var s = '\'\\\n\r\t\$\u{41}\u{D801}\u{DC37}${'in${x}'}end'");
    let ExprKind::String(lit) = &value.kind else {
        panic!("not a string")
    };
    let StringPart::Text { text, .. } = &lit.parts[0] else {
        panic!("no text")
    };
    assert_eq!(text, "'\\\n\r\t$A\u{10437}");
    let StringPart::Interpolation(inner) = &lit.parts[1] else {
        panic!("no interpolation")
    };
    let ExprKind::String(inner) = &inner.kind else {
        panic!("inner not a string")
    };
    assert_eq!(inner.parts.len(), 2);
    assert!(matches!(&lit.parts[2], StringPart::Text { text, .. } if text == "end"));
    assert_eq!(
        var_value("var s = 'a\\${b}'").as_plain_string(),
        Some("a${b}")
    );
}

fn multiline_strings_are_raw_and_drop_their_first_line_break() {
    let value = var_value("var s = '''\nline 'one' \\n ${x}\n'''\n");
    assert_eq!(value.as_plain_string(), Some("line 'one' \\n ${x}\n"));
    let value = var_value("var s = $'''a${x}b'''\n");
    let ExprKind::String(lit) = &value.kind else {
        panic!("not a string")
    };
    assert!(lit.multiline);
    assert_eq!(lit.parts.len(), 3);
}

/// The expression written with every operation in parentheses.
fn shape(expr: &syntax::Expr) -> String {
    match &expr.kind {
        ExprKind::Binary(b) => format!("({} {} {})", shape(&b.left), b.op.text(), shape(&b.right)),
        ExprKind::Unary(UnaryOp::Not, e) => format!("!{}", shape(e)),
        ExprKind::Unary(UnaryOp::Minus, e) => format!("-{}", shape(e)),
        ExprKind::Ternary(t) => format!(
            "({} ? {} : {})",
            shape(&t.condition),
            shape(&t.then),
            shape(&t.otherwise)
        ),
        ExprKind::Variable(v) => v.name.clone(),
        ExprKind::String(_) if expr.as_plain_string().is_some() => {
            format!("'{}'", expr.as_plain_string().unwrap_or_default())
        }
        ExprKind::Int(i) => i.to_string(),
        ExprKind::Member(m) => format!(
            "{}{}{}",
            shape(&m.base),
            if m.safe { ".?" } else { "." },
            m.name.name
        ),
        ExprKind::Index(i) => format!(
            "{}[{}{}]",
            shape(&i.base),
            if i.safe { "?" } else { "" },
            shape(&i.index)
        ),
        ExprKind::NonNull(e) => format!("{}!", shape(e)),
        ExprKind::Paren(e) => shape(e),
        ExprKind::Call(c) => {
            let base = c
                .base
                .as_ref()
                .map(|b| format!("{}.", shape(b)))
                .unwrap_or_default();
            let args: Vec<String> = c.args.iter().map(shape).collect();
            format!("{base}{}({})", c.name.name, args.join(", "))
        }
        ExprKind::Lambda(l) => {
            let params: Vec<&str> = l.params.iter().map(|p| p.name.name.as_str()).collect();
            format!("({}) => {}", params.join(", "), shape(&l.body))
        }
        ExprKind::ResourceAccess(r) => format!("{}::{}", shape(&r.base), r.name.name),
        other => format!("{other:?}"),
    }
}

fn operators_bind_by_bicep_precedence() {
    let cases = [
        (
            "a ?? b || c && d == e < f + g * h",
            "(a ?? (b || (c && (d == (e < (f + (g * h)))))))",
        ),
        ("a - b - c", "((a - b) - c)"),
        ("a * b % c / d", "(((a * b) % c) / d)"),
        ("a =~ b != c !~ d", "(((a =~ b) != c) !~ d)"),
        ("-1 + !b", "(-1 + !b)"),
        ("!a.b[0]", "!a.b[0]"),
        ("a ? b : c ? d : e", "(a ? b : (c ? d : e))"),
        ("a || b ? c ?? d : e", "((a || b) ? (c ?? d) : e)"),
        ("(a + b) * c", "((a + b) * c)"),
        ("x.y!.z.?w[?0][1]", "x.y!.z.?w[?0][1]"),
        ("az.resourceGroup().id", "az.resourceGroup().id"),
        ("sys.concat('a', b)", "sys.concat('a', b)"),
        ("map(xs, x => x.name)", "map(xs, (x) => x.name)"),
        (
            "reduce(xs, 0, (acc, x) => acc + x)",
            "reduce(xs, 0, (acc, x) => (acc + x))",
        ),
        ("sort(xs, () => 1)", "sort(xs, () => 1)"),
        (
            "parent::child::grandchild.id",
            "parent::child::grandchild.id",
        ),
        ("c\n  ? a\n  : b", "(c ? a : b)"),
    ];
    for (source, expected) in cases {
        let value = var_value(&format!("var v = {source}\n"));
        assert_eq!(shape(&value), expected, "{source}");
    }
}

fn arrays_and_objects_take_newlines_commas_and_spreads() {
    let value = var_value(
        "var v = [\n  1, 2\n  ...rest\n  3,\n]\n"
            .replace(",\n]", "\n]")
            .as_str(),
    );
    let ExprKind::Array(items) = &value.kind else {
        panic!("not an array")
    };
    assert_eq!(items.len(), 4);
    assert!(matches!(items[2], ArrayItem::Spread { .. }));
    let value = var_value("var v = { a: 1, 'b-c': 2\n  ...other\n  '${k}': 3, }\n");
    let ExprKind::Object(items) = &value.kind else {
        panic!("not an object")
    };
    assert_eq!(items.len(), 4);
    assert_eq!(
        value.property("b-c").map(|v| &v.kind),
        Some(&ExprKind::Int(2))
    );
    assert!(matches!(items[2], ObjectItem::Spread { .. }));
}

fn declarations_of_every_kind_are_read() {
    let text = r#"targetScope = 'resourceGroup'
metadata author = 'me'
import {a, b as c} from './f.bicep'
import * as ns from 'br/public:avm/res/x:1.0.0'
extension kubernetes with { namespace: 'x' } as k8s
@export()
type t = 'a' | 'b' | { x: string?, y?: int[], *: bool } | [string, int] | resourceInput<'Microsoft.ContainerRegistry/registries@2023-07-01'>.properties
func double(x int) int => x * 2
@sys.description('the registry')
@allowed(['Basic', 'Premium'])
param sku string = 'Premium'
var names = [for (n, i) in range(0, 2): 'acr${i}']
resource acr 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: 'acr'
  resource hook 'webhooks' = {
    name: 'hook'
  }
}
resource old 'Microsoft.ContainerRegistry/registries@2023-07-01' existing = {
  name: 'old'
}
resource maybe 'Microsoft.ContainerRegistry/registries@2023-07-01' = if (sku == 'Premium') {
  name: 'maybe'
}
resource many 'Microsoft.ContainerRegistry/registries@2023-07-01' = [for n in names: if (n != 'x') {
  name: n
}]
module local './mod.bicep' = {
  name: 'local'
}
module remote 'br/public:avm/res/container-registry/registry:0.1.0' = {
  name: 'remote'
}
module spec 'ts:00000000-0000-0000-0000-000000000000/rg/spec:1.0' = {
  name: 'spec'
}
output reg resource 'Microsoft.ContainerRegistry/registries@2023-07-01' = acr
output id string = acr.id
assert ok = length(names) == 2
"#;
    let parsed = parse_clean(text);
    let names = declared_names(&parsed);
    assert_eq!(
        names,
        [
            "author", "k8s", "t", "double", "sku", "names", "acr", "old", "maybe", "many", "local",
            "remote", "spec", "reg", "id", "ok"
        ]
    );
    let resources: Vec<_> = parsed
        .declarations_of(|k| match k {
            DeclKind::Resource(r) => Some(r),
            _ => None,
        })
        .collect();
    let (_, acr) = resources[0];
    let Body::Object(body) = Body::of(&acr.value) else {
        panic!("acr body")
    };
    let child = body
        .as_object()
        .unwrap()
        .iter()
        .find_map(|item| match item {
            ObjectItem::Resource(d) => d.name().map(|n| n.name.clone()),
            _ => None,
        });
    assert_eq!(child.as_deref(), Some("hook"));
    assert!(resources[1].1.existing);
    assert!(matches!(Body::of(&resources[2].1.value), Body::If { .. }));
    let Body::For(many) = Body::of(&resources[3].1.value) else {
        panic!("many is not a loop")
    };
    assert!(matches!(many.body.kind, ExprKind::If(_)));
    let sku = parsed
        .declarations()
        .iter()
        .find(|d| d.name().is_some_and(|n| n.name == "sku"))
        .unwrap();
    assert_eq!(
        sku.decorator("description").map(|d| d.args().len()),
        Some(1)
    );
    let DeclKind::Type(t) = &parsed.declarations()[5].kind else {
        panic!("not a type")
    };
    let TypeKind::Union(members) = &t.ty.kind else {
        panic!("not a union")
    };
    assert_eq!(members.len(), 5);
    let TypeKind::Member { base, .. } = &members[4].kind else {
        panic!("not a member type")
    };
    assert_eq!(base.generic_name(), Some("resourceInput"));
    let output = parsed
        .declarations()
        .iter()
        .find(|d| d.name().is_some_and(|n| n.name == "reg"));
    assert!(
        matches!(&output.unwrap().kind, DeclKind::Output(o) if matches!(o.ty.kind, TypeKind::Resource(_)))
    );
}

fn parameters_files_read_using_and_assignments() {
    let text = "using './main.bicep'\nparam sku = 'Premium'\nparam secret = az.getSecret('s', 'rg', 'kv', 'name')\nparam env = readEnvironmentVariable('ENV', 'dev')\nvar x = 1\n";
    let parsed = syntax::parse_params(text);
    assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
    let DeclKind::Using(using) = &parsed.declarations()[0].kind else {
        panic!("not using")
    };
    assert_eq!(
        using.path.as_ref().and_then(|p| p.as_plain_string()),
        Some("./main.bicep")
    );
    let DeclKind::ParamAssignment(secret) = &parsed.declarations()[2].kind else {
        panic!("not an assignment")
    };
    assert_eq!(shape(&secret.value).split('(').next(), Some("az.getSecret"));
    let none = syntax::parse_params("using none\n");
    assert!(matches!(&none.declarations()[0].kind, DeclKind::Using(u) if u.path.is_none()));
}

fn comments_and_directives_are_kept_with_spans() {
    let text = "// acr-lint:ignore ACR001 reason=\"lab\"\n#disable-next-line BCP081 no-unused-params\nparam p string /* inline */\n#disable-diagnostics BCP037\n";
    let parsed = parse_clean(text);
    assert_eq!(parsed.comments.len(), 2);
    assert_eq!(
        parsed.comments[0].text,
        " acr-lint:ignore ACR001 reason=\"lab\""
    );
    assert_eq!(parsed.comments[1].kind, syntax::CommentKind::Block);
    assert_eq!(parsed.directives.len(), 2);
    let codes: Vec<&str> = parsed.directives[0]
        .codes
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(codes, ["BCP081", "no-unused-params"]);
    assert_eq!(
        parsed.directives[0].kind,
        syntax::DirectiveKind::DisableNextLine
    );
    assert_eq!(parsed.comments_before(40).count(), 1);
}

/// The 1-based lines of a parse's syntax errors, in the order reported.
fn error_lines(text: &str, parsed: &ParsedFile) -> Vec<usize> {
    parsed
        .errors
        .iter()
        .map(|e| line_col(text, e.span.start).0)
        .collect()
}

fn a_broken_line_costs_one_error_and_the_rest_is_read() {
    let text = "param a string = \nvar b = 1 +* 2\nvar ok = { x: [1, 2] }\nresource r 'T@1' = {\n  name: 'r'\n  bad: : 3\n  location: 'west'\n}\n";
    let parsed = syntax::parse(text);
    assert_eq!(error_lines(text, &parsed), [1, 2, 6]);
    assert_eq!(parsed.errors[0].code, "BCP009");
    let names = declared_names(&parsed);
    assert_eq!(names, ["ok", "r"]);
    let DeclKind::Resource(r) = &parsed.declarations()[3].kind else {
        panic!("not a resource")
    };
    assert_eq!(
        r.value
            .property("location")
            .and_then(|v| v.as_plain_string()),
        Some("west")
    );
}

fn nesting_deeper_than_the_limit_is_an_error_not_a_crash() {
    let limit = syntax::MAX_DEPTH;
    let ok = format!(
        "var v = {}1{}\n",
        "[(".repeat(limit / 2),
        ")]".repeat(limit / 2)
    );
    assert!(syntax::parse(&ok).errors.is_empty());
    let ok = format!(
        "var v = {}1{}\n",
        "{a:f(".repeat(limit / 2),
        ")}".repeat(limit / 2)
    );
    assert!(syntax::parse(&ok).errors.is_empty());
    let over = format!(
        "var v = {}1{}\n",
        "[".repeat(limit + 1),
        "]".repeat(limit + 1)
    );
    assert!(!syntax::parse(&over).errors.is_empty());
    let shapes = [
        ("[", "]"),
        ("(", ")"),
        ("{a:", "}"),
        ("!(", ")"),
        ("'${", "}'"),
        ("f(", ")"),
        ("a[", "]"),
        ("[for x in y: ", "]"),
        ("c ? ", " : 2"),
        ("x => ", ""),
        ("{a: {b: [", "]}}"),
    ];
    for (open, close) in shapes {
        let deep = format!(
            "var v = {}1{}\nvar after = 2\n",
            open.repeat(20_000),
            close.repeat(20_000)
        );
        assert_error_and_next_line_read(&deep, open);
    }
    for (open, close) in [
        ("(", ")"),
        ("{a: ", "}"),
        ("[", "]"),
        ("resourceInput<", ">"),
    ] {
        let deep = format!(
            "type t = {}string{}\n",
            open.repeat(20_000),
            close.repeat(20_000)
        );
        assert!(!syntax::parse(&deep).errors.is_empty(), "type {open}");
    }
}

/// Postfix and operator chains nest each link in the ones before it: `a.b.c` is as deep as
/// `((a).b).c`, so a chain longer than the limit is an error too, whatever reads the tree later.
fn chains_longer_than_the_limit_are_errors_not_crashes() {
    let limit = syntax::MAX_DEPTH;
    let chains = [
        ("var v = a", ".b"),
        ("var v = a", "[0]"),
        ("var v = a", "!"),
        ("var v = a", "::b"),
        ("var v = 1", " + 1"),
        ("var v = true", " && true"),
        ("var v = a", ".?b"),
        ("type t = string", "[]"),
        ("type t = x", ".y"),
    ];
    for (start, link) in chains {
        let short = format!("{start}{}\n", link.repeat(limit / 2));
        let parsed = syntax::parse(&short);
        assert!(
            parsed.errors.is_empty(),
            "{start}{link}...: {:?}",
            parsed.errors
        );
        let long = format!("{start}{}\nvar after = 2\n", link.repeat(20_000));
        assert_error_and_next_line_read(&long, &format!("{start}{link}..."));
    }
}

/// `text` has a syntax error, and its declaration `after` on the next line is still read.
fn assert_error_and_next_line_read(text: &str, what: &str) {
    let parsed = syntax::parse(text);
    assert!(!parsed.errors.is_empty(), "{what}");
    assert!(
        parsed
            .declarations()
            .iter()
            .any(|d| d.name().is_some_and(|n| n.name == "after")),
        "{what}: the next line is still read"
    );
}

fn an_object_in_an_interpolation_leaves_the_string_open_as_in_the_compiler() {
    let text = "var a = '${{b: 1}.b}'\nvar c = 'd'\n";
    let parsed = syntax::parse(text);
    assert!(
        error_lines(text, &parsed).iter().all(|line| *line == 1),
        "{:?}",
        parsed.errors
    );
    assert!(!parsed.errors.is_empty());
    assert!(
        parsed
            .declarations()
            .iter()
            .any(|d| d.name().is_some_and(|n| n.name == "c"))
    );
}

fn recovery_follows_the_compiler_for_parentheses_and_unclosed_objects() {
    // A broken parenthesis gives up the rest of its line; the call it is in closes on the next.
    let text = "var a = map([0], (\n  x\n  y) => 'z')\n)\nvar b = 1\n";
    let parsed = syntax::parse(text);
    assert_eq!(error_lines(text, &parsed), [1, 3], "{:?}", parsed.errors);
    // An object the file ends inside is one error, at the end.
    let text = "var o = {\n  a: : 1\n  b: [\n    c d\n";
    let parsed = syntax::parse(text);
    let found: Vec<(&str, usize)> = parsed
        .errors
        .iter()
        .map(|e| (e.code, e.span.start))
        .collect();
    assert_eq!(found, [("BCP018", text.len())]);
}

fn identifiers_longer_than_the_compilers_limit_are_errors() {
    let long = "a".repeat(256);
    let parsed = syntax::parse(&format!("var ok = 1\nvar {long} = 1\n"));
    let codes: Vec<&str> = parsed.errors.iter().map(|e| e.code).collect();
    assert_eq!(codes, ["BCP024"]);
    assert_eq!(parsed.errors[0].span.start, 15);
    assert!(syntax::parse(&format!("var {} = 1\n", &long[1..])).is_clean());
}

fn truncated_input_ends_with_errors_at_the_end() {
    for text in [
        "var s = 'abc",
        "var s = '${",
        "var s = '${a",
        "var s = '''abc",
        "/* never closed",
        "var o = {",
        "var a = [for x in y:",
        "resource r 'T@1' = [for",
        "@description('x')",
        "param",
        "func f(a int",
        "type t = {a: string",
        "import {a",
        "var x = $",
        "var x = 1 ?",
        "var x = (",
    ] {
        let parsed = syntax::parse(text);
        assert!(!parsed.errors.is_empty(), "{text}");
        for error in &parsed.errors {
            assert!(error.span.end <= text.len(), "{text}: {error:?}");
        }
    }
}

/// A sample with pieces cut out and Bicep punctuation spliced in, as a fuzzer would.
fn mutated(base: &str, cuts: &[(usize, usize, usize)]) -> String {
    const PIECES: &[&str] = &[
        "'",
        "'''",
        "${",
        "}",
        "{",
        "[",
        "(",
        ")",
        "]",
        "\n",
        "@",
        "=>",
        "?",
        ":",
        "[for x in ",
        "if (",
        "resource r 'T@1' = ",
        "/*",
        "//",
        "#disable-next-line ",
        "\\",
        "$'''",
        "...",
        "::",
        ".?",
        "!",
        "|",
    ];
    let mut text = base.to_string();
    for &(at, len, piece) in cuts {
        let mut start = at % (text.len() + 1);
        while !text.is_char_boundary(start) {
            start -= 1;
        }
        let mut end = (start + len % 8).min(text.len());
        while !text.is_char_boundary(end) {
            end += 1;
        }
        text.replace_range(start..end, PIECES[piece % PIECES.len()]);
    }
    text
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 256, ..Default::default() })]

    fn mutated_samples_parse_without_panic_and_spans_stay_inside(
        cuts in proptest::collection::vec((0usize..4096, 0usize..8, 0usize..64), 1..8)
    ) {
        let base = "targetScope = 'resourceGroup'\n@secure()\nparam p string = 'a${b}c'\n\
                    var v = [for (x, i) in range(0, 3): { k: x ?? i, s: '''raw''' }]\n\
                    resource r 'Microsoft.ContainerRegistry/registries@2023-07-01' = if (p != '') {\n  \
                    name: 'acr'\n  properties: {\n    adminUserEnabled: !empty(p) ? true : false\n  }\n  \
                    resource child 'webhooks' = {\n    name: 'h'\n  }\n}\n\
                    type t = { a: string?, *: int } | 'x'\n\
                    func f(a int) int => a * 2\noutput o string = r::child.properties.?x[0]!\n\
                    import { a as b, 'c-d' as e } from './x.bicep'\nimport * as ns from 'br/public:x:1'\n\
                    var sp = { ...ns.v, k: loadJsonContent('j.json', '$.a[?(@.b > 1)]') }\n";
        let text = mutated(base, &cuts);
        for parsed in [syntax::parse(&text), syntax::parse_params(&text)] {
            for error in &parsed.errors {
                proptest::prop_assert!(error.span.start <= error.span.end && error.span.end <= text.len());
            }
            for declaration in parsed.declarations() {
                proptest::prop_assert!(declaration.span.end <= text.len());
            }
        }
    }
}

fn main() -> std::process::ExitCode {
    common::run_trials(vec![
        common::always(
            "mutated_samples_parse_without_panic_and_spans_stay_inside",
            mutated_samples_parse_without_panic_and_spans_stay_inside,
        ),
        common::trial(
            "samples_the_compiler_accepts_parse_without_error",
            common::shared("bicep"),
            |_| samples_the_compiler_accepts_parse_without_error(),
        ),
        common::trial(
            "user_submitted_samples_parse_without_error",
            common::shared("bicep"),
            |_| user_submitted_samples_parse_without_error(),
        ),
        common::trial(
            "corpus_bicep_files_parse_without_error",
            common::shared("corpus"),
            |_| corpus_bicep_files_parse_without_error(),
        ),
        common::trial(
            "invalid_samples_report_syntax_errors_on_the_compilers_lines",
            common::shared("bicep"),
            |_| invalid_samples_report_syntax_errors_on_the_compilers_lines(),
        ),
        common::always(
            "spans_cover_the_text_of_each_node",
            spans_cover_the_text_of_each_node,
        ),
        common::always(
            "strings_decode_escapes_and_nest_interpolations",
            strings_decode_escapes_and_nest_interpolations,
        ),
        common::always(
            "multiline_strings_are_raw_and_drop_their_first_line_break",
            multiline_strings_are_raw_and_drop_their_first_line_break,
        ),
        common::always(
            "operators_bind_by_bicep_precedence",
            operators_bind_by_bicep_precedence,
        ),
        common::always(
            "arrays_and_objects_take_newlines_commas_and_spreads",
            arrays_and_objects_take_newlines_commas_and_spreads,
        ),
        common::always(
            "declarations_of_every_kind_are_read",
            declarations_of_every_kind_are_read,
        ),
        common::always(
            "parameters_files_read_using_and_assignments",
            parameters_files_read_using_and_assignments,
        ),
        common::always(
            "comments_and_directives_are_kept_with_spans",
            comments_and_directives_are_kept_with_spans,
        ),
        common::always(
            "a_broken_line_costs_one_error_and_the_rest_is_read",
            a_broken_line_costs_one_error_and_the_rest_is_read,
        ),
        common::always(
            "nesting_deeper_than_the_limit_is_an_error_not_a_crash",
            nesting_deeper_than_the_limit_is_an_error_not_a_crash,
        ),
        common::always(
            "chains_longer_than_the_limit_are_errors_not_crashes",
            chains_longer_than_the_limit_are_errors_not_crashes,
        ),
        common::always(
            "an_object_in_an_interpolation_leaves_the_string_open_as_in_the_compiler",
            an_object_in_an_interpolation_leaves_the_string_open_as_in_the_compiler,
        ),
        common::always(
            "recovery_follows_the_compiler_for_parentheses_and_unclosed_objects",
            recovery_follows_the_compiler_for_parentheses_and_unclosed_objects,
        ),
        common::always(
            "identifiers_longer_than_the_compilers_limit_are_errors",
            identifiers_longer_than_the_compilers_limit_are_errors,
        ),
        common::always(
            "truncated_input_ends_with_errors_at_the_end",
            truncated_input_ends_with_errors_at_the_end,
        ),
    ])
}
