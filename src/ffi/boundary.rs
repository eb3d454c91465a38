//! The boundary every exported function goes through: errors become result codes with a
//! message, and panics are caught, never unwound into C nor turned into an abort.

use std::panic::{AssertUnwindSafe, catch_unwind};

use crate::error::Error;
use crate::ffi::last_error;
use crate::ffi::result::sf_result;

/// An error on its way to C: the code and the message for `sf_last_error`.
#[derive(Debug)]
pub(crate) struct FfiError {
    pub code: sf_result,
    pub message: String,
}

impl FfiError {
    pub fn new(code: sf_result, message: impl Into<String>) -> FfiError {
        FfiError {
            code,
            message: message.into(),
        }
    }

    pub fn null(what: &str) -> FfiError {
        FfiError::new(
            sf_result::SF_ERROR_NULL_ARGUMENT,
            format!("{what} must not be NULL"),
        )
    }
}

impl From<Error> for FfiError {
    fn from(error: Error) -> FfiError {
        FfiError::new(sf_result::from(&error), error.to_string())
    }
}

/// Runs `body` for a function that returns `sf_result`.
pub(crate) fn result_of(body: impl FnOnce() -> Result<(), FfiError>) -> sf_result {
    last_error::clear();
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(())) => sf_result::SF_OK,
        Ok(Err(error)) => {
            if error.code != sf_result::SF_WOULD_BLOCK {
                last_error::set(&error.message);
            }
            error.code
        }
        Err(panic) => {
            last_error::set(&format!("internal error: {}", panic_message(&*panic)));
            sf_result::SF_ERROR_PANIC
        }
    }
}

/// Runs `body` for a function that returns a value, giving `sentinel` if it panics.
pub(crate) fn value_of<T>(sentinel: T, body: impl FnOnce() -> T) -> T {
    catch_unwind(AssertUnwindSafe(body)).unwrap_or(sentinel)
}

fn panic_message(panic: &(dyn std::any::Any + Send)) -> &str {
    panic
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("panic")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CStr;

    fn last_message() -> Option<String> {
        let pointer = crate::ffi::last_error::sf_last_error();
        (!pointer.is_null()).then(|| {
            // SAFETY: a non-NULL pointer from sf_last_error is a valid C string until the
            // next call on this thread.
            unsafe { CStr::from_ptr(pointer) }
                .to_string_lossy()
                .into_owned()
        })
    }

    #[test]
    fn a_panic_becomes_a_result_code_with_a_message() {
        let result = result_of(|| panic!("boom"));
        assert_eq!(result, sf_result::SF_ERROR_PANIC);
        assert_eq!(last_message().as_deref(), Some("internal error: boom"));
        assert_eq!(value_of(-1, || panic!("again")), -1);
    }

    #[test]
    fn success_clears_the_last_error() {
        let _ = result_of(|| Err(FfiError::null("plan")));
        assert_eq!(last_message().as_deref(), Some("plan must not be NULL"));
        assert_eq!(result_of(|| Ok(())), sf_result::SF_OK);
        assert_eq!(last_message(), None);
    }
}
