//! Lambda functions: `map`, `filter`, `reduce`, `toObject` and `lambdaVariables`.

use super::array_object::insert_entry;
use super::{Args, arity_error, type_error};
use crate::arm::expr::budget::{Fail, fail};
use crate::arm::expr::eval::Evaluator;
use crate::arm::expr::parser::{Call, Expr, Kind};
use crate::arm::expr::value::{Val, index_value, keys_match, measure};
use crate::arm::expr::{ExprError, error_at};

pub(super) fn lambda_variables(ev: &mut Evaluator<'_>, a: &mut Args<'_>) -> Result<Val, Fail> {
    a.count(1, 1)?;
    let name = a.str(0)?;
    let bound = ev
        .lambda_scope
        .iter()
        .rev()
        .find(|(param, _)| keys_match(param, name))
        .map(|(_, value)| value.clone());
    match bound {
        Some(value) => ev.admit(value),
        None => Err(fail(format!(
            "lambda variable `{name}` is not defined here"
        ))),
    }
}

/// `lambda('a', 'b', body)`, as an argument of a lambda function.
pub(super) struct Lambda<'x> {
    params: Vec<String>,
    body: &'x Expr,
}

impl<'x> Lambda<'x> {
    fn parse(expr: &'x Expr, min_params: usize, max_params: usize) -> Result<Self, ExprError> {
        let Kind::Call(call) = &expr.kind else {
            return Err(error_at(expr.offset, "expected a `lambda(...)` here"));
        };
        let Some((body, names)) = call.args.split_last().filter(|_| call.key == "lambda") else {
            return Err(error_at(expr.offset, "expected a `lambda(...)` here"));
        };
        let mut params = Vec::with_capacity(names.len());
        for name in names {
            match &name.kind {
                Kind::Literal(Val::String(name)) => params.push(name.clone()),
                _ => {
                    let message = "lambda parameter names must be string literals";
                    return Err(error_at(name.offset, message));
                }
            }
        }
        if params.len() < min_params || params.len() > max_params {
            let message = format!(
                "this `lambda()` must take {min_params} to {max_params} parameters, not {}",
                params.len()
            );
            return Err(error_at(expr.offset, message));
        }
        Ok(Lambda { params, body })
    }
}

impl Evaluator<'_> {
    pub(super) fn eval_map(
        &mut self,
        call: &Call,
        args: &[Expr],
        offset: usize,
    ) -> Result<Val, ExprError> {
        let [items, lambda] = args else {
            return Err(arity_error(&call.name, 2, 2, args.len()).into_error(offset));
        };
        let items = match self.eval_lambda_input(call, items, offset)? {
            Ok(items) => items,
            Err(unknown) => return Ok(unknown),
        };
        let lambda = Lambda::parse(lambda, 1, 2)?;
        let mut mapped = Vec::with_capacity(items.len());
        for (index, item) in items.into_iter().enumerate() {
            mapped.push(self.apply_lambda(&lambda, vec![item, index_value(index)])?);
        }
        Ok(Val::Array(mapped))
    }

    pub(super) fn eval_filter(
        &mut self,
        call: &Call,
        args: &[Expr],
        offset: usize,
    ) -> Result<Val, ExprError> {
        let [items, lambda] = args else {
            return Err(arity_error(&call.name, 2, 2, args.len()).into_error(offset));
        };
        let items = match self.eval_lambda_input(call, items, offset)? {
            Ok(items) => items,
            Err(unknown) => return Ok(unknown),
        };
        let lambda = Lambda::parse(lambda, 1, 2)?;
        let mut kept = Vec::new();
        for (index, item) in items.into_iter().enumerate() {
            match self.apply_lambda(&lambda, vec![item.clone(), index_value(index)])? {
                Val::Bool(true) => kept.push(item),
                Val::Bool(false) => {}
                Val::Unknown(reason) => return Ok(Val::Unknown(reason)),
                other => {
                    let message = format!(
                        "the `lambda()` of `{}()` must return a boolean, not {}",
                        call.name,
                        other.type_name()
                    );
                    return Err(error_at(lambda.body.offset, message));
                }
            }
        }
        Ok(Val::Array(kept))
    }

    pub(super) fn eval_reduce(
        &mut self,
        call: &Call,
        args: &[Expr],
        offset: usize,
    ) -> Result<Val, ExprError> {
        let [items, initial, lambda] = args else {
            return Err(arity_error(&call.name, 3, 3, args.len()).into_error(offset));
        };
        let items = match self.eval_lambda_input(call, items, offset)? {
            Ok(items) => items,
            Err(unknown) => return Ok(unknown),
        };
        let mut accumulator = self.eval(initial)?;
        let lambda = Lambda::parse(lambda, 2, 3)?;
        for (index, item) in items.into_iter().enumerate() {
            accumulator =
                self.apply_lambda(&lambda, vec![accumulator, item, index_value(index)])?;
            let weight = measure(&accumulator).map_err(|fail| fail.into_error(offset))?;
            self.budget
                .spend(weight)
                .map_err(|fail| fail.into_error(offset))?;
        }
        Ok(accumulator)
    }

    pub(super) fn eval_to_object(
        &mut self,
        call: &Call,
        args: &[Expr],
        offset: usize,
    ) -> Result<Val, ExprError> {
        let (items, key_lambda, value_lambda) = match args {
            [items, key] => (items, key, None),
            [items, key, value] => (items, key, Some(value)),
            _ => return Err(arity_error(&call.name, 2, 3, args.len()).into_error(offset)),
        };
        let items = match self.eval_lambda_input(call, items, offset)? {
            Ok(items) => items,
            Err(unknown) => return Ok(unknown),
        };
        let key_lambda = Lambda::parse(key_lambda, 1, 1)?;
        let value_lambda = value_lambda.map(|l| Lambda::parse(l, 1, 1)).transpose()?;
        let mut entries = Vec::new();
        for item in items {
            let key = match self.apply_lambda(&key_lambda, vec![item.clone()])? {
                Val::String(key) => key,
                Val::Unknown(reason) => return Ok(Val::Unknown(reason)),
                other => {
                    let message = format!("object keys must be strings, not {}", other.type_name());
                    return Err(error_at(key_lambda.body.offset, message));
                }
            };
            let value = match &value_lambda {
                Some(lambda) => self.apply_lambda(lambda, vec![item])?,
                None => item,
            };
            insert_entry(&mut entries, key, value);
        }
        Ok(Val::Object(entries))
    }

    /// The array a lambda function iterates over; `Err` holds the unknown that replaces the result.
    pub(super) fn eval_lambda_input(
        &mut self,
        call: &Call,
        items: &Expr,
        offset: usize,
    ) -> Result<Result<Vec<Val>, Val>, ExprError> {
        match self.eval(items)? {
            Val::Array(items) => Ok(Ok(items)),
            Val::Unknown(reason) => Ok(Err(Val::Unknown(reason))),
            other => Err(type_error(&call.name, 0, "an array", &other).into_error(offset)),
        }
    }

    pub(super) fn apply_lambda(
        &mut self,
        lambda: &Lambda<'_>,
        values: Vec<Val>,
    ) -> Result<Val, ExprError> {
        let mark = self.lambda_scope.len();
        for (name, value) in lambda.params.iter().zip(values) {
            self.lambda_scope.push((name.clone(), value));
        }
        let result = self.eval(lambda.body);
        self.lambda_scope.truncate(mark);
        result
    }
}

