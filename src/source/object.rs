//! Objects in an S3-compatible store: the key is checked on the text and joined to the
//! prefix; the object is never opened here, only named by a presigned URL that nginx or
//! the client fetches.

use jiff::Timestamp;
use url::Url;

use crate::error::{Error, Result};
use crate::options::file::FileOptions;
use crate::path::normalize::RelativePath;
use crate::store::{ObjectKey, ObjectStore, SignedMethod, object_key};

/// An object named by its key, located but not fetched.
#[derive(Debug)]
pub(crate) struct StoredObject<'a> {
    store: &'a ObjectStore,
    key: ObjectKey,
    relative: RelativePath,
}

impl<'a> StoredObject<'a> {
    /// Checks the requested key and joins it to the store's prefix.
    pub fn locate(store: &'a ObjectStore, file: &FileOptions) -> Result<StoredObject<'a>> {
        let key = object_key(store.prefix(), &file.path)?;
        let relative = RelativePath::from_normal(key.requested()).ok_or_else(|| {
            Error::InvalidArgument(format!(
                "the object key {:?} is not normal",
                key.requested()
            ))
        })?;
        Ok(StoredObject {
            store,
            key,
            relative,
        })
    }

    /// The key below the prefix, as a relative path: the download name and the type come
    /// from it.
    pub fn relative(&self) -> &RelativePath {
        &self.relative
    }

    /// A URL valid for the store's lifetime from now, with `response` parameters inside
    /// the signature.
    pub fn presign(&self, method: SignedMethod, response: &[(&'static str, &str)]) -> Url {
        self.store
            .presign(&self.key, method, response, &Timestamp::now())
    }

    /// The store's internal nginx location.
    pub fn location(&self) -> &str {
        self.store.location()
    }
}
