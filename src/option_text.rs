//! Options set by name from text, for callers that hold settings as strings: the C ABI and
//! the Python module's settings dictionary. One spelling of every name, in one place.

use crate::config::{AccelExpires, Options};
use crate::error::{Error, Result};

/// Every name [`Options::set`] accepts.
pub const OPTION_NAMES: [&str; 12] = [
    "check_file_exists",
    "max_ranges",
    "limit_multipart_to_file_size",
    "etag",
    "last_modified",
    "cache_control",
    "content_type",
    "xsendfile_percent_encode",
    "accel_buffering",
    "accel_limit_rate",
    "accel_expires",
    "accel_charset",
];

impl Options {
    /// Sets the option `name` from its text form.
    ///
    /// Booleans are `true`/`false` (also `yes`/`no`, `on`/`off`, `1`/`0`); numbers are
    /// decimal; `content_type` is `extension=media/type` and adds to the table each time;
    /// `accel_expires` is `off`, a number of seconds, or `@` and a time in seconds since
    /// the epoch. Values are checked when the configuration is built.
    pub fn set(&mut self, name: &str, value: &str) -> Result<()> {
        match name {
            "check_file_exists" => self.check_file_exists = boolean(name, value)?,
            "max_ranges" => self.max_ranges = number(name, value)? as usize,
            "limit_multipart_to_file_size" => {
                self.limit_multipart_to_file_size = boolean(name, value)?;
            }
            "etag" => self.etag = boolean(name, value)?,
            "last_modified" => self.last_modified = boolean(name, value)?,
            "cache_control" => self.cache_control = Some(value.to_owned()),
            "content_type" => {
                let (extension, media_type) = value.split_once('=').ok_or_else(|| {
                    invalid(name, value, "extension=media/type, like txt=text/plain")
                })?;
                self.content_types
                    .push((extension.trim().to_owned(), media_type.trim().to_owned()));
            }
            "xsendfile_percent_encode" => {
                self.xsendfile_percent_encode = boolean(name, value)?;
            }
            "accel_buffering" => self.accel.buffering = Some(boolean(name, value)?),
            "accel_limit_rate" => self.accel.limit_rate = Some(number(name, value)?),
            "accel_expires" => {
                self.accel.expires = Some(match value {
                    "off" => AccelExpires::Off,
                    _ => match value.strip_prefix('@') {
                        Some(at) => AccelExpires::Until(number(name, at)?),
                        None => AccelExpires::Seconds(number(name, value)?),
                    },
                });
            }
            "accel_charset" => self.accel.charset = Some(value.to_owned()),
            _ => {
                return Err(Error::Configuration(format!(
                    "unknown option {name:?}; known options: {}",
                    OPTION_NAMES.join(", ")
                )));
            }
        }
        Ok(())
    }
}

fn boolean(name: &str, value: &str) -> Result<bool> {
    match value.to_ascii_lowercase().as_str() {
        "true" | "yes" | "on" | "1" => Ok(true),
        "false" | "no" | "off" | "0" => Ok(false),
        _ => Err(invalid(name, value, "true or false")),
    }
}

fn number(name: &str, value: &str) -> Result<u64> {
    if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid(name, value, "a whole number"));
    }
    value
        .parse()
        .map_err(|_| invalid(name, value, "a whole number that fits in 64 bits"))
}

fn invalid(name: &str, value: &str, wanted: &str) -> Error {
    Error::Configuration(format!("option {name} must be {wanted}, got {value:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_option_can_be_set_from_text() {
        let mut options = Options::default();
        for (name, value) in [
            ("check_file_exists", "false"),
            ("max_ranges", "8"),
            ("limit_multipart_to_file_size", "no"),
            ("etag", "off"),
            ("last_modified", "0"),
            ("cache_control", "private"),
            ("content_type", "md = text/markdown"),
            ("xsendfile_percent_encode", "yes"),
            ("accel_buffering", "no"),
            ("accel_limit_rate", "1024"),
            ("accel_expires", "@1700000000"),
            ("accel_charset", "utf-8"),
        ] {
            options.set(name, value).unwrap();
        }
        assert!(!options.check_file_exists);
        assert_eq!(options.max_ranges, 8);
        assert!(!options.limit_multipart_to_file_size && !options.etag && !options.last_modified);
        assert_eq!(options.cache_control.as_deref(), Some("private"));
        assert_eq!(
            options.content_types,
            vec![("md".into(), "text/markdown".into())]
        );
        assert!(options.xsendfile_percent_encode);
        assert_eq!(options.accel.buffering, Some(false));
        assert_eq!(options.accel.limit_rate, Some(1024));
        assert_eq!(
            options.accel.expires,
            Some(AccelExpires::Until(1_700_000_000))
        );
        assert_eq!(options.accel.charset.as_deref(), Some("utf-8"));
        options.set("accel_expires", "off").unwrap();
        assert_eq!(options.accel.expires, Some(AccelExpires::Off));
        options.set("accel_expires", "60").unwrap();
        assert_eq!(options.accel.expires, Some(AccelExpires::Seconds(60)));
    }

    #[test]
    fn bad_names_and_values_are_explained() {
        let mut options = Options::default();
        assert_eq!(
            options.set("max_range", "8").unwrap_err().to_string(),
            "configuration error: unknown option \"max_range\"; known options: \
             check_file_exists, max_ranges, limit_multipart_to_file_size, etag, last_modified, \
             cache_control, content_type, xsendfile_percent_encode, accel_buffering, \
             accel_limit_rate, accel_expires, accel_charset"
        );
        assert_eq!(
            options.set("max_ranges", "-1").unwrap_err().to_string(),
            "configuration error: option max_ranges must be a whole number, got \"-1\""
        );
        assert_eq!(
            options.set("etag", "maybe").unwrap_err().to_string(),
            "configuration error: option etag must be true or false, got \"maybe\""
        );
        assert!(options.set("content_type", "text/plain").is_err());
        assert!(
            options
                .set("accel_limit_rate", "99999999999999999999999")
                .is_err()
        );
    }
}
