//! `Config`: the configuration, and the planning of one answer.

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::PathBuf;
use std::sync::Arc;

use pyo3::exceptions::PyTypeError;
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyDict, PyInt, PyString};
use sendfile::{
    ArchiveMember, Backend, Config, Disposition, DownloadName, FileOptions, Method, OptionValue,
    Options, Request,
};

use crate::errors::{plan_error, to_python};
use crate::plan::PyPlan;

/// A validated, immutable configuration; share one between threads.
#[pyclass(frozen, module = "sendfile_rs._native", name = "Config")]
pub(crate) struct PyConfig {
    config: Arc<Config>,
}

#[pymethods]
impl PyConfig {
    #[new]
    #[pyo3(signature = (backend, root, url=None, options=None))]
    fn new(
        backend: &str,
        root: Option<PathBuf>,
        url: Option<&str>,
        options: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<PyConfig> {
        let backend: Backend = backend.parse().map_err(to_python)?;
        let mut builder = Config::builder(backend);
        // None for a configuration whose files are objects in a store.
        if let Some(root) = root {
            builder = builder.root(root);
        }
        if let Some(url) = url {
            builder = builder.url(url);
        }
        if let Some(options) = options {
            builder = builder.options(options_from(options)?);
        }
        Ok(PyConfig {
            config: Arc::new(builder.build().map_err(to_python)?),
        })
    }

    /// The backend's name.
    #[getter]
    fn backend(&self) -> &'static str {
        self.config.backend().name()
    }

    /// The internal nginx location the plans name for objects in a store, None for a root.
    #[getter]
    fn store_location(&self) -> Option<&str> {
        self.config.store_location()
    }

    /// Plans the answer to one request for the file at `path`.
    #[pyo3(signature = (
        path, *, method="GET", headers=None, attachment=false, attachment_filename=None,
        mimetype=None, encoding=None, content_length=None
    ))]
    #[allow(clippy::too_many_arguments)]
    fn plan(
        &self,
        py: Python<'_>,
        path: &Bound<'_, PyAny>,
        method: &str,
        headers: Option<&Bound<'_, PyAny>>,
        attachment: bool,
        attachment_filename: Option<&Bound<'_, PyAny>>,
        mimetype: Option<String>,
        encoding: Option<String>,
        content_length: Option<u64>,
    ) -> PyResult<PyPlan> {
        let request = request_of(method, headers)?;
        let requested = path_of(path)?;
        let mut file = FileOptions::new(requested.clone())
            .disposition(if attachment {
                Disposition::Attachment
            } else {
                Disposition::Inline
            })
            .download_name(download_name(attachment_filename)?);
        if let Some(mimetype) = mimetype {
            file = file.content_type(mimetype);
        }
        if let Some(encoding) = encoding {
            file = file.encoding(encoding);
        }
        if let Some(length) = content_length {
            file = file.content_length(length);
        }
        let config = Arc::clone(&self.config);
        let tcp_cork = config.options().tcp_cork;
        // Opening and stat-ing the file may wait on the disk: let other threads run.
        let plan = py.detach(move || config.plan(&request, &file));
        Ok(PyPlan::new(
            plan.map_err(|error| plan_error(error, &requested))?,
            tcp_cork,
        ))
    }

    /// The plan for `members` as one ZIP archive offered as `filename`. Each member is
    /// a path (named inside after its last component) or a `(path, name)` or
    /// `(path, name, crc32)` tuple.
    #[pyo3(signature = (members, *, method="GET", headers=None, filename="archive.zip"))]
    fn plan_archive(
        &self,
        py: Python<'_>,
        members: &Bound<'_, PyAny>,
        method: &str,
        headers: Option<&Bound<'_, PyAny>>,
        filename: &str,
    ) -> PyResult<PyPlan> {
        let request = request_of(method, headers)?;
        let members = members
            .try_iter()?
            .map(|member| archive_member(&member?))
            .collect::<PyResult<Vec<_>>>()?;
        let config = Arc::clone(&self.config);
        let tcp_cork = config.options().tcp_cork;
        let filename = filename.to_owned();
        // Opening every member may wait on the disk: let other threads run.
        let plan = py.detach(move || config.plan_archive(&request, &members, &filename));
        Ok(PyPlan::new(plan.map_err(to_python)?, tcp_cork))
    }
}

/// The request of `method` with `headers` (any mapping or pairs), as a plan reads it.
fn request_of(method: &str, headers: Option<&Bound<'_, PyAny>>) -> PyResult<Request> {
    let mut request = Request::new(Method::parse(method));
    if let Some(headers) = headers {
        add_headers(&mut request, headers)?;
    }
    Ok(request)
}

