//! Where the bytes of a planned file and their metadata come from: the one seam between
//! planning an answer and the storage that holds the file.
//!
//! A plan asks its source where the requested name leads (checked on the text before any
//! system call) and the file's name under its root (for the presentation and for URLs).
//! What else it can ask depends on the source, and the type says which: a file on this
//! machine under the configured root (`local`) gives its bytes and metadata from one
//! descriptor and its path for a front server; an object in a store (`object`) is
//! never opened and gives a presigned URL instead.

mod local;
#[cfg(feature = "store")]
mod object;

use crate::config::Config;
use crate::error::Result;
use crate::options::file::FileOptions;
use crate::path::normalize::RelativePath;
pub(crate) use crate::source::local::LocalFile;
#[cfg(feature = "store")]
pub(crate) use crate::source::object::StoredObject;

/// The one file a plan names, found in its source.
#[derive(Debug)]
pub(crate) enum SourceFile<'a> {
    /// A file on this machine, under the configured root.
    Local(LocalFile<'a>),
    /// An object in the configured store, which the application never opens.
    #[cfg(feature = "store")]
    Store(StoredObject<'a>),
}

impl<'a> SourceFile<'a> {
    /// Finds the file that `file` names under `config`, on the text alone: an escape
    /// from the root or a name no file can have fails here, before any system call.
    pub fn locate(config: &'a Config, file: &FileOptions) -> Result<SourceFile<'a>> {
        #[cfg(feature = "store")]
        if let Some(store) = &config.store {
            return StoredObject::locate(store, file).map(SourceFile::Store);
        }
        LocalFile::locate(config, file).map(SourceFile::Local)
    }

    /// The file's path under its root, normalised: the download name, the type and the
    /// URLs under the prefix come from it.
    pub fn relative(&self) -> &RelativePath {
        match self {
            SourceFile::Local(file) => file.relative(),
            #[cfg(feature = "store")]
            SourceFile::Store(object) => object.relative(),
        }
    }
}
