//! One small unit per backend, and the dispatch between them.
//!
//! `served` gives the full HTTP answer for the backends where the application sends the
//! bytes; `offloaded` the header-only answer a front server completes, with the one header
//! each front server reads coming from its own module. Which of the two a backend takes
//! is the backend table's `delivery` (`src/backend.rs`); the file itself comes from its
//! source (`src/source`), whichever backend plans it.

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
    match delivery_of(config, &source) {
        Delivery::Served => {
            served::plan(config, request, source, presentation, file.content_length)
        }
        Delivery::Offloaded(unit) => offloaded::plan(
            config,
            source,
            presentation,
            file.content_length,
            header_writer(unit),
        ),
        Delivery::Redirect => {
            redirect::plan(config, request, &source, presentation, file.content_length)
        }
    }
}

/// The backend's delivery, but for an object in a store, which the application never
/// sends: nginx proxies it (the nginx backend), or the client is redirected to it.
fn delivery_of(config: &Config, source: &SourceFile<'_>) -> Delivery {
    let delivery = config.backend.delivery();
    match source {
        SourceFile::Store(_) if delivery != Delivery::Offloaded(Offload::AccelRedirect) => {
            Delivery::Redirect
        }
        _ => delivery,
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
