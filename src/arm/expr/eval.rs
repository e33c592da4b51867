//! The evaluator: walks the syntax tree in an [`Env`], calling the function library.

use std::borrow::Cow;
use std::sync::LazyLock;

use super::budget::{Budget, Fail, fail, units};
use super::functions::{Args, deferred_reason, lookup};
use super::parser::{Call, Expr, Kind};
use super::user_functions::UserFunction;
use super::value::{Val, as_int, keys_match, measure, shallow_weight};
use super::{
    ExprError, RESOURCE_GROUP_PLACEHOLDER, SUBSCRIPTION_PLACEHOLDER, WORK_BUDGET, error_at,
};

/// What the evaluator asks its caller for.
pub trait Env {
    /// The value of a declared parameter (possibly [`Val::Unknown`]); `None` when not declared.
    fn parameter(&self, name: &str) -> Option<Val>;
    /// The value of a declared variable (possibly [`Val::Unknown`]); `None` when not declared.
    fn variable(&self, name: &str) -> Option<Val>;
    /// The current iteration of the named copy loop (the innermost one for `None`); `None` when not
    /// known, which makes `copyIndex()` unknown.
    fn copy_index(&self, loop_name: Option<&str>) -> Option<i64>;
    /// Why the copy index is not known, when the environment can say better than "outside a copy
    /// loop" (e.g. the loop's count is unknown).
    fn copy_index_unknown(&self, _loop_name: Option<&str>) -> Option<String> {
        None
    }
    /// `resourceGroup()`; by default every property but `type` is unknown.
    fn resource_group(&self) -> Cow<'_, Val> {
        Cow::Borrowed(default_resource_group())
    }
    /// `subscription()`; by default every property is unknown.
    fn subscription(&self) -> Cow<'_, Val> {
        Cow::Borrowed(default_subscription())
    }
    /// `deployment()`; by default every property is unknown.
    fn deployment(&self) -> Val {
        unknown_object("deployment()", &["name", "location", "properties"])
    }
    /// `tenant()`; by default every property is unknown.
    fn tenant(&self) -> Val {
        unknown_object(
            "tenant()",
            &["countryCode", "displayName", "id", "tenantId"],
        )
    }
    /// `environment()`; unknown by default.
    fn environment(&self) -> Val {
        Val::Unknown(known_at_deployment("environment()"))
    }
    /// The user-defined function `namespace.member` (`name` in lower case, matched without regard
    /// to case); `None` when not declared, which makes a call to it unknown.
    fn user_function(&self, _name: &str) -> Option<UserFunction> {
        None
    }
}

/// The default `resourceGroup()`: `type` is known, and `id` is built with placeholders as
/// `resourceId()` builds ids (so `uniqueString(resourceGroup().id)` is deterministic, as its
/// length and alphabet are); every other property is unknown.
pub fn default_resource_group() -> &'static Val {
    static GROUP: LazyLock<Val> = LazyLock::new(built_resource_group);
    &GROUP
}

fn built_resource_group() -> Val {
    let mut group = unknown_object(
        "resourceGroup()",
        &["name", "location", "managedBy", "tags", "properties"],
    );
    if let Val::Object(entries) = &mut group {
        entries.insert(
            0,
            (
                "id".to_string(),
                Val::String(format!(
                    "/subscriptions/{SUBSCRIPTION_PLACEHOLDER}/resourceGroups/{RESOURCE_GROUP_PLACEHOLDER}"
                )),
            ),
        );
        entries.push((
            "type".to_string(),
            Val::String("Microsoft.Resources/resourceGroups".to_string()),
        ));
    }
    group
}

/// The default `subscription()`: `id` built with a placeholder (see [`default_resource_group`]),
/// every other property unknown.
pub fn default_subscription() -> &'static Val {
    static SUBSCRIPTION: LazyLock<Val> = LazyLock::new(built_subscription);
    &SUBSCRIPTION
}

fn built_subscription() -> Val {
    let mut subscription = unknown_object(
        "subscription()",
        &["subscriptionId", "tenantId", "displayName"],
    );
    if let Val::Object(entries) = &mut subscription {
        entries.insert(
            0,
            (
                "id".to_string(),
                Val::String(format!("/subscriptions/{SUBSCRIPTION_PLACEHOLDER}")),
            ),
        );
    }
    subscription
}

