//! Resolving a path under the root one component at a time, for where `openat2` cannot.
//!
//! Every component is opened with `O_NOFOLLOW` relative to the descriptor of its parent,
//! and the descriptors of the folders passed are kept on a stack: a symbolic link is read
//! and its target resolved by this code, `..` pops the stack, and popping past the root is
//! an escape. Containment therefore holds by construction, whatever renames happen
//! meanwhile; the kernel never follows a link or a `..` for us.

use std::ffi::CString;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::path::Path;

use crate::error::{Error, Escape, Missing, Result};
use crate::path::classify;
use crate::path::normalize::{RelativePath, relative_to_root};
use crate::sys;

/// Most symbolic links followed in one resolution, as Linux's `MAXSYMLINKS`.
const MAX_LINKS: usize = 40;

#[cfg(target_os = "linux")]
const FOLDER_FLAGS: libc::c_int = libc::O_PATH | libc::O_DIRECTORY;
#[cfg(not(target_os = "linux"))]
const FOLDER_FLAGS: libc::c_int = libc::O_RDONLY | libc::O_DIRECTORY;

/// Opens `relative` under `root_dir` (the open folder at `root`) without leaving it.
pub(crate) fn open_by_walking(
    root_dir: &OwnedFd,
    root: &Path,
    relative: &RelativePath,
) -> Result<OwnedFd> {
    let mut pending: Vec<Vec<u8>> = components_reversed(relative.as_str().as_bytes());
    let mut folders: Vec<OwnedFd> = Vec::new();
    let mut links_followed = 0;
    while let Some(component) = pending.pop() {
        match component.as_slice() {
            b"" | b"." => continue,
            b".." => {
                // Only a link's target can still hold `..`: the path itself is normalised.
                folders.pop().ok_or(Error::OutsideRoot(Escape::Symlink))?;
                continue;
            }
            _ => {}
        }
        let name = CString::new(component).map_err(|_| Error::OutsideRoot(Escape::NulByte))?;
        let parent = folders.last().map_or(root_dir.as_fd(), AsFd::as_fd);
        let is_last = pending.iter().all(|c| c.is_empty() || c == b".");
        let flags = if is_last {
            sys::OPEN_FILE_FLAGS
        } else {
            FOLDER_FLAGS
        };
        match sys::openat_nofollow(parent, &name, flags) {
            Ok(fd) if is_last => return Ok(fd),
            Ok(fd) => folders.push(fd),
            Err(err) if is_possibly_a_link(&err) => {
                let Some(target) = read_link(parent, &name)? else {
                    return Err(classify(err, relative));
                };
                links_followed += 1;
                if links_followed > MAX_LINKS {
                    return Err(Error::not_found(relative.as_str(), Missing::NoSuchFile));
                }
                if target.first() == Some(&b'/') {
                    folders.clear();
                    pending.extend(absolute_target_under_root(&target, root)?);
                } else {
                    pending.extend(components_reversed(&target));
                }
            }
            Err(err) => return Err(classify(err, relative)),
        }
    }
    Err(Error::not_found(relative.as_str(), Missing::NotRegularFile))
}

/// `O_NOFOLLOW` on a link fails with `ELOOP` (`EMLINK` on FreeBSD), or with `ENOTDIR`
/// when a folder was required.
fn is_possibly_a_link(err: &std::io::Error) -> bool {
    matches!(
        err.raw_os_error(),
        Some(libc::ELOOP | libc::EMLINK | libc::ENOTDIR)
    )
}

/// The link's target, or `None` if `name` is not a link after all.
fn read_link(parent: BorrowedFd<'_>, name: &CString) -> Result<Option<Vec<u8>>> {
    match sys::readlinkat(parent, name) {
        Ok(target) => Ok(Some(target)),
        Err(err) if err.raw_os_error() == Some(libc::EINVAL) => Ok(None),
        Err(err) => Err(Error::Io(err)),
    }
}

/// The components, below the root, of an absolute link target that lies under the root
/// (as configured, or at its real location); any other target is an escape.
fn absolute_target_under_root(target: &[u8], root: &Path) -> Result<Vec<Vec<u8>>> {
    let escape = Error::OutsideRoot(Escape::Symlink);
    // A target that is not text cannot be compared with the root; refuse it.
    let target = std::str::from_utf8(target).map_err(|_| Error::OutsideRoot(Escape::Symlink))?;
    let root_text = root.to_str().ok_or(Error::OutsideRoot(Escape::Symlink))?;
    let canonical_root = || {
        std::fs::canonicalize(root)
            .ok()
            .and_then(|p| p.to_str().map(str::to_owned))
    };
    match relative_to_root(Path::new(target), root_text, canonical_root) {
        Ok(inside) => Ok(components_reversed(inside.as_str().as_bytes())),
        // The root itself, or a target ending in `/`: a folder, as the kernel would find.
        Err(Error::NotFound { .. }) => Ok(Vec::new()),
        Err(Error::OutsideRoot(_)) => Err(escape),
        Err(other) => Err(other),
    }
}

fn components_reversed(path: &[u8]) -> Vec<Vec<u8>> {
    path.split(|&b| b == b'/')
        .rev()
        .map(<[u8]>::to_vec)
        .collect()
}
