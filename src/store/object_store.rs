//! A checked object store, and the presigned URLs (SigV4 in the query string) it makes
//! for one object.

use std::fmt;
use std::time::Duration;

use jiff::Timestamp;
use rusty_s3::S3Action;
use rusty_s3::actions::{GetObject, HeadObject};
use url::Url;

use crate::error::{Error, Result};
use crate::store::endpoint::{bucket_of, store_location};
use crate::store::key::{self, ObjectKey};
use crate::store::settings::{
    DEFAULT_STORE_LIFETIME, DEFAULT_STORE_LOCATION, DEFAULT_STORE_REGION, Secret, StoreOptions,
};

/// The longest lifetime SigV4 allows a presigned URL: seven days.
const MAX_LIFETIME: u64 = 7 * 24 * 3600;

/// A checked object store: the configuration's source when it names one.
#[derive(Clone)]
pub(crate) struct ObjectStore {
    bucket: rusty_s3::Bucket,
    credentials: rusty_s3::Credentials,
    prefix: String,
    lifetime: Duration,
    location: String,
}

impl fmt::Debug for ObjectStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ObjectStore")
            .field("base_url", &self.bucket.base_url().as_str())
            .field("region", &self.bucket.region())
            .field("prefix", &self.prefix)
            .field("credentials", &"<redacted>")
            .field("lifetime", &self.lifetime)
            .field("location", &self.location)
            .finish()
    }
}

impl ObjectStore {
    /// Checks `options` and builds the store; messages never hold a credential.
    pub fn new(options: &StoreOptions) -> Result<ObjectStore> {
        let (Some(endpoint), Some(bucket)) = (&options.endpoint, &options.bucket) else {
            return Err(configuration(
                "an object store needs both an endpoint and a bucket (store_endpoint, store_bucket)",
            ));
        };
        let region = options.region.as_deref().unwrap_or(DEFAULT_STORE_REGION);
        if region.is_empty()
            || !region
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            return Err(Error::Configuration(format!(
                "the store's region must be letters, digits, '-' and '_', like \"eu-west-1\", \
                 got {region:?}"
            )));
        }
        let addressing = options.addressing.unwrap_or_default();
        let bucket = bucket_of(endpoint, bucket, addressing, region)?;
        let (Some(access_key), Some(secret_key)) = (&options.access_key, &options.secret_key)
        else {
            return Err(configuration(
                "an object store needs an access key and a secret key to sign URLs \
                 (store_access_key, store_secret_key)",
            ));
        };
        let visible = |secret: &Secret| {
            !secret.expose().is_empty() && secret.expose().bytes().all(|b| b.is_ascii_graphic())
        };
        if !visible(access_key) || !visible(secret_key) {
            return Err(configuration(
                "the store's access key and secret key must be non-empty visible ASCII",
            ));
        }
        let credentials = match &options.session_token {
            Some(token) if !visible(token) => {
                return Err(configuration(
                    "the store's session token must be non-empty visible ASCII",
                ));
            }
            Some(token) => rusty_s3::Credentials::new_with_token(
                access_key.expose(),
                secret_key.expose(),
                token.expose(),
            ),
            None => rusty_s3::Credentials::new(access_key.expose(), secret_key.expose()),
        };
        let lifetime = options.lifetime.unwrap_or(DEFAULT_STORE_LIFETIME);
        if !(1..=MAX_LIFETIME).contains(&lifetime) {
            return Err(Error::Configuration(format!(
                "the lifetime of a presigned URL must be 1 to {MAX_LIFETIME} seconds, got \
                 {lifetime}"
            )));
        }
        Ok(ObjectStore {
            bucket,
            credentials,
            prefix: key::normalize_prefix(options.prefix.as_deref().unwrap_or_default())?,
            lifetime: Duration::from_secs(lifetime),
            location: store_location(
                options
                    .location
                    .as_deref()
                    .unwrap_or(DEFAULT_STORE_LOCATION),
            )?,
        })
    }

    /// The internal nginx location that proxies to the store, without a trailing slash.
    pub fn location(&self) -> &str {
        &self.location
    }

    /// The normalised key prefix, empty for the whole bucket.
    pub fn prefix(&self) -> &str {
        &self.prefix
    }
}

fn configuration(message: &str) -> Error {
    Error::Configuration(message.to_owned())
}

/// The request a presigned URL is good for: the method is part of the signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SignedMethod {
    /// `GET`, which nginx always sends (its location sets `proxy_method GET`).
    Get,
    /// `HEAD`, for a client that follows a redirect with `HEAD`.
    Head,
}

