//! References and scopes: what a traversal (`var.x`, `local.y`, `azurerm_x.name.attr`,
//! `each.value`) refers to, asked of the caller's [`Scope`] or of the `for` bindings.

use hcl_edit::Decorated;
use hcl_edit::expr::{Expression, Traversal, TraversalOperator};
use hcl_edit::template::Element;

use crate::terraform::eval::conversion::{to_index, to_text, wrong_type};
use crate::terraform::eval::{Eval, Evaluator, Halt, PathStep, TfValue, invalid, number_to_string};

/// What the evaluator asks its caller for, by reference root.
pub trait Scope {
    /// `var.NAME` (None => Unknown "variable `NAME` is not declared").
    fn variable(&self, name: &str) -> Option<TfValue>;
    /// `local.NAME` (None => Unknown "local value `NAME` is not declared").
    fn local(&self, name: &str) -> Option<TfValue>;
    /// Any other traversal root: resources (`azurerm_x.name.attr`), `data`, `module`, `each`,
    /// `count`, `path`, `terraform`, `self`. Receives the root and the evaluated path up to the
    /// first splat; None => Unknown. Iteration variables of `for` are handled by the evaluator.
    fn reference(&self, root: &str, path: &[PathStep]) -> Option<TfValue>;
    /// The text of the file `path` names, as `file()` reads it (relative to the root module's
    /// directory): `None` where no file is read, an error saying why one is not.
    fn file(&self, _path: &str) -> Option<FileText> {
        None
    }
    /// The files below the directory `path` whose paths relative to it match `pattern`, as
    /// `fileset()` lists them: `None` where no directory is listed, an error saying why one is
    /// not.
    fn fileset(&self, _path: &str, _pattern: &str) -> Option<Listing> {
        None
    }
    /// The template file `path` names, as `templatefile()` reads it: `None` where no file is
    /// read.
    fn template(&self, path: &str) -> Option<TemplateFile> {
        self.file(path).map(|text| TemplateFile::of(path, text))
    }
}

/// What `templatefile()` finds at a path.
#[derive(Debug, Clone)]
pub enum TemplateFile {
    Parsed(std::sync::Arc<hcl_edit::template::Template>),
    /// No template is read; the text says why.
    Unknown(String),
    /// The file is no template Terraform would accept; the text says why.
    Invalid(String),
}

impl TemplateFile {
    /// The template of the file `path`, read as `text`.
    pub fn of(path: &str, text: FileText) -> TemplateFile {
        match text {
            FileText::Read(text) => match text.parse::<hcl_edit::template::Template>() {
                Ok(template) => TemplateFile::Parsed(std::sync::Arc::new(template)),
                Err(error) => {
                    let message = error
                        .message()
                        .lines()
                        .next()
                        .unwrap_or_default()
                        .to_string();
                    TemplateFile::Invalid(format!("`{path}` is not a valid template: {message}"))
                }
            },
            FileText::Missing(reason) | FileText::NotRead(reason) => TemplateFile::Unknown(reason),
        }
    }
}

/// What one `fileset()` call lists: the files' paths, or why they are not listed.
pub type Listing = Result<Vec<String>, String>;

/// What `file()` finds at a path.
#[derive(Debug, Clone, PartialEq)]
pub enum FileText {
    Read(String),
    /// No file there; the text says why.
    Missing(String),
    /// A file that is not read (outside the scanned directories, too large, not text).
    NotRead(String),
}

/// The traversal an expression refers to, without evaluating it: `azurerm_container_registry.acr.id`
/// gives `("azurerm_container_registry", [acr, id])`. Literal indexes are kept; the path stops at a
/// splat or a computed index. `"${x.y}"` and `(x.y)` refer to `x.y`.
pub fn reference_of(expr: &Expression) -> Option<(String, Vec<PathStep>)> {
    let mut expr = expr;
    loop {
        match expr {
            Expression::Parenthesis(inner) => expr = inner.inner(),
            Expression::StringTemplate(template) => match template.as_single_element() {
                Some(Element::Interpolation(interpolation)) => expr = &interpolation.expr,
                _ => return None,
            },
            Expression::Variable(name) => return Some((name.as_str().to_string(), Vec::new())),
            Expression::Traversal(traversal) => return static_reference(traversal),
            _ => return None,
        }
    }
}