pub(super) fn unknown_object(function: &str, properties: &[&str]) -> Val {
    Val::Object(
        properties
            .iter()
            .map(|p| {
                let reason = known_at_deployment(&format!("{function}.{p}"));
                ((*p).to_string(), Val::Unknown(reason))
            })
            .collect(),
    )
}

pub(super) fn known_at_deployment(what: &str) -> String {
    format!("`{what}` is only known at deployment")
}

pub(super) struct Evaluator<'e> {
    pub(super) env: &'e dyn Env,
    pub(super) budget: Budget,
    /// Bound `lambda` parameters, innermost last.
    pub(super) lambda_scope: Vec<(String, Val)>,
    /// The user-defined functions being called, outermost first (their lower-case names).
    pub(super) user_calls: Vec<String>,
}

impl<'e> Evaluator<'e> {
    /// An evaluator with a full work budget.
    pub(super) fn new(env: &'e dyn Env) -> Self {
        Evaluator {
            env,
            budget: Budget(WORK_BUDGET),
            lambda_scope: Vec::new(),
            user_calls: Vec::new(),
        }
    }

    pub(super) fn eval(&mut self, expr: &Expr) -> Result<Val, ExprError> {
        self.budget
            .spend(1)
            .map_err(|fail| fail.into_error(expr.offset))?;
        let result = match &expr.kind {
            Kind::Literal(value) => Ok(value.clone()),
            Kind::Call(call) => return self.call(call, expr.offset),
            Kind::Member { target, name, safe } => match self.borrowed_scope_object(target) {
                Some(object) => member(object?, name, *safe),
                None => member(Cow::Owned(self.eval(target)?), name, *safe),
            },
            Kind::Index {
                target,
                index,
                safe,
            } => {
                let target = self.eval(target)?;
                let index = self.eval(index)?;
                element(target, index, *safe)
            }
        };
        settle(result, expr.offset)
    }

    pub(super) fn call(&mut self, call: &Call, offset: usize) -> Result<Val, ExprError> {
        if call.key.contains('.')
            && let Some(result) = self.user_call(call, offset)
        {
            return result;
        }
        if let Some(reason) = deferred_reason(&call.key, &call.name) {
            return Ok(Val::Unknown(reason));
        }
        if let Some(result) = self.lazy_call(call, offset) {
            return result;
        }
        let Some(builtin) = lookup(&call.key) else {
            return Err(error_at(
                offset,
                format!("unknown function `{}`", call.name),
            ));
        };
        let mut vals = Vec::with_capacity(call.args.len());
        for arg in &call.args {
            vals.push(self.eval(arg)?);
        }
        let keeps_unknowns = matches!(call.key.as_str(), "createarray" | "createobject");
        if let Some(reason) = vals
            .iter()
            .find_map(unknown_reason)
            .filter(|_| !keeps_unknowns)
        {
            return Ok(Val::Unknown(reason));
        }
        let text_bytes: usize = vals.iter().map(text_len).sum();
        self.budget
            .spend(units(text_bytes / 4))
            .map_err(|fail| fail.into_error(offset))?;
        let mut args = Args {
            name: &call.name,
            vals,
        };
        let result = builtin(self, &mut args).and_then(|value| {
            self.budget.spend(shallow_weight(&value))?;
            Ok(value)
        });
        settle(result, offset)
    }

    /// The object of `resourceGroup()` or `subscription()` when `target` calls one of them,
    /// borrowed from the environment and charged as the call is: reading one property of it
    /// (`resourceGroup().location`) then copies that property alone.
    fn borrowed_scope_object(&mut self, target: &Expr) -> Option<Result<Cow<'e, Val>, ExprError>> {
        let Kind::Call(call) = &target.kind else {
            return None;
        };
        if !call.args.is_empty() {
            return None;
        }
        let env = self.env;
        let object = match call.key.as_str() {
            "resourcegroup" => env.resource_group(),
            "subscription" => env.subscription(),
            _ => return None,
        };
        // What evaluating the call charges: the step, the admitted object, the call's result.
        let charged = self
            .budget
            .spend(1)
            .and_then(|()| self.charge_admitted(&object))
            .and_then(|()| self.budget.spend(shallow_weight(&object)));
        Some(
            charged
                .map(|()| object)
                .map_err(|fail| fail.into_error(target.offset)),
        )
    }

    /// Clones a value from the environment or a lambda scope, charging for its size.
    pub(super) fn admit(&mut self, value: Val) -> Result<Val, Fail> {
        self.charge_admitted(&value)?;
        Ok(value)
    }

    /// Charges for a value taken from the environment or a lambda scope, by its size.
    fn charge_admitted(&mut self, value: &Val) -> Result<(), Fail> {
        let weight = measure(value)?;
        self.budget.spend(weight)
    }
}

