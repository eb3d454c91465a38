//! mod_wsgi in daemon mode: a 200 with a path-only `Location` becomes an internal redirect.

use crate::backends::offloaded::Handover;
use crate::backends::url::url_of;
use crate::config::Config;
use crate::error::Result;
use crate::source::SourceFile;

pub(super) fn handover(config: &Config, source: &SourceFile<'_>) -> Result<Handover> {
    Ok(Handover::ok(vec![(
        "Location",
        url_of(config, source.relative()),
    )]))
}
