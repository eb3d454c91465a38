"""Callers that rewrite the headers after sendfile_rs, under a real gunicorn.

Wagtail's document serve view calls the SENDFILE_BACKEND module itself and then sets
Content-Disposition, Content-Length (to the file's size), Content-Type and
Content-Encoding; other views set Content-Length after ``sendfile()``. Each answer must
stay well-formed: its Content-Length is the bytes it carries, which a second request on
the same kept-alive connection proves (bytes left over, or missing, would break it or
hang it), and those bytes are the exact ones asked for.
"""

from __future__ import annotations

import http.client
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import django
import pytest
from case_files import add_file, pattern
from serving import HERE, Server, gunicorn

#: Real servers: the newest Django runs these (make test-python), `make check` leaves them.
pytestmark = pytest.mark.servers

SIZE = 1000
CONTENT = pattern(SIZE)

Answer = tuple[int, dict[str, str], bytes]


def exchange(server: Server, path: str, headers: dict[str, str], method: str = "GET") -> Answer:
    """The answer to one request, after proving its framing: the connection stays open
    and answers a plain GET for the same file with the whole file."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        connection.request(method, path, headers=headers)
        response = connection.getresponse()
        answer = (response.status, dict(response.getheaders()), response.read())
        assert not response.will_close, "the server closed the connection after the answer"
        connection.request("GET", path)
        follow = connection.getresponse()
        assert (follow.status, follow.read()) == (200, CONTENT)
        return answer
    finally:
        connection.close()


# --- Wagtail's document serve view ------------------------------------------------------


@pytest.fixture(scope="module")
def wagtail_documents(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A Wagtail database with one document, ``report.txt``; the site's folder and
    the document's serve URL, absolute path and Wagtail's ETag for it."""
    try:
        import wagtail  # noqa: F401
    except ImportError:
        if django.VERSION < (5, 2):
            pytest.skip("Wagtail 8, the current release, needs Django 5.2 or newer")
        pytest.fail("wagtail is not installed in the test environment (pip install wagtail)")
    folder = tmp_path_factory.mktemp("wagtail")
    (folder / "media").mkdir()
    source = add_file(folder, "source.txt", SIZE)
    prepared = subprocess.run(
        [sys.executable, str(HERE / "wagtail_site" / "prepare.py"), "report.txt", str(source)],
        cwd=HERE,
        env=wagtail_environment(folder, with_root=True),
        capture_output=True,
        text=True,
        check=False,
    )
    assert prepared.returncode == 0, prepared.stderr
    return folder, json.loads(prepared.stdout)["report.txt"]


def wagtail_environment(folder: Path, *, with_root: bool) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": str(HERE),
        "DJANGO_SETTINGS_MODULE": "wagtail_site.settings",
        "WAGTAIL_DATABASE": str(folder / "db.sqlite3"),
        "WAGTAIL_MEDIA_ROOT": str(folder / "media"),
        "WAGTAIL_SENDFILE_ROOT": str(folder / "media") if with_root else "",
    }


@pytest.fixture(scope="module", params=["with SENDFILE_ROOT", "without SENDFILE_ROOT"])
def wagtail(
    request: pytest.FixtureRequest, wagtail_documents: tuple[Path, dict[str, str]]
) -> Iterator[tuple[Server, dict[str, str]]]:
    folder, document = wagtail_documents
    environment = wagtail_environment(folder, with_root=request.param == "with SENDFILE_ROOT")
    log = folder / f"gunicorn-{request.param.replace(' ', '-')}.log"
    with gunicorn(folder, log, threads=2, environment=environment, app="wagtail_site") as server:
        yield server, document


def without_server_fields(headers: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in headers.items() if k not in ("Server", "Date", "Connection")}


def wagtail_answer(
    wagtail: tuple[Server, dict[str, str]], headers: dict[str, str], method: str = "GET"
) -> Answer:
    server, document = wagtail
    status, answer, body = exchange(server, document["url"], headers, method)
    return status, without_server_fields(answer), body


