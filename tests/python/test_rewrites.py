"""What a caller may do to a response after ``sendfile()``, in process: the framing
headers of an answer whose body the plan made keep the plan's values, every other header
is the caller's, and a response whose body was replaced is the caller's entirely.
tests/python/test_callers.py proves the same on the wire under gunicorn, with Wagtail."""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import Any

from case_files import pattern
from django.middleware.gzip import GZipMiddleware
from django.test import RequestFactory, override_settings

import sendfile_rs

requests = RequestFactory()


def sent(root: Path, backend: str = "simple", **headers: str) -> Any:
    with override_settings(
        SENDFILE_BACKEND=f"sendfile_rs.backends.{backend}",
        SENDFILE_ROOT=str(root),
        SENDFILE_URL="/protected",
    ):
        return sendfile_rs.sendfile(requests.get("/", headers=headers), "file.txt")


def rewrite(response: Any) -> Any:
    """Every way Django offers to rewrite the framing headers, as callers do."""
    response["Content-length"] = 1000
    response.headers["Content-Length"] = "999"
    response.setdefault("Content-Range", "bytes 0-999/1000")
    response["Content-Range"] = "bytes 0-999/1000"
    del response["Content-Range"]
    response.headers.pop("Content-Length")
    del response.headers["Content-Length"]
    return response


def test_a_range_keeps_its_length_and_range(root: Path) -> None:
    response = rewrite(sent(root, Range="bytes=10-19"))
    assert response.status_code == 206
    assert (response["Content-Length"], response["Content-Range"]) == ("10", "bytes 10-19/1000")
    assert b"".join(response.streaming_content) == pattern(1000)[10:20]
    response.close()


def test_the_other_headers_are_the_callers(root: Path) -> None:
    response = sent(root, Range="bytes=10-19")
    response["Content-Type"] = "application/pdf"
    response["Content-Disposition"] = "attachment"
    response["Content-Encoding"] = "identity"
    del response["ETag"]
    assert dict(response.items()) == {
        "Content-Type": "application/pdf",
        "Content-Length": "10",
        "Content-Range": "bytes 10-19/1000",
        "Content-Disposition": "attachment",
        "Accept-Ranges": "bytes",
        "Last-Modified": "Tue, 14 Nov 2023 22:13:20 GMT",
        "Content-Encoding": "identity",
    }
    response.close()


def test_a_multipart_answer_keeps_its_boundary(root: Path) -> None:
    response = sent(root, Range="bytes=0-9,500-509")
    planned = response["Content-Type"]
    response["Content-Type"] = "text/plain"
    assert response["Content-Type"] == planned
    assert planned.startswith("multipart/byteranges; boundary=")
    response.close()


def test_answers_without_a_body_keep_their_length(root: Path) -> None:
    for headers, status, length in [
        ({"Range": "bytes=5000-"}, 416, "0"),
        ({"If-Match": '"other"'}, 412, "0"),
        ({"If-None-Match": "*"}, 304, None),
    ]:
        response = rewrite(sent(root, **headers))
        assert (response.status_code, response.get("Content-Length")) == (status, length)
        # A caller that gives the answer a body of its own frames it itself.
        response.content = b"an error page"
        response["Content-Length"] = "13"
        assert response["Content-Length"] == "13"


def test_a_replaced_body_is_framed_by_whoever_replaced_it(root: Path) -> None:
    # GZipMiddleware replaces the streaming body, then deletes Content-Length.
    response = sent(root)
    request = requests.get("/", headers={"Accept-Encoding": "gzip"})
    compressed = GZipMiddleware(lambda _: response)(request)
    assert "Content-Length" not in compressed
    assert gzip.decompress(b"".join(compressed.streaming_content)) == pattern(1000)
    response.close()
    response = sent(root, Range="bytes=10-19")
    response.streaming_content = [b"replaced"]
    response["Content-Length"] = "8"
    assert response["Content-Length"] == "8"
    response.close()


def test_header_only_answers_take_the_callers_length(root: Path) -> None:
    # The front server sends the body and sets its own length; django-sendfile2 sets the
    # file's size here, and so may a caller.
    response = sent(root, "nginx")
    response["Content-Length"] = "1000"
    assert (response["X-Accel-Redirect"], response["Content-Length"]) == (
        "/protected/file.txt",
        "1000",
    )
