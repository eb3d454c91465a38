//! `sf_plan`: one answer, with the accessors for its parts and the sender of its body.

use std::os::fd::{AsRawFd, BorrowedFd, IntoRawFd};
use std::os::raw::c_int;

use crate::ffi::boundary::{FfiError, result_of, value_of};
use crate::ffi::bytes::{fields, sf_bytes, sf_field, text};
use crate::ffi::config::sf_config;
use crate::ffi::handle::{BoxedHandle, write_out};
use crate::ffi::result::sf_result;
use crate::options::file::FileOptions;
use crate::plan::{Plan, SegmentRef};
use crate::request::{Method, Request};

/// The plan of one answer: status, headers, body, and the open file if the caller sends it.
/// Also remembers how much of the body `sf_plan_send` has sent.
pub struct sf_plan {
    plan: Plan,
    sent: u64,
}

impl BoxedHandle for sf_plan {
    const NAME: &'static str = "plan";
}

/// Runs `make` for a function that stores a new plan in `*plan_out`: NULL there first,
/// then the plan made, nothing of its body sent yet.
///
/// # Safety
/// `plan_out` is NULL or valid for a write.
pub(crate) unsafe fn plan_into(
    plan_out: *mut *mut sf_plan,
    make: impl FnOnce() -> Result<Plan, FfiError>,
) -> sf_result {
    result_of(|| {
        if plan_out.is_null() {
            return Err(FfiError::null("plan_out"));
        }
        // SAFETY: non-NULL and valid for a write, as the caller guarantees.
        unsafe { plan_out.write(std::ptr::null_mut()) };
        let plan = sf_plan {
            plan: make()?,
            sent: 0,
        };
        // SAFETY: valid for a write, as the caller guarantees.
        unsafe { write_out(plan_out, plan.into_raw(), "plan_out") }
    })
}

/// Refuses an empty path, which names no file.
pub(crate) fn non_empty(path: &str) -> Result<&str, FfiError> {
    if path.is_empty() {
        return Err(FfiError::new(
            sf_result::SF_ERROR_INVALID_ARGUMENT,
            "path is empty",
        ));
    }
    Ok(path)
}

/// The request of `method` with the caller's `headers`, as a plan reads it.
///
/// # Safety
/// Each header's pointers are valid for their lengths.
pub(crate) unsafe fn request_of(method: &str, headers: &[sf_field]) -> Result<Request, FfiError> {
    let mut request = Request::new(Method::parse(method));
    for header in headers {
        // SAFETY: the field's pointers are valid for their lengths (caller's promise).
        let (name, value) = unsafe { header.read("header") }?;
        request.add_header(name.as_bytes(), value);
    }
    Ok(request)
}

/// What a body segment is made of.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum sf_segment_kind {
    /// Bytes to send as they are (the boundaries of a multipart body; an archive's
    /// headers, central directory and end records).
    SF_SEGMENT_LITERAL = 0,
    /// A run of a file: `length` bytes from `file_offset` of `sf_plan_segment_fd`, which
    /// is `sf_plan_fd` for a single file and a member's file for an archive.
    SF_SEGMENT_FILE = 1,
}

/// Plans the answer to one request for one file and stores it in `*plan_out` (NULL there
/// on failure).
///
/// - `method`: the request method, as received ("GET", "HEAD", ...).
/// - `path`: the file, relative to the root or absolute under it (UTF-8).
/// - `headers`: the request headers, `headers_len` of them: pass them all, the library
///   keeps the ones that matter (Range, If-Range, If-Match, If-None-Match,
///   If-Modified-Since, If-Unmodified-Since). Values are bytes.
/// - `file_options`: `disposition` = `inline` | `attachment`; `download_name` = the name
///   offered (empty: none; default: the file's own name); `content_type`; `encoding`;
///   `content_length` (decimal: the size of what a front server sends, taken as given by
///   the header-only backends; simple and development refuse one that is not the file's
///   size). `NULL, 0` for the defaults.
///
/// Everything passed is copied or read during the call. Errors: SF_ERROR_NULL_ARGUMENT,
/// SF_ERROR_INVALID_UTF8, SF_ERROR_INVALID_ARGUMENT, SF_ERROR_NOT_FOUND,
/// SF_ERROR_OUTSIDE_ROOT, SF_ERROR_CONFIGURATION (the root cannot be opened), SF_ERROR_IO.
///
/// The plan is released with `sf_plan_free`, which also closes its file. Many threads may
/// make plans from one configuration at once; a plan belongs to one thread at a time.
///
/// # Safety
/// `config` is NULL or a live configuration; every other pointer is NULL (with a length
/// of 0) or valid for reads of its length; `plan_out` is valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sf_plan_new(
    config: *const sf_config,
    method: *const u8,
    method_len: usize,
    path: *const u8,
    path_len: usize,
    headers: *const sf_field,
    headers_len: usize,
    file_options: *const sf_field,
    file_options_len: usize,
    plan_out: *mut *mut sf_plan,
) -> sf_result {
    let make = || {
        // SAFETY: each pointer is NULL or valid, as the caller guarantees.
        let (config, method, path, headers, file_options) = unsafe {
            (
                sf_config::borrow(config)?,
                text(method, method_len, "method")?,
                non_empty(text(path, path_len, "path")?)?,
                fields(headers, headers_len, "headers")?,
                fields(file_options, file_options_len, "file_options")?,
            )
        };
        // SAFETY: the headers' pointers are valid for their lengths (caller's promise).
        let request = unsafe { request_of(method, headers) }?;
        let mut file = FileOptions::new(path);
        for option in file_options {
            // SAFETY: the field's pointers are valid for their lengths (caller's promise).
            let (name, value) = unsafe { option.read_text("file option") }?;
            file.set(name, value)?;
        }
        Ok(config.config.plan(&request, &file)?)
    };
    // SAFETY: `plan_out` is valid for a write, as the caller guarantees.
    unsafe { plan_into(plan_out, make) }
}

