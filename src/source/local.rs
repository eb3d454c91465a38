//! Files on this machine under the configured root: the path is resolved on the text,
//! then by the kernel, and size, dates and bytes all come from the one descriptor.

use std::path::PathBuf;

use crate::config::Config;
use crate::error::Result;
use crate::options::file::FileOptions;
use crate::path::normalize::{RelativePath, relative_to_root};
use crate::path::open::{OpenedFile, open_beneath};

/// A file under the root, located but not yet opened.
#[derive(Debug)]
pub(crate) struct LocalFile<'a> {
    config: &'a Config,
    relative: RelativePath,
    absolute: String,
}

impl<'a> LocalFile<'a> {
    /// Normalises the requested path under the root; an absolute path may also be written
    /// through the root's real location.
    pub fn locate(config: &'a Config, file: &FileOptions) -> Result<LocalFile<'a>> {
        let canonical_root = || {
            std::fs::canonicalize(&config.root)
                .ok()
                .and_then(|path| path.to_str().map(str::to_owned))
        };
        let relative = relative_to_root(&file.path, &config.root_text, canonical_root)?;
        let absolute = format!(
            "{}/{}",
            config.root_text.trim_end_matches('/'),
            relative.as_str()
        );
        Ok(LocalFile {
            config,
            relative,
            absolute,
        })
    }

    /// The file's path under the root, normalised.
    pub fn relative(&self) -> &RelativePath {
        &self.relative
    }

    /// Opens the file beneath the root, once: the descriptor, with the metadata of that
    /// very descriptor. The backends that send the bytes read them from it; the others
    /// open it to prove that the file exists where the front server will look.
    pub fn open(&self) -> Result<OpenedFile> {
        open_beneath(&self.config.root, &self.relative)
    }

    /// The file's absolute path on this machine, as text, for a front server that opens
    /// it by path (X-Sendfile).
    pub fn absolute_path(&self) -> &str {
        &self.absolute
    }

    /// The absolute path the plan reports ([`crate::Plan::path`]).
    pub fn into_absolute_path(self) -> PathBuf {
        PathBuf::from(self.absolute)
    }
}
