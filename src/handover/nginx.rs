//! nginx: `X-Accel-Redirect` to an internal location, and the `X-Accel-*` knobs.
//!
//! nginx percent-decodes the URI and treats `?` as the start of a query, so the path is
//! percent-encoded; it keeps only a few of the application's headers (`Content-Type`,
//! `Content-Disposition`, `Cache-Control`, `Expires`, `Set-Cookie`, `Accept-Ranges`) and
//! computes validators itself.
//!
//! An object in a store goes to the store's internal location with a presigned GET: the
//! location proxies to the store, and the store's answer carries the validators, the
//! length and the range.

use url::Url;

use crate::config::Config;
use crate::error::Result;
use crate::handover::encoding::{encode_path, url_of};
use crate::handover::header::Handover;
use crate::options::config::AccelExpires;
use crate::source::{LocalFile, StoredObject};
use crate::store::SignedMethod;

pub(super) fn handover(config: &Config, file: &LocalFile<'_>) -> Result<Handover> {
    Ok(accel_headers(config, url_of(config, file.relative())))
}

/// The handover of an object in a store: the internal location with a presigned GET
/// (nginx sends the store a GET for a HEAD too, see the generated location).
pub(crate) fn object_handover(config: &Config, object: &StoredObject<'_>) -> Handover {
    accel_headers(
        config,
        accel_url(object.location(), &object.presign(SignedMethod::Get, &[])),
    )
}

/// `X-Accel-Redirect` to `target`, then the knobs the options set.
fn accel_headers(config: &Config, target: String) -> Handover {
    let accel = &config.options.accel;
    let mut headers = vec![("X-Accel-Redirect", target)];
    if let Some(buffering) = accel.buffering {
        headers.push((
            "X-Accel-Buffering",
            if buffering { "yes" } else { "no" }.to_owned(),
        ));
    }
    if let Some(rate) = accel.limit_rate {
        headers.push(("X-Accel-Limit-Rate", rate.to_string()));
    }
    if let Some(expires) = accel.expires {
        let value = match expires {
            AccelExpires::Off => "off".to_owned(),
            AccelExpires::Seconds(seconds) => seconds.to_string(),
            AccelExpires::Until(epoch) => format!("@{epoch}"),
        };
        headers.push(("X-Accel-Expires", value));
    }
    if let Some(charset) = &accel.charset {
        headers.push(("X-Accel-Charset", charset.clone()));
    }
    headers
}

/// The `X-Accel-Redirect` value for a presigned `url`: the store's internal location,
/// then the URL's path encoded once more, then its query as it is.
///
/// nginx percent-decodes the path of an `X-Accel-Redirect` once, and the location
/// captures that decoded path and passes it to the store unchanged (a variable in
/// `proxy_pass`), so the store receives exactly the path that was signed. nginx never
/// decodes the query.
fn accel_url(location: &str, url: &Url) -> String {
    let path = encode_path(url.path().trim_start_matches('/'));
    match url.query() {
        Some(query) => format!("{location}/{path}?{query}"),
        None => format!("{location}/{path}"),
    }
}

#[cfg(test)]
mod tests {
    use percent_encoding::percent_decode_str;
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn a_presigned_path_is_encoded_once_more() {
        let url = Url::parse(
            "http://127.0.0.1:9000/media/100%25/what%3F%281%29.txt?X-Amz-Credential=AK%2F1&X-Amz-Signature=ab",
        )
        .unwrap();
        assert_eq!(
            accel_url("/_sendfile_store", &url),
            "/_sendfile_store/media/100%2525/what%253F%25281%2529.txt\
             ?X-Amz-Credential=AK%2F1&X-Amz-Signature=ab"
        );
    }

    proptest! {
        /// nginx decodes the path once: what it proxies is the signed path, byte for byte.
        #[test]
        fn decoding_once_gives_the_signed_path(key in "[^\\x00-\\x1f]{1,40}") {
            let mut url = Url::parse("http://127.0.0.1:9000/").unwrap();
            url.path_segments_mut().unwrap().push("media").push(&key);
            let accel = accel_url("/_sendfile_store", &url);
            let (path, _) = accel.split_once('?').unwrap_or((&accel, ""));
            let decoded = percent_decode_str(path).decode_utf8().unwrap();
            prop_assert_eq!(decoded, format!("/_sendfile_store{}", url.path()));
        }
    }
}