fn static_reference(traversal: &Traversal) -> Option<(String, Vec<PathStep>)> {
    let Expression::Variable(root) = &traversal.expr else {
        return None;
    };
    let mut path = Vec::new();
    for operator in &traversal.operators {
        let step = match operator.value() {
            TraversalOperator::GetAttr(name) => PathStep::Attr(name.as_str().to_string()),
            TraversalOperator::LegacyIndex(index) => PathStep::Index(legacy_index(*index.value())),
            TraversalOperator::Index(Expression::String(key)) => {
                PathStep::Index(TfValue::String(key.value().clone()))
            }
            TraversalOperator::Index(Expression::Number(number)) => match number.value().as_f64() {
                Some(number) => PathStep::Index(TfValue::Number(number)),
                None => break,
            },
            _ => break,
        };
        path.push(step);
    }
    Some((root.as_str().to_string(), path))
}

impl Evaluator<'_> {
    pub(super) fn eval_traversal(&mut self, traversal: &Traversal) -> Eval {
        let operators: Vec<&TraversalOperator> =
            traversal.operators.iter().map(Decorated::value).collect();
        match &traversal.expr {
            Expression::Variable(root) => self.eval_rooted(root.as_str(), &operators),
            base => {
                let value = self.eval(base)?;
                self.apply_operators(value, &operators)
            }
        }
    }

    /// A traversal from a name: an iteration variable, `var`, `local`, or a scope reference.
    pub(super) fn eval_rooted(&mut self, root: &str, operators: &[&TraversalOperator]) -> Eval {
        if let Some(value) = self.binding(root) {
            self.charge(&value)?;
            return self.apply_operators(value, operators);
        }
        if root == "var" || root == "local" {
            return self.eval_named_value(root, operators);
        }
        let (path, rest) = self.reference_path(operators)?;
        let value = self.scope.reference(root, &path).unwrap_or_else(|| {
            TfValue::Unknown(format!("`{}` has no known value", describe(root, &path)))
        });
        self.charge(&value)?;
        self.apply_operators(value, rest)
    }

    pub(super) fn binding(&self, name: &str) -> Option<TfValue> {
        let (_, value) = self
            .bindings
            .iter()
            .rev()
            .find(|(bound, _)| bound == name)?;
        Some(value.clone())
    }

    /// `var.NAME...` and `local.NAME...`.
    pub(super) fn eval_named_value(
        &mut self,
        root: &str,
        operators: &[&TraversalOperator],
    ) -> Eval {
        let Some((TraversalOperator::GetAttr(name), rest)) = operators.split_first() else {
            return Err(invalid(format!("`{root}` must be followed by `.NAME`")));
        };
        let name = name.as_str();
        let value = if root == "var" {
            self.scope
                .variable(name)
                .unwrap_or_else(|| TfValue::Unknown(format!("variable `{name}` is not declared")))
        } else {
            self.scope.local(name).unwrap_or_else(|| {
                TfValue::Unknown(format!("local value `{name}` is not declared"))
            })
        };
        self.charge(&value)?;
        self.apply_operators(value, rest)
    }

    /// The evaluated path up to the first splat, and the operators after it.
    pub(super) fn reference_path<'o, 'e>(
        &mut self,
        operators: &'o [&'e TraversalOperator],
    ) -> Result<(Vec<PathStep>, &'o [&'e TraversalOperator]), Halt> {
        let mut path = Vec::new();
        let mut rest = operators;
        while let Some((operator, tail)) = rest.split_first() {
            let step = match operator {
                TraversalOperator::GetAttr(name) => PathStep::Attr(name.as_str().to_string()),
                TraversalOperator::LegacyIndex(index) => {
                    PathStep::Index(legacy_index(*index.value()))
                }
                TraversalOperator::Index(expr) => match self.eval(expr)? {
                    TfValue::Unknown(reason) => return Err(Halt::Unknown(reason)),
                    key => PathStep::Index(key),
                },
                TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_) => break,
            };
            path.push(step);
            rest = tail;
        }
        Ok((path, rest))
    }

    pub(super) fn apply_operators(
        &mut self,
        value: TfValue,
        operators: &[&TraversalOperator],
    ) -> Eval {
        let mut value = value;
        let mut rest = operators;
        while let Some((operator, tail)) = rest.split_first() {
            self.step()?;
            rest = tail;
            value = match operator {
                TraversalOperator::FullSplat(_) => return self.splat(value, tail),
                TraversalOperator::AttrSplat(_) => {
                    let attributes = tail
                        .iter()
                        .take_while(|op| matches!(op, TraversalOperator::GetAttr(_)))
                        .count();
                    let (inner, after) = tail.split_at_checked(attributes).unwrap_or((tail, &[]));
                    rest = after;
                    self.splat(value, inner)?
                }
                TraversalOperator::GetAttr(name) => get_attr(value, name.as_str())?,
                TraversalOperator::Index(expr) => {
                    let key = self.eval(expr)?;
                    get_index(value, &key)?
                }
                TraversalOperator::LegacyIndex(index) => {
                    get_index(value, &legacy_index(*index.value()))?
                }
            };
        }
        Ok(value)
    }

    /// `[*]` and `.*`: applies `operators` to each item; null is an empty list, a single value a
    /// list of one.
    pub(super) fn splat(&mut self, value: TfValue, operators: &[&TraversalOperator]) -> Eval {
        let items = match value {
            TfValue::Unknown(reason) => return Err(Halt::Unknown(reason)),
            TfValue::Null => return Ok(TfValue::List(Vec::new())),
            TfValue::List(items) => items,
            single => vec![single],
        };
        self.nested(|this| {
            let mut results = Vec::with_capacity(items.len());
            for item in items {
                match this.apply_operators(item, operators) {
                    Ok(result) => results.push(result),
                    Err(Halt::Unknown(reason)) => results.push(TfValue::Unknown(reason)),
                    Err(other) => return Err(other),
                }
            }
            Ok(TfValue::List(results))
        })
    }
}

