"""Real front servers in front of Django (gunicorn), each configured by
`python -m sendfile_rs config <server>` and the application using the matching backend:
what a client receives for hostile names, links, ranges, conditional requests, and
direct requests for the files."""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import free_port, require, wait_for_port

from sendfile_rs.front_config import nginx_standalone

PROJECT = Path(__file__).parents[1] / "python"
BIN = Path(sys.executable).parent

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


def apache_xsendfile_command(work: Path, root: Path, front_port: int, app_port: int) -> list[str]:
    apache = require("apache2", "apache2 libapache2-mod-xsendfile")
    if not (APACHE_MODULES / "mod_xsendfile.so").exists():
        require("no-mod-xsendfile", "libapache2-mod-xsendfile")
    directives = generated("apache-xsendfile", "--root", str(root))
    modules = ["mpm_event", "authz_core", "mime", "proxy", "proxy_http", "xsendfile"]
    loads = "\n".join(
        f"LoadModule {name}_module {APACHE_MODULES}/mod_{name}.so" for name in modules
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
ProxyPass "/" "http://127.0.0.1:{app_port}/"
{directives}
""")
    return [apache, "-f", str(config), "-DFOREGROUND"]


#: Per front server: the backend the application uses, and how to start the server.
FRONTS = {
    "nginx": ("sendfile_rs.backends.nginx", nginx_command),
    "lighttpd": ("sendfile_rs.backends.lighttpd", lighttpd_command),
    "apache-xsendfile": ("sendfile_rs.backends.xsendfile", apache_xsendfile_command),
}


@pytest.fixture(scope="module", params=sorted(FRONTS))
def site(request: pytest.FixtureRequest) -> Iterator[tuple[str, str, Path]]:
    backend, front_command = FRONTS[request.param]
    # Front-server workers run unprivileged: pytest's own temporary folders (0700) are
    # closed to them.
    work = Path(tempfile.mkdtemp(prefix=f"sendfile-e2e-{request.param}-"))
    root = make_tree(work)
    app_port, front_port = free_port(), free_port()
    command = front_command(work, root, front_port, app_port)
    environment = dict(
        os.environ,
        PYTHONPATH=str(PROJECT),
        DJANGO_SETTINGS_MODULE="project.settings",
        SENDFILE_BACKEND=backend,
        SENDFILE_ROOT=str(root),
        SENDFILE_URL="/protected",
    )
    app_log = work / "gunicorn.log"
    with open(app_log, "wb") as log:
        app = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "--bind",
                f"127.0.0.1:{app_port}",
                "--workers",
                "1",
                "project.wsgi:application",
            ],
            cwd=PROJECT,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    front = subprocess.Popen(command, start_new_session=True)
    try:
        wait_for_port(app_port, app, app_log)
        wait_for_port(front_port, front, work / "error.log")
        yield request.param, f"127.0.0.1:{front_port}", root
    finally:
        for process in (front, app):
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=20)
        shutil.rmtree(work)


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
def test_hostile_names_arrive_exactly(site: tuple[str, str, Path], name: str) -> None:
    response = get(site[1], app_path(name))
    assert response.status == 200, response.read_body  # type: ignore[attr-defined]
    assert response.read_body == content_of(name)  # type: ignore[attr-defined]
    assert response.getheader("Content-Type") == "text/plain"
    assert response.getheader("Content-Disposition", "").startswith("inline; filename=")


def test_link_inside_the_root_is_served(site: tuple[str, str, Path]) -> None:
    response = get(site[1], app_path("link-inside"))
    assert response.status == 200
    assert response.read_body == content_of("plain.txt")  # type: ignore[attr-defined]


def test_link_out_of_the_root_is_404(site: tuple[str, str, Path]) -> None:
    assert get(site[1], app_path("link-outside")).status == 404


def test_range_is_handled_by_the_front_server(site: tuple[str, str, Path]) -> None:
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
    site: tuple[str, str, Path],
) -> None:
    validators = validators_of(get(site[1], app_path("plain.txt")))
    assert get(site[1], app_path("plain.txt"), validators).status == 304


def test_a_changed_file_is_sent_again(site: tuple[str, str, Path]) -> None:
    _, address, root = site
    validators = validators_of(get(address, app_path("changing.txt")))
    assert get(address, app_path("changing.txt"), validators).status == 304
    time.sleep(1.1)  # a new modification second, for servers that validate by date
    (root / "changing.txt").write_bytes(b"second, longer version\n")
    again = get(address, app_path("changing.txt"), validators)
    assert again.status == 200, "a stale copy was declared current"
    assert again.read_body == b"second, longer version\n"  # type: ignore[attr-defined]


def test_the_files_cannot_be_requested_directly(site: tuple[str, str, Path]) -> None:
    address = site[1]
    # nginx: the location is internal. lighttpd: the files are outside its document root,
    # and every request goes to the application, which answers 404.
    assert get(address, "/protected/plain.txt").status == 404
    assert get(address, "/protected/" + urllib.parse.quote("with space.txt")).status == 404
    assert get(address, "/plain.txt").status == 404


def test_missing_file_is_404(site: tuple[str, str, Path]) -> None:
    assert get(site[1], app_path("nothing.txt")).status == 404