/// Releases a plan and closes its file (unless taken with `sf_plan_take_fd`). NULL is
/// ignored.
///
/// # Safety
/// `plan` is NULL or came from `sf_plan_new` and has not been freed; nothing else uses it.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sf_plan_free(plan: *mut sf_plan) {
    value_of((), || {
        // SAFETY: guaranteed by the caller.
        unsafe { sf_plan::free(plan) }
    });
}

/// Reads a plan for a value-returning accessor, giving `sentinel` for NULL.
///
/// # Safety
/// `plan` is NULL or a live plan.
unsafe fn read<T: Copy>(plan: *const sf_plan, sentinel: T, get: impl FnOnce(&sf_plan) -> T) -> T {
    value_of(sentinel, || {
        // SAFETY: guaranteed by the caller.
        unsafe { plan.as_ref() }.map_or(sentinel, get)
    })
}

/// The status code: 200, 206, 304, 412 or 416 for a file, 200 for a front server's
/// handover, 302 for a redirect to an object in a store; 0 if `plan` is NULL.
///
/// # Safety
/// `plan` is NULL or a live plan.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sf_plan_status(plan: *const sf_plan) -> u16 {
    // SAFETY: forwarded from the caller.
    unsafe { read(plan, 0, |p| p.plan.status()) }
}

/// The number of response headers; 0 if `plan` is NULL.
///
/// # Safety
/// `plan` is NULL or a live plan.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sf_plan_header_count(plan: *const sf_plan) -> usize {
    // SAFETY: forwarded from the caller.
    unsafe { read(plan, 0, |p| p.plan.headers().len()) }
}

/// Lends the header at `index` (below `sf_plan_header_count`): its name and value, valid
/// until the plan is freed. Values are UTF-8 and never contain CR, LF or NUL; an X-Sendfile
/// path with non-ASCII characters is its raw UTF-8 bytes, as mod_xsendfile wants.
/// Errors: SF_ERROR_NULL_ARGUMENT, SF_ERROR_INDEX_OUT_OF_RANGE.
///
/// # Safety
/// `plan` is NULL or a live plan; `name` and `value` are valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sf_plan_header(
    plan: *const sf_plan,
    index: usize,
    name: *mut sf_bytes,
    value: *mut sf_bytes,
) -> sf_result {
    result_of(|| {
        // SAFETY: guaranteed by the caller.
        let plan = unsafe { sf_plan::borrow(plan) }?;
        let (header_name, header_value) = plan
            .plan
            .headers()
            .get(index)
            .ok_or_else(|| out_of_range("header", index, plan.plan.headers().len()))?;
        // SAFETY: valid for writes, as the caller guarantees.
        unsafe {
            write_out(name, sf_bytes::of(header_name.as_bytes()), "name")?;
            write_out(value, sf_bytes::of(header_value.as_bytes()), "value")
        }
    })
}

fn out_of_range(what: &str, index: usize, count: usize) -> FfiError {
    FfiError::new(
        sf_result::SF_ERROR_INDEX_OUT_OF_RANGE,
        format!("{what} index {index} is not below the {what} count {count}"),
    )
}

