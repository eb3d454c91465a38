"""Real front servers in front of a Flask application (tests/flask/flask_app.py under
gunicorn, or inside Apache for mod_wsgi; sendfile_rs.flask with the backend each server
works with), each configured by `python -m sendfile_rs config <server>`: hostile names
byte-exact, a link out of the root and a missing file 404, ranges answered by the front
server, and the protected files refused when asked for directly. And Werkzeug's own
X-Sendfile answer beside ours through Apache with mod_xsendfile, with a Range: only ours
gets the client its 206."""

from __future__ import annotations

import contextlib
import http.client
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import require
from fronts import (
    Setup,
    apache_config,
    front_environment,
    generated,
    running_site,
    stop,
    temporary_work,
)
from serving import BIN, free_port, started, wait_for_port
from test_front_servers import NAMES, app_path, content_of, get, make_tree

import sendfile_rs

FLASK_TESTS = Path(__file__).parents[1] / "flask"

#: The front servers that proxy to the application under gunicorn; mod_wsgi runs it.
PROXYING = ("nginx", "lighttpd", "apache-xsendfile", "caddy")
BACKEND = {"nginx": "nginx", "lighttpd": "lighttpd", "apache-xsendfile": "xsendfile"}
#: What Flask imports, copied for Debian's mod_wsgi (the system Python 3.11) from
#: FLASK_MOD_WSGI_SITE_PACKAGES, a site-packages of Python 3.11 with Flask (set by the
#: Makefile: make test-flask's Flask 3.0 environment).
FLASK_PACKAGES = ("flask", "werkzeug", "click", "itsdangerous", "jinja2", "markupsafe", "blinker")


@contextlib.contextmanager
def flask_gunicorn(root: Path, backend: str, port: int, log: Path) -> Iterator[None]:
    command = [
        *(str(BIN / "gunicorn"), "--bind", f"127.0.0.1:{port}"),
        *("--workers", "1", "--log-level", "warning", "flask_app:app"),
    ]
    environment = {
        "SENDFILE_BACKEND": backend,
        "SENDFILE_URL": "/protected",
        "PYTHONPATH": str(FLASK_TESTS),
    }
    with started(command, root, "unused", log, environment) as process:
        wait_for_port(port, process, log)
        yield


