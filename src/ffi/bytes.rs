//! Byte strings across the boundary: always a pointer and a length.

use crate::ffi::boundary::FfiError;
use crate::ffi::result::sf_result;

/// Bytes the library lends to the caller: `len` bytes at `data`, not NUL-terminated, valid
/// as long as the handle they came from.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct sf_bytes {
    /// The first byte (never NULL when written by the library, even for zero bytes).
    pub data: *const u8,
    /// The number of bytes.
    pub len: usize,
}

impl sf_bytes {
    pub(crate) fn of(bytes: &[u8]) -> sf_bytes {
        sf_bytes {
            data: bytes.as_ptr(),
            len: bytes.len(),
        }
    }
}

/// A name and a value the caller passes in: a request header, an option, a file option.
/// Neither needs a NUL terminator; a pointer may be NULL only when its length is 0.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct sf_field {
    /// The name's bytes.
    pub name: *const u8,
    /// The name's length.
    pub name_len: usize,
    /// The value's bytes.
    pub value: *const u8,
    /// The value's length.
    pub value_len: usize,
}

/// Reads `len` items at `data`; NULL is an empty slice when `len` is 0, an error otherwise.
///
/// # Safety
/// `data` is NULL or valid for reads of `len` items for `'a`.
unsafe fn slice<'a, T>(data: *const T, len: usize, what: &str) -> Result<&'a [T], FfiError> {
    if data.is_null() {
        return if len == 0 {
            Ok(&[])
        } else {
            Err(FfiError::null(what))
        };
    }
    // SAFETY: non-NULL and valid for `len` items, as the caller guarantees.
    Ok(unsafe { std::slice::from_raw_parts(data, len) })
}

/// Reads `len` bytes at `data`.
///
/// # Safety
/// `data` is NULL or valid for reads of `len` bytes for `'a`.
pub(crate) unsafe fn bytes<'a>(
    data: *const u8,
    len: usize,
    what: &str,
) -> Result<&'a [u8], FfiError> {
    // SAFETY: forwarded from the caller.
    unsafe { slice(data, len, what) }
}

/// Reads `len` bytes at `data` as UTF-8 text.
///
/// # Safety
/// As [`bytes`].
pub(crate) unsafe fn text<'a>(
    data: *const u8,
    len: usize,
    what: &str,
) -> Result<&'a str, FfiError> {
    // SAFETY: forwarded from the caller.
    let bytes = unsafe { bytes(data, len, what) }?;
    std::str::from_utf8(bytes).map_err(|_| {
        FfiError::new(
            sf_result::SF_ERROR_INVALID_UTF8,
            format!("{what} is not valid UTF-8"),
        )
    })
}

/// Reads an array of `len` fields.
///
/// # Safety
/// `fields` is NULL or valid for reads of `len` fields, each of whose pointers is valid
/// for its length, for `'a`.
pub(crate) unsafe fn fields<'a>(
    fields: *const sf_field,
    len: usize,
    what: &str,
) -> Result<&'a [sf_field], FfiError> {
    // SAFETY: forwarded from the caller.
    unsafe { slice(fields, len, what) }
}

impl sf_field {
    /// The name as text and the value as bytes.
    ///
    /// # Safety
    /// The pointers are valid for their lengths for `'a`.
    pub(crate) unsafe fn read<'a>(&self, what: &str) -> Result<(&'a str, &'a [u8]), FfiError> {
        // SAFETY: forwarded from the caller.
        let name = unsafe { text(self.name, self.name_len, &format!("a {what} name")) }?;
        // SAFETY: forwarded from the caller.
        let value = unsafe {
            bytes(
                self.value,
                self.value_len,
                &format!("the value of {what} {name}"),
            )
        }?;
        Ok((name, value))
    }

    /// The name and the value, both as text.
    ///
    /// # Safety
    /// As [`sf_field::read`].
    pub(crate) unsafe fn read_text<'a>(&self, what: &str) -> Result<(&'a str, &'a str), FfiError> {
        // SAFETY: forwarded from the caller.
        let (name, value) = unsafe { self.read(what) }?;
        let value = std::str::from_utf8(value).map_err(|_| {
            FfiError::new(
                sf_result::SF_ERROR_INVALID_UTF8,
                format!("the value of {what} {name} is not valid UTF-8"),
            )
        })?;
        Ok((name, value))
    }
}
