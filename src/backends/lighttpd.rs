//! lighttpd: `X-Sendfile` with the absolute path, percent-encoded because lighttpd 1.4
//! decodes it.

use crate::backends::offloaded::Handover;
use crate::backends::url::encode_path;
use crate::config::Config;
use crate::error::Result;
use crate::source::LocalFile;

pub(super) fn handover(_config: &Config, file: &LocalFile<'_>) -> Result<Handover> {
    let path = encode_path(file.absolute_path());
    Ok(vec![("X-Sendfile", path)])
}
