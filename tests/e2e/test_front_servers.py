"""Real front servers in front of Django, each configured by
`python -m sendfile_rs config <server>` and the application using the matching backend
(under gunicorn, or inside Apache for mod_wsgi): what a client receives for hostile names,
links, ranges, conditional requests, and direct requests for the files."""

from __future__ import annotations

import contextlib
import http.client
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import django
import pytest
from conftest import free_port, require, wait_for_port
from serving import gunicorn

import sendfile_rs
from sendfile_rs.front_config import nginx_standalone

PROJECT = Path(__file__).parents[1] / "python"

NAMES = [
    "plain.txt",
    "with space.txt",
    "100%.txt",
    "100%41.txt",
    "hash#tag.txt",
    "what?.txt",
    "semi;colon.txt",
    "plus+sign.txt",
    'double"quote.txt',
    "single'quote.txt",
    "back\\slash.txt",
    "dollar$1.txt",
    "{brace}.txt",
    "slash%2Fencoded.txt",
    "accentu\u00e9.txt",
    "\u65e5\u672c\u8a9e.txt",
    "emoji\U0001f600.txt",
    "long-" + "x" * 200 + ".txt",
    "nested/deeper/file.txt",
]


def content_of(name: str) -> bytes:
    return f"the file {name!r}\n".encode() * 50


def make_tree(work: Path) -> Path:
    """The files, two links, and a secret beside the root, readable by an unprivileged
    front-server worker."""
    root = work / "root"
    for name in NAMES:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content_of(name))
    (work / "secret.txt").write_text("secret")
    (root / "changing.txt").write_bytes(b"first version\n")
    os.symlink("plain.txt", root / "link-inside")
    os.symlink("../secret.txt", root / "link-outside")
    for folder, _, files in os.walk(work):
        os.chmod(folder, 0o755)
        for file in files:
            os.chmod(os.path.join(folder, file), 0o644)
    return root


