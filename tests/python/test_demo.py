"""The example app of `make demo`, started as a user would: a login is required, then the
files download through sendfile_rs, with ranges and non-ASCII names."""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import subprocess
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from serving import free_port, wait_for_port

REPOSITORY = Path(__file__).parents[2]
VIDEO = REPOSITORY / "examples" / "protected_downloads" / "media" / "clock.mp4"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``make demo``, the README's first command, with its database and files in a
    temporary folder instead of the checkout's var/."""
    port = free_port()
    environment = dict(os.environ, DEMO_VAR=str(tmp_path_factory.mktemp("demo")))
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    log = tmp_path_factory.mktemp("demo-log") / "make-demo.log"
    with open(log, "wb") as output:
        server = subprocess.Popen(
            ["make", "--no-print-directory", "demo", f"DEMO_PORT={port}"],
            cwd=REPOSITORY,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        # A cold start builds the wheel first.
        wait_for_port(port, server, log, seconds=120)
        yield f"http://127.0.0.1:{port}"
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)


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
    redirected.value.close()  # the error holds the answer's socket

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


def test_the_video_seeks(demo: str) -> None:
    browser = log_in(demo)
    page = browser.open(f"{demo}/").read().decode()
    assert '<video controls preload="metadata" width="640" src="/files/videos/clock.mp4">' in page

    video = VIDEO.read_bytes()
    # What a browser asks for when the slider is dragged to the middle.
    middle = len(video) // 2
    seek = browser.open(
        urllib.request.Request(
            f"{demo}/files/videos/clock.mp4", headers={"Range": f"bytes={middle}-"}
        )
    )
    assert seek.status == 206
    assert seek.headers["Content-Type"] == "video/mp4"
    assert seek.headers["Content-Range"] == f"bytes {middle}-{len(video) - 1}/{len(video)}"
    assert seek.read() == video[middle:]
