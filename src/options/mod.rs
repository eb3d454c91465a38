//! Options by name, from text (the C ABI) or from typed values (the Python module): one
//! descriptor table per kind of option drives both, so a name is spelled once and a value
//! is judged by one rule whichever binding it comes through.
//!
//! `config` defines the configuration's [`crate::Options`] and `config_by_name` their
//! table; `file` defines the [`crate::FileOptions`] of one plan and `file_by_name` theirs.
//! The value parsers shared by both tables are here.

pub(crate) mod config;
pub(crate) mod config_by_name;
pub(crate) mod file;
pub(crate) mod file_by_name;

use std::fmt;

/// A value for an option, as a caller with typed values holds it. Each option accepts
/// the kinds that mean something for it: a boolean option `Bool`, `Integer` 0 or 1, or its
/// text form; a number option a non-negative `Integer` or its text; the media types a
/// `Pairs` of extension and media type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum OptionValue<'a> {
    /// A boolean.
    Bool(bool),
    /// A whole number, of any sign.
    Integer(i128),
    /// Text, read as the text form of the option.
    Text(&'a str),
    /// Pairs of extension and media type (a mapping, for `content_types`).
    Pairs(&'a [(String, String)]),
    /// A value of no kind above (a float, a list, a number too large for 128 bits),
    /// described as the caller's language writes it, for the error message.
    Other(&'a str),
}

impl fmt::Display for OptionValue<'_> {
    /// As error messages quote it: text in quotes, numbers and booleans bare.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OptionValue::Bool(flag) => write!(f, "{flag}"),
            OptionValue::Integer(number) => write!(f, "{number}"),
            OptionValue::Text(text) => write!(f, "{text:?}"),
            OptionValue::Pairs(pairs) => write!(f, "{} pairs of extension and type", pairs.len()),
            OptionValue::Other(shown) => f.write_str(shown),
        }
    }
}

/// What a value should have been, for an error message: "true or false".
pub(crate) type Wanted = &'static str;

/// What a whole number option wants.
pub(crate) const WHOLE_NUMBER: Wanted = "a whole number";

/// `true`/`false`, and `yes`/`no`, `on`/`off`, `1`/`0`, in any case.
pub(crate) fn boolean(text: &str) -> Result<bool, Wanted> {
    match text.to_ascii_lowercase().as_str() {
        "true" | "yes" | "on" | "1" => Ok(true),
        "false" | "no" | "off" | "0" => Ok(false),
        _ => Err("true or false"),
    }
}

/// Decimal digits only (no sign, no space), within 64 bits.
pub(crate) fn number(text: &str) -> Result<u64, Wanted> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(WHOLE_NUMBER);
    }
    text.parse()
        .map_err(|_| "a whole number that fits in 64 bits")
}

/// A typed whole number within 64 bits, judged as [`number`] judges text.
pub(crate) fn integer(value: i128) -> Result<u64, Wanted> {
    if value < 0 {
        return Err(WHOLE_NUMBER);
    }
    u64::try_from(value).map_err(|_| "a whole number that fits in 64 bits")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn booleans_have_three_spellings_each_way_in_any_case() {
        for text in ["true", "YES", "On", "1"] {
            assert_eq!(boolean(text), Ok(true), "{text}");
        }
        for text in ["false", "no", "OFF", "0"] {
            assert_eq!(boolean(text), Ok(false), "{text}");
        }
        assert_eq!(boolean("maybe"), Err("true or false"));
    }

    #[test]
    fn numbers_are_digits_within_64_bits_as_text_or_typed() {
        assert_eq!(number("0018446744073709551615"), Ok(u64::MAX));
        for text in ["", "-1", "+1", " 1", "1.0", "0x10"] {
            assert_eq!(number(text), Err(WHOLE_NUMBER), "{text:?}");
        }
        assert_eq!(
            number("18446744073709551616"),
            Err("a whole number that fits in 64 bits")
        );
        assert_eq!(integer(i128::from(u64::MAX)), Ok(u64::MAX));
        assert_eq!(integer(-1), Err(WHOLE_NUMBER));
        assert_eq!(
            integer(i128::from(u64::MAX) + 1),
            Err("a whole number that fits in 64 bits")
        );
    }

    #[test]
    fn values_are_quoted_as_their_kind_is_written() {
        assert_eq!(OptionValue::Text("a\"b").to_string(), "\"a\\\"b\"");
        assert_eq!(OptionValue::Integer(-3).to_string(), "-3");
        assert_eq!(OptionValue::Bool(true).to_string(), "true");
        assert_eq!(OptionValue::Other("1.5").to_string(), "1.5");
    }
}
