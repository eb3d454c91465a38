//! The configuration's options by name: one descriptor per option says its name and the
//! kind of value it takes, and sets it, for the text setter ([`Options::set`], the C ABI)
//! and the typed one ([`Options::set_value`], the Python module) alike.

use crate::error::{Error, Result};
use crate::options::config::{AccelExpires, Options};
use crate::options::{OptionValue, WHOLE_NUMBER, Wanted, boolean, integer, number};
use crate::store::{Addressing, Secret, StoreOptions};

/// How an option takes its value, and where the value goes.
#[derive(Clone, Copy)]
enum Setter {
    /// A boolean.
    Flag(fn(&mut Options, bool)),
    /// A whole number within 64 bits.
    Number(fn(&mut Options, u64)),
    /// Text, checked when the configuration is built.
    Text(fn(&mut Options, String)),
    /// nginx's `X-Accel-Expires`: `off`, seconds, or `@` and a time since the epoch.
    Expires(fn(&mut Options, AccelExpires)),
    /// One `extension=media/type`, added to the table each time.
    MediaType(fn(&mut Options, String, String)),
    /// Many at once, as pairs; for typed callers, which hold them as a mapping.
    MediaTypes(fn(&mut Options, String, String)),
    /// A credential: text that no message ever quotes.
    Secret(fn(&mut Options, Secret)),
    /// An object store's addressing: `path` or `virtual`.
    Addressing(fn(&mut Options, Addressing)),
}

/// One option.
#[derive(Clone, Copy)]
struct Descriptor {
    name: &'static str,
    setter: Setter,
    /// For a setting of an object store other than the two that name it (endpoint and
    /// bucket): whether it is given. Given without a store, it would be ignored.
    store_setting: Option<fn(&StoreOptions) -> bool>,
}

impl Descriptor {
    /// An option of its own.
    const fn new(name: &'static str, setter: Setter) -> Descriptor {
        Descriptor {
            name,
            setter,
            store_setting: None,
        }
    }

    /// A setting of the store that `endpoint` and `bucket` name.
    const fn store(
        name: &'static str,
        setter: Setter,
        given: fn(&StoreOptions) -> bool,
    ) -> Descriptor {
        Descriptor {
            name,
            setter,
            store_setting: Some(given),
        }
    }
}

/// Every option, in the order the messages list them.
const OPTIONS: [Descriptor; 24] = [
    Descriptor::new(
        "check_file_exists",
        Setter::Flag(|o, v| o.check_file_exists = v),
    ),
    Descriptor::new(
        "max_ranges",
        Setter::Number(|o, v| o.max_ranges = v as usize),
    ),
    Descriptor::new(
        "limit_multipart_to_file_size",
        Setter::Flag(|o, v| o.limit_multipart_to_file_size = v),
    ),
    Descriptor::new("etag", Setter::Flag(|o, v| o.etag = v)),
    Descriptor::new("last_modified", Setter::Flag(|o, v| o.last_modified = v)),
    Descriptor::new(
        "cache_control",
        Setter::Text(|o, v| o.cache_control = Some(v)),
    ),
    Descriptor::new("content_type", Setter::MediaType(add_content_type)),
    Descriptor::new("content_types", Setter::MediaTypes(add_content_type)),
    Descriptor::new(
        "xsendfile_percent_encode",
        Setter::Flag(|o, v| o.xsendfile_percent_encode = v),
    ),
    Descriptor::new("tcp_cork", Setter::Flag(|o, v| o.tcp_cork = v)),
    Descriptor::new(
        "accel_buffering",
        Setter::Flag(|o, v| o.accel.buffering = Some(v)),
    ),
    Descriptor::new(
        "accel_limit_rate",
        Setter::Number(|o, v| o.accel.limit_rate = Some(v)),
    ),
    Descriptor::new(
        "accel_expires",
        Setter::Expires(|o, v| o.accel.expires = Some(v)),
    ),
    Descriptor::new(
        "accel_charset",
        Setter::Text(|o, v| o.accel.charset = Some(v)),
    ),
    Descriptor::new(
        "store_endpoint",
        Setter::Text(|o, v| o.store.endpoint = Some(v)),
    ),
    Descriptor::new(
        "store_bucket",
        Setter::Text(|o, v| o.store.bucket = Some(v)),
    ),
    Descriptor::store(
        "store_region",
        Setter::Text(|o, v| o.store.region = Some(v)),
        |s| s.region.is_some(),
    ),
    Descriptor::store(
        "store_prefix",
        Setter::Text(|o, v| o.store.prefix = Some(v)),
        |s| s.prefix.is_some(),
    ),
    Descriptor::store(
        "store_access_key",
        Setter::Secret(|o, v| o.store.access_key = Some(v)),
        |s| s.access_key.is_some(),
    ),
    Descriptor::store(
        "store_secret_key",
        Setter::Secret(|o, v| o.store.secret_key = Some(v)),
        |s| s.secret_key.is_some(),
    ),
    Descriptor::store(
        "store_session_token",
        Setter::Secret(|o, v| o.store.session_token = Some(v)),
        |s| s.session_token.is_some(),
    ),
    Descriptor::store(
        "store_addressing",
        Setter::Addressing(|o, v| o.store.addressing = Some(v)),
        |s| s.addressing.is_some(),
    ),
    Descriptor::store(
        "store_lifetime",
        Setter::Number(|o, v| o.store.lifetime = Some(v)),
        |s| s.lifetime.is_some(),
    ),
    Descriptor::store(
        "store_location",
        Setter::Text(|o, v| o.store.location = Some(v)),
        |s| s.location.is_some(),
    ),
];

