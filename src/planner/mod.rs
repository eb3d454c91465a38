//! The planners: from a request and a file to a plan, and the dispatch between them.
//!
//! `served` gives the full HTTP answer for the backends where the application sends the
//! bytes; `offloaded` the header-only answer a front server completes, with the one header
//! each front server reads coming from its own module (`crate::handover`). Which of the two a backend takes
//! is the backend table's `delivery` (`src/backend.rs`) for a file on this machine. An
//! object in a store (`src/source`) is never sent by the application: `redirect` answers
//! with a presigned URL, but under nginx, which proxies the object from the store.

mod archive;
mod offloaded;
mod presentation;
#[cfg(feature = "store")]
mod redirect;
mod served;

use crate::backend::Delivery;
use crate::config::Config;
use crate::error::Result;
use crate::handover;
use crate::options::file::FileOptions;
use crate::plan::Plan;
use crate::request::Request;
use crate::source::SourceFile;

use presentation::Presentation;

impl Config {
    /// Plans the answer to `request` for the file described by `file`.
    ///
    /// Errors: [`Error::NotFound`] and [`Error::OutsideRoot`] are the client's 404;
    /// [`Error::InvalidArgument`] a bad file option or path; [`Error::Configuration`] a
    /// root that cannot be opened; [`Error::Io`] anything else the system refused.
    ///
    /// [`Error::NotFound`]: crate::Error::NotFound
    /// [`Error::OutsideRoot`]: crate::Error::OutsideRoot
    /// [`Error::InvalidArgument`]: crate::Error::InvalidArgument
    /// [`Error::Configuration`]: crate::Error::Configuration
    /// [`Error::Io`]: crate::Error::Io
    pub fn plan(&self, request: &Request, file: &FileOptions) -> Result<Plan> {
        plan(self, request, file)
    }
}

/// Plans the answer to `request` for `file` under `config`.
fn plan(config: &Config, request: &Request, file: &FileOptions) -> Result<Plan> {
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
                handover::header_writer(unit),
            ),
        },
        // The application never sends an object: nginx proxies it (the nginx backend),
        // or the client is redirected to it (every other backend).
        #[cfg(feature = "store")]
        SourceFile::Store(object) if config.backend.proxies_stores() => Ok(offloaded::plan_object(
            config,
            presentation,
            declared_length,
            handover::object_handover(config, &object),
        )),
        #[cfg(feature = "store")]
        SourceFile::Store(object) => Ok(redirect::plan(
            config,
            request,
            &object,
            presentation,
            declared_length,
        )),
    }
}
