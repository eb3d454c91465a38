//! mod_wsgi in daemon mode: a 200 with a path-only `Location` becomes an internal redirect.

use crate::backends::url::url_of;
use crate::config::Config;
use crate::error::Result;
use crate::path::normalize::RelativePath;

pub(super) fn headers(
    config: &Config,
    relative: &RelativePath,
) -> Result<Vec<(&'static str, String)>> {
    Ok(vec![("Location", url_of(config, relative))])
}
