//! The full HTTP answer for the backends where the application sends the bytes (simple,
//! development): preconditions, ranges, validators, `HEAD`.
//!
//! The order follows RFC 9110 section 13.2.2: preconditions first (304 or 412), then
//! `If-Range` decides whether `Range` counts, then the range set decides between 200, 206
//! and 416. Answers without a file body drop the descriptor at once.

use std::os::unix::fs::MetadataExt;
use std::time::SystemTime;

use crate::config::Config;
use crate::error::{Error, Result};
use crate::http::multipart;
use crate::http::preconditions::{self, Verdict};
use crate::http::range::{self, ByteRange, RangeRequest};
use crate::http::validators::Validators;
use crate::plan::{Body, Plan};
use crate::planner::presentation::Presentation;
use crate::request::{Method, Request, Single};
use crate::source::LocalFile;

pub(super) fn plan(
    config: &Config,
    request: &Request,
    file: LocalFile<'_>,
    presentation: Presentation,
    declared_length: Option<u64>,
) -> Result<Plan> {
    let opened = file.open()?;
    let path = Some(file.into_absolute_path());
    let metadata = &opened.metadata;
    let size = metadata.len();
    check_declared_length(config, declared_length, size)?;
    let options = &config.options;
    let validators = Validators::new(
        size,
        metadata.mtime(),
        metadata.mtime_nsec(),
        SystemTime::now(),
        options.etag,
        options.last_modified,
    );
    let answered = answer(config, request, size, &validators, presentation)?;
    let sends_file = !matches!(answered.body, Body::Empty);
    Ok(Plan {
        status: answered.status,
        headers: answered.headers,
        body: answered.body,
        file: if sends_file {
            Some(opened.into_blocking()?)
        } else {
            None
        },
        file_size: Some(size),
        path,
    })
}

/// The status, headers and body of an answer, the body's file runs counted in the bytes
/// of the representation (one file, or an archive of many).
pub(super) struct Answered {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: Body,
}

/// The answer to `request` for a representation of `size` bytes with these validators:
/// preconditions, then `If-Range`, then the range set; `HEAD` gets the headers of `GET`.
pub(super) fn answer(
    config: &Config,
    request: &Request,
    size: u64,
    validators: &Validators,
    presentation: Presentation,
) -> Result<Answered> {
    let options = &config.options;
    let answer = Answer {
        config,
        validators,
        size,
    };
    match preconditions::evaluate(request, validators) {
        Verdict::NotModified => return Ok(answer.not_modified()),
        Verdict::PreconditionFailed => return Ok(answer.without_body(412, Vec::new())),
        Verdict::Proceed => {}
    }
    let range_request = match (&request.method, &request.range) {
        (Method::Get, Single::Value(header))
            if preconditions::if_range_allows_ranges(request, validators) =>
        {
            range::evaluate(header, size, options.max_ranges)
        }
        _ => RangeRequest::Whole,
    };
    let (status, content_type, extra, body) = match range_request {
        RangeRequest::Unsatisfiable => {
            let content_range = ("Content-Range", format!("bytes */{size}"));
            return Ok(answer.without_body(416, vec![content_range]));
        }
        RangeRequest::Whole => answer.whole(presentation.content_type),
        RangeRequest::Ranges(ranges) if ranges.len() == 1 => {
            let range = ranges[0];
            let content_range = format!("bytes {}-{}/{size}", range.offset, range.end() - 1);
            (
                206,
                presentation.content_type,
                Some(("Content-Range", content_range)),
                Body::File(range),
            )
        }
        RangeRequest::Ranges(ranges) => {
            let multipart = multipart::build(&ranges, size, &presentation.content_type)?;
            if options.limit_multipart_to_file_size && multipart.length() > size {
                answer.whole(presentation.content_type)
            } else {
                (
                    206,
                    multipart.content_type,
                    None,
                    Body::Multipart(multipart.segments),
                )
            }
        }
    };
    let content_length = body.len();
    let mut headers = Vec::with_capacity(10);
    headers.push(("Content-Type", content_type));
    if let Some(encoding) = presentation.content_encoding {
        headers.push(("Content-Encoding", encoding));
    }
    headers.push(("Content-Length", content_length.to_string()));
    headers.extend(extra);
    headers.push(("Content-Disposition", presentation.content_disposition));
    headers.push(("Accept-Ranges", answer.accept_ranges().to_owned()));
    answer.push_validators(&mut headers);
    answer.push_cache_control(&mut headers);
    let is_head = request.method == Method::Head;
    Ok(Answered {
        status,
        headers,
        body: if is_head { Body::Empty } else { body },
    })
}

/// Refuses a declared size other than the file's: the body sent here is the file, and a
/// `Content-Length` that differs from it leaves the client waiting or cuts the answer.
fn check_declared_length(config: &Config, declared: Option<u64>, actual: u64) -> Result<()> {
    match declared {
        Some(declared) if declared != actual => Err(Error::InvalidArgument(format!(
            "the declared content length {declared} differs from the file's size {actual}: \
             the {} backend sends the file itself, and its Content-Length is the bytes it \
             sends; leave content_length out (it is for files a front server sends)",
            config.backend
        ))),
        _ => Ok(()),
    }
}

/// What the different answers share.
struct Answer<'a> {
    config: &'a Config,
    validators: &'a Validators,
    size: u64,
}

type Head = (u16, String, Option<(&'static str, String)>, Body);

impl Answer<'_> {
    fn whole(&self, content_type: String) -> Head {
        let body = if self.size == 0 {
            Body::Empty
        } else {
            Body::File(ByteRange {
                offset: 0,
                length: self.size,
            })
        };
        (200, content_type, None, body)
    }

    fn accept_ranges(&self) -> &'static str {
        if self.config.options.max_ranges == 0 {
            "none"
        } else {
            "bytes"
        }
    }

    fn push_validators(&self, headers: &mut Vec<(&'static str, String)>) {
        if let Some(etag) = &self.validators.etag {
            headers.push(("ETag", etag.clone()));
        }
        if let Some(last_modified) = self.validators.last_modified_header() {
            headers.push(("Last-Modified", last_modified));
        }
    }

    fn push_cache_control(&self, headers: &mut Vec<(&'static str, String)>) {
        if let Some(cache_control) = &self.config.options.cache_control {
            headers.push(("Cache-Control", cache_control.clone()));
        }
    }

    /// 304 keeps the validators and caching headers, and nothing that describes a body.
    fn not_modified(self) -> Answered {
        let mut headers = Vec::with_capacity(3);
        self.push_validators(&mut headers);
        self.push_cache_control(&mut headers);
        Answered {
            status: 304,
            headers,
            body: Body::Empty,
        }
    }

    /// 412 and 416: no body, and a `Content-Length` that says so.
    fn without_body(self, status: u16, extra: Vec<(&'static str, String)>) -> Answered {
        let mut headers = extra;
        headers.push(("Content-Length", "0".to_owned()));
        Answered {
            status,
            headers,
            body: Body::Empty,
        }
    }
}
