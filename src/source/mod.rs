//! Where the bytes of a planned file and their metadata come from: the one seam between
//! planning an answer and the storage that holds the file.
//!
//! A plan asks its source four things: where the requested name leads (checked on the text
//! before any system call), the file's name under its root (for the presentation and for
//! URLs), its bytes and metadata from one descriptor (for the backends that send the body),
//! and what a front server must be told to find it (for the header-only backends). Files
//! on this machine under the configured root (`local`) are today's only source; a store of
//! objects (design section 12) answers the same questions with a signed URL where a local
//! file has a path, and the backends stay as they are.

mod local;
mod store;

use std::path::PathBuf;

use crate::config::Config;
use crate::error::{Error, Result};
use crate::file_options::FileOptions;
use crate::path::normalize::RelativePath;
use crate::path::open::OpenedFile;
use crate::source::local::LocalFile;
pub(crate) use crate::source::store::StoredObject;

/// The one file a plan names, found in its source.
#[derive(Debug)]
pub(crate) enum SourceFile<'a> {
    /// A file on this machine, under the configured root.
    Local(LocalFile<'a>),
    /// An object in the configured store, which the application never opens.
    Store(StoredObject<'a>),
}

impl<'a> SourceFile<'a> {
    /// Finds the file that `file` names under `config`, on the text alone: an escape
    /// from the root or a name no file can have fails here, before any system call.
    pub fn locate(config: &'a Config, file: &FileOptions) -> Result<SourceFile<'a>> {
        match &config.store {
            Some(store) => StoredObject::locate(store, file).map(SourceFile::Store),
            None => LocalFile::locate(config, file).map(SourceFile::Local),
        }
    }

    /// Whether a plan can open the file on this machine, to send it or to prove that it
    /// is there; an object in a store is only ever named.
    pub fn is_local(&self) -> bool {
        matches!(self, SourceFile::Local(_))
    }

    /// The file's path under its root, normalised: the download name, the type and the
    /// URLs under the prefix come from it.
    pub fn relative(&self) -> &RelativePath {
        match self {
            SourceFile::Local(file) => file.relative(),
            SourceFile::Store(object) => object.relative(),
        }
    }

    /// Opens the file: the descriptor, with the metadata of that very descriptor. The
    /// backends that send the bytes read them from it; the others open it to prove that
    /// the file exists where the front server will look.
    pub fn open(&self) -> Result<OpenedFile> {
        match self {
            SourceFile::Local(file) => file.open(),
            SourceFile::Store(_) => Err(Error::Configuration(
                "an object in a store is never opened by the application".to_owned(),
            )),
        }
    }

    /// The file's absolute path on this machine, as text, for a front server that opens
    /// it by path (X-Sendfile).
    pub fn absolute_path(&self) -> &str {
        match self {
            SourceFile::Local(file) => file.absolute_path(),
            // Never asked: no backend names an object by path (see `backends::plan`).
            SourceFile::Store(object) => object.key(),
        }
    }

    /// The absolute path the plan reports ([`crate::Plan::path`]).
    pub fn into_path(self) -> Option<PathBuf> {
        match self {
            SourceFile::Local(file) => Some(file.into_absolute_path()),
            SourceFile::Store(_) => None,
        }
    }
}