/// Turns a function's outcome into the evaluator's: unknowns are values, failures errors at `offset`.
pub(super) fn settle(result: Result<Val, Fail>, offset: usize) -> Result<Val, ExprError> {
    match result {
        Ok(value) => Ok(value),
        Err(Fail::Unknown(reason)) => Ok(Val::Unknown(reason)),
        Err(Fail::Error(message)) => Err(error_at(offset, message)),
    }
}

pub(super) fn text_len(value: &Val) -> usize {
    match value {
        Val::String(s) => s.len(),
        _ => 0,
    }
}

pub(super) fn unknown_reason(value: &Val) -> Option<String> {
    match value {
        Val::Unknown(reason) => Some(reason.clone()),
        _ => None,
    }
}

/// The property `name` of `target`: moved out of an owned object, copied out of a borrowed one.
pub(super) fn member(target: Cow<'_, Val>, name: &str, safe: bool) -> Result<Val, Fail> {
    match &*target {
        Val::Unknown(_) => Ok(target.into_owned()),
        Val::Object(entries) => {
            let Some(position) = entries.iter().position(|(k, _)| keys_match(k, name)) else {
                return if safe {
                    Ok(Val::Null)
                } else {
                    Err(missing_property(name, entries))
                };
            };
            Ok(match target {
                Cow::Owned(Val::Object(entries)) => entries.into_iter().nth(position),
                Cow::Borrowed(Val::Object(entries)) => entries.get(position).cloned(),
                _ => None,
            }
            .map_or(Val::Null, |(_, value)| value))
        }
        Val::Null if safe => Ok(Val::Null),
        other => Err(fail(format!(
            "cannot read property `{name}` of {}",
            other.type_name()
        ))),
    }
}

pub(super) fn missing_property(name: &str, entries: &[(String, Val)]) -> Fail {
    let mut available: Vec<String> = entries
        .iter()
        .take(10)
        .map(|(k, _)| format!("`{k}`"))
        .collect();
    if entries.len() > available.len() {
        available.push("...".to_string());
    }
    if available.is_empty() {
        fail(format!(
            "property `{name}` does not exist; the object is empty"
        ))
    } else {
        fail(format!(
            "property `{name}` does not exist; available properties are {}",
            available.join(", ")
        ))
    }
}

