//! nginx: `X-Accel-Redirect` to an internal location, and the `X-Accel-*` knobs.
//!
//! nginx percent-decodes the URI and treats `?` as the start of a query, so the path is
//! percent-encoded; it keeps only a few of the application's headers (`Content-Type`,
//! `Content-Disposition`, `Cache-Control`, `Expires`, `Set-Cookie`, `Accept-Ranges`) and
//! computes validators itself.
//! An object in a store is `nginx_object`'s.

use crate::backend::Offload;
use crate::config::Config;
use crate::error::Result;
use crate::handover::encoding::url_of;
use crate::handover::header::Handover;
use crate::options::config::AccelExpires;
use crate::source::LocalFile;

pub(super) fn handover(config: &Config, file: &LocalFile<'_>) -> Result<Handover> {
    Ok(accel_headers(config, url_of(config, file.relative())))
}

/// `X-Accel-Redirect` to `target`, then the knobs the options set.
pub(super) fn accel_headers(config: &Config, target: String) -> Handover {
    let accel = &config.options.accel;
    let mut headers = vec![(Offload::AccelRedirect.header(), target)];
    if let Some(buffering) = accel.buffering {
        headers.push((
            "X-Accel-Buffering",
            if buffering { "yes" } else { "no" }.to_owned(),
        ));
    }
    if let Some(rate) = accel.limit_rate {
        headers.push(("X-Accel-Limit-Rate", rate.to_string()));
    }
    if let Some(expires) = accel.expires {
        let value = match expires {
            AccelExpires::Off => "off".to_owned(),
            AccelExpires::Seconds(seconds) => seconds.to_string(),
            AccelExpires::Until(epoch) => format!("@{epoch}"),
        };
        headers.push(("X-Accel-Expires", value));
    }
    if let Some(charset) = &accel.charset {
        headers.push(("X-Accel-Charset", charset.clone()));
    }
    headers
}
