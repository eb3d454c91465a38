//! The header-only answer for backends where a front server sends the file.
//!
//! No `Content-Length`: the body is not ours to describe, and the front server sets it.
//! The status is the one the front server acts on, which each unit says with its headers
//! (always 200 today: mod_xsendfile acts on nothing else). The file is still opened, to
//! prove it exists and lies under the root, unless the configuration says it is not local.
//! A declared length is the size of what the front server will send, which the caller
//! knows better than the local file (a copy, a file that is being replaced): it is taken
//! as the file's size whatever the local file's, as django-sendfile2 takes it.

use crate::backends::presentation::Presentation;
use crate::config::Config;
use crate::error::Result;
use crate::plan::{Body, Plan};
use crate::source::SourceFile;

/// What one front server is told: the status it acts on and the headers it reads.
pub(super) struct Handover {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
}

impl Handover {
    /// A 200 with `headers`, which is what every front server of today acts on.
    pub fn ok(headers: Vec<(&'static str, String)>) -> Handover {
        Handover {
            status: 200,
            headers,
        }
    }
}

/// Writes what one front server reads, for the file `source` names.
pub(super) type HeaderWriter = fn(&Config, &SourceFile<'_>) -> Result<Handover>;

pub(super) fn plan(
    config: &Config,
    source: SourceFile<'_>,
    presentation: Presentation,
    declared_length: Option<u64>,
    header_writer: HeaderWriter,
) -> Result<Plan> {
    // An object in a store cannot be looked at without a request to the store.
    let file_size = if config.options.check_file_exists && source.is_local() {
        let opened = source.open()?;
        Some(declared_length.unwrap_or(opened.metadata.len()))
    } else {
        declared_length
    };
    let handover = header_writer(config, &source)?;
    let mut headers = Vec::with_capacity(8);
    headers.push(("Content-Type", presentation.content_type));
    headers.push(("Content-Disposition", presentation.content_disposition));
    if let Some(encoding) = presentation.content_encoding {
        headers.push(("Content-Encoding", encoding));
    }
    if let Some(cache_control) = &config.options.cache_control {
        headers.push(("Cache-Control", cache_control.clone()));
    }
    headers.extend(handover.headers);
    Ok(Plan {
        status: handover.status,
        headers,
        body: Body::Empty,
        file: None,
        file_size,
        path: source.into_path(),
    })
}
