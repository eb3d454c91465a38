//! The configuration: which backend, which root, which URL prefix, which options.
//!
//! Built once and validated then, so that planning a response never meets a configuration
//! error it could have reported at start-up. Immutable, `Send + Sync`, cheap to share.

use std::path::{Path, PathBuf};

use crate::archive::RememberedCrcs;
use crate::backend::Backend;
use crate::error::{Error, Result};
use crate::options::config::Options;
use crate::options::config_by_name::first_store_setting_given;
use crate::path::normalize::normalize_root;
#[cfg(feature = "store")]
use crate::store::ObjectStore;

/// Everything that stays the same from one request to the next.
#[derive(Debug, Clone)]
pub struct Config {
    pub(crate) backend: Backend,
    pub(crate) root: PathBuf,
    pub(crate) root_text: String,
    pub(crate) url: Option<String>,
    pub(crate) options: Options,
    #[cfg(feature = "store")]
    pub(crate) store: Option<ObjectStore>,
    /// The CRC-32s of archive members read so far, shared by clones.
    pub(crate) crcs: RememberedCrcs,
}

impl Config {
    /// Starts a configuration for `backend`; the root is required.
    pub fn builder(backend: Backend) -> ConfigBuilder {
        ConfigBuilder {
            backend,
            root: None,
            url: None,
            options: Options::default(),
        }
    }

    /// The backend.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The root folder, absolute and lexically normalised; empty when the files are
    /// objects in a store.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The URL prefix, without a trailing slash (`""` for `/`).
    pub fn url(&self) -> Option<&str> {
        self.url.as_deref()
    }

    /// The internal nginx location the plans name when the files are objects in a store
    /// (`store_location`, checked and without a trailing slash); `None` for a root.
    #[cfg(feature = "store")]
    pub fn store_location(&self) -> Option<&str> {
        self.store.as_ref().map(ObjectStore::location)
    }

    /// The options.
    pub fn options(&self) -> &Options {
        &self.options
    }
}

/// Collects and validates the parts of a [`Config`].
#[derive(Debug, Clone)]
#[must_use]
pub struct ConfigBuilder {
    backend: Backend,
    root: Option<PathBuf>,
    url: Option<String>,
    options: Options,
}

impl ConfigBuilder {
    /// The folder that holds the files (`SENDFILE_ROOT`); an absolute path.
    pub fn root(mut self, root: impl Into<PathBuf>) -> ConfigBuilder {
        self.root = Some(root.into());
        self
    }

    /// The URL prefix under which the front server maps the root (`SENDFILE_URL`);
    /// required by nginx and mod_wsgi.
    pub fn url(mut self, url: impl Into<String>) -> ConfigBuilder {
        self.url = Some(url.into());
        self
    }

    /// The options.
    pub fn options(mut self, options: Options) -> ConfigBuilder {
        self.options = options;
        self
    }

    /// Checks everything and builds the configuration.
    pub fn build(self) -> Result<Config> {
        if self.options.store.is_configured() {
            return self.build_for_store();
        }
        if let Some(name) = first_store_setting_given(&self.options) {
            // Ignored, it would leave the caller with a configuration of another kind
            // than the one meant, or with an error about a missing root.
            return Err(Error::Configuration(format!(
                "option {name} is given but no object store is named: a store needs both \
                 an endpoint and a bucket (store_endpoint, store_bucket)"
            )));
        }
        let backend = self.backend;
        let root = self.root.ok_or_else(|| {
            Error::Configuration(format!("the {backend} backend needs a root folder"))
        })?;
        let (root, root_text) = normalize_root(&root)?;
        let url = match self.url {
            Some(url) => Some(validate_url(&url)?),
            None if backend.needs_url() => {
                return Err(Error::Configuration(format!(
                    "the {backend} backend needs a URL prefix"
                )));
            }
            None => None,
        };
        Ok(Config {
            backend,
            root,
            root_text,
            url,
            options: self.options.validate()?,
            #[cfg(feature = "store")]
            store: None,
            crcs: RememberedCrcs::default(),
        })
    }

