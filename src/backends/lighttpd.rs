//! lighttpd: `X-Sendfile` with the absolute path, percent-encoded because lighttpd 1.4
//! decodes it.

use crate::backends::offloaded::Handover;
use crate::backends::url::encode_path;
use crate::config::Config;
use crate::error::Result;
use crate::source::SourceFile;

pub(super) fn handover(_config: &Config, source: &SourceFile<'_>) -> Result<Handover> {
    let path = encode_path(source.absolute_path());
    Ok(Handover::ok(vec![("X-Sendfile", path)]))
}
