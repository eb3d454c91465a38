//! Entry points for the fuzz targets under `fuzz/`: the crate's private parsers, reached
//! without widening the API. Built only with the `fuzzing` feature, never published.

use std::time::{Duration, UNIX_EPOCH};

use crate::http::disposition::Disposition;
use crate::http::disposition::content_disposition;
use crate::http::preconditions::{self, Verdict};
use crate::http::range::ByteRange;
use crate::http::range::{self, RangeRequest};
use crate::http::validators::Validators;
use crate::request::Request;

/// What a `Range` header asks of a file of `file_size` bytes: `None` for the whole file,
/// `Some` of no ranges for a 416, else the ranges to send.
pub fn evaluate_range(header: &str, file_size: u64, max_ranges: usize) -> Option<Vec<ByteRange>> {
    match range::evaluate(header, file_size, max_ranges) {
        RangeRequest::Whole => None,
        RangeRequest::Unsatisfiable => Some(Vec::new()),
        RangeRequest::Ranges(ranges) => Some(ranges),
    }
}

/// The status the preconditions of `request` lead to (200, 304 or 412) for a file of
/// `size` bytes modified at `mtime_seconds`, and whether `If-Range` lets ranges through.
pub fn preconditions(request: &Request, size: u64, mtime_seconds: i64) -> (u16, bool) {
    let opened = UNIX_EPOCH + Duration::from_secs(1_800_000_000);
    let validators = Validators::new(size, mtime_seconds, 0, opened, true, true);
    let status = match preconditions::evaluate(request, &validators) {
        Verdict::Proceed => 200,
        Verdict::NotModified => 304,
        Verdict::PreconditionFailed => 412,
    };
    (
        status,
        preconditions::if_range_allows_ranges(request, &validators),
    )
}

/// The `Content-Disposition` value for `name`.
pub fn disposition(attachment: bool, name: Option<&str>) -> String {
    let kind = if attachment {
        Disposition::Attachment
    } else {
        Disposition::Inline
    };
    content_disposition(kind, name)
}

/// Whether `names` are accepted as the names inside one archive (the message otherwise).
pub fn archive_names(names: &[&str]) -> Result<(), String> {
    crate::archive::check_member_names(names.iter().copied()).map_err(|error| error.to_string())
}
