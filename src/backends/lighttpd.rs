//! lighttpd: `X-Sendfile` with the absolute path, percent-encoded because lighttpd 1.4
//! decodes it.

use crate::backends::url::{absolute_path_of, encode_path};
use crate::config::Config;
use crate::error::Result;
use crate::path::normalize::RelativePath;

pub(super) fn headers(
    config: &Config,
    relative: &RelativePath,
) -> Result<Vec<(&'static str, String)>> {
    let path = encode_path(&absolute_path_of(config, relative));
    Ok(vec![("X-Sendfile", path)])
}
