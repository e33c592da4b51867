//! Logic and comparison: `if`, `and`, `or`, `coalesce`, `not`, `equals`, `less`, `greater`, ...

use super::{Args, arity_error, type_error};
use crate::arm::expr::ExprError;
use crate::arm::expr::budget::{Fail, fail};
use crate::arm::expr::eval::Evaluator;
use crate::arm::expr::parser::{Call, Expr};
use crate::arm::expr::value::{Same, Val, compare, number};

pub(super) fn not(_: &mut Evaluator<'_>, a: &mut Args<'_>) -> Result<Val, Fail> {
    a.count(1, 1)?;
    match a.arg(0)? {
        Val::Bool(b) => Ok(Val::Bool(!b)),
        _ => Err(a.wrong_type(0, "a boolean")),
    }
}

pub(super) fn equals(ev: &mut Evaluator<'_>, a: &mut Args<'_>) -> Result<Val, Fail> {
    a.count(2, 2)?;
    match compare(a.arg(0)?, a.arg(1)?, 0, &mut ev.budget)? {
        Same::Yes => Ok(Val::Bool(true)),
        Same::No => Ok(Val::Bool(false)),
        Same::Unknown(reason) => Err(Fail::Unknown(reason)),
    }
}

pub(super) fn ordering(
    a: &mut Args<'_>,
    accept: fn(std::cmp::Ordering) -> bool,
) -> Result<Val, Fail> {
    a.count(2, 2)?;
    let order = match (a.arg(0)?, a.arg(1)?) {
        (Val::String(x), Val::String(y)) => x.cmp(y),
        (x, y) => match (number(x), number(y)) {
            (Some(x), Some(y)) => x.partial_cmp(&y).unwrap_or(std::cmp::Ordering::Equal),
            _ => {
                return Err(fail(format!(
                    "`{}()` compares two numbers or two strings, not {} and {}",
                    a.name,
                    x.type_name(),
                    y.type_name()
                )));
            }
        },
    };
    Ok(Val::Bool(accept(order)))
}

impl Evaluator<'_> {
    pub(super) fn eval_if(
        &mut self,
        call: &Call,
        args: &[Expr],
        offset: usize,
    ) -> Result<Val, ExprError> {
        let [condition, when_true, when_false] = args else {
            return Err(arity_error(&call.name, 3, 3, args.len()).into_error(offset));
        };
        match self.eval(condition)? {
            Val::Bool(true) => self.eval(when_true),
            Val::Bool(false) => self.eval(when_false),
            Val::Unknown(reason) => {
                // Only one branch would run at deployment, so an error in either is not an error here.
                let yes = self.eval(when_true).ok();
                let no = self.eval(when_false).ok();
                if let (Some(yes), Some(no)) = (yes, no)
                    && matches!(compare(&yes, &no, 0, &mut self.budget), Ok(Same::Yes))
                {
                    return Ok(yes);
                }
                Ok(Val::Unknown(reason))
            }
            other => Err(type_error(&call.name, 0, "a boolean", &other).into_error(offset)),
        }
    }

    /// `and` (`decisive` = false) and `or` (`decisive` = true): the first decisive value wins even
    /// after an unknown; after an unknown, later errors count as unknown (they might never run).
    pub(super) fn eval_logical(
        &mut self,
        call: &Call,
        args: &[Expr],
        offset: usize,
        decisive: bool,
    ) -> Result<Val, ExprError> {
        if args.is_empty() {
            return Err(arity_error(&call.name, 1, usize::MAX, 0).into_error(offset));
        }
        let mut unknown: Option<String> = None;
        for (position, arg) in args.iter().enumerate() {
            let value = match self.eval(arg) {
                Ok(value) => value,
                Err(_) if unknown.is_some() => continue,
                Err(error) => return Err(error),
            };
            match value {
                Val::Bool(b) if b == decisive => return Ok(Val::Bool(decisive)),
                Val::Bool(_) => {}
                Val::Unknown(reason) => {
                    unknown.get_or_insert(reason);
                }
                other if unknown.is_some() => drop(other),
                other => {
                    return Err(
                        type_error(&call.name, position, "a boolean", &other).into_error(offset)
                    );
                }
            }
        }
        Ok(unknown.map_or(Val::Bool(!decisive), Val::Unknown))
    }

    pub(super) fn eval_coalesce(
        &mut self,
        call: &Call,
        args: &[Expr],
        offset: usize,
    ) -> Result<Val, ExprError> {
        if args.is_empty() {
            return Err(arity_error(&call.name, 1, usize::MAX, 0).into_error(offset));
        }
        for arg in args {
            match self.eval(arg)? {
                Val::Null => {}
                value => return Ok(value),
            }
        }
        Ok(Val::Null)
    }
}