def flask_modwsgi_command(setup: Setup) -> list[str]:
    """Apache running the Flask application in mod_wsgi's daemon mode, with the packages
    it imports copied into the work folder, readable by the unprivileged daemon."""
    require("python3.11", "python3.11")
    site_packages = os.environ.get("FLASK_MOD_WSGI_SITE_PACKAGES")
    if not site_packages:
        pytest.fail("FLASK_MOD_WSGI_SITE_PACKAGES must name a site-packages for 3.11 with Flask")
    work = setup.work
    site = work / "site"
    folders = [Path(sendfile_rs.__file__ or "").parent]
    folders += [Path(site_packages) / name for name in FLASK_PACKAGES]
    for folder in folders:
        shutil.copytree(folder, site / folder.name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(FLASK_TESTS / "flask_app.py", work / "flask_app.py")
    script = work / "flask_wsgi.py"
    script.write_text(
        f"import os\nos.environ.update({setup.environment!r})\n"
        "from flask_app import app as application\n"
    )
    directives = generated(
        setup,
        *("apache-modwsgi", "--root", str(setup.root), "--url", "/protected"),
        *("--wsgi-script", str(script), "--python-path", str(site), "--python-path", str(work)),
    )
    socket = f'WSGISocketPrefix "{work}/wsgi"\n'
    return apache_config(setup, ["alias", "rewrite", "headers", "wsgi"], socket + directives)


@contextlib.contextmanager
def flask_in_apache(work: Path, root: Path) -> Iterator[str]:
    """Apache with mod_wsgi running the Flask application; its address."""
    environment = {
        "SENDFILE_BACKEND": "mod_wsgi",
        "SENDFILE_ROOT": str(root),
        "SENDFILE_URL": "/protected",
    }
    front_port = free_port()
    command = flask_modwsgi_command(Setup(work, root, front_port, 0, environment))
    server = subprocess.Popen(
        command, cwd=work, env=front_environment(work), start_new_session=True
    )
    try:
        wait_for_port(front_port, server, work / "error.log")
        yield f"127.0.0.1:{front_port}"
    finally:
        stop(server)


@pytest.fixture(scope="module", params=[*PROXYING, "apache-modwsgi"])
def site(request: pytest.FixtureRequest) -> Iterator[tuple[str, str, str]]:
    """The front server's name and address, and the application's address (the front
    server's own for mod_wsgi)."""
    name = request.param
    work = temporary_work(f"flask-{name}")
    try:
        root = make_tree(work)
        if name == "apache-modwsgi":
            with flask_in_apache(work, root) as address:
                yield name, address, address
            return
        port = free_port()
        with (
            flask_gunicorn(root, BACKEND.get(name, "nginx"), port, work / "gunicorn.log"),
            running_site(name, work, root, app_port=port) as running,
        ):
            yield name, running.address, f"127.0.0.1:{port}"
    finally:
        shutil.rmtree(work)


@pytest.mark.parametrize("name", NAMES)
def test_hostile_names_arrive_exactly(site: tuple[str, str, str], name: str) -> None:
    response = get(site[1], app_path(name))
    assert response.status == 200, response.read_body  # type: ignore[attr-defined]
    assert response.read_body == content_of(name)  # type: ignore[attr-defined]
    assert response.getheader("Content-Type") == "text/plain"
    disposition = response.getheader("Content-Disposition")
    if site[0] == "apache-modwsgi":
        # mod_wsgi's internal redirect keeps only the application's Set-Cookie.
        assert disposition is None
    else:
        assert disposition is not None and disposition.startswith("inline; filename=")


def test_links_and_missing_files(site: tuple[str, str, str]) -> None:
    response = get(site[1], app_path("link-inside"))
    assert (response.status, response.read_body) == (200, content_of("plain.txt"))  # type: ignore[attr-defined]
    assert get(site[1], app_path("link-outside")).status == 404
    assert get(site[1], app_path("nothing.txt")).status == 404


def test_the_front_server_answers_the_range(site: tuple[str, str, str]) -> None:
    response = get(site[1], app_path("plain.txt"), {"Range": "bytes=4-11"})
    assert response.status == 206
    assert response.read_body == content_of("plain.txt")[4:12]  # type: ignore[attr-defined]
    whole = len(content_of("plain.txt"))
    assert response.getheader("Content-Range") == f"bytes 4-11/{whole}"


@pytest.mark.parametrize(
    "path",
    [
        "/protected/plain.txt",
        "/%70rotected/plain.txt",
        "//protected/plain.txt",
        "/files/../protected/plain.txt",
        "/plain.txt",
    ],
)
def test_the_files_cannot_be_requested_directly(site: tuple[str, str, str], path: str) -> None:
    response = get(site[1], path)
    assert response.status == 404, path
    assert content_of("plain.txt") not in response.read_body  # type: ignore[attr-defined]


def raw_get(address: str, path: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
    """Status, headers and what arrived of the body, however short of Content-Length."""
    connection = http.client.HTTPConnection(address, timeout=10)
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    try:
        body = response.read()
    except http.client.IncompleteRead as short:
        body = short.partial
    connection.close()
    return response.status, dict(response.getheaders()), body


def test_werkzeug_x_sendfile_with_a_range_against_ours_through_apache() -> None:
    work = temporary_work("flask-xsendfile-werkzeug")
    try:
        root = make_tree(work)
        port = free_port()
        with (
            flask_gunicorn(root, "xsendfile", port, work / "gunicorn.log"),
            running_site("apache-xsendfile", work, root, app_port=port) as running,
        ):
            whole = content_of("plain.txt")
            asked = {"Range": "bytes=4-11"}
            # Ours: a 200 with X-Sendfile from the application, the 206 from Apache.
            status, headers, body = raw_get(f"127.0.0.1:{port}", app_path("plain.txt"), asked)
            assert (status, headers["X-Sendfile"], body) == (200, f"{root}/plain.txt", b"")
            assert "Content-Range" not in headers
            status, headers, body = raw_get(running.address, app_path("plain.txt"), asked)
            assert (status, headers["Content-Range"], body) == (
                206,
                f"bytes 4-11/{len(whole)}",
                whole[4:12],
            )
            # Werkzeug's: its own 206 beside X-Sendfile, which mod_xsendfile leaves alone,
            # so the client gets the 206's headers and none of its bytes.
            path = "/werkzeug/plain.txt"
            status, headers, body = raw_get(f"127.0.0.1:{port}", path, asked)
            assert (status, headers["X-Sendfile"], headers["Content-Range"]) == (
                206,
                f"{root}/plain.txt",
                f"bytes 4-11/{len(whole)}",
            )
            status, headers, body = raw_get(running.address, path, asked)
            assert (status, headers["Content-Length"], body) == (206, "8", b"")
    finally:
        shutil.rmtree(work)
