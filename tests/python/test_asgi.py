"""Sender.asgi and the body under ASGI, in process: every answer as Sender.wsgi gives it,
pathsend for a whole file where the server offers it, the body in large reads, and the
file closed at once when the client goes away, ``send`` fails or the task is cancelled."""

from __future__ import annotations

import asyncio
import os
import re
import threading
from pathlib import Path
from typing import Any

import pytest
from asgi_calls import (
    PATHSEND,
    Client,
    Message,
    call,
    leave_during_second_block,
    open_descriptors,
    run,
)
from case_files import add_file, pattern

import sendfile_rs
from sendfile_rs._servers import chunks as _chunks
from sendfile_rs._servers.body import pathsend_path
from sendfile_rs._servers.chunks import READ_SIZE, AsyncChunks


def app_of(sender: sendfile_rs.Sender, **file_options: Any) -> Any:
    async def app(scope: Message, receive: Any, send: Any) -> None:
        await sender.asgi(scope, receive, send, scope["path"].lstrip("/"), **file_options)

    return app


def planned_headers(sender: sendfile_rs.Sender, path: str, **request: Any) -> list[tuple[str, str]]:
    with sender.plan(path, **request) as plan:
        return [(name.lower(), value) for name, value in plan.headers]


@pytest.fixture
def sender(root: Path) -> sendfile_rs.Sender:
    return sendfile_rs.Sender("simple", root)


def test_whole_file_is_the_plan_in_one_message(sender: sendfile_rs.Sender) -> None:
    client = run(app_of(sender), "/file.txt")
    assert client.status == 200
    assert client.headers == planned_headers(sender, "file.txt")
    assert ("content-length", "1000") in client.headers
    assert client.sent[1:] == [
        {"type": "http.response.body", "body": pattern(1000), "more_body": False}
    ]


def test_a_large_body_goes_in_blocks_of_the_read_size(
    root: Path, sender: sendfile_rs.Sender
) -> None:
    size = 2 * READ_SIZE + 5
    add_file(root, "large.bin", size)
    client = run(app_of(sender), "/large.bin", headers=[("Range", "bytes=3-")])
    assert client.status == 206
    assert [len(message["body"]) for message in client.sent[1:]] == [READ_SIZE, READ_SIZE, 2]
    assert client.body == pattern(size)[3:]


async def pieces_of(chunks: AsyncChunks) -> list[bytes]:
    return [piece async for piece in chunks]


@pytest.mark.parametrize("count", [3, 300])
def test_an_archive_goes_in_blocks_read_from_one_member_at_a_time(
    root: Path, sender: sendfile_rs.Sender, count: int
) -> None:
    # Empty, short and long members; 300 are more than an archive keeps open, so each is
    # opened again for its bytes.
    names = [f"m{index}.bin" for index in range(count)]
    for index, name in enumerate(names):
        add_file(root, name, (0, 150, 40 << 10)[index % 3])
    read_size = 32 << 10
    for headers in ([], [("Range", "bytes=100-99999")], [("Range", "bytes=0-9,-50")]):
        plan = sender.plan_archive(names, headers=headers)
        # The plan's own iteration (its own position, read in the core) gives the body;
        # the blocks are of the same plan (a multipart body's boundary is random).
        expected = b"".join(plan)
        starts, at = set(), 0
        for index in range(plan.segment_count):
            starts.add(at)
            segment = plan.segment(index)
            at += len(segment) if isinstance(segment, bytes) else segment[2]
        chunks = AsyncChunks(plan, read_size=read_size)
        pieces = asyncio.run(pieces_of(chunks))
        assert b"".join(pieces) == expected, headers
        assert chunks.plan.closed
        at = 0
        for piece in pieces:
            assert 0 < len(piece) <= 2 * read_size
            if len(piece) >= _chunks.SMALL_PIECE:
                # A read of one member's run, as it was read: no segment starts inside.
                inside = [start for start in starts if at < start < at + len(piece)]
                assert inside == [], (headers, at, len(piece))
            at += len(piece)
        if not headers:
            # The small pieces of the short members go joined: fewer messages than
            # segments; the long members' reads go as they were read.
            assert len(pieces) < plan.segment_count
            assert len([piece for piece in pieces if len(piece) == read_size]) == count // 3


