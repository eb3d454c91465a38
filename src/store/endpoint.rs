//! Where a store is: the endpoint, the bucket in it and the addressing, checked, and the
//! host a proxy must be pinned to. Also the internal nginx location's path.

use url::Url;

use crate::error::{Error, Result};
use crate::store::settings::{Addressing, DEFAULT_STORE_LOCATION, DEFAULT_STORE_REGION};

/// Where a store's objects are reached: what the nginx location pins its proxy to, from
/// the endpoint, the bucket and the addressing alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreTarget {
    /// `http` or `https`.
    pub scheme: String,
    /// The `Host` header the signature covers: the host, with the port when it is not
    /// the scheme's default.
    pub host: String,
    /// The host name alone, for TLS (SNI and certificate verification).
    pub host_name: String,
    /// The port to connect to.
    pub port: u16,
    /// The path every object URL starts with: `/bucket` for path-style addressing, empty
    /// for virtual-host addressing.
    pub base_path: String,
}

impl StoreTarget {
    /// The target of `bucket` at `endpoint` with `addressing`; the same checks as a
    /// configuration's, so what the configuration generator prints is what plans use.
    pub fn new(endpoint: &str, bucket: &str, addressing: Addressing) -> Result<StoreTarget> {
        Ok(target_of(&bucket_of(
            endpoint,
            bucket,
            addressing,
            DEFAULT_STORE_REGION,
        )?))
    }
}

/// The bucket at the endpoint: an `http` or `https` URL with a host and nothing else.
pub(super) fn bucket_of(
    endpoint: &str,
    bucket: &str,
    addressing: Addressing,
    region: &str,
) -> Result<rusty_s3::Bucket> {
    let invalid = |why: &str| {
        Error::Configuration(format!(
            "the store's endpoint must be an http:// or https:// URL with a host and no path, \
             like \"https://s3.eu-west-1.amazonaws.com\": {why}"
        ))
    };
    let url = Url::parse(endpoint).map_err(|error| invalid(&error.to_string()))?;
    // Never echo an endpoint with a user or password in it: that would be a credential.
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid("it holds a user name or password"));
    }
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(invalid(&format!("got {endpoint:?}")));
    }
    if url.path() != "/" || url.query().is_some() || url.fragment().is_some() {
        return Err(invalid(&format!("got {endpoint:?}")));
    }
    check_bucket(bucket, addressing)?;
    let style = match addressing {
        Addressing::Path => rusty_s3::UrlStyle::Path,
        Addressing::VirtualHost => rusty_s3::UrlStyle::VirtualHost,
    };
    rusty_s3::Bucket::new(url, style, bucket.to_owned(), region.to_owned())
        .map_err(|error| invalid(&format!("{error:?}")))
}

/// S3's bucket names: 3 to 63 lowercase letters, digits, `.` and `-`, starting and ending
/// with a letter or digit. Path-style stores (Ceph RGW, older S3 buckets) also allow
/// upper case and `_`; in a host name they cannot be.
fn check_bucket(bucket: &str, addressing: Addressing) -> Result<()> {
    let allowed = |b: u8| match addressing {
        Addressing::VirtualHost => {
            b.is_ascii_lowercase() || b.is_ascii_digit() || b"-.".contains(&b)
        }
        Addressing::Path => b.is_ascii_alphanumeric() || b"-._".contains(&b),
    };
    let ends = |b: Option<&u8>| b.is_some_and(u8::is_ascii_alphanumeric);
    let bytes = bucket.as_bytes();
    if (3..=63).contains(&bytes.len())
        && bytes.iter().all(|&b| allowed(b))
        && ends(bytes.first())
        && ends(bytes.last())
        && !bucket.contains("..")
    {
        return Ok(());
    }
    Err(Error::Configuration(format!(
        "the bucket name must be 3 to 63 lowercase letters, digits, '.' and '-'{}, starting \
         and ending with a letter or digit, got {bucket:?}",
        match addressing {
            Addressing::Path => " (with path-style addressing also upper case and '_')",
            Addressing::VirtualHost => "",
        }
    )))
}

fn target_of(bucket: &rusty_s3::Bucket) -> StoreTarget {
    let url = bucket.base_url();
    let host_name = url.host_str().unwrap_or_default().to_owned();
    let host = match url.port() {
        Some(port) => format!("{host_name}:{port}"),
        None => host_name.clone(),
    };
    StoreTarget {
        scheme: url.scheme().to_owned(),
        host,
        host_name,
        port: url.port_or_known_default().unwrap_or(443),
        base_path: url.path().trim_end_matches('/').to_owned(),
    }
}

/// The internal nginx location of a store (`store_location`), checked and without a
/// trailing slash: an absolute path of unreserved characters, which needs no encoding and
/// means nothing special to nginx's location matching. The configuration generator
/// prints the location this gives, so it matches the `X-Accel-Redirect` of the plans.
pub fn store_location(location: &str) -> Result<String> {
    let trimmed = location.trim_end_matches('/');
    let valid = trimmed.starts_with('/')
        && trimmed
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"/-._~".contains(&b))
        && !trimmed
            .split('/')
            .skip(1)
            .any(|s| s.is_empty() || s == "." || s == "..");
    if !valid {
        return Err(Error::Configuration(format!(
            "the store's nginx location must be a path below / of letters, digits and -._~, \
             like \"{DEFAULT_STORE_LOCATION}\", got {location:?}"
        )));
    }
    Ok(trimmed.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_are_paths_of_unreserved_characters_below_the_root() {
        assert_eq!(
            store_location("/_objects/v-2.~/").unwrap(),
            "/_objects/v-2.~"
        );
        for bad in [
            "", "/", "_store", "/é", "/_st@re", "/a b", "/a//b", "/a/../b", "/a/.",
        ] {
            assert_eq!(
                store_location(bad).unwrap_err().to_string(),
                format!(
                    "configuration error: the store's nginx location must be a path below / \
                     of letters, digits and -._~, like \"/_sendfile_store\", got {bad:?}"
                )
            );
        }
    }

    #[test]
    fn targets_follow_the_addressing() {
        let path = StoreTarget::new("http://127.0.0.1:9000", "media", Addressing::Path).unwrap();
        assert_eq!(
            path,
            StoreTarget {
                scheme: "http".into(),
                host: "127.0.0.1:9000".into(),
                host_name: "127.0.0.1".into(),
                port: 9000,
                base_path: "/media".into(),
            }
        );
        let virtual_host = StoreTarget::new(
            "https://s3.eu-west-1.amazonaws.com",
            "media",
            Addressing::VirtualHost,
        )
        .unwrap();
        assert_eq!(virtual_host.host, "media.s3.eu-west-1.amazonaws.com");
        assert_eq!(virtual_host.port, 443);
        assert_eq!(virtual_host.base_path, "");
    }

    #[test]
    fn an_international_host_is_signed_and_pinned_in_its_ascii_form() {
        let target =
            StoreTarget::new("https://bücher.example:9000", "media", Addressing::Path).unwrap();
        assert_eq!(target.host, "xn--bcher-kva.example:9000");
        assert_eq!(target.host_name, "xn--bcher-kva.example");
    }
}
