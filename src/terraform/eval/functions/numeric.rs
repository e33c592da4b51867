//! Numeric functions.

use crate::terraform::eval::conversion::{as_list, to_number};
use crate::terraform::eval::expressions::finite;
use crate::terraform::eval::functions::exactly;
use crate::terraform::eval::{Eval, Halt, MAX_RANGE, TOO_LARGE, TfValue, invalid};

pub(super) fn map_number(name: &str, args: Vec<TfValue>, f: impl Fn(f64) -> f64) -> Eval {
    let [number] = exactly(name, args)?;
    finite(f(to_number(&number)?))
}

pub(super) fn range(args: &[TfValue]) -> Eval {
    let numbers = args
        .iter()
        .map(to_number)
        .collect::<Result<Vec<f64>, Halt>>()?;
    let (start, limit, step) = match numbers.as_slice() {
        [limit] => (0.0, *limit, 1.0),
        [start, limit] => (*start, *limit, if limit >= start { 1.0 } else { -1.0 }),
        [start, limit, step] => (*start, *limit, *step),
        _ => {
            return Err(invalid(format!(
                "`range` takes 1 to 3 arguments, got {}",
                numbers.len()
            )));
        }
    };
    if step == 0.0 {
        return Err(invalid("the step must not be zero"));
    }
    let mut items = Vec::new();
    loop {
        let current = start + items.len() as f64 * step;
        let more = if step > 0.0 {
            current < limit
        } else {
            current > limit
        };
        if !more {
            return Ok(TfValue::List(items));
        }
        if items.len() >= MAX_RANGE {
            return Err(Halt::Limit(TOO_LARGE));
        }
        items.push(TfValue::Number(current));
    }
}

pub(super) fn fold_numbers(name: &str, args: &[TfValue], f: fn(f64, f64) -> f64) -> Eval {
    let mut numbers = args.iter().map(to_number);
    let first = numbers
        .next()
        .ok_or_else(|| invalid(format!("`{name}` takes at least 1 argument")))??;
    numbers
        .try_fold(first, |acc, number| Ok(f(acc, number?)))
        .map(TfValue::Number)
}

pub(super) fn sum(args: Vec<TfValue>) -> Eval {
    let [list] = exactly("sum", args)?;
    let items = as_list(&list)?;
    if items.is_empty() {
        return Err(invalid("cannot sum an empty list"));
    }
    let total = items
        .iter()
        .map(to_number)
        .try_fold(0.0, |acc, number| Ok::<f64, Halt>(acc + number?))?;
    finite(total)
}

#[cfg(test)]
mod tests {

    use crate::terraform::eval::test_support::*;
    use crate::terraform::eval::*;

    #[test]
    fn number_functions() {
        check(&[
            ("min(3, 1, 2)", "1"),
            ("max(\"3\", 10)", "10"),
            ("abs(-2.5)", "2.5"),
            ("ceil(1.2)", "2"),
            ("floor(-1.2)", "-2"),
            ("sum([1, 2, \"3\"])", "6"),
        ]);
        check_unknown(&[
            ("min(1, var.pending)", PENDING),
            ("abs(var.pending)", PENDING),
            ("sum([var.pending])", PENDING),
        ]);
        check_error(
            ErrorKind::Invalid,
            &[
                ("min()", "at least 1 argument"),
                ("abs(\"x\")", "cannot be used as a number"),
                ("ceil(1, 2)", "takes 1 argument"),
            ],
        );
    }
}
