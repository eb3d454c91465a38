//! The CRC-32 of a member's data, read when its local header is about to be sent, and
//! remembered by the identity of the file's version.
//!
//! A ZIP member's CRC precedes its data, so an archive whose members' CRCs are not given
//! must read a member once before it is sent. That reading happens member by member as
//! the archive goes out (the first byte never waits for the last member), in large
//! positional reads, and is remembered for the process by (device, inode, size,
//! modification and change times): the next download of the same files reads nothing.

use std::fs::File;
use std::io;
use std::os::unix::fs::{FileExt, MetadataExt};
use std::sync::OnceLock;

use quick_cache::sync::Cache;

/// Bytes per read while computing a CRC.
const READ_SIZE: usize = 1 << 20;

/// How many CRCs the process remembers (about 40 bytes each).
const REMEMBERED: usize = 1 << 18;

/// What changes whenever a file's contents may have: a write moves the modification and
/// change times, a replacement the inode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Version {
    device: u64,
    inode: u64,
    size: u64,
    modified: (i64, i64),
    changed: (i64, i64),
}

impl Version {
    /// The version of the file whose metadata this is.
    pub fn of(metadata: &std::fs::Metadata) -> Version {
        Version {
            device: metadata.dev(),
            inode: metadata.ino(),
            size: metadata.len(),
            modified: (metadata.mtime(), metadata.mtime_nsec()),
            changed: (metadata.ctime(), metadata.ctime_nsec()),
        }
    }

    /// Whether this is the same file with, as far as its metadata tells, the same
    /// contents: same inode, size and modification time (the change time also moves for
    /// a new name or permissions, which change no byte).
    pub fn same_contents(&self, other: &Version) -> bool {
        (self.device, self.inode, self.size, self.modified)
            == (other.device, other.inode, other.size, other.modified)
    }
}

fn remembered() -> &'static Cache<Version, u32> {
    static CACHE: OnceLock<Cache<Version, u32>> = OnceLock::new();
    CACHE.get_or_init(|| Cache::new(REMEMBERED))
}

/// The CRC-32 of the first `version.size` bytes of `file`, remembered or read now. A file
/// that ends early gives `UnexpectedEof`.
pub(crate) fn crc_of(file: &File, version: Version) -> io::Result<u32> {
    if let Some(crc) = remembered().get(&version) {
        return Ok(crc);
    }
    let crc = read_crc(file, version.size)?;
    remembered().insert(version, crc);
    Ok(crc)
}

fn read_crc(file: &File, size: u64) -> io::Result<u32> {
    let mut hasher = crc32fast::Hasher::new();
    let mut buffer = vec![0u8; READ_SIZE.min(usize::try_from(size).unwrap_or(READ_SIZE))];
    let mut position = 0;
    while position < size {
        let want = buffer
            .len()
            .min(usize::try_from(size - position).unwrap_or(usize::MAX));
        match file.read_at(&mut buffer[..want], position) {
            Ok(0) => {
                return Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "an archive member ended before the size it was planned with",
                ));
            }
            Ok(read) => {
                hasher.update(&buffer[..read]);
                position += read as u64;
            }
            Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
            Err(error) => return Err(error),
        }
    }
    Ok(hasher.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn the_crc_is_of_the_planned_bytes_and_remembered_by_version() {
        let mut file = tempfile::tempfile().unwrap();
        file.write_all(b"123456789").unwrap();
        let version = Version::of(&file.metadata().unwrap());
        // The check value of CRC-32/ISO-HDLC.
        assert_eq!(crc_of(&file, version).unwrap(), 0xCBF4_3926);
        assert_eq!(remembered().get(&version), Some(0xCBF4_3926));
        let shorter = Version { size: 4, ..version };
        assert_eq!(read_crc(&file, 4).unwrap(), crc32fast::hash(b"1234"));
        assert_eq!(crc_of(&file, shorter).unwrap(), crc32fast::hash(b"1234"));
    }

    #[test]
    fn a_file_shorter_than_planned_is_an_error() {
        let mut file = tempfile::tempfile().unwrap();
        file.write_all(b"abc").unwrap();
        let error = read_crc(&file, 4).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::UnexpectedEof);
    }
}
