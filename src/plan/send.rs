//! Sending a plan's body to a socket: `sendfile(2)` for the file's bytes, which never enter
//! user space, and `write(2)` for the literal parts of a multipart body.

use std::io;
use std::os::fd::{AsFd, BorrowedFd};

use crate::plan::{Plan, SegmentRef, file_shrank, no_file};
use crate::sys;

/// The most one `sendfile(2)` call moves on Linux.
const MAX_SENDFILE_CHUNK: u64 = 0x7fff_f000;

impl Plan {
    /// Writes the body to `socket`, starting at byte `*sent` of the body and adding to
    /// `*sent` what it writes, so that a call can resume where the last one stopped.
    ///
    /// Partial writes and `EINTR` are handled here. On a non-blocking socket that is full
    /// the call returns an error of kind [`io::ErrorKind::WouldBlock`] with `*sent` up to
    /// date; call again when the socket is writable. A file that shrinks while it is sent
    /// gives [`io::ErrorKind::UnexpectedEof`]: the response is then truncated and the
    /// connection must be closed. Ignore `SIGPIPE`, as servers do, or a client that hangs
    /// up ends the process.
    pub fn send_to(&self, socket: BorrowedFd<'_>, sent: &mut u64) -> io::Result<()> {
        for (index, mut within) in self.body.segments_from(*sent) {
            let Some(segment) = self.body.segment(index)? else {
                break;
            };
            let file = self.segment_file(&segment)?;
            while within < segment.len() {
                let written = match (segment, &file) {
                    (SegmentRef::Literal(bytes), _) => {
                        sys::write(socket, &bytes[within as usize..])?
                    }
                    (SegmentRef::File(range) | SegmentRef::Member { range, .. }, Some(file)) => {
                        let count = (range.length - within).min(MAX_SENDFILE_CHUNK) as usize;
                        match sys::sendfile(socket, file.as_fd(), range.offset + within, count)? {
                            0 => return Err(file_shrank()),
                            written => written,
                        }
                    }
                    (_, None) => return Err(no_file()),
                };
                within += written as u64;
                *sent += written as u64;
            }
        }
        Ok(())
    }
}
