"""A Starlette application serving a folder through sendfile_rs, for the tests and the
real ASGI servers (``starlette_app:app`` serves SENDFILE_ROOT; ``fastapi_app`` is the
same as a FastAPI application).

/files/<path> returns a SendfileResponse; /raw/<path> is Sender.asgi mounted as a plain
ASGI application. Both sit on a middleware stack such as a real site has: GZipMiddleware
and a BaseHTTPMiddleware that adds a header. ``starlette_app:bare`` is the same without
middlewares (which keep the body from going by zerocopysend).
"""

from __future__ import annotations

import os
from collections.abc import Awaitable
from typing import Callable

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route
from starlette.types import ASGIApp, Receive, Scope, Send

from sendfile_rs import Sender
from sendfile_rs.starlette import SendfileResponse


async def mark(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
    response = await call_next(request)
    response.headers["X-Stack"] = "passed"
    return response


STACK = [Middleware(GZipMiddleware), Middleware(BaseHTTPMiddleware, dispatch=mark)]


def raw_app(sender: Sender) -> ASGIApp:
    async def raw(scope: Scope, receive: Receive, send: Send) -> None:
        # Under a mount, the path is the whole path and root_path the mount's.
        name = scope["path"][len(scope.get("root_path", "")) :].lstrip("/")
        await sender.asgi(scope, receive, send, name)

    return raw


def create_app(root: str, middleware: list[Middleware] = STACK) -> Starlette:
    sender = Sender("simple", root)

    async def download(request: Request) -> SendfileResponse:
        return SendfileResponse(sender, request.path_params["name"])

    routes = [Route("/files/{name:path}", download), Mount("/raw", raw_app(sender))]
    return Starlette(routes=routes, middleware=middleware)


if "SENDFILE_ROOT" in os.environ:
    app = create_app(os.environ["SENDFILE_ROOT"])
    bare = create_app(os.environ["SENDFILE_ROOT"], middleware=[])