pub(super) fn element(target: Val, index: Val, safe: bool) -> Result<Val, Fail> {
    match (target, index) {
        (Val::Unknown(reason), _) | (_, Val::Unknown(reason)) => Ok(Val::Unknown(reason)),
        (Val::Object(entries), Val::String(key)) => {
            member(Cow::Owned(Val::Object(entries)), &key, safe)
        }
        (Val::Null, _) if safe => Ok(Val::Null),
        (Val::Array(items), index) => {
            let Some(position) = as_int(&index) else {
                return Err(fail(format!(
                    "an array index must be an integer, not {}",
                    index.type_name()
                )));
            };
            let count = items.len();
            let item = usize::try_from(position)
                .ok()
                .and_then(|i| items.into_iter().nth(i));
            match item {
                Some(item) => Ok(item),
                None if safe => Ok(Val::Null),
                None => Err(fail(format!(
                    "index {position} is out of range for an array of {count} items"
                ))),
            }
        }
        (target, index) => Err(fail(format!(
            "cannot index {} with {}",
            target.type_name(),
            index.type_name()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use crate::arm::expr::test_support::*;
    use crate::arm::expr::*;
    use serde_json::json;

    #[test]
    fn parameters_variables_and_member_access() {
        check(&[
            ("[parameters('name')]", json!("myacr")),
            ("[parameters('NAME')]", json!("myacr")),
            ("[parameters('obj').a.b[2].c]", json!("deep")),
            ("[parameters('obj').MIXED]", json!("Case")),
            ("[parameters('obj')['a']['b'][0]]", json!(1)),
            ("[parameters('obj').a.b[sub(3, 2)]]", json!(2)),
            ("[parameters('list')[copyIndex()]]", json!("three")),
            ("[variables('prefix')]", json!("acr")),
            ("[parameters('obj').?missing]", json!(null)),
            ("[parameters('obj').?missing.?deeper]", json!(null)),
            ("[parameters('list')[?10]]", json!(null)),
            ("[parameters('nothing').?x]", json!(null)),
            ("[parameters('obj')[?'missing']]", json!(null)),
            ("[parameters('obj').a.b[2.0]]", json!({"c": "deep"})),
        ]);
    }

    #[test]
    fn access_errors_point_at_the_problem() {
        let text = "[parameters('obj').missing]";
        let e = error(text);
        assert_eq!(e.offset, 19);
        assert!(
            e.message.contains("`missing` does not exist"),
            "{}",
            e.message
        );
        assert!(
            e.message.contains("`a`") && e.message.contains("`Mixed`"),
            "{}",
            e.message
        );
        let e = error("[parameters('list')[3]]");
        assert_eq!(
            (e.offset, e.message.as_str()),
            (19, "index 3 is out of range for an array of 3 items")
        );
        assert!(
            error("[parameters('list')['x']]")
                .message
                .contains("index must be an integer")
        );
        assert!(
            error("[parameters('obj')[0]]")
                .message
                .contains("cannot index an object")
        );
        assert!(
            error("[parameters('list')[-1]]")
                .message
                .contains("out of range")
        );
        assert!(
            error("[parameters('nothing').x]")
                .message
                .contains("of null")
        );
        assert!(
            error("[parameters('name').x]")
                .message
                .contains("of a string")
        );
        let e = error("[concat('a', parameters('undeclared'))]");
        assert_eq!(
            (e.offset, e.message.as_str()),
            (13, "parameter `undeclared` is not declared")
        );
        assert_eq!(
            error("[variables('nope')]").message,
            "variable `nope` is not declared"
        );
    }

    #[test]
    fn unknown_inputs_propagate_with_their_reason() {
        for text in [
            "[parameters('adminEnabled')]",
            "[not(parameters('adminEnabled'))]",
            "[concat('a', parameters('adminEnabled'))]",
            "[equals(parameters('adminEnabled'), true())]",
            "[parameters('adminEnabled').x.y[0]]",
            "[toLower(string(parameters('adminEnabled')))]",
            "[length(parameters('adminEnabled'))]",
            "[empty(parameters('adminEnabled'))]",
            "[createObject('a', 1)[parameters('adminEnabled')]]",
            "[string(createArray(parameters('adminEnabled')))]",
            "[tryGet(createObject('a', parameters('adminEnabled')), 'a', 'b')]",
        ] {
            assert_eq!(unknown(text), NO_ADMIN, "{text}");
        }
        assert_eq!(
            unknown("[variables('later')]"),
            "`reference()` is only known at deployment"
        );
        check(&[
            (
                "[length(createArray(parameters('adminEnabled'), 1))]",
                json!(2),
            ),
            (
                "[empty(createArray(parameters('adminEnabled')))]",
                json!(false),
            ),
            (
                "[createObject('a', 1, 'b', parameters('adminEnabled')).a]",
                json!(1),
            ),
        ]);
        assert_eq!(
            eval("[createArray(parameters('adminEnabled'))]"),
            Val::Array(vec![Val::Unknown(NO_ADMIN.to_string())])
        );
    }

    #[test]
    fn sizes_are_bounded() {
        let too_large = |text: &str| {
            let message = error(text).message;
            assert!(message.starts_with("result too large"), "{text}: {message}");
        };
        too_large("[concat(parameters('big'), parameters('big'))]");
        too_large("[replace(parameters('big'), 'x', 'xx')]");
        too_large("[split(parameters('big'), 'x')]");
        too_large("[padLeft('a', 2000000)]");
        too_large("[format('{0,2000000}', 'a')]");
        too_large("[string(createArray(parameters('big'), parameters('big')))]");
        too_large(
            "[concat(range(0, 10000), range(0, 10000), range(0, 10000), range(0, 10000), range(0, 10000), range(0, 10000), range(0, 10000), range(0, 10000), range(0, 10000), range(0, 10000), range(0, 10000))]",
        );
        assert!(
            error("[range(0, 10001)]")
                .message
                .contains("between 0 and 10000")
        );
        let long = format!("['{}']", "a".repeat(MAX_EXPRESSION_BYTES));
        assert_eq!(error(&long).offset, 0);
        let deep_json = format!("[json('{}{}')]", "[".repeat(120), "]".repeat(120));
        assert!(matches!(eval(&deep_json), Val::Array(_)));
    }

    #[test]
    fn work_is_bounded() {
        let nested =
            "[length(map(range(0, 10000), lambda('x', map(range(0, 10000), lambda('y', 1)))))]";
        assert!(error(nested).message.contains("too much work"));
        let growing = "[reduce(range(0, 10000), createArray(), lambda('a', 'x', createArray(lambdaVariables('a'))))]";
        let message = error(growing).message;
        assert!(message.contains("nested too deeply"), "{message}");
        let quadratic = "[union(range(0, 10000), range(10000, 10000), map(range(0, 10000), lambda('x', string(lambdaVariables('x')))))]";
        assert!(error(quadratic).message.contains("too much work"));
    }

    const SEEDS: &[&str] = &[
        "[concat('a', parameters('name'))]",
        "[parameters('obj').a.b[2].c]",
        "[parameters('obj').?x[?0]]",
        "[if(equals(parameters('sku'), 'Premium'), 'Enabled', null())]",
        "[and(not(empty(parameters('list'))), or(true, false()))]",
        "[format('{0:D3}-{1}', copyIndex(), 'it''s')]",
        "[resourceId('rg', 'Microsoft.Network/virtualNetworks/subnets', 'v', 's')]",
        "[map(range(0, 3), lambda('x', mul(lambdaVariables('x'), -2)))]",
        "[reduce(createArray(1, 2), 0, lambda('a', 'b', add(lambdaVariables('a'), lambdaVariables('b'))))]",
        "[union(createObject('a', 1), json('{\"b\": [1, 2.5]}'))]",
        "[coalesce(tryGet(parameters('nothing'), 'x'), createArray())]",
        "[uniqueString(resourceGroup().id, deployment().name)]",
        "[guid(subscription().id, 'é')]",
        "[split(toLower('A/B'), '/')[1]]",
        "[reference('x', '2020-01-01', 'full').properties.y]",
        "[__bicep.f(1)]",
        "[substring(padLeft(string(add(1, 2)), 5, '0'), 1, 2)]",
    ];

    fn never_panics(text: &str) {
        if let Err(e) = evaluate(text, &env()) {
            assert!(
                e.offset <= text.len(),
                "{text}: offset {} beyond the text",
                e.offset
            );
        }
    }

    #[test]
    fn prefixes_and_mutations_never_panic() {
        const REPLACEMENTS: &[char] = &[
            '(', ')', '\'', '[', ']', ',', '.', '?', '-', 'x', '0', ' ', 'é', '{',
        ];
        for seed in SEEDS {
            let chars: Vec<char> = seed.chars().collect();
            for end in 0..=chars.len() {
                let prefix: String = chars.iter().take(end).collect();
                never_panics(&prefix);
                never_panics(&format!("{prefix}]"));
            }
            for at in 0..chars.len() {
                let before: String = chars.iter().take(at).collect();
                let after: String = chars.iter().skip(at + 1).collect();
                never_panics(&format!("{before}{after}"));
                let current = chars.get(at).copied().unwrap_or(' ');
                never_panics(&format!("{before}{current}{current}{after}"));
                for replacement in REPLACEMENTS {
                    never_panics(&format!("{before}{replacement}{after}"));
                }
            }
        }
    }

    #[test]
    fn random_token_soup_never_panics() {
        const VOCABULARY: &[&str] = &[
            "concat(",
            "'a'",
            ",",
            ")",
            "(",
            "[",
            "]",
            ".",
            ".?",
            "[?",
            "?",
            "parameters('obj')",
            "parameters('list')",
            "1",
            "-1",
            "2.5",
            "createArray(",
            "createObject(",
            "lambda('x',",
            "lambdaVariables('x')",
            "map(",
            "filter(",
            "reduce(",
            "if(",
            "format('{0}',",
            "union(",
            "range(0,",
            "10000",
            "json('",
            "{",
            "}",
            "''",
            " ",
            "true",
            "null()",
            "equals(",
            "resourceId(",
            "'Microsoft.X/y'",
            "uniqueString(",
            "guid(",
            "split(",
            "substring(",
            "padLeft(",
            "reference(",
            "tryGet(",
            "coalesce(",
            "copyIndex(",
            "items(",
            "x",
            "é",
        ];
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..20_000 {
            let length = next() % 30 + 1;
            let mut text = String::from("[");
            for _ in 0..length {
                let pick = usize::try_from(next() % VOCABULARY.len() as u64).unwrap();
                text.push_str(VOCABULARY[pick]);
            }
            text.push(']');
            never_panics(&text);
        }
    }
}
