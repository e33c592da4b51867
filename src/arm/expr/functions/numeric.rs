//! Numeric functions: `add`, `sub`, `mul`, `div`, `mod`, `min`, `max`, `range`.

use super::{Args, type_error};
use crate::arm::expr::MAX_RANGE_COUNT;
use crate::arm::expr::budget::{Fail, fail};
use crate::arm::expr::eval::Evaluator;
use crate::arm::expr::value::{Val, as_int};

pub(super) fn min_or_max(a: &mut Args<'_>, min: bool) -> Result<Val, Fail> {
    a.count(1, usize::MAX)?;
    let numbers: &[Val] = match a.vals.as_slice() {
        [Val::Array(items)] => items,
        all => all,
    };
    let mut best: Option<i64> = None;
    for value in numbers {
        let Some(n) = as_int(value) else {
            return match value {
                Val::Unknown(reason) => Err(Fail::Unknown(reason.clone())),
                other => Err(type_error(a.name, 0, "integers", other)),
            };
        };
        best = Some(best.map_or(n, |b| if min { b.min(n) } else { b.max(n) }));
    }
    best.map(Val::Int)
        .ok_or_else(|| fail(format!("`{}()` needs at least one number", a.name)))
}

pub(super) fn range(_: &mut Evaluator<'_>, a: &mut Args<'_>) -> Result<Val, Fail> {
    a.count(2, 2)?;
    let (start, count) = (a.int(0)?, a.int(1)?);
    if !(0..=MAX_RANGE_COUNT).contains(&count) {
        return Err(fail(format!(
            "`{}()` count must be between 0 and {MAX_RANGE_COUNT}",
            a.name
        )));
    }
    let end = start
        .checked_add(count)
        .filter(|end| *end <= i64::from(i32::MAX))
        .ok_or_else(|| fail(format!("`{}()` runs past 2147483647", a.name)))?;
    Ok(Val::Array((start..end).map(Val::Int).collect()))
}

pub(super) fn arithmetic(a: &mut Args<'_>, op: fn(i64, i64) -> Option<i64>) -> Result<Val, Fail> {
    a.count(2, 2)?;
    op(a.int(0)?, a.int(1)?)
        .map(Val::Int)
        .ok_or_else(|| fail(format!("`{}()` overflows", a.name)))
}

pub(super) fn division(a: &mut Args<'_>, op: fn(i64, i64) -> Option<i64>) -> Result<Val, Fail> {
    a.count(2, 2)?;
    if a.int(1)? == 0 {
        return Err(fail(format!("`{}()` divides by zero", a.name)));
    }
    arithmetic(a, op)
}
