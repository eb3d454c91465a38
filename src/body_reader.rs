//! Reading a plan's body as bytes, for callers that cannot hand the descriptor to the
//! kernel (multipart bodies in Python, tests).

use std::fs::File;
use std::io::{self, Read};
use std::os::unix::fs::FileExt;

use crate::plan::{Body, Plan, SegmentRef};

impl Body {
    /// Reads body bytes from `position` into `buf`, the file's bytes from `file` with
    /// `pread` (so readers never disturb a shared offset). Returns 0 at the end of the body;
    /// a file that ends before a range does gives `UnexpectedEof`, never bytes from
    /// elsewhere.
    pub(crate) fn read_at(
        &self,
        file: Option<&File>,
        position: u64,
        buf: &mut [u8],
    ) -> io::Result<usize> {
        let mut segment_start = 0;
        let mut index = 0;
        while let Some(segment) = self.segment(index) {
            let segment_end = segment_start + segment.len();
            if position < segment_end {
                let within = position - segment_start;
                let want = buf
                    .len()
                    .min(usize::try_from(segment_end - position).unwrap_or(usize::MAX));
                return match segment {
                    SegmentRef::Literal(bytes) => {
                        let start = within as usize;
                        buf[..want].copy_from_slice(&bytes[start..start + want]);
                        Ok(want)
                    }
                    SegmentRef::File(range) => {
                        let file = file.ok_or_else(no_file)?;
                        match file.read_at(&mut buf[..want], range.offset + within)? {
                            0 if want > 0 => Err(file_shrank()),
                            read => Ok(read),
                        }
                    }
                };
            }
            segment_start = segment_end;
            index += 1;
        }
        Ok(0)
    }
}

impl Plan {
    /// Reads body bytes from `position` into `buf`; 0 at the end of the body. See
    /// [`Plan::reader`] for reading the body as a stream.
    pub fn read_body_at(&self, position: u64, buf: &mut [u8]) -> io::Result<usize> {
        self.body.read_at(self.file.as_ref(), position, buf)
    }
}

/// Yields the bytes of a plan's body in order, from [`Plan::reader`].
#[derive(Debug)]
pub struct BodyReader<'a> {
    plan: &'a Plan,
    position: u64,
}

impl<'a> BodyReader<'a> {
    pub(crate) fn new(plan: &'a Plan) -> BodyReader<'a> {
        BodyReader { plan, position: 0 }
    }
}

impl Read for BodyReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let read = self.plan.read_body_at(self.position, buf)?;
        self.position += read as u64;
        Ok(read)
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
