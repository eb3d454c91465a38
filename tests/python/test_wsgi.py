"""Sender.wsgi: the whole WSGI answer, zero-copy through wsgi.file_wrapper."""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any
from wsgiref.util import FileWrapper

import pytest
from case_files import add_file, pattern

import sendfile_rs
from sendfile_rs._servers.range_file import RangeFile


def call(
    sender: sendfile_rs.Sender, path: str, method: str = "GET", wrapper: bool = True, **headers: str
) -> tuple[str, list[tuple[str, str]], Any]:
    environ: dict[str, Any] = {"REQUEST_METHOD": method}
    environ.update({f"HTTP_{name.upper()}": value for name, value in headers.items()})
    if wrapper:
        environ["wsgi.file_wrapper"] = FileWrapper
    started: list[Any] = []
    body = sender.wsgi(environ, lambda status, headers: started.extend([status, headers]), path)
    return started[0], started[1], body


def read(body: Any) -> bytes:
    try:
        return b"".join(body)
    finally:
        if hasattr(body, "close"):
            body.close()


def test_whole_file_goes_through_the_file_wrapper(root: Path) -> None:
    status, headers, body = call(sendfile_rs.Sender("simple", root), "file.txt")
    assert status == "200 OK"
    assert ("Content-Length", "1000") in headers
    assert isinstance(body, FileWrapper) and isinstance(body.filelike, RangeFile)
    assert read(body) == pattern(1000)


def test_single_range_is_positioned_for_sendfile(root: Path) -> None:
    status, _headers, body = call(sendfile_rs.Sender("simple", root), "file.txt", RANGE="bytes=-10")
    assert status == "206 Partial Content"
    assert os.lseek(body.filelike.fileno(), 0, os.SEEK_CUR) == 990
    assert read(body) == pattern(1000)[990:]


def test_without_a_file_wrapper_the_range_is_iterated(root: Path) -> None:
    _, _, body = call(
        sendfile_rs.Sender("simple", root), "file.txt", wrapper=False, RANGE="bytes=5-9"
    )
    assert read(body) == pattern(1000)[5:10]


def test_multipart_and_conditionals(root: Path) -> None:
    sender = sendfile_rs.Sender("simple", root)
    status, headers, body = call(sender, "file.txt", RANGE="bytes=0-0,10-10")
    assert status == "206 Partial Content"
    assert len(read(body)) == int(dict(headers)["Content-Length"])
    etag = dict(headers)["ETag"]
    status, headers, body = call(sender, "file.txt", IF_NONE_MATCH=etag)
    assert (status, read(body)) == ("304 Not Modified", b"")
    status, headers, body = call(sender, "file.txt", method="HEAD")
    assert (status, read(body), dict(headers)["Content-Length"]) == ("200 OK", b"", "1000")


def test_missing_and_outside_are_404(root: Path) -> None:
    sender = sendfile_rs.Sender("simple", root)
    for path in ("nothing.txt", "../secret.txt"):
        status, _headers, body = call(sender, path)
        assert status == "404 Not Found"
        assert read(body) == b"Not Found\n"


def test_offloaded_header_is_a_native_string_of_utf8_bytes(root: Path) -> None:
    add_file(root, "caf\u00e9.txt")
    status, headers, body = call(sendfile_rs.Sender("xsendfile", root), "caf\u00e9.txt")
    assert status == "200 OK" and read(body) == b""
    assert dict(headers)["X-Sendfile"].encode("latin-1") == f"{root}/caf\u00e9.txt".encode()


def test_under_uwsgi_only_the_whole_file_shares_its_descriptor(root: Path) -> None:
    sender = sendfile_rs.Sender("simple", root)
    for range_header, shared in (("bytes=0-", True), ("bytes=10-19", False)):
        environ: dict[str, Any] = {
            "REQUEST_METHOD": "GET",
            "HTTP_RANGE": range_header,
            "uwsgi.version": b"2.0.31",
            "wsgi.file_wrapper": FileWrapper,
        }
        body = sender.wsgi(environ, lambda *_: None, "file.txt")
        if shared:
            assert body.filelike.fileno() >= 0
        else:
            with pytest.raises(io.UnsupportedOperation):
                body.filelike.fileno()
        assert read(body) == pattern(1000)[0 if shared else 10 : 1000 if shared else 20]
