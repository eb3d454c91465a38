//! lighttpd: `X-Sendfile` with the absolute path, percent-encoded because lighttpd 1.4
//! decodes it.

use crate::backend::Offload;
use crate::config::Config;
use crate::error::Result;
use crate::handover::encoding::encode_path;
use crate::handover::header::Handover;
use crate::source::LocalFile;

pub(super) fn handover(_config: &Config, file: &LocalFile<'_>) -> Result<Handover> {
    let path = encode_path(file.absolute_path());
    Ok(vec![(Offload::LighttpdSendfile.header(), path)])
}
