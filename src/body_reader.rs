//! Reading a plan's body as a byte stream, for callers that cannot hand the descriptor to
//! the kernel (multipart bodies in Python, tests).

use std::fs::File;
use std::io::{self, Read};
use std::os::unix::fs::FileExt;

use crate::plan::{Body, SegmentRef};

/// Yields the bytes of a plan's body in order. Reads the file with `pread`, so readers of
/// the same file do not disturb each other; a file that ends before a range does gives
/// `UnexpectedEof`, never bytes from elsewhere.
#[derive(Debug)]
pub struct BodyReader<'a> {
    body: &'a Body,
    file: Option<&'a File>,
    index: usize,
    done_in_segment: u64,
}

impl<'a> BodyReader<'a> {
    pub(crate) fn new(body: &'a Body, file: Option<&'a File>) -> BodyReader<'a> {
        BodyReader {
            body,
            file,
            index: 0,
            done_in_segment: 0,
        }
    }
}

impl Read for BodyReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while let Some(segment) = self.body.segment(self.index) {
            let remaining = segment.len() - self.done_in_segment;
            if remaining == 0 {
                self.index += 1;
                self.done_in_segment = 0;
                continue;
            }
            let want = buf
                .len()
                .min(usize::try_from(remaining).unwrap_or(usize::MAX));
            if want == 0 {
                return Ok(0);
            }
            let read = match segment {
                SegmentRef::Literal(bytes) => {
                    let start = self.done_in_segment as usize;
                    buf[..want].copy_from_slice(&bytes[start..start + want]);
                    want
                }
                SegmentRef::File(range) => {
                    let file = self.file.ok_or_else(no_file)?;
                    let read =
                        file.read_at(&mut buf[..want], range.offset + self.done_in_segment)?;
                    if read == 0 {
                        return Err(file_shrank());
                    }
                    read
                }
            };
            self.done_in_segment += read as u64;
            return Ok(read);
        }
        Ok(0)
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
