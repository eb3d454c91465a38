//! The answer: status, headers and what the body is made of.
//!
//! The body is described here, with the one locator of the segment that holds a given
//! byte; reading it (`read`) and sending it to a socket (`send`) are built on that locator.

pub(crate) mod read;
mod send;

use std::fs::File;
use std::io;
use std::os::fd::{AsRawFd, RawFd};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::archive::body::{ArchiveBody, ArchiveSegment};
use crate::http::range::ByteRange;

/// One piece of a multipart body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// Bytes to send as they are (boundaries and part headers).
    Literal(Vec<u8>),
    /// Bytes of the file.
    File(ByteRange),
}

impl Segment {
    /// The segment, borrowed.
    pub fn as_ref(&self) -> SegmentRef<'_> {
        match self {
            Segment::Literal(bytes) => SegmentRef::Literal(bytes),
            Segment::File(range) => SegmentRef::File(*range),
        }
    }

    /// Number of bytes the segment contributes to the body.
    pub fn len(&self) -> u64 {
        self.as_ref().len()
    }

    /// Whether the segment adds no bytes.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// What follows the headers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    /// Nothing: a header-only backend, `HEAD`, 304, 412, 416, or an empty file.
    Empty,
    /// One run of the file's bytes (200 or a single-range 206).
    File(ByteRange),
    /// A `multipart/byteranges` body.
    Multipart(Vec<Segment>),
    /// An archive of many files, or ranges of one ([`crate::Config::plan_archive`]).
    Archive(ArchiveBody),
}

/// One piece of a body, borrowed: what [`Body::segment`] returns for every kind of body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SegmentRef<'a> {
    /// Bytes to send as they are.
    Literal(&'a [u8]),
    /// Bytes of the file.
    File(ByteRange),
    /// Bytes of an archive member's file ([`Plan::segment_file`]).
    Member {
        /// The member, by its position in the archive.
        member: usize,
        /// The run of the member's file.
        range: ByteRange,
    },
}

impl SegmentRef<'_> {
    /// Number of bytes the segment contributes to the body.
    pub fn len(&self) -> u64 {
        match self {
            SegmentRef::Literal(bytes) => bytes.len() as u64,
            SegmentRef::File(range) | SegmentRef::Member { range, .. } => range.length,
        }
    }

    /// Whether the segment adds no bytes.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Body {
    /// Number of segments: 0 for an empty body, 1 for a single run of the file.
    pub fn segment_count(&self) -> usize {
        match self {
            Body::Empty => 0,
            Body::File(_) => 1,
            Body::Multipart(segments) => segments.len(),
            Body::Archive(archive) => archive.segment_count(),
        }
    }

    /// The segment at `index`, in sending order. An archive makes a member's header when
    /// it is first asked for, which reads the member for its CRC unless that is known: the
    /// error is that read's.
    pub fn segment(&self, index: usize) -> io::Result<Option<SegmentRef<'_>>> {
        Ok(match self {
            Body::Empty => None,
            Body::File(range) => (index == 0).then_some(SegmentRef::File(*range)),
            Body::Multipart(segments) => segments.get(index).map(Segment::as_ref),
            Body::Archive(archive) => archive.segment(index)?.map(|segment| match segment {
                ArchiveSegment::Bytes(bytes) => SegmentRef::Literal(bytes),
                ArchiveSegment::Member { member, range } => SegmentRef::Member { member, range },
            }),
        })
    }

    /// The length of the segment at `index`, without making any of its bytes.
    pub fn segment_length(&self, index: usize) -> Option<u64> {
        match self {
            Body::Empty => None,
            Body::File(range) => (index == 0).then_some(range.length),
            Body::Multipart(segments) => segments.get(index).map(Segment::len),
            Body::Archive(archive) => archive.segment_length(index),
        }
    }

    /// Number of bytes in the body.
    pub fn len(&self) -> u64 {
        match self {
            // Without visiting each of its (perhaps 200,000) segments.
            Body::Archive(archive) => archive.len(),
            _ => (0..self.segment_count())
                .filter_map(|index| self.segment_length(index))
                .sum(),
        }
    }

    /// Whether the body has no bytes.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The segments from byte `position` of the body on, by index: first the one that
    /// holds that byte, with the offset of the byte within it, then every later segment
    /// from its start. Nothing when `position` is at or past the end of the body.
    pub(crate) fn segments_from(&self, position: u64) -> impl Iterator<Item = (usize, u64)> + '_ {
        let first = self.locate_byte(position);
        let following = first.map_or(0..0, |(index, _)| index + 1..self.segment_count());
        first.into_iter().chain(following.map(|index| (index, 0)))
    }

    /// The segment that holds byte `position`, and the byte's offset within it.
    fn locate_byte(&self, position: u64) -> Option<(usize, u64)> {
        if let Body::Archive(archive) = self {
            return archive.locate_byte(position);
        }
        let mut segment_start = 0;
        (0..self.segment_count()).find_map(|index| {
            let start = segment_start;
            segment_start += self.segment_length(index).unwrap_or(0);
            (position < segment_start).then(|| (index, position - start))
        })
    }
}

/// The error for a file range whose file has been taken out of the plan.
pub(crate) fn no_file() -> io::Error {
    io::Error::other("the plan's file was taken out of it; send the ranges from there")
}

/// The error for a file that ended before the range being sent.
pub(crate) fn file_shrank() -> io::Error {
    io::Error::new(
        io::ErrorKind::UnexpectedEof,
        "the file shrank while its body was being sent",
    )
}