/// One member of an archive from Python: a path, `(path, name)` or `(path, name, crc32)`.
fn archive_member(member: &Bound<'_, PyAny>) -> PyResult<ArchiveMember> {
    let Ok(tuple) = member.cast::<pyo3::types::PyTuple>() else {
        return Ok(ArchiveMember::new(path_of(member)?));
    };
    let (path, name, crc32) = match tuple.len() {
        2 => (tuple.get_item(0)?, tuple.get_item(1)?, None),
        3 => (
            tuple.get_item(0)?,
            tuple.get_item(1)?,
            Some(tuple.get_item(2)?),
        ),
        count => {
            return Err(PyTypeError::new_err(format!(
                "an archive member is a path, (path, name) or (path, name, crc32), not a \
                 tuple of {count}"
            )));
        }
    };
    let mut member = ArchiveMember::new(path_of(&path)?).name(name.extract::<String>()?);
    if let Some(crc32) = crc32.filter(|crc32| !crc32.is_none()) {
        member = member.crc32(crc32.extract::<u32>()?);
    }
    Ok(member)
}

/// A `str` as it is, which is much cheaper than the generic path conversion; anything
/// else (a `pathlib.Path`, any `os.PathLike`, `bytes`, a `str` holding the surrogates
/// that stand for undecodable bytes) through `os.fspath` and the file-system encoding,
/// so that the core judges the bytes themselves.
fn path_of(path: &Bound<'_, PyAny>) -> PyResult<PathBuf> {
    if let Ok(text) = path.cast::<PyString>()
        && let Ok(text) = text.extract::<String>()
    {
        return Ok(PathBuf::from(text));
    }
    if let Ok(bytes) = path.cast::<PyBytes>() {
        return Ok(PathBuf::from(OsStr::from_bytes(bytes.as_bytes())));
    }
    let py = path.py();
    let fspath = py
        .import(intern!(py, "os"))?
        .getattr(intern!(py, "fspath"))?;
    fspath.call1((path,))?.extract()
}

/// django-sendfile2's `attachment_filename`: None for the file's own name, False or "" for
/// no name, a string for that name.
fn download_name(value: Option<&Bound<'_, PyAny>>) -> PyResult<DownloadName> {
    let Some(value) = value else {
        return Ok(DownloadName::Basename);
    };
    if let Ok(flag) = value.cast::<PyBool>() {
        return Ok(if flag.is_true() {
            DownloadName::Basename
        } else {
            DownloadName::Omitted
        });
    }
    let name: String = value
        .extract()
        .map_err(|_| PyTypeError::new_err("attachment_filename must be a string, None or False"))?;
    Ok(if name.is_empty() {
        DownloadName::Omitted
    } else {
        DownloadName::Given(name)
    })
}

/// Adds the headers of any mapping (or iterable of pairs); values are str or bytes.
fn add_headers(request: &mut Request, headers: &Bound<'_, PyAny>) -> PyResult<()> {
    let pairs = if headers.hasattr("items")? {
        headers.call_method0("items")?
    } else {
        headers.clone()
    };
    for pair in pairs.try_iter()? {
        let (name, value): (Bound<'_, PyAny>, Bound<'_, PyAny>) = pair?.extract()?;
        let name: String = name.extract()?;
        if let Ok(bytes) = value.cast::<PyBytes>() {
            request.add_header(name.as_bytes(), bytes.as_bytes());
        } else {
            let text: String = value.extract().map_err(|_| {
                PyTypeError::new_err(format!("the value of header {name} must be str or bytes"))
            })?;
            request.add_header(name.as_bytes(), text.as_bytes());
        }
    }
    Ok(())
}

/// Options from a dict, each value as the Python type it has: the core's one table of
/// options judges it (a bool, an int, a str read as the option's text form, a dict of
/// extension to media type); any other value is described by its `repr`.
fn options_from(options: &Bound<'_, PyDict>) -> PyResult<Options> {
    let mut parsed = Options::default();
    for (name, value) in options.iter() {
        let name: String = name.extract()?;
        if value.is_none() {
            continue;
        }
        let result = if let Ok(flag) = value.cast::<PyBool>() {
            parsed.set_value(&name, OptionValue::Bool(flag.is_true()))
        } else if let Ok(number) = value.cast::<PyInt>() {
            match number.extract::<i128>() {
                Ok(number) => parsed.set_value(&name, OptionValue::Integer(number)),
                Err(_) => {
                    let shown: String = number.repr()?.extract()?;
                    parsed.set_value(&name, OptionValue::Other(&shown))
                }
            }
        } else if let Ok(text) = value.cast::<PyString>() {
            parsed.set_value(&name, OptionValue::Text(&text.to_cow()?))
        } else if let Ok(mapping) = value.cast::<PyDict>() {
            let pairs = mapping
                .iter()
                .map(|(key, value)| Ok((key.extract()?, value.extract()?)))
                .collect::<PyResult<Vec<(String, String)>>>()?;
            parsed.set_value(&name, OptionValue::Pairs(&pairs))
        } else {
            let shown: String = value.repr()?.extract()?;
            parsed.set_value(&name, OptionValue::Other(&shown))
        };
        result.map_err(to_python)?;
    }
    Ok(parsed)
}
