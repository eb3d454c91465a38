//! Files on this machine under the configured root: the path is resolved on the text,
//! then by the kernel, and size, dates and bytes all come from the one descriptor.

use std::path::PathBuf;

use crate::config::Config;
use crate::error::{Error, Result};
use crate::file_options::FileOptions;
use crate::path::normalize::{RelativePath, relative_to_root};
use crate::path::open::{OpenedFile, open_beneath};

/// A file under the root, located but not yet opened.
#[derive(Debug)]
pub(crate) struct LocalFile<'a> {
    config: &'a Config,
    relative: RelativePath,
    absolute: String,
    declared_length: Option<u64>,
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
            declared_length: file.content_length,
        })
    }

    pub fn relative(&self) -> &RelativePath {
        &self.relative
    }

    /// Opens the file beneath the root; a declared length must be the file's own.
    pub fn open(&self) -> Result<OpenedFile> {
        let opened = open_beneath(&self.config.root, &self.relative)?;
        check_declared_length(self.declared_length, opened.metadata.len())?;
        Ok(opened)
    }

    /// Opens the file to prove it exists under the root, unless the configuration says
    /// the file is not on this machine: then the check was the lexical one, and the size
    /// is the declared one.
    pub fn size_for_front_server(&self) -> Result<Option<u64>> {
        if self.config.options.check_file_exists {
            Ok(Some(self.open()?.metadata.len()))
        } else {
            Ok(self.declared_length)
        }
    }

    pub fn absolute_path(&self) -> &str {
        &self.absolute
    }

    pub fn into_absolute_path(self) -> PathBuf {
        PathBuf::from(self.absolute)
    }
}

/// Checks a declared size against the size of the opened file.
fn check_declared_length(declared: Option<u64>, actual: u64) -> Result<()> {
    match declared {
        Some(declared) if declared != actual => Err(Error::InvalidArgument(format!(
            "the declared content length {declared} differs from the file's size {actual}"
        ))),
        _ => Ok(()),
    }
}