#[cfg(test)]
mod tests {
    use crate::arm::expr::test_support::*;
    use crate::arm::expr::*;
    use serde_json::json;

    #[test]
    fn if_evaluates_only_the_chosen_branch() {
        check(&[
            ("[if(true(), 'a', parameters('adminEnabled'))]", json!("a")),
            ("[if(false(), reference('x').y, 'b')]", json!("b")),
            ("[if(true(), 'a', parameters('undeclared'))]", json!("a")),
            ("[if(equals(parameters('sku'), 'Premium'), 1, 2)]", json!(1)),
            (
                "[if(parameters('adminEnabled'), 'same', 'same')]",
                json!("same"),
            ),
            ("[if(true(), null(), 1)]", json!(null)),
        ]);
        assert_eq!(
            unknown("[if(parameters('adminEnabled'), 'a', 'b')]"),
            NO_ADMIN
        );
        assert_eq!(
            unknown("[if(parameters('adminEnabled'), 'same', parameters('undeclared'))]"),
            NO_ADMIN
        );
        let e = error("[if('yes', 1, 2)]");
        assert_eq!(e.offset, 1);
        assert!(
            e.message.contains("argument 1 to be a boolean"),
            "{}",
            e.message
        );
        assert!(
            error("[if(true(), 1)]")
                .message
                .contains("takes 3 arguments, got 2")
        );
    }

    #[test]
    fn and_or_short_circuit_around_unknowns() {
        check(&[
            ("[and(false(), parameters('adminEnabled'))]", json!(false)),
            ("[and(parameters('adminEnabled'), false())]", json!(false)),
            ("[and(false(), parameters('undeclared'))]", json!(false)),
            ("[or(true(), parameters('adminEnabled'))]", json!(true)),
            ("[or(parameters('adminEnabled'), true())]", json!(true)),
            ("[or(false(), false())]", json!(false)),
            ("[and(true(), true(), true())]", json!(true)),
        ]);
        assert_eq!(
            unknown("[and(true(), parameters('adminEnabled'))]"),
            NO_ADMIN
        );
        assert_eq!(
            unknown("[or(parameters('adminEnabled'), parameters('undeclared'))]"),
            NO_ADMIN
        );
        assert!(
            error("[and(true(), 'x')]")
                .message
                .contains("argument 2 to be a boolean")
        );
        assert!(
            error("[or(false(), parameters('undeclared'))]")
                .message
                .contains("not declared")
        );
        assert!(error("[and()]").message.contains("at least 1 argument"));
    }

    #[test]
    fn coalesce_takes_the_first_known_non_null() {
        check(&[
            ("[coalesce(null(), 'a')]", json!("a")),
            (
                "[coalesce(parameters('nothing'), createArray())]",
                json!([]),
            ),
            (
                "[coalesce('first', parameters('adminEnabled'))]",
                json!("first"),
            ),
            ("[coalesce(null(), null())]", json!(null)),
            ("[coalesce('a', parameters('undeclared'))]", json!("a")),
        ]);
        assert_eq!(
            unknown("[coalesce(null(), parameters('adminEnabled'), 'x')]"),
            NO_ADMIN
        );
    }

    #[test]
    fn equality_and_comparison() {
        check(&[
            ("[equals('a', 'A')]", json!(false)),
            ("[equals('a', 'a')]", json!(true)),
            ("[equals(createArray(1, 2), json('[1, 2]'))]", json!(true)),
            (
                "[equals(createArray(1, 2), createArray(2, 1))]",
                json!(false),
            ),
            (
                "[equals(createObject('A', 1), createObject('a', 1))]",
                json!(true),
            ),
            (
                "[equals(createObject('a', 1), createObject('a', 1, 'b', 2))]",
                json!(false),
            ),
            ("[equals(1, json('1.0'))]", json!(true)),
            ("[equals(1, '1')]", json!(false)),
            ("[equals(null(), parameters('nothing'))]", json!(true)),
            (
                "[equals(createArray(reference('x'), 1), createArray(1, 2))]",
                json!(false),
            ),
            ("[greater(2, 1)]", json!(true)),
            ("[greater('A', 'a')]", json!(false)),
            ("[greaterOrEquals(2, 2)]", json!(true)),
            ("[less(1, 2)]", json!(true)),
            ("[lessOrEquals(3, 2)]", json!(false)),
        ]);
        assert!(
            unknown("[equals(createArray(reference('x')), createArray(1))]").contains("reference")
        );
        assert!(
            error("[greater(1, 'a')]")
                .message
                .contains("two numbers or two strings")
        );
        assert_eq!(values_equal(&s("a"), &s("a")), Some(true));
        assert_eq!(values_equal(&Val::Unknown("u".into()), &s("a")), None);
    }
}
