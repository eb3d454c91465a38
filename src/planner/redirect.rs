//! A redirect to a presigned URL, for an object in a store with no front server to proxy
//! it: the client fetches the object from the store itself.
//!
//! The store honours `response-content-type`, `response-content-disposition` and the like
//! only on signed requests, so the presentation goes inside the signature, and the
//! client receives the application's type and name from the store. The redirect carries a
//! credential that expires: `Cache-Control: no-store`, so that no cache replays it past
//! its lifetime (a download that started in time runs to its end).

use crate::config::Config;
use crate::plan::{Body, Plan};
use crate::planner::presentation::Presentation;
use crate::request::{Method, Request};
use crate::source::StoredObject;
use crate::store::SignedMethod;

/// The status of the redirect: 302 Found, which every client follows with `GET` (and
/// `HEAD` with `HEAD`).
const STATUS: u16 = 302;

/// The redirect to `object`, signed for the request's method.
pub(super) fn plan(
    config: &Config,
    request: &Request,
    object: &StoredObject<'_>,
    presentation: Presentation,
    declared_length: Option<u64>,
) -> Plan {
    // The method is part of the signature: a client follows a redirect with HEAD as HEAD.
    let method = match request.method {
        Method::Head => SignedMethod::Head,
        _ => SignedMethod::Get,
    };
    let mut response = vec![
        ("response-content-type", presentation.content_type.as_str()),
        (
            "response-content-disposition",
            presentation.content_disposition.as_str(),
        ),
    ];
    if let Some(encoding) = &presentation.content_encoding {
        response.push(("response-content-encoding", encoding));
    }
    if let Some(cache_control) = &config.options.cache_control {
        response.push(("response-cache-control", cache_control));
    }
    let url = object.presign(method, &response);
    Plan {
        status: STATUS,
        headers: vec![
            ("Location", url.into()),
            ("Cache-Control", "no-store".to_owned()),
        ],
        body: Body::Empty,
        file: None,
        file_size: declared_length,
        path: None,
    }
}