fn add_content_type(options: &mut Options, extension: String, media_type: String) {
    options.content_types.push((extension, media_type));
}

const fn has_text_form(setter: Setter) -> bool {
    !matches!(setter, Setter::MediaTypes(_))
}

const TEXT_OPTION_COUNT: usize = {
    let mut count = 0;
    let mut index = 0;
    while index < OPTIONS.len() {
        if has_text_form(OPTIONS[index].setter) {
            count += 1;
        }
        index += 1;
    }
    count
};

/// Every name [`Options::set`] accepts, from the one table of options. A typed caller
/// ([`Options::set_value`]) may also give every media type at once as `content_types`.
pub const OPTION_NAMES: [&str; TEXT_OPTION_COUNT] = {
    let mut names = [""; TEXT_OPTION_COUNT];
    let mut next = 0;
    let mut index = 0;
    while index < OPTIONS.len() {
        if has_text_form(OPTIONS[index].setter) {
            names[next] = OPTIONS[index].name;
            next += 1;
        }
        index += 1;
    }
    names
};

impl Options {
    /// Sets the option `name` from its text form.
    ///
    /// Booleans are `true`/`false` (also `yes`/`no`, `on`/`off`, `1`/`0`); numbers are
    /// decimal; `content_type` is `extension=media/type` and adds to the table each time;
    /// `accel_expires` is `off`, a number of seconds, or `@` and a time in seconds since
    /// the epoch. Values are checked when the configuration is built.
    pub fn set(&mut self, name: &str, value: &str) -> Result<()> {
        let descriptor = OPTIONS
            .iter()
            .find(|d| d.name == name && has_text_form(d.setter))
            .ok_or_else(|| unknown(name))?;
        descriptor.set(self, OptionValue::Text(value))
    }

    /// Sets the option `name` from a typed value: what [`Options::set`] reads from text,
    /// given as a boolean or a number where the option is one, and every media type at
    /// once as `content_types`, pairs of extension and media type. Text is read as
    /// [`Options::set`] reads it.
    pub fn set_value(&mut self, name: &str, value: OptionValue<'_>) -> Result<()> {
        let descriptor = OPTIONS
            .iter()
            .find(|d| d.name == name)
            .ok_or_else(|| unknown(name))?;
        descriptor.set(self, value)
    }
}

