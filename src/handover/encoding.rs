//! Paths and URLs as the front servers want them in headers.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use crate::config::Config;
use crate::path::normalize::RelativePath;

/// Left as they are: unreserved characters and `/`, which is exactly Python's
/// `urllib.parse.quote`, so URLs match django-sendfile2's byte for byte. Everything else,
/// `?`, `#`, `%`, `;`, spaces and non-ASCII among it, is percent-encoded.
const PATH: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'/');

/// Percent-encodes a path for a header a front server decodes.
pub(crate) fn encode_path(path: &str) -> String {
    utf8_percent_encode(path, PATH).to_string()
}

/// The URL of `relative` under the configured prefix, percent-encoded.
pub(crate) fn url_of(config: &Config, relative: &RelativePath) -> String {
    let prefix = config.url.as_deref().unwrap_or("");
    format!("{prefix}/{}", encode_path(relative.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_and_non_ascii_characters_are_encoded() {
        assert_eq!(
            encode_path("a b/c?d#e%f;g+h"),
            "a%20b/c%3Fd%23e%25f%3Bg%2Bh"
        );
        assert_eq!(encode_path("p\u{e9}ter.txt"), "p%C3%A9ter.txt");
        assert_eq!(encode_path("A-z_0.9~"), "A-z_0.9~");
        assert_eq!(encode_path("\"q\"\\"), "%22q%22%5C");
    }
}
