//! The settings of an object store as the caller gives them, before they are checked:
//! the part of [`crate::Options`] that names a store instead of a folder.

use std::fmt;
use std::str::FromStr;

use crate::error::Error;

use zeroize::Zeroizing;

/// Default lifetime of a presigned URL, in seconds. Short, because the store checks it
/// only when a request starts: a download that started in time runs to its end.
pub const DEFAULT_STORE_LIFETIME: u64 = 60;

/// Default internal nginx location that proxies to the store.
pub const DEFAULT_STORE_LOCATION: &str = "/_sendfile_store";

/// Default region: AWS's first, which MinIO and Ceph RGW also answer to by default.
pub const DEFAULT_STORE_REGION: &str = "us-east-1";

/// How the bucket appears in an object's URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Addressing {
    /// `https://endpoint/bucket/key`: what MinIO, Ceph RGW and local stores expect.
    #[default]
    Path,
    /// `https://bucket.endpoint/key`: what AWS S3 prefers.
    VirtualHost,
}

impl Addressing {
    /// Both, path-style (the default) first.
    pub const ALL: [Addressing; 2] = [Addressing::Path, Addressing::VirtualHost];

    /// The names, as a message that refuses another says what it wants (a unit test
    /// holds it to [`Addressing::name`]).
    pub(crate) const WANTED: &'static str = "\"path\" or \"virtual\"";

    /// The name used in settings: `path` or `virtual` (django-storages' spelling).
    pub fn name(self) -> &'static str {
        match self {
            Addressing::Path => "path",
            Addressing::VirtualHost => "virtual",
        }
    }
}

impl FromStr for Addressing {
    type Err = Error;

    /// `path` or `virtual`.
    fn from_str(name: &str) -> Result<Addressing, Error> {
        Addressing::ALL
            .into_iter()
            .find(|addressing| addressing.name() == name)
            .ok_or_else(|| {
                Error::Configuration(format!(
                    "addressing must be {}, got {name:?}",
                    Addressing::WANTED
                ))
            })
    }
}

/// A credential that never appears in `Debug` output or messages, and is wiped from
/// memory when dropped.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(Zeroizing<String>);

impl Secret {
    /// Wraps `value`.
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(Zeroizing::new(value.into()))
    }

    /// The value itself, for signing.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

/// Where the files are when they are objects in an S3-compatible store (AWS S3, Ceph
/// RGW, MinIO, R2). Set `endpoint` and `bucket` to make the store the configuration's
/// source; the root folder is then not used. The other settings are `None` when not
/// given, and a configuration that gives one of them but names no store is refused.
#[derive(Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct StoreOptions {
    /// The store's base URL, `http://` or `https://` with a host and optionally a port,
    /// no path (`https://s3.eu-west-1.amazonaws.com`, `http://127.0.0.1:9000`).
    pub endpoint: Option<String>,
    /// The bucket.
    pub bucket: Option<String>,
    /// The region the signature is scoped to (default [`DEFAULT_STORE_REGION`]).
    pub region: Option<String>,
    /// The folder of keys the configuration may name (django-storages' `location`); a key
    /// can never leave it. Empty or not given for the whole bucket.
    pub prefix: Option<String>,
    /// The access key id.
    pub access_key: Option<Secret>,
    /// The secret access key.
    pub secret_key: Option<Secret>,
    /// The session token of temporary credentials (`X-Amz-Security-Token`).
    pub session_token: Option<Secret>,
    /// Path-style or virtual-host addressing (default path-style).
    pub addressing: Option<Addressing>,
    /// How long a presigned URL stays valid, in seconds (default
    /// [`DEFAULT_STORE_LIFETIME`], at most 604800).
    pub lifetime: Option<u64>,
    /// The internal nginx location that proxies to the store (default
    /// [`DEFAULT_STORE_LOCATION`]), which the configuration generator prints.
    pub location: Option<String>,
}

impl StoreOptions {
    /// Whether these settings name a store at all: an endpoint or a bucket.
    pub fn is_configured(&self) -> bool {
        self.endpoint.is_some() || self.bucket.is_some()
    }
}

impl fmt::Debug for StoreOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let given = |secret: &Option<Secret>| secret.as_ref().map(|_| "<redacted>");
        f.debug_struct("StoreOptions")
            .field("endpoint", &self.endpoint)
            .field("bucket", &self.bucket)
            .field("region", &self.region)
            .field("prefix", &self.prefix)
            .field("access_key", &given(&self.access_key))
            .field("secret_key", &given(&self.secret_key))
            .field("session_token", &given(&self.session_token))
            .field("addressing", &self.addressing)
            .field("lifetime", &self.lifetime)
            .field("location", &self.location)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wanted_names_are_the_names() {
        let names: Vec<String> = Addressing::ALL
            .iter()
            .map(|addressing| format!("{:?}", addressing.name()))
            .collect();
        assert_eq!(Addressing::WANTED, names.join(" or "));
    }

    #[test]
    fn debug_output_names_no_credential() {
        let options = StoreOptions {
            endpoint: Some("http://127.0.0.1:9000".into()),
            bucket: Some("media".into()),
            access_key: Some(Secret::new("AKIAIOSFODNN7EXAMPLE")),
            secret_key: Some(Secret::new("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")),
            session_token: Some(Secret::new("oej5cie4uctureturdtuc5dctd")),
            ..StoreOptions::default()
        };
        let debug = format!("{options:?}");
        for secret in [
            "AKIAIOSFODNN7EXAMPLE",
            "wJalrXUtnFEMI",
            "oej5cie4uctureturdtuc5dctd",
        ] {
            assert!(!debug.contains(secret), "{debug}");
        }
        assert_eq!(
            debug,
            "StoreOptions { endpoint: Some(\"http://127.0.0.1:9000\"), bucket: Some(\"media\"), \
             region: None, prefix: None, access_key: Some(\"<redacted>\"), \
             secret_key: Some(\"<redacted>\"), session_token: Some(\"<redacted>\"), \
             addressing: None, lifetime: None, location: None }"
        );
        assert_eq!(format!("{:?}", Secret::new("x")), "Secret(<redacted>)");
    }
}
