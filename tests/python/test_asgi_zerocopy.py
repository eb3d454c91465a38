"""The body by ``http.response.zerocopysend`` where the server offers it, in process: the
plan's segments in order (literals as body messages, each run of the file by descriptor,
offset and count), preferred to pathsend, for Sender.asgi and Django's wrapper; the
descriptor open and naming the file while each ``send`` runs, and closed once the last has
returned, when the client goes away, when ``send`` fails and when the task is cancelled."""

from __future__ import annotations

import asyncio
import os
import sys
import types
from pathlib import Path
from typing import Any

import pytest
from asgi_calls import PATHSEND, Client, Message, call, open_descriptors
from case_files import add_file, pattern
from django.core.asgi import get_asgi_application
from django.test import override_settings

import sendfile_rs
import sendfile_rs.asgi
from sendfile_rs._servers.chunks import READ_SIZE

ZEROCOPYSEND = {"http.response.zerocopysend": {}}
#: What anycorn offers on plain HTTP/1.1: both.
BOTH = {**PATHSEND, **ZEROCOPYSEND}


class Server:
    """A server that sends each ``zerocopysend`` run by reading the descriptor during its
    ``send``, as sendfile(2) would, and keeps what went on the wire and each run's
    message and file."""

    def __init__(self) -> None:
        self.client = Client(on_send=self.on_send)
        self.wire = b""
        self.runs: list[tuple[Message, str]] = []

    async def on_send(self, message: Message) -> None:
        if message["type"] == "http.response.zerocopysend":
            fd = message["file"].fileno()
            self.runs.append((message, os.readlink(f"/proc/self/fd/{fd}")))
            self.wire += os.pread(fd, message["count"], message["offset"])
        elif message["type"] == "http.response.body":
            self.wire += message.get("body", b"")

    def answer(self, app: Any, path: str, **request: Any) -> Server:
        asyncio.run(call(app, path, client=self.client, extensions=BOTH, **request))
        return self

    @property
    def body_types(self) -> list[tuple[str, bool]]:
        return [(message["type"], message["more_body"]) for message in self.client.sent[1:]]


def app_of(sender: sendfile_rs.Sender) -> Any:
    async def app(scope: Message, receive: Any, send: Any) -> None:
        await sender.asgi(scope, receive, send, scope["path"].lstrip("/"))

    return app


@pytest.fixture
def app(root: Path) -> Any:
    return app_of(sendfile_rs.Sender("simple", root))


def test_a_whole_file_is_one_run_by_descriptor_not_by_path(root: Path, app: Any) -> None:
    before = open_descriptors()
    server = Server().answer(app, "/file.txt")
    assert server.client.status == 200
    ((message, name),) = server.runs
    assert {key: value for key, value in message.items() if key != "file"} == {
        "type": "http.response.zerocopysend",
        "offset": 0,
        "count": 1000,
        "more_body": False,
    }
    assert name == str(root / "file.txt")
    assert server.wire == pattern(1000)
    assert open_descriptors() == before


def test_a_range_is_its_run(app: Any) -> None:
    server = Server().answer(app, "/file.txt", headers=[("Range", "bytes=10-19")])
    assert server.client.status == 206
    assert [(message["offset"], message["count"]) for message, _ in server.runs] == [(10, 10)]
    assert server.wire == pattern(1000)[10:20]


def test_a_multipart_body_is_its_boundaries_and_runs_in_order(app: Any) -> None:
    server = Server().answer(app, "/file.txt", headers=[("Range", "bytes=0-0,-1")])
    assert server.client.status == 206
    headers = dict(server.client.headers)
    boundary = headers["content-type"].partition("boundary=")[2]
    part = f"\r\n--{boundary}\r\nContent-Type: text/plain\r\nContent-Range: bytes"
    assert server.wire == (
        f"{part} 0-0/1000\r\n\r\n".encode()[2:]
        + pattern(1000)[:1]
        + f"{part} 999-999/1000\r\n\r\n".encode()
        + pattern(1000)[999:]
        + f"\r\n--{boundary}--\r\n".encode()
    )
    assert headers["content-length"] == str(len(server.wire))
    body, zerocopy = "http.response.body", "http.response.zerocopysend"
    assert server.body_types == [
        (body, True),
        (zerocopy, True),
        (body, True),
        (zerocopy, True),
        (body, False),
    ]
    assert [(message["offset"], message["count"]) for message, _ in server.runs] == [
        (0, 1),
        (999, 1),
    ]


def test_answers_without_a_body_send_one_empty_message(app: Any) -> None:
    etag = dict(Server().answer(app, "/file.txt").client.headers)["etag"]
    for method, headers, status in (
        ("HEAD", [], 200),
        ("GET", [("If-None-Match", etag)], 304),
        ("GET", [("If-Match", '"other"')], 412),
        ("GET", [("Range", "bytes=5000-")], 416),
    ):
        server = Server().answer(app, "/file.txt", method=method, headers=headers)
        assert server.client.status == status
        assert server.client.sent[1:] == [
            {"type": "http.response.body", "body": b"", "more_body": False}
        ]


