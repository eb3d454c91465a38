//! mod_wsgi in daemon mode: a 200 with a path-only `Location` becomes an internal redirect.

use crate::backend::Offload;
use crate::config::Config;
use crate::error::Result;
use crate::handover::encoding::url_of;
use crate::handover::header::Handover;
use crate::source::LocalFile;

pub(super) fn handover(config: &Config, file: &LocalFile<'_>) -> Result<Handover> {
    Ok(vec![(
        Offload::Location.header(),
        url_of(config, file.relative()),
    )])
}
