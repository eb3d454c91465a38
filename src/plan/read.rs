//! Reading a plan's body as bytes, for callers that cannot hand the descriptor to the
//! kernel (multipart bodies in Python, tests).

use std::io::{self, Read};
use std::os::unix::fs::FileExt;

use crate::plan::{Body, Plan, SegmentRef, file_shrank, no_file};

impl Body {
    /// Reads body bytes from `position` into `buf`, across segments until it is full, the
    /// files' bytes from `plan` with `pread` (so readers never disturb a shared offset).
    /// Returns 0 at the end of the body;
    /// a file that ends before a range does gives `UnexpectedEof`, never bytes from
    /// elsewhere.
    pub(crate) fn read_at(&self, plan: &Plan, position: u64, buf: &mut [u8]) -> io::Result<usize> {
        let mut filled = 0;
        for (index, within) in self.segments_from(position) {
            if filled == buf.len() {
                break;
            }
            let Some(segment) = self.segment(index)? else {
                break;
            };
            let rest = &mut buf[filled..];
            let want = rest
                .len()
                .min(usize::try_from(segment.len() - within).unwrap_or(usize::MAX));
            filled += match segment {
                SegmentRef::Literal(bytes) => {
                    let start = within as usize;
                    rest[..want].copy_from_slice(&bytes[start..start + want]);
                    want
                }
                SegmentRef::File(range) | SegmentRef::Member { range, .. } => {
                    let file = plan.segment_file(&segment)?.ok_or_else(no_file)?;
                    match file.read_at(&mut rest[..want], range.offset + within)? {
                        0 if want > 0 => return Err(file_shrank()),
                        // A short read: give what there is, the caller asks again.
                        read if read < want => return Ok(filled + read),
                        read => read,
                    }
                }
            };
        }
        Ok(filled)
    }
}

impl Plan {
    /// Reads body bytes from `position` into `buf`; 0 at the end of the body. See
    /// [`Plan::reader`] for reading the body as a stream.
    pub fn read_body_at(&self, position: u64, buf: &mut [u8]) -> io::Result<usize> {
        self.body.read_at(self, position, buf)
    }

    /// A reader of the whole body, from the plan's own file, with positional reads that
    /// never move a shared offset. Fails with `UnexpectedEof` if the file shrinks.
    pub fn reader(&self) -> BodyReader<'_> {
        BodyReader {
            plan: self,
            position: 0,
        }
    }
}

/// Yields the bytes of a plan's body in order, from [`Plan::reader`].
#[derive(Debug)]
pub struct BodyReader<'a> {
    plan: &'a Plan,
    position: u64,
}

impl Read for BodyReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let read = self.plan.read_body_at(self.position, buf)?;
        self.position += read as u64;
        Ok(read)
    }
}
