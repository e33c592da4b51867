//! What the evaluator's tests share: a scope with fixed variables, locals and references, and
//! helpers that parse, evaluate and check.

use std::cell::RefCell;

use hcl_edit::parser::parse_expr;

use super::*;

pub(super) const AFTER_APPLY: &str =
    "`azurerm_user_assigned_identity.id.principal_id` is known only after apply";

pub(super) const PENDING: &str = "variable `pending` has no value";

pub(super) fn s(text: &str) -> TfValue {
    TfValue::String(text.to_string())
}

pub(super) fn n(number: f64) -> TfValue {
    TfValue::Number(number)
}

pub(super) fn obj(entries: &[(&str, TfValue)]) -> TfValue {
    TfValue::Object(
        entries
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect(),
    )
}

/// Fixed variables, locals and references; records the references it is asked for.
#[derive(Default)]
pub(super) struct TestScope {
    pub(super) asked: RefCell<Vec<(String, Vec<PathStep>)>>,
}

impl Scope for TestScope {
    fn variable(&self, name: &str) -> Option<TfValue> {
        let item = |name: &str, enabled: bool| {
            obj(&[("name", s(name)), ("enabled", TfValue::Bool(enabled))])
        };
        Some(match name {
            "name" => s("Acr"),
            "enabled" => TfValue::Bool(true),
            "enabled_text" => s("true"),
            "replicas" => n(3.0),
            "tags" => obj(&[("env", s("dev")), ("team", s("platform"))]),
            "zones" => TfValue::List(vec![s("1"), s("2")]),
            "items" => TfValue::List(vec![item("a", true), item("b", false)]),
            "nothing" => TfValue::Null,
            "pending" => TfValue::Unknown(PENDING.to_string()),
            "half" => TfValue::List(vec![s("x"), TfValue::Unknown(PENDING.to_string())]),
            _ => return None,
        })
    }

    fn local(&self, name: &str) -> Option<TfValue> {
        match name {
            "prefix" => Some(s("acr")),
            "config" => Some(obj(&[
                ("sku", s("Premium")),
                ("admin", TfValue::Bool(false)),
            ])),
            _ => None,
        }
    }

    fn reference(&self, root: &str, path: &[PathStep]) -> Option<TfValue> {
        self.asked
            .borrow_mut()
            .push((root.to_string(), path.to_vec()));
        let registry = |id: &str| obj(&[("id", s(id)), ("name", s("acrprod"))]);
        let value = match root {
            "each" => obj(&[("key", s("dev")), ("value", obj(&[("name", s("one"))]))]),
            "count" => obj(&[("index", n(2.0))]),
            "path" => obj(&[("module", s("."))]),
            "azurerm_container_registry" => obj(&[
                ("acr", registry("/acr")),
                ("many", TfValue::List(vec![registry("a"), registry("b")])),
            ]),
            "azurerm_user_assigned_identity" => obj(&[(
                "id",
                obj(&[("principal_id", TfValue::Unknown(AFTER_APPLY.into()))]),
            )]),
            _ => return None,
        };
        value.at_path(path).cloned()
    }
}

pub(super) fn parse(src: &str) -> Expression {
    parse_expr(src).unwrap_or_else(|error| panic!("`{src}` does not parse: {error}"))
}

pub(super) fn eval(src: &str) -> TfValue {
    evaluate(&parse(src), &TestScope::default())
}

/// Each expression evaluates to the value of the expected expression.
pub(super) fn check(cases: &[(&str, &str)]) {
    for (src, expected) in cases {
        assert_eq!(eval(src), eval(expected), "`{src}`");
    }
}

/// Each expression is unknown, with a reason containing the given text.
pub(super) fn check_unknown(cases: &[(&str, &str)]) {
    for (src, reason) in cases {
        match eval(src) {
            TfValue::Unknown(actual) => assert!(actual.contains(reason), "`{src}`: {actual}"),
            other => panic!("`{src}` should be unknown, is {other:?}"),
        }
    }
}

/// Each expression is one Terraform rejects (or a bound), with a message containing the text.
pub(super) fn check_error(kind: ErrorKind, cases: &[(&str, &str)]) {
    for (src, message) in cases {
        match try_evaluate(&parse(src), &TestScope::default()) {
            Err(error) => {
                assert_eq!(error.kind, kind, "`{src}`: {error}");
                assert!(error.message.contains(message), "`{src}`: {error}");
            }
            Ok(value) => panic!("`{src}` should fail, is {value:?}"),
        }
    }
}
