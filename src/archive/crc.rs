//! The CRC-32 of a member's data, read when its local header is about to be sent, and
//! remembered by the identity of the file's version.
//!
//! A ZIP member's CRC precedes its data, so an archive whose members' CRCs are not given
//! must read a member once before it is sent. That reading happens member by member as
//! the archive goes out (the first byte never waits for the last member), in large
//! positional reads, and is remembered by (device, inode, size, modification and change
//! times) for as long as the configuration lives: the next download of the same files
//! reads nothing. The memory belongs to the configuration (shared by its clones and the
//! plans made from it), not to the process, so that freeing the last of them frees it:
//! a C program checked for leaks sees none, and no state outlives its owner.

use std::fs::File;
use std::ops::Deref;
use std::os::unix::fs::{FileExt, MetadataExt};
use std::sync::{Arc, OnceLock};
use std::{fmt, io};

use quick_cache::sync::Cache;

/// Bytes per read while computing a CRC.
const READ_SIZE: usize = 1 << 20;

/// How many CRCs a configuration remembers (about 40 bytes each).
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

/// The CRCs a configuration remembers: empty, and allocating nothing, until an archive
/// reads its first one. Clones share it.
#[derive(Clone, Default)]
pub(crate) struct RememberedCrcs {
    cache: Arc<OnceLock<Cache<Version, u32>>>,
}

impl fmt::Debug for RememberedCrcs {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = self.cache.get().map_or(0, Cache::len);
        write!(formatter, "RememberedCrcs({count})")
    }
}

impl RememberedCrcs {
    fn cache(&self) -> &Cache<Version, u32> {
        self.cache.get_or_init(|| Cache::new(REMEMBERED))
    }

    /// The CRC-32 of the first `version.size` bytes of the file at `version`: remembered,
    /// or read now from the file `open` gives (opened only then: a remembered CRC costs no
    /// system call, which matters for an archive of many members). A file that ends early
    /// gives `UnexpectedEof`.
    pub fn crc_of<F: Deref<Target = File>>(
        &self,
        version: Version,
        open: impl FnOnce() -> io::Result<F>,
    ) -> io::Result<u32> {
        if let Some(crc) = self.cache().get(&version) {
            return Ok(crc);
        }
        let crc = read_crc(&*open()?, version.size)?;
        self.cache().insert(version, crc);
        Ok(crc)
    }
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
        let remembered = RememberedCrcs::default();
        assert_eq!(format!("{remembered:?}"), "RememberedCrcs(0)");
        assert_eq!(
            remembered.crc_of(version, || Ok(&file)).unwrap(),
            0xCBF4_3926
        );
        assert_eq!(remembered.cache().get(&version), Some(0xCBF4_3926));
        let shorter = Version { size: 4, ..version };
        assert_eq!(read_crc(&file, 4).unwrap(), crc32fast::hash(b"1234"));
        let crc = remembered.crc_of(shorter, || Ok(&file)).unwrap();
        assert_eq!(crc, crc32fast::hash(b"1234"));
        assert_eq!(format!("{remembered:?}"), "RememberedCrcs(2)");
    }

    #[test]
    fn a_remembered_crc_opens_nothing_and_clones_share_the_memory() {
        let mut file = tempfile::tempfile().unwrap();
        file.write_all(b"remembered").unwrap();
        let version = Version::of(&file.metadata().unwrap());
        let expected = crc32fast::hash(b"remembered");
        let remembered = RememberedCrcs::default();
        assert_eq!(remembered.crc_of(version, || Ok(&file)).unwrap(), expected);
        let not_opened = || -> io::Result<&File> { panic!("a remembered CRC opened its file") };
        assert_eq!(
            remembered.clone().crc_of(version, not_opened).unwrap(),
            expected
        );
        let elsewhere = RememberedCrcs::default();
        assert!(elsewhere.crc_of(version, not_opened_either).is_err());
    }

    fn not_opened_either() -> io::Result<&'static File> {
        Err(io::Error::other(
            "another configuration remembers nothing of it",
        ))
    }

    #[test]
    fn a_file_shorter_than_planned_is_an_error() {
        let mut file = tempfile::tempfile().unwrap();
        file.write_all(b"abc").unwrap();
        let error = read_crc(&file, 4).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::UnexpectedEof);
    }
}