def test_single_range_multipart_and_conditionals(sender: sendfile_rs.Sender) -> None:
    app = app_of(sender)
    client = run(app, "/file.txt", headers=[("Range", "bytes=10-19")])
    assert (client.status, client.body) == (206, pattern(1000)[10:20])
    assert ("content-range", "bytes 10-19/1000") in client.headers

    client = run(app, "/file.txt", headers=[("Range", "bytes=0-0,-1")])
    assert client.status == 206
    boundary = dict(client.headers)["content-type"].partition("boundary=")[2]
    part = f"\r\n--{boundary}\r\nContent-Type: text/plain\r\nContent-Range: bytes"
    assert client.body == (
        f"{part} 0-0/1000\r\n\r\n".encode()[2:]
        + pattern(1000)[:1]
        + f"{part} 999-999/1000\r\n\r\n".encode()
        + pattern(1000)[999:]
        + f"\r\n--{boundary}--\r\n".encode()
    )
    assert dict(client.headers)["content-length"] == str(len(client.body))

    etag = dict(client.headers)["etag"]
    for headers, status in (
        ([("If-None-Match", etag)], 304),
        ([("If-Match", '"other"')], 412),
        ([("Range", "bytes=5000-")], 416),
    ):
        client = run(app, "/file.txt", headers=headers)
        assert (client.status, client.body) == (status, b"")
        request = {name: value for name, value in headers}
        assert client.headers == planned_headers(sender, "file.txt", headers=request)
    assert ("content-range", "bytes */1000") in client.headers


def test_head_has_the_headers_of_get_and_no_body(sender: sendfile_rs.Sender) -> None:
    client = run(app_of(sender), "/file.txt", method="HEAD", extensions=PATHSEND)
    assert client.status == 200
    assert client.headers == planned_headers(sender, "file.txt")
    assert client.sent[1:] == [{"type": "http.response.body", "body": b"", "more_body": False}]


def test_missing_and_outside_the_root_are_404(sender: sendfile_rs.Sender) -> None:
    for path in ("/nothing.txt", "/../secret.txt"):
        client = run(app_of(sender), path)
        assert client.sent == [
            {
                "type": "http.response.start",
                "status": 404,
                "headers": [(b"content-type", b"text/plain"), (b"content-length", b"10")],
            },
            {"type": "http.response.body", "body": b"Not Found\n"},
        ]


def test_header_only_backends_send_their_headers_and_no_body(root: Path) -> None:
    add_file(root, "caf\u00e9.txt")
    client = run(app_of(sendfile_rs.Sender("xsendfile", root)), "/caf\u00e9.txt")
    assert client.status == 200 and client.body == b""
    assert client.sent[0]["headers"][-1] == (b"x-sendfile", f"{root}/caf\u00e9.txt".encode())
    client = run(app_of(sendfile_rs.Sender("nginx", root, url="/p")), "/file.txt")
    assert ("x-accel-redirect", "/p/file.txt") in client.headers and client.body == b""


def test_whole_file_goes_by_pathsend_where_the_server_offers_it(
    root: Path, sender: sendfile_rs.Sender
) -> None:
    client = run(app_of(sender), "/file.txt", extensions=PATHSEND)
    assert client.status == 200
    assert client.headers == planned_headers(sender, "file.txt")
    assert client.sent[1:] == [{"type": "http.response.pathsend", "path": str(root / "file.txt")}]


def test_pathsend_names_the_file_without_links(root: Path, sender: sendfile_rs.Sender) -> None:
    add_file(root, "real/data.txt")
    (root / "link").symlink_to("real")
    client = run(app_of(sender), "/link/data.txt", extensions=PATHSEND)
    real = str(root / "real" / "data.txt")
    assert client.sent[1:] == [{"type": "http.response.pathsend", "path": real}]


def test_a_range_never_goes_by_pathsend(sender: sendfile_rs.Sender) -> None:
    for range_header in ("bytes=10-19", "bytes=0-0,-1"):
        headers = [("Range", range_header)]
        client = run(app_of(sender), "/file.txt", headers=headers, extensions=PATHSEND)
        assert client.status == 206
        assert all(message["type"] == "http.response.body" for message in client.sent[1:])


def test_pathsend_is_refused_once_the_name_is_another_file(
    root: Path, sender: sendfile_rs.Sender
) -> None:
    scope = {"extensions": PATHSEND}
    with sender.plan("file.txt") as plan:
        assert pathsend_path(plan, scope) == str(root / "file.txt")
        # The file replaced under the same name: the server would open the new one.
        add_file(root, "new.txt")
        os.replace(root / "new.txt", root / "file.txt")
        assert pathsend_path(plan, scope) is None
    with sender.plan("file.txt") as plan:
        # The file grown since it was planned: the server would send more than announced.
        with open(root / "file.txt", "ab") as file:
            file.write(b"more")
        assert pathsend_path(plan, scope) is None
    with sender.plan("file.txt") as plan:
        (root / "file.txt").unlink()
        assert pathsend_path(plan, scope) is None


