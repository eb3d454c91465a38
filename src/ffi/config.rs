//! `sf_config`: the configuration handle.

use crate::backend::Backend;
use crate::config::Config;
use crate::ffi::boundary::{FfiError, result_of};
use crate::ffi::bytes::{fields, sf_field, text};
use crate::ffi::handle::{BoxedHandle, write_out};
use crate::ffi::result::sf_result;
use crate::options::config::Options;

/// A validated, immutable configuration: backend, root folder, URL prefix, options.
pub struct sf_config {
    pub(crate) config: Config,
}

impl BoxedHandle for sf_config {
    const NAME: &'static str = "config";
}

/// Creates a configuration and stores it in `*config_out` (NULL there on failure).
///
/// - `backend`: "simple", "development", "xsendfile", "nginx", "mod_wsgi" or "lighttpd".
/// - `root`: the absolute path of the folder that holds the files; `NULL, 0` when the
///   files are objects in a store (the `store_*` options: `store_endpoint`,
///   `store_bucket`, `store_region`, `store_prefix`, `store_access_key`,
///   `store_secret_key`, `store_session_token`, `store_addressing` = `path` or `virtual`,
///   `store_lifetime` in seconds, `store_location` for nginx). Plans then name objects:
///   nginx gets an `X-Accel-Redirect` to the store's internal location with a presigned
///   GET, every other backend a 302 to a presigned URL. No credential ever appears in
///   an error message.
/// - `url`: the URL prefix the front server maps to the root (nginx, mod_wsgi); pass
///   `NULL, 0` for none.
/// - `options`: `options_len` name/value pairs, for example `max_ranges` = `16`,
///   `cache_control` = `private`, `check_file_exists` = `false` (docs/options.md lists them all);
///   `NULL, 0` for the defaults.
///
/// All strings are UTF-8 with explicit lengths and are copied: the caller may free them
/// when the call returns. Errors: SF_ERROR_NULL_ARGUMENT, SF_ERROR_INVALID_UTF8,
/// SF_ERROR_CONFIGURATION (unknown backend or option, missing or relative root, missing
/// URL, a `store_*` option without `store_endpoint` and `store_bucket`),
/// SF_ERROR_INVALID_ARGUMENT (an option value with a control character).
///
/// The configuration is released with `sf_config_free`. It never changes, so any number
/// of threads may use it at once.
///
/// # Safety
/// Every pointer is NULL (with a length of 0) or valid for reads of its length;
/// `config_out` is valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sf_config_new(
    backend: *const u8,
    backend_len: usize,
    root: *const u8,
    root_len: usize,
    url: *const u8,
    url_len: usize,
    options: *const sf_field,
    options_len: usize,
    config_out: *mut *mut sf_config,
) -> sf_result {
    result_of(|| {
        if config_out.is_null() {
            return Err(FfiError::null("config_out"));
        }
        // SAFETY: non-NULL and valid for a write, as the caller guarantees.
        unsafe { config_out.write(std::ptr::null_mut()) };
        // SAFETY: each pointer is valid for its length, as the caller guarantees.
        let (backend, root, url, options) = unsafe {
            (
                text(backend, backend_len, "backend")?,
                text(root, root_len, "root")?,
                text(url, url_len, "url")?,
                fields(options, options_len, "options")?,
            )
        };
        let backend: Backend = backend.parse()?;
        let mut builder = Config::builder(backend);
        // No root for a configuration whose files are objects in a store.
        if !root.is_empty() {
            builder = builder.root(root);
        }
        if !url.is_empty() {
            builder = builder.url(url);
        }
        let mut parsed = Options::default();
        for option in options {
            // SAFETY: the field's pointers are valid for their lengths (caller's promise).
            let (name, value) = unsafe { option.read_text("option") }?;
            parsed.set(name, value)?;
        }
        let config = builder.options(parsed).build()?;
        // SAFETY: valid for a write, as the caller guarantees.
        unsafe { write_out(config_out, sf_config { config }.into_raw(), "config_out") }
    })
}

/// Releases a configuration. NULL is ignored. Plans made from it stay valid: they do not
/// refer to it. No other thread may be using it.
///
/// # Safety
/// `config` is NULL or came from `sf_config_new` and has not been freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sf_config_free(config: *mut sf_config) {
    crate::ffi::boundary::value_of((), || {
        // SAFETY: guaranteed by the caller.
        unsafe { sf_config::free(config) }
    });
}
