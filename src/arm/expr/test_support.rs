//! What the expression tests share: an environment with parameters, variables and a copy index,
//! and helpers that evaluate and check.

use std::borrow::Cow;

use serde_json::json;

use super::*;

pub(super) struct TestEnv {
    pub(super) parameters: Vec<(&'static str, Val)>,
    pub(super) variables: Vec<(&'static str, Val)>,
    pub(super) copy_index: Option<i64>,
    pub(super) scope_known: bool,
}

impl Env for TestEnv {
    fn parameter(&self, name: &str) -> Option<Val> {
        find(&self.parameters, name)
    }
    fn variable(&self, name: &str) -> Option<Val> {
        find(&self.variables, name)
    }
    fn copy_index(&self, loop_name: Option<&str>) -> Option<i64> {
        match loop_name {
            None => self.copy_index,
            Some("outer") => Some(7),
            Some(_) => None,
        }
    }
    fn subscription(&self) -> Cow<'_, Val> {
        if self.scope_known {
            Cow::Owned(Val::from_json(&json!({"subscriptionId": "0000-sub"})))
        } else {
            Cow::Borrowed(default_subscription())
        }
    }
    fn user_function(&self, name: &str) -> Option<UserFunction> {
        user_functions()
            .into_iter()
            .find(|(declared, _)| declared.eq_ignore_ascii_case(name))
            .map(|(_, function)| function)
    }
    fn resource_group(&self) -> Cow<'_, Val> {
        if self.scope_known {
            Cow::Owned(Val::from_json(
                &json!({"name": "rg1", "location": "westeurope"}),
            ))
        } else {
            Cow::Borrowed(default_resource_group())
        }
    }
}

/// The user-defined functions every test environment declares, by `namespace.member`.
pub(super) fn user_functions() -> Vec<(String, UserFunction)> {
    let mut functions: Vec<(String, UserFunction)> = [
        (
            "ns.suffix",
            &["a"][..],
            json!("[concat(parameters('a'), 'x')]"),
        ),
        (
            "ns.Twice",
            &["a"],
            json!("[NS.SUFFIX(ns.suffix(parameters('A')))]"),
        ),
        (
            "ns.double",
            &["a"],
            json!("[concat(parameters('a'), parameters('a'))]"),
        ),
        (
            "ns.ignores",
            &["a"],
            json!("[if(true(), 'fixed', parameters('a'))]"),
        ),
        (
            "ns.pair",
            &["a", "b"],
            json!({"first": "[parameters('a')]", "rest": ["[parameters('b')]", "[[lit]", 3]}),
        ),
        (
            "ns.mapped",
            &["xs"],
            json!("[map(parameters('xs'), lambda('x', ns.suffix(lambdaVariables('x'))))]"),
        ),
        ("ns.group", &[], json!("[resourceGroup().type]")),
        ("ns.variable", &[], json!("[variables('prefix')]")),
        ("ns.self", &[], json!("[ns.self()]")),
        ("ns.ping", &[], json!("[ns.pong()]")),
        ("ns.pong", &[], json!("[concat('x', ns.ping())]")),
    ]
    .into_iter()
    .map(|(name, parameters, output)| {
        let function = UserFunction {
            parameters: parameters.iter().map(|p| (*p).to_string()).collect(),
            output: Val::from_json(&output),
        };
        (name.to_string(), function)
    })
    .collect();
    for depth in 0..=MAX_USER_FUNCTION_DEPTH {
        let next = format!("[concat('c', chain.f{}())]", depth + 1);
        let function = UserFunction {
            parameters: Vec::new(),
            output: Val::String(next),
        };
        functions.push((format!("chain.f{depth}"), function));
    }
    let last = format!("chain.f{}", MAX_USER_FUNCTION_DEPTH + 1);
    let end = UserFunction {
        parameters: Vec::new(),
        output: s("end"),
    };
    functions.push((last, end));
    functions
}

pub(super) fn find(entries: &[(&'static str, Val)], name: &str) -> Option<Val> {
    entries
        .iter()
        .find(|(k, _)| keys_match(k, name))
        .map(|(_, v)| v.clone())
}

pub(super) const NO_ADMIN: &str = "parameter `adminEnabled` has no value";

pub(super) fn env() -> TestEnv {
    TestEnv {
        parameters: vec![
            ("name", s("myacr")),
            ("sku", s("Premium")),
            ("adminEnabled", Val::Unknown(NO_ADMIN.to_string())),
            (
                "obj",
                Val::from_json(&json!({"a": {"b": [1, 2, {"c": "deep"}]}, "Mixed": "Case"})),
            ),
            ("list", Val::from_json(&json!(["one", "two", "three"]))),
            ("nothing", Val::Null),
            ("count", Val::Int(3)),
            ("big", s(&"x".repeat(600_000))),
        ],
        variables: vec![
            ("prefix", s("acr")),
            (
                "later",
                Val::Unknown("`reference()` is only known at deployment".into()),
            ),
        ],
        copy_index: Some(2),
        scope_known: false,
    }
}

pub(super) fn s(text: &str) -> Val {
    Val::String(text.to_string())
}

pub(super) fn eval(text: &str) -> Val {
    evaluate(text, &env()).unwrap_or_else(|e| panic!("{text}: {e}"))
}

pub(super) fn error(text: &str) -> ExprError {
    match evaluate(text, &env()) {
        Err(e) => e,
        Ok(v) => panic!("{text}: expected an error, got {v:?}"),
    }
}

pub(super) fn unknown(text: &str) -> String {
    match eval(text) {
        Val::Unknown(reason) => reason,
        other => panic!("{text}: expected unknown, got {other:?}"),
    }
}

/// Each expression evaluates to the JSON value (object key order aside: `serde_json` may sort).
pub(super) fn check(cases: &[(&str, serde_json::Value)]) {
    for (text, expected) in cases {
        let actual = eval(text);
        let expected = Val::from_json(expected);
        assert_eq!(
            values_equal(&actual, &expected),
            Some(true),
            "{text}: {actual:?}"
        );
        assert_eq!(
            std::mem::discriminant(&actual),
            std::mem::discriminant(&expected),
            "{text}"
        );
    }
}
