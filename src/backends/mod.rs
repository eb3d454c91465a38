//! One small unit per backend, and the dispatch between them.
//!
//! `served` gives the full HTTP answer for the backends where the application sends the
//! bytes; `offloaded` the header-only answer a front server completes, with the one header
//! each front server reads coming from its own module. Which of the two a backend takes
//! is the backend table's `delivery` (`src/backend.rs`) for a file on this machine. An
//! object in a store (`src/source`) is never sent by the application: `redirect` answers
//! with a presigned URL, but under nginx, which proxies the object from the store.

mod lighttpd;
mod mod_wsgi;
mod nginx;
mod offloaded;
mod presentation;
mod redirect;
mod served;
pub(crate) mod url;
mod xsendfile;

use crate::backend::{Delivery, Offload};
use crate::config::Config;
use crate::error::Result;
use crate::file_options::FileOptions;
use crate::plan::Plan;
use crate::request::Request;
use crate::source::SourceFile;

use offloaded::HeaderWriter;
use presentation::Presentation;

/// Plans the answer to `request` for `file` under `config`.
pub(crate) fn plan(config: &Config, request: &Request, file: &FileOptions) -> Result<Plan> {
    let source = SourceFile::locate(config, file)?;
    let presentation = Presentation::new(config, file, source.relative())?;
    let declared_length = file.content_length;
    match source {
        SourceFile::Local(local) => match config.backend.delivery() {
            Delivery::Served => served::plan(config, request, local, presentation, declared_length),
            Delivery::Offloaded(unit) => offloaded::plan(
                config,
                local,
                presentation,
                declared_length,
                header_writer(unit),
            ),
        },
        // The application never sends an object: nginx proxies it (the nginx backend),
        // or the client is redirected to it (every other backend).
        SourceFile::Store(object) => match config.backend.delivery() {
            Delivery::Offloaded(Offload::AccelRedirect) => Ok(offloaded::plan_object(
                config,
                presentation,
                declared_length,
                nginx::object_handover(config, &object),
            )),
            _ => Ok(redirect::plan(
                config,
                request,
                &object,
                presentation,
                declared_length,
            )),
        },
    }
}

/// The unit that writes what a front server reads.
fn header_writer(unit: Offload) -> HeaderWriter {
    match unit {
        Offload::XSendfile => xsendfile::handover,
        Offload::AccelRedirect => nginx::handover,
        Offload::Location => mod_wsgi::handover,
        Offload::LighttpdSendfile => lighttpd::handover,
    }
}
