//! The result codes of the C ABI. Numbers are stable: a code is never renumbered or reused.

use std::ffi::c_char;

use crate::error::Error;

/// What a function of the library returns. `SF_OK` is 0; every other code comes with a
/// message from `sf_last_error()` on the same thread.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum sf_result {
    /// Success.
    SF_OK = 0,
    /// A pointer argument that must not be NULL was NULL.
    SF_ERROR_NULL_ARGUMENT = 1,
    /// Text that must be UTF-8 (backend, root, URL, path, option values) was not.
    SF_ERROR_INVALID_UTF8 = 2,
    /// An argument was malformed: an unknown file option, a header value with a line
    /// break.
    SF_ERROR_INVALID_ARGUMENT = 3,
    /// The file does not exist, is not a regular file, or its path is too long to name
    /// a file: answer 404.
    SF_ERROR_NOT_FOUND = 4,
    /// The path leads outside the root: answer 404, and log it.
    SF_ERROR_OUTSIDE_ROOT = 5,
    /// The configuration cannot work: unknown backend or option, missing root or URL,
    /// a root that cannot be opened.
    SF_ERROR_CONFIGURATION = 6,
    /// The system refused something else (permission denied, too many open files, a
    /// client that went away, a file that shrank while it was sent).
    SF_ERROR_IO = 7,
    /// An index was not below the matching count.
    SF_ERROR_INDEX_OUT_OF_RANGE = 8,
    /// `sf_plan_send` filled a non-blocking socket; call it again when it is writable.
    SF_WOULD_BLOCK = 9,
    /// A bug in the library: it panicked, and the call had no effect that can be relied on.
    SF_ERROR_PANIC = 10,
}

impl From<&Error> for sf_result {
    fn from(error: &Error) -> sf_result {
        match error {
            Error::NotFound { .. } => sf_result::SF_ERROR_NOT_FOUND,
            Error::OutsideRoot(_) => sf_result::SF_ERROR_OUTSIDE_ROOT,
            Error::Configuration(_) => sf_result::SF_ERROR_CONFIGURATION,
            Error::InvalidArgument(_) => sf_result::SF_ERROR_INVALID_ARGUMENT,
            Error::Io(_) => sf_result::SF_ERROR_IO,
        }
    }
}

/// A short, static, NUL-terminated description of `result`, for any number, including
/// ones this version does not know. Never NULL; never to be freed. Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn sf_result_string(result: u32) -> *const c_char {
    let text: &'static std::ffi::CStr = match result {
        0 => c"success",
        1 => c"a required pointer argument was NULL",
        2 => c"text was not valid UTF-8",
        3 => c"invalid argument",
        4 => c"file not found",
        5 => c"path outside the root",
        6 => c"configuration error",
        7 => c"I/O error",
        8 => c"index out of range",
        9 => c"the socket would block; send again when it is writable",
        10 => c"internal error (panic)",
        _ => c"unknown result code",
    };
    text.as_ptr()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CStr;

    #[test]
    fn every_code_has_its_own_text_and_unknown_codes_are_named() {
        let text = |code| {
            // SAFETY: sf_result_string returns a static NUL-terminated string.
            unsafe { CStr::from_ptr(sf_result_string(code)) }
                .to_str()
                .unwrap()
        };
        let known: Vec<&str> = (0..=10).map(text).collect();
        let mut unique = known.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), known.len());
        assert_eq!(text(sf_result::SF_ERROR_NOT_FOUND as u32), "file not found");
        assert_eq!(text(11), "unknown result code");
        assert_eq!(text(u32::MAX), "unknown result code");
    }
}