impl Descriptor {
    fn set(&self, options: &mut Options, value: OptionValue<'_>) -> Result<()> {
        let invalid = |wanted: Wanted| self.invalid(&value, wanted);
        match (self.setter, value) {
            (Setter::Flag(set), OptionValue::Bool(flag)) => set(options, flag),
            (Setter::Flag(set), OptionValue::Integer(number @ (0 | 1))) => {
                set(options, number == 1)
            }
            (Setter::Flag(set), OptionValue::Text(text)) => {
                set(options, boolean(text).map_err(invalid)?)
            }
            (Setter::Flag(_), _) => return Err(invalid("true or false")),
            (Setter::Number(set), OptionValue::Integer(number)) => {
                set(options, integer(number).map_err(invalid)?)
            }
            (Setter::Number(set), OptionValue::Text(text)) => {
                set(options, number(text).map_err(invalid)?)
            }
            (Setter::Number(_), _) => return Err(invalid(WHOLE_NUMBER)),
            (Setter::Text(set), OptionValue::Text(text)) => set(options, text.to_owned()),
            (Setter::Text(_), _) => return Err(invalid("text")),
            (Setter::Expires(set), OptionValue::Integer(seconds)) => {
                set(
                    options,
                    AccelExpires::Seconds(integer(seconds).map_err(invalid)?),
                );
            }
            (Setter::Expires(set), OptionValue::Text(text)) => set(options, self.expires(text)?),
            (Setter::Expires(_), _) => return Err(invalid(WHOLE_NUMBER)),
            (Setter::MediaType(set), OptionValue::Text(text)) => {
                let (extension, media_type) = text
                    .split_once('=')
                    .ok_or_else(|| invalid("extension=media/type, like txt=text/plain"))?;
                set(
                    options,
                    extension.trim().to_owned(),
                    media_type.trim().to_owned(),
                );
            }
            (Setter::MediaType(set) | Setter::MediaTypes(set), OptionValue::Pairs(pairs)) => {
                for (extension, media_type) in pairs {
                    set(
                        options,
                        extension.trim().to_owned(),
                        media_type.trim().to_owned(),
                    );
                }
            }
            (Setter::MediaType(_), _) => {
                return Err(invalid("extension=media/type, like txt=text/plain"));
            }
            (Setter::MediaTypes(_), _) => {
                return Err(invalid("a mapping of extension to media type"));
            }
            (Setter::Secret(set), OptionValue::Text(text)) => set(options, Secret::new(text)),
            (Setter::Secret(_), _) => {
                // Never quote a credential, even one of the wrong kind.
                return Err(Error::Configuration(format!(
                    "option {} must be text",
                    self.name
                )));
            }
            (Setter::Addressing(set), OptionValue::Text(text)) => set(
                options,
                text.parse().map_err(|_| invalid(Addressing::WANTED))?,
            ),
            (Setter::Addressing(_), _) => return Err(invalid(Addressing::WANTED)),
        }
        Ok(())
    }

    /// `off`, seconds, or `@` and seconds since the epoch; an error quotes the number part.
    fn expires(&self, text: &str) -> Result<AccelExpires> {
        if text == "off" {
            return Ok(AccelExpires::Off);
        }
        let (number_part, make): (&str, fn(u64) -> AccelExpires) = match text.strip_prefix('@') {
            Some(at) => (at, AccelExpires::Until),
            None => (text, AccelExpires::Seconds),
        };
        number(number_part)
            .map(make)
            .map_err(|wanted| self.invalid(&OptionValue::Text(number_part), wanted))
    }

    fn invalid(&self, value: &OptionValue<'_>, wanted: Wanted) -> Error {
        Error::Configuration(format!(
            "option {} must be {wanted}, got {value}",
            self.name
        ))
    }
}

/// The first setting of an object store given in `options`, by its option name, other
/// than the endpoint and the bucket that name the store.
pub(crate) fn first_store_setting_given(options: &Options) -> Option<&'static str> {
    OPTIONS.iter().find_map(|descriptor| {
        let given = descriptor.store_setting?;
        given(&options.store).then_some(descriptor.name)
    })
}

