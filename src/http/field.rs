//! Checks on the text that goes into a response header.
//!
//! Every value a caller or configuration supplies passes through here before it can reach
//! a header, which is how the library guarantees that no CR, LF or NUL is ever emitted.

use crate::error::{Error, Result};

/// Accepts a header value made of visible characters, spaces, tabs and non-ASCII text;
/// refuses control characters (CR, LF, NUL and the rest) that could split or end a header.
pub(crate) fn check_value(what: &str, value: &str) -> Result<()> {
    match value.chars().find(|&c| c.is_control() && c != '\t') {
        None => Ok(()),
        Some(c) => Err(Error::InvalidArgument(format!(
            "{what} contains the control character U+{:04X}",
            c as u32
        ))),
    }
}

/// Accepts an RFC 9110 token (content codings, charsets), the only form those headers allow.
pub(crate) fn check_token(what: &str, value: &str) -> Result<()> {
    if !value.is_empty() && value.bytes().all(is_token_byte) {
        Ok(())
    } else {
        Err(Error::InvalidArgument(format!(
            "{what} must be a non-empty token of letters, digits and !#$%&'*+-.^_`|~, got {value:?}"
        )))
    }
}

fn is_token_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_breaks_and_nul_are_refused() {
        for bad in ["a\rb", "a\nb", "a\0b", "\x7f", "\x1b[31m"] {
            assert!(check_value("value", bad).is_err(), "{bad:?}");
        }
        let err = check_value("content type", "text/plain\r\nX: 1").unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid argument: content type contains the control character U+000D"
        );
    }

    #[test]
    fn visible_text_tabs_and_unicode_are_accepted() {
        for good in ["text/plain; charset=utf-8", "a\tb", "péter ☃", ""] {
            check_value("value", good).unwrap();
        }
    }

    #[test]
    fn tokens_are_strict() {
        check_token("encoding", "gzip").unwrap();
        check_token("encoding", "x-compress").unwrap();
        for bad in ["", "gzip, br", "a b", "a;b", "é"] {
            assert!(check_token("encoding", bad).is_err(), "{bad:?}");
        }
    }
}
