//! The one header each front server reads to send a file itself, one module per server,
//! and how paths and URLs are encoded for them (`encoding`).
//!
//! The planners (`crate::planner`) add it after the presentation headers; which server's
//! header a backend writes is the backend table's `Offload` (`src/backend.rs`).

pub(crate) mod encoding;
pub(crate) mod header;
mod lighttpd;
mod mod_wsgi;
mod nginx;
#[cfg(feature = "store")]
mod nginx_object;
mod xsendfile;

use crate::backend::Offload;
use crate::handover::header::HeaderWriter;

#[cfg(feature = "store")]
pub(crate) use nginx_object::object_handover;

/// The unit that writes what the front server of `unit` reads.
pub(crate) fn header_writer(unit: Offload) -> HeaderWriter {
    match unit {
        Offload::XSendfile => xsendfile::handover,
        Offload::AccelRedirect => nginx::handover,
        Offload::Location => mod_wsgi::handover,
        Offload::LighttpdSendfile => lighttpd::handover,
    }
}
