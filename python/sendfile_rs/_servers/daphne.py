"""Flow control under daphne, whose ``send`` never waits.

uvicorn, granian and hypercorn make ``send`` wait while the client's socket is full, so
reading the next block only after ``send`` returns keeps one block in memory. daphne's
``send`` hands the bytes to Twisted and returns at once: a body read as fast as the disk
allows piles up in Twisted's buffer, a 256 MiB file taking some 150 MiB of memory. Twisted
has the signal daphne does not pass on: a push producer registered on the request is
paused when the socket's buffer fills and resumed when it drains. ``DaphneFlow`` is such a
producer, and the body waits for it before reading each block.

daphne calls the application with ``send=functools.partial(Server.handle_reply,
protocol)``, the protocol being Twisted's request. Middlewares may wrap ``send``, so the
request is found where daphne put it: among the arguments of the coroutine it runs as the
request's task, beside the scope. Twisted runs on the same asyncio loop (daphne installs its asyncio
reactor), so the producer's methods are called on the loop's thread.
"""

from __future__ import annotations

import asyncio
import functools
import sys
from collections.abc import Mapping
from typing import Any


def daphne_request(scope: Mapping[str, Any] | None) -> Any | None:
    """The Twisted request daphne is answering with ``scope``, or None when the server is
    not daphne.

    It is among the arguments of daphne's task for the request: the current task, or,
    where a middleware runs the application in a task of its own (Starlette's
    BaseHTTPMiddleware does), the task whose arguments hold the same scope.
    """
    if "daphne.server" not in sys.modules:
        return None
    current = asyncio.current_task()
    tasks = [current] if current is not None else []
    tasks.extend(task for task in asyncio.all_tasks() if task is not current)
    for task in tasks:
        frame = getattr(task.get_coro(), "cr_frame", None)
        values = list(frame.f_locals.values()) if frame is not None else []
        if task is not current and not any(value is scope for value in values):
            continue
        for value in values:
            if (
                isinstance(value, functools.partial)
                and getattr(value.func, "__name__", None) == "handle_reply"
                and type(getattr(value.func, "__self__", None)).__module__ == "daphne.server"
                and value.args
                and hasattr(value.args[0], "registerProducer")
            ):
                return value.args[0]
    return None


class DaphneFlow:
    """A Twisted push producer on daphne's request: ``writable`` waits while Twisted says
    the socket's buffer is full."""

    def __init__(self, request: Any) -> None:
        self._request = request
        self._ready = asyncio.Event()
        channel = getattr(request, "channel", None)
        if not getattr(channel, "_waitingForTransport", False):
            self._ready.set()
        request.registerProducer(self, True)

    @classmethod
    def for_request(cls, scope: Mapping[str, Any] | None) -> DaphneFlow | None:
        """The flow of daphne's request for ``scope``, or None under another server."""
        request = daphne_request(scope)
        if request is None:
            return None
        try:
            return cls(request)
        except (RuntimeError, ValueError):
            # Another producer is registered: leave the request to it.
            return None

    async def writable(self) -> None:
        await self._ready.wait()

    # IPushProducer, as Twisted names it.
    def pauseProducing(self) -> None:
        self._ready.clear()

    def resumeProducing(self) -> None:
        self._ready.set()

    def stopProducing(self) -> None:
        # The connection is going: whoever waits finds that out by sending.
        self._ready.set()

    def release(self) -> None:
        """Unregister, as Twisted wants before the request finishes; idempotent. On the
        loop's thread."""
        request, self._request = self._request, None
        self._ready.set()
        if request is not None and getattr(request, "producer", None) is self:
            request.unregisterProducer()
