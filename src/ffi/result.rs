//! The result codes of the C ABI. Numbers are stable: a code is never renumbered or reused.

use std::ffi::{CStr, c_char};

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

impl sf_result {
    /// Every code, in the order of its number (which is its index here).
    const ALL: [sf_result; 11] = [
        sf_result::SF_OK,
        sf_result::SF_ERROR_NULL_ARGUMENT,
        sf_result::SF_ERROR_INVALID_UTF8,
        sf_result::SF_ERROR_INVALID_ARGUMENT,
        sf_result::SF_ERROR_NOT_FOUND,
        sf_result::SF_ERROR_OUTSIDE_ROOT,
        sf_result::SF_ERROR_CONFIGURATION,
        sf_result::SF_ERROR_IO,
        sf_result::SF_ERROR_INDEX_OUT_OF_RANGE,
        sf_result::SF_WOULD_BLOCK,
        sf_result::SF_ERROR_PANIC,
    ];

    /// The code of `number`, or `None` for a number this version does not know.
    fn from_number(number: u32) -> Option<sf_result> {
        sf_result::ALL.get(usize::try_from(number).ok()?).copied()
    }

    /// The code's description, for `sf_result_string`.
    fn text(self) -> &'static CStr {
        match self {
            sf_result::SF_OK => c"success",
            sf_result::SF_ERROR_NULL_ARGUMENT => c"a required pointer argument was NULL",
            sf_result::SF_ERROR_INVALID_UTF8 => c"text was not valid UTF-8",
            sf_result::SF_ERROR_INVALID_ARGUMENT => c"invalid argument",
            sf_result::SF_ERROR_NOT_FOUND => c"file not found",
            sf_result::SF_ERROR_OUTSIDE_ROOT => c"path outside the root",
            sf_result::SF_ERROR_CONFIGURATION => c"configuration error",
            sf_result::SF_ERROR_IO => c"I/O error",
            sf_result::SF_ERROR_INDEX_OUT_OF_RANGE => c"index out of range",
            sf_result::SF_WOULD_BLOCK => c"the socket would block; send again when it is writable",
            sf_result::SF_ERROR_PANIC => c"internal error (panic)",
        }
    }
}

/// A short, static, NUL-terminated description of `result`, for any number, including
/// ones this version does not know. Never NULL; never to be freed. Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn sf_result_string(result: u32) -> *const c_char {
    sf_result::from_number(result)
        .map_or(c"unknown result code", sf_result::text)
        .as_ptr()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_is_listed_at_its_number_with_its_own_text() {
        for (index, code) in sf_result::ALL.iter().enumerate() {
            assert_eq!(*code as usize, index, "{code:?}");
            assert_eq!(sf_result::from_number(*code as u32), Some(*code));
        }
        let text = |code| {
            // SAFETY: sf_result_string returns a static NUL-terminated string.
            unsafe { CStr::from_ptr(sf_result_string(code)) }
                .to_str()
                .unwrap()
        };
        let known: Vec<&str> = (0..sf_result::ALL.len() as u32).map(text).collect();
        let mut unique = known.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), known.len());
        assert_eq!(text(sf_result::SF_ERROR_NOT_FOUND as u32), "file not found");
        assert_eq!(text(sf_result::ALL.len() as u32), "unknown result code");
        assert_eq!(text(u32::MAX), "unknown result code");
    }
}