impl ObjectStore {
    /// A URL for `key` valid for the store's lifetime from `now`, with `response` query
    /// parameters (`response-content-disposition` and the like) inside the signature:
    /// the store honours them only on signed requests. Only `host` is signed.
    pub(crate) fn presign<'a>(
        &'a self,
        key: &'a ObjectKey,
        method: SignedMethod,
        response: &[(&'static str, &'a str)],
        now: &Timestamp,
    ) -> Url {
        let (bucket, credentials, key) = (&self.bucket, Some(&self.credentials), key.as_str());
        match method {
            SignedMethod::Get => self.sign(GetObject::new(bucket, credentials, key), response, now),
            SignedMethod::Head => {
                self.sign(HeadObject::new(bucket, credentials, key), response, now)
            }
        }
    }

    fn sign<'a>(
        &self,
        mut action: impl S3Action<'a>,
        response: &[(&'static str, &'a str)],
        now: &Timestamp,
    ) -> Url {
        for &(name, value) in response {
            action.query_mut().insert(name, value);
        }
        action.sign_with_time(self.lifetime, now)
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use percent_encoding::percent_decode_str;
    use proptest::prelude::*;

    use super::*;
    use crate::store::key::object_key;
    use crate::store::settings::Addressing;

    fn options(endpoint: &str, bucket: &str) -> StoreOptions {
        StoreOptions {
            endpoint: Some(endpoint.into()),
            bucket: Some(bucket.into()),
            access_key: Some(Secret::new("AKIAIOSFODNN7EXAMPLE")),
            secret_key: Some(Secret::new("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")),
            ..StoreOptions::default()
        }
    }

    fn error_of(options: &StoreOptions) -> String {
        ObjectStore::new(options).unwrap_err().to_string()
    }

    #[test]
    fn endpoints_are_checked_without_echoing_credentials() {
        let mut bad = options("https://AKIA:hunter2@s3.example.com", "media");
        assert_eq!(
            error_of(&bad),
            "configuration error: the store's endpoint must be an http:// or https:// URL \
             with a host and no path, like \"https://s3.eu-west-1.amazonaws.com\": it holds a \
             user name or password"
        );
        for endpoint in [
            "ftp://s3.example.com",
            "https://s3.example.com/media",
            "s3.example.com",
        ] {
            bad.endpoint = Some(endpoint.into());
            assert!(error_of(&bad).starts_with("configuration error: the store's endpoint"));
        }
    }

    #[test]
    fn buckets_regions_lifetimes_and_locations_are_checked() {
        let mut bad = options("http://127.0.0.1:9000", "My_Bucket");
        ObjectStore::new(&bad).unwrap();
        bad.addressing = Some(Addressing::VirtualHost);
        assert_eq!(
            error_of(&bad),
            "configuration error: the bucket name must be 3 to 63 lowercase letters, digits, \
             '.' and '-', starting and ending with a letter or digit, got \"My_Bucket\""
        );
        let mut bad = options("http://127.0.0.1:9000", "media");
        bad.region = Some("eu west".into());
        assert!(error_of(&bad).contains("region"));
        let mut bad = options("http://127.0.0.1:9000", "media");
        bad.lifetime = Some(0);
        assert_eq!(
            error_of(&bad),
            "configuration error: the lifetime of a presigned URL must be 1 to 604800 seconds, \
             got 0"
        );
        let mut bad = options("http://127.0.0.1:9000", "media");
        bad.location = Some("/".into());
        assert!(error_of(&bad).contains("nginx location"));
        bad.location = Some("/_store/".into());
        assert_eq!(ObjectStore::new(&bad).unwrap().location(), "/_store");
    }

    #[test]
    fn credentials_are_required_and_never_shown() {
        let mut bad = options("http://127.0.0.1:9000", "media");
        bad.secret_key = None;
        assert_eq!(
            error_of(&bad),
            "configuration error: an object store needs an access key and a secret key to \
             sign URLs (store_access_key, store_secret_key)"
        );
        bad.secret_key = Some(Secret::new("has a space"));
        let message = error_of(&bad);
        assert!(!message.contains("has a space"), "{message}");
        let store = ObjectStore::new(&options("http://127.0.0.1:9000", "media")).unwrap();
        let debug = format!("{store:?}");
        assert!(
            !debug.contains("AKIA") && !debug.contains("wJalr"),
            "{debug}"
        );
    }

    /// 2013-05-24T00:00:00Z, the moment of AWS's worked example.
    fn example_time() -> Timestamp {
        Timestamp::from_second(1_369_353_600).unwrap()
    }

    fn example_store() -> ObjectStore {
        let mut settings = options("https://s3.amazonaws.com", "examplebucket");
        settings.addressing = Some(Addressing::VirtualHost);
        settings.lifetime = Some(86400);
        ObjectStore::new(&settings).unwrap()
    }

    /// AWS's published example of a presigned GET ("Authenticating Requests: Using Query
    /// Parameters", Signature Version 4), reproduced exactly.
    #[test]
    fn aws_presigned_get_example_is_reproduced() {
        let store = example_store();
        let key = object_key(store.prefix(), Path::new("test.txt")).unwrap();
        let url = store.presign(&key, SignedMethod::Get, &[], &example_time());
        assert_eq!(
            url.as_str(),
            "https://examplebucket.s3.amazonaws.com/test.txt\
             ?X-Amz-Algorithm=AWS4-HMAC-SHA256\
             &X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request\
             &X-Amz-Date=20130524T000000Z\
             &X-Amz-Expires=86400\
             &X-Amz-SignedHeaders=host\
             &X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"
        );
    }

    /// The signature was computed apart, by a SigV4 written from AWS's specification
    /// with Python's hmac and hashlib; s3s-fs accepts such URLs in tests/e2e.
    #[test]
    fn response_overrides_and_session_token_are_signed() {
        let mut settings = options("http://127.0.0.1:9000", "media");
        settings.session_token = Some(Secret::new("token/with+signs"));
        settings.prefix = Some("private".into());
        let store = ObjectStore::new(&settings).unwrap();
        let key = object_key(store.prefix(), Path::new("a b/r\u{e9}sum\u{e9}.pdf")).unwrap();
        let url = store.presign(
            &key,
            SignedMethod::Get,
            &[
                ("response-content-type", "application/pdf"),
                (
                    "response-content-disposition",
                    "attachment; filename=\"resume.pdf\"",
                ),
            ],
            &example_time(),
        );
        assert_eq!(
            url.as_str(),
            "http://127.0.0.1:9000/media/private/a%20b/r%C3%A9sum%C3%A9.pdf\
             ?X-Amz-Algorithm=AWS4-HMAC-SHA256\
             &X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request\
             &X-Amz-Date=20130524T000000Z\
             &X-Amz-Expires=60\
             &X-Amz-Security-Token=token%2Fwith%2Bsigns\
             &X-Amz-SignedHeaders=host\
             &response-content-disposition=attachment%3B%20filename%3D%22resume.pdf%22\
             &response-content-type=application%2Fpdf\
             &X-Amz-Signature=d05e91bf750883f6d202314e58f40fadbe7d141797181e057f0fe2d87fef6392"
        );
        let head = store.presign(&key, SignedMethod::Head, &[], &example_time());
        assert_ne!(
            head.query_pairs().last(),
            store
                .presign(&key, SignedMethod::Get, &[], &example_time())
                .query_pairs()
                .last(),
            "the method is part of the signature"
        );
    }

    /// Segments with a good share of what URLs, nginx and S3 treat specially.
    fn segment() -> impl Strategy<Value = String> {
        prop::collection::vec(
            prop_oneof![
                Just('%'),
                Just('?'),
                Just('#'),
                Just('+'),
                Just(' '),
                Just('.'),
                Just('\\'),
                Just('$'),
                Just('{'),
                Just(';'),
                Just('='),
                Just('&'),
                Just('\u{e9}'),
                Just('\u{1f600}'),
                any::<char>(),
                prop::char::range('a', 'z'),
            ],
            1..12,
        )
        .prop_map(|chars| chars.into_iter().collect())
    }

    fn segments() -> impl Strategy<Value = Vec<String>> {
        prop::collection::vec(segment(), 1..5)
    }

    proptest! {
        /// Whatever the key, an accepted one stays under the prefix, and the URL's path
        /// decodes back to exactly the bucket and the key: nothing is lost, nothing is
        /// normalised away, only unreserved characters and `/` stand unencoded.
        #[test]
        fn accepted_keys_are_encoded_exactly_under_the_prefix(parts in segments()) {
            let store = ObjectStore::new(&{
                let mut settings = options("http://127.0.0.1:9000", "media");
                settings.prefix = Some("private/area".into());
                settings
            })
            .unwrap();
            let requested = parts.join("/");
            let Ok(key) = object_key(store.prefix(), Path::new(&requested)) else {
                return Ok(());
            };
            prop_assert!(key.as_str().starts_with("private/area/"));
            prop_assert_eq!(key.requested(), requested.as_str());
            for segment in key.as_str().split('/') {
                prop_assert!(!matches!(segment, "" | "." | ".."), "{:?}", key);
            }
            let url = store.presign(&key, SignedMethod::Get, &[], &example_time());
            let path = url.path();
            prop_assert!(path.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._~/%".contains(&b)), "{}", path);
            let decoded = percent_decode_str(path).decode_utf8().unwrap();
            prop_assert_eq!(decoded, format!("/media/{}", key.as_str()));
        }

        /// A `..` anywhere, plain or percent-encoded, or an encoded slash, is refused as an
        /// escape; nothing else about the key rescues it.
        #[test]
        fn traversal_is_always_refused(mut parts in segments(), at in 0usize..5, dots in prop_oneof![Just(".."), Just("%2e%2E"), Just(".%2e")]) {
            let at = at.min(parts.len());
            parts.insert(at, dots.to_owned());
            let requested = parts.join("/");
            let refused = object_key("private", Path::new(&requested));
            prop_assert!(refused.is_err(), "{:?}", requested);
            let with_slash = format!("{}%2F{}", parts[0], parts.last().unwrap());
            prop_assert!(object_key("private", Path::new(&with_slash)).is_err());
        }
    }
}
