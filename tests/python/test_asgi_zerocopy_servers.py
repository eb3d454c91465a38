"""``http.response.zerocopysend`` under the servers that offer it, each started fresh for
its configuration and traced from its first request: nonecorn sends a 200, a range and
each part of a multipart answer with sendfile(2) from the descriptor the plan opened, and
no thread reads the file (strace). anycorn 0.20.1 cuts any body longer than its socket's
buffer that it sends itself (its fault, asserted with a bare application so that a fixed
release fails this test), so sendfile_rs sends it blocks instead; under TLS anycorn sends
by sendfile(2) only with the kernel's TLS (kTLS), which this kernel may lack."""

from __future__ import annotations

import hashlib
import socket
import ssl
import subprocess
import time
from collections import Counter
from pathlib import Path

import pytest
from serving import Server, asgi_server, big_file, fetch, fetch_bytes, slice_of
from serving import Strace as BaseStrace

pytestmark = pytest.mark.servers

SIZE = 256 << 20
APPLICATIONS = {"django": "project.asgi:application", "starlette": "starlette_app:bare"}


class Strace(BaseStrace):
    """Records the opens, reads and sendfiles of every thread of a process."""

    def __init__(self, pid: int, output: Path) -> None:
        calls = "trace=openat,openat2,read,pread64,preadv,readv,sendfile,sendfile64,splice"
        super().__init__(pid, output, "-y", "-s", "0", "-e", calls)

    def stop(self, name: str) -> Counter[tuple[str, str]]:
        """Bytes (or, for an open, times) per (system call, role) on the file ``name``:
        ``read`` or ``open`` when the call reads or opens it, ``from`` when sendfile
        sends from it."""
        done: Counter[tuple[str, str]] = Counter()
        for call in self.calls():
            if call.name.startswith("open"):
                if call.opened == name:
                    done[call.name, "open"] += 1
            elif call.name.startswith(("sendfile", "splice")):
                if call.files[1:2] == [name] and call.result > 0:
                    done[call.name, "from"] += call.result
            elif call.files[:1] == [name] and call.result > 0:
                done[call.name, "read"] += call.result
        return done


@pytest.fixture(scope="module")
def big_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("zerocopy-servers") / "root"
    root.mkdir()
    big_file(root, SIZE)
    return root


def lowered(headers: dict[str, str]) -> dict[str, str]:
    return {key.lower(): value for key, value in headers.items()}


def multipart_body(big: Path, boundary: str) -> bytes:
    part = f"\r\n--{boundary}\r\nContent-Type: application/octet-stream\r\nContent-Range: bytes"
    return (
        f"{part} 0-99/{SIZE}\r\n\r\n".encode()[2:]
        + slice_of(big, 0, 100)
        + f"{part} {SIZE - 100}-{SIZE - 1}/{SIZE}\r\n\r\n".encode()
        + slice_of(big, SIZE - 100, 100)
        + f"\r\n--{boundary}--\r\n".encode()
    )


@pytest.mark.parametrize("app", ["django", "starlette"])
def test_under_nonecorn_every_run_goes_by_sendfile_and_python_reads_none(
    app: str, big_root: Path, tmp_path: Path
) -> None:
    big = big_root / "big.bin"
    with asgi_server("nonecorn", APPLICATIONS[app], big_root, tmp_path / "log") as server:
        port, path = server.port, "/files/big.bin"
        trace = Strace(server.worker, tmp_path / "whole.strace")
        status, headers, digest, length = fetch(port, path, {})
        whole = trace.stop(str(big))
        offset, count = 100 << 20, 50 << 20
        trace = Strace(server.worker, tmp_path / "range.strace")
        range_header = {"Range": f"bytes={offset}-{offset + count - 1}"}
        status_of_range, _, digest_of_range, _ = fetch(port, path, range_header)
        ranged = trace.stop(str(big))
        trace = Strace(server.worker, tmp_path / "multipart.strace")
        status_of_parts, part_headers, parts = fetch_bytes(port, path, {"Range": "bytes=0-99,-100"})
        multipart = trace.stop(str(big))
    assert (status, length) == (200, SIZE)
    assert digest == hashlib.sha256(big.read_bytes()).hexdigest()
    assert lowered(headers)["content-length"] == str(SIZE)
    # The plan opened the file beneath the root; nonecorn sent a duplicate of that
    # descriptor (the same open file, which strace names alike) with sendfile(2).
    assert whole == Counter({("openat2", "open"): 1, ("sendfile", "from"): SIZE})
    assert status_of_range == 206
    assert digest_of_range == hashlib.sha256(slice_of(big, offset, count)).hexdigest()
    assert ranged == Counter({("openat2", "open"): 1, ("sendfile", "from"): count})
    assert status_of_parts == 206
    boundary = lowered(part_headers)["content-type"].partition("boundary=")[2]
    assert parts == multipart_body(big, boundary)
    assert multipart == Counter({("openat2", "open"): 1, ("sendfile", "from"): 200})


