"""``send_segments``: a plan's body by ASGI's ``http.response.zerocopysend``, for a server
that sends a run of a file from a descriptor itself, with sendfile(2) (nonecorn; anycorn
0.20 offers it too, but cuts what it sends: see ``faulty_servers``).

The body is the plan's segments in order, never recomputed here: a literal (a multipart
part's headers, the closing boundary) goes as an ``http.response.body`` message, a run of
a file as a ``zerocopysend`` message with its descriptor, offset and length, so Python
reads none of the file. Each ``send`` is awaited before the next segment is asked for:
these servers call sendfile(2) in the application's own task, so when ``send`` returns
(or raises) the server is done with the descriptor, and only then may the caller close the
plan, or an archive's next ``segment`` replace a member's descriptor with the next's.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, MutableMapping
from typing import Any, Callable

from .chunks import AsyncChunks

#: The ASGI extension by which a server sends a run of an open file.
ZEROCOPYSEND = "http.response.zerocopysend"

Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]

#: The kinds of body whose segments are at hand; any other's (an archive's: a member is
#: read for its CRC) may take a read of the disk each, so it is asked for on a thread.
_AT_HAND = frozenset({"file", "multipart"})


def offered(chunks: AsyncChunks, scope: MutableMapping[str, Any]) -> bool:
    """Whether the body goes by ``zerocopysend``: the server offers it for this request
    (only where sendfile(2) really applies: HTTP/1.1, plain or kTLS), nothing between the
    application and the server is known to mishandle it, and there is a body (a
    header-only backend's plan has none)."""
    return (
        ZEROCOPYSEND in (scope.get("extensions") or {})
        and not _starlette_middleware(scope)
        and chunks.plan.segment_count > 0
    )


def _starlette_middleware(scope: MutableMapping[str, Any]) -> bool:
    """Whether a Starlette (or FastAPI) application with middlewares of its own answers
    the request (Starlette puts itself in the scope). Starlette 1.10's middlewares pass
    pathsend on but not zerocopysend, and leave the scope's extensions as they are:
    ``GZipMiddleware`` drops the message unsent, ``BaseHTTPMiddleware`` fails on it, and
    queues every message, so that ``send`` returns before the server has sent anything."""
    return bool(getattr(scope.get("app"), "user_middleware", None))


async def send_segments(chunks: AsyncChunks, send: Send) -> None:
    """Send the body of ``chunks``' plan segment by segment. An archive's segments are
    asked for on a worker thread, as computing one may read a member; a file's and a
    multipart body's are at hand. The caller closes the plan once this returns or raises."""
    plan = chunks.plan
    count = plan.segment_count
    at_hand = plan.body in _AT_HAND
    loop = asyncio.get_running_loop()
    for index in range(count):
        if not at_hand:
            segment = await loop.run_in_executor(None, chunks.segment, index)
        else:
            segment = chunks.segment(index)
        more_body = index + 1 < count
        if isinstance(segment, bytes):
            await send({"type": "http.response.body", "body": segment, "more_body": more_body})
            continue
        descriptor, offset, length = segment
        if length == 0:
            # An empty member of an archive: servers refuse a count of 0 (asyncio's
            # sendfile raises), and there is nothing to send but the end of the body.
            if not more_body:
                await send({"type": "http.response.body", "body": b"", "more_body": False})
            continue
        await send(
            {
                "type": ZEROCOPYSEND,
                "file": Descriptor(descriptor),
                "offset": offset,
                "count": length,
                "more_body": more_body,
            }
        )


class Descriptor(int):
    """The plan's descriptor in both forms the servers read as ``file``: anycorn 0.20.1
    calls ``file.fileno()``, nonecorn 0.18.0 calls ``os.dup(file)``, which takes a number
    and no file object. Neither closes it; the plan alone does."""

    __slots__ = ()

    def fileno(self) -> int:
        return int(self)
