"""The example app of `make demo`, started as a user would: a login is required, then the
files download through sendfile_rs, with ranges and non-ASCII names."""

from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

MANAGE = Path(__file__).parents[2] / "examples" / "protected_downloads" / "manage.py"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[str]:
    environment = dict(os.environ, DEMO_VAR=str(tmp_path))
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    subprocess.run([sys.executable, str(MANAGE), "prepare_demo"], env=environment, check=True)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, str(MANAGE), "runserver", "--noreload", f"127.0.0.1:{port}"],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def log_in(site: str) -> urllib.request.OpenerDirector:
    """A browser logged in to the example app at `site` as demo / demo, after checking
    that an anonymous visitor is sent to the login page."""
    anonymous = urllib.request.build_opener(NoRedirect)
    with pytest.raises(urllib.error.HTTPError) as redirected:
        anonymous.open(f"{site}/files/welcome.txt")
    assert redirected.value.code == 302
    assert redirected.value.headers["Location"].startswith("/accounts/login/")

    cookies = http.cookiejar.CookieJar()
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(cookies))
    login_page = browser.open(f"{site}/accounts/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login_page)
    assert token, login_page
    form = urllib.parse.urlencode(
        {"username": "demo", "password": "demo", "csrfmiddlewaretoken": token.group(1)}
    ).encode()
    index = browser.open(urllib.request.Request(f"{site}/accounts/login/", data=form)).read()
    assert b"Your files, demo" in index
    return browser


def test_login_then_download(demo: str) -> None:
    browser = log_in(demo)

    welcome = browser.open(f"{demo}/files/welcome.txt")
    assert welcome.read() == b"Only logged-in users can read this file.\n"
    assert welcome.headers["Content-Disposition"] == 'inline; filename="welcome.txt"'

    accented = browser.open(f"{demo}/files/r%C3%A9sum%C3%A9.txt?download=1")
    assert accented.headers["Content-Disposition"] == (
        "attachment; filename=\"resume.txt\"; filename*=UTF-8''r%C3%A9sum%C3%A9.txt"
    )

    ranged = browser.open(
        urllib.request.Request(f"{demo}/files/sample.bin", headers={"Range": "bytes=256-511"})
    )
    assert ranged.status == 206
    assert ranged.read() == bytes(range(256))
