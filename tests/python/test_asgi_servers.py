"""The simple backend under real ASGI servers (uvicorn, granian, daphne, hypercorn,
nonecorn, anycorn) on 127.0.0.1, serving Django (wrapped by sendfile_rs.asgi.wrap, and without it)
and a Starlette application (with middlewares, and without them: the body then goes by
zerocopysend under nonecorn): a 256 MiB file byte-exact in every answer, the worker's peak
memory bounded, the file closed when the client goes away, and proof from strace that
under granian a whole file goes by pathsend, read by granian and never by Python. The
proof for zerocopysend, and for anycorn's fault, are in test_asgi_zerocopy_servers.py."""

from __future__ import annotations

import hashlib
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from serving import (
    BIN,
    Server,
    asgi_server,
    big_file,
    fetch,
    fetch_bytes,
    slice_of,
)
from serving import Strace as BaseStrace

#: Real servers: the newest Django runs these (make test-python), `make check` leaves them.
pytestmark = pytest.mark.servers

SIZE = 256 << 20
#: The worker's peak memory while it serves the 256 MiB file, at most this much above what
#: it held idle: one 1 MiB block in flight, the server's own buffers (granian queues four
#: messages), allocator slack.
GROWTH_LIMIT_KIB = 24 * 1024
#: And at most this much in all, for the servers whose idle worker is well below it.
PEAK_LIMIT_KIB = 64 * 1024
#: daphne's idle worker (Twisted, Django) already holds about 68 MiB: only its growth can
#: be bounded.
IDLE_ABOVE_PEAK_LIMIT = {"daphne"}
APPLICATIONS = {
    "django": "project.asgi:application",
    "django-unwrapped": "project.asgi:unwrapped",
    "starlette": "starlette_app:app",
    "starlette-bare": "starlette_app:bare",
}
#: anycorn 0.20.1 cuts every body larger than its socket's buffer that it sends itself (see
#: test_asgi_zerocopy_servers.py): here it gets blocks, as uvicorn does.
SERVERS = ("uvicorn", "granian", "daphne", "hypercorn", "nonecorn", "anycorn")
SERVED = [(server, app) for server in SERVERS for app in ("django", "starlette")] + [
    ("uvicorn", "django-unwrapped"),
    ("granian", "django-unwrapped"),
    ("nonecorn", "starlette-bare"),
]


@pytest.fixture(scope="module")
def big_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("asgi-servers") / "root"
    root.mkdir()
    big_file(root, SIZE)
    return root


@pytest.fixture(scope="module")
def big_digest(big_root: Path) -> str:
    return hashlib.sha256((big_root / "big.bin").read_bytes()).hexdigest()


@pytest.fixture(scope="module", params=SERVED, ids=["-".join(served) for served in SERVED])
def served(
    request: pytest.FixtureRequest, big_root: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, str, Server, int]]:
    """One server process per server and application, for all the tests of this module;
    with the worker's resident memory before any file was served."""
    name, app = request.param
    if name != "nonecorn" and shutil.which(name, path=str(BIN)) is None:
        pytest.fail(f"{name} is not installed in the test environment (pip install {name})")
    log = tmp_path_factory.mktemp(f"{name}-{app}") / "server.log"
    with asgi_server(name, APPLICATIONS[app], big_root, log) as server:
        # The first request loads what the application imports lazily.
        assert fetch_bytes(server.port, "/files/missing.bin", {})[0] == 404
        yield name, app, server, server.resident_kib()


