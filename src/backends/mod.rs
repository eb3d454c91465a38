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

use crate::backend::Backend;
use crate::config::Config;
use crate::error::Result;
use crate::file_options::FileOptions;
use crate::path::normalize::relative_to_root;
use crate::plan::Plan;
use crate::request::Request;

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
    match config.backend {
        Backend::Simple | Backend::Development => served::plan(
            config,
            request,
            &relative,
            presentation,
            file.content_length,
        ),
        Backend::XSendfile => offloaded::plan(
            config,
            &relative,
            presentation,
            file.content_length,
            xsendfile::headers,
        ),
        Backend::Nginx => offloaded::plan(
            config,
            &relative,
            presentation,
            file.content_length,
            nginx::headers,
        ),
        Backend::ModWsgi => offloaded::plan(
            config,
            &relative,
            presentation,
            file.content_length,
            mod_wsgi::headers,
        ),
        Backend::Lighttpd => offloaded::plan(
            config,
            &relative,
            presentation,
            file.content_length,
            lighttpd::headers,
        ),
    }
}
