"""Front-server configuration that matches the SENDFILE_* settings.

Only servers whose configuration is proven by an end-to-end test are offered
(tests/e2e/test_front_servers.py): nginx, lighttpd, Apache with mod_xsendfile, Apache with
mod_wsgi in daemon mode, and Caddy.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass

from .._native import (
    BACKENDS,
    DEFAULT_STORE_LOCATION,
    PLAN_HEADERS,
    STORE_HIDDEN_HEADERS,
    ConfigurationError,
    store_location,
    store_target,
)

#: The servers this module writes configuration for, each with the backend it works with,
#: as the core's table of backends says.
BACKEND_OF_SERVER = {
    server: backend.name for backend in BACKENDS for server in backend.front_servers
}

#: The servers this module writes configuration for.
SERVERS = tuple(BACKEND_OF_SERVER)

#: The server written for each header-only backend when the command names none: its
#: usual one, the first of the core's table.
DEFAULT_SERVER = {
    backend.name: backend.front_servers[0] for backend in BACKENDS if backend.front_servers
}

#: The servers that proxy objects from a store: the first front server of each backend
#: that proxies them (the core's table); under every other backend the client is
#: redirected to the store.
STORE_PROXIES = frozenset(
    backend.front_servers[0] for backend in BACKENDS if backend.proxies_stores
)

#: The servers whose backend maps files to URLs under SENDFILE_URL.
_NEED_URL = frozenset(
    server for backend in BACKENDS if backend.needs_url for server in backend.front_servers
)


class FrontConfigError(ValueError):
    """The settings cannot be turned into a working front-server configuration."""


#: The certificate authorities nginx verifies an https store against: Debian's bundle.
DEFAULT_STORE_CA = "/etc/ssl/certs/ca-certificates.crt"


@dataclass(frozen=True)
class Store:
    """An object store that nginx proxies to: its endpoint, the bucket, the addressing
    (``"path"`` or ``"virtual"``), the internal location the application's
    X-Accel-Redirect names, and for an https store the certificate authorities."""

    endpoint: str
    bucket: str
    addressing: str = "path"
    location: str = DEFAULT_STORE_LOCATION
    ca_file: str = DEFAULT_STORE_CA


def for_server(
    server: str,
    *,
    root: str | os.PathLike[str] | None,
    url: str | None = None,
    stores: Sequence[Store] = (),
    upstream: str = "127.0.0.1:8000",
    wsgi_script: str | os.PathLike[str] | None = None,
    python_path: Sequence[str | os.PathLike[str]] = (),
    python_home: str | os.PathLike[str] | None = None,
) -> str:
    """The configuration for ``server`` (one of :data:`SERVERS`), from the settings each
    server needs: ``url`` for nginx, Caddy and mod_wsgi, ``upstream`` (the application's
    ``host:port``) for lighttpd and Caddy, ``wsgi_script`` (and optionally ``python_path``
    and ``python_home``) for mod_wsgi. ``stores`` are object stores nginx proxies to;
    with stores alone, ``root`` may be None."""
    if server not in BACKEND_OF_SERVER:
        raise FrontConfigError(f"no configuration for {server!r}; known: {', '.join(SERVERS)}")
    if stores and server not in STORE_PROXIES:
        raise FrontConfigError(
            f"{server} cannot proxy an object store: only {', '.join(sorted(STORE_PROXIES))} "
            "does; under every other backend the application redirects to the store, which "
            "needs no configuration"
        )
    if stores:
        local = "" if root is None else for_server(server, root=root, url=url)
        return local + "".join(nginx_store_text(store) for store in stores)
    if root is None:
        raise FrontConfigError(f"{server} needs the root folder, the SENDFILE_ROOT")
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


def nginx_store(store: Store) -> tuple[str, str]:
    """The nginx configuration that proxies ``store``'s objects to X-Accel-Redirect only:
    an ``upstream`` for the ``http`` block, and the ``location`` blocks for the ``server``.

    The application answers with ``X-Accel-Redirect: <location>/<path>?<presigned
    query>``, the path encoded twice. nginx decodes it once; the regular expression
    captures that, and ``proxy_pass`` with a variable sends it to the store as it is,
    which is the path that was signed. The host is fixed here, so whatever the header
    says, the location reaches this store and no other host; only ``Host`` and the
    client's Range and conditional headers go with it (not its cookies or
    Authorization); ``GET`` is sent for ``HEAD`` too, since the URL is signed for ``GET``.
    A request with ``If-Range`` asks the store for the whole object, and nginx answers
    the range or the whole by the store's validators (``proxy_force_ranges``): a store
    that ignores If-Range (Ceph RGW) would otherwise join two versions of an object.
    The store's headers in ``STORE_HIDDEN_HEADERS`` are hidden, so the client gets the
    application's type, name and caching and the store's length, range and validators.
    An error of the store becomes nginx's own page, without the store's XML, which names
    the key and the request it refused: 404 for a missing object, 502 for a refused
    request (an expired or tampered URL is the application's or the clock's fault, not
    the client's), 416 for a range past the end, with the ``Content-Range: bytes */N``
    the store does not give, from a subrequest for the object's first byte. A cache, if
    one is turned on with ``proxy_cache``, keys on the object, not on its signature,
    which changes with every answer.
    """
    try:
        target = store_target(store.endpoint, store.bucket, store.addressing)
    except ConfigurationError as error:
        raise FrontConfigError(str(error)) from error
    location = _store_location(store)
    _check_quotable(store.ca_file)
    name = "sendfile_store_" + re.sub(r"[^A-Za-z0-9]", "_", target["host"])
    pattern = re.escape(location)
    # The request headers that decide a range or a conditional answer, and no other.
    forwarded = PLAN_HEADERS
    tls = ""
    if target["scheme"] == "https":
        tls = (
            "    proxy_ssl_server_name on;\n"
            f"    proxy_ssl_name {target['host_name']};\n"
            "    proxy_ssl_verify on;\n"
            "    proxy_ssl_verify_depth 4;\n"
            f'    proxy_ssl_trusted_certificate "{store.ca_file}";\n'
            "    proxy_ssl_protocols TLSv1.2 TLSv1.3;\n"
        )
    http = (
        f"upstream {name} {{\n"
        f"    server {target['host_name']}:{target['port']};\n"
        f"    keepalive 16;\n"
        f"}}\n"
        f"map ${name}_length ${name}_unsatisfied {{\n"
        f'    "~/(?<length>[0-9]+)$" "bytes */$length";\n'
        f"}}\n"
        # With If-Range the store is asked for the whole object and nginx answers the
        # range itself: Ceph RGW ignores If-Range, and would send the range of a changed
        # object to a client resuming an old one.
        f"map $http_if_range ${name}_range {{\n"
        f'    "" $http_range;\n'
        f'    default "";\n'
        f"}}\n"
    )
    # A GET of the signed URL that carries none of the client's request but what follows.
    signed_get = (
        f"    proxy_http_version 1.1;\n"
        f"    proxy_method GET;\n"
        f"    proxy_pass_request_body off;\n"
        f"    proxy_pass_request_headers off;\n"
        f'    proxy_set_header Host "{target["host"]}";\n'
        f'    proxy_set_header Connection "";\n'
    )
    server = (
        f"location ~ ^{pattern}(?<sendfile_store_path>.*)$ {{\n"
        f"    internal;\n"
        f"    proxy_pass {target['scheme']}://{name}/$sendfile_store_path$is_args$args;\n"
        f"{signed_get}"
        + "".join(
            f"    proxy_set_header {header} {forwarded_value(header, name)};\n"
            for header in forwarded
            if header != "If-Range"
        )
        + "    proxy_force_ranges on;\n"
        + "".join(f"    proxy_hide_header {header};\n" for header in STORE_HIDDEN_HEADERS)
        # The hidden headers' long names outgrow nginx's default header hash.
        + "    proxy_headers_hash_max_size 1024;\n"
        + "    proxy_headers_hash_bucket_size 128;\n"
        + "    proxy_max_temp_file_size 0;\n"
        f'    proxy_cache_key "{target["host"]}/$sendfile_store_path";\n'
        f"    set $sendfile_store_query $args;\n"
        f"    proxy_intercept_errors on;\n"
        f"    error_page 404 = @{name}_missing;\n"
        f"    error_page 416 = @{name}_unsatisfiable;\n"
        f"    error_page 400 403 405 409 411 500 501 503 = @{name}_refused;\n"
        f"{tls}"
        f"}}\n"
        f"location @{name}_missing {{\n"
        f"    return 404;\n"
        f"}}\n"
        f"location @{name}_unsatisfiable {{\n"
        f"    auth_request /{name}_length;\n"
        f"    auth_request_set ${name}_length $upstream_http_content_range;\n"
        f"    add_header Content-Range ${name}_unsatisfied always;\n"
        # return would run before auth_request: try_files answers in a later phase.
        f"    try_files /.{name}_no_such_file =416;\n"
        f"}}\n"
        f"location = /{name}_length {{\n"
        f"    internal;\n"
        f"    proxy_pass {target['scheme']}://{name}/$sendfile_store_path?$sendfile_store_query;\n"
        f"{signed_get}"
        f'    proxy_set_header Range "bytes=0-0";\n'
        f"    proxy_intercept_errors on;\n"
        f"    error_page 400 403 404 405 409 411 416 500 501 503 = @{name}_no_length;\n"
        f"{tls}"
        f"}}\n"
        f"location @{name}_no_length {{\n"
        f"    return 204;\n"
        f"}}\n"
        f"location @{name}_refused {{\n"
        f"    return 502;\n"
        f"}}\n"
    )
    return http, server


def forwarded_value(header: str, name: str) -> str:
    """The value the store location sends for the client's request header ``header``:
    the client's, but Range, which goes only without If-Range (see the map)."""
    if header == "Range":
        return f"${name}_range"
    return f"$http_{header.lower().replace('-', '_')}"


def nginx_store_text(store: Store) -> str:
    """:func:`nginx_store` as one text, each part under a comment that says where it goes."""
    http, server = nginx_store(store)
    location = _store_location(store)
    return (
        f"# sendfile_rs: objects of the bucket {store.bucket!r} at {store.endpoint} are proxied\n"
        f"# by nginx when the application answers with X-Accel-Redirect: {location}...;\n"
        f"# a direct request for {location} gets a 404.\n"
        f"# In the http block:\n"
        f"{http}"
        f"# In the server block:\n"
        f"{server}"
    )


def _store_location(store: Store) -> str:
    """``store.location`` as the plans name it, by the core's rule, with one trailing ``/``
    (the X-Accel-Redirect is the location, ``/`` and the object's path)."""
    try:
        return store_location(store.location) + "/"
    except ConfigurationError as error:
        raise FrontConfigError(str(error)) from error


def nginx_standalone(
    folder: str | os.PathLike[str],
    port: int,
    locations: str,
    *,
    error_log: str = "stderr",
    workers_as_root: bool = False,
    http: str = "",
) -> str:
    """A whole ``nginx.conf`` for running nginx in the foreground from ``folder`` (pid and
    temporary files there, nothing under /etc or /var), listening on 127.0.0.1:``port``
    with the given ``location`` blocks: to try a generated configuration without touching
    the system's nginx. ``make demo BACKEND=nginx``, the end-to-end tests and the
    benchmark all run nginx this way.

    ``workers_as_root`` keeps nginx's workers root when it is started as root, for a local
    demo whose files sit in a folder the unprivileged worker user cannot enter. ``http``
    goes into the ``http`` block (an object store's ``upstream``).
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
        f"{temporary}" + "".join(f"    {line}\n" for line in http.splitlines()) + f"    server {{\n"
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
