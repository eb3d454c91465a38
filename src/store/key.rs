//! Object keys: what the caller names, checked on the text and joined to the prefix, so
//! that a key can never leave the prefix whichever layer decodes it.
//!
//! S3 keys are flat strings in which `/` only looks like a separator, so nothing in the
//! store stops `../` or an encoded `%2F` from naming an object outside the prefix, and
//! proxies and stores differ in what they decode. The rules are therefore stricter than
//! S3's: every segment is non-empty, neither `.` nor `..`, not even once percent-decoded;
//! no encoded slash; no control character.

use std::path::Path;

use percent_encoding::percent_decode_str;

use crate::error::{Error, Escape, KeyFault, Missing, Result};

/// The longest key S3 accepts, prefix included, in bytes of UTF-8.
pub(crate) const MAX_KEY_BYTES: usize = 1024;

/// A key under the prefix, checked: the whole key, and where the caller's part starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ObjectKey {
    full: String,
    requested_at: usize,
}

impl ObjectKey {
    /// The whole key, prefix included: what is signed and sent to the store.
    pub fn as_str(&self) -> &str {
        &self.full
    }

    /// The key below the prefix, as the caller named it: for messages and names.
    pub fn requested(&self) -> &str {
        &self.full[self.requested_at..]
    }
}

/// Checks a configured prefix (django-storages' `location`): the same rules as a key, but
/// empty is allowed and slashes at either end are dropped.
pub(crate) fn normalize_prefix(prefix: &str) -> Result<String> {
    let trimmed = prefix.trim_matches('/');
    if trimmed.is_empty() {
        return Ok(String::new());
    }
    check_segments(trimmed).map_err(|problem| {
        Error::Configuration(format!(
            "the store's key prefix {prefix:?} is refused: {}",
            problem.describe()
        ))
    })?;
    Ok(trimmed.to_owned())
}

/// The key of `requested` under `prefix` (already normalised), or why there is none.
pub(crate) fn object_key(prefix: &str, requested: &Path) -> Result<ObjectKey> {
    let text = requested
        .to_str()
        .ok_or_else(|| Error::InvalidArgument("the object key is not valid UTF-8".to_owned()))?;
    check_segments(text).map_err(|problem| problem.into_error(text))?;
    let (full, requested_at) = if prefix.is_empty() {
        (text.to_owned(), 0)
    } else {
        (format!("{prefix}/{text}"), prefix.len() + 1)
    };
    if full.len() > MAX_KEY_BYTES {
        return Err(Error::NotFound {
            path: text.to_owned(),
            reason: Missing::KeyTooLong,
        });
    }
    Ok(ObjectKey { full, requested_at })
}

/// What is wrong with a key's text: an escape from the prefix, or a malformed key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Problem {
    Escape(Escape),
    Fault(KeyFault),
}

impl Problem {
    fn describe(self) -> String {
        match self {
            Problem::Escape(Escape::NulByte) => "it contains a NUL byte".to_owned(),
            Problem::Escape(Escape::EncodedSlash) => "it contains an encoded '/' (%2F)".to_owned(),
            Problem::Escape(_) => "it has a '..' segment".to_owned(),
            Problem::Fault(fault) => fault.describe(),
        }
    }

    /// Escapes are refused as lying outside the root, like a local path that climbs out
    /// of it; malformed keys name no object. Both are the client's 404, since keys come
    /// from requests; neither message names the prefix.
    fn into_error(self, key: &str) -> Error {
        match self {
            Problem::Escape(escape) => Error::OutsideRoot(escape),
            Problem::Fault(fault) => Error::not_found(key, Missing::MalformedKey(fault)),
        }
    }
}

