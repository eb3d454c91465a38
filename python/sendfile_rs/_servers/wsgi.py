"""The WSGI adapter: the whole answer for one file, as ``Sender.wsgi`` gives it."""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Any, Callable

from .._native import NotFound, OutsideRoot, Plan
from .body import NOT_FOUND, wsgi_body
from .range_file import CHUNK, RangeFile
from .wire import request_headers, status_line

StartResponse = Callable[..., Any]


def answer(
    planner: Callable[..., Plan],
    environ: dict[str, Any],
    start_response: StartResponse,
    path: str | bytes | os.PathLike[str],
    file_options: dict[str, Any],
) -> Iterable[bytes]:
    """The whole WSGI answer for ``path``: a 404 for a missing file or one outside the
    root, otherwise the plan, its file through ``wsgi.file_wrapper`` (zero-copy) for a 200
    or a single range."""
    try:
        plan = planner(
            path,
            method=environ.get("REQUEST_METHOD", "GET"),
            headers=request_headers(environ),
            **file_options,
        )
    except (NotFound, OutsideRoot):
        start_response(
            status_line(404),
            [("Content-Type", "text/plain"), ("Content-Length", str(len(NOT_FOUND)))],
        )
        return [NOT_FOUND]
    start_response(status_line(plan.status), plan.wire_headers)
    body = wsgi_body(plan, environ)
    if body is None:
        return []
    if isinstance(body, RangeFile):
        file_wrapper = environ.get("wsgi.file_wrapper")
        return file_wrapper(body, CHUNK) if file_wrapper else body
    return body
