"""The application of ``starlette_app`` as FastAPI has it: an endpoint returns the
SendfileResponse (``fastapi_app:app`` serves SENDFILE_ROOT)."""

from __future__ import annotations

import os

from fastapi import FastAPI
from starlette_app import STACK, raw_app

from sendfile_rs import Sender
from sendfile_rs.starlette import SendfileResponse


def create_app(root: str) -> FastAPI:
    sender = Sender("simple", root)
    app = FastAPI(middleware=STACK)

    @app.api_route("/files/{name:path}", methods=["GET", "HEAD"])
    async def download(name: str) -> SendfileResponse:
        return SendfileResponse(sender, name, attachment=True)

    app.mount("/raw", raw_app(sender))
    return app


if "SENDFILE_ROOT" in os.environ:
    app = create_app(os.environ["SENDFILE_ROOT"])
