//! `Plan`: one answer, its parts, and its body as chunks read without the GIL.

use std::os::fd::AsRawFd;
use std::path::Path;

use pyo3::exceptions::{PyIndexError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyBytes;
use sendfile::{Body, Plan, SegmentRef};

/// A segment described for Python once the GIL is held again.
enum Described {
    Bytes(Vec<u8>),
    Run(i32, u64, u64),
}

/// Bytes read per chunk when the body is iterated.
const CHUNK: usize = 256 * 1024;

/// The plan of one answer: status, headers, body; owns the open file until closed.
#[pyclass(module = "sendfile_rs._native", name = "Plan")]
pub(crate) struct PyPlan {
    plan: Plan,
    position: u64,
    closed: bool,
    tcp_cork: bool,
}

impl PyPlan {
    /// The plan, and whether its configuration asks for the socket to be corked.
    pub(crate) fn new(plan: Plan, tcp_cork: bool) -> PyPlan {
        PyPlan {
            plan,
            position: 0,
            closed: false,
            tcp_cork,
        }
    }
}

#[pymethods]
impl PyPlan {
    /// The status code.
    #[getter]
    fn status(&self) -> u16 {
        self.plan.status()
    }

    /// Whether the server's socket is corked while the body goes out (the `tcp_cork`
    /// option of the configuration that made the plan).
    #[getter]
    fn tcp_cork(&self) -> bool {
        self.tcp_cork
    }

    /// The response headers, in order, as (name, value) pairs.
    #[getter]
    fn headers(&self) -> Vec<(&'static str, String)> {
        self.plan.headers().to_vec()
    }

    /// The headers as WSGI wants them: each value a native string holding its UTF-8 bytes
    /// one latin-1 character each (ASCII values, nearly all of them, unchanged), so that a
    /// server's latin-1 encoding puts the UTF-8 bytes on the wire.
    #[getter]
    fn wire_headers(&self) -> Vec<(&'static str, String)> {
        self.plan
            .headers()
            .iter()
            .map(|(name, value)| {
                let wire = if value.is_ascii() {
                    value.clone()
                } else {
                    value.bytes().map(char::from).collect()
                };
                (*name, wire)
            })
            .collect()
    }

    /// Number of bytes in the body (0 for HEAD, header-only backends, 304, 412, 416).
    #[getter]
    fn content_length(&self) -> u64 {
        self.plan.body_length()
    }

    /// The absolute path of the file the plan names (`..` resolved on the text, never
    /// percent-encoded), or None for a file with no path on this machine.
    #[getter]
    fn path(&self) -> Option<&str> {
        self.plan.path().and_then(Path::to_str)
    }

    /// Size of the whole file, or None when it is not known.
    #[getter]
    fn file_size(&self) -> Option<u64> {
        self.plan.file_size()
    }

    /// The runs of the file the body sends, as (offset, length) pairs.
    #[getter]
    fn ranges(&self) -> Vec<(u64, u64)> {
        self.plan
            .ranges()
            .iter()
            .map(|r| (r.offset, r.length))
            .collect()
    }

    /// What the body is: "empty", "file" (one run of the file), "multipart" or
    /// "archive" (runs of many files between records made in memory).
    #[getter]
    fn body(&self) -> &'static str {
        match self.plan.body() {
            Body::Empty => "empty",
            Body::File(_) => "file",
            Body::Multipart(_) => "multipart",
            Body::Archive(_) => "archive",
        }
    }

    /// Number of segments the body is made of, in sending order (0 for an empty body, 1
    /// for one run of the file).
    #[getter]
    fn segment_count(&self) -> usize {
        self.plan.body().segment_count()
    }

    /// The segment at `index`: bytes to send as they are (a multipart boundary, an
    /// archive's records), or a run of a file as `(descriptor, offset, length)`, for a
    /// server that sends a file's bytes itself (ASGI's `http.response.zerocopysend`). The
    /// plan owns the descriptor. An archive's segment may read a member for its CRC (the
    /// GIL is released), and the descriptor of a member of an archive of more than 256
    /// is valid until the next call for another member.
    fn segment(&self, py: Python<'_>, index: usize) -> PyResult<Py<PyAny>> {
        if self.closed {
            return Err(PyValueError::new_err("the plan is closed"));
        }
        let plan = &self.plan;
        let described = py.detach(|| -> std::io::Result<Option<Described>> {
            let Some(segment) = plan.body().segment(index)? else {
                return Ok(None);
            };
            Ok(Some(match segment {
                SegmentRef::Literal(bytes) => Described::Bytes(bytes.to_vec()),
                SegmentRef::File(range) | SegmentRef::Member { range, .. } => {
                    let file = plan
                        .segment_file(&segment)?
                        .ok_or_else(|| std::io::Error::other("no file"))?;
                    Described::Run(file.as_raw_fd(), range.offset, range.length)
                }
            }))
        })?;
        match described {
            None => Err(PyIndexError::new_err(format!(
                "segment index {index} is not below the segment count {}",
                plan.body().segment_count()
            ))),
            Some(Described::Bytes(bytes)) => Ok(PyBytes::new(py, &bytes).into_any().unbind()),
            Some(Described::Run(fd, offset, length)) => {
                Ok((fd, offset, length).into_pyobject(py)?.into_any().unbind())
            }
        }
    }

    /// Whether close() was called.
    #[getter]
    fn closed(&self) -> bool {
        self.closed
    }

    /// The descriptor of the open file, or None when the front server sends the file, the
    /// answer has no body, or the plan is closed. The plan owns it: do not close it.
    fn fileno(&self) -> Option<i32> {
        self.plan.file().map(AsRawFd::as_raw_fd)
    }

    /// Closes the file. Idempotent; the status and headers stay readable.
    fn close(&mut self) {
        drop(self.plan.take_file());
        self.closed = true;
    }

    fn __enter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    #[pyo3(signature = (*_exc))]
    fn __exit__(&mut self, _exc: &Bound<'_, pyo3::types::PyTuple>) {
        self.close();
    }

    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    /// The next chunk of the body, read from the file without holding the GIL.
    fn __next__(&mut self, py: Python<'_>) -> PyResult<Option<Py<PyBytes>>> {
        if self.position >= self.plan.body_length() {
            return Ok(None);
        }
        if self.closed {
            return Err(PyValueError::new_err("the plan is closed"));
        }
        let remaining = self.plan.body_length() - self.position;
        let length = CHUNK.min(usize::try_from(remaining).unwrap_or(CHUNK));
        let plan = &self.plan;
        let position = self.position;
        // Read straight into the bytes object, without the GIL: no second copy.
        let mut read = 0;
        let chunk = PyBytes::new_with(py, length, |bytes| {
            read = py.detach(|| plan.read_body_at(position, bytes))?;
            Ok(())
        })?;
        self.position += read as u64;
        if read < length {
            // A short read (a file at its end): the bytes read, and the rest next time.
            return Ok(Some(PyBytes::new(py, &chunk.as_bytes()[..read]).unbind()));
        }
        Ok(Some(chunk.unbind()))
    }
}
