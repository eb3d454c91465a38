//! One small unit per backend, and the dispatch between them.
//!
//! `served` gives the full HTTP answer for the backends where the application sends the
//! bytes; `offloaded` the header-only answer a front server completes, with the one header
//! each front server reads coming from its own module.

mod lighttpd;
mod mod_wsgi;
mod nginx;
mod offloaded;
mod presentation;
mod served;
mod url;
mod xsendfile;

use crate::backend::{Delivery, Offload};
use crate::config::Config;
use crate::error::Result;
use crate::file_options::FileOptions;
use crate::path::normalize::relative_to_root;
use crate::plan::Plan;
use crate::request::Request;

use offloaded::OffloadHeaders;
use presentation::Presentation;

/// Plans the answer to `request` for `file` under `config`.
pub(crate) fn plan(config: &Config, request: &Request, file: &FileOptions) -> Result<Plan> {
    let canonical_root = || {
        std::fs::canonicalize(&config.root)
            .ok()
            .and_then(|path| path.to_str().map(str::to_owned))
    };
    let relative = relative_to_root(&file.path, &config.root_text, canonical_root)?;
    let presentation = Presentation::new(config, file, &relative)?;
    match config.backend.delivery() {
        Delivery::Served => served::plan(
            config,
            request,
            &relative,
            presentation,
            file.content_length,
        ),
        Delivery::Offloaded(unit) => offloaded::plan(
            config,
            &relative,
            presentation,
            file.content_length,
            header_writer(unit),
        ),
    }
}

/// The unit that writes the header a front server reads.
fn header_writer(unit: Offload) -> OffloadHeaders {
    match unit {
        Offload::XSendfile => xsendfile::headers,
        Offload::AccelRedirect => nginx::headers,
        Offload::Location => mod_wsgi::headers,
        Offload::LighttpdSendfile => lighttpd::headers,
    }
}

/// Checks a declared size against the size of the opened file.
fn check_declared_length(declared: Option<u64>, actual: u64) -> Result<()> {
    match declared {
        Some(declared) if declared != actual => Err(crate::Error::InvalidArgument(format!(
            "the declared content length {declared} differs from the file's size {actual}"
        ))),
        _ => Ok(()),
    }
}
