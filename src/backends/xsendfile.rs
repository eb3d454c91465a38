//! Apache mod_xsendfile: `X-Sendfile` with the absolute path.
//!
//! Version 0.12, the one Debian and Ubuntu ship, opens the header's bytes as they are, so
//! the path goes raw (UTF-8); version 1.0 with `XSendFileUnescape On` decodes it, for which
//! [`crate::Options::xsendfile_percent_encode`] encodes it.

use crate::backends::url::{absolute_path_of, encode_path};
use crate::config::Config;
use crate::path::normalize::RelativePath;

pub(super) fn headers(config: &Config, relative: &RelativePath) -> Vec<(&'static str, String)> {
    let path = absolute_path_of(config, relative);
    let value = if config.options.xsendfile_percent_encode {
        encode_path(&path)
    } else {
        path
    };
    vec![("X-Sendfile", value)]
}
