//! Random and mutated expressions: evaluation never panics, hangs or overflows the stack.

use hcl_edit::parser::parse_expr;

use super::test_support::*;
use super::*;

/// A deterministic pseudo-random sequence (xorshift).
struct Random(u64);

impl Random {
    fn below(&mut self, bound: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % bound.max(1) as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items.get(self.below(items.len())).copied().unwrap_or("")
    }
}

const FUNCTIONS: &[&str] = &[
    "lower",
    "upper",
    "title",
    "trimspace",
    "trim",
    "trimprefix",
    "trimsuffix",
    "replace",
    "format",
    "join",
    "split",
    "concat",
    "contains",
    "length",
    "lookup",
    "merge",
    "coalesce",
    "coalescelist",
    "try",
    "can",
    "tobool",
    "tostring",
    "tonumber",
    "tolist",
    "toset",
    "tomap",
    "keys",
    "values",
    "element",
    "index",
    "flatten",
    "distinct",
    "compact",
    "min",
    "max",
    "abs",
    "ceil",
    "floor",
    "jsonencode",
    "jsondecode",
    "yamldecode",
    "startswith",
    "endswith",
    "substr",
    "one",
    "range",
    "zipmap",
    "reverse",
    "sort",
    "sum",
    "alltrue",
    "anytrue",
    "file",
    "fileexists",
    "fileset",
    "templatefile",
    "unknown_fn",
];

const ATOMS: &[&str] = &[
    "null",
    "true",
    "false",
    "0",
    "-1",
    "2.5",
    "1e300",
    "\"\"",
    "\"a,b\"",
    "\"%s%d%v\"",
    "\"true\"",
    "\"{\\\"a\\\":1}\"",
    "\"a: [1, *x]\\n- b\"",
    "var.name",
    "var.zones",
    "var.items",
    "var.tags",
    "var.pending",
    "var.half",
    "var.nothing",
    "local.config",
    "each.value",
    "count.index",
    "azurerm_container_registry.many",
    "x",
    "[]",
    "{}",
];

/// A random expression from the grammar, at most `depth` levels deep.
fn generate(random: &mut Random, depth: usize) -> String {
    if depth == 0 {
        return random.pick(ATOMS).to_string();
    }
    let mut sub = || generate(random, depth - 1);
    let (a, b, c) = (sub(), sub(), sub());
    match random.below(12) {
        0 => format!("[{a}, {b}]"),
        1 => format!("{{ k = {a}, (\"{c}\") = {b} }}"),
        2 => format!(
            "{a} {} {b}",
            ["+", "-", "*", "/", "%", "==", "!=", "<", ">=", "&&", "||"]
                .get(random.below(11))
                .unwrap_or(&"+")
        ),
        3 => format!("{a} ? {b} : {c}"),
        4 => format!("[for x in {a} : {b} if {c}]"),
        5 => format!("{{for k, x in {a} : tostring(k) => {b}...}}"),
        6 => format!("\"${{{a}}}-%{{if {b}}}y%{{else}}${{{c}}}%{{endif}}\""),
        7 => format!("({a})[*].name"),
        8 => format!("({a})[{b}]"),
        9 => format!("!{a}"),
        _ => {
            let name = random.pick(FUNCTIONS);
            match random.below(4) {
                0 => format!("{name}()"),
                1 => format!("{name}({a})"),
                2 => format!("{name}({a}, {b})"),
                _ => format!("{name}({a}, {b}, {c}...)"),
            }
        }
    }
}

/// Mutates `text` at character positions: deletes, duplicates or inserts a token.
fn mutate(random: &mut Random, text: &str) -> String {
    const TOKENS: &[&str] = &[
        "[", "]", "{", "}", "(", ")", "${", "%{", "~", "\"", ".", "*", "...", "?", ":", "=>", ",",
        "for", "if", "-", "!", "<<EOT\n", "\n",
    ];
    let mut chars: Vec<char> = text.chars().collect();
    for _ in 0..=random.below(3) {
        let at = random.below(chars.len() + 1);
        let end = (at + random.below(8)).min(chars.len());
        match random.below(3) {
            0 => {
                chars.drain(at..end);
            }
            1 => {
                let copy: Vec<char> = chars.get(at..end).unwrap_or(&[]).to_vec();
                chars.splice(at..at, copy);
            }
            _ => {
                chars.splice(at..at, random.pick(TOKENS).chars());
            }
        }
    }
    chars.into_iter().collect()
}

/// A scope that answers with awkward values: too deep, unknown, large, or nothing.
struct AwkwardScope;

impl AwkwardScope {
    fn value(name: &str) -> Option<TfValue> {
        match name.len() % 4 {
            0 => Some(
                (0..MAX_VALUE_DEPTH + 10)
                    .fold(TfValue::Null, |inner, _| TfValue::List(vec![inner])),
            ),
            1 => Some(TfValue::Unknown(format!("`{name}` is awkward"))),
            2 => Some(TfValue::List(vec![
                obj(&[
                    ("name", s(name)),
                    ("value", n(1.0))
                ]);
                100
            ])),
            _ => None,
        }
    }
}

impl Scope for AwkwardScope {
    fn variable(&self, name: &str) -> Option<TfValue> {
        Self::value(name)
    }

    fn local(&self, name: &str) -> Option<TfValue> {
        Self::value(name)
    }

    fn reference(&self, root: &str, path: &[PathStep]) -> Option<TfValue> {
        Self::value(&format!("{root}{}", path.len()))
    }

    /// The path itself as the file's text, three times over: garbage for the decoders.
    fn file(&self, path: &str) -> Option<FileText> {
        Some(match path.len() % 3 {
            0 => FileText::Read(path.repeat(3)),
            1 => FileText::Missing(format!("`{path}` is missing")),
            _ => FileText::NotRead(format!("`{path}` is not read")),
        })
    }

    /// The path and the pattern as the files found, or an error, by the pattern's length.
    fn fileset(&self, path: &str, pattern: &str) -> Option<super::Listing> {
        Some(match pattern.len() % 2 {
            0 => Ok(vec![path.to_string(), pattern.repeat(2)]),
            _ => Err(format!("`{pattern}` is not listed")),
        })
    }
}

#[test]
fn garbage_input_never_panics() {
    let (scope, awkward) = (TestScope::default(), AwkwardScope);
    let mut random = Random(0x2545_f491_4f6c_dd1d);
    let mut parsed = 0;
    for round in 0..4000 {
        let generated = generate(&mut random, 1 + round % 4);
        let src = if round % 2 == 0 {
            generated
        } else {
            mutate(&mut random, &generated)
        };
        if let Ok(expr) = parse_expr(&src) {
            parsed += 1;
            let _ = evaluate(&expr, &scope);
            let _ = evaluate(&expr, &awkward);
            let _ = reference_of(&expr);
        }
    }
    assert!(parsed > 2000, "only {parsed} inputs parsed");
}
