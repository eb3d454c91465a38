"""Quart's ``send_file`` and ``send_from_directory`` planned under the application's
SENDFILE_* settings, on the ASGI bodies the project has: the plan made and its first
block read on a worker thread (``_servers.asgi.prepare``), the body read off the event
loop in large blocks (``AsyncChunks``) as Quart's ASGI connection iterates the response.

Quart sends a response's body only by iterating it, so a whole file does not go by the
server's ``http.response.pathsend`` here, as it does through ``Sender.asgi``.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Mapping
from datetime import datetime, timedelta, timezone
from types import TracebackType
from typing import Any

import quart.helpers
from quart.wrappers.response import Response, ResponseBody
from werkzeug.exceptions import NotFound as HttpNotFound

from .._native import NotFound, OutsideRoot
from .._servers.asgi import Prepared, prepare
from .._servers.chunks import AsyncChunks
from .send import CUSTOM_VALIDATOR, is_path
from .settings import App, configured

#: Quart's ``send_file`` as it was when this module was imported, for file objects.
_quart_send_file = quart.helpers.send_file


class PlanBody(ResponseBody):
    """The plan's body for Quart: its chunks, read off the event loop; leaving the body
    (sent, failed or cancelled) closes the plan."""

    def __init__(self, chunks: AsyncChunks) -> None:
        self.chunks = chunks

    async def __aenter__(self) -> AsyncChunks:
        return self.chunks

    async def __aexit__(self, exc_type: type, exc_value: BaseException, tb: TracebackType) -> None:
        self.chunks.close()


async def send_file_for(
    app: App,
    scope: Mapping[str, Any],
    filename_or_io: Any,
    mimetype: str | None = None,
    as_attachment: bool = False,
    attachment_filename: str | None = None,
    add_etags: bool = True,
    cache_timeout: int | None = None,
    conditional: bool = True,
    last_modified: datetime | None = None,
    response_class: type[Response] = Response,
) -> Response:
    """Quart's ``send_file`` made by a plan under ``app``'s settings, for the request of
    ``scope``. A relative path is relative to ``app.root_path``; ``conditional`` is on by
    default (Range, If-Range and the preconditions answered); ``add_etags=False`` plans
    without an ETag; a custom ``last_modified`` is refused (``ValueError``)."""
    if not is_path(filename_or_io):
        return await _quart_send_file(
            filename_or_io,
            mimetype=mimetype,
            as_attachment=as_attachment,
            attachment_filename=attachment_filename,
            add_etags=add_etags,
            cache_timeout=cache_timeout,
            conditional=conditional,
            last_modified=last_modified,
        )
    if last_modified is not None:
        raise ValueError(CUSTOM_VALIDATOR)
    path = os.path.join(app.root_path, os.fspath(filename_or_io))
    answer = configured(app) if add_etags else configured(app, etag=False)
    # Quart sends a body by iterating it: the server's ways of sending a file itself
    # (pathsend, zerocopysend) are not for the body chooser to pick.
    request_scope = {**scope, "extensions": {}}
    if not (answer.sends_body and conditional):
        request_scope["headers"] = []
    options = {
        "attachment": as_attachment,
        "attachment_filename": attachment_filename,
        "mimetype": mimetype,
    }
    loop = asyncio.get_running_loop()
    try:
        prepared: Prepared = await loop.run_in_executor(
            None, prepare, answer.config.plan, request_scope, path, options
        )
    except (NotFound, OutsideRoot) as error:
        raise HttpNotFound() from error
    plan = prepared.plan
    response = response_class(PlanBody(prepared.chunks), status=plan.status)
    del response.headers["Content-Type"]
    for name, value in plan.headers:
        response.headers.add(name, value)
    if answer.sends_body and not conditional:
        del response.headers["Accept-Ranges"]
    if "Cache-Control" not in response.headers:
        # As Quart's send_file: public, and max-age and Expires with a timeout.
        if cache_timeout is None:
            cache_timeout = app.get_send_file_max_age(path)  # type: ignore[attr-defined]
        response.cache_control.public = True
        if cache_timeout is not None:
            response.cache_control.max_age = cache_timeout
            response.expires = datetime.now(timezone.utc) + timedelta(seconds=cache_timeout)
    return response