/// The open file of a segment, borrowed from the plan or shared with its archive.
#[derive(Debug)]
pub enum SegmentFile<'a> {
    /// The plan's own file.
    Plan(&'a File),
    /// An archive member's file.
    Member(Arc<File>),
}

impl std::ops::Deref for SegmentFile<'_> {
    type Target = File;

    fn deref(&self) -> &File {
        match self {
            SegmentFile::Plan(file) => file,
            SegmentFile::Member(file) => file,
        }
    }
}

/// How to answer one request for one file.
///
/// The plan owns the open file, if the application is to send the body; the caller may
/// borrow it ([`Plan::file`]) or take it ([`Plan::take_file`]).
#[derive(Debug)]
pub struct Plan {
    pub(crate) status: u16,
    pub(crate) headers: Vec<(&'static str, String)>,
    pub(crate) body: Body,
    pub(crate) file: Option<File>,
    pub(crate) file_size: Option<u64>,
    pub(crate) path: Option<PathBuf>,
}

impl Plan {
    /// The status code.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The response headers, in order.
    pub fn headers(&self) -> &[(&'static str, String)] {
        &self.headers
    }

    /// The value of the header `name` (case-insensitive), if the plan has it.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// What the body is made of.
    pub fn body(&self) -> &Body {
        &self.body
    }

    /// Number of bytes in the body (0 for `HEAD`, whose `Content-Length` describes `GET`).
    pub fn body_length(&self) -> u64 {
        self.body.len()
    }

    /// The runs of the file that the body sends, in order (none for an archive, whose
    /// runs are of its members' files).
    pub fn ranges(&self) -> Vec<ByteRange> {
        match &self.body {
            Body::File(range) => vec![*range],
            Body::Multipart(segments) => segments
                .iter()
                .filter_map(|segment| match segment {
                    Segment::File(range) => Some(*range),
                    Segment::Literal(_) => None,
                })
                .collect(),
            Body::Empty | Body::Archive(_) => Vec::new(),
        }
    }

    /// The size of the whole file, when known: as declared with
    /// [`crate::FileOptions::content_length`] for a header-only backend, else from the
    /// opened file.
    pub fn file_size(&self) -> Option<u64> {
        self.file_size
    }

    /// The absolute path of the file the plan names, with `..` resolved on the text as
    /// for every backend (symbolic links are the kernel's to follow): what an X-Sendfile
    /// front server is told, unencoded, and what a custom backend is handed. `None` for an
    /// object in a store, which has no path on this machine: its plan is nginx's
    /// `X-Accel-Redirect` to the store's location, or a 302 to a presigned URL.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// The open file whose bytes the body sends; `None` when there are none to send.
    pub fn file(&self) -> Option<&File> {
        self.file.as_ref()
    }

    /// The raw descriptor of [`Plan::file`], or -1, as C callers expect.
    pub fn raw_fd(&self) -> RawFd {
        self.file.as_ref().map_or(-1, AsRawFd::as_raw_fd)
    }

    /// The open file whose bytes a segment sends: the plan's file for
    /// [`SegmentRef::File`], an archive member's for [`SegmentRef::Member`] (checked to be
    /// the file the plan measured, unchanged; an archive of more than 256 members opens
    /// each again when it is asked for, and keeps only the last one open). `None` for a
    /// literal segment.
    pub fn segment_file(&self, segment: &SegmentRef<'_>) -> io::Result<Option<SegmentFile<'_>>> {
        match segment {
            SegmentRef::Literal(_) => Ok(None),
            SegmentRef::File(_) => self
                .file
                .as_ref()
                .map(SegmentFile::Plan)
                .ok_or_else(no_file)
                .map(Some),
            SegmentRef::Member { member, .. } => match &self.body {
                Body::Archive(body) => body
                    .archive()
                    .member_file(*member)
                    .map(SegmentFile::Member)
                    .map(Some),
                _ => Err(io::Error::other("a member segment outside an archive")),
            },
        }
    }

    /// Takes the open file out of the plan; the caller closes it. The body description
    /// stays, so the caller can still send it from the file it now owns.
    pub fn take_file(&mut self) -> Option<File> {
        self.file.take()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn multipart() -> Body {
        Body::Multipart(vec![
            Segment::Literal(b"abc".to_vec()),
            Segment::Literal(Vec::new()),
            Segment::File(ByteRange {
                offset: 100,
                length: 5,
            }),
            Segment::Literal(b"yz".to_vec()),
        ])
    }

    fn located(body: &Body, position: u64) -> Vec<(SegmentRef<'_>, u64)> {
        body.segments_from(position)
            .map(|(index, within)| (body.segment(index).unwrap().unwrap(), within))
            .collect()
    }

    #[test]
    fn the_segment_holding_a_byte_comes_first_with_the_offset_within_it() {
        let body = multipart();
        let file = SegmentRef::File(ByteRange {
            offset: 100,
            length: 5,
        });
        assert_eq!(
            located(&body, 4),
            vec![(file, 1), (SegmentRef::Literal(b"yz"), 0)]
        );
        // An empty segment holds no byte, so the one after it holds byte 3.
        assert_eq!(
            located(&body, 3),
            vec![(file, 0), (SegmentRef::Literal(b"yz"), 0)]
        );
        assert_eq!(located(&body, 9), vec![(SegmentRef::Literal(b"yz"), 1)]);
        // From the start, every segment, the empty one among them.
        assert_eq!(located(&body, 0).len(), 4);
    }

    #[test]
    fn nothing_is_located_at_or_past_the_end() {
        assert!(located(&multipart(), 10).is_empty());
        assert!(located(&multipart(), u64::MAX).is_empty());
        assert!(located(&Body::Empty, 0).is_empty());
    }
}
