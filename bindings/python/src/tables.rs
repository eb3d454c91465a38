//! The core's tables for Python: what each backend is (`BACKENDS`), which request
//! headers a plan reads (`PLAN_HEADERS`), the options' names (`OPTION_NAMES`), and what an
//! object store's nginx location must know (`store_target`, `store_location`,
//! `STORE_HIDDEN_HEADERS`, the store defaults). The Django checks, the configuration
//! generator and the Django integration read these instead of keeping lists of their own.

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};
use sendfile::{
    Addressing, Backend, DEFAULT_STORE_LIFETIME, DEFAULT_STORE_LOCATION, DEFAULT_STORE_REGION,
    OPTION_NAMES, PLAN_HEADERS, STORE_HIDDEN_HEADERS, StoreTarget,
    store_location as normalize_location,
};

use crate::errors::to_python;

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

    /// The header that hands the file to the front server; None when the application
    /// sends the body.
    #[getter]
    fn handover_header(&self) -> Option<&'static str> {
        self.backend.handover_header()
    }

    /// Whether its first front server proxies objects from a store (the others redirect).
    #[getter]
    fn proxies_stores(&self) -> bool {
        self.backend.proxies_stores()
    }

    fn __repr__(&self) -> String {
        format!("<Backend {}>", self.backend.name())
    }
}

/// Adds `Backend`, `BACKENDS`, `PLAN_HEADERS`, `OPTION_NAMES` and the store's constants to
/// the module.
pub(crate) fn register(module: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = module.py();
    module.add_class::<PyBackend>()?;
    let backends = Backend::ALL
        .into_iter()
        .map(|backend| Py::new(py, PyBackend { backend }))
        .collect::<PyResult<Vec<_>>>()?;
    module.add("BACKENDS", PyTuple::new(py, backends)?)?;
    module.add("PLAN_HEADERS", PyTuple::new(py, PLAN_HEADERS)?)?;
    module.add("OPTION_NAMES", PyTuple::new(py, OPTION_NAMES)?)?;
    module.add(
        "STORE_HIDDEN_HEADERS",
        PyTuple::new(py, STORE_HIDDEN_HEADERS)?,
    )?;
    module.add("DEFAULT_STORE_LOCATION", DEFAULT_STORE_LOCATION)?;
    module.add("DEFAULT_STORE_LIFETIME", DEFAULT_STORE_LIFETIME)?;
    module.add("DEFAULT_STORE_REGION", DEFAULT_STORE_REGION)?;
    let addressings: Vec<&str> = Addressing::ALL.into_iter().map(Addressing::name).collect();
    module.add("STORE_ADDRESSINGS", PyTuple::new(py, addressings)?)?;
    module.add_function(wrap_pyfunction!(store_target, module)?)?;
    module.add_function(wrap_pyfunction!(store_location, module)?)?;
    Ok(())
}

/// Where `bucket` at `endpoint` is reached with `addressing` (`"path"` or `"virtual"`),
/// as the core checks and signs it: `scheme`, `host` (the signed Host header),
/// `host_name`, `port` and `base_path` (`"/bucket"` or `""`).
#[pyfunction]
#[pyo3(signature = (endpoint, bucket, addressing="path"))]
fn store_target<'py>(
    py: Python<'py>,
    endpoint: &str,
    bucket: &str,
    addressing: &str,
) -> PyResult<Bound<'py, PyDict>> {
    let addressing: Addressing = addressing.parse().map_err(to_python)?;
    let target = StoreTarget::new(endpoint, bucket, addressing).map_err(to_python)?;
    let dict = PyDict::new(py);
    dict.set_item("scheme", target.scheme)?;
    dict.set_item("host", target.host)?;
    dict.set_item("host_name", target.host_name)?;
    dict.set_item("port", target.port)?;
    dict.set_item("base_path", target.base_path)?;
    Ok(dict)
}

/// The store's internal nginx location (`store_location`) as plans name it: checked by
/// the core's rule and without a trailing slash; `ConfigurationError` when the core
/// refuses it.
#[pyfunction]
fn store_location(location: &str) -> PyResult<String> {
    normalize_location(location).map_err(to_python)
}
