"""The ASGI adapter: a plan's answer as ASGI messages, for ``Sender.asgi``, the Starlette
response and the wrapper around Django's ASGI application.

The body goes as the body chooser says (``body``), first choice first: by
``http.response.zerocopysend`` where the server offers it (any body: the plan's segments,
each run of the file sent by the server with sendfile(2)), by ``http.response.pathsend``
for a whole file where the server offers that, otherwise in large chunks read off the
event loop, each ``send`` awaited so that the server's flow control bounds what is in
memory. While a body longer than one block goes out, ``receive`` is watched: a client
that goes away (``http.disconnect``) stops it, and the file is closed once the ``send`` in
flight has returned, as when ``send`` raises or the task is cancelled.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Awaitable, MutableMapping, Sequence
from typing import Any, Callable

from .._native import NotFound, OutsideRoot, Plan
from . import zerocopy
from .body import NOT_FOUND, PATHSEND, asgi_chunks, pathsend_path
from .chunks import READ_SIZE, AsyncChunks
from .faulty_servers import server_cuts_the_files_it_sends

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

Headers = Sequence[tuple[bytes, bytes]]
#: ``Sender.plan``: a path, the method, the request headers and file options to a plan.
Planner = Callable[..., Plan]


#: The headers of the 404 that no response's own header replaces.
_NOT_FOUND_FRAMING = frozenset({b"content-type", b"content-length"})


async def send_not_found(send: Send, extra: Headers = ()) -> None:
    """The 404 for a file that is missing or outside the root, as ``Sender.wsgi`` has it;
    ``extra`` headers (a response's own, its cookies) follow, but for the framing ones."""
    # New messages each time: middlewares may change a message's headers in place.
    headers = [(b"content-type", b"text/plain"), (b"content-length", b"%d" % len(NOT_FOUND))]
    headers.extend(header for header in extra if header[0] not in _NOT_FOUND_FRAMING)
    await send({"type": "http.response.start", "status": 404, "headers": headers})
    await send({"type": "http.response.body", "body": NOT_FOUND})


def start_message(plan: Plan, extra: Headers = ()) -> Message:
    """The ``http.response.start`` message of the plan's answer; ``extra`` headers (names
    in lower case) follow the plan's, but for those the plan sets itself."""
    headers = [(name.lower().encode("latin-1"), value.encode()) for name, value in plan.headers]
    if extra:
        planned = {name for name, _ in headers}
        headers.extend(header for header in extra if header[0] not in planned)
    return {"type": "http.response.start", "status": plan.status, "headers": headers}


def request_headers(scope: Scope) -> list[tuple[str, bytes]]:
    """The request headers of an HTTP scope, as a plan takes them."""
    return [(name.decode("latin-1"), value) for name, value in scope.get("headers", ())]


class Prepared:
    """A planned answer's body and how it goes: by ``zerocopysend``, else by the path
    given to ``pathsend``, else as chunks; always as chunks for a server known to cut
    what it is handed by either (``faulty_servers``). Choosing makes system calls
    (pathsend checks the file's name): on a worker thread where there is one."""

    __slots__ = ("chunks", "pathsend", "plan", "zerocopy")

    def __init__(self, chunks: AsyncChunks, scope: Scope) -> None:
        self.chunks = chunks
        self.plan = chunks.plan
        extensions = not server_cuts_the_files_it_sends()
        self.zerocopy = extensions and zerocopy.offered(chunks, scope)
        self.pathsend = (
            pathsend_path(self.plan, scope) if extensions and not self.zerocopy else None
        )

    def read_ahead(self) -> None:
        """Read the body's first block now (blocking: on a worker thread), so that a small
        file costs one trip to a thread, plan and body together; never for a body the
        server sends itself."""
        if not self.zerocopy and self.pathsend is None and not self.chunks.finished:
            self.chunks.read_block()


def prepare(planner: Planner, scope: Scope, path: Any, file_options: dict[str, Any]) -> Prepared:
    """Plan ``path`` for the request of ``scope`` and read ahead; blocking, for a worker
    thread."""
    plan = planner(
        path,
        method=scope.get("method", "GET"),
        headers=request_headers(scope),
        **file_options,
    )
    prepared = Prepared(asgi_chunks(plan, scope), scope)
    try:
        prepared.read_ahead()
    except BaseException:
        prepared.chunks.close()
        raise
    return prepared


async def answer(
    planner: Planner,
    scope: Scope,
    receive: Receive,
    send: Send,
    path: str | bytes | os.PathLike[str],
    file_options: dict[str, Any],
    extra_headers: Headers = (),
) -> Plan | None:
    """The whole ASGI answer for ``path``: a 404 for a missing file or one outside the
    root, otherwise the plan's. Returns the plan (closed), or None for the 404."""
    if scope["type"] != "http":
        raise ValueError(f"sendfile_rs answers HTTP requests, not {scope['type']!r} ones")
    loop = asyncio.get_running_loop()
    try:
        prepared = await loop.run_in_executor(None, prepare, planner, scope, path, file_options)
    except (NotFound, OutsideRoot):
        await send_not_found(send, extra_headers)
        return None
    try:
        await send(start_message(prepared.plan, extra_headers))
        await send_body(prepared, receive, send)
    finally:
        prepared.chunks.close()
    return prepared.plan


async def send_body(prepared: Prepared, receive: Receive, send: Send) -> None:
    """Send the body after its start message as ``prepared`` says, until the last byte or
    until the client goes away. Closes the plan, after the last ``send`` returned."""
    chunks = prepared.chunks
    sending: Awaitable[None]
    try:
        if prepared.zerocopy:
            sending = zerocopy.send_segments(chunks, send)
        elif prepared.pathsend is not None:
            sending = send({"type": PATHSEND, "path": prepared.pathsend})
        elif chunks.finished:
            sending = send({"type": "http.response.body", "body": b"", "more_body": False})
        else:
            sending = _send_chunks(chunks, send)
        if prepared.pathsend is not None or chunks.plan.content_length <= READ_SIZE:
            # One message, or one block already read or read at once: nothing to stop
            # half-way.
            await sending
        else:
            await _until_disconnect(sending, receive)
    finally:
        chunks.close()


async def _send_chunks(chunks: AsyncChunks, send: Send) -> None:
    async for chunk in chunks:
        await send({"type": "http.response.body", "body": chunk, "more_body": not chunks.finished})


async def _until_disconnect(body: Awaitable[None], receive: Receive) -> None:
    """Await ``body`` (its sending), stopped by an ``http.disconnect`` from ``receive``:
    some servers (uvicorn, granian, daphne) make ``send`` a silent no-op once the client is
    gone, so without this the whole file would be read for nobody (and a multipart body's
    parts handed to a zero-copy server one by one)."""
    sending = asyncio.current_task()
    assert sending is not None
    gone = False

    async def listen() -> None:
        nonlocal gone
        try:
            while (await receive())["type"] != "http.disconnect":
                pass
        except Exception:
            # A server whose receive fails cannot say the client left; send will.
            return
        gone = True
        sending.cancel()

    listener = asyncio.ensure_future(listen())
    try:
        await body
    except asyncio.CancelledError:
        if not gone:
            raise
        # The cancellation was this function's own: the caller's task goes on. (3.11+
        # counts cancellations; older Pythons have nothing to undo.)
        uncancel = getattr(sending, "uncancel", None)
        if uncancel is not None:
            uncancel()
    finally:
        listener.cancel()
