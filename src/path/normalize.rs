//! Lexical path handling: turning what the application asked for into a normalised path
//! relative to the root, before any system call.
//!
//! `..` is resolved on the text, as Python's `os.path.normpath` (and so django-sendfile2)
//! does, so that the path the library opens is the path a front server is told to open.
//! The kernel then resolves symbolic links without leaving the root (see `open`).

use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use crate::error::{Error, Escape, Missing, Result};
use crate::http::field::check_value;

/// Longest path accepted, in bytes (Linux `PATH_MAX`).
const MAX_PATH_BYTES: usize = 4096;
/// Longest file name accepted, in bytes (`NAME_MAX`).
const MAX_NAME_BYTES: usize = 255;

/// A path under the root: UTF-8, non-empty components joined by `/`, no `.` or `..`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RelativePath(String);

impl RelativePath {
    /// The path as text, for opening, for URLs and for messages.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The last component: the file's own name.
    pub fn file_name(&self) -> &str {
        self.0.rsplit('/').next().unwrap_or(&self.0)
    }

    /// `text` if it is already a relative path of this form (an object key below its
    /// prefix is), else `None`.
    #[cfg(feature = "store")]
    pub fn from_normal(text: &str) -> Option<RelativePath> {
        let normal = !text.is_empty()
            && !text.contains('\0')
            && text.split('/').all(|c| !matches!(c, "" | "." | ".."));
        normal.then(|| RelativePath(text.to_owned()))
    }
}

/// Validates and normalises the configured root: absolute, UTF-8, no control characters.
pub(crate) fn normalize_root(root: &Path) -> Result<(PathBuf, String)> {
    let text = root.to_str().ok_or_else(|| {
        Error::Configuration("the root folder's path is not valid UTF-8".to_owned())
    })?;
    check_value("the root folder's path", text).map_err(|_| {
        Error::Configuration("the root folder's path contains a control character".to_owned())
    })?;
    if !text.starts_with('/') {
        return Err(Error::Configuration(
            "the root folder must be an absolute path".to_owned(),
        ));
    }
    let normal = format!("/{}", absolute_components(text).join("/"));
    Ok((PathBuf::from(&normal), normal))
}

/// Normalises `requested` (absolute, or relative to `root`) into a path under the root.
/// `canonical_root` is asked for only when an absolute path does not start with `root`
/// itself, to accept a path written through the root's real location.
pub(crate) fn relative_to_root(
    requested: &Path,
    root: &str,
    canonical_root: impl FnOnce() -> Option<String>,
) -> Result<RelativePath> {
    let bytes = requested.as_os_str().as_bytes();
    if bytes.contains(&0) {
        return Err(Error::OutsideRoot(Escape::NulByte));
    }
    let text = requested
        .to_str()
        .ok_or_else(|| Error::InvalidArgument("the path is not valid UTF-8".to_owned()))?;
    let components = if text.starts_with('/') {
        let absolute = absolute_components(text);
        match strip_root(&absolute, root) {
            Some(inside) => inside,
            None => canonical_root()
                .and_then(|canonical| strip_root(&absolute, &canonical))
                .ok_or(Error::OutsideRoot(Escape::AbsolutePath))?,
        }
    } else {
        relative_components(text)?
    };
    let relative = components.join("/");
    if relative.len() > MAX_PATH_BYTES || components.iter().any(|c| c.len() > MAX_NAME_BYTES) {
        return Err(Error::not_found(relative, Missing::TooLong));
    }
    // The root itself, or a name with a trailing slash, names a folder.
    if relative.is_empty() || text.ends_with('/') {
        return Err(Error::not_found(relative, Missing::NotRegularFile));
    }
    Ok(RelativePath(relative))
}

/// Components of an absolute path with `..` resolved; `..` at `/` stays at `/`.
fn absolute_components(text: &str) -> Vec<&str> {
    let mut components = Vec::new();
    for component in text.split('/') {
        match component {
            "" | "." => {}
            ".." => {
                components.pop();
            }
            name => components.push(name),
        }
    }
    components
}

/// Components of a relative path with `..` resolved; `..` above the start is an escape.
fn relative_components(text: &str) -> Result<Vec<&str>> {
    let mut components = Vec::new();
    for component in text.split('/') {
        match component {
            "" | "." => {}
            ".." => {
                components
                    .pop()
                    .ok_or(Error::OutsideRoot(Escape::Traversal))?;
            }
            name => components.push(name),
        }
    }
    Ok(components)
}

