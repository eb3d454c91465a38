"""Calling an ASGI application in process, as a server would, and reading what it sent."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Awaitable, Iterable
from dataclasses import dataclass, field
from typing import Any, Callable

Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Message, Receive, Send], Awaitable[None]]

#: The extension a server that sends files by path (granian) puts in the scope.
PATHSEND = {"http.response.pathsend": {}}


def scope_for(
    path: str,
    method: str = "GET",
    headers: Iterable[tuple[str, str]] = (),
    extensions: dict[str, Any] | None = None,
) -> Message:
    return {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(name.lower().encode(), value.encode()) for name, value in headers],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 80),
        "extensions": extensions or {},
    }


@dataclass
class Client:
    """One request's side of the server: the request body once, then ``http.disconnect``
    when ``leave`` is called; what the application sends is kept in ``sent``."""

    sent: list[Message] = field(default_factory=list)
    #: Called with each message before it is kept (to block, fail or leave).
    on_send: Callable[[Message], Awaitable[None]] | None = None
    _requested: bool = False
    # Made on the loop that uses it (before Python 3.10 an Event binds to one at creation).
    _left: asyncio.Event | None = None

    @property
    def left(self) -> asyncio.Event:
        if self._left is None:
            self._left = asyncio.Event()
        return self._left

    async def receive(self) -> Message:
        if not self._requested:
            self._requested = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await self.left.wait()
        return {"type": "http.disconnect"}

    async def send(self, message: Message) -> None:
        if self.on_send is not None:
            await self.on_send(message)
        self.sent.append(message)

    def leave(self) -> None:
        self.left.set()

    @property
    def status(self) -> int:
        start = self.sent[0]
        assert start["type"] == "http.response.start"
        return int(start["status"])

    @property
    def headers(self) -> list[tuple[str, str]]:
        return [(name.decode(), value.decode()) for name, value in self.sent[0]["headers"]]

    @property
    def body(self) -> bytes:
        """The body as sent in ``http.response.body`` messages, which must end with one
        that has no more body and be followed by nothing."""
        bodies = self.sent[1:]
        assert all(message["type"] == "http.response.body" for message in bodies), bodies
        assert [bool(message.get("more_body")) for message in bodies][-1:] == [False]
        return b"".join(message.get("body", b"") for message in bodies)


async def call(
    app: App,
    path: str,
    method: str = "GET",
    headers: Iterable[tuple[str, str]] = (),
    extensions: dict[str, Any] | None = None,
    client: Client | None = None,
) -> Client:
    client = client or Client()
    await app(scope_for(path, method, headers, extensions), client.receive, client.send)
    return client


def run(
    app: App,
    path: str,
    method: str = "GET",
    headers: Iterable[tuple[str, str]] = (),
    extensions: dict[str, Any] | None = None,
) -> Client:
    return asyncio.run(call(app, path, method, headers, extensions))


def open_descriptors() -> int:
    return len(os.listdir("/proc/self/fd"))


def leave_during_second_block(app: App, path: str) -> tuple[Client, list[int]]:
    """Download ``path``, the client going away while the second block of the body is
    being sent; the open descriptors before, while sending, and after."""
    client = Client()
    counts: list[int] = []

    async def leave(message: Message) -> None:
        if message["type"] == "http.response.body" and len(client.sent) == 2:
            counts.append(open_descriptors())
            client.leave()
            # As a server does, let the loop deliver the disconnect before the next send.
            await asyncio.sleep(0.05)

    async def download() -> None:
        counts.append(open_descriptors())
        await call(app, path, client=client)
        counts.append(open_descriptors())

    client.on_send = leave
    asyncio.run(download())
    return client, counts
