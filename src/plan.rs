//! The answer: status, headers and what the body is made of.

use std::fs::File;
use std::os::fd::{AsRawFd, RawFd};

use crate::body_reader::BodyReader;
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
}

/// One piece of a body, borrowed: what [`Body::segment`] returns for every kind of body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SegmentRef<'a> {
    /// Bytes to send as they are.
    Literal(&'a [u8]),
    /// Bytes of the file.
    File(ByteRange),
}

impl SegmentRef<'_> {
    /// Number of bytes the segment contributes to the body.
    pub fn len(&self) -> u64 {
        match self {
            SegmentRef::Literal(bytes) => bytes.len() as u64,
            SegmentRef::File(range) => range.length,
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
        }
    }

    /// The segment at `index`, in sending order.
    pub fn segment(&self, index: usize) -> Option<SegmentRef<'_>> {
        match self {
            Body::Empty => None,
            Body::File(range) => (index == 0).then_some(SegmentRef::File(*range)),
            Body::Multipart(segments) => segments.get(index).map(Segment::as_ref),
        }
    }

    /// Number of bytes in the body.
    pub fn len(&self) -> u64 {
        (0..self.segment_count())
            .filter_map(|index| self.segment(index))
            .map(|segment| segment.len())
            .sum()
    }

    /// Whether the body has no bytes.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
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

    /// The runs of the file that the body sends, in order.
    pub fn ranges(&self) -> Vec<ByteRange> {
        (0..self.body.segment_count())
            .filter_map(|index| match self.body.segment(index) {
                Some(SegmentRef::File(range)) => Some(range),
                _ => None,
            })
            .collect()
    }

    /// The size of the whole file, when known: as declared with
    /// [`crate::FileOptions::content_length`] for a header-only backend, else from the
    /// opened file.
    pub fn file_size(&self) -> Option<u64> {
        self.file_size
    }

    /// The open file whose bytes the body sends; `None` when there are none to send.
    pub fn file(&self) -> Option<&File> {
        self.file.as_ref()
    }

    /// The raw descriptor of [`Plan::file`], or -1, as C callers expect.
    pub fn raw_fd(&self) -> RawFd {
        self.file.as_ref().map_or(-1, AsRawFd::as_raw_fd)
    }

    /// Takes the open file out of the plan; the caller closes it. The body description
    /// stays, so the caller can still send it from the file it now owns.
    pub fn take_file(&mut self) -> Option<File> {
        self.file.take()
    }

    /// A reader of the whole body, from the plan's own file, with positional reads that
    /// never move a shared offset. Fails with `UnexpectedEof` if the file shrinks.
    pub fn reader(&self) -> BodyReader<'_> {
        BodyReader::new(self)
    }
}
