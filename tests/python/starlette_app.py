"""A FastAPI application on a Starlette middleware stack, serving SENDFILE_ROOT: the
endpoint /files/<path> returns a SendfileResponse, /raw/<path> is Sender.asgi mounted as
a plain ASGI application. GZipMiddleware and a BaseHTTPMiddleware (which adds a header)
stand in for a real site's stack."""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable

from fastapi import FastAPI
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from sendfile_rs import Sender
from sendfile_rs.starlette import SendfileResponse

sender = Sender(os.environ.get("SENDFILE_BACKEND", "simple"), os.environ["SENDFILE_ROOT"])
app = FastAPI()


@app.get("/files/{name:path}")
async def download(name: str) -> SendfileResponse:
    return SendfileResponse(sender, name)


async def raw(scope: Scope, receive: Receive, send: Send) -> None:
    # Under a mount, the path is the whole path and root_path the mount's.
    name = scope["path"][len(scope.get("root_path", "")) :].lstrip("/")
    await sender.asgi(scope, receive, send, name)


async def mark(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
    response = await call_next(request)
    response.headers["X-Stack"] = "passed"
    return response


app.mount("/raw", raw)
app.add_middleware(BaseHTTPMiddleware, dispatch=mark)
app.add_middleware(GZipMiddleware)
