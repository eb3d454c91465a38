"""Hostile input through the Python interfaces (Sender, WSGI, Django): traversal in its
spellings, odd bytes in paths, CR/LF/NUL in names and types, absurd Range headers and
repeated conditional headers. Each is refused with the documented error, or made safe;
never a file outside the root, never a raw header."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from wsgiref.util import FileWrapper

import pytest
from case_files import pattern
from django.http import Http404
from django.test import RequestFactory, override_settings

import sendfile_rs

#: Ways to name the secret beside the root, or to climb out of it.
TRAVERSALS = [
    "..",
    "../secret.txt",
    "../../secret.txt",
    "sub/../../secret.txt",
    "./../secret.txt",
    "file.txt/../../secret.txt",
    "/etc/passwd",
    "//etc/passwd",
    "file.txt\x00.pdf",
    "\x00",
]
#: Spellings an application might decode or not: either way, nothing outside is served.
ENCODED = [
    "%2e%2e/secret.txt",
    "%2E%2E%2Fsecret.txt",
    "..%2fsecret.txt",
    "..\\secret.txt",
    "..\\..\\secret.txt",
    "%c0%ae%c0%ae/secret.txt",
    "\u2025/secret.txt",
    "\uff0e\uff0e/secret.txt",
]
#: Longer than any file name (255 bytes) or path (4096 bytes) can be: a hostile URL, so
#: a 404 like any missing file, never a server error.
OVERLONG = ["n" * 256, "a" * 5000, "a/" * 2049 + "x", "sub/" + "é" * 128]
TOO_LONG = "too long for a file name (255 bytes) or path (4096 bytes)"


@pytest.fixture
def sender(root: Path) -> sendfile_rs.Sender:
    return sendfile_rs.Sender("simple", root)


@pytest.mark.parametrize("path", TRAVERSALS)
def test_traversal_is_refused(sender: sendfile_rs.Sender, path: str) -> None:
    with pytest.raises((sendfile_rs.OutsideRoot, sendfile_rs.NotFound)):
        sender.plan(path)


@pytest.mark.parametrize("path", ENCODED)
def test_encoded_spellings_are_names_not_traversal(sender: sendfile_rs.Sender, path: str) -> None:
    # The library never decodes: these are odd names inside the root, which do not exist.
    with pytest.raises(sendfile_rs.NotFound):
        sender.plan(path)


def test_the_secret_s_absolute_path_is_outside(sender: sendfile_rs.Sender, root: Path) -> None:
    with pytest.raises(sendfile_rs.OutsideRoot):
        sender.plan(root.parent / "secret.txt")
    with pytest.raises(sendfile_rs.OutsideRoot):
        sender.plan(str(root) + "-sibling/file.txt")


@pytest.mark.parametrize("path", OVERLONG)
def test_overlong_paths_are_not_found(sender: sendfile_rs.Sender, path: str) -> None:
    with pytest.raises(sendfile_rs.NotFound) as raised:
        sender.plan(path)
    assert str(raised.value) == f"not found: {path}: {TOO_LONG}"


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("\udcff.txt", "invalid argument: the path is not valid UTF-8"),
        (b"\xff.txt", "invalid argument: the path is not valid UTF-8"),
    ],
)
def test_malformed_paths_are_clear_errors(
    sender: sendfile_rs.Sender, path: str | bytes, message: str
) -> None:
    with pytest.raises(sendfile_rs.InvalidArgument) as raised:
        sender.plan(path)
    assert str(raised.value) == message


@pytest.mark.parametrize("name", ["x\r\nSet-Cookie: a=b", "a\x00b", "\n", "tab\there", "\x7f"])
def test_control_characters_in_download_names_are_encoded(
    sender: sendfile_rs.Sender, name: str
) -> None:
    headers = dict(sender.plan("file.txt", attachment_filename=name).headers)
    disposition = headers["Content-Disposition"]
    assert not any(character in disposition for character in "\r\n\x00\x7f\t")
    assert "Set-Cookie" not in headers


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            {"mimetype": "text/html\r\nSet-Cookie: a=b"},
            "invalid argument: content type contains the control character U+000D",
        ),
        (
            {"mimetype": "text/html\x00"},
            "invalid argument: content type contains the control character U+0000",
        ),
        (
            {"encoding": "gzip\nX: y"},
            "invalid argument: encoding must be a non-empty token of letters, digits and "
            '!#$%&\'*+-.^_`|~, got "gzip\\nX: y"',
        ),
    ],
)
def test_control_characters_in_types_are_refused(
    sender: sendfile_rs.Sender, options: dict[str, str], message: str
) -> None:
    with pytest.raises(sendfile_rs.InvalidArgument) as raised:
        sender.plan("file.txt", **options)  # type: ignore[arg-type]
    assert str(raised.value) == message


@pytest.mark.parametrize(
    "header",
    [
        "bytes=" + ",".join(f"{offset}-{offset}" for offset in range(0, 2000, 2)),
        "bytes=" + ",".join("0-0" for _ in range(5000)),
        "bytes=0-0," * 100_000,
        # 20 one-byte parts: their part headers alone outweigh the 1000-byte file.
        "bytes=" + ",".join(f"{offset}-{offset}" for offset in range(0, 40, 2)),
    ],
)
def test_too_many_ranges_get_the_whole_file(sender: sendfile_rs.Sender, header: str) -> None:
    with sender.plan("file.txt", headers={"Range": header}) as plan:
        assert plan.status == 200
        assert b"".join(plan) == pattern(1000)


@pytest.mark.parametrize(
    ("header", "status", "content_range"),
    [
        # Numbers past any file are clamped (an end) or unsatisfiable (a start), never wrapped.
        ("bytes=0-99999999999999999999999999", 206, "bytes 0-999/1000"),
        ("bytes=-99999999999999999999999999", 206, "bytes 0-999/1000"),
        ("bytes=99999999999999999999999999-", 416, "bytes */1000"),
        ("bytes=18446744073709551615-18446744073709551616", 416, "bytes */1000"),
        ("bytes=" + "9" * 10000 + "-", 416, "bytes */1000"),
    ],
)
def test_huge_numbers_are_clamped_or_unsatisfiable(
    sender: sendfile_rs.Sender, header: str, status: int, content_range: str
) -> None:
    with sender.plan("file.txt", headers={"Range": header}) as plan:
        assert (plan.status, dict(plan.headers)["Content-Range"]) == (status, content_range)
        assert b"".join(plan) == (pattern(1000) if status == 206 else b"")


def test_repeated_conditional_headers(sender: sendfile_rs.Sender) -> None:
    etag = dict(sender.plan("file.txt").headers)["ETag"]
    # Repeated list headers join into one list: a match anywhere counts.
    joined = sender.plan("file.txt", headers=[("If-None-Match", '"x"'), ("If-None-Match", etag)])
    assert joined.status == 304
    failing = sender.plan("file.txt", headers=[("If-Match", etag), ("If-Match", '"x"')])
    assert failing.status == 200
    # A Range or If-Range given twice with different values is invalid: the whole file.
    for name, first, second in [
        ("Range", "bytes=0-0", "bytes=1-1"),
        ("If-Range", etag, '"other"'),
    ]:
        headers = [(name, first), (name, second), ("Range", "bytes=0-0")]
        assert sender.plan("file.txt", headers=headers).status == 200
    same = sender.plan("file.txt", headers=[("Range", "bytes=0-0"), ("Range", "bytes=0-0")])
    assert same.status == 206


@pytest.mark.parametrize("path", TRAVERSALS + ENCODED + OVERLONG)
def test_wsgi_answers_404_and_nothing_else(
    sender: sendfile_rs.Sender, path: str, root: Path
) -> None:
    started: list[Any] = []
    environ = {"REQUEST_METHOD": "GET", "wsgi.file_wrapper": FileWrapper}
    body = sender.wsgi(environ, lambda *answer: started.append(answer), path)
    assert started[0][0] == "404 Not Found"
    assert b"".join(body) == b"Not Found\n"


@pytest.mark.parametrize("path", TRAVERSALS + ENCODED + OVERLONG)
def test_django_raises_http404(root: Path, path: str) -> None:
    request = RequestFactory().get("/")
    with override_settings(SENDFILE_BACKEND="sendfile_rs.backends.nginx", SENDFILE_ROOT=str(root)):
        with pytest.raises(Http404):
            sendfile_rs.sendfile(request, path)


def test_django_never_emits_a_raw_header(root: Path) -> None:
    request = RequestFactory().get("/")
    with override_settings(SENDFILE_BACKEND="sendfile_rs.backends.simple", SENDFILE_ROOT=str(root)):
        response = sendfile_rs.sendfile(
            request, "file.txt", attachment=True, attachment_filename="a\r\nSet-Cookie: s=1"
        )
        with pytest.raises(sendfile_rs.InvalidArgument):
            sendfile_rs.sendfile(request, "file.txt", mimetype="text/plain\r\nX-Evil: 1")
    assert "Set-Cookie" not in response
    assert "\r" not in response["Content-Disposition"]
    response.close()
