//! The one place where the core's errors become Python exceptions.

use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use sendfile::Error;

create_exception!(
    _native,
    SendfileError,
    PyException,
    "Base class of the errors sendfile_rs raises (I/O failures are OSError)."
);
create_exception!(
    _native,
    NotFound,
    SendfileError,
    "The file does not exist or is not a regular file: answer 404."
);
create_exception!(
    _native,
    OutsideRoot,
    SendfileError,
    "The path leads outside the root: answer 404, and log it."
);
create_exception!(
    _native,
    ConfigurationError,
    SendfileError,
    "The configuration cannot work: unknown backend or option, missing root or URL."
);
create_exception!(
    _native,
    InvalidArgument,
    SendfileError,
    "An argument is malformed: a header value with a line break, an overlong path."
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
