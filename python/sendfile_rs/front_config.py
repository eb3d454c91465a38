"""Front-server configuration that matches the SENDFILE_* settings.

Only servers whose configuration is proven by an end-to-end test are offered
(tests/e2e/test_front_servers.py): nginx, lighttpd, and Apache with mod_xsendfile.
"""

from __future__ import annotations

import os

#: The servers this module writes configuration for.
SERVERS = ("nginx", "lighttpd", "apache-xsendfile")


class FrontConfigError(ValueError):
    """The settings cannot be turned into a working front-server configuration."""


def nginx(root: str | os.PathLike[str], url: str) -> str:
    """The nginx ``location`` that serves ``root`` at ``url`` to X-Accel-Redirect only.

    Both ``url`` and the alias end with ``/``: nginx's ``alias`` replaces the matched
    prefix, so a missing slash on one side would join names wrongly (``/privatefile``)
    or open the folder above. ``internal`` makes a direct request for the URL a 404.
    """
    root_text = os.fspath(root)
    if not os.path.isabs(root_text):
        raise FrontConfigError(f"the root must be an absolute path, got {root_text!r}")
    if not url.startswith("/") or url == "/":
        raise FrontConfigError(
            f"the URL prefix must be a path below / like /protected, got {url!r}: "
            "at / the internal location would hide the whole site"
        )
    if any(character in url + root_text for character in '";{}\n\r#?'):
        raise FrontConfigError(
            "the root and the URL must not contain quotes, braces, '#', '?' or line breaks"
        )
    location = url.rstrip("/") + "/"
    alias = root_text.rstrip("/") + "/"
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
    root_text = os.fspath(root)
    if not os.path.isabs(root_text):
        raise FrontConfigError(f"the root must be an absolute path, got {root_text!r}")
    host, _, port = upstream.rpartition(":")
    if not host or not port.isdigit():
        raise FrontConfigError(f"the upstream must be host:port, got {upstream!r}")
    _check_quotable(root_text + host)
    docroot = root_text.rstrip("/") + "/"
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
    root_text = os.fspath(root)
    if not os.path.isabs(root_text):
        raise FrontConfigError(f"the root must be an absolute path, got {root_text!r}")
    _check_quotable(root_text)
    folder = root_text.rstrip("/") or "/"
    return (
        f"# sendfile_rs: the application answers with X-Sendfile: {folder}/..., and\n"
        f"# mod_xsendfile sends the file if it lies under XSendFilePath (a2enmod xsendfile).\n"
        f"XSendFile On\n"
        f'XSendFilePath "{folder}"\n'
        f'# Without this, proxied answers carry ETag "0" for every file and every version.\n'
        f"FileETag None\n"
    )


def _check_quotable(text: str) -> None:
    if any(character in text for character in '";{}\n\r#?'):
        raise FrontConfigError(
            "the root, URL and upstream must not contain quotes, braces, '#', '?' or line breaks"
        )