@pytest.mark.parametrize("app", ["django", "starlette"])
def test_under_anycorn_the_body_goes_in_blocks_and_arrives_whole(
    app: str, big_root: Path, tmp_path: Path
) -> None:
    """anycorn offers zerocopysend and pathsend but cuts what it sends that way (below):
    sendfile_rs sends it blocks read by its own threads instead, and anycorn's sendfile(2)
    is never called, from the fresh server's first request."""
    big = big_root / "big.bin"
    with asgi_server("anycorn", APPLICATIONS[app], big_root, tmp_path / "log") as server:
        trace = Strace(server.worker, tmp_path / "whole.strace")
        status, _, digest, length = fetch(server.port, "/files/big.bin", {})
        whole = trace.stop(str(big))
        trace = Strace(server.worker, tmp_path / "range.strace")
        status_of_range, _, body = fetch_bytes(
            server.port, "/files/big.bin", {"Range": "bytes=5-65540"}
        )
        ranged = trace.stop(str(big))
    assert (status, length) == (200, SIZE)
    assert digest == hashlib.sha256(big.read_bytes()).hexdigest()
    assert whole == Counter({("openat2", "open"): 1, ("pread64", "read"): SIZE})
    assert (status_of_range, body) == (206, slice_of(big, 5, 65536))
    assert ranged == Counter({("openat2", "open"): 1, ("pread64", "read"): 65536})
    assert "is used by transport" not in server.log.read_text()


def test_anycorn_0_20_1_cuts_a_body_longer_than_its_socket_buffer(
    big_root: Path, tmp_path: Path
) -> None:
    """anycorn's sendfile waits for the socket with anyio.wait_writable, which on asyncio
    adds a writer to a descriptor that asyncio's transport owns: asyncio refuses
    (RuntimeError), so the first time the socket's buffer is full the answer ends. Shown
    with a bare application that sends the file by zerocopysend itself. When a release
    fixes this, this test fails: sendfile_rs's faulty_servers then names the versions
    before it, and anycorn's zerocopysend joins the tests above."""
    log = tmp_path / "log"
    with asgi_server("anycorn", "bare_zerocopy_app:application", big_root, log) as server:
        client = socket.socket()
        # A small receive window and a client that waits before reading make sure the
        # server's socket buffer fills: a client draining loopback as fast as sendfile(2)
        # fills it can receive the whole body without the buffer ever being full (CI saw it).
        client.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 16384)
        client.connect(("127.0.0.1", server.port))
        client.sendall(b"GET /big.bin HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        time.sleep(1)
        received = 0
        # After the cut anycorn closes the connection, resets it, or leaves it open and
        # silent: ten seconds without a byte end the reading as surely as the close does
        # (a server that still sends 256 MiB from the page cache is never that slow).
        client.settimeout(10)
        try:
            while data := client.recv(1 << 20):
                received += len(data)
        except (TimeoutError, ConnectionResetError):
            pass
        client.close()
    # The head and at most what the socket buffers held: far from the whole file.
    assert received < SIZE // 2
    assert "is used by transport" in server.log.read_text()


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("tls")
    key, cert = folder / "key.pem", folder / "cert.pem"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert)),
        ],
        check=True,
        capture_output=True,
    )
    return key, cert


def fetch_tls(server: Server, headers: str) -> tuple[bytes, bytes]:
    """The raw head and body of a GET of /files/big.bin over TLS."""
    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    with context.wrap_socket(socket.create_connection(("127.0.0.1", server.port))) as client:
        request = "GET /files/big.bin HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        client.sendall(f"{request}{headers}\r\n".encode())
        response = b""
        while data := client.recv(1 << 20):
            response += data
    head, _, body = response.partition(b"\r\n\r\n")
    return head, body


def test_under_anycorn_with_tls_a_range_arrives_whole_in_blocks(
    big_root: Path, tmp_path: Path, certificate: tuple[Path, Path]
) -> None:
    """With the kernel's TLS (kTLS, asked for) anycorn would offer zerocopysend under TLS,
    with the same fault as without; this kernel has no kTLS anyway (its
    tcp_available_ulp lists no tls). Either way the body goes in blocks Python reads."""
    key, cert = certificate
    big = big_root / "big.bin"
    options = ("--certfile", str(cert), "--keyfile", str(key), "--use-ktls")
    with asgi_server(
        "anycorn", APPLICATIONS["django"], big_root, tmp_path / "log", *options
    ) as server:
        trace = Strace(server.worker, tmp_path / "tls.strace")
        head, body = fetch_tls(server, "Range: bytes=1000-2000999\r\n")
        sent = trace.stop(str(big))
    assert head.startswith(b"HTTP/1.1 206 ")
    assert body == slice_of(big, 1000, 2_000_000)
    assert sent == Counter({("openat2", "open"): 1, ("pread64", "read"): 2_000_000})
