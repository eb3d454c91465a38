"""``SendfileResponse``: a Starlette (and FastAPI) response that hands a protected file to
the client, with the same answers as ``Sender.asgi``.

Importing ``sendfile_rs`` does not import Starlette; importing this module does.

::

    from fastapi import FastAPI
    from sendfile_rs import Sender
    from sendfile_rs.starlette import SendfileResponse

    sender = Sender("simple", "/srv/private")
    app = FastAPI()

    @app.get("/download/{name:path}")
    async def download(name: str) -> SendfileResponse:
        # ... decide that this client may have the file ...
        return SendfileResponse(sender, name, attachment=True)
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from starlette.background import BackgroundTask
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from ._sender import Sender
from ._servers import asgi as _asgi

__all__ = ["SendfileResponse"]

#: Senders built from settings mappings, by the settings' text, so that a response does
#: not build (and check) its configuration again; cleared when it reaches its bound.
_SENDERS: dict[str, Sender] = {}
_SENDERS_BOUND = 64


def _sender_for(settings: Mapping[str, Any]) -> Sender:
    key = repr(sorted(settings.items()))
    sender = _SENDERS.get(key)
    if sender is None:
        if len(_SENDERS) >= _SENDERS_BOUND:
            _SENDERS.clear()
        sender = _SENDERS[key] = Sender(**settings)
    return sender


class SendfileResponse(Response):
    """The answer for ``path`` planned by ``sender`` (a ``Sender``, or the settings to
    build one: ``{"backend": "simple", "root": "/srv/private"}``, kept for the next
    response with the same settings; a shared ``Sender`` is cheaper), planned when the
    response is sent, from the request's method and headers: 404, 304, 412, 416, 206,
    multipart, HEAD; the body by ``http.response.zerocopysend`` (any body) or
    ``http.response.pathsend`` (a whole-file 200) where the server offers it.
    ``file_options`` are those of ``Sender.plan`` (``attachment``, ``attachment_filename``,
    ``mimetype``, ``encoding``, ``content_length``).

    ``headers`` (and cookies set on the response) are sent after the plan's; a header the
    plan sets itself is not sent twice, and the plan's value stands. ``status_code`` is the
    planned status once the response has been sent.
    """

    def __init__(
        self,
        sender: Sender | Mapping[str, Any],
        path: str | os.PathLike[str],
        *,
        headers: Mapping[str, str] | None = None,
        background: BackgroundTask | None = None,
        **file_options: Any,
    ) -> None:
        self.sender = sender if isinstance(sender, Sender) else _sender_for(sender)
        self.path = path
        self.file_options = file_options
        self.status_code = 200
        self.background = background
        self.raw_headers = [
            (name.lower().encode("latin-1"), value.encode("latin-1"))
            for name, value in (headers or {}).items()
        ]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        plan = await _asgi.answer(
            self.sender.plan,
            scope,
            receive,
            send,
            self.path,
            self.file_options,
            extra_headers=self.raw_headers,
        )
        self.status_code = 404 if plan is None else plan.status
        if self.background is not None:
            await self.background()
