//! The body of an archive's answer: runs of the archive's bytes (all of them, one range,
//! or the ranges of a multipart answer between their boundaries), each cut where the
//! archive's parts meet, so that every segment is either bytes made in memory or a run
//! of one member's file.

use std::io;
use std::sync::Arc;

use crate::archive::{Archive, Region};
use crate::http::range::ByteRange;

/// An archive's body for one answer.
#[derive(Debug, Clone)]
pub struct ArchiveBody {
    archive: Arc<Archive>,
    parts: Vec<Part>,
    /// The index of each part's first segment, then the number of segments.
    first_segments: Vec<usize>,
    /// Where each part starts in the body.
    part_starts: Vec<u64>,
    /// The body's length.
    length: u64,
}

/// A piece of the body before it is cut at the archive's parts.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    /// A multipart boundary with its part headers.
    Literal(Vec<u8>),
    /// A run of the archive, and the index of the archive's part that holds its first byte.
    Span {
        range: ByteRange,
        first_region: usize,
    },
}

/// What the body is made of before it is cut: a multipart boundary, or a run of the
/// archive's bytes.
#[derive(Debug)]
pub(crate) enum Selected {
    Literal(Vec<u8>),
    Run(ByteRange),
}

/// One segment of an archive's body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ArchiveSegment<'a> {
    /// Bytes made in memory: a boundary, a header, the directory.
    Bytes(&'a [u8]),
    /// A run of member `member`'s file.
    Member { member: usize, range: ByteRange },
}

impl PartialEq for ArchiveBody {
    fn eq(&self, other: &ArchiveBody) -> bool {
        Arc::ptr_eq(&self.archive, &other.archive) && self.parts == other.parts
    }
}

impl Eq for ArchiveBody {}

impl ArchiveBody {
    /// The body that sends `selected` from `archive`.
    pub(crate) fn new(archive: Arc<Archive>, selected: Vec<Selected>) -> ArchiveBody {
        let parts: Vec<Part> = selected
            .into_iter()
            .map(|piece| match piece {
                Selected::Literal(bytes) => Part::Literal(bytes),
                Selected::Run(range) => span(&archive, range),
            })
            .collect();
        let mut first_segments = Vec::with_capacity(parts.len() + 1);
        let mut part_starts = Vec::with_capacity(parts.len());
        let mut count = 0;
        let mut start = 0;
        for part in &parts {
            first_segments.push(count);
            part_starts.push(start);
            start += match part {
                Part::Literal(bytes) => bytes.len() as u64,
                Part::Span { range, .. } => range.length,
            };
            count += match part {
                Part::Literal(_) => 1,
                Part::Span {
                    range,
                    first_region,
                } => archive.region_at(range.end() - 1) - first_region + 1,
            };
        }
        first_segments.push(count);
        ArchiveBody {
            archive,
            parts,
            first_segments,
            part_starts,
            length: start,
        }
    }

    /// The number of bytes in the body.
    pub fn len(&self) -> u64 {
        self.length
    }

    /// Whether the body has no bytes.
    pub fn is_empty(&self) -> bool {
        self.length == 0
    }

    /// The number of segments.
    pub fn segment_count(&self) -> usize {
        self.first_segments.last().copied().unwrap_or(0)
    }

    /// The part that segment `index` belongs to, and which of its segments it is.
    fn locate(&self, index: usize) -> Option<(&Part, usize)> {
        if index >= self.segment_count() {
            return None;
        }
        let part = self.first_segments.partition_point(|&first| first <= index) - 1;
        Some((&self.parts[part], index - self.first_segments[part]))
    }

    /// The archive's part under segment `index` and the run of it that the segment sends,
    /// counted from the part's start; `None` for a literal segment.
    fn cut(&self, part: &Part, nth: usize) -> Option<(Region, ByteRange)> {
        let Part::Span {
            range,
            first_region,
        } = part
        else {
            return None;
        };
        let region = self.archive.region(first_region + nth);
        let (start, length) = self.archive.extent(region);
        let low = start.max(range.offset);
        let high = (start + length).min(range.end());
        Some((
            region,
            ByteRange {
                offset: low - start,
                length: high.saturating_sub(low),
            },
        ))
    }

    /// The segment that holds byte `position` of the body and the offset of that byte
    /// within it, found by bisection (a body may have hundreds of thousands of segments);
    /// `None` at or past the end.
    pub(crate) fn locate_byte(&self, position: u64) -> Option<(usize, u64)> {
        let part = self
            .part_starts
            .partition_point(|&start| start <= position)
            .checked_sub(1)?;
        let within_part = position - self.part_starts[part];
        match &self.parts[part] {
            Part::Literal(bytes) => (within_part < bytes.len() as u64)
                .then_some((self.first_segments[part], within_part)),
            Part::Span {
                range,
                first_region,
            } => {
                if within_part >= range.length {
                    return None;
                }
                let at = range.offset + within_part;
                let region = self.archive.region_at(at);
                let (start, _) = self.archive.extent(self.archive.region(region));
                let index = self.first_segments[part] + region - first_region;
                Some((index, at - start.max(range.offset)))
            }
        }
    }

    /// The length of segment `index`, without making any of its bytes.
    pub(crate) fn segment_length(&self, index: usize) -> Option<u64> {
        let (part, nth) = self.locate(index)?;
        Some(match part {
            Part::Literal(bytes) => bytes.len() as u64,
            Part::Span { .. } => self.cut(part, nth)?.1.length,
        })
    }

    /// Segment `index`: a header or the directory is made (and a member read for its
    /// CRC) the first time it is asked for.
    pub(crate) fn segment(&self, index: usize) -> io::Result<Option<ArchiveSegment<'_>>> {
        let Some((part, nth)) = self.locate(index) else {
            return Ok(None);
        };
        if let Part::Literal(bytes) = part {
            return Ok(Some(ArchiveSegment::Bytes(bytes)));
        }
        let Some((region, run)) = self.cut(part, nth) else {
            return Ok(None);
        };
        Ok(Some(match region {
            Region::Data(member) => ArchiveSegment::Member { member, range: run },
            Region::Header(_) | Region::Directory => {
                let record = self.archive.record(region)?;
                let start = run.offset as usize;
                ArchiveSegment::Bytes(&record[start..start + run.length as usize])
            }
        }))
    }

    /// The archive the body is cut from.
    pub(crate) fn archive(&self) -> &Archive {
        &self.archive
    }
}

/// A run of the archive, with the part that holds its first byte.
fn span(archive: &Archive, range: ByteRange) -> Part {
    Part::Span {
        range,
        first_region: archive.region_at(range.offset),
    }
}
