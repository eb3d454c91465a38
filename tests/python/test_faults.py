"""Faults while serving, simple backend under gunicorn (threads): the file deleted,
replaced or truncated while an answer is on its way, a file the worker may not read, and a
worker out of descriptors. Nothing wrong is ever sent, nothing hangs, and the worker keeps
serving."""

from __future__ import annotations

import http.client
import os
import socket
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from serving import Server, gunicorn

#: Real servers: the newest Django runs these (make test-python), `make check` leaves them.
pytestmark = pytest.mark.servers

#: Every MiB differs, so bytes from the wrong place cannot match by chance.
BIG_SIZE = 256 << 20
SMALL = b"the original content\n" * 1000


def big_content() -> bytes:
    block = bytes(range(256)) * 4096
    return b"".join(index.to_bytes(4, "big") + block[4:] for index in range(BIG_SIZE >> 20))


@pytest.fixture(scope="module")
def big() -> bytes:
    return big_content()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Path]]:
    # The worker keeps uid 0 but loses the capabilities that let root read any file, so a
    # file without read permission is unreadable to it, as to any worker.
    root = Path(tempfile.mkdtemp(prefix="sendfile-faults-"))
    log = tmp_path_factory.mktemp("faults") / "gunicorn.log"
    without_override = ("setpriv", "--bounding-set", "-dac_override,-dac_read_search")
    try:
        with gunicorn(
            root, log, threads=4, environment={"SENDFILE_FAULTS": "1"}, prefix=without_override
        ) as running:
            yield running, root
    finally:
        for file in root.iterdir():
            file.chmod(0o644)
            file.unlink()
        root.rmdir()


def get(server: Server, path: str) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def test_a_file_deleted_after_the_plan_is_served_whole(server: tuple[Server, Path]) -> None:
    running, root = server
    (root / "deleted.txt").write_bytes(SMALL)
    status, headers, body = get(running, "/fault/delete/deleted.txt")
    assert (status, body) == (200, SMALL)
    assert headers["Content-Length"] == str(len(SMALL))
    assert not (root / "deleted.txt").exists()
    assert get(running, "/files/deleted.txt")[0] == 404


def test_a_file_replaced_by_rename_serves_the_old_content_whole(
    server: tuple[Server, Path],
) -> None:
    running, root = server
    (root / "replaced.txt").write_bytes(SMALL)
    status, _, body = get(running, "/fault/replace/replaced.txt")
    assert (status, body) == (200, SMALL)
    assert get(running, "/files/replaced.txt")[2] == b"the new content"


def test_a_big_file_deleted_after_the_plan_is_served_whole(
    server: tuple[Server, Path], big: bytes
) -> None:
    running, root = server
    (root / "big-deleted.bin").write_bytes(big)
    status, _, body = get(running, "/fault/delete/big-deleted.bin")
    assert status == 200
    assert body == big


def test_a_file_truncated_while_sent_is_cut_short_and_logged(
    server: tuple[Server, Path], big: bytes
) -> None:
    running, root = server
    path = root / "truncated.bin"
    path.write_bytes(big)
    kept = 64 << 20
    with socket.create_connection(("127.0.0.1", running.port), timeout=30) as client:
        client.sendall(b"GET /files/truncated.bin HTTP/1.1\r\nHost: test\r\n\r\n")
        received = bytearray()
        while b"\r\n\r\n" not in received or len(received) < 1 << 20:
            received += client.recv(1 << 16)
        head, _, body = bytes(received).partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 200 OK")
        assert f"Content-Length: {BIG_SIZE}".encode() in head
        # The worker is at most a few socket buffers ahead of this client.
        os.truncate(path, kept)
        started = time.monotonic()
        data = bytearray(body)
        while chunk := client.recv(1 << 20):
            data += chunk
        closed_after = time.monotonic() - started
    # The connection ends at the new end of the file: no hang, nothing from elsewhere.
    assert len(data) == kept
    assert data == big[:kept]
    assert closed_after < 10
    time.sleep(0.2)
    log = running.log.read_text(errors="replace")
    assert "the file shrank below 268435456 bytes while it was being sent" in log
    # The worker goes on serving.
    assert get(running, "/files/truncated.bin")[2] == big[:kept]


def server_error_logged(running: Server, path: str) -> str:
    """Requests ``path``, which must fail with a 500 that carries none of the file, and
    returns the server's log."""
    status, _, body = get(running, path)
    assert status == 500
    assert SMALL not in body
    time.sleep(0.2)
    return running.log.read_text(errors="replace")


def test_a_file_the_worker_may_not_read_is_a_logged_server_error(
    server: tuple[Server, Path],
) -> None:
    running, root = server
    (root / "locked.txt").write_bytes(SMALL)
    (root / "locked.txt").chmod(0)
    log = server_error_logged(running, "/files/locked.txt")
    assert "PermissionError: [Errno 13] Permission denied: 'locked.txt'" in log
    (root / "locked.txt").chmod(0o644)
    assert get(running, "/files/locked.txt")[2] == SMALL


def test_out_of_descriptors_is_a_logged_error_and_the_worker_goes_on(
    server: tuple[Server, Path],
) -> None:
    running, root = server
    (root / "plain.txt").write_bytes(SMALL)
    assert get(running, "/files/plain.txt")[2] == SMALL
    before = running.settled_descriptors()
    log = server_error_logged(running, "/fault/exhaust/plain.txt")
    # The library's own open failed, and said why.
    assert "in sendfile\n" in log
    assert "OSError: [Errno 24] Too many open files: 'plain.txt'" in log
    for _ in range(20):
        status, _, body = get(running, "/files/plain.txt")
        assert (status, body) == (200, SMALL)
    assert running.settled_descriptors(before) == before
