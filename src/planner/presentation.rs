//! How the file presents itself, whoever sends it: its type, its disposition, its encoding.

use std::path::Path;

use crate::config::Config;
use crate::error::Result;
use crate::http::content_type::{self, DEFAULT_CONTENT_TYPE};
use crate::http::disposition::content_disposition;
use crate::http::field::{check_token, check_value};
use crate::options::file::{DownloadName, FileOptions};
use crate::path::normalize::RelativePath;

/// The representation headers every backend sends, already checked for safety.
#[derive(Debug)]
pub(crate) struct Presentation {
    pub content_type: String,
    pub content_disposition: String,
    pub content_encoding: Option<String>,
}

impl Presentation {
    pub fn new(config: &Config, file: &FileOptions, relative: &RelativePath) -> Result<Self> {
        let download_name = match &file.download_name {
            DownloadName::Basename => Some(relative.file_name()),
            DownloadName::Omitted => None,
            DownloadName::Given(name) => Some(name.as_str()),
        };
        let overrides = &config.options.content_types;
        let content_type = match &file.content_type {
            Some(given) => {
                check_value("content type", given)?;
                given.clone()
            }
            None => {
                let from_path = content_type::guess(Path::new(relative.file_name()), overrides);
                // A file stored under an opaque name may still be typed by the name it is
                // offered under.
                match download_name {
                    Some(name) if from_path == DEFAULT_CONTENT_TYPE => {
                        content_type::guess(Path::new(name), overrides)
                    }
                    _ => from_path,
                }
            }
        };
        if let Some(encoding) = &file.encoding {
            check_token("encoding", encoding)?;
        }
        Ok(Presentation {
            content_type,
            content_disposition: content_disposition(file.disposition, download_name),
            content_encoding: file.encoding.clone(),
        })
    }
}
