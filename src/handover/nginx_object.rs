//! nginx and an object in a store: `X-Accel-Redirect` to the store's internal location
//! with a presigned GET. The location proxies to the store, and the store's answer
//! carries the validators, the length and the range.

use url::Url;

use crate::config::Config;
use crate::handover::encoding::encode_path;
use crate::handover::header::Handover;
use crate::handover::nginx::accel_headers;
use crate::source::StoredObject;
use crate::store::SignedMethod;

/// The handover of an object in a store: the internal location with a presigned GET
/// (nginx sends the store a GET for a HEAD too, see the generated location).
pub(crate) fn object_handover(config: &Config, object: &StoredObject<'_>) -> Handover {
    accel_headers(
        config,
        accel_url(object.location(), &object.presign(SignedMethod::Get, &[])),
    )
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
