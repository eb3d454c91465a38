"""The applications `bench/archive.py` measures, all on one root (BENCH_ROOT) and one
member list per case (BENCH_ROOT/<case>.list, one path per line):

- ``/ours/<case>``: sendfile_rs's archive (``Sender.wsgi_archive`` / ``asgi_archive``);
- ``/zipstream/<case>``: zipstream-ng's stored, sized ZIP of the same files (its CRCs
  computed as it streams, so its length is known and its bytes are read in Python);
- ``/single``: sendfile_rs's simple backend sending one file of the same total size.

``wsgi`` serves gunicorn and ``asgi`` an ASGI server.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any, Callable

import zipstream

from sendfile_rs import Sender

ROOT = Path(os.environ["BENCH_ROOT"])
SENDER = Sender("simple", ROOT)


@cache
def members(case: str) -> list[str]:
    return (ROOT / f"{case}.list").read_text().split("\n")


def zipstream_of(case: str) -> zipstream.ZipStream:
    stream = zipstream.ZipStream(compress_type=zipstream.ZIP_STORED, sized=True)
    for name in members(case):
        stream.add_path(str(ROOT / name), name)
    return stream


def wsgi(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    kind, _, case = environ["PATH_INFO"].strip("/").partition("/")
    if kind == "ours":
        return SENDER.wsgi_archive(environ, start_response, members(case), f"{case}.zip")
    if kind == "zipstream":
        stream = zipstream_of(case)
        start_response(
            "200 OK",
            [("Content-Type", "application/zip"), ("Content-Length", str(len(stream)))],
        )
        return stream
    return SENDER.wsgi(environ, start_response, "single.bin")


async def asgi(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] != "http":
        return
    kind, _, case = scope["path"].strip("/").partition("/")
    if kind == "ours":
        await SENDER.asgi_archive(scope, receive, send, members(case), f"{case}.zip")
    elif kind == "zipstream":
        # zipstream-ng's blocking iteration, one chunk per message, as an app would.
        stream = zipstream_of(case)
        headers = [(b"content-type", b"application/zip"), (b"content-length", b"%d" % len(stream))]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        for chunk in stream:
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
        await send({"type": "http.response.body", "body": b""})
    else:
        await SENDER.asgi(scope, receive, send, "single.bin")
