//! Opening the requested file under the root, once.
//!
//! The kernel resolves the path with `openat2(RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS)`, so
//! no `..` and no symbolic link can lead out of the root, even if the tree changes while
//! the path is resolved. Where `openat2` is missing (kernels before 5.6, other systems,
//! seccomp filters), and for the absolute symbolic links `RESOLVE_BENEATH` refuses even when
//! they point inside the root, a component-by-component walk (`walk`) gives the same
//! guarantee. Size, dates and the bytes sent all come from the one descriptor opened here.

use std::ffi::CString;
use std::fs::{File, Metadata, OpenOptions};
use std::io;
use std::os::fd::{AsFd, OwnedFd};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use crate::error::{Error, Missing, Result};
use crate::path::classify;
use crate::path::normalize::RelativePath;
use crate::path::walk::open_by_walking;
use crate::sys;

/// Cleared the first time the kernel says it has no `openat2`.
static KERNEL_HAS_OPENAT2: AtomicBool = AtomicBool::new(true);

/// How often a resolution that raced with a rename is retried before walking instead.
const OPENAT2_RETRIES: usize = 3;

/// A regular file, open for reading, with the metadata of that very descriptor. It is still
/// non-blocking: [`OpenedFile::into_blocking`] makes it ordinary for whoever reads it.
#[derive(Debug)]
pub(crate) struct OpenedFile {
    pub file: File,
    pub metadata: Metadata,
}

impl OpenedFile {
    /// The file with `O_NONBLOCK` cleared, for a caller that will read or send it; plans
    /// that only check the file skip these two system calls.
    pub fn into_blocking(self) -> Result<File> {
        sys::clear_nonblocking(self.file.as_fd())?;
        Ok(self.file)
    }
}

/// Opens `relative` under the folder `root`.
pub(crate) fn open_beneath(root: &Path, relative: &RelativePath) -> Result<OpenedFile> {
    RootDir::open(root)?.open_file(relative)
}

/// The root folder, opened once for the many files beneath it that one plan opens (the
/// members of an archive), and again later for those it could not keep open.
#[derive(Debug)]
pub(crate) struct RootDir {
    fd: OwnedFd,
    path: PathBuf,
}

impl RootDir {
    /// Opens the folder `root` (for path resolution only, where the system allows).
    pub fn open(root: &Path) -> Result<RootDir> {
        Ok(RootDir {
            fd: open_root(root)?,
            path: root.to_owned(),
        })
    }

    /// Opens `relative` beneath the folder.
    pub fn open_file(&self, relative: &RelativePath) -> Result<OpenedFile> {
        self.open_with(relative, KERNEL_HAS_OPENAT2.load(Ordering::Relaxed))
    }

    fn open_with(&self, relative: &RelativePath, use_kernel: bool) -> Result<OpenedFile> {
        let fd = if use_kernel {
            match open_by_kernel(&self.fd, relative) {
                Ok(fd) => fd,
                Err(err) if kernel_cannot_decide(&err) => {
                    open_by_walking(&self.fd, &self.path, relative)?
                }
                Err(err) => return Err(classify(err, relative)),
            }
        } else {
            open_by_walking(&self.fd, &self.path, relative)?
        };
        let file = File::from(fd);
        let metadata = file.metadata()?;
        if !metadata.is_file() {
            return Err(Error::not_found(relative.as_str(), Missing::NotRegularFile));
        }
        Ok(OpenedFile { file, metadata })
    }
}

fn open_root(root: &Path) -> Result<OwnedFd> {
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(target_os = "linux")]
    options.custom_flags(libc::O_PATH | libc::O_DIRECTORY);
    #[cfg(not(target_os = "linux"))]
    options.custom_flags(libc::O_DIRECTORY);
    options
        .open(root)
        .map(OwnedFd::from)
        .map_err(root_open_error)
}

/// A root that cannot be opened is a configuration error, unless the process or system
/// is short of descriptors or memory right now: that is the moment's, not the
/// configuration's.
fn root_open_error(err: io::Error) -> Error {
    match err.raw_os_error() {
        Some(libc::EMFILE | libc::ENFILE | libc::ENOMEM) => Error::Io(err),
        _ => Error::Configuration(format!("the root folder cannot be opened: {err}")),
    }
}

fn open_by_kernel(root_dir: &OwnedFd, relative: &RelativePath) -> io::Result<OwnedFd> {
    let path = CString::new(relative.as_str())
        .map_err(|_| io::Error::from(io::ErrorKind::InvalidInput))?;
    let mut attempt = 0;
    loop {
        match sys::openat2_beneath(root_dir.as_fd(), &path) {
            Err(err) if err.raw_os_error() == Some(libc::EAGAIN) && attempt < OPENAT2_RETRIES => {
                attempt += 1;
            }
            Err(err) if err.raw_os_error() == Some(libc::ENOSYS) => {
                KERNEL_HAS_OPENAT2.store(false, Ordering::Relaxed);
                return Err(err);
            }
            result => return result,
        }
    }
}

