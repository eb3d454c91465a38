"""The example app behind nginx: Django (runserver) on a private port answers with
X-Accel-Redirect, and nginx on 127.0.0.1:PORT sends the files, configured by
`python -m sendfile_rs config nginx`. Stops both on Ctrl-C or SIGTERM.

Usage: serve_behind_nginx.py PORT (after `manage.py prepare_demo`).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sendfile_rs.deploy.front_config import nginx_standalone

HERE = Path(__file__).resolve().parent
URL = "/protected"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(port: int) -> None:
    for _ in range(300):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    sys.exit(f"nothing answers on port {port}")


def main() -> None:
    port = int(sys.argv[1])
    nginx = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/sbin")
    if nginx is None:
        sys.exit("nginx is not installed (apt-get install nginx)")
    var = Path(os.environ.get("DEMO_VAR", HERE / "var")).resolve()
    root = var / "files"
    app_port = free_port()
    environment = dict(os.environ, SENDFILE_BACKEND="sendfile_rs.backends.nginx", SENDFILE_URL=URL)
    location = subprocess.run(
        [sys.executable, "-m", "sendfile_rs", "config", "nginx", "--root", str(root), "--url", URL],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    work = Path(tempfile.mkdtemp(prefix="sendfile-demo-nginx-"))
    proxy = (
        f"        location / {{ proxy_pass http://127.0.0.1:{app_port}; "
        "proxy_set_header Host $http_host; }\n"
    )
    # Run as root, nginx's workers drop to an unprivileged user that may not be able to
    # read a checkout in a private home folder; for this local demo they stay root.
    (work / "nginx.conf").write_text(
        nginx_standalone(work, port, proxy + location, workers_as_root=os.geteuid() == 0)
    )
    app = subprocess.Popen(
        [
            sys.executable,
            str(HERE / "manage.py"),
            "runserver",
            "--noreload",
            f"127.0.0.1:{app_port}",
        ],
        env=environment,
    )
    front = subprocess.Popen([nginx, "-c", str(work / "nginx.conf"), "-p", str(work)])
    stopping = False

    def stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        wait_for(app_port)
        wait_for(port)
        print(f"\n  Open http://127.0.0.1:{port}/ and log in as demo / demo.", flush=True)
        print(
            f"  nginx sends the files (X-Accel-Redirect to {URL}/); Django checks who may.\n",
            flush=True,
        )
        while not stopping and app.poll() is None and front.poll() is None:
            time.sleep(0.2)
    finally:
        for process in (front, app):
            if process.poll() is None:
                process.terminate()
                process.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
