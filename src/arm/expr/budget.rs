//! The limits of one evaluation: the work budget and the ways a function produces no value.

use super::{ExprError, MAX_ARRAY_ITEMS, MAX_STRING_BYTES, error_at};

/// Why a function produced no value: an unknown input (not an error) or an error in the template.
#[derive(Debug)]
pub(super) enum Fail {
    Unknown(String),
    Error(String),
}

impl Fail {
    pub(super) fn into_error(self, offset: usize) -> ExprError {
        match self {
            Fail::Unknown(reason) | Fail::Error(reason) => error_at(offset, reason),
        }
    }
}

pub(super) fn fail(message: impl Into<String>) -> Fail {
    Fail::Error(message.into())
}

pub(super) fn too_large(what: &str) -> Fail {
    fail(format!("result too large: {what}"))
}

pub(super) fn string_too_large() -> Fail {
    too_large(&format!("strings are limited to {MAX_STRING_BYTES} bytes"))
}

pub(super) fn array_too_large() -> Fail {
    too_large(&format!("arrays are limited to {MAX_ARRAY_ITEMS} items"))
}

/// Work units left in one evaluation.
pub(super) struct Budget(pub(super) u64);

impl Budget {
    pub(super) fn spend(&mut self, units: u64) -> Result<(), Fail> {
        match self.0.checked_sub(units) {
            Some(left) => {
                self.0 = left;
                Ok(())
            }
            None => {
                self.0 = 0;
                Err(fail("expression needs too much work to evaluate"))
            }
        }
    }
}

pub(super) fn units(count: usize) -> u64 {
    u64::try_from(count).unwrap_or(u64::MAX)
}