#[cfg(test)]
mod tests {
    use crate::arm::expr::test_support::*;

    use serde_json::json;

    #[test]
    fn lambda_functions() {
        check(&[
            (
                "[map(range(0, 3), lambda('x', mul(lambdaVariables('x'), 2)))]",
                json!([0, 2, 4]),
            ),
            (
                "[map(parameters('list'), lambda('x', 'i', concat(lambdaVariables('x'), string(lambdaVariables('i')))))]",
                json!(["one0", "two1", "three2"]),
            ),
            (
                "[filter(range(0, 5), lambda('x', greater(lambdaVariables('x'), 2)))]",
                json!([3, 4]),
            ),
            (
                "[reduce(range(1, 4), 0, lambda('cur', 'next', add(lambdaVariables('cur'), lambdaVariables('next'))))]",
                json!(10),
            ),
            (
                "[reduce(map(createArray('a', 'b'), lambda('id', createObject(format('{0}', lambdaVariables('id')), createObject()))), createObject(), lambda('cur', 'next', union(lambdaVariables('cur'), lambdaVariables('next'))))]",
                json!({"a": {}, "b": {}}),
            ),
            (
                "[toObject(parameters('list'), lambda('x', toUpper(lambdaVariables('x'))))]",
                json!({"ONE": "one", "TWO": "two", "THREE": "three"}),
            ),
            (
                "[toObject(createArray('a'), lambda('x', lambdaVariables('x')), lambda('x', 1))]",
                json!({"a": 1}),
            ),
            (
                "[map(range(0, 2), lambda('x', map(range(0, 2), lambda('y', add(lambdaVariables('x'), lambdaVariables('y'))))))]",
                json!([[0, 1], [1, 2]]),
            ),
        ]);
        assert!(
            unknown("[map(reference('x').nics, lambda('n', lambdaVariables('n').id))]")
                .contains("reference")
        );
        assert!(
            error("[lambdaVariables('x')]")
                .message
                .contains("not defined")
        );
        assert!(
            error("[lambda('x', 1)]")
                .message
                .contains("can only be an argument")
        );
        assert!(
            error("[map(range(0, 1), 'x')]")
                .message
                .contains("expected a `lambda")
        );
        assert!(
            error("[map(range(0, 1), lambda(concat('x'), 1))]")
                .message
                .contains("string literals")
        );
        assert!(
            error("[filter(range(0, 1), lambda('x', 1))]")
                .message
                .contains("must return a boolean")
        );
    }
}
