//! Apache mod_xsendfile: `X-Sendfile` with the absolute path.
//!
//! Version 0.12, the one Debian and Ubuntu ship, opens the header's bytes as they are, so
//! the path goes raw (UTF-8); version 1.0 with `XSendFileUnescape On` decodes it, for which
//! [`crate::Options::xsendfile_percent_encode`] encodes it. A path with a control character
//! cannot be sent raw and is refused.

use crate::backend::Offload;
use crate::config::Config;
use crate::error::{Error, Result};
use crate::handover::encoding::encode_path;
use crate::handover::header::Handover;
use crate::http::field::check_value;
use crate::source::LocalFile;

pub(super) fn handover(config: &Config, file: &LocalFile<'_>) -> Result<Handover> {
    let path = file.absolute_path();
    let value = if config.options.xsendfile_percent_encode {
        encode_path(path)
    } else {
        // A file name may hold a line break; sent raw it would split the header.
        check_value("the path", path).map_err(|_| {
            Error::InvalidArgument(
                "the path contains a control character, which mod_xsendfile cannot be sent \
                 without percent-encoding (see xsendfile_percent_encode)"
                    .to_owned(),
            )
        })?;
        path.to_owned()
    };
    Ok(vec![(Offload::XSendfile.header(), value)])
}
