"""Starting the test project under a real WSGI server on 127.0.0.1, for the tests that
need one (servers, faults, load)."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

HERE = Path(__file__).parent
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for_port(
    port: int, process: subprocess.Popen[bytes], log: Path, *, seconds: float = 30
) -> None:
    """Returns once 127.0.0.1:``port`` accepts connections; fails the test with the
    server's log if the server exits or ``seconds`` pass first."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the server exited: {log.read_text(errors='replace')}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    pytest.fail(f"the server did not start: {log.read_text(errors='replace')}")


def wait_for_worker(process: subprocess.Popen[bytes], port: int, log: Path) -> int:
    """The pid of the server's one worker, once the port answers."""
    wait_for_port(port, process, log)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        children = subprocess.run(
            ["pgrep", "-P", str(process.pid)], capture_output=True, text=True
        ).stdout.split()
        if children:
            return int(children[0])
        time.sleep(0.05)
    pytest.fail(f"the server has no worker: {log.read_text(errors='replace')}")


@dataclass(frozen=True)
class Server:
    """A running server: where it listens, its worker, and its log."""

    port: int
    worker: int
    log: Path

    def descriptors(self) -> int:
        return len(os.listdir(f"/proc/{self.worker}/fd"))

    def settled_descriptors(self, expected: int = -1) -> int:
        """The worker's open descriptors once they equal ``expected`` or stop having a
        chance to (5 s): the worker closes a connection the client closed on its next
        poll, not at once."""
        deadline = time.monotonic() + 5
        while (count := self.descriptors()) != expected and time.monotonic() < deadline:
            time.sleep(0.05)
        return count

    def resident_kib(self) -> int:
        status = Path(f"/proc/{self.worker}/status").read_text()
        (line,) = [line for line in status.splitlines() if line.startswith("VmRSS:")]
        return int(line.split()[1])


@contextlib.contextmanager
def gunicorn(
    root: Path,
    log: Path,
    *,
    threads: int = 1,
    environment: dict[str, str] | None = None,
    prefix: tuple[str, ...] = (),
    port: int | None = None,
    app: str = "project",
) -> Iterator[Server]:
    """gunicorn with one worker serving the test project from ``root`` (the simple
    backend unless ``environment`` says otherwise) on ``port`` (a free one by default);
    ``prefix`` runs it under another program (setpriv, say); ``app`` names another
    project beside this file, with its ``wsgi`` and ``settings`` modules."""
    port = port or free_port()
    command = [
        *prefix,
        str(BIN / "gunicorn"),
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        "1",
        "--threads",
        str(threads),
        "--log-level",
        "info",
        f"{app}.wsgi:application",
    ]
    variables = {
        **os.environ,
        "SENDFILE_ROOT": str(root),
        "PYTHONPATH": str(HERE),
        "DJANGO_SETTINGS_MODULE": f"{app}.settings",
        **(environment or {}),
    }
    with open(log, "wb") as output:
        process = subprocess.Popen(
            command,
            cwd=HERE,
            env=variables,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        yield Server(port, wait_for_worker(process, port, log), log)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
