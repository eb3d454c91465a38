//! The configuration's options: what each one means and its default, and the checks
//! that run when a configuration is built. Setting them by name is `config_by_name`'s.

use crate::error::{Error, Result};
use crate::http::field::{check_token, check_value};
use crate::store::StoreOptions;

/// Default for [`Options::max_ranges`], as in nginx and Apache.
pub const DEFAULT_MAX_RANGES: usize = 64;

/// How long nginx may cache the response (`X-Accel-Expires`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccelExpires {
    /// `off`: do not cache.
    Off,
    /// For this many seconds.
    Seconds(u64),
    /// Until this time, in seconds since the epoch (`@` form).
    Until(u64),
}

/// Options of the nginx backend: the `X-Accel-*` headers nginx reads from the application.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct AccelOptions {
    /// `X-Accel-Buffering: yes|no`.
    pub buffering: Option<bool>,
    /// `X-Accel-Limit-Rate`: bytes per second.
    pub limit_rate: Option<u64>,
    /// `X-Accel-Expires`.
    pub expires: Option<AccelExpires>,
    /// `X-Accel-Charset`: a charset name.
    pub charset: Option<String>,
}

/// Tunable behaviour; [`Options::default`] is what most applications want.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Options {
    /// Open the file to check that it exists and lies under the root, also for the backends
    /// where the front server sends it (default `true`). Turn off only for files that are
    /// not on this machine; the check is then lexical.
    pub check_file_exists: bool,
    /// Most range specifications honoured in one `Range` header; more and the whole file is
    /// sent (default 64; 0 turns range support off).
    pub max_ranges: usize,
    /// Send the whole file (200) when a multipart answer, part headers included, would be
    /// larger than the file itself (default `true`): a defence against amplification.
    pub limit_multipart_to_file_size: bool,
    /// Send an `ETag` and honour entity tags in preconditions (default `true`).
    pub etag: bool,
    /// Send `Last-Modified` and honour dates in preconditions (default `true`).
    pub last_modified: bool,
    /// A `Cache-Control` value for every answer, `None` for none (default).
    pub cache_control: Option<String>,
    /// Media types by extension (without the dot), consulted before the built-in table.
    pub content_types: Vec<(String, String)>,
    /// Percent-encode the `X-Sendfile` path of the xsendfile backend, for mod_xsendfile 1.0
    /// with `XSendFileUnescape On` (default `false`: 0.12 reads the path raw).
    pub xsendfile_percent_encode: bool,
    /// Cork the client's TCP socket while the application sends the body (`TCP_CORK`, what
    /// nginx's `tcp_nopush` sets), where the server lets the application reach its socket
    /// (gunicorn, under WSGI). Default `false`, as nginx's `tcp_nopush`: corked, the kernel
    /// sends only full segments, which on loopback here cost a third of the throughput.
    pub tcp_cork: bool,
    /// The nginx `X-Accel-*` knobs.
    pub accel: AccelOptions,
    /// An object store that holds the files instead of a root folder (the `store_*`
    /// options); not configured by default.
    pub store: StoreOptions,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            check_file_exists: true,
            max_ranges: DEFAULT_MAX_RANGES,
            limit_multipart_to_file_size: true,
            etag: true,
            last_modified: true,
            cache_control: None,
            content_types: Vec::new(),
            xsendfile_percent_encode: false,
            tcp_cork: false,
            accel: AccelOptions::default(),
            store: StoreOptions::default(),
        }
    }
}

impl Options {
    pub(crate) fn validate(mut self) -> Result<Options> {
        if let Some(cache_control) = &self.cache_control {
            check_value("cache_control", cache_control)?;
        }
        if let Some(charset) = &self.accel.charset {
            check_token("accel charset", charset)?;
        }
        for (extension, media_type) in &mut self.content_types {
            let bare = extension.trim_start_matches('.');
            if bare.is_empty() || bare.contains(['.', '/']) {
                return Err(Error::Configuration(format!(
                    "content type extension must be a single extension like \"txt\", got {extension:?}"
                )));
            }
            *extension = bare.to_ascii_lowercase();
            check_value("content type", media_type)?;
        }
        Ok(self)
    }
}