fn unknown(name: &str) -> Error {
    Error::Configuration(format!(
        "unknown option {name:?}; known options: {}",
        OPTION_NAMES.join(", ")
    ))
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
             cache_control, content_type, xsendfile_percent_encode, tcp_cork, \
             accel_buffering, accel_limit_rate, accel_expires, accel_charset, store_endpoint, store_bucket, \
             store_region, store_prefix, store_access_key, store_secret_key, \
             store_session_token, store_addressing, store_lifetime, store_location"
        );
        assert_eq!(
            options.set("max_ranges", "-1").unwrap_err().to_string(),
            "configuration error: option max_ranges must be a whole number, got \"-1\""
        );
        assert_eq!(
            options.set("etag", "maybe").unwrap_err().to_string(),
            "configuration error: option etag must be true or false, got \"maybe\""
        );
        assert_eq!(
            options
                .set("accel_expires", "@soon")
                .unwrap_err()
                .to_string(),
            "configuration error: option accel_expires must be a whole number, got \"soon\""
        );
        assert!(options.set("content_type", "text/plain").is_err());
        assert!(
            options
                .set("accel_limit_rate", "99999999999999999999999")
                .is_err()
        );
        // The mapping form has no text form.
        assert!(options.set("content_types", "md=text/markdown").is_err());
    }

    #[test]
    fn typed_values_set_the_same_options_without_text() {
        let mut options = Options::default();
        let types = [
            ("md".to_owned(), "text/markdown".to_owned()),
            (" .LOG ".to_owned(), "text/plain".to_owned()),
        ];
        for (name, value) in [
            ("check_file_exists", OptionValue::Bool(false)),
            ("etag", OptionValue::Integer(0)),
            ("last_modified", OptionValue::Text("no")),
            ("max_ranges", OptionValue::Integer(8)),
            ("accel_limit_rate", OptionValue::Text("1024")),
            ("accel_expires", OptionValue::Integer(60)),
            ("cache_control", OptionValue::Text("private")),
            ("content_types", OptionValue::Pairs(&types)),
            ("content_type", OptionValue::Text("txt=text/plain")),
        ] {
            options.set_value(name, value).unwrap();
        }
        assert!(!options.check_file_exists && !options.etag && !options.last_modified);
        assert_eq!(options.max_ranges, 8);
        assert_eq!(options.accel.limit_rate, Some(1024));
        assert_eq!(options.accel.expires, Some(AccelExpires::Seconds(60)));
        assert_eq!(options.cache_control.as_deref(), Some("private"));
        assert_eq!(
            options.content_types,
            [
                ("md".into(), "text/markdown".into()),
                (".LOG".into(), "text/plain".into()),
                ("txt".into(), "text/plain".into())
            ]
        );
    }

    #[test]
    fn typed_values_of_the_wrong_kind_are_explained() {
        let mut options = Options::default();
        let error = |name, value| {
            Options::default()
                .set_value(name, value)
                .unwrap_err()
                .to_string()
        };
        assert_eq!(
            error("max_ranges", OptionValue::Integer(-1)),
            "configuration error: option max_ranges must be a whole number, got -1"
        );
        assert_eq!(
            error("max_ranges", OptionValue::Bool(true)),
            "configuration error: option max_ranges must be a whole number, got true"
        );
        assert_eq!(
            error("accel_limit_rate", OptionValue::Integer(1 << 64)),
            "configuration error: option accel_limit_rate must be a whole number that fits \
             in 64 bits, got 18446744073709551616"
        );
        assert_eq!(
            error("etag", OptionValue::Integer(2)),
            "configuration error: option etag must be true or false, got 2"
        );
        assert_eq!(
            error("cache_control", OptionValue::Integer(5)),
            "configuration error: option cache_control must be text, got 5"
        );
        assert_eq!(
            error("content_types", OptionValue::Text("md=text/markdown")),
            "configuration error: option content_types must be a mapping of extension to \
             media type, got \"md=text/markdown\""
        );
        assert_eq!(
            error("max_ranges", OptionValue::Other("8.5")),
            "configuration error: option max_ranges must be a whole number, got 8.5"
        );
        assert!(error("max_range", OptionValue::Integer(8)).contains("unknown option"));
        assert!(options.set_value("etag", OptionValue::Integer(1)).is_ok());
        assert!(options.etag);
    }

    #[test]
    fn store_options_are_set_by_name_and_credentials_never_quoted() {
        let mut options = Options::default();
        for (name, value) in [
            ("store_endpoint", "http://127.0.0.1:9000"),
            ("store_bucket", "media"),
            ("store_region", "eu-west-1"),
            ("store_prefix", "private"),
            ("store_access_key", "AK"),
            ("store_secret_key", "SK"),
            ("store_session_token", "TOKEN"),
            ("store_addressing", "virtual"),
            ("store_lifetime", "30"),
            ("store_location", "/_objects"),
        ] {
            options.set(name, value).unwrap();
        }
        let store = &options.store;
        assert_eq!(store.endpoint.as_deref(), Some("http://127.0.0.1:9000"));
        assert_eq!(store.bucket.as_deref(), Some("media"));
        assert_eq!(
            (store.region.as_deref(), store.prefix.as_deref()),
            (Some("eu-west-1"), Some("private"))
        );
        assert_eq!(store.secret_key.as_ref().map(Secret::expose), Some("SK"));
        assert_eq!(
            store.session_token.as_ref().map(Secret::expose),
            Some("TOKEN")
        );
        assert_eq!(store.addressing, Some(Addressing::VirtualHost));
        assert_eq!(
            (store.lifetime, store.location.as_deref()),
            (Some(30), Some("/_objects"))
        );
        assert_eq!(
            options
                .set("store_addressing", "auto")
                .unwrap_err()
                .to_string(),
            "configuration error: option store_addressing must be \"path\" or \"virtual\", \
             got \"auto\""
        );
        assert_eq!(
            options
                .set_value("store_secret_key", OptionValue::Integer(123_456))
                .unwrap_err()
                .to_string(),
            "configuration error: option store_secret_key must be text"
        );
    }
}
