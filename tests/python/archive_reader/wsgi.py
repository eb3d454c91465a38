"""The WSGI application of the resume test in tests/python/test_archive_readers.py: every
request is answered with the archive plan of the files named in ARCHIVE_MEMBERS (paths
under SENDFILE_ROOT, one a line), its status and headers as planned and its body the
plan itself, iterated by the server (which closes it)."""

from __future__ import annotations

import http
import os
from collections.abc import Callable, Iterable
from typing import Any

from sendfile_rs import _native

CONFIG = _native.Config("simple", os.environ["SENDFILE_ROOT"], None, None)
MEMBERS = os.environ["ARCHIVE_MEMBERS"].split("\n")


def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    headers = {
        key[5:].replace("_", "-").title(): value
        for key, value in environ.items()
        if key.startswith("HTTP_")
    }
    plan = CONFIG.plan_archive(
        MEMBERS, method=environ["REQUEST_METHOD"], headers=headers, filename="bundle.zip"
    )
    start_response(f"{plan.status} {http.HTTPStatus(plan.status).phrase}", plan.headers)
    return plan
