//! Many files as one download: a ZIP archive laid out before a byte is sent.
//!
//! Every member is stored, so the archive's length, and where each member's header, data
//! and the central directory lie in it, follow from the members' names and sizes alone.
//! The archive is then one representation like a file: ranges, `If-Range`, 304 and 412
//! come from the same engine. Its bytes are of two kinds: records made in memory (a
//! member's local header, the central directory and end records) and runs of the
//! members' files, which go out by `sendfile(2)`. A record is made when it is first
//! needed, so a member's CRC is read (`crc`) only when its header is about to be sent.

pub(crate) mod body;
mod crc;
mod name;
mod zip;

use std::fs::{File, Metadata};
use std::io;
use std::os::unix::fs::MetadataExt;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

use crate::error::{Error, Result};
use crate::path::normalize::RelativePath;
use crate::path::open::{OpenedFile, RootDir};

pub(crate) use crc::{RememberedCrcs, Version};
#[cfg(feature = "fuzzing")]
pub(crate) use name::check_names as check_member_names;

/// Archives with at most this many members keep every member's file open from planning
/// to sending (each opened once). Larger ones would need more descriptors than servers
/// usually allow a process (1,024 by default on most systems), so their members are
/// measured when planned and opened again, one at a time, when their bytes go out; a
/// member that is no longer the same file, or has changed, then stops the answer.
pub(crate) const KEPT_OPEN: usize = 256;

/// One file of an archive: where it is under the root, and its name inside the archive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArchiveMember {
    pub(crate) path: PathBuf,
    pub(crate) name: Option<String>,
    pub(crate) crc32: Option<u32>,
}

impl ArchiveMember {
    /// The file at `path` (absolute under the root, or relative to it), named inside the
    /// archive after its last component.
    pub fn new(path: impl Into<PathBuf>) -> ArchiveMember {
        ArchiveMember {
            path: path.into(),
            name: None,
            crc32: None,
        }
    }

    /// Names the member inside the archive: `/` separates folders. Names are checked
    /// when the archive is planned (no absolute path, no `..` or `.` segment, no empty
    /// segment, no `\`, no drive, no control character, no two members on one file).
    pub fn name(mut self, name: impl Into<String>) -> ArchiveMember {
        self.name = Some(name.into());
        self
    }

    /// The CRC-32 of the file's contents, when the caller knows it: the member is then
    /// never read for it. A wrong value makes a corrupt archive; readers say so.
    pub fn crc32(mut self, crc32: u32) -> ArchiveMember {
        self.crc32 = Some(crc32);
        self
    }
}

/// A member as planned: its place in the archive and what was measured of its file.
#[derive(Debug)]
pub(crate) struct Member {
    name: String,
    size: u64,
    mtime: i64,
    version: Version,
    crc32: Option<u32>,
    offset: u64,
    header_length: u64,
    header: OnceLock<Vec<u8>>,
    file: MemberFile,
}

/// Where a member's bytes are read from when they are sent.
#[derive(Debug)]
enum MemberFile {
    /// The descriptor opened when the archive was planned.
    Kept(Arc<File>),
    /// Opened again, beneath the root, when its bytes are needed.
    Reopened(RelativePath),
}

impl Member {
    fn entry(&self) -> zip::Entry<'_> {
        zip::Entry {
            name: &self.name,
            size: self.size,
            mtime: self.mtime,
            offset: self.offset,
        }
    }
}

/// A member file found under the root, opened and measured, before its place is known.
#[derive(Debug)]
pub(crate) struct MeasuredMember {
    pub name: String,
    pub relative: RelativePath,
    pub metadata: Metadata,
    /// The open file, kept when the archive keeps its members open ([`KEPT_OPEN`]).
    pub file: Option<File>,
    pub crc32: Option<u32>,
}

impl MeasuredMember {
    /// A member opened under the root: its file kept open, ready to be read or sent, when
    /// `keep_open`, else closed at once (it is opened again when its bytes are needed).
    pub fn new(
        name: String,
        relative: RelativePath,
        opened: OpenedFile,
        crc32: Option<u32>,
        keep_open: bool,
    ) -> Result<MeasuredMember> {
        let metadata = opened.metadata.clone();
        let file = if keep_open {
            Some(opened.into_blocking()?)
        } else {
            None
        };
        Ok(MeasuredMember {
            name,
            relative,
            metadata,
            file,
            crc32,
        })
    }
}

/// One part of the archive, in order: a member's local header, its data, or the
/// central directory with the end records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Region {
    Header(usize),
    Data(usize),
    Directory,
}

/// The whole archive: its members, and where each part lies.
#[derive(Debug)]
pub(crate) struct Archive {
    members: Vec<Member>,
    directory: zip::Directory,
    directory_bytes: OnceLock<Vec<u8>>,
    length: u64,
    root: RootDir,
    reopened: Mutex<Option<(usize, Arc<File>)>>,
    /// The configuration's memory of the CRCs read so far.
    crcs: RememberedCrcs,
}

