"""Django's ASGI handler with and without sendfile_rs.asgi.wrap, in process: the wrapper
sends the simple backend's bodies itself (pathsend where offered, large blocks
otherwise), never anyone else's, adds nothing to the headers, and without it the same
answers stream through Django."""

from __future__ import annotations

import asyncio
import gzip
from pathlib import Path
from typing import Any

import pytest
from asgi_calls import PATHSEND, Client, Message, leave_during_second_block, run
from case_files import add_file, pattern
from django.core.asgi import get_asgi_application
from django.test import override_settings

import sendfile_rs.asgi
from sendfile_rs._servers.chunks import READ_SIZE

unwrapped = get_asgi_application()
wrapped = sendfile_rs.asgi.wrap(unwrapped)


@pytest.fixture(autouse=True)
def settings(root: Path) -> Any:
    with override_settings(SENDFILE_BACKEND="sendfile_rs.backends.simple", SENDFILE_ROOT=str(root)):
        yield


def types(client: Client) -> list[str]:
    return [message["type"] for message in client.sent]


def test_wrapped_whole_file_goes_by_pathsend_with_django_s_own_headers(root: Path) -> None:
    client = run(wrapped, "/files/file.txt", extensions=PATHSEND)
    plain = run(unwrapped, "/files/file.txt", extensions=PATHSEND)
    assert client.status == plain.status == 200
    # Nothing marks the answer: the headers are Django's, exactly as without the wrapper.
    assert client.sent[0] == plain.sent[0]
    assert client.sent[1:] == [{"type": "http.response.pathsend", "path": str(root / "file.txt")}]
    # Without the wrapper Django streams the same file.
    assert plain.body == pattern(1000)


def test_wrapped_body_goes_in_blocks_where_pathsend_is_not_offered(root: Path) -> None:
    size = 2 * READ_SIZE + 5
    add_file(root, "large.bin", size)
    client = run(wrapped, "/files/large.bin")
    assert [len(message["body"]) for message in client.sent[1:]] == [READ_SIZE, READ_SIZE, 5]
    assert client.body == pattern(size)
    # Django alone sends 64 KiB messages and an empty last one.
    plain = run(unwrapped, "/files/large.bin")
    assert plain.sent[0] == client.sent[0]
    assert {len(message["body"]) for message in plain.sent[1:-1]} == {1 << 16, 5}
    assert plain.sent[-1] == {"type": "http.response.body"}
    assert plain.body == pattern(size)


def test_ranges_and_head_never_go_by_pathsend() -> None:
    def fetch(range_header: str) -> Client:
        headers = [("Range", range_header)]
        return run(wrapped, "/files/file.txt", headers=headers, extensions=PATHSEND)

    client = fetch("bytes=10-19")
    assert (client.status, client.body) == (206, pattern(1000)[10:20])
    client = fetch("bytes=0-0,-1")
    assert client.status == 206 and b"Content-Range: bytes 999-999/1000" in client.body
    client = run(wrapped, "/files/file.txt", method="HEAD", extensions=PATHSEND)
    assert client.status == 200 and types(client) == ["http.response.start", "http.response.body"]
    assert dict(client.headers)["Content-Length"] == "1000"


def test_a_body_a_middleware_replaced_is_left_to_django() -> None:
    headers = [("Accept-Encoding", "gzip")]
    client = run(wrapped, "/gzip/file.txt", headers=headers, extensions=PATHSEND)
    assert dict(client.headers)["Content-Encoding"] == "gzip"
    assert "http.response.pathsend" not in types(client)
    assert gzip.decompress(client.body) == pattern(1000)


def test_a_view_s_own_answer_that_looks_like_ours_is_left_to_django() -> None:
    client = run(wrapped, "/own/file.txt", extensions=PATHSEND)
    plain = run(unwrapped, "/files/file.txt")
    assert client.sent[0] == plain.sent[0]
    assert types(client) == ["http.response.start"] + ["http.response.body"] * 2
    assert client.body == pattern(1000)


def test_the_file_closes_when_the_client_goes_away_during_the_wrapper_s_body(root: Path) -> None:
    add_file(root, "large.bin", 8 * READ_SIZE)
    client, (before, sending, after) = leave_during_second_block(wrapped, "/files/large.bin")
    assert (sending, after) == (before + 1, before)
    assert types(client) == ["http.response.start", "http.response.body"]


def test_only_django_s_application_can_be_wrapped() -> None:
    async def other(scope: Message, receive: Any, send: Any) -> None:
        pass

    with pytest.raises(TypeError) as raised:
        sendfile_rs.asgi.wrap(other)
    assert str(raised.value) == (
        "sendfile_rs.asgi.wrap takes Django's ASGI application itself "
        f"(django.core.asgi.get_asgi_application()), not {other!r}"
    )


def test_other_scopes_pass_through_to_django() -> None:
    async def lifespan() -> None:
        await wrapped({"type": "lifespan"}, Client().receive, Client().send)

    with pytest.raises(ValueError) as raised:
        asyncio.run(lifespan())
    assert str(raised.value) == "Django can only handle ASGI/HTTP connections, not lifespan."