/// The components after `root`, which must match whole components (`/srv/media` is not a
/// prefix of `/srv/media-private`).
fn strip_root<'a>(absolute: &[&'a str], root: &str) -> Option<Vec<&'a str>> {
    let root = absolute_components(root);
    let inside = absolute.get(root.len()..)?;
    (absolute[..root.len()] == root[..]).then(|| inside.to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::OsStr;

    const ROOT: &str = "/srv/media";

    fn relative(path: &str) -> Result<String> {
        relative_to_root(Path::new(path), ROOT, || None).map(|p| p.0)
    }

    #[test]
    fn relative_paths_are_normalised() {
        assert_eq!(relative("a/b.txt").unwrap(), "a/b.txt");
        assert_eq!(relative("./a//b/./c.txt").unwrap(), "a/b/c.txt");
        assert_eq!(relative("a/../b.txt").unwrap(), "b.txt");
    }

    #[test]
    fn dot_dot_above_the_root_is_an_escape() {
        for path in ["..", "../x", "a/../../x", "a/b/../../../x", "./../x"] {
            assert!(
                matches!(relative(path), Err(Error::OutsideRoot(Escape::Traversal))),
                "{path}"
            );
        }
    }

    #[test]
    fn absolute_paths_must_lie_under_the_root() {
        assert_eq!(relative("/srv/media/a.txt").unwrap(), "a.txt");
        assert_eq!(relative("/srv/media/../media/a.txt").unwrap(), "a.txt");
        assert_eq!(relative("//srv//media/./a.txt").unwrap(), "a.txt");
        for path in [
            "/etc/passwd",
            "/srv/media-private/a.txt",
            "/srv/media/../x",
            "/srv",
        ] {
            assert!(
                matches!(
                    relative(path),
                    Err(Error::OutsideRoot(Escape::AbsolutePath))
                ),
                "{path}"
            );
        }
    }

    #[test]
    fn absolute_path_through_the_real_root_is_accepted() {
        let path = relative_to_root(Path::new("/data/media/a.txt"), ROOT, || {
            Some("/data/media".to_owned())
        })
        .unwrap();
        assert_eq!(path.as_str(), "a.txt");
    }

    #[test]
    fn folders_are_not_files() {
        for path in ["", ".", "a/..", "/srv/media", "/srv/media/", "a.txt/"] {
            assert!(
                matches!(
                    relative(path),
                    Err(Error::NotFound {
                        reason: Missing::NotRegularFile,
                        ..
                    })
                ),
                "{path:?}"
            );
        }
    }

    #[test]
    fn nul_bytes_are_an_escape() {
        assert!(matches!(
            relative("../../etc/passwd\0.png"),
            Err(Error::OutsideRoot(Escape::NulByte))
        ));
    }

    #[test]
    fn non_utf8_paths_are_invalid() {
        let non_utf8 = Path::new(OsStr::from_bytes(b"caf\xe9.txt"));
        assert_eq!(
            relative_to_root(non_utf8, ROOT, || None)
                .unwrap_err()
                .to_string(),
            "invalid argument: the path is not valid UTF-8"
        );
    }

    fn too_long(path: &str) -> bool {
        matches!(
            relative(path),
            Err(Error::NotFound {
                reason: Missing::TooLong,
                ..
            })
        )
    }

    #[test]
    #[cfg_attr(
        miri,
        ignore = "4 KiB paths take a minute under Miri, and no unsafe code runs"
    )]
    fn names_and_paths_longer_than_the_system_allows_are_not_found() {
        assert!(too_long(&"x".repeat(256)));
        assert!(too_long(&format!("a/{}/b", "x".repeat(256))));
        assert!(too_long(&"a/".repeat(2049)));
        assert!(too_long(&format!("{ROOT}/{}", "a/".repeat(2049))));
        assert_eq!(relative(&"x".repeat(255)).unwrap().len(), 255);
        let longest = format!("{}/{}", "a/".repeat(1920), "x".repeat(255));
        assert_eq!(relative(&longest).unwrap().len(), 4095);
        // Length is judged after normalisation, on the path that would be opened.
        let winding = format!("{}x.txt", "a/../".repeat(2000));
        assert_eq!(relative(&winding).unwrap(), "x.txt");
    }

    #[test]
    fn backslashes_are_ordinary_characters() {
        assert_eq!(
            relative("..\\..\\etc\\passwd").unwrap(),
            "..\\..\\etc\\passwd"
        );
    }

    #[test]
    fn the_root_is_normalised() {
        assert_eq!(normalize_root(Path::new("/srv//media/./")).unwrap().1, ROOT);
        assert_eq!(normalize_root(Path::new("/")).unwrap().1, "/");
        assert!(normalize_root(Path::new("srv")).is_err());
    }

    #[test]
    fn file_name_is_the_last_component() {
        assert_eq!(RelativePath("a/b/c.txt".into()).file_name(), "c.txt");
        assert_eq!(RelativePath("c.txt".into()).file_name(), "c.txt");
    }
}
