"""SendfileResponse in Starlette and as a FastAPI endpoint's return value, in process:
the answers of Sender.asgi, through a middleware stack (GZipMiddleware and a
BaseHTTPMiddleware), pathsend included."""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("starlette")
pytest.importorskip("fastapi")

import fastapi_app
import starlette_app
from asgi_calls import PATHSEND, run
from case_files import add_file, pattern
from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.routing import Route

import sendfile_rs
from sendfile_rs.starlette import SendfileResponse


def app_with(make: Any) -> Starlette:
    """A Starlette app whose one route returns ``make(request)``."""

    async def endpoint(request: Request) -> SendfileResponse:
        response: SendfileResponse = make(request)
        responses.append(response)
        return response

    responses.clear()
    return Starlette(routes=[Route("/{name:path}", endpoint)])


responses: list[SendfileResponse] = []


def test_the_answer_is_the_plan_s(root: Path) -> None:
    sender = sendfile_rs.Sender("simple", root)
    app = app_with(lambda request: SendfileResponse(sender, request.path_params["name"]))
    client = run(app, "/file.txt", headers=[("Range", "bytes=10-19")])
    with sender.plan("file.txt", headers={"Range": "bytes=10-19"}) as plan:
        assert client.headers == [(name.lower(), value) for name, value in plan.headers]
    assert (client.status, client.body) == (206, pattern(1000)[10:20])
    assert responses[-1].status_code == 206
    client = run(app, "/missing.txt")
    assert (client.status, client.body) == (404, b"Not Found\n")
    assert responses[-1].status_code == 404


def test_settings_stand_for_a_sender(root: Path) -> None:
    settings = {"backend": "nginx", "root": str(root), "url": "/protected"}
    app = app_with(lambda request: SendfileResponse(settings, "file.txt", attachment=True))
    client = run(app, "/")
    assert (client.status, client.body) == (200, b"")
    assert ("x-accel-redirect", "/protected/file.txt") in client.headers
    assert ("content-disposition", 'attachment; filename="file.txt"') in client.headers
    # The settings' Sender is built once and kept for the next response.
    run(app, "/")
    assert responses[-1].sender is responses[-2].sender


def test_a_404_keeps_the_response_s_cookies_but_not_its_framing(root: Path) -> None:
    sender = sendfile_rs.Sender("simple", root)

    def make(request: Request) -> SendfileResponse:
        response = SendfileResponse(
            sender, "missing.txt", headers={"X-Extra": "yes", "Content-Length": "1"}
        )
        response.set_cookie("seen", "1")
        return response

    client = run(app_with(make), "/")
    assert (client.status, client.body) == (404, b"Not Found\n")
    assert client.headers == [
        ("content-type", "text/plain"),
        ("content-length", "10"),
        ("x-extra", "yes"),
        ("set-cookie", "seen=1; Path=/; SameSite=lax"),
    ]


def test_extra_headers_and_cookies_follow_the_plan_s(root: Path) -> None:
    sender = sendfile_rs.Sender("simple", root)

    def make(request: Request) -> SendfileResponse:
        response = SendfileResponse(
            sender,
            "file.txt",
            headers={"X-Extra": "yes", "Content-Type": "text/html", "Content-Length": "1"},
        )
        response.set_cookie("seen", "1")
        return response

    client = run(app_with(make), "/")
    headers = client.headers
    assert (
        headers[: len(headers) - 2]
        == run(app_with(lambda request: SendfileResponse(sender, "file.txt")), "/").headers
    )
    # The plan's Content-Type and Content-Length stand; the others follow.
    assert headers[-2:] == [("x-extra", "yes"), ("set-cookie", "seen=1; Path=/; SameSite=lax")]
    assert client.body == pattern(1000)


def test_the_background_task_runs_after_the_body(root: Path) -> None:
    sender = sendfile_rs.Sender("simple", root)
    ran: list[str] = []
    task = BackgroundTask(ran.append, "after")
    app = app_with(lambda request: SendfileResponse(sender, "file.txt", background=task))
    client = run(app, "/")
    assert client.body == pattern(1000) and ran == ["after"]


@pytest.mark.parametrize("create", [starlette_app.create_app, fastapi_app.create_app])
def test_through_a_middleware_stack(root: Path, create: Any) -> None:
    add_file(root, "large.txt", 3 << 20)
    app = create(str(root))
    for prefix in ("/files", "/raw"):
        client = run(app, f"{prefix}/file.txt", extensions=PATHSEND)
        assert client.status == 200 and ("x-stack", "passed") in client.headers
        assert client.sent[-1] == {"type": "http.response.pathsend", "path": str(root / "file.txt")}

        client = run(app, f"{prefix}/large.txt", headers=[("Range", "bytes=5-")])
        assert client.status == 206 and client.body == pattern(3 << 20)[5:]

        # GZipMiddleware compresses a whole text file sent as chunks.
        client = run(app, f"{prefix}/large.txt", headers=[("Accept-Encoding", "gzip")])
        assert ("content-encoding", "gzip") in client.headers
        assert gzip.decompress(client.body) == pattern(3 << 20)


def test_a_fastapi_endpoint_returns_it(root: Path) -> None:
    client = run(fastapi_app.create_app(str(root)), "/files/file.txt", method="HEAD")
    assert client.status == 200 and client.body == b""
    assert ("content-disposition", 'attachment; filename="file.txt"') in client.headers
    assert ("content-length", "1000") in client.headers
