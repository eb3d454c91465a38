//! Opaque handles: a C pointer that is a `Box` of one Rust type, created once and freed
//! once, with NULL checked before every use.

use crate::ffi::boundary::FfiError;

/// A type handed to C as an owned pointer made by `Box::into_raw`.
pub(crate) trait BoxedHandle: Sized {
    /// The name used in error messages ("config", "plan").
    const NAME: &'static str;

    /// Gives ownership to C.
    fn into_raw(self) -> *mut Self {
        Box::into_raw(Box::new(self))
    }

    /// Borrows a handle C passed in.
    ///
    /// # Safety
    /// `pointer` is NULL or was made by `into_raw` and not yet freed, and nothing changes
    /// it while the reference lives.
    unsafe fn borrow<'a>(pointer: *const Self) -> Result<&'a Self, FfiError> {
        // SAFETY: guaranteed by the caller; NULL gives None.
        unsafe { pointer.as_ref() }.ok_or_else(|| FfiError::null(Self::NAME))
    }

    /// Borrows a handle C passed in, mutably.
    ///
    /// # Safety
    /// As [`BoxedHandle::borrow`], and nothing else uses it while the reference lives.
    unsafe fn borrow_mut<'a>(pointer: *mut Self) -> Result<&'a mut Self, FfiError> {
        // SAFETY: guaranteed by the caller; NULL gives None.
        unsafe { pointer.as_mut() }.ok_or_else(|| FfiError::null(Self::NAME))
    }

    /// Takes ownership back and drops the value; NULL does nothing.
    ///
    /// # Safety
    /// `pointer` is NULL or was made by `into_raw` and is not used after this.
    unsafe fn free(pointer: *mut Self) {
        if !pointer.is_null() {
            // SAFETY: guaranteed by the caller: this is the one owner giving it back.
            drop(unsafe { Box::from_raw(pointer) });
        }
    }
}

/// Writes `value` through an out-parameter, which must not be NULL.
///
/// # Safety
/// `out` is NULL or valid for a write of `T`.
pub(crate) unsafe fn write_out<T>(out: *mut T, value: T, what: &str) -> Result<(), FfiError> {
    if out.is_null() {
        return Err(FfiError::null(what));
    }
    // SAFETY: non-NULL and valid for writes, as the caller guarantees.
    unsafe { out.write(value) };
    Ok(())
}