def test_a_file_that_shrinks_fails_the_body(root: Path, sender: sendfile_rs.Sender) -> None:
    add_file(root, "large.bin", 3 * READ_SIZE)
    client = Client()

    async def shrink_after_first_block(message: Message) -> None:
        if message["type"] == "http.response.body":
            os.truncate(root / "large.bin", READ_SIZE)

    client.on_send = shrink_after_first_block
    before = open_descriptors()
    with pytest.raises(OSError, match=r"^the file shrank while it was being sent$"):
        asyncio.run(call(app_of(sender), "/large.bin", client=client))
    assert open_descriptors() == before
    assert [len(message["body"]) for message in client.sent[1:]] == [READ_SIZE]


def test_the_file_closes_when_the_client_goes_away(root: Path, sender: sendfile_rs.Sender) -> None:
    add_file(root, "large.bin", 8 * READ_SIZE)
    client, (before, sending, after) = leave_during_second_block(app_of(sender), "/large.bin")
    assert (sending, after) == (before + 1, before)
    # The start and the first block: the client left during the second send, which was cut
    # short there, and nothing was read or sent after it.
    assert len(client.sent) == 2


def test_the_file_closes_when_send_fails(root: Path, sender: sendfile_rs.Sender) -> None:
    add_file(root, "large.bin", 8 * READ_SIZE)
    client = Client()

    async def fail(message: Message) -> None:
        if message["type"] == "http.response.body":
            raise OSError("connection reset")

    client.on_send = fail
    before = open_descriptors()
    with pytest.raises(OSError, match=r"^connection reset$"):
        asyncio.run(call(app_of(sender), "/large.bin", client=client))
    assert open_descriptors() == before


def test_the_file_closes_when_the_task_is_cancelled(root: Path, sender: sendfile_rs.Sender) -> None:
    add_file(root, "large.bin", 8 * READ_SIZE)
    client = Client()
    blocked: list[asyncio.Event] = []

    async def block(message: Message) -> None:
        if message["type"] == "http.response.body":
            blocked[0].set()
            await asyncio.Event().wait()

    client.on_send = block

    async def cancel_while_sending() -> tuple[int, int, int]:
        blocked.append(asyncio.Event())
        before = open_descriptors()
        task = asyncio.ensure_future(call(app_of(sender), "/large.bin", client=client))
        await blocked[0].wait()
        sending = open_descriptors()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        return before, sending, open_descriptors()

    before, sending, after = asyncio.run(cancel_while_sending())
    assert (sending, after) == (before + 1, before)


def test_closing_during_a_read_closes_the_file_when_the_read_returns(
    root: Path, sender: sendfile_rs.Sender, monkeypatch: pytest.MonkeyPatch
) -> None:
    reading, finish = threading.Event(), threading.Event()
    real_pread = os.pread

    def slow_pread(fd: int, size: int, offset: int) -> bytes:
        reading.set()
        finish.wait(10)
        return real_pread(fd, size, offset)

    monkeypatch.setattr(_chunks.os, "pread", slow_pread)
    plan = sender.plan("file.txt")
    chunks = AsyncChunks(plan)
    thread = threading.Thread(target=chunks.read_block)
    thread.start()
    assert reading.wait(10)
    chunks.close()
    # Not under the read: the descriptor stays until the read is done with it.
    assert not plan.closed
    finish.set()
    thread.join(10)
    assert plan.closed


def test_a_body_closed_before_it_is_read_raises(sender: sendfile_rs.Sender) -> None:
    chunks = AsyncChunks(sender.plan("file.txt"))
    chunks.close()
    assert chunks.plan.closed

    async def first() -> bytes:
        return await chunks.__anext__()

    with pytest.raises(ValueError, match=r"^the body was closed before it was sent$"):
        asyncio.run(first())


def test_the_plan_closes_as_soon_as_the_last_block_is_read(sender: sendfile_rs.Sender) -> None:
    chunks = AsyncChunks(sender.plan("file.txt"))
    chunks.read_block()
    assert chunks.plan.closed and not chunks.finished

    async def rest() -> list[bytes]:
        return [chunk async for chunk in chunks]

    assert asyncio.run(rest()) == [pattern(1000)]
    assert chunks.finished


def test_only_http_scopes_are_answered(sender: sendfile_rs.Sender) -> None:
    async def websocket() -> None:
        await sender.asgi({"type": "websocket"}, Client().receive, Client().send, "file.txt")

    message = r"^sendfile_rs answers HTTP requests, not 'websocket' ones$"
    with pytest.raises(ValueError, match=message):
        asyncio.run(websocket())


def test_the_request_headers_come_from_the_scope_as_bytes(sender: sendfile_rs.Sender) -> None:
    # Header names arrive in lower case and values as bytes; the plan reads them all.
    client = run(app_of(sender), "/file.txt", headers=[("RANGE", "bytes=-3")])
    assert (client.status, client.body) == (206, pattern(1000)[-3:])
    assert re.fullmatch(r'"[0-9a-f]+\.[0-9a-f]+-3e8"', dict(client.headers)["etag"])