def generated(*arguments: str) -> str:
    return subprocess.run(
        [sys.executable, "-m", "sendfile_rs", "config", *arguments],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def nginx_command(work: Path, root: Path, front_port: int, app_port: int) -> list[str]:
    location = generated("nginx", "--root", str(root), "--url", "/protected")
    config = work / "nginx.conf"
    proxy = f"        location / {{ proxy_pass http://127.0.0.1:{app_port}; }}\n"
    config.write_text(
        nginx_standalone(work, front_port, proxy + location, error_log=f"{work}/error.log info")
    )
    return [require("nginx", "nginx"), "-c", str(config), "-p", str(work)]


def lighttpd_command(work: Path, root: Path, front_port: int, app_port: int) -> list[str]:
    proxy = generated("lighttpd", "--root", str(root), "--upstream", f"127.0.0.1:{app_port}")
    (work / "empty").mkdir()
    config = work / "lighttpd.conf"
    config.write_text(f"""
server.document-root = "{work}/empty"
server.bind = "127.0.0.1"
server.port = {front_port}
server.pid-file = "{work}/lighttpd.pid"
server.errorlog = "{work}/error.log"
server.modules = ( )
mimetype.assign = ( ".txt" => "text/plain" )
{proxy}
""")
    return [require("lighttpd", "lighttpd"), "-D", "-f", str(config)]


APACHE_MODULES = Path("/usr/lib/apache2/modules")
APACHE_MODULE_PACKAGES = {
    "xsendfile": "libapache2-mod-xsendfile",
    "wsgi": "libapache2-mod-wsgi-py3",
}


def apache_config(work: Path, front_port: int, modules: list[str], directives: str) -> list[str]:
    """An Apache in the foreground from ``work``, its children as ``nobody``."""
    apache = require("apache2", "apache2")
    for module in modules:
        if not (APACHE_MODULES / f"mod_{module}.so").exists():
            require(f"mod_{module}", APACHE_MODULE_PACKAGES.get(module, "apache2"))
    loads = "\n".join(
        f"LoadModule {name}_module {APACHE_MODULES}/mod_{name}.so"
        for name in ["mpm_event", "authz_core", "mime", *modules]
    )
    config = work / "httpd.conf"
    config.write_text(f"""
ServerName 127.0.0.1
ServerRoot "{work}"
Listen 127.0.0.1:{front_port}
PidFile "{work}/httpd.pid"
ErrorLog "{work}/error.log"
DefaultRuntimeDir "{work}"
User nobody
Group nogroup
{loads}
TypesConfig /etc/mime.types
{directives}
""")
    return [apache, "-f", str(config), "-DFOREGROUND"]


def apache_xsendfile_command(work: Path, root: Path, front_port: int, app_port: int) -> list[str]:
    directives = generated("apache-xsendfile", "--root", str(root))
    proxy = f'ProxyPass "/" "http://127.0.0.1:{app_port}/"\n'
    return apache_config(work, front_port, ["proxy", "proxy_http", "xsendfile"], proxy + directives)


def apache_modwsgi_command(work: Path, root: Path, front_port: int, app_port: int) -> list[str]:
    """Debian's mod_wsgi embeds the system Python, which the unprivileged daemon process
    can read: the packages it imports are copied into ``work``. sendfile_rs (abi3) comes
    from this environment; Django and its dependencies from one built for the system
    Python (``MOD_WSGI_SITE_PACKAGES``, set by the Makefile), since the newest Django may
    no longer run on it."""
    require("python3.11", "python3.11")
    site = work / "site"
    folders = [Path(sendfile_rs.__file__ or "").parent]
    system_site = os.environ.get("MOD_WSGI_SITE_PACKAGES")
    if system_site:
        folders += [Path(system_site) / name for name in ("django", "asgiref", "sqlparse")]
    elif sys.version_info[:2] == (3, 11):
        folders += [
            Path(m.__file__ or "").parent
            for m in (django, *map(__import__, ("asgiref", "sqlparse")))
        ]
    else:
        pytest.fail("MOD_WSGI_SITE_PACKAGES must name a site-packages for Python 3.11 with Django")
    for folder in folders:
        shutil.copytree(folder, site / folder.name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(PROJECT / "project", work / "project")
    script = work / "project" / "sendfile_wsgi.py"
    script.write_text(
        "import os\n"
        f"os.environ.update({application_environment(root, 'mod_wsgi')!r})\n"
        "from project.wsgi import application\n"
    )
    directives = generated(
        "apache-modwsgi",
        "--root",
        str(root),
        "--url",
        "/protected",
        "--wsgi-script",
        str(script),
        "--python-path",
        str(site),
        "--python-path",
        str(work),
    )
    # The daemon's socket goes in the test's folder, not under /var/run.
    socket = f'WSGISocketPrefix "{work}/wsgi"\n'
    return apache_config(work, front_port, ["alias", "rewrite", "wsgi"], socket + directives)


def caddy_command(work: Path, root: Path, front_port: int, app_port: int) -> list[str]:
    caddy = require("caddy", "caddy")
    proxy = generated(
        "caddy", "--root", str(root), "--url", "/protected", "--upstream", f"127.0.0.1:{app_port}"
    )
    site = "".join(f"\t{line}\n" for line in proxy.splitlines())
    config = work / "Caddyfile"
    config.write_text(
        f"{{\n\tadmin off\n\tauto_https off\n}}\nhttp://127.0.0.1:{front_port} {{\n{site}}}\n"
    )
    return [caddy, "run", "--adapter", "caddyfile", "--config", str(config)]


@dataclass(frozen=True)
class Front:
    """A front server: the backend the application uses with it and how to start it."""

    backend: str
    command: Callable[[Path, Path, int, int], list[str]]
    #: Whether the server runs the application itself (else gunicorn does).
    runs_the_application: bool = False
    #: Whether the application's Content-Disposition reaches the client.
    keeps_disposition: bool = True


FRONTS = {
    "nginx": Front("nginx", nginx_command),
    "lighttpd": Front("lighttpd", lighttpd_command),
    "apache-xsendfile": Front("xsendfile", apache_xsendfile_command),
    # mod_wsgi's internal redirect keeps only the application's Set-Cookie (Apache's
    # err_headers_out): Content-Disposition cannot reach the client.
    "apache-modwsgi": Front(
        "mod_wsgi", apache_modwsgi_command, runs_the_application=True, keeps_disposition=False
    ),
    "caddy": Front("nginx", caddy_command),
}


def application_environment(root: Path, backend: str) -> dict[str, str]:
    return {
        "DJANGO_SETTINGS_MODULE": "project.settings",
        "SENDFILE_BACKEND": f"sendfile_rs.backends.{backend}",
        "SENDFILE_ROOT": str(root),
        "SENDFILE_URL": "/protected",
    }


@pytest.fixture(scope="module", params=sorted(FRONTS))
def site(request: pytest.FixtureRequest) -> Iterator[tuple[Front, str, Path]]:
    front = FRONTS[request.param]
    # Front-server workers run unprivileged: pytest's own temporary folders (0700) are
    # closed to them.
    work = Path(tempfile.mkdtemp(prefix=f"sendfile-e2e-{request.param}-"))
    root = make_tree(work)
    app_port, front_port = free_port(), free_port()
    command = front.command(work, root, front_port, app_port)
    try:
        with contextlib.ExitStack() as running:
            if not front.runs_the_application:
                environment = application_environment(root, front.backend)
                log = work / "gunicorn.log"
                running.enter_context(gunicorn(root, log, environment=environment, port=app_port))
            server = subprocess.Popen(
                command, cwd=work, env=front_environment(work), start_new_session=True
            )
            running.callback(stop, server)
            wait_for_port(front_port, server, work / "error.log")
            yield front, f"127.0.0.1:{front_port}", root
    finally:
        shutil.rmtree(work)


def stop(process: subprocess.Popen[bytes]) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=20)


def front_environment(work: Path) -> dict[str, str]:
    """Caddy keeps its state under HOME and the XDG folders: the test's folder here."""
    return dict(os.environ, HOME=str(work), XDG_DATA_HOME=str(work), XDG_CONFIG_HOME=str(work))


def get(site: str, path: str, headers: dict[str, str] | None = None) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection(site, timeout=30)
    connection.request("GET", path, headers=headers or {})
    response = connection.getresponse()
    response.read_body = response.read()  # type: ignore[attr-defined]
    connection.close()
    return response


def app_path(name: str) -> str:
    return "/files/" + urllib.parse.quote(name)


@pytest.mark.parametrize("name", NAMES)
def test_hostile_names_arrive_exactly(site: tuple[Front, str, Path], name: str) -> None:
    response = get(site[1], app_path(name))
    assert response.status == 200, response.read_body  # type: ignore[attr-defined]
    assert response.read_body == content_of(name)  # type: ignore[attr-defined]
    assert response.getheader("Content-Type") == "text/plain"
    disposition = response.getheader("Content-Disposition")
    if site[0].keeps_disposition:
        assert disposition is not None and disposition.startswith("inline; filename=")
    else:
        assert disposition is None


def test_link_inside_the_root_is_served(site: tuple[Front, str, Path]) -> None:
    response = get(site[1], app_path("link-inside"))
    assert response.status == 200
    assert response.read_body == content_of("plain.txt")  # type: ignore[attr-defined]


def test_link_out_of_the_root_is_404(site: tuple[Front, str, Path]) -> None:
    assert get(site[1], app_path("link-outside")).status == 404


def test_range_is_handled_by_the_front_server(site: tuple[Front, str, Path]) -> None:
    response = get(site[1], app_path("plain.txt"), {"Range": "bytes=4-11"})
    assert response.status == 206
    assert response.read_body == content_of("plain.txt")[4:12]  # type: ignore[attr-defined]


def validators_of(response: http.client.HTTPResponse) -> dict[str, str]:
    """The conditional headers a client sends back: the ETag if any, else the date."""
    etag = response.getheader("ETag")
    if etag:
        return {"If-None-Match": etag}
    last_modified = response.getheader("Last-Modified")
    assert last_modified, "the answer has no validator at all"
    return {"If-Modified-Since": last_modified}


def test_conditional_request_is_handled_by_the_front_server(
    site: tuple[Front, str, Path],
) -> None:
    validators = validators_of(get(site[1], app_path("plain.txt")))
    assert get(site[1], app_path("plain.txt"), validators).status == 304


def test_a_changed_file_is_sent_again(site: tuple[Front, str, Path]) -> None:
    _, address, root = site
    validators = validators_of(get(address, app_path("changing.txt")))
    assert get(address, app_path("changing.txt"), validators).status == 304
    time.sleep(1.1)  # a new modification second, for servers that validate by date
    (root / "changing.txt").write_bytes(b"second, longer version\n")
    again = get(address, app_path("changing.txt"), validators)
    assert again.status == 200, "a stale copy was declared current"
    assert again.read_body == b"second, longer version\n"  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "path",
    [
        "/protected/plain.txt",
        "/protected/" + urllib.parse.quote("with space.txt"),
        "/plain.txt",
        # The same URL in other spellings, which the servers decode and normalise before
        # they map it.
        "/%70rotected/plain.txt",
        "//protected/plain.txt",
        "/files/../protected/plain.txt",
        "/protected/./plain.txt",
    ],
)
def test_the_files_cannot_be_requested_directly(site: tuple[Front, str, Path], path: str) -> None:
    # nginx: the location is internal. mod_wsgi: a rewrite rule refuses requests that are
    # not internal redirects. lighttpd, Caddy, mod_xsendfile: every request goes to the
    # application, which answers 404.
    response = get(site[1], path)
    assert response.status == 404, path
    assert content_of("plain.txt") not in response.read_body  # type: ignore[attr-defined]


def test_missing_file_is_404(site: tuple[Front, str, Path]) -> None:
    assert get(site[1], app_path("nothing.txt")).status == 404
