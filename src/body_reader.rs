//! Reading a plan's body as a byte stream, for callers that cannot hand the descriptor to
//! the kernel (multipart bodies in Python, tests).

use std::fs::File;
use std::io::{self, Read};
use std::os::unix::fs::FileExt;

use crate::plan::{Body, Segment};

/// Yields the bytes of a plan's body in order. Reads the file with `pread`, so readers of
/// the same file do not disturb each other; a file that ends before a range does gives
/// `UnexpectedEof`, never bytes from elsewhere.
#[derive(Debug)]
pub struct BodyReader<'a> {
    segments: &'a [Segment],
    single: Option<Segment>,
    file: Option<&'a File>,
    index: usize,
    done_in_segment: u64,
}

impl<'a> BodyReader<'a> {
    pub(crate) fn new(body: &'a Body, file: Option<&'a File>) -> BodyReader<'a> {
        let (segments, single): (&[Segment], _) = match body {
            Body::Empty => (&[], None),
            Body::File(range) => (&[], Some(Segment::File(*range))),
            Body::Multipart(segments) => (segments, None),
        };
        BodyReader {
            segments,
            single,
            file,
            index: 0,
            done_in_segment: 0,
        }
    }

    fn current(&self) -> Option<&Segment> {
        match &self.single {
            Some(segment) => (self.index == 0).then_some(segment),
            None => self.segments.get(self.index),
        }
    }
}

impl Read for BodyReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            let Some(segment) = self.current() else {
                return Ok(0);
            };
            let remaining = segment.len() - self.done_in_segment;
            if remaining == 0 {
                self.index += 1;
                self.done_in_segment = 0;
                continue;
            }
            if buf.is_empty() {
                return Ok(0);
            }
            let want = buf
                .len()
                .min(usize::try_from(remaining).unwrap_or(usize::MAX));
            let read = match segment {
                Segment::Literal(bytes) => {
                    let start = self.done_in_segment as usize;
                    buf[..want].copy_from_slice(&bytes[start..start + want]);
                    want
                }
                Segment::File(range) => {
                    let file = self.file.ok_or_else(|| {
                        io::Error::other("the plan's file was taken; read it from there")
                    })?;
                    let read =
                        file.read_at(&mut buf[..want], range.offset + self.done_in_segment)?;
                    if read == 0 {
                        return Err(io::Error::new(
                            io::ErrorKind::UnexpectedEof,
                            "the file shrank while its body was being read",
                        ));
                    }
                    read
                }
            };
            self.done_in_segment += read as u64;
            return Ok(read);
        }
    }
}