    /// A configuration whose files are objects in a store: no root, and no URL prefix,
    /// since the store's own nginx location stands for it.
    fn build_for_store(self) -> Result<Config> {
        if self.root.is_some() || self.url.is_some() {
            return Err(Error::Configuration(
                "a configuration names either a root folder and URL prefix or an object \
                 store, not both: make one configuration for each"
                    .to_owned(),
            ));
        }
        #[cfg(feature = "store")]
        return Ok(Config {
            store: Some(ObjectStore::new(&self.options.store)?),
            backend: self.backend,
            root: PathBuf::new(),
            root_text: String::new(),
            url: None,
            options: self.options.validate()?,
            crcs: RememberedCrcs::default(),
        });
        #[cfg(not(feature = "store"))]
        Err(Error::Configuration(
            "this build of sendfile has no object stores (the store feature is off): name \
             a root folder instead"
                .to_owned(),
        ))
    }
}

/// A URL prefix is an absolute path of visible ASCII without query or fragment; it goes
/// into headers as is, so it must need no encoding.
fn validate_url(url: &str) -> Result<String> {
    let valid = url.starts_with('/')
        && url
            .bytes()
            .all(|b| b.is_ascii_graphic() && b != b'?' && b != b'#');
    if !valid {
        return Err(Error::Configuration(format!(
            "the URL prefix must be an absolute path of visible ASCII characters without \
             '?' or '#', like \"/protected\", got {url:?}"
        )));
    }
    Ok(url.trim_end_matches('/').to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nginx_and_mod_wsgi_need_a_url() {
        for backend in [Backend::Nginx, Backend::ModWsgi] {
            let err = Config::builder(backend).root("/srv").build().unwrap_err();
            assert_eq!(
                err.to_string(),
                format!("configuration error: the {backend} backend needs a URL prefix")
            );
        }
        Config::builder(Backend::Lighttpd)
            .root("/srv")
            .build()
            .unwrap();
    }

    #[test]
    fn root_is_required_and_absolute() {
        let err = Config::builder(Backend::Simple).build().unwrap_err();
        assert_eq!(
            err.to_string(),
            "configuration error: the simple backend needs a root folder"
        );
        let err = Config::builder(Backend::Simple)
            .root("relative/dir")
            .build()
            .unwrap_err();
        assert!(matches!(err, Error::Configuration(_)), "{err}");
    }

    #[test]
    fn url_trailing_slashes_are_dropped() {
        let config = Config::builder(Backend::Nginx)
            .root("/srv/files/")
            .url("/private/")
            .build()
            .unwrap();
        assert_eq!(config.url(), Some("/private"));
        assert_eq!(config.root(), Path::new("/srv/files"));
        let root_url = Config::builder(Backend::Nginx)
            .root("/srv")
            .url("/")
            .build()
            .unwrap();
        assert_eq!(root_url.url(), Some(""));
    }

    #[test]
    fn bad_urls_are_refused() {
        for url in ["private", "/a b", "/a?b", "/a#b", "/é", "/a\r\nX: y"] {
            let result = Config::builder(Backend::Nginx)
                .root("/srv")
                .url(url)
                .build();
            assert!(matches!(result, Err(Error::Configuration(_))), "{url:?}");
        }
    }

    #[test]
    fn option_values_are_checked() {
        let options = Options {
            cache_control: Some("private\r\nX: y".into()),
            ..Options::default()
        };
        let result = Config::builder(Backend::Simple)
            .root("/srv")
            .options(options)
            .build();
        assert!(matches!(result, Err(Error::InvalidArgument(_))));

        let options = Options {
            content_types: vec![(".TXT".into(), "text/plain; charset=utf-8".into())],
            ..Options::default()
        };
        let config = Config::builder(Backend::Simple)
            .root("/srv")
            .options(options)
            .build()
            .unwrap();
        assert_eq!(config.options().content_types[0].0, "txt");
    }
}