/// The number of bytes in the body: what `sf_plan_send` writes. 0 for HEAD (whose
/// Content-Length header describes GET), header-only backends, 304, 412 and 416; 0 if
/// `plan` is NULL.
///
/// # Safety
/// `plan` is NULL or a live plan.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sf_plan_body_length(plan: *const sf_plan) -> u64 {
    // SAFETY: forwarded from the caller.
    unsafe { read(plan, 0, |p| p.plan.body_length()) }
}

/// The size of the whole file (for a header-only backend, the `content_length` given, if
/// any), or UINT64_MAX when unknown (a header-only backend with `check_file_exists` off and
/// no `content_length`) or when `plan` is NULL.
///
/// # Safety
/// `plan` is NULL or a live plan.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sf_plan_file_size(plan: *const sf_plan) -> u64 {
    // SAFETY: forwarded from the caller.
    unsafe { read(plan, u64::MAX, |p| p.plan.file_size().unwrap_or(u64::MAX)) }
}

/// The open file whose bytes the body sends, or -1 when there are none to send (a
/// front server sends the file; HEAD; 304, 412, 416), when it was taken, for an archive
/// (whose bytes come from its members' files: see `sf_plan_segment_fd`), or when `plan` is
/// NULL. The plan still owns it: do not close it.
///
/// # Safety
/// `plan` is NULL or a live plan.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sf_plan_fd(plan: *const sf_plan) -> c_int {
    // SAFETY: forwarded from the caller.
    unsafe { read(plan, -1, |p| p.plan.raw_fd()) }
}

/// Takes the open file out of the plan: the caller now owns the descriptor and closes it.
/// Returns -1 when the plan has none (an archive never has one) or `plan` is NULL. The
/// segments stay readable, but `sf_plan_send` can no longer send file segments.
///
/// # Safety
/// `plan` is NULL or a live plan that nothing else uses during the call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sf_plan_take_fd(plan: *mut sf_plan) -> c_int {
    value_of(-1, || {
        // SAFETY: guaranteed by the caller.
        match unsafe { plan.as_mut() } {
            Some(plan) => plan.plan.take_file().map_or(-1, IntoRawFd::into_raw_fd),
            None => -1,
        }
    })
}

/// The number of body segments: 0 for an empty body, 1 for a 200 or a single range, more
/// for a multipart body; 0 if `plan` is NULL.
///
/// # Safety
/// `plan` is NULL or a live plan.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sf_plan_segment_count(plan: *const sf_plan) -> usize {
    // SAFETY: forwarded from the caller.
    unsafe { read(plan, 0, |p| p.plan.body().segment_count()) }
}

/// Describes the segment at `index` (below `sf_plan_segment_count`). For a literal
/// segment `*literal` lends its bytes (valid until the plan is freed) and `*file_offset`
/// is 0; for a file segment `*literal` is empty and the bytes are `*length` bytes of
/// `sf_plan_segment_fd(plan, index)` from `*file_offset` (of `sf_plan_fd` for a single
/// file; of a member's file for an archive). `*length` is the segment's size either way.
///
/// An archive makes a member's local header when it is first asked for (here or by
/// `sf_plan_send`), which reads the whole member for its CRC-32 unless `crc32` was given
/// for it; the directory at the end needs every member's. Call it for an archive's
/// segments in order, on the thread that sends them.
///
/// Errors: SF_ERROR_NULL_ARGUMENT, SF_ERROR_INDEX_OUT_OF_RANGE, SF_ERROR_IO (reading a
/// member for its CRC failed, or the member changed after the archive was planned).
///
/// # Safety
/// `plan` is NULL or a live plan that nothing else uses during the call; the
/// out-parameters are valid for writes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sf_plan_segment(
    plan: *const sf_plan,
    index: usize,
    kind: *mut sf_segment_kind,
    literal: *mut sf_bytes,
    file_offset: *mut u64,
    length: *mut u64,
) -> sf_result {
    result_of(|| {
        // SAFETY: guaranteed by the caller.
        let plan = unsafe { sf_plan::borrow(plan) }?;
        let body = plan.plan.body();
        let segment = body
            .segment(index)
            .map_err(|error| {
                FfiError::new(
                    sf_result::SF_ERROR_IO,
                    format!("making segment {index} failed: {error}"),
                )
            })?
            .ok_or_else(|| out_of_range("segment", index, body.segment_count()))?;
        let (segment_kind, bytes, offset) = match segment {
            SegmentRef::Literal(bytes) => (sf_segment_kind::SF_SEGMENT_LITERAL, bytes, 0),
            SegmentRef::File(range) | SegmentRef::Member { range, .. } => {
                (sf_segment_kind::SF_SEGMENT_FILE, &[][..], range.offset)
            }
        };
        // SAFETY: valid for writes, as the caller guarantees.
        unsafe {
            write_out(kind, segment_kind, "kind")?;
            write_out(literal, sf_bytes::of(bytes), "literal")?;
            write_out(file_offset, offset, "file_offset")?;
            write_out(length, segment.len(), "length")
        }
    })
}

