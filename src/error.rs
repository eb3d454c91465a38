//! The one error type of the library.
//!
//! Messages name the problem in terms of what the caller asked for (the path as given,
//! relative to the root) and never mention the root folder, so they are safe to log and
//! to show to a client.

use std::io;

/// Why a path was refused as lying outside the root.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Escape {
    /// `..` components climb above the root.
    Traversal,
    /// An absolute path that does not start with the root.
    AbsolutePath,
    /// A symbolic link on the way points outside the root.
    Symlink,
    /// The path contains a NUL byte, the classic truncation trick.
    NulByte,
    /// An object key holds an encoded slash (`%2F`), a separator to any layer that
    /// decodes it once more.
    EncodedSlash,
}

impl Escape {
    fn describe(self) -> &'static str {
        match self {
            Escape::Traversal => "'..' climbs above the root",
            Escape::AbsolutePath => "absolute path does not lie under the root",
            Escape::Symlink => "a symbolic link leads out of the root",
            Escape::NulByte => "path contains a NUL byte",
            Escape::EncodedSlash => "an encoded '/' (%2F) could climb out of the key prefix",
        }
    }
}

/// Why a path inside the root cannot be served.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Missing {
    /// Nothing exists at the path.
    NoSuchFile,
    /// Something exists, but it is a directory, device, FIFO or socket.
    NotRegularFile,
    /// A name in the path is longer than 255 bytes, or the path longer than 4096, so no
    /// file can have it (the kernel's `ENAMETOOLONG`). This is what a hostile URL usually
    /// produces, so it is a 404 like any missing file, not a server error.
    TooLong,
    /// An object key, prefix included, is longer than the 1024 bytes S3 allows.
    KeyTooLong,
    /// The object key is not one this library will name (see [`KeyFault`]). Keys come
    /// from clients, so a refused key is a 404 like a missing file, never a server error.
    MalformedKey(KeyFault),
}

impl Missing {
    fn describe(self) -> String {
        match self {
            Missing::NoSuchFile => "no such file".to_owned(),
            Missing::NotRegularFile => "not a regular file".to_owned(),
            Missing::TooLong => {
                "too long for a file name (255 bytes) or path (4096 bytes)".to_owned()
            }
            Missing::KeyTooLong => {
                "too long for an object key (1024 bytes with the prefix)".to_owned()
            }
            Missing::MalformedKey(fault) => format!("not a valid object key: {}", fault.describe()),
        }
    }
}

/// Why the text of an object key is refused (an escape from the prefix is
/// [`Error::OutsideRoot`] instead). S3 would store such keys, but each is a different
/// object from the one it looks like (`a//b` is not `a/b`), so none is ever named.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyFault {
    /// The key is empty.
    Empty,
    /// The key holds this control character.
    ControlCharacter(char),
    /// The key starts with `/`: keys are relative to the store's prefix.
    LeadingSlash,
    /// A segment is empty (`//`, or a `/` at the end).
    EmptySegment,
    /// A segment is `.`, perhaps percent-encoded.
    DotSegment,
}

impl KeyFault {
    /// The fault in words, for messages and for the configuration's own check of a prefix.
    pub(crate) fn describe(self) -> String {
        match self {
            KeyFault::Empty => "it is empty".to_owned(),
            KeyFault::ControlCharacter(c) => {
                format!("it contains the control character U+{:04X}", c as u32)
            }
            KeyFault::LeadingSlash => {
                "it starts with '/', and keys are relative to the store's prefix".to_owned()
            }
            KeyFault::EmptySegment => {
                "it has an empty segment ('//' or a '/' at the end)".to_owned()
            }
            KeyFault::DotSegment => "it has a '.' segment".to_owned(),
        }
    }
}

/// Everything that can go wrong while planning a response.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The file does not exist or is not a regular file (answer 404).
    #[error("not found: {path}: {}", .reason.describe())]
    NotFound {
        /// The requested path, relative to the root.
        path: String,
        /// What was found instead of a regular file.
        reason: Missing,
    },
    /// The path leads outside the root (answer 404 and log it: it is an attack or a bug).
    #[error("outside root: {}", .0.describe())]
    OutsideRoot(Escape),
    /// The configuration cannot work (a server error, not the client's fault).
    #[error("configuration error: {0}")]
    Configuration(String),
    /// An argument is malformed: a header value with a line break, a path that is not
    /// UTF-8.
    #[error("invalid argument: {0}")]
    InvalidArgument(String),
    /// The operating system refused something else (permission denied, too many open files).
    #[error("I/O error: {0}")]
    Io(#[from] io::Error),
}

impl Error {
    /// The file at `path` (relative to the root, as in every message) cannot be served.
    pub(crate) fn not_found(path: impl Into<String>, reason: Missing) -> Error {
        Error::NotFound {
            path: path.into(),
            reason,
        }
    }
}

/// The result type of this crate.
pub type Result<T> = std::result::Result<T, Error>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_problem() {
        let not_found = Error::NotFound {
            path: "a/b.txt".into(),
            reason: Missing::NoSuchFile,
        };
        assert_eq!(not_found.to_string(), "not found: a/b.txt: no such file");
        assert_eq!(
            Error::OutsideRoot(Escape::Symlink).to_string(),
            "outside root: a symbolic link leads out of the root"
        );
        assert_eq!(
            Error::Configuration("nginx needs a URL prefix".into()).to_string(),
            "configuration error: nginx needs a URL prefix"
        );
    }
}