def validators(wagtail: tuple[Server, dict[str, str]]) -> dict[str, str]:
    """The simple backend's ETag and Last-Modified, as the 200 carries them."""
    _, headers, _ = wagtail_answer(wagtail, {})
    return {"ETag": headers["ETag"], "Last-Modified": headers["Last-Modified"]}


#: What Wagtail's view sets on every document after the backend, Content-Encoding
#: included: Wagtail writes ``encoding or guessed_encoding``, None for a .txt, and Django
#: turns that into the text "None" (as with any backend).
WAGTAIL_SETS = {
    "Content-Disposition": 'attachment; filename="report.txt"',
    "Content-Type": "text/plain",
    "Content-Encoding": "None",
    "Content-Security-Policy": "default-src 'none'",
    "X-Content-Type-Options": "nosniff",
}


def served(length: int, more: dict[str, str]) -> dict[str, str]:
    return {
        "Content-Type": "text/plain",
        "Content-Length": str(length),
        **more,
        "Content-Disposition": WAGTAIL_SETS["Content-Disposition"],
        "Accept-Ranges": "bytes",
    }


@pytest.mark.parametrize(
    ("range_header", "first", "last"),
    [
        ("bytes=0-9", 0, 9),
        ("bytes=10-19", 10, 19),
        ("bytes=990-", 990, 999),
        ("bytes=-5", 995, 999),
    ],
)
def test_wagtail_ranges_carry_exactly_their_bytes(
    wagtail: tuple[Server, dict[str, str]], range_header: str, first: int, last: int
) -> None:
    known = validators(wagtail)
    status, headers, body = wagtail_answer(wagtail, {"Range": range_header})
    assert (status, body) == (206, CONTENT[first : last + 1])
    content_range = {"Content-Range": f"bytes {first}-{last}/{SIZE}"}
    assert headers == {**served(last + 1 - first, content_range), **known, **WAGTAIL_SETS}


def test_wagtail_whole_file_and_head(wagtail: tuple[Server, dict[str, str]]) -> None:
    known = validators(wagtail)
    whole = {**served(SIZE, {}), **known, **WAGTAIL_SETS}
    assert wagtail_answer(wagtail, {}) == (200, whole, CONTENT)
    assert wagtail_answer(wagtail, {}, method="HEAD") == (200, whole, b"")


def test_wagtail_if_range(wagtail: tuple[Server, dict[str, str]]) -> None:
    known = validators(wagtail)
    status, headers, body = wagtail_answer(
        wagtail, {"Range": "bytes=10-19", "If-Range": known["ETag"]}
    )
    assert (status, headers["Content-Range"], body) == (206, f"bytes 10-19/{SIZE}", CONTENT[10:20])
    stale = wagtail_answer(wagtail, {"Range": "bytes=10-19", "If-Range": '"stale"'})
    assert stale == (200, {**served(SIZE, {}), **known, **WAGTAIL_SETS}, CONTENT)


def test_wagtail_if_match(wagtail: tuple[Server, dict[str, str]]) -> None:
    _, document = wagtail
    known = validators(wagtail)
    status, headers, body = wagtail_answer(wagtail, {"Range": "bytes=10-19", "If-Match": "*"})
    assert (status, headers["Content-Length"], body) == (206, "10", CONTENT[10:20])
    # Wagtail's @etag passes its own ETag (a hash of the content) to the view; the plan
    # compares it with the file's and fails it: a 412 of ours, which Wagtail relabels.
    failed = wagtail_answer(wagtail, {"If-Match": document["etag"]})
    assert failed == (
        412,
        {"Content-Length": "0", **WAGTAIL_SETS, "ETag": document["etag"]},
        b"",
    )
    # The ETag the client was given fails Wagtail's own check, before the view runs.
    refused = wagtail_answer(wagtail, {"If-Match": known["ETag"]})
    assert refused == (
        412,
        {
            "Content-Type": "text/html; charset=utf-8",
            "ETag": document["etag"],
            "Content-Length": "0",
        },
        b"",
    )


