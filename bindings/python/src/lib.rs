//! The extension module `sendfile_rs._native`: the core's configuration and plan for
//! Python, nothing more. The Python package builds Django and WSGI on top.

mod config;
mod errors;
mod plan;
mod tables;

use pyo3::prelude::*;

/// The compiled part of sendfile_rs.
#[pymodule]
fn _native(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add_class::<config::PyConfig>()?;
    module.add_class::<plan::PyPlan>()?;
    module.add("__version__", env!("CARGO_PKG_VERSION"))?;
    tables::register(module)?;
    errors::register(module)
}
