"""nginx in front of Django (gunicorn) with the nginx backend, configured by
`python -m sendfile_rs config nginx`: what a client receives for hostile names, links,
ranges, conditional requests and direct requests for the internal URL."""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import free_port, require, wait_for_port

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


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    nginx = require("nginx", "nginx")
    # nginx's worker runs unprivileged: pytest's own temporary folders (0700) are closed to it.
    work = Path(tempfile.mkdtemp(prefix="sendfile-e2e-"))
    work.chmod(0o755)
    root = work / "root"
    for name in NAMES:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content_of(name))
    (work / "secret.txt").write_text("secret")
    os.symlink("plain.txt", root / "link-inside")
    os.symlink("../secret.txt", root / "link-outside")
    for folder, _, files in os.walk(work):
        os.chmod(folder, 0o755)
        for file in files:
            os.chmod(os.path.join(folder, file), 0o644)

    app_port, front_port = free_port(), free_port()
    environment = dict(
        os.environ,
        PYTHONPATH=str(PROJECT),
        DJANGO_SETTINGS_MODULE="project.settings",
        SENDFILE_BACKEND="sendfile_rs.backends.nginx",
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
    location = subprocess.run(
        [
            sys.executable,
            "-m",
            "sendfile_rs",
            "config",
            "nginx",
            "--root",
            str(root),
            "--url",
            "/protected",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    config = work / "nginx.conf"
    config.write_text(f"""
daemon off;
worker_processes 1;
pid {work}/nginx.pid;
error_log {work}/error.log info;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path {work}/body;
    proxy_temp_path {work}/proxy;
    fastcgi_temp_path {work}/fastcgi;
    uwsgi_temp_path {work}/uwsgi;
    scgi_temp_path {work}/scgi;
    server {{
        listen 127.0.0.1:{front_port};
        location / {{ proxy_pass http://127.0.0.1:{app_port}; }}
{location}
    }}
}}
""")
    front_log = work / "error.log"
    front = subprocess.Popen([nginx, "-c", str(config), "-p", str(work)], start_new_session=True)
    try:
        wait_for_port(app_port, app, app_log)
        wait_for_port(front_port, front, front_log)
        yield f"127.0.0.1:{front_port}"
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
def test_hostile_names_arrive_exactly(site: str, name: str) -> None:
    response = get(site, app_path(name))
    assert response.status == 200, response.read_body  # type: ignore[attr-defined]
    assert response.read_body == content_of(name)  # type: ignore[attr-defined]
    assert response.getheader("Content-Type") == "text/plain"
    assert response.getheader("Content-Disposition", "").startswith("inline; filename=")


def test_link_inside_the_root_is_served(site: str) -> None:
    response = get(site, app_path("link-inside"))
    assert response.status == 200
    assert response.read_body == content_of("plain.txt")  # type: ignore[attr-defined]


def test_link_out_of_the_root_is_404(site: str) -> None:
    assert get(site, app_path("link-outside")).status == 404


def test_range_is_handled_by_nginx(site: str) -> None:
    response = get(site, app_path("plain.txt"), {"Range": "bytes=4-11"})
    assert response.status == 206
    assert response.read_body == content_of("plain.txt")[4:12]  # type: ignore[attr-defined]


def test_conditional_request_is_handled_by_nginx(site: str) -> None:
    etag = get(site, app_path("plain.txt")).getheader("ETag")
    assert etag
    assert get(site, app_path("plain.txt"), {"If-None-Match": etag}).status == 304


def test_the_internal_url_cannot_be_requested_directly(site: str) -> None:
    assert get(site, "/protected/plain.txt").status == 404
    assert get(site, "/protected/" + urllib.parse.quote("with space.txt")).status == 404


def test_missing_file_is_404(site: str) -> None:
    assert get(site, app_path("nothing.txt")).status == 404