def test_wagtail_not_modified_has_no_length(wagtail: tuple[Server, dict[str, str]]) -> None:
    known = validators(wagtail)
    not_modified = wagtail_answer(wagtail, {"If-None-Match": known["ETag"]})
    # Wagtail sets Content-length to the file's size: no 304 may say so (RFC 9110 8.6
    # allows only the 200's length, and Django's CommonMiddleware would add 0).
    assert not_modified == (
        304,
        {**known, **WAGTAIL_SETS},
        b"",
    )


def test_wagtail_unsatisfiable_range(wagtail: tuple[Server, dict[str, str]]) -> None:
    _, document = wagtail
    unsatisfiable = wagtail_answer(wagtail, {"Range": f"bytes={SIZE}-"})
    assert unsatisfiable == (
        416,
        {
            "Content-Range": f"bytes */{SIZE}",
            "Content-Length": "0",
            **WAGTAIL_SETS,
            "ETag": document["etag"],
        },
        b"",
    )


def test_wagtail_multipart_keeps_its_boundary(wagtail: tuple[Server, dict[str, str]]) -> None:
    status, headers, body = wagtail_answer(wagtail, {"Range": "bytes=0-9,500-509"})
    assert status == 206
    kind, _, boundary = headers["Content-Type"].partition("; boundary=")
    assert kind == "multipart/byteranges" and len(boundary) == 32
    assert body == multipart(boundary, [(0, 9), (500, 509)])
    assert headers["Content-Length"] == str(len(body))


def multipart(boundary: str, runs: list[tuple[int, int]]) -> bytes:
    parts = [
        f"--{boundary}\r\nContent-Type: text/plain\r\nContent-Range: bytes {first}-{last}/{SIZE}"
        f"\r\n\r\n".encode()
        + CONTENT[first : last + 1]
        + b"\r\n"
        for first, last in runs
    ]
    return b"".join(parts) + f"--{boundary}--\r\n".encode()


# --- a plain view that sets Content-Length after sendfile() ------------------------------


@pytest.fixture(scope="module")
def rewriting(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("rewriting")
    root = folder / "root"
    add_file(root, "report.txt", SIZE)
    with gunicorn(root, folder / "gunicorn.log", threads=2) as server:
        yield server


#: The lengths a view writes: the file's size (right for the 200 only), a wrong number,
#: none at all, and the length of the 10-byte range (right for that range only).
LENGTHS = ["file", "999", "none", "10"]


@pytest.mark.parametrize("length", LENGTHS)
def test_rewritten_length_keeps_every_answer_well_formed(rewriting: Server, length: str) -> None:
    path = f"/rewritten/report.txt?length={length}"
    status, headers, body = exchange(rewriting, path, {"Range": "bytes=10-19"})
    assert (status, headers["Content-Length"], body) == (206, "10", CONTENT[10:20])
    status, headers, body = exchange(rewriting, path, {})
    assert (status, headers["Content-Length"], body) == (200, str(SIZE), CONTENT)
    status, headers, body = exchange(rewriting, path, {"Range": "bytes=0-9,500-509"})
    boundary = headers["Content-Type"].partition("; boundary=")[2]
    assert (status, body) == (206, multipart(boundary, [(0, 9), (500, 509)]))
    assert headers["Content-Length"] == str(len(body))
    for asked, expected in [({"Range": f"bytes={SIZE}-"}, 416), ({"If-Match": '"other"'}, 412)]:
        status, headers, body = exchange(rewriting, path, asked)
        assert (status, headers["Content-Length"], body) == (expected, "0", b"")
    status, headers, body = exchange(rewriting, path, {"If-None-Match": "*"})
    assert (status, "Content-Length" in headers, body) == (304, False, b"")
