"""``wrap``: Django's ASGI application, with the simple backend's bodies sent by sendfile_rs.

Django's ASGI handler sends a streaming body itself, 64 KiB per message, and has no way to
send ``http.response.zerocopysend`` or ``http.response.pathsend``. Around it, ``wrap`` lets
an answer of the simple backend hand its body over: Django still sends the status and the
headers (its middlewares' changes included), then the wrapper sends the body in its place
as the body chooser says: by zerocopysend where the server offers it (anycorn: 200, 206
and multipart by sendfile(2)), by pathsend for a whole file where the server offers that
(granian), otherwise in 256 KiB chunks. Every other answer
passes through untouched, and without the wrapper the same answers stream through Django.

The hand-over is no mark a request or another view could make. The wrapper gives each
request a private object through a context variable, the one place the response looks;
only sendfile_rs's own response, still carrying its own body when Django's handler starts
sending it, gives its body over, and only the file its plan opened can be sent. Nothing
is added to the headers, so nothing reaches the wire.

::

    # asgi.py
    from django.core.asgi import get_asgi_application
    import sendfile_rs.asgi

    application = sendfile_rs.asgi.wrap(get_asgi_application())
"""

from __future__ import annotations

from collections.abc import Awaitable
from contextvars import ContextVar
from typing import Callable

from .._servers.asgi import Message, Prepared, Receive, Scope, Send, send_body
from .._servers.chunks import AsyncChunks

__all__ = ["wrap"]

ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class _Handover:
    """Where the response of one request puts the body it hands to the wrapper."""

    __slots__ = ("body",)

    def __init__(self) -> None:
        self.body: AsyncChunks | None = None


#: The handover of the request being answered, set by the wrapper only.
_handover: ContextVar[_Handover | None] = ContextVar("sendfile_rs.asgi handover", default=None)


def hand_over(body: AsyncChunks) -> bool:
    """Give ``body`` to the wrapper around the current request, if there is one and no
    body was given yet. Called by the response Django's handler is starting to send."""
    handover = _handover.get()
    if handover is None or handover.body is not None or body.closed:
        return False
    handover.body = body
    return True


def wrap(application: ASGIApp) -> ASGIApp:
    """Django's ASGI application (``get_asgi_application()``), with the simple backend's
    bodies sent by sendfile_rs: by zerocopysend or pathsend where the server offers them,
    otherwise in large chunks. Wrap Django's application itself, inside any other ASGI
    middleware: the wrapper must see the messages exactly as Django sends them."""
    from django.core.handlers.asgi import ASGIHandler

    django: ASGIApp = application
    if not isinstance(application, ASGIHandler):
        raise TypeError(
            "sendfile_rs.asgi.wrap takes Django's ASGI application itself "
            f"(django.core.asgi.get_asgi_application()), not {application!r}"
        )

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await django(scope, receive, send)
            return
        handover = _Handover()

        async def send_or_take_over(message: Message) -> None:
            body = handover.body
            if body is None or message["type"] != "http.response.body":
                await send(message)
                return
            # Django's last, empty message of the body it handed over: the body goes here.
            handover.body = None
            if message.get("body") or message.get("more_body"):
                body.close()
                raise RuntimeError("Django sent a body of its own after handing one over")
            await send_body(Prepared(body, scope), receive, send)

        token = _handover.set(handover)
        try:
            await django(scope, receive, send_or_take_over)
        finally:
            _handover.reset(token)

    return wrapped
