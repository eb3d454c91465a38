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

/// Who sends the body, and, when a front server does, which unit writes the header that
/// tells it what to send.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Delivery {
    /// The application sends the body, with full HTTP semantics.
    Served,
    /// A front server sends the body; the application answers with headers only.
    Offloaded(Offload),
}

/// The header-only units, one per front-server protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Offload {
    /// `X-Sendfile` with the raw absolute path (Apache mod_xsendfile).
    XSendfile,
    /// `X-Accel-Redirect` with a URL under the prefix (nginx).
    AccelRedirect,
    /// `Location` with a URL under the prefix on a 200 (mod_wsgi daemon mode).
    Location,
    /// `X-Sendfile` with the percent-encoded absolute path (lighttpd).
    LighttpdSendfile,
}

impl Offload {
    /// The header the front server reads to send the file itself.
    pub(crate) const fn header(self) -> &'static str {
        match self {
            Offload::XSendfile | Offload::LighttpdSendfile => "X-Sendfile",
            Offload::AccelRedirect => "X-Accel-Redirect",
            Offload::Location => "Location",
        }
    }
}

/// Everything that is known about one backend, written once: the dispatch, the C ABI, the
/// Python module and through it the Django checks and the configuration generator read it.
struct Facts {
    name: &'static str,
    delivery: Delivery,
    needs_url: bool,
    development_only: bool,
    front_servers: &'static [&'static str],
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

    /// The table of facts: the one place that says what each backend is.
    const fn facts(self) -> &'static Facts {
        match self {
            Backend::Simple => &Facts {
                name: "simple",
                delivery: Delivery::Served,
                needs_url: false,
                development_only: false,
                front_servers: &[],
            },
            Backend::Development => &Facts {
                name: "development",
                delivery: Delivery::Served,
                needs_url: false,
                development_only: true,
                front_servers: &[],
            },
            Backend::XSendfile => &Facts {
                name: "xsendfile",
                delivery: Delivery::Offloaded(Offload::XSendfile),
                needs_url: false,
                development_only: false,
                front_servers: &["apache-xsendfile"],
            },
            Backend::Nginx => &Facts {
                name: "nginx",
                delivery: Delivery::Offloaded(Offload::AccelRedirect),
                needs_url: true,
                development_only: false,
                // Caddy's configuration rewrites to the X-Accel-Redirect URL.
                front_servers: &["nginx", "caddy"],
            },
            Backend::ModWsgi => &Facts {
                name: "mod_wsgi",
                delivery: Delivery::Offloaded(Offload::Location),
                needs_url: true,
                development_only: false,
                front_servers: &["apache-modwsgi"],
            },
            Backend::Lighttpd => &Facts {
                name: "lighttpd",
                delivery: Delivery::Offloaded(Offload::LighttpdSendfile),
                needs_url: false,
                development_only: false,
                front_servers: &["lighttpd"],
            },
        }
    }

    /// The name used in configuration files (`SENDFILE_BACKEND` ends with it).
    pub fn name(self) -> &'static str {
        self.facts().name
    }

    /// Whether the application itself sends the body (as opposed to a front server).
    pub fn sends_body(self) -> bool {
        self.facts().delivery == Delivery::Served
    }

    /// Whether the backend maps files to URLs under a prefix, which must then be configured.
    pub fn needs_url(self) -> bool {
        self.facts().needs_url
    }

    /// Whether the backend is meant for a development server only (Django's `runserver`),
    /// not for production.
    pub fn development_only(self) -> bool {
        self.facts().development_only
    }

    /// The front servers that complete this backend's answers, by the names the
    /// configuration generator knows them by, the usual one first; none for the backends
    /// that send the body themselves.
    pub fn front_servers(self) -> &'static [&'static str] {
        self.facts().front_servers
    }

    /// The header that hands the file to the front server (`X-Accel-Redirect`,
    /// `X-Sendfile`, `Location`); `None` for the backends that send the body themselves.
    pub fn handover_header(self) -> Option<&'static str> {
        match self.delivery() {
            Delivery::Served => None,
            Delivery::Offloaded(unit) => Some(unit.header()),
        }
    }

    /// Whether a front server of this backend proxies objects from a store (nginx's
    /// internal store location); every other backend redirects the client to the store.
    /// The server that does is the backend's first front server.
    pub fn proxies_stores(self) -> bool {
        self.delivery() == Delivery::Offloaded(Offload::AccelRedirect)
    }

    /// Who sends the body, and which unit writes the header when a front server does.
    pub(crate) fn delivery(self) -> Delivery {
        self.facts().delivery
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

    fn names(fact: fn(Backend) -> bool) -> Vec<&'static str> {
        Backend::ALL
            .into_iter()
            .filter(|&b| fact(b))
            .map(Backend::name)
            .collect()
    }

    #[test]
    fn a_backend_sends_the_body_exactly_when_no_front_server_completes_it() {
        for backend in Backend::ALL {
            assert_eq!(
                backend.sends_body(),
                backend.front_servers().is_empty(),
                "{backend}"
            );
        }
        assert_eq!(names(Backend::sends_body), ["simple", "development"]);
    }

    #[test]
    fn the_url_prefix_is_needed_by_the_backends_that_map_files_to_urls() {
        assert_eq!(names(Backend::needs_url), ["nginx", "mod_wsgi"]);
        assert_eq!(Backend::Nginx.front_servers(), ["nginx", "caddy"]);
        assert!(Backend::Development.development_only() && !Backend::Simple.development_only());
    }

    #[test]
    fn handover_headers_and_store_proxies() {
        let headers: Vec<Option<&str>> = Backend::ALL
            .into_iter()
            .map(Backend::handover_header)
            .collect();
        assert_eq!(
            headers,
            [
                None,
                None,
                Some("X-Sendfile"),
                Some("X-Accel-Redirect"),
                Some("Location"),
                Some("X-Sendfile")
            ]
        );
        assert_eq!(names(Backend::proxies_stores), ["nginx"]);
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
