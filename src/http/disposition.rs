//! The `Content-Disposition` header (RFC 6266, with RFC 8187 for non-ASCII names).
//!
//! The `filename` parameter carries an ASCII fallback for old clients; `filename*` carries
//! the exact name, percent-encoded UTF-8, whenever the fallback, before its quoting, is not
//! the name itself: a name that needs only quoting (`"`, `\`) gets none. The output is
//! byte-for-byte what django-sendfile2 produces for the names it handles correctly; unlike
//! it, control characters are dropped and `filename*` encodes the name, not its quoting.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use unicode_normalization::UnicodeNormalization;

/// Whether the client should show the file or save it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Disposition {
    /// Show the file in the browser when it can (`inline`).
    #[default]
    Inline,
    /// Offer the file for download (`attachment`).
    Attachment,
}

impl Disposition {
    fn keyword(self) -> &'static str {
        match self {
            Disposition::Inline => "inline",
            Disposition::Attachment => "attachment",
        }
    }
}

/// What `filename*` leaves unescaped: RFC 3986 unreserved characters, a subset of RFC 8187's
/// attr-char, and exactly what Python's `urllib.parse.quote` keeps apart from `/`.
const FILENAME_STAR: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Builds the header value for `disposition`, naming the file `name` when there is one.
pub(crate) fn content_disposition(disposition: Disposition, name: Option<&str>) -> String {
    let Some(name) = name else {
        return disposition.keyword().to_owned();
    };
    let fallback = ascii_fallback(name);
    let mut value = format!(
        "{}; filename=\"{}\"",
        disposition.keyword(),
        quoted_string_content(&fallback)
    );
    if fallback != name {
        value.push_str("; filename*=UTF-8''");
        value.extend(utf8_percent_encode(name, FILENAME_STAR));
    }
    value
}

/// The name in ASCII: compatibility-decomposed so that accented letters keep their base
/// letter, then non-ASCII and control characters dropped.
fn ascii_fallback(name: &str) -> String {
    name.nfkd()
        .filter(|c| c.is_ascii() && !c.is_ascii_control())
        .collect()
}

/// `text` as the content of a quoted-string: `\` and `"` backslash-escaped.
fn quoted_string_content(text: &str) -> String {
    let mut quoted = String::with_capacity(text.len() + 2);
    for c in text.chars() {
        if c == '\\' || c == '"' {
            quoted.push('\\');
        }
        quoted.push(c);
    }
    quoted
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attachment(name: &str) -> String {
        content_disposition(Disposition::Attachment, Some(name))
    }

    #[test]
    fn ascii_name_has_no_extended_parameter() {
        assert_eq!(
            content_disposition(Disposition::Inline, Some("testfile.txt")),
            "inline; filename=\"testfile.txt\""
        );
    }

    #[test]
    fn no_name_gives_the_bare_keyword() {
        assert_eq!(
            content_disposition(Disposition::Attachment, None),
            "attachment"
        );
        assert_eq!(content_disposition(Disposition::Inline, None), "inline");
    }

    #[test]
    fn curly_apostrophe_matches_django_sendfile2() {
        assert_eq!(
            attachment("test’s.txt"),
            "attachment; filename=\"tests.txt\"; filename*=UTF-8''test%E2%80%99s.txt"
        );
    }

    #[test]
    fn accents_keep_their_base_letter() {
        assert_eq!(
            attachment("péter.txt"),
            "attachment; filename=\"peter.txt\"; filename*=UTF-8''p%C3%A9ter.txt"
        );
    }

    #[test]
    fn quotes_and_backslashes_are_only_escaped() {
        assert_eq!(
            attachment("a\"b\\c.txt"),
            "attachment; filename=\"a\\\"b\\\\c.txt\""
        );
    }

    #[test]
    fn django_cve_2022_36359_name_matches_django_sendfile2() {
        // The name of Django's test for CVE-2022-36359: quoting alone makes it safe.
        assert_eq!(
            attachment("multi-part-one\";\" dummy\".txt"),
            "attachment; filename=\"multi-part-one\\\";\\\" dummy\\\".txt\""
        );
    }

    #[test]
    fn quotes_beside_non_ascii_are_named_exactly_in_the_extended_parameter() {
        // django-sendfile2 percent-encodes its escaped name here (a%5C%22b); the client
        // would then save a name with a backslash in it.
        assert_eq!(
            attachment("a\"é.txt"),
            "attachment; filename=\"a\\\"e.txt\"; filename*=UTF-8''a%22%C3%A9.txt"
        );
    }

    #[test]
    fn a_dropped_control_character_adds_the_extended_parameter() {
        assert_eq!(
            attachment("a\tb.txt"),
            "attachment; filename=\"ab.txt\"; filename*=UTF-8''a%09b.txt"
        );
    }

    #[test]
    fn control_characters_never_reach_the_value() {
        let value = attachment("evil\r\nSet-Cookie: x=1\0.txt");
        assert_eq!(
            value,
            "attachment; filename=\"evilSet-Cookie: x=1.txt\"; \
             filename*=UTF-8''evil%0D%0ASet-Cookie%3A%20x%3D1%00.txt"
        );
    }

    #[test]
    fn name_without_ascii_leaves_an_empty_fallback() {
        assert_eq!(
            attachment("日本"),
            "attachment; filename=\"\"; filename*=UTF-8''%E6%97%A5%E6%9C%AC"
        );
    }
}
