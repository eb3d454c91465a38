//! Paths: from what the application asked for to an open descriptor under the root.
//!
//! `normalize` works on the text alone; `open` asks the kernel, and `walk` resolves one
//! component at a time where the kernel cannot. What an `errno` from opening means to
//! the caller is decided here, once, for both ways of opening.

pub(crate) mod normalize;
pub(crate) mod open;
mod walk;

use std::io;

use crate::error::{Error, Escape, Missing};
use crate::path::normalize::RelativePath;

/// Maps an error from opening `relative` to what the caller should hear.
pub(crate) fn classify(err: io::Error, relative: &RelativePath) -> Error {
    let not_found = |reason| Error::not_found(relative.as_str(), reason);
    match err.raw_os_error() {
        Some(libc::ENOENT | libc::ENOTDIR | libc::ELOOP) => not_found(Missing::NoSuchFile),
        // A socket cannot be opened; a device without a driver neither.
        Some(libc::ENXIO | libc::ENODEV) => not_found(Missing::NotRegularFile),
        Some(libc::EXDEV) => Error::OutsideRoot(Escape::Symlink),
        Some(libc::ENAMETOOLONG) => not_found(Missing::TooLong),
        _ => Error::Io(err),
    }
}
