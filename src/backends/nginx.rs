//! nginx: `X-Accel-Redirect` to an internal location, and the `X-Accel-*` knobs.
//!
//! nginx percent-decodes the URI and treats `?` as the start of a query, so the path is
//! percent-encoded; it keeps only a few of the application's headers (`Content-Type`,
//! `Content-Disposition`, `Cache-Control`, `Expires`, `Set-Cookie`, `Accept-Ranges`) and
//! computes validators itself.

use crate::backends::offloaded::Handover;
use crate::backends::url::url_of;
use crate::config::{AccelExpires, Config};
use crate::error::Result;
use crate::source::SourceFile;

pub(super) fn handover(config: &Config, source: &SourceFile<'_>) -> Result<Handover> {
    let accel = &config.options.accel;
    let mut headers = vec![("X-Accel-Redirect", url_of(config, source.relative()))];
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
    Ok(Handover::ok(headers))
}
