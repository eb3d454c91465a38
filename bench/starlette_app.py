"""The Starlette application the ASGI benchmark runs: /sendfile_rs/<name> answers with
sendfile_rs's SendfileResponse, /fileresponse/<name> with Starlette's FileResponse, for
the files under BENCH_ROOT."""

from __future__ import annotations

import os

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse
from starlette.routing import Route

from sendfile_rs import Sender
from sendfile_rs.starlette import SendfileResponse

ROOT = os.environ["BENCH_ROOT"]
sender = Sender("simple", ROOT)


async def with_sendfile_rs(request: Request) -> SendfileResponse:
    return SendfileResponse(sender, request.path_params["name"])


async def with_file_response(request: Request) -> FileResponse:
    return FileResponse(os.path.join(ROOT, request.path_params["name"]))


app = Starlette(
    routes=[
        Route("/sendfile_rs/{name:path}", with_sendfile_rs),
        Route("/fileresponse/{name:path}", with_file_response),
    ]
)