def test_every_answer_is_exact_and_memory_stays_flat(
    served: tuple[str, str, Server, int], big_root: Path, big_digest: str
) -> None:
    name, _, server, idle = served
    port, path, big = server.port, "/files/big.bin", big_root / "big.bin"
    status, headers, digest, length = fetch(port, path, {})
    lower = {key.lower(): value for key, value in headers.items()}
    assert (status, length, digest) == (200, SIZE, big_digest)
    assert lower["content-length"] == str(SIZE)
    etag = lower["etag"]

    offset, count = 100 << 20, 50 << 20
    last = offset + count - 1
    status, headers, digest, length = fetch(port, path, {"Range": f"bytes={offset}-{last}"})
    lower = {key.lower(): value for key, value in headers.items()}
    assert (status, length) == (206, count)
    assert lower["content-range"] == f"bytes {offset}-{last}/{SIZE}"
    assert digest == hashlib.sha256(slice_of(big, offset, count)).hexdigest()

    status, headers, body = fetch_bytes(port, path, {"Range": "bytes=0-99,-100"})
    lower = {key.lower(): value for key, value in headers.items()}
    assert status == 206
    boundary = lower["content-type"].partition("boundary=")[2]
    part = f"\r\n--{boundary}\r\nContent-Type: application/octet-stream\r\nContent-Range: bytes"
    assert body == (
        f"{part} 0-99/{SIZE}\r\n\r\n".encode()[2:]
        + slice_of(big, 0, 100)
        + f"{part} {SIZE - 100}-{SIZE - 1}/{SIZE}\r\n\r\n".encode()
        + slice_of(big, SIZE - 100, 100)
        + f"\r\n--{boundary}--\r\n".encode()
    )

    status, headers, body = fetch_bytes(port, path, {}, method="HEAD")
    lower = {key.lower(): value for key, value in headers.items()}
    assert (status, body, lower["content-length"], lower["etag"]) == (200, b"", str(SIZE), etag)

    for request, expected in (
        ({"If-None-Match": etag}, 304),
        ({"If-Match": '"other"'}, 412),
        ({"Range": f"bytes={SIZE}-"}, 416),
    ):
        status, headers, body = fetch_bytes(port, path, request)
        lower = {key.lower(): value for key, value in headers.items()}
        assert (status, body) == (expected, b""), request
    assert lower["content-range"] == f"bytes */{SIZE}"

    peak = server.peak_kib()
    assert peak - idle < GROWTH_LIMIT_KIB, f"{name}: idle {idle} KiB, peak {peak} KiB"
    if name not in IDLE_ABOVE_PEAK_LIMIT:
        assert peak < PEAK_LIMIT_KIB, f"{name}: idle {idle} KiB, peak {peak} KiB"


def test_the_file_closes_when_the_client_goes_away(
    served: tuple[str, str, Server, int], big_root: Path
) -> None:
    _, _, server, _ = served
    before = server.settled_descriptors()
    client = socket.create_connection(("127.0.0.1", server.port))
    client.sendall(b"GET /files/big.bin HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    received = 0
    while received < 4 << 20:
        data = client.recv(1 << 20)
        assert data, f"the server closed the connection after {received} bytes"
        received += len(data)
    assert str(big_root / "big.bin") in server.open_files()
    client.close()
    assert server.settled_descriptors(before) == before
    assert str(big_root / "big.bin") not in server.open_files()


class Strace(BaseStrace):
    """Records the file opens and reads of every thread of a process while it is active."""

    def __init__(self, pid: int, output: Path) -> None:
        super().__init__(
            pid, output, "-y", "-s", "0", "-e", "trace=openat,openat2,read,pread64,preadv"
        )

    def stop(self) -> list[tuple[str, str, int]]:
        """Each call as (system call, the file it opened or read, result)."""
        calls = []
        for call in self.calls():
            name = call.opened if call.name.startswith("open") else (call.files or [""])[0]
            calls.append((call.name, name, call.result))
        return calls


@pytest.mark.parametrize("app", ["django", "starlette"])
def test_under_granian_a_whole_file_goes_by_pathsend(
    app: str, big_root: Path, big_digest: str, tmp_path: Path
) -> None:
    big = str(big_root / "big.bin")
    with asgi_server("granian", APPLICATIONS[app], big_root, tmp_path / "granian.log") as server:
        assert fetch_bytes(server.port, "/files/missing.bin", {})[0] == 404
        trace = Strace(server.worker, tmp_path / "whole.strace")
        status, _, digest, length = fetch(server.port, "/files/big.bin", {})
        whole = trace.stop()
        trace = Strace(server.worker, tmp_path / "range.strace")
        status_of_range = fetch(server.port, "/files/big.bin", {"Range": "bytes=1-"})[0]
        ranged = trace.stop()
    assert (status, length, digest) == (200, SIZE, big_digest)
    # The plan opened the file beneath the root, granian opened it again by its path and
    # read every byte; Python, whose reads are pread64, read none.
    assert [call for call, name, _ in whole if name == big and call != "read"] == [
        "openat2",
        "openat",
    ]
    assert sum(result for call, name, result in whole if call == "read" and name == big) == SIZE
    # A range cannot go by path: Python reads it, granian opens nothing.
    assert status_of_range == 206
    assert {call for call, name, _ in ranged if name == big} == {"openat2", "pread64"}
    assert sum(result for call, name, result in ranged if name == big and call == "pread64") == (
        SIZE - 1
    )
