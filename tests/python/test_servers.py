"""The simple backend under real WSGI servers (gunicorn, uWSGI) on 127.0.0.1: a 256 MiB
file byte-exact, a single range and a multipart range byte-exact, the worker's peak memory
under 64 MiB, and proof from strace that 200 and 206 bodies went through sendfile(2)."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import serving
from serving import BIN, HERE, big_file, free_port, peak_memory_kib, wait_for_worker

#: Real servers: the newest Django runs these (make test-python), `make check` leaves them.
pytestmark = pytest.mark.servers

SIZE = 256 << 20
PEAK_MEMORY_LIMIT_KIB = 64 * 1024
#: uWSGI sends a wrapped descriptor from offset 0 for the file's whole size
#: (plugins/python/wsgi_subhandler.c), so a partial range cannot go through sendfile(2)
#: there; sendfile_rs reads it instead, and the bytes must still be exact.
RANGES_BY_SENDFILE = {"gunicorn": True, "gunicorn-corked": True, "uwsgi": False}
#: gunicorn passes its client socket in the environ, and with the tcp_cork option
#: sendfile_rs corks it around the body (see python/sendfile_rs/_servers/cork.py); without it,
#: as by default, nothing is corked. uWSGI passes no socket.
CORKS = {"gunicorn": False, "gunicorn-corked": True, "uwsgi": False}
#: The SENDFILE_OPTIONS of each server's test project.
OPTIONS = {"gunicorn": "{}", "gunicorn-corked": '{"tcp_cork": true}', "uwsgi": "{}"}


@pytest.fixture(scope="module")
def big_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("servers") / "root"
    root.mkdir()
    big_file(root, SIZE)
    return root


def command(server: str, port: int) -> list[str]:
    if server == "gunicorn":
        return [
            str(BIN / "gunicorn"),
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--log-level",
            "warning",
            "project.wsgi:application",
        ]
    return [
        str(BIN / "uwsgi"),
        "--http-socket",
        f"127.0.0.1:{port}",
        "--module",
        "project.wsgi:application",
        "--master",
        "--processes",
        "1",
        "--need-app",
        "--die-on-term",
        "--disable-logging",
        "--chdir",
        str(HERE),
    ]


@pytest.fixture(params=list(OPTIONS))
def server(
    request: pytest.FixtureRequest, big_root: Path, tmp_path: Path
) -> Iterator[tuple[str, int, int]]:
    name = request.param
    program = name.partition("-")[0]
    if shutil.which(program, path=str(BIN)) is None:
        pytest.fail(f"{program} is not installed in the test environment (pip install {program})")
    port = free_port()
    environment = dict(
        os.environ,
        SENDFILE_ROOT=str(big_root),
        SENDFILE_OPTIONS=OPTIONS[name],
        PYTHONPATH=str(HERE),
        DJANGO_SETTINGS_MODULE="project.settings",
    )
    log = open(tmp_path / f"{name}.log", "wb")
    process = subprocess.Popen(
        command(program, port),
        cwd=HERE,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        worker = wait_for_worker(process, port, tmp_path / f"{name}.log")
        yield name, port, worker
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
        log.close()


def fetch(port: int, headers: dict[str, str]) -> tuple[int, dict[str, str], str, int]:
    return serving.fetch(port, "/files/big.bin", headers)


def fetch_bytes(port: int, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
    return serving.fetch_bytes(port, "/files/big.bin", headers)


def slice_of(root: Path, offset: int, length: int) -> bytes:
    return serving.slice_of(root / "big.bin", offset, length)


class Strace(serving.Strace):
    """Records a process's sendfile(2) calls and TCP_CORK settings while it is active."""

    def __init__(self, pid: int, output: Path) -> None:
        super().__init__(pid, output, "-e", "trace=sendfile,setsockopt")

    def stop(self, *, await_uncork: bool) -> tuple[int, list[str]]:
        """Bytes sent by sendfile(2), and the order of cork, sendfile and uncork calls.
        With ``await_uncork``, first waits (up to 5 s) for the uncork that the body's close
        makes after the last byte."""
        for _ in range(100 if await_uncork else 0):
            if "TCP_CORK, [0]" in self.output.read_text():
                break
            time.sleep(0.05)
        sent, order = 0, []
        for line in self.finish().splitlines():
            if "TCP_CORK, [1]" in line:
                order.append("cork")
            elif "TCP_CORK, [0]" in line:
                order.append("uncork")
            elif match := re.search(r"sendfile\(.*\)\s+=\s+(\d+)", line):
                sent += int(match.group(1))
                if order[-1:] != ["sendfile"]:
                    order.append("sendfile")
        return sent, order


def test_whole_file_range_and_multipart_are_exact_and_zero_copy(
    server: tuple[str, int, int], big_root: Path, tmp_path: Path
) -> None:
    name, port, worker = server
    corks = CORKS[name]
    trace = Strace(worker, tmp_path / "whole.strace")
    status, headers, digest, length = fetch(port, {})
    assert status == 200 and length == SIZE
    assert digest == hashlib.sha256((big_root / "big.bin").read_bytes()).hexdigest()
    sent, order = trace.stop(await_uncork=corks)
    assert sent >= SIZE, "the 200 body did not go through sendfile(2)"
    assert order == (["cork", "sendfile", "uncork"] if corks else ["sendfile"])

    offset, count = 100 << 20, 50 << 20
    trace = Strace(worker, tmp_path / "range.strace")
    status, headers, digest, length = fetch(port, {"Range": f"bytes={offset}-{offset + count - 1}"})
    assert status == 206 and length == count
    assert headers["Content-Range"] == f"bytes {offset}-{offset + count - 1}/{SIZE}"
    assert digest == hashlib.sha256(slice_of(big_root, offset, count)).hexdigest()
    sent, order = trace.stop(await_uncork=corks)
    if RANGES_BY_SENDFILE[name]:
        assert sent >= count, "the 206 body did not go through sendfile(2)"
        assert order == (["cork", "sendfile", "uncork"] if corks else ["sendfile"])
    else:
        assert (sent, order) == (0, []), "a partial range must not reach uWSGI's sendfile"

    trace = Strace(worker, tmp_path / "multipart.strace")
    status, headers, body = fetch_bytes(port, {"Range": "bytes=0-99,-100"})
    assert trace.stop(await_uncork=corks) == (0, ["cork", "uncork"] if corks else [])
    assert status == 206
    boundary = headers["Content-Type"].partition("boundary=")[2]
    expected = (
        f"--{boundary}\r\nContent-Type: application/octet-stream\r\n"
        f"Content-Range: bytes 0-99/{SIZE}\r\n\r\n".encode()
        + slice_of(big_root, 0, 100)
        + f"\r\n--{boundary}\r\nContent-Type: application/octet-stream\r\n"
        f"Content-Range: bytes {SIZE - 100}-{SIZE - 1}/{SIZE}\r\n\r\n".encode()
        + slice_of(big_root, SIZE - 100, 100)
        + f"\r\n--{boundary}--\r\n".encode()
    )
    assert body == expected

    peak = peak_memory_kib(worker)
    assert peak < PEAK_MEMORY_LIMIT_KIB, f"worker peak memory {peak} KiB"