pub(super) fn get_attr(value: TfValue, name: &str) -> Eval {
    match value {
        TfValue::Object(entries) => entries
            .into_iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value)
            .ok_or_else(|| invalid(format!("the object has no attribute `{name}`"))),
        other => Err(wrong_type(&other, &format!("has no attribute `{name}`"))),
    }
}

pub(super) fn get_index(value: TfValue, key: &TfValue) -> Eval {
    if let TfValue::Unknown(reason) = key {
        return Err(Halt::Unknown(reason.clone()));
    }
    match value {
        TfValue::List(items) => {
            let count = items.len();
            let index = to_index(key)?;
            items.into_iter().nth(index).ok_or_else(|| {
                invalid(format!(
                    "index {index} is out of range for a list of {count}"
                ))
            })
        }
        TfValue::Object(_) => get_attr(value, &to_text(key)?),
        other => Err(wrong_type(&other, "cannot be indexed")),
    }
}

pub(super) fn legacy_index(index: u64) -> TfValue {
    TfValue::Number(index as f64)
}

pub(super) fn describe(root: &str, path: &[PathStep]) -> String {
    let mut text = root.to_string();
    for step in path {
        match step {
            PathStep::Attr(name) => {
                text.push('.');
                text.push_str(name);
            }
            PathStep::Index(TfValue::Number(n)) => {
                text.push_str(&format!("[{}]", number_to_string(*n)));
            }
            PathStep::Index(TfValue::String(key)) => text.push_str(&format!("[{key:?}]")),
            PathStep::Index(_) => text.push_str("[…]"),
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::terraform::eval::test_support::*;
    use crate::terraform::eval::*;

    #[test]
    fn splats_and_indexes() {
        check(&[
            ("azurerm_container_registry.many[*].id", "[\"a\", \"b\"]"),
            ("var.items[*].name", "[\"a\", \"b\"]"),
            ("var.items.*.name", "[\"a\", \"b\"]"),
            ("var.items.*.name[1]", "\"b\""),
            ("[[{ a = 1 }], [{ a = 2 }]][*][0].a", "[1, 2]"),
            ("var.nothing[*]", "[]"),
            ("var.name[*]", "[\"Acr\"]"),
            ("var.zones.0", "\"1\""),
            ("var.zones[1]", "\"2\""),
            ("var.zones[\"1\"]", "\"2\""),
            ("var.tags[\"env\"]", "\"dev\""),
            ("var.items[0].name", "\"a\""),
            ("({ a = { b = 1 } }).a.b", "1"),
            ("[var.half[0], length(var.half)]", "[\"x\", 2]"),
        ]);
        assert_eq!(
            eval("var.half[*]"),
            TfValue::List(vec![s("x"), TfValue::Unknown(PENDING.into())])
        );
        check_unknown(&[
            ("var.pending.x", PENDING),
            ("var.zones[var.pending]", PENDING),
            ("var.pending[*].x", PENDING),
        ]);
        check_error(
            ErrorKind::Invalid,
            &[
                ("var.zones[2]", "out of range"),
                ("var.zones[-1]", "negative"),
                ("var.zones[0.5]", "whole number"),
                ("var.tags.missing", "no attribute `missing`"),
                ("var.nothing.x", "null value"),
                ("var.name.x", "a string has no attribute `x`"),
                ("var.items[*].missing", "no attribute"),
            ],
        );
    }

    #[test]
    fn references_are_routed_to_the_scope() {
        let attr = |name: &str| PathStep::Attr(name.to_string());
        let cases: Vec<(&str, TfValue, &str, Vec<PathStep>)> = vec![
            (
                "azurerm_container_registry.acr.id",
                s("/acr"),
                "azurerm_container_registry",
                vec![attr("acr"), attr("id")],
            ),
            (
                "each.value.name",
                s("one"),
                "each",
                vec![attr("value"), attr("name")],
            ),
            ("each.key", s("dev"), "each", vec![attr("key")]),
            ("count.index", n(2.0), "count", vec![attr("index")]),
            ("path.module", s("."), "path", vec![attr("module")]),
            (
                "azurerm_container_registry.many[count.index - 2].id",
                s("a"),
                "azurerm_container_registry",
                vec![attr("many"), PathStep::Index(n(0.0)), attr("id")],
            ),
            (
                "azurerm_container_registry.many.1.name",
                s("acrprod"),
                "azurerm_container_registry",
                vec![attr("many"), PathStep::Index(n(1.0)), attr("name")],
            ),
            (
                "azurerm_container_registry.many[*].name",
                TfValue::List(vec![s("acrprod"), s("acrprod")]),
                "azurerm_container_registry",
                vec![attr("many")],
            ),
        ];
        for (src, expected, root, path) in cases {
            let scope = TestScope::default();
            assert_eq!(evaluate(&parse(src), &scope), expected, "`{src}`");
            let asked = scope.asked.borrow();
            assert_eq!(asked.last(), Some(&(root.to_string(), path)), "`{src}`");
        }
        check_unknown(&[
            (
                "azurerm_user_assigned_identity.id.principal_id",
                AFTER_APPLY,
            ),
            (
                "data.azurerm_client_config.current.tenant_id",
                "`data.azurerm_client_config.current.tenant_id` has no known value",
            ),
            (
                "module.m[\"a\"].out",
                "`module.m[\"a\"].out` has no known value",
            ),
            ("var.missing", "variable `missing` is not declared"),
            ("local.missing", "local value `missing` is not declared"),
            // A function that is not modelled gives its unknown argument's reason.
            (
                "timeadd(azurerm_user_assigned_identity.id.principal_id, \"1h\")",
                AFTER_APPLY,
            ),
            (
                "timeadd(\"2026-01-01T00:00:00Z\", \"1h\")",
                "function `timeadd` is not evaluated",
            ),
        ]);
        check_error(
            ErrorKind::Invalid,
            &[
                ("var", "must be followed"),
                ("local[0]", "must be followed"),
            ],
        );
    }

    #[test]
    fn reference_of_reads_traversals_without_evaluating() {
        let attr = |name: &str| PathStep::Attr(name.to_string());
        let reference = |src: &str| reference_of(&parse(src));
        assert_eq!(
            reference("azurerm_container_registry.acr.id"),
            Some((
                "azurerm_container_registry".into(),
                vec![attr("acr"), attr("id")]
            ))
        );
        assert_eq!(
            reference("\"${azurerm_container_registry.acr.id}\""),
            Some((
                "azurerm_container_registry".into(),
                vec![attr("acr"), attr("id")]
            ))
        );
        assert_eq!(
            reference("(data.x.y)"),
            Some(("data".into(), vec![attr("x"), attr("y")]))
        );
        assert_eq!(
            reference("a.b[0][\"k\"].c"),
            Some((
                "a".into(),
                vec![
                    attr("b"),
                    PathStep::Index(n(0.0)),
                    PathStep::Index(s("k")),
                    attr("c")
                ]
            ))
        );
        assert_eq!(
            reference("a.b[count.index].c"),
            Some(("a".into(), vec![attr("b")]))
        );
        assert_eq!(reference("a.b[*].c"), Some(("a".into(), vec![attr("b")])));
        assert_eq!(reference("self"), Some(("self".into(), vec![])));
        assert_eq!(reference("\"id-${a.b}\""), None);
        assert_eq!(reference("lower(a.b)"), None);
        assert_eq!(reference("[a.b][0]"), None);
    }
}
