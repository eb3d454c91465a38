//! `sf_archive`: the members of a ZIP archive, and the plan that answers with it.

use crate::archive::ArchiveMember;
use crate::error::Error;
use crate::ffi::boundary::{FfiError, result_of};
use crate::ffi::bytes::{fields, sf_field, text};
use crate::ffi::config::sf_config;
use crate::ffi::handle::{BoxedHandle, write_out};
use crate::ffi::plan::{non_empty, plan_into, request_of, sf_plan};
use crate::ffi::result::sf_result;

/// The member options `sf_archive_add` accepts, in the order the messages list them.
const MEMBER_OPTION_NAMES: [&str; 2] = ["name", "crc32"];

/// The members of an archive, in order, as `sf_plan_archive_new` lays them out.
pub struct sf_archive {
    members: Vec<ArchiveMember>,
}

impl BoxedHandle for sf_archive {
    const NAME: &'static str = "archive";
}

/// Creates an empty list of archive members and stores it in `*archive_out` (NULL there on
/// failure). Add members with `sf_archive_add`, plan answers with `sf_plan_archive_new`.
///
/// Errors: SF_ERROR_NULL_ARGUMENT.
///
/// The list is released with `sf_archive_free`. It belongs to one thread at a time while
/// members are added; once complete, any number of threads may plan from it at once.
///
/// # Safety
/// `archive_out` is NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sf_archive_new(archive_out: *mut *mut sf_archive) -> sf_result {
    result_of(|| {
        if archive_out.is_null() {
            return Err(FfiError::null("archive_out"));
        }
        let archive = sf_archive {
            members: Vec::new(),
        };
        // SAFETY: non-NULL and valid for a write, as the caller guarantees.
        unsafe { write_out(archive_out, archive.into_raw(), "archive_out") }
    })
}

/// Releases a list of archive members. NULL is ignored. Plans made from it stay valid:
/// they do not refer to it. No other thread may be using it.
///
/// # Safety
/// `archive` is NULL or came from `sf_archive_new` and has not been freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sf_archive_free(archive: *mut sf_archive) {
    crate::ffi::boundary::value_of((), || {
        // SAFETY: guaranteed by the caller.
        unsafe { sf_archive::free(archive) }
    });
}

/// Adds one member at the end of the archive.
///
/// - `path`: the file, relative to the root or absolute under it (UTF-8), as for
///   `sf_plan_new`. It is found and opened when the archive is planned, not now.
/// - `member_options`: `member_options_len` name/value pairs, `NULL, 0` for none:
///   - `name`: the member's name inside the archive (UTF-8; `/` separates folders); by
///     default the file's own name. Names are checked when the archive is planned: no
///     absolute path, no `..` or `.` segment, no empty segment, no `\`, no drive, no
///     control character, no two members with one name.
///   - `crc32`: the CRC-32 of the file's contents when the caller knows it, as exactly 8
///     hexadecimal digits (either case, no prefix: `cbf43926`), as mod_zip's file lists
///     and `crc32(1)` write it. The member is then never read for it; a wrong value makes
///     an archive that readers call corrupt.
///
/// Everything passed is copied during the call. Errors: SF_ERROR_NULL_ARGUMENT,
/// SF_ERROR_INVALID_UTF8, SF_ERROR_INVALID_ARGUMENT (an empty path, an unknown member
/// option, a `crc32` that is not 8 hexadecimal digits); on error the list is unchanged.
///
/// Not thread-safe for one list: no other thread may use `archive` during the call.
///
/// # Safety
/// `archive` is NULL or a live list; every other pointer is NULL (with a length of 0) or
/// valid for reads of its length.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sf_archive_add(
    archive: *mut sf_archive,
    path: *const u8,
    path_len: usize,
    member_options: *const sf_field,
    member_options_len: usize,
) -> sf_result {
    result_of(|| {
        // SAFETY: each pointer is NULL or valid, as the caller guarantees.
        let (archive, path, options) = unsafe {
            (
                sf_archive::borrow_mut(archive)?,
                non_empty(text(path, path_len, "path")?)?,
                fields(member_options, member_options_len, "member_options")?,
            )
        };
        let mut member = ArchiveMember::new(path);
        for option in options {
            // SAFETY: the field's pointers are valid for their lengths (caller's promise).
            let (name, value) = unsafe { option.read_text("member option") }?;
            member = set_option(member, name, value)?;
        }
        archive.members.push(member);
        Ok(())
    })
}

/// Sets the member option `name` from its text.
fn set_option(member: ArchiveMember, name: &str, value: &str) -> Result<ArchiveMember, Error> {
    match name {
        "name" => Ok(member.name(value)),
        "crc32" => Ok(member.crc32(parse_crc32(value)?)),
        _ => Err(Error::InvalidArgument(format!(
            "unknown member option {name:?}; known: {}",
            MEMBER_OPTION_NAMES.join(", ")
        ))),
    }
}

