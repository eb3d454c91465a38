//! The header-only answer for backends where a front server sends the file.
//!
//! Always a 200 (mod_xsendfile acts on nothing else), with no `Content-Length`: the body
//! is not ours to describe, and the front server sets it. The file is still opened, to
//! prove it exists and lies under the root, unless the configuration says it is not local.
//! A declared length is the size of what the front server will send, which the caller
//! knows better than the local file (a copy, a file that is being replaced): it is taken
//! as the file's size whatever the local file's, as django-sendfile2 takes it.

use crate::backends::presentation::Presentation;
use crate::config::Config;
use crate::error::Result;
use crate::path::normalize::RelativePath;
use crate::path::open_beneath;
use crate::plan::{Body, Plan};

/// The headers one front server reads, for the file at `relative`.
pub(super) type OffloadHeaders = fn(&Config, &RelativePath) -> Result<Vec<(&'static str, String)>>;

pub(super) fn plan(
    config: &Config,
    relative: &RelativePath,
    presentation: Presentation,
    declared_length: Option<u64>,
    offload_headers: OffloadHeaders,
) -> Result<Plan> {
    let file_size = if config.options.check_file_exists {
        let opened = open_beneath(&config.root, relative)?;
        Some(declared_length.unwrap_or(opened.metadata.len()))
    } else {
        declared_length
    };
    let mut headers = Vec::with_capacity(8);
    headers.push(("Content-Type", presentation.content_type));
    headers.push(("Content-Disposition", presentation.content_disposition));
    if let Some(encoding) = presentation.content_encoding {
        headers.push(("Content-Encoding", encoding));
    }
    if let Some(cache_control) = &config.options.cache_control {
        headers.push(("Cache-Control", cache_control.clone()));
    }
    headers.extend(offload_headers(config, relative)?);
    Ok(Plan {
        status: 200,
        headers,
        body: Body::Empty,
        file: None,
        file_size,
    })
}
