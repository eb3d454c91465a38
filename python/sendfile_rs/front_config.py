"""Front-server configuration that matches the SENDFILE_* settings.

Only servers whose configuration is proven by an end-to-end test are offered
(tests/e2e/test_front_servers.py): nginx, lighttpd, Apache with mod_xsendfile, Apache with
mod_wsgi in daemon mode, and Caddy.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from ._native import BACKENDS

#: The servers this module writes configuration for, each with the backend it works with,
#: as the core's table of backends says.
BACKEND_OF_SERVER = {
    server: backend.name for backend in BACKENDS for server in backend.front_servers
}

#: The servers this module writes configuration for.
SERVERS = tuple(BACKEND_OF_SERVER)

#: The servers whose backend maps files to URLs under SENDFILE_URL.
_NEED_URL = frozenset(
    server for backend in BACKENDS if backend.needs_url for server in backend.front_servers
)


class FrontConfigError(ValueError):
    """The settings cannot be turned into a working front-server configuration."""


def for_server(
    server: str,
    *,
    root: str | os.PathLike[str],
    url: str | None = None,
    upstream: str = "127.0.0.1:8000",
    wsgi_script: str | os.PathLike[str] | None = None,
    python_path: Sequence[str | os.PathLike[str]] = (),
    python_home: str | os.PathLike[str] | None = None,
) -> str:
    """The configuration for ``server`` (one of :data:`SERVERS`), from the settings each
    server needs: ``url`` for nginx, Caddy and mod_wsgi, ``upstream`` (the application's
    ``host:port``) for lighttpd and Caddy, ``wsgi_script`` (and optionally ``python_path``
    and ``python_home``) for mod_wsgi."""
    if server not in BACKEND_OF_SERVER:
        raise FrontConfigError(f"no configuration for {server!r}; known: {', '.join(SERVERS)}")
    if server in _NEED_URL and url is None:
        raise FrontConfigError(f"{server} needs the URL prefix, the SENDFILE_URL")
    if server == "nginx":
        return nginx(root, url or "")
    if server == "caddy":
        return caddy(root, url or "", upstream)
    if server == "lighttpd":
        return lighttpd(root, upstream)
    if server == "apache-xsendfile":
        return apache_xsendfile(root)
    if wsgi_script is None:
        raise FrontConfigError("apache-modwsgi needs the WSGI script, the project's wsgi.py")
    return apache_modwsgi(
        root, url or "", wsgi_script, python_path=python_path, python_home=python_home
    )


def nginx(root: str | os.PathLike[str], url: str) -> str:
    """The nginx ``location`` that serves ``root`` at ``url`` to X-Accel-Redirect only.

    Both ``url`` and the alias end with ``/``: nginx's ``alias`` replaces the matched
    prefix, so a missing slash on one side would join names wrongly (``/privatefile``)
    or open the folder above. ``internal`` makes a direct request for the URL a 404.
    """
    location = _url_prefix(url)
    alias = _absolute(root).rstrip("/") + "/"
    return (
        f"# sendfile_rs: {alias} is sent by nginx when the application answers with\n"
        f"# X-Accel-Redirect: {location}...; a direct request for {location} gets a 404.\n"
        f"location {location} {{\n"
        f"    internal;\n"
        f'    alias "{alias}";\n'
        f"}}\n"
    )


def nginx_standalone(
    folder: str | os.PathLike[str],
    port: int,
    locations: str,
    *,
    error_log: str = "stderr",
    workers_as_root: bool = False,
) -> str:
    """A whole ``nginx.conf`` for running nginx in the foreground from ``folder`` (pid and
    temporary files there, nothing under /etc or /var), listening on 127.0.0.1:``port``
    with the given ``location`` blocks: to try a generated configuration without touching
    the system's nginx. ``make demo BACKEND=nginx``, the end-to-end tests and the
    benchmark all run nginx this way.

    ``workers_as_root`` keeps nginx's workers root when it is started as root, for a local
    demo whose files sit in a folder the unprivileged worker user cannot enter.
    """
    work = os.fspath(folder)
    user = "user root;\n" if workers_as_root else ""
    temporary = "".join(
        f"    {kind}_temp_path {work}/{kind};\n"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return (
        f"{user}daemon off;\n"
        f"worker_processes 1;\n"
        f"pid {work}/nginx.pid;\n"
        f"error_log {error_log};\n"
        f"events {{ worker_connections 256; }}\n"
        f"http {{\n"
        f"    include /etc/nginx/mime.types;\n"
        f"    access_log off;\n"
        f"    sendfile on;\n"
        f"    tcp_nopush on;\n"
        f"{temporary}"
        f"    server {{\n"
        f"        listen 127.0.0.1:{port};\n"
        f"{locations}"
        f"    }}\n"
        f"}}\n"
    )


def lighttpd(root: str | os.PathLike[str], upstream: str) -> str:
    """The ``proxy.server`` entry that forwards to the application at ``upstream``
    (``host:port``) and lets it name files under ``root`` with X-Sendfile.

    lighttpd 1.4 percent-decodes the header and refuses any path outside
    ``x-sendfile-docroot``, which therefore ends with ``/``.
    """
    host, port = _host_and_port(upstream)
    docroot = _absolute(root).rstrip("/") + "/"
    return (
        f"# sendfile_rs: the application at {upstream} answers with X-Sendfile, and lighttpd\n"
        f"# sends the file if it lies under {docroot}\n"
        f'server.modules += ( "mod_proxy" )\n'
        f'proxy.server = ( "" => ( (\n'
        f'    "host" => "{host}",\n'
        f'    "port" => {port},\n'
        f'    "x-sendfile" => "enable",\n'
        f'    "x-sendfile-docroot" => ( "{docroot}" )\n'
        f") ) )\n"
    )


def apache_xsendfile(root: str | os.PathLike[str]) -> str:
    """The mod_xsendfile directives for the virtual host that runs or proxies the
    application: X-Sendfile answers are replaced by the file if it lies under ``root``.

    mod_xsendfile 0.12 (Debian, Ubuntu) opens the header's bytes as they are, which is
    what the xsendfile backend sends; it acts on 200 answers only. Behind ``ProxyPass`` it
    labels every file ``ETag: "0"``, so a client would be told its stale copy is current
    after the file changes: ``FileETag None`` drops that tag, and revalidation goes by
    Last-Modified, which is the file's own.
    """
    folder = _absolute(root).rstrip("/") or "/"
    return (
        f"# sendfile_rs: the application answers with X-Sendfile: {folder}/..., and\n"
        f"# mod_xsendfile sends the file if it lies under XSendFilePath (a2enmod xsendfile).\n"
        f"XSendFile On\n"
        f'XSendFilePath "{folder}"\n'
        f'# Without this, proxied answers carry ETag "0" for every file and every version.\n'
        f"FileETag None\n"
    )


def apache_modwsgi(
    root: str | os.PathLike[str],
    url: str,
    wsgi_script: str | os.PathLike[str],
    *,
    python_path: Sequence[str | os.PathLike[str]] = (),
    python_home: str | os.PathLike[str] | None = None,
) -> str:
    """The virtual-host directives that run the application from ``wsgi_script`` in
    mod_wsgi daemon mode and serve ``root`` at ``url`` only to its internal redirects.

    mod_wsgi turns a 200 answer whose ``Location`` is a path into an internal redirect in
    daemon mode only. The redirected request carries ``REDIRECT_STATUS``, a direct one
    does not: the rewrite rule answers 404 to any request that reaches ``url`` from the
    outside, whatever its spelling (Apache has decoded and normalised the path before
    mod_rewrite sees it). The application runs in the main interpreter
    (``WSGIApplicationGroup %{GLOBAL}``) because PyO3 extensions, ``sendfile_rs`` among
    them, cannot be imported in a sub-interpreter. The redirect keeps none of the
    application's headers but Set-Cookie, so Apache marks the files ``Cache-Control:
    private`` itself: a shared cache must not keep an answer the application checked.
    """
    location = _url_prefix(url)
    folder = _absolute(root).rstrip("/") + "/"
    script = _absolute(wsgi_script, what="the WSGI script")
    options = ["processes=2", "threads=15", "display-name=%{GROUP}"]
    if python_home is not None:
        options.append(f"python-home={_unspaced(_absolute(python_home, what='python-home'))}")
    if python_path:
        folders = [_absolute(entry, what="a python-path entry") for entry in python_path]
        options.append(f"python-path={_unspaced(':'.join(folders))}")
    return (
        f"# sendfile_rs: the application answers with Location: {location}... and status 200;\n"
        f"# mod_wsgi (daemon mode only) redirects internally and Apache sends the file from\n"
        f"# {folder}. Needs mod_wsgi, mod_alias, mod_rewrite and mod_headers\n"
        f"# (a2enmod wsgi rewrite headers).\n"
        f"WSGIDaemonProcess sendfile_rs {' '.join(options)}\n"
        f"WSGIProcessGroup sendfile_rs\n"
        f"WSGIApplicationGroup %{{GLOBAL}}\n"
        f'WSGIScriptAlias / "{script}"\n'
        f'<Directory "{os.path.dirname(script)}">\n'
        f'    <Files "{os.path.basename(script)}">\n'
        f"        Require all granted\n"
        f"    </Files>\n"
        f"</Directory>\n"
        f'Alias "{location}" "{folder}"\n'
        f'<Directory "{folder}">\n'
        f"    Require all granted\n"
        f"    # The application's Cache-Control does not survive the redirect.\n"
        f'    Header set Cache-Control "private"\n'
        f"</Directory>\n"
        f"# Only mod_wsgi's internal redirects may reach {location}: a direct request gets a 404.\n"
        f"RewriteEngine On\n"
        f"RewriteCond %{{ENV:REDIRECT_STATUS}} ^$\n"
        f'RewriteRule "^{location}" - [R=404]\n'
    )


def caddy(root: str | os.PathLike[str], url: str, upstream: str) -> str:
    """The ``reverse_proxy`` for the site block: the application at ``upstream`` answers
    with the nginx backend's ``X-Accel-Redirect: {url}/...`` and Caddy sends the file
    from ``root``, with the application's Content-Type and Content-Disposition.

    Caddy 2.6's ``rewrite`` does not decode a placeholder (it would look for a file named
    ``%C3%A9.txt``) and cuts a path at ``?``, so the header's URL enters through
    ``uri path_regexp``, which decodes it. Every request goes to the application, so the
    files cannot be requested directly.
    """
    location = _url_prefix(url)
    folder = _absolute(root).rstrip("/") or "/"
    host, port = _host_and_port(upstream)
    return (
        f"# sendfile_rs: inside the site block. The application at {upstream} answers with\n"
        f"# X-Accel-Redirect: {location}... (the nginx backend), and Caddy sends the file\n"
        f"# from {folder}/.\n"
        f"reverse_proxy {host}:{port} {{\n"
        f"\t@sendfile_rs header X-Accel-Redirect {location}*\n"
        f"\thandle_response @sendfile_rs {{\n"
        f"\t\tcopy_response_headers {{\n"
        f"\t\t\tinclude Content-Type Content-Disposition Cache-Control Expires Set-Cookie\n"
        f"\t\t}}\n"
        f"\t\trewrite * /sendfile_rs\n"
        f"\t\turi path_regexp ^/sendfile_rs$ {{rp.header.X-Accel-Redirect}}\n"
        f"\t\turi strip_prefix {location.rstrip('/')}\n"
        f'\t\troot * "{folder}"\n'
        f"\t\tfile_server\n"
        f"\t}}\n"
        f"}}\n"
    )


def _absolute(path: str | os.PathLike[str], *, what: str = "the root") -> str:
    text = os.fspath(path)
    if not os.path.isabs(text):
        raise FrontConfigError(f"{what} must be an absolute path, got {text!r}")
    _check_quotable(text)
    return text


def _url_prefix(url: str) -> str:
    """``url`` with one trailing ``/``: front servers match prefixes, and without the
    slash ``/protected`` would also cover ``/protectedfile``."""
    if not url.startswith("/"):
        raise FrontConfigError(f"the URL prefix must be a path like /protected, got {url!r}")
    if url.strip("/") == "":
        raise FrontConfigError(
            f"the URL prefix must be a path below /, got {url!r}: "
            "at / the protected location would hide the whole site"
        )
    _check_quotable(url)
    if any(character in url for character in " \\;$%^*+()[]|"):
        raise FrontConfigError(
            f"the URL prefix must be a plain path, got {url!r}: spaces, ';', '%' and the "
            "characters of regular expressions mean something else to the servers"
        )
    return url.rstrip("/") + "/"


def _host_and_port(upstream: str) -> tuple[str, str]:
    host, _, port = upstream.rpartition(":")
    if not host or not port.isdigit():
        raise FrontConfigError(f"the upstream must be host:port, got {upstream!r}")
    _check_quotable(host)
    return host, port


def _unspaced(text: str) -> str:
    if any(character.isspace() for character in text):
        raise FrontConfigError(f"WSGIDaemonProcess options cannot hold spaces, got {text!r}")
    return text


def _check_quotable(text: str) -> None:
    if any(character in text for character in '";{}\n\r#?'):
        raise FrontConfigError(
            "the root, URL and upstream must not contain quotes, braces, '#', '?' or line breaks"
        )