/// The open file a file segment's bytes come from: for the segment at `index` (below
/// `sf_plan_segment_count`), the descriptor to read its `length` bytes from at its
/// `file_offset` (`sf_plan_segment` gives both), as sendfile(2) wants it. That is
/// `sf_plan_fd` for a single file, and the member's own file for an archive, checked to be
/// the file the plan measured, unchanged.
///
/// Returns -1 for a literal segment, with `sf_last_error()` NULL; and -1 on error, with
/// `sf_last_error()` saying why: `plan` NULL, `index` out of range, the plan's file taken
/// with `sf_plan_take_fd`, a member that changed since it was planned or that cannot be
/// opened again, and for an archive's header segment what `sf_plan_segment` can meet
/// (asked first, the header is made, reading the member for its CRC-32). Like a function
/// returning `sf_result`, it replaces the last error.
///
/// The plan still owns the descriptor: do not close it. A single file's, and a member's in
/// an archive of at most 256 members, stay valid until `sf_plan_free`. An archive of more
/// than 256 members keeps one member open at a time: its descriptor stays valid only until
/// the next call on this plan (`sf_plan_segment_fd`, `sf_plan_segment`, `sf_plan_send`)
/// that needs another member. A plan belongs to one thread at a time.
///
/// # Safety
/// `plan` is NULL or a live plan that nothing else uses during the call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sf_plan_segment_fd(plan: *const sf_plan, index: usize) -> c_int {
    let mut fd = -1;
    result_of(|| {
        // SAFETY: guaranteed by the caller.
        let plan = unsafe { sf_plan::borrow(plan) }?;
        let io_error = |error: std::io::Error| {
            FfiError::new(
                sf_result::SF_ERROR_IO,
                format!("the file of segment {index} cannot be read: {error}"),
            )
        };
        let body = plan.plan.body();
        let segment = body
            .segment(index)
            .map_err(io_error)?
            .ok_or_else(|| out_of_range("segment", index, body.segment_count()))?;
        if let Some(file) = plan.plan.segment_file(&segment).map_err(io_error)? {
            // The plan (or its archive) keeps its own reference: the descriptor outlives
            // this one, as documented above.
            fd = file.as_raw_fd();
        }
        Ok(())
    });
    fd
}

/// Writes the rest of the body to `socket`: sendfile(2) for the file's bytes, write(2) for
/// literal ones, handling partial writes and EINTR. Returns SF_OK when the whole body has
/// been written. On a non-blocking socket that fills up it returns SF_WOULD_BLOCK; call it
/// again with the same plan when the socket is writable, and it resumes where it stopped.
/// `*sent` (if not NULL) receives the number of body bytes written so far, in all calls.
///
/// Errors: SF_ERROR_NULL_ARGUMENT, SF_ERROR_INVALID_ARGUMENT (a negative socket),
/// SF_ERROR_IO (the client went away, the file shrank while it was sent, an archive's
/// member changed after it was planned or could not be read, or the file was taken with
/// `sf_plan_take_fd`): close the connection then, as the answer is cut short.
/// Ignore SIGPIPE in the process, as servers do, or a client that hangs up ends it.
///
/// # Safety
/// `plan` is NULL or a live plan that nothing else uses during the call; `socket` is an
/// open descriptor; `sent` is NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sf_plan_send(
    plan: *mut sf_plan,
    socket: c_int,
    sent: *mut u64,
) -> sf_result {
    result_of(|| {
        // SAFETY: guaranteed by the caller.
        let plan = unsafe { sf_plan::borrow_mut(plan) }?;
        if socket < 0 {
            return Err(FfiError::new(
                sf_result::SF_ERROR_INVALID_ARGUMENT,
                format!("socket must be an open descriptor, got {socket}"),
            ));
        }
        // SAFETY: the caller guarantees `socket` is open for the duration of the call.
        let socket = unsafe { BorrowedFd::borrow_raw(socket) };
        let outcome = plan.plan.send_to(socket, &mut plan.sent);
        if !sent.is_null() {
            // SAFETY: non-NULL and valid for a write, as the caller guarantees.
            unsafe { sent.write(plan.sent) };
        }
        outcome.map_err(|error| match error.kind() {
            std::io::ErrorKind::WouldBlock => FfiError::new(sf_result::SF_WOULD_BLOCK, ""),
            _ => FfiError::new(
                sf_result::SF_ERROR_IO,
                format!("sending the body failed: {error}"),
            ),
        })
    })
}
