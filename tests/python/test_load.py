"""Load: many mixed requests through gunicorn with threads (backends, single and
multipart ranges, conditionals, HEAD, missing files, traversal), every answer checked
exactly. No wrong answer, the worker's descriptors back to their count, its memory flat.

`make test` sends LOAD_REQUESTS=5000; `make stress` sends 50,000."""

from __future__ import annotations

import http.client
import os
import random
import re
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from serving import Server, gunicorn

#: Real servers: the newest Django runs these (make test-python), `make check` leaves them.
pytestmark = pytest.mark.servers

REQUESTS = int(os.environ.get("LOAD_REQUESTS", "5000"))
CLIENTS = 8
#: Resident memory may move by allocator noise, not grow with the requests.
MEMORY_SLACK_KIB = 4 * 1024

FILES = {
    "empty.txt": b"",
    "one.txt": b"x",
    "page.html": b"<p>" + b"hello " * 200 + b"</p>",
    "r\u00e9sum\u00e9 2026.pdf": bytes(range(256)) * 400,
    "data/big.bin": os.urandom(1 << 20),
}
ATTACHMENT = (
    "attachment; filename=\"resume 2026.pdf\"; filename*=UTF-8''r%C3%A9sum%C3%A9%202026.pdf"
)
ETAG = re.compile(r'^"[0-9a-f]+\.[0-9a-f]+-[0-9a-f]+"$')


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    root = Path(tempfile.mkdtemp(prefix="sendfile-load-"))
    for name, content in FILES.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(content)
    log = tmp_path_factory.mktemp("load") / "gunicorn.log"
    with gunicorn(root, log, threads=CLIENTS, environment={"SENDFILE_URL": "/protected"}) as up:
        yield up


Response = tuple[int, dict[str, str], bytes]
Check = Callable[[Response], bool]


def url(name: str, query: str = "") -> str:
    return "/files/" + urllib.parse.quote(name) + query


def parts_of(response: Response) -> list[tuple[str, bytes]]:
    """The Content-Range and the bytes of each part of a multipart/byteranges body."""
    boundary = response[1]["Content-Type"].split("boundary=")[1].encode()
    pieces = response[2].split(b"--" + boundary)
    assert pieces[0] == b"" and pieces[-1] == b"--\r\n"
    parts = []
    for piece in pieces[1:-1]:
        head, _, data = piece.removeprefix(b"\r\n").partition(b"\r\n\r\n")
        content_range = re.search(rb"Content-Range: (.*)\r?$", head, re.MULTILINE)
        assert content_range and data.endswith(b"\r\n")
        parts.append((content_range.group(1).decode().strip(), data[:-2]))
    return parts


def cases(etags: dict[str, str]) -> list[tuple[str, str, dict[str, str], Check]]:
    """(method, path, headers, check) for each kind of request."""
    name = "r\u00e9sum\u00e9 2026.pdf"
    content = FILES[name]
    big = FILES["data/big.bin"]
    size = len(big)
    return [
        ("GET", url(name), {}, lambda r: r[0] == 200 and r[2] == content),
        ("GET", url("empty.txt"), {}, lambda r: r[0] == 200 and r[2] == b""),
        (
            "GET",
            url("data/big.bin"),
            {"Range": "bytes=1000-1999"},
            lambda r: (
                r[0] == 206
                and r[1]["Content-Range"] == f"bytes 1000-1999/{size}"
                and r[2] == big[1000:2000]
            ),
        ),
        (
            "GET",
            url("data/big.bin"),
            {"Range": "bytes=0-9,-10"},
            lambda r: (
                r[0] == 206
                and parts_of(r)
                == [
                    (f"bytes 0-9/{size}", big[:10]),
                    (f"bytes {size - 10}-{size - 1}/{size}", big[-10:]),
                ]
            ),
        ),
        (
            "GET",
            url("page.html"),
            {"If-None-Match": etags["page.html"]},
            lambda r: r[0] == 304 and r[2] == b"" and r[1]["ETag"] == etags["page.html"],
        ),
        (
            "GET",
            url("page.html"),
            {"Range": "bytes=0-2", "If-Range": '"another"'},
            lambda r: r[0] == 200 and r[2] == FILES["page.html"],
        ),
        (
            "GET",
            url("one.txt"),
            {"If-Match": '"nope"'},
            lambda r: r[0] == 412 and r[2] == b"",
        ),
        (
            "GET",
            url("one.txt"),
            {"Range": "bytes=5-"},
            lambda r: r[0] == 416 and r[1]["Content-Range"] == "bytes */1",
        ),
        (
            "HEAD",
            url("data/big.bin"),
            {},
            lambda r: r[0] == 200 and r[1]["Content-Length"] == str(size) and r[2] == b"",
        ),
        ("GET", url("missing.txt"), {}, lambda r: r[0] == 404),
        ("GET", "/files/../secret.txt", {}, lambda r: r[0] == 404),
        (
            "GET",
            url(name, "?backend=nginx&attachment=1"),
            {},
            lambda r: (
                r[0] == 200
                and r[1]["X-Accel-Redirect"] == "/protected/r%C3%A9sum%C3%A9%202026.pdf"
                and r[1]["Content-Disposition"] == ATTACHMENT
                and r[2] == b""
            ),
        ),
        (
            "GET",
            url("data/big.bin", "?backend=xsendfile"),
            {},
            lambda r: r[0] == 200 and r[1]["X-Sendfile"].endswith("/data/big.bin") and r[2] == b"",
        ),
    ]


def request(
    connection: http.client.HTTPConnection, method: str, path: str, headers: dict[str, str]
) -> Response:
    connection.request(method, path, headers=headers)
    response = connection.getresponse()
    return response.status, dict(response.getheaders()), response.read()


def run_clients(server: Server, count: int, etags: dict[str, str]) -> list[str]:
    """Sends ``count`` requests from CLIENTS threads; returns a line per wrong answer."""
    kinds = cases(etags)
    wrong: list[str] = []

    def client(seed: int, share: int) -> None:
        chooser = random.Random(seed)
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        try:
            for _ in range(share):
                method, path, headers, check = chooser.choice(kinds)
                answer = request(connection, method, path, headers)
                if not check(answer):
                    wrong.append(f"{method} {path} {headers}: {answer[0]} {answer[1]}")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=client, args=(seed, count // CLIENTS)) for seed in range(CLIENTS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return wrong


def test_mixed_load_gets_only_right_answers_and_leaks_nothing(server: Server) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    etag = request(connection, "GET", url("page.html"), {})[1]["ETag"]
    connection.close()
    assert ETAG.match(etag)
    etags = {"page.html": etag}

    # Warm up: imports, caches and the threads' first allocations happen here.
    assert run_clients(server, 800, etags) == []
    descriptors = server.settled_descriptors()
    memory = server.resident_kib()

    started = time.monotonic()
    wrong = run_clients(server, REQUESTS, etags)
    elapsed = time.monotonic() - started

    assert wrong == [], f"{len(wrong)} wrong answers, the first: {wrong[:3]}"
    assert server.settled_descriptors(descriptors) == descriptors
    grown = server.resident_kib() - memory
    print(
        f"\n{REQUESTS} requests in {elapsed:.1f} s ({REQUESTS / elapsed:.0f}/s), 0 wrong; "
        f"descriptors {descriptors} before and after; resident memory {memory} KiB, "
        f"{grown:+d} KiB after"
    )
    assert grown < MEMORY_SLACK_KIB
