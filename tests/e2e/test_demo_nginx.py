"""`make demo BACKEND=nginx`: the example app behind a real nginx that sends the files
(the Django app answers with X-Accel-Redirect only)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import free_port, require
from test_demo import log_in

EXAMPLE = Path(__file__).parents[2] / "examples" / "protected_downloads"


@pytest.fixture
def demo_behind_nginx(tmp_path: Path) -> Iterator[str]:
    require("nginx", "nginx")
    environment = dict(os.environ, DEMO_VAR=str(tmp_path))
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    subprocess.run(
        [sys.executable, str(EXAMPLE / "manage.py"), "prepare_demo"], env=environment, check=True
    )
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, str(EXAMPLE / "serve_behind_nginx.py"), str(port)],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        assert server.stdout is not None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and b"Open http" not in server.stdout.readline():
            pass
        socket.create_connection(("127.0.0.1", port), timeout=5).close()
        yield f"http://127.0.0.1:{port}"
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)


def test_nginx_sends_the_files_after_login(demo_behind_nginx: str) -> None:
    browser = log_in(demo_behind_nginx)
    welcome = browser.open(f"{demo_behind_nginx}/files/welcome.txt")
    assert welcome.read() == b"Only logged-in users can read this file.\n"
    # nginx, not Django, sent the body: it adds its own validators and server name.
    assert welcome.headers["Server"].startswith("nginx")
    assert welcome.headers["ETag"]
    ranged = browser.open(
        urllib.request.Request(
            f"{demo_behind_nginx}/files/sample.bin", headers={"Range": "bytes=256-511"}
        )
    )
    assert ranged.status == 206
    assert ranged.read() == bytes(range(256))
    with pytest.raises(urllib.error.HTTPError) as direct:
        browser.open(f"{demo_behind_nginx}/protected/welcome.txt")
    assert direct.value.code == 404
