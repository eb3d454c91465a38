//! The file options of one plan by name, from text, for the C ABI: one descriptor per
//! option, beside the configuration's. Typed callers use [`FileOptions`]'s builder.

use crate::error::{Error, Result};
use crate::options::file::{Disposition, DownloadName, FileOptions};
use crate::options::{Wanted, number};

/// One file option: its name and how its text sets it.
struct Descriptor {
    name: &'static str,
    set: fn(&mut FileOptions, &str) -> std::result::Result<(), Wanted>,
}

/// Every file option, in the order the messages list them.
const FILE_OPTIONS: [Descriptor; 5] = [
    Descriptor {
        name: "disposition",
        set: |file, text| {
            file.disposition = match text {
                "inline" => Disposition::Inline,
                "attachment" => Disposition::Attachment,
                _ => return Err("inline or attachment"),
            };
            Ok(())
        },
    },
    Descriptor {
        name: "download_name",
        set: |file, text| {
            file.download_name = match text {
                "" => DownloadName::Omitted,
                name => DownloadName::Given(name.to_owned()),
            };
            Ok(())
        },
    },
    Descriptor {
        name: "content_type",
        set: |file, text| {
            file.content_type = Some(text.to_owned());
            Ok(())
        },
    },
    Descriptor {
        name: "encoding",
        set: |file, text| {
            file.encoding = Some(text.to_owned());
            Ok(())
        },
    },
    Descriptor {
        name: "content_length",
        set: |file, text| {
            file.content_length = Some(number(text)?);
            Ok(())
        },
    },
];

/// Every name [`FileOptions::set`] accepts.
pub const FILE_OPTION_NAMES: [&str; FILE_OPTIONS.len()] = {
    let mut names = [""; FILE_OPTIONS.len()];
    let mut index = 0;
    while index < FILE_OPTIONS.len() {
        names[index] = FILE_OPTIONS[index].name;
        index += 1;
    }
    names
};

impl FileOptions {
    /// Sets the file option `name` from its text form: `disposition` is `inline` or
    /// `attachment`; `download_name` the name offered (empty for none); `content_type`
    /// and `encoding` as given; `content_length` decimal digits. Values are checked when
    /// the plan is made.
    pub fn set(&mut self, name: &str, value: &str) -> Result<()> {
        let descriptor = FILE_OPTIONS
            .iter()
            .find(|d| d.name == name)
            .ok_or_else(|| {
                Error::InvalidArgument(format!(
                    "unknown file option {name:?}; known: {}",
                    FILE_OPTION_NAMES.join(", ")
                ))
            })?;
        (descriptor.set)(self, value).map_err(|wanted| {
            Error::InvalidArgument(format!(
                "file option {name} must be {wanted}, got {value:?}"
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_option_can_be_set_from_text() {
        let mut file = FileOptions::new("a.txt");
        for (name, value) in [
            ("disposition", "attachment"),
            ("download_name", "r\u{e9}sum\u{e9}.txt"),
            ("content_type", "text/plain"),
            ("encoding", "gzip"),
            ("content_length", "42"),
        ] {
            file.set(name, value).unwrap();
        }
        assert_eq!(file.disposition, Disposition::Attachment);
        assert_eq!(
            file.download_name,
            DownloadName::Given("r\u{e9}sum\u{e9}.txt".into())
        );
        assert_eq!(file.content_type.as_deref(), Some("text/plain"));
        assert_eq!(file.encoding.as_deref(), Some("gzip"));
        assert_eq!(file.content_length, Some(42));
        file.set("download_name", "").unwrap();
        assert_eq!(file.download_name, DownloadName::Omitted);
    }

    #[test]
    fn bad_file_options_are_invalid_arguments_that_say_why() {
        let mut file = FileOptions::new("a.txt");
        let error = |file: &mut FileOptions, name, value| file.set(name, value).unwrap_err();
        assert_eq!(
            error(&mut file, "filename", "x").to_string(),
            "invalid argument: unknown file option \"filename\"; known: disposition, \
             download_name, content_type, encoding, content_length"
        );
        assert_eq!(
            error(&mut file, "content_length", "-1").to_string(),
            "invalid argument: file option content_length must be a whole number, got \"-1\""
        );
        assert_eq!(
            error(&mut file, "disposition", "download").to_string(),
            "invalid argument: file option disposition must be inline or attachment, got \
             \"download\""
        );
        assert!(matches!(
            error(&mut file, "content_length", "+1"),
            Error::InvalidArgument(_)
        ));
        assert_eq!(file.content_length, None);
    }
}
