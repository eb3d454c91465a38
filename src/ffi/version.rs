//! The library's version at run time.

use std::ffi::c_char;

/// The version of the library that is loaded, as "MAJOR.MINOR.PATCH", NUL-terminated.
/// Compare with `SENDFILE_VERSION` from the header to detect a mismatch. Static; never
/// NULL; never to be freed. Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn sf_version() -> *const c_char {
    concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr().cast()
}
