//! The core's tables for Python: what each backend is (`BACKENDS`) and which request
//! headers a plan reads (`PLAN_HEADERS`). The Django checks, the configuration generator
//! and the Django integration read these instead of keeping lists of their own.

use pyo3::prelude::*;
use pyo3::types::PyTuple;
use sendfile::{Backend, PLAN_HEADERS};

/// What one backend is, as the core's table says.
#[pyclass(frozen, module = "sendfile_rs._native", name = "Backend")]
pub(crate) struct PyBackend {
    backend: Backend,
}

#[pymethods]
impl PyBackend {
    /// The name, the last part of `SENDFILE_BACKEND`.
    #[getter]
    fn name(&self) -> &'static str {
        self.backend.name()
    }

    /// Whether the application sends the body itself (else a front server does).
    #[getter]
    fn sends_body(&self) -> bool {
        self.backend.sends_body()
    }

    /// Whether the backend maps files to URLs under a prefix (`SENDFILE_URL`).
    #[getter]
    fn needs_url(&self) -> bool {
        self.backend.needs_url()
    }

    /// Whether the backend is meant for a development server only.
    #[getter]
    fn development_only(&self) -> bool {
        self.backend.development_only()
    }

    /// The front servers that complete its answers, the usual one first.
    #[getter]
    fn front_servers<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        PyTuple::new(py, self.backend.front_servers())
    }

    fn __repr__(&self) -> String {
        format!("<Backend {}>", self.backend.name())
    }
}

/// Adds `Backend`, `BACKENDS` and `PLAN_HEADERS` to the module.
pub(crate) fn register(module: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = module.py();
    module.add_class::<PyBackend>()?;
    let backends = Backend::ALL
        .into_iter()
        .map(|backend| Py::new(py, PyBackend { backend }))
        .collect::<PyResult<Vec<_>>>()?;
    module.add("BACKENDS", PyTuple::new(py, backends)?)?;
    module.add("PLAN_HEADERS", PyTuple::new(py, PLAN_HEADERS)?)?;
    Ok(())
}
