//! The system calls the standard library does not offer: resolving a path beneath a folder
//! with `openat2`, opening one component without following links, reading a link.
//!
//! This module and `ffi` are the only places with `unsafe`; each call is wrapped in a safe
//! function that owns the returned descriptor at once.

use std::ffi::CStr;
use std::io;
use std::os::fd::{AsRawFd, BorrowedFd, FromRawFd, OwnedFd};

/// Flags for opening the file that is served: read-only, not inherited by children, and
/// non-blocking so that opening a FIFO cannot hang the worker.
pub(crate) const OPEN_FILE_FLAGS: libc::c_int =
    libc::O_RDONLY | libc::O_CLOEXEC | libc::O_NONBLOCK | libc::O_NOCTTY;

/// The kernel's `struct open_how` in its first, 24-byte version (libc's copy is marked
/// non-exhaustive and cannot be built without `unsafe`).
#[cfg(target_os = "linux")]
#[repr(C)]
struct OpenHow {
    flags: u64,
    mode: u64,
    resolve: u64,
}

/// Opens `path` relative to `dir` with the kernel refusing to leave `dir` (`..`, absolute
/// paths and absolute or escaping symbolic links give `EXDEV`) and to follow magic links.
#[cfg(target_os = "linux")]
pub(crate) fn openat2_beneath(dir: BorrowedFd<'_>, path: &CStr) -> io::Result<OwnedFd> {
    let how = OpenHow {
        flags: OPEN_FILE_FLAGS as u64,
        mode: 0,
        resolve: libc::RESOLVE_BENEATH | libc::RESOLVE_NO_MAGICLINKS,
    };
    // SAFETY: `path` is a valid NUL-terminated string and `how` a valid `open_how` that both
    // outlive the call; the size passed is the size of `how`.
    let fd = unsafe {
        libc::syscall(
            libc::SYS_openat2,
            dir.as_raw_fd(),
            path.as_ptr(),
            &how as *const OpenHow,
            size_of::<OpenHow>(),
        )
    };
    owned(fd as libc::c_int)
}

/// `openat2` does not exist outside Linux.
#[cfg(not(target_os = "linux"))]
pub(crate) fn openat2_beneath(_dir: BorrowedFd<'_>, _path: &CStr) -> io::Result<OwnedFd> {
    Err(io::Error::from_raw_os_error(libc::ENOSYS))
}

/// Opens the single component `name` in `dir` with `flags | O_NOFOLLOW | O_CLOEXEC`.
pub(crate) fn openat_nofollow(
    dir: BorrowedFd<'_>,
    name: &CStr,
    flags: libc::c_int,
) -> io::Result<OwnedFd> {
    // SAFETY: `name` is a valid NUL-terminated string that outlives the call.
    let fd = unsafe {
        libc::openat(
            dir.as_raw_fd(),
            name.as_ptr(),
            flags | libc::O_NOFOLLOW | libc::O_CLOEXEC,
        )
    };
    owned(fd)
}

/// Reads the target of the symbolic link `name` in `dir`; `EINVAL` if it is not a link.
pub(crate) fn readlinkat(dir: BorrowedFd<'_>, name: &CStr) -> io::Result<Vec<u8>> {
    let mut target = vec![0u8; libc::PATH_MAX as usize];
    // SAFETY: the buffer is valid for writes of its full length, which is what is passed.
    let length = unsafe {
        libc::readlinkat(
            dir.as_raw_fd(),
            name.as_ptr(),
            target.as_mut_ptr().cast(),
            target.len(),
        )
    };
    if length < 0 {
        return Err(io::Error::last_os_error());
    }
    let length = length as usize;
    if length == target.len() {
        // Possibly truncated: a target this long cannot be resolved anyway.
        return Err(io::Error::from_raw_os_error(libc::ENAMETOOLONG));
    }
    target.truncate(length);
    Ok(target)
}

/// Clears `O_NONBLOCK`, which was only wanted for the open, so that whoever reads the
/// descriptor later sees ordinary blocking reads.
pub(crate) fn clear_nonblocking(fd: BorrowedFd<'_>) -> io::Result<()> {
    // SAFETY: F_GETFL and F_SETFL on a descriptor we borrow; no memory is passed.
    let flags = unsafe { libc::fcntl(fd.as_raw_fd(), libc::F_GETFL) };
    if flags < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: as above.
    let result = unsafe { libc::fcntl(fd.as_raw_fd(), libc::F_SETFL, flags & !libc::O_NONBLOCK) };
    if result < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

fn owned(fd: libc::c_int) -> io::Result<OwnedFd> {
    if fd < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: the kernel just returned this descriptor to us and nothing else owns it.
    Ok(unsafe { OwnedFd::from_raw_fd(fd) })
}

/// Writes what it can of `bytes` to `fd`, retrying on `EINTR`.
pub(crate) fn write(fd: BorrowedFd<'_>, bytes: &[u8]) -> io::Result<usize> {
    loop {
        // SAFETY: the buffer is valid for reads of its full length, which is what is passed.
        let written = unsafe { libc::write(fd.as_raw_fd(), bytes.as_ptr().cast(), bytes.len()) };
        if written >= 0 {
            return Ok(written as usize);
        }
        let err = io::Error::last_os_error();
        if err.kind() != io::ErrorKind::Interrupted {
            return Err(err);
        }
    }
}

/// Sends up to `count` bytes of `file` from `offset` to `out` in the kernel, retrying on
/// `EINTR`; returns how many were sent (0 at the end of the file).
#[cfg(target_os = "linux")]
pub(crate) fn sendfile(
    out: BorrowedFd<'_>,
    file: BorrowedFd<'_>,
    offset: u64,
    count: usize,
) -> io::Result<usize> {
    let mut position =
        libc::off_t::try_from(offset).map_err(|_| io::Error::from_raw_os_error(libc::EOVERFLOW))?;
    loop {
        // SAFETY: `position` is a valid off_t for the kernel to read and update; the
        // descriptors are borrowed for the duration of the call.
        let sent =
            unsafe { libc::sendfile(out.as_raw_fd(), file.as_raw_fd(), &mut position, count) };
        if sent >= 0 {
            return Ok(sent as usize);
        }
        let err = io::Error::last_os_error();
        if err.kind() != io::ErrorKind::Interrupted {
            return Err(err);
        }
    }
}
