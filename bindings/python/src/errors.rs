//! The one place where the core's errors become Python exceptions.

use std::path::Path;

use pyo3::create_exception;
use pyo3::exceptions::{PyException, PyOSError};
use pyo3::prelude::*;
use sendfile::Error;

// The classes are named as members of `sendfile_rs`, the package that re-exports them, not
// of the extension module `_native`: pickle finds a class again by its module and name,
// so an error carried back from a task queue or a process pool unpickles only if that
// name resolves, and a traceback shows the name a user imports.

create_exception!(
    sendfile_rs,
    SendfileError,
    PyException,
    "Base class of the errors sendfile_rs raises (I/O failures are OSError)."
);
create_exception!(
    sendfile_rs,
    NotFound,
    SendfileError,
    "The file does not exist or is not a regular file: answer 404."
);
create_exception!(
    sendfile_rs,
    OutsideRoot,
    SendfileError,
    "The path leads outside the root: answer 404, and log it."
);
create_exception!(
    sendfile_rs,
    ConfigurationError,
    SendfileError,
    "The configuration cannot work: unknown backend or option, missing root or URL."
);
create_exception!(
    sendfile_rs,
    InvalidArgument,
    SendfileError,
    "An argument is malformed: a header value with a line break, a path that is not UTF-8."
);

/// Converts a core error into the matching Python exception.
pub(crate) fn to_python(error: Error) -> PyErr {
    let message = error.to_string();
    match error {
        Error::NotFound { .. } => NotFound::new_err(message),
        Error::OutsideRoot(_) => OutsideRoot::new_err(message),
        Error::Configuration(_) => ConfigurationError::new_err(message),
        Error::InvalidArgument(_) => InvalidArgument::new_err(message),
        Error::Io(io) => PyErr::from(io),
        _ => SendfileError::new_err(message),
    }
}

/// The error of planning the file at `path`. An operating-system failure becomes the
/// `OSError` subclass of its errno naming the file, as Python's own file errors do
/// (`PermissionError: [Errno 13] Permission denied: 'reports/q3.pdf'`).
pub(crate) fn plan_error(error: Error, path: &Path) -> PyErr {
    match error {
        Error::Io(io) => match io.raw_os_error() {
            Some(code) => {
                let text = io.to_string();
                let reason = text
                    .strip_suffix(&format!(" (os error {code})"))
                    .unwrap_or(&text)
                    .to_owned();
                PyOSError::new_err((code, reason, path.to_string_lossy().into_owned()))
            }
            None => PyErr::from(io),
        },
        other => to_python(other),
    }
}

/// Registers the exception classes on the module.
pub(crate) fn register(module: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = module.py();
    module.add("SendfileError", py.get_type::<SendfileError>())?;
    module.add("NotFound", py.get_type::<NotFound>())?;
    module.add("OutsideRoot", py.get_type::<OutsideRoot>())?;
    module.add("ConfigurationError", py.get_type::<ConfigurationError>())?;
    module.add("InvalidArgument", py.get_type::<InvalidArgument>())?;
    Ok(())
}
