//! The names of the ways a file can reach the client.

use std::fmt;
use std::str::FromStr;

use crate::error::Error;

/// Who sends the bytes of the file, and therefore what the plan contains.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Backend {
    /// The application sends the bytes itself; the plan carries full HTTP semantics.
    Simple,
    /// As [`Backend::Simple`]; meant for a development server.
    Development,
    /// Apache mod_xsendfile: `X-Sendfile` with the absolute path.
    XSendfile,
    /// nginx: `X-Accel-Redirect` with a URL under the configured prefix.
    Nginx,
    /// mod_wsgi daemon mode: an internal redirect through `Location`.
    ModWsgi,
    /// lighttpd: `X-Sendfile` with the percent-encoded absolute path.
    Lighttpd,
}

impl Backend {
    /// Every backend, in a fixed order.
    pub const ALL: [Backend; 6] = [
        Backend::Simple,
        Backend::Development,
        Backend::XSendfile,
        Backend::Nginx,
        Backend::ModWsgi,
        Backend::Lighttpd,
    ];

    /// The name used in configuration files (`SENDFILE_BACKEND` ends with it).
    pub fn name(self) -> &'static str {
        match self {
            Backend::Simple => "simple",
            Backend::Development => "development",
            Backend::XSendfile => "xsendfile",
            Backend::Nginx => "nginx",
            Backend::ModWsgi => "mod_wsgi",
            Backend::Lighttpd => "lighttpd",
        }
    }

    /// Whether the application itself sends the body (as opposed to a front server).
    pub fn sends_body(self) -> bool {
        matches!(self, Backend::Simple | Backend::Development)
    }

    /// Whether the backend maps files to URLs under a prefix, which must then be configured.
    pub fn needs_url(self) -> bool {
        matches!(self, Backend::Nginx | Backend::ModWsgi)
    }
}

impl fmt::Display for Backend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Backend {
    type Err = Error;

    fn from_str(name: &str) -> Result<Self, Error> {
        Backend::ALL
            .into_iter()
            .find(|backend| backend.name() == name)
            .ok_or_else(|| {
                let known: Vec<&str> = Backend::ALL.iter().map(|b| b.name()).collect();
                Error::Configuration(format!(
                    "unknown backend {name:?}; known backends: {}",
                    known.join(", ")
                ))
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_parses_back_to_its_backend() {
        for backend in Backend::ALL {
            assert_eq!(backend.name().parse::<Backend>().unwrap(), backend);
        }
    }

    #[test]
    fn unknown_name_lists_the_known_ones() {
        let err = "apache".parse::<Backend>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "configuration error: unknown backend \"apache\"; known backends: \
             simple, development, xsendfile, nginx, mod_wsgi, lighttpd"
        );
    }
}
