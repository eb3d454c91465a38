//! `multipart/byteranges` bodies (RFC 9110 section 14.6) for several ranges.

use std::fmt::Write;

use crate::error::{Error, Result};
use crate::http::range::ByteRange;
use crate::plan::Segment;

/// A multipart body: its `Content-Type` header and its segments.
#[derive(Debug)]
pub(crate) struct Multipart {
    pub content_type: String,
    pub segments: Vec<Segment>,
}

impl Multipart {
    /// Total number of bytes of the body.
    pub fn length(&self) -> u64 {
        self.segments.iter().map(Segment::len).sum()
    }
}

/// Builds the body for `ranges` of a file of `size` bytes whose type is `part_type`, with a
/// fresh random boundary that no file content can be expected to contain.
pub(crate) fn build(ranges: &[ByteRange], size: u64, part_type: &str) -> Result<Multipart> {
    let boundary = random_boundary()?;
    let mut segments = Vec::with_capacity(ranges.len() * 2 + 1);
    for (index, range) in ranges.iter().enumerate() {
        let mut head = String::with_capacity(96 + part_type.len());
        if index > 0 {
            head.push_str("\r\n");
        }
        // Writing to a String cannot fail.
        let _ = write!(
            head,
            "--{boundary}\r\nContent-Type: {part_type}\r\nContent-Range: bytes {}-{}/{size}\r\n\r\n",
            range.offset,
            range.end() - 1,
        );
        segments.push(Segment::Literal(head.into_bytes()));
        segments.push(Segment::File(*range));
    }
    segments.push(Segment::Literal(
        format!("\r\n--{boundary}--\r\n").into_bytes(),
    ));
    Ok(Multipart {
        content_type: format!("multipart/byteranges; boundary={boundary}"),
        segments,
    })
}

fn random_boundary() -> Result<String> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|err| {
        Error::Io(std::io::Error::other(format!(
            "no randomness for a multipart boundary: {err}"
        )))
    })?;
    let mut boundary = String::with_capacity(32);
    for byte in bytes {
        let _ = write!(boundary, "{byte:02x}");
    }
    Ok(boundary)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_are_framed_as_rfc_9110_shows() {
        let ranges = [
            ByteRange {
                offset: 0,
                length: 2,
            },
            ByteRange {
                offset: 5,
                length: 3,
            },
        ];
        let multipart = build(&ranges, 10, "text/plain").unwrap();
        let boundary = multipart
            .content_type
            .strip_prefix("multipart/byteranges; boundary=")
            .unwrap()
            .to_owned();
        assert_eq!(boundary.len(), 32);
        let literal = |text: String| Segment::Literal(text.into_bytes());
        assert_eq!(
            multipart.segments,
            vec![
                literal(format!(
                    "--{boundary}\r\nContent-Type: text/plain\r\nContent-Range: bytes 0-1/10\r\n\r\n"
                )),
                Segment::File(ranges[0]),
                literal(format!(
                    "\r\n--{boundary}\r\nContent-Type: text/plain\r\nContent-Range: bytes 5-7/10\r\n\r\n"
                )),
                Segment::File(ranges[1]),
                literal(format!("\r\n--{boundary}--\r\n")),
            ]
        );
    }

    #[test]
    fn boundaries_differ_between_responses() {
        let ranges = [ByteRange {
            offset: 0,
            length: 1,
        }];
        let a = build(&ranges, 2, "x/y").unwrap().content_type;
        let b = build(&ranges, 2, "x/y").unwrap().content_type;
        assert_ne!(a, b);
    }
}