impl Archive {
    /// Lays out the archive of `measured` members, in their order; `root` opens again
    /// the members whose files were not kept open, and `crcs` remembers the CRCs read.
    pub fn lay_out(
        measured: Vec<MeasuredMember>,
        root: RootDir,
        crcs: RememberedCrcs,
    ) -> Result<Archive> {
        name::check_names(measured.iter().map(|member| member.name.as_str()))?;
        let mut members = Vec::with_capacity(measured.len());
        let mut offset = 0u64;
        for member in measured {
            let metadata = member.metadata;
            let file = match member.file {
                Some(file) => MemberFile::Kept(Arc::new(file)),
                None => MemberFile::Reopened(member.relative),
            };
            let mut planned = Member {
                version: Version::of(&metadata),
                size: metadata.len(),
                mtime: metadata.mtime(),
                crc32: member.crc32,
                name: member.name,
                offset,
                header_length: 0,
                header: OnceLock::new(),
                file,
            };
            planned.header_length = planned.entry().local_header_length();
            offset = overflow_checked(offset, planned.header_length + planned.size)?;
            members.push(planned);
        }
        let directory_length = members
            .iter()
            .map(|member| member.entry().central_header_length())
            .sum();
        let directory = zip::Directory {
            entries: members.len() as u64,
            offset,
            length: directory_length,
        };
        let length = overflow_checked(offset, directory_length + directory.end_length())?;
        Ok(Archive {
            members,
            directory,
            directory_bytes: OnceLock::new(),
            length,
            root,
            reopened: Mutex::new(None),
            crcs,
        })
    }

    /// The archive's length in bytes.
    pub fn length(&self) -> u64 {
        self.length
    }

    /// The part at `index` (below `region_count`).
    pub fn region(&self, index: usize) -> Region {
        match index {
            _ if index == 2 * self.members.len() => Region::Directory,
            _ if index % 2 == 0 => Region::Header(index / 2),
            _ => Region::Data(index / 2),
        }
    }

    /// Where the part starts in the archive, and its length.
    pub fn extent(&self, region: Region) -> (u64, u64) {
        match region {
            Region::Header(member) => {
                let member = &self.members[member];
                (member.offset, member.header_length)
            }
            Region::Data(member) => {
                let member = &self.members[member];
                (member.offset + member.header_length, member.size)
            }
            Region::Directory => (self.directory.offset, self.length - self.directory.offset),
        }
    }

    /// The index of the part that holds byte `position` (below `length`): the last part
    /// that starts at or before it and is not empty.
    pub fn region_at(&self, position: u64) -> usize {
        if position >= self.directory.offset {
            return 2 * self.members.len();
        }
        let member = self
            .members
            .partition_point(|member| member.offset <= position)
            - 1;
        let data_start = self.members[member].offset + self.members[member].header_length;
        2 * member + usize::from(position >= data_start)
    }

    /// The bytes of a part made in memory (a header, or the directory), made now if they
    /// were not yet: a header needs its member's CRC, the directory every member's.
    pub fn record(&self, region: Region) -> io::Result<&[u8]> {
        match region {
            Region::Header(index) => {
                let member = &self.members[index];
                if let Some(header) = member.header.get() {
                    return Ok(header);
                }
                let crc = self.crc_of(index)?;
                Ok(member
                    .header
                    .get_or_init(|| member.entry().local_header(crc)))
            }
            Region::Directory => {
                if let Some(bytes) = self.directory_bytes.get() {
                    return Ok(bytes);
                }
                let mut bytes = Vec::with_capacity((self.length - self.directory.offset) as usize);
                for (index, member) in self.members.iter().enumerate() {
                    member
                        .entry()
                        .central_header(self.crc_of(index)?, &mut bytes);
                }
                self.directory.end_records(&mut bytes);
                Ok(self.directory_bytes.get_or_init(|| bytes))
            }
            Region::Data(_) => Err(io::Error::other("a member's data is not a record")),
        }
    }

    /// The member's CRC-32: given, remembered, or read from its file now.
    fn crc_of(&self, index: usize) -> io::Result<u32> {
        let member = &self.members[index];
        if let Some(crc) = member.crc32 {
            return Ok(crc);
        }
        if member.size == 0 {
            return Ok(0);
        }
        self.crcs.crc_of(member.version, || self.member_file(index))
    }

    /// The open file of member `index`, checked to be the very file the plan measured,
    /// at the same size and modification time: a member that changed stops the answer
    /// rather than making a corrupt archive.
    pub fn member_file(&self, index: usize) -> io::Result<Arc<File>> {
        let member = &self.members[index];
        let file = match &member.file {
            MemberFile::Kept(file) => Arc::clone(file),
            MemberFile::Reopened(relative) => self.reopen(index, relative)?,
        };
        if !Version::of(&file.metadata()?).same_contents(&member.version) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!(
                    "the archive member {:?} changed after the archive was planned",
                    member.name
                ),
            ));
        }
        Ok(file)
    }

    /// Opens member `index` again, or lends the one opened last if it is this member.
    fn reopen(&self, index: usize, relative: &RelativePath) -> io::Result<Arc<File>> {
        let mut slot = self
            .reopened
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some((open_index, file)) = slot.as_ref() {
            if *open_index == index {
                return Ok(Arc::clone(file));
            }
        }
        let opened = self.root.open_file(relative).map_err(|error| match error {
            Error::Io(error) => error,
            other => io::Error::new(io::ErrorKind::NotFound, other.to_string()),
        })?;
        let file = Arc::new(opened.into_blocking().map_err(io::Error::other)?);
        *slot = Some((index, Arc::clone(&file)));
        Ok(file)
    }
}

fn overflow_checked(offset: u64, more: u64) -> Result<u64> {
    offset.checked_add(more).ok_or_else(|| {
        Error::InvalidArgument("the archive would be longer than 2^64 bytes".to_owned())
    })
}