fn check_segments(text: &str) -> std::result::Result<(), Problem> {
    if text.is_empty() {
        return Err(Problem::Fault(KeyFault::Empty));
    }
    if text.contains('\0') {
        return Err(Problem::Escape(Escape::NulByte));
    }
    if let Some(c) = text.chars().find(|c| c.is_control()) {
        return Err(Problem::Fault(KeyFault::ControlCharacter(c)));
    }
    if text.starts_with('/') {
        return Err(Problem::Fault(KeyFault::LeadingSlash));
    }
    if text.to_ascii_lowercase().contains("%2f") {
        return Err(Problem::Escape(Escape::EncodedSlash));
    }
    for segment in text.split('/') {
        // A layer that decodes once more would see the decoded form.
        let decoded = percent_decode_str(segment).decode_utf8_lossy();
        match (segment, decoded.as_ref()) {
            ("", _) => return Err(Problem::Fault(KeyFault::EmptySegment)),
            ("..", _) | (_, "..") => return Err(Problem::Escape(Escape::Traversal)),
            (".", _) | (_, ".") => return Err(Problem::Fault(KeyFault::DotSegment)),
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(prefix: &str, requested: &str) -> Result<ObjectKey> {
        object_key(prefix, Path::new(requested))
    }

    #[test]
    fn keys_join_the_prefix() {
        let joined = key("media/private", "reports/q3.pdf").unwrap();
        assert_eq!(joined.as_str(), "media/private/reports/q3.pdf");
        assert_eq!(joined.requested(), "reports/q3.pdf");
        assert_eq!(key("", "a b?.txt").unwrap().as_str(), "a b?.txt");
    }

    #[test]
    fn escapes_are_outside_the_root() {
        for (requested, escape) in [
            ("../secret", Escape::Traversal),
            ("a/../../b", Escape::Traversal),
            ("a/%2e%2E/b", Escape::Traversal),
            ("a%2Fb", Escape::EncodedSlash),
            ("..%2fsecret", Escape::EncodedSlash),
            ("a\0b", Escape::NulByte),
        ] {
            match key("media", requested) {
                Err(Error::OutsideRoot(found)) => assert_eq!(found, escape, "{requested:?}"),
                other => panic!("{requested:?}: {other:?}"),
            }
        }
    }

    #[test]
    fn malformed_keys_are_not_found_and_explained_without_the_prefix() {
        for (requested, fault, message) in [
            (
                "",
                KeyFault::Empty,
                "not found: : not a valid object key: it is empty",
            ),
            (
                "/etc/passwd",
                KeyFault::LeadingSlash,
                "not found: /etc/passwd: not a valid object key: it starts with '/', and keys \
                 are relative to the store's prefix",
            ),
            (
                "a//b",
                KeyFault::EmptySegment,
                "not found: a//b: not a valid object key: it has an empty segment ('//' or a \
                 '/' at the end)",
            ),
            (
                "a/",
                KeyFault::EmptySegment,
                "not found: a/: not a valid object key: it has an empty segment ('//' or a '/' \
                 at the end)",
            ),
            (
                "./a",
                KeyFault::DotSegment,
                "not found: ./a: not a valid object key: it has a '.' segment",
            ),
            (
                "a/%2E",
                KeyFault::DotSegment,
                "not found: a/%2E: not a valid object key: it has a '.' segment",
            ),
            (
                "a\tb",
                KeyFault::ControlCharacter('\t'),
                "not found: a\tb: not a valid object key: it contains the control character \
                 U+0009",
            ),
        ] {
            let error = key("secret-prefix", requested).unwrap_err();
            assert_eq!(error.to_string(), message);
            assert!(!error.to_string().contains("secret-prefix"));
            match error {
                Error::NotFound {
                    path,
                    reason: Missing::MalformedKey(found),
                } => assert_eq!((path.as_str(), found), (requested, fault)),
                other => panic!("{requested:?}: {other:?}"),
            }
        }
    }

    #[test]
    fn keys_longer_than_s3_allows_are_not_found() {
        let prefix = "p".repeat(20);
        let fits = "k".repeat(MAX_KEY_BYTES - prefix.len() - 1);
        assert_eq!(key(&prefix, &fits).unwrap().as_str().len(), MAX_KEY_BYTES);
        let error = key(&prefix, &format!("{fits}k")).unwrap_err();
        assert!(
            matches!(
                error,
                Error::NotFound {
                    reason: Missing::KeyTooLong,
                    ..
                }
            ),
            "{error}"
        );
    }

    #[test]
    fn prefixes_are_trimmed_and_checked() {
        assert_eq!(
            normalize_prefix("/media/private/").unwrap(),
            "media/private"
        );
        assert_eq!(normalize_prefix("").unwrap(), "");
        assert_eq!(normalize_prefix("/").unwrap(), "");
        assert_eq!(
            normalize_prefix("media/../other").unwrap_err().to_string(),
            "configuration error: the store's key prefix \"media/../other\" is refused: it has a \
             '..' segment"
        );
    }
}
