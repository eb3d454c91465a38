//! The header-only answer for backends where a front server sends the file.
//!
//! No `Content-Length`: the body is not ours to describe, and the front server sets it.
//! The status is 200, the only one every front server acts on (mod_xsendfile acts on no
//! other). A local file is still opened, to prove it exists and lies under the root,
//! unless the configuration says it is not local; an object in a store cannot be looked
//! at without a request to the store, so it is only named. A declared length is the size
//! of what the front server will send, which the caller knows better than the local file
//! (a copy, a file that is being replaced): it is taken as the file's size whatever the
//! local file's, as django-sendfile2 takes it.

use std::path::PathBuf;

use crate::config::Config;
use crate::error::Result;
use crate::handover::header::{Handover, HeaderWriter};
use crate::plan::{Body, Plan};
use crate::planner::presentation::Presentation;
use crate::source::LocalFile;

/// The answer for a file on this machine, which `header_writer` names to its front server.
pub(super) fn plan(
    config: &Config,
    file: LocalFile<'_>,
    presentation: Presentation,
    declared_length: Option<u64>,
    header_writer: HeaderWriter,
) -> Result<Plan> {
    let file_size = if config.options.check_file_exists {
        let opened = file.open()?;
        Some(declared_length.unwrap_or(opened.metadata.len()))
    } else {
        declared_length
    };
    let handover = header_writer(config, &file)?;
    Ok(answer(
        config,
        presentation,
        handover,
        file_size,
        Some(file.into_absolute_path()),
    ))
}

/// The answer for an object in a store, which `handover` names to the front server.
#[cfg(feature = "store")]
pub(super) fn plan_object(
    config: &Config,
    presentation: Presentation,
    declared_length: Option<u64>,
    handover: Handover,
) -> Plan {
    answer(config, presentation, handover, declared_length, None)
}

fn answer(
    config: &Config,
    presentation: Presentation,
    handover: Handover,
    file_size: Option<u64>,
    path: Option<PathBuf>,
) -> Plan {
    let mut headers = Vec::with_capacity(8);
    headers.push(("Content-Type", presentation.content_type));
    headers.push(("Content-Disposition", presentation.content_disposition));
    if let Some(encoding) = presentation.content_encoding {
        headers.push(("Content-Encoding", encoding));
    }
    if let Some(cache_control) = &config.options.cache_control {
        headers.push(("Cache-Control", cache_control.clone()));
    }
    headers.extend(handover);
    Plan {
        status: 200,
        headers,
        body: Body::Empty,
        file: None,
        file_size,
        path,
    }
}