/// A CRC-32 written as exactly 8 hexadecimal digits, either case, without a prefix.
fn parse_crc32(value: &str) -> Result<u32, Error> {
    if value.len() == 8 && value.bytes().all(|byte| byte.is_ascii_hexdigit()) {
        if let Ok(crc) = u32::from_str_radix(value, 16) {
            return Ok(crc);
        }
    }
    Err(Error::InvalidArgument(format!(
        "member option crc32 must be 8 hexadecimal digits (as cbf43926), got {value:?}"
    )))
}

/// Plans the answer to one request with the files of `archive` as one ZIP archive offered
/// for download as `download_name`, and stores it in `*plan_out` (NULL there on failure).
///
/// - `method`, `headers`: the request, as for `sf_plan_new` (Range, If-Range and the
///   other preconditions apply to the archive's bytes as to a file's).
/// - `archive`: the members, in order. Each is found and opened under the root as a single
///   file is; an archive of at most 256 members keeps them all open until the plan is
///   freed, a larger one opens each again, one at a time, when its bytes are needed.
/// - `download_name`: the name offered in `Content-Disposition: attachment` (UTF-8).
///
/// The plan is an ordinary `sf_plan`: status, headers (`Content-Type: application/zip`,
/// `Content-Length`, a strong `ETag`, `Last-Modified` of the newest member), body length,
/// segments and `sf_plan_send` as for a file, under every backend (no front server makes
/// the archive). `sf_plan_fd` is -1: a segment's bytes come from `sf_plan_segment_fd`.
/// Nothing is read of the members yet: a member is read for its CRC-32 (unless given) just
/// before its header is sent, and `config` remembers it (until `sf_config_free` and the
/// last plan made from it), so that the next archive of the same file reads nothing: keep
/// one configuration rather than one per request.
///
/// Everything passed is copied or read during the call; `archive` may be freed or changed
/// afterwards. Errors: SF_ERROR_NULL_ARGUMENT, SF_ERROR_INVALID_UTF8,
/// SF_ERROR_INVALID_ARGUMENT (a member name that is unsafe to unpack, two members with one
/// name), SF_ERROR_NOT_FOUND and SF_ERROR_OUTSIDE_ROOT (for a member: the message names
/// its path), SF_ERROR_CONFIGURATION (the root cannot be opened, or the configuration
/// names an object store), SF_ERROR_IO.
///
/// The plan is released with `sf_plan_free`, which also closes the members' files. Many
/// threads may plan from one configuration and one complete `archive` at once; a plan
/// belongs to one thread at a time.
///
/// # Safety
/// `config` is NULL or a live configuration; `archive` is NULL or a live list that no
/// thread changes during the call; every other pointer is NULL (with a length of 0) or
/// valid for reads of its length; `plan_out` is valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sf_plan_archive_new(
    config: *const sf_config,
    method: *const u8,
    method_len: usize,
    headers: *const sf_field,
    headers_len: usize,
    archive: *const sf_archive,
    download_name: *const u8,
    download_name_len: usize,
    plan_out: *mut *mut sf_plan,
) -> sf_result {
    let make = || {
        // SAFETY: each pointer is NULL or valid, as the caller guarantees.
        let (config, method, headers, archive, download_name) = unsafe {
            (
                sf_config::borrow(config)?,
                text(method, method_len, "method")?,
                fields(headers, headers_len, "headers")?,
                sf_archive::borrow(archive)?,
                text(download_name, download_name_len, "download_name")?,
            )
        };
        // SAFETY: the headers' pointers are valid for their lengths (caller's promise).
        let request = unsafe { request_of(method, headers) }?;
        Ok(config
            .config
            .plan_archive(&request, &archive.members, download_name)?)
    };
    // SAFETY: `plan_out` is valid for a write, as the caller guarantees.
    unsafe { plan_into(plan_out, make) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(name: &str, value: &str) -> String {
        match set_option(ArchiveMember::new("a"), name, value) {
            Err(error) => error.to_string(),
            Ok(member) => panic!("{name}={value:?} was taken: {member:?}"),
        }
    }

    #[test]
    fn crc32_is_eight_hexadecimal_digits() {
        for (text, crc) in [
            ("cbf43926", 0xcbf4_3926),
            ("CBF43926", 0xcbf4_3926),
            ("00000000", 0),
            ("ffffffff", u32::MAX),
        ] {
            let member = set_option(ArchiveMember::new("a"), "crc32", text).unwrap();
            assert_eq!(member, ArchiveMember::new("a").crc32(crc), "{text}");
        }
        for text in [
            "",
            "cbf4392",
            "cbf439260",
            "0xcbf439",
            "+bf43926",
            " bf43926",
            "cbf4392g",
            "3421780262",
            "-0000001",
            "cbf4３926",
        ] {
            assert_eq!(
                refused("crc32", text),
                format!(
                    "invalid argument: member option crc32 must be 8 hexadecimal digits (as \
                     cbf43926), got {text:?}"
                )
            );
        }
    }

    #[test]
    fn name_is_taken_as_given_and_unknown_options_are_refused() {
        let member = set_option(ArchiveMember::new("a"), "name", "docs/été.txt").unwrap();
        assert_eq!(member, ArchiveMember::new("a").name("docs/été.txt"));
        assert_eq!(
            refused("Name", "x"),
            "invalid argument: unknown member option \"Name\"; known: name, crc32"
        );
    }
}
