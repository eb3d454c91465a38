//! What the application says about the one file it hands out.

use std::path::{Path, PathBuf};

pub use crate::http::disposition::Disposition;

/// The name a client is offered for the file.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum DownloadName {
    /// The last component of the requested path.
    #[default]
    Basename,
    /// No name: `Content-Disposition` carries only `inline` or `attachment`.
    Omitted,
    /// This name.
    Given(String),
}

/// The file to send and how to present it.
#[derive(Debug, Clone)]
pub struct FileOptions {
    pub(crate) path: PathBuf,
    pub(crate) disposition: Disposition,
    pub(crate) download_name: DownloadName,
    pub(crate) content_type: Option<String>,
    pub(crate) encoding: Option<String>,
    pub(crate) content_length: Option<u64>,
}

impl FileOptions {
    /// The file at `path`: absolute (and then under the root) or relative to the root.
    /// Shown inline, named after its last component, typed from its extension.
    pub fn new(path: impl Into<PathBuf>) -> FileOptions {
        FileOptions {
            path: path.into(),
            disposition: Disposition::Inline,
            download_name: DownloadName::Basename,
            content_type: None,
            encoding: None,
            content_length: None,
        }
    }

    /// The path as given.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Offers the file for download instead of showing it.
    pub fn attachment(mut self) -> FileOptions {
        self.disposition = Disposition::Attachment;
        self
    }

    /// Sets inline or attachment.
    pub fn disposition(mut self, disposition: Disposition) -> FileOptions {
        self.disposition = disposition;
        self
    }

    /// Sets the name offered to the client.
    pub fn download_name(mut self, name: DownloadName) -> FileOptions {
        self.download_name = name;
        self
    }

    /// Sets the media type instead of guessing it from the name.
    pub fn content_type(mut self, content_type: impl Into<String>) -> FileOptions {
        self.content_type = Some(content_type.into());
        self
    }

    /// Declares that the file's bytes are encoded (`Content-Encoding`, for example `gzip`
    /// for a pre-compressed `.js.gz` that the browser should unpack). Never guessed.
    pub fn encoding(mut self, encoding: impl Into<String>) -> FileOptions {
        self.encoding = Some(encoding.into());
        self
    }

    /// The size of the file a front server will send, reported by
    /// [`crate::Plan::file_size`]. With a header-only backend it is taken as given, even
    /// when the local file has another size: the caller knows what the front server has.
    /// With the backends that send the file themselves (simple, development) the body is
    /// the opened file, and a different value here is an `InvalidArgument`.
    pub fn content_length(mut self, length: u64) -> FileOptions {
        self.content_length = Some(length);
        self
    }
}