def test_django_s_wrapper_sends_the_runs_with_django_s_headers(root: Path) -> None:
    wrapped = sendfile_rs.asgi.wrap(get_asgi_application())
    with override_settings(SENDFILE_BACKEND="sendfile_rs.backends.simple", SENDFILE_ROOT=str(root)):
        server = Server().answer(wrapped, "/files/file.txt", headers=[("Range", "bytes=-3")])
    assert server.client.status == 206
    assert ("Content-Range", "bytes 997-999/1000") in server.client.headers
    assert server.body_types == [("http.response.zerocopysend", False)]
    assert server.wire == pattern(1000)[-3:]


def test_under_starlette_s_own_middlewares_the_body_goes_another_way(root: Path) -> None:
    # Starlette is installed beside the newest Django only.
    create_app = pytest.importorskip("starlette_app").create_app
    server = Server().answer(create_app(str(root), middleware=[]), "/files/file.txt")
    assert server.body_types == [("http.response.zerocopysend", False)]
    assert server.wire == pattern(1000)
    # GZipMiddleware would drop a zerocopysend message, BaseHTTPMiddleware fail on it;
    # both pass pathsend on.
    server = Server().answer(create_app(str(root)), "/files/file.txt")
    assert server.client.sent[1:] == [
        {"type": "http.response.pathsend", "path": str(root / "file.txt")}
    ]
    server = Server().answer(
        create_app(str(root)), "/files/file.txt", headers=[("Range", "bytes=-3")]
    )
    assert {kind for kind, _ in server.body_types} == {"http.response.body"}
    assert server.wire == pattern(1000)[-3:]


def test_under_anycorn_neither_extension_is_used(
    root: Path, app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # anycorn cuts what it sends by either (test_asgi_zerocopy_servers.py): where it runs
    # the application, its modules are loaded.
    monkeypatch.setitem(sys.modules, "anycorn", types.ModuleType("anycorn"))
    for headers, status, body in (
        ([], 200, pattern(1000)),
        ([("Range", "bytes=-3")], 206, pattern(1000)[-3:]),
    ):
        server = Server().answer(app, "/file.txt", headers=headers)
        assert server.client.status == status
        assert server.body_types == [("http.response.body", False)]
        assert server.wire == body


def many_parts(root: Path) -> tuple[str, list[tuple[str, str]]]:
    """A multipart answer of more than one block, in eight parts."""
    add_file(root, "large.bin", 8 * READ_SIZE)
    ranges = ",".join(f"{index * READ_SIZE}-{index * READ_SIZE + 9}" for index in range(7))
    return "/large.bin", [("Range", f"bytes={ranges},-{READ_SIZE}")]


def test_the_file_closes_when_the_client_goes_away(root: Path, app: Any) -> None:
    path, headers = many_parts(root)
    client = Client()
    counts: list[int] = []

    async def leave(message: Message) -> None:
        if message["type"] == "http.response.zerocopysend":
            counts.append(open_descriptors())
            client.leave()
            # As a server does, let the loop deliver the disconnect before the next send.
            await asyncio.sleep(0.05)

    async def download() -> None:
        counts.append(open_descriptors())
        await call(app, path, headers=headers, extensions=BOTH, client=client)
        counts.append(open_descriptors())

    client.on_send = leave
    asyncio.run(download())
    before, during, after = counts
    assert (during, after) == (before + 1, before)
    # The start, the first part's headers and its run, cut short there: nothing after.
    assert [message["type"] for message in client.sent] == [
        "http.response.start",
        "http.response.body",
    ]


def test_the_file_closes_when_send_fails(root: Path, app: Any) -> None:
    client = Client()

    async def fail(message: Message) -> None:
        if message["type"] == "http.response.zerocopysend":
            raise OSError("connection reset")

    client.on_send = fail
    before = open_descriptors()
    with pytest.raises(OSError, match=r"^connection reset$"):
        asyncio.run(call(app, "/file.txt", extensions=BOTH, client=client))
    assert open_descriptors() == before


def test_the_file_stays_open_until_a_cancelled_send_returns(root: Path, app: Any) -> None:
    path, headers = many_parts(root)
    client = Client()
    sending: list[asyncio.Event] = []
    names: list[str] = []

    async def block(message: Message) -> None:
        if message["type"] == "http.response.zerocopysend":
            sending[0].set()
            try:
                await asyncio.Event().wait()
            finally:
                # The server's send unwinds: the descriptor is still the file's.
                names.append(os.readlink(f"/proc/self/fd/{message['file'].fileno()}"))

    client.on_send = block

    async def cancel_while_sending() -> tuple[int, int, int]:
        sending.append(asyncio.Event())
        before = open_descriptors()
        task = asyncio.ensure_future(
            call(app, path, headers=headers, extensions=BOTH, client=client)
        )
        await sending[0].wait()
        during = open_descriptors()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        return before, during, open_descriptors()

    before, during, after = asyncio.run(cancel_while_sending())
    assert (during, after) == (before + 1, before)
    assert names == [str(root / "large.bin")]


def test_the_runs_of_a_long_answer_all_go(root: Path, app: Any) -> None:
    path, headers = many_parts(root)
    server = Server().answer(app, path, headers=headers)
    assert server.client.status == 206
    assert [(message["offset"], message["count"]) for message, _ in server.runs] == [
        *((index * READ_SIZE, 10) for index in range(7)),
        (7 * READ_SIZE, READ_SIZE),
    ]
    assert len(server.wire) == int(dict(server.client.headers)["content-length"])