/// Errors after which the walk must decide: `EXDEV` (an escape, or an absolute link that
/// may point inside the root), a missing or filtered `openat2`, or a lasting rename race.
fn kernel_cannot_decide(err: &io::Error) -> bool {
    matches!(
        err.raw_os_error(),
        Some(libc::EXDEV | libc::ENOSYS | libc::EPERM | libc::EINVAL | libc::E2BIG | libc::EAGAIN)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Escape;
    use crate::path::normalize::relative_to_root;
    use std::os::unix::fs::symlink;
    use std::os::unix::net::UnixListener;

    /// A root with files, folders and links of every kind, beside a secret outside it.
    struct Tree {
        _top: tempfile::TempDir,
        root: std::path::PathBuf,
    }

    fn tree() -> Tree {
        let top = tempfile::tempdir().unwrap();
        let root = top.path().join("root");
        std::fs::create_dir_all(root.join("sub/deeper")).unwrap();
        std::fs::write(top.path().join("secret.txt"), "secret").unwrap();
        std::fs::write(root.join("a.txt"), "aaa").unwrap();
        std::fs::write(root.join("sub/b.txt"), "bbbb").unwrap();
        std::fs::write(root.join("sub/deeper/c.txt"), "c").unwrap();
        symlink("sub/b.txt", root.join("inside-link")).unwrap();
        symlink("../a.txt", root.join("sub/up-link")).unwrap();
        symlink("sub", root.join("dir-link")).unwrap();
        symlink(root.join("a.txt"), root.join("absolute-inside")).unwrap();
        symlink("../secret.txt", root.join("escape")).unwrap();
        symlink(top.path().join("secret.txt"), root.join("absolute-escape")).unwrap();
        symlink("escape", root.join("chain-to-escape")).unwrap();
        symlink("sub/../../secret.txt", root.join("sneaky")).unwrap();
        symlink("..", root.join("sub/parent")).unwrap();
        symlink("loop-b", root.join("loop-a")).unwrap();
        symlink("loop-a", root.join("loop-b")).unwrap();
        symlink("/proc/self/root/etc/passwd", root.join("magic")).unwrap();
        Tree { _top: top, root }
    }

    fn open(tree: &Tree, path: &str, use_kernel: bool) -> Result<String> {
        let root = tree.root.to_str().unwrap();
        let relative = relative_to_root(Path::new(path), root, || None)?;
        let opened = RootDir::open(&tree.root)?.open_with(&relative, use_kernel)?;
        Ok(std::io::read_to_string(opened.file).unwrap())
    }

    fn both(tree: &Tree, path: &str) -> Result<String> {
        let by_kernel = open(tree, path, true);
        let by_walk = open(tree, path, false);
        assert_eq!(
            format!("{by_kernel:?}"),
            format!("{by_walk:?}"),
            "kernel and walk disagree on {path}"
        );
        by_kernel
    }

    #[test]
    fn plain_files_open() {
        let tree = tree();
        assert_eq!(both(&tree, "a.txt").unwrap(), "aaa");
        assert_eq!(both(&tree, "sub/deeper/c.txt").unwrap(), "c");
    }

    #[test]
    fn links_that_stay_inside_are_followed() {
        let tree = tree();
        assert_eq!(both(&tree, "inside-link").unwrap(), "bbbb");
        assert_eq!(both(&tree, "sub/up-link").unwrap(), "aaa");
        assert_eq!(both(&tree, "dir-link/b.txt").unwrap(), "bbbb");
        assert_eq!(both(&tree, "sub/parent/a.txt").unwrap(), "aaa");
        assert_eq!(both(&tree, "absolute-inside").unwrap(), "aaa");
    }

    #[test]
    fn links_that_lead_out_are_refused() {
        let tree = tree();
        for path in [
            "escape",
            "absolute-escape",
            "chain-to-escape",
            "sneaky",
            "sub/parent/escape",
        ] {
            assert!(
                matches!(both(&tree, path), Err(Error::OutsideRoot(Escape::Symlink))),
                "{path}"
            );
        }
    }

    #[test]
    fn magic_links_are_refused() {
        let tree = tree();
        assert!(matches!(
            both(&tree, "magic"),
            Err(Error::OutsideRoot(Escape::Symlink))
        ));
    }

    #[test]
    fn missing_files_and_loops_are_not_found() {
        let tree = tree();
        for path in ["nothing.txt", "sub/nothing/x", "a.txt/x", "loop-a"] {
            assert!(
                matches!(
                    both(&tree, path),
                    Err(Error::NotFound {
                        reason: Missing::NoSuchFile,
                        ..
                    })
                ),
                "{path}: {:?}",
                both(&tree, path)
            );
        }
    }

    #[test]
    fn folders_fifos_and_sockets_are_not_regular_files() {
        let tree = tree();
        let fifo = tree.root.join("fifo");
        let status = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(status.success());
        let _listener = UnixListener::bind(tree.root.join("socket")).unwrap();
        for path in ["sub", "dir-link", "fifo", "socket"] {
            assert!(
                matches!(
                    both(&tree, path),
                    Err(Error::NotFound {
                        reason: Missing::NotRegularFile,
                        ..
                    })
                ),
                "{path}: {:?}",
                both(&tree, path)
            );
        }
    }

    #[test]
    fn running_out_of_descriptors_is_an_io_error_not_a_configuration_error() {
        for shortage in [libc::EMFILE, libc::ENFILE, libc::ENOMEM] {
            let err = root_open_error(io::Error::from_raw_os_error(shortage));
            assert!(matches!(&err, Error::Io(io) if io.raw_os_error() == Some(shortage)));
        }
        let err = root_open_error(io::Error::from_raw_os_error(libc::EACCES));
        assert!(matches!(err, Error::Configuration(_)));
    }

    #[test]
    fn a_missing_root_is_a_configuration_error() {
        let relative = relative_to_root(Path::new("a.txt"), "/", || None).unwrap();
        let err = RootDir::open(Path::new("/nonexistent-root-for-test"))
            .and_then(|root| root.open_with(&relative, true))
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "configuration error: the root folder cannot be opened: No such file or directory (os error 2)"
        );
    }
}
