//! The thread-local message that goes with the last failed call.

use std::cell::RefCell;
use std::ffi::{CString, c_char};

thread_local! {
    static LAST_ERROR: RefCell<Option<CString>> = const { RefCell::new(None) };
}

pub(crate) fn set(message: &str) {
    // A message cannot hold NUL in C; none of ours does, but never trust that blindly.
    let message = CString::new(message.replace('\0', "\u{fffd}")).unwrap_or_default();
    LAST_ERROR.with(|slot| *slot.borrow_mut() = Some(message));
}

pub(crate) fn clear() {
    LAST_ERROR.with(|slot| *slot.borrow_mut() = None);
}

/// The message of the last call on this thread that returned an error other than
/// `SF_WOULD_BLOCK`, as a NUL-terminated UTF-8 string; NULL when that call succeeded.
///
/// The string belongs to the library and stays valid until the next call on this thread
/// of a function that returns `sf_result`, or of `sf_plan_segment_fd` (which also sets it). Messages never contain the root folder, so they
/// may be shown to clients. Each thread has its own.
#[unsafe(no_mangle)]
pub extern "C" fn sf_last_error() -> *const c_char {
    LAST_ERROR.with(|slot| {
        slot.borrow()
            .as_ref()
            .map_or(std::ptr::null(), |message| message.as_ptr())
    })
}
