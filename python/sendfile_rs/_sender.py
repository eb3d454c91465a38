"""``Sender``: the framework-neutral entry point, and the whole WSGI answer."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from typing import Any, Callable

from ._cork import multipart_body
from ._native import Config, NotFound, OutsideRoot, Plan
from ._range_file import CHUNK, range_file_for
from ._wire import request_headers, status_line

StartResponse = Callable[..., Any]

_NOT_FOUND = b"Not Found\n"


class Sender:
    """Plans answers for one backend and root, or one object store.

    ``Sender("nginx", "/srv/private", url="/protected", max_ranges=16)``: the options are
    those of the README (``check_file_exists``, ``max_ranges``, ``cache_control``,
    ``content_types``, ``accel_buffering``, ...). ``Sender("nginx", None,
    store_endpoint="https://s3.eu-west-1.amazonaws.com", store_bucket="media", ...)``
    names objects in a store instead of files under a root. Build one and share it: it is
    immutable and thread-safe.
    """

    def __init__(
        self,
        backend: str,
        root: str | os.PathLike[str] | None,
        url: str | None = None,
        **options: Any,
    ) -> None:
        self._config = Config(backend, None if root is None else os.fspath(root), url, options)

    @property
    def backend(self) -> str:
        return self._config.backend

    def plan(
        self,
        path: str | bytes | os.PathLike[str],
        *,
        method: str = "GET",
        headers: Mapping[str, str | bytes] | Iterable[tuple[str, str | bytes]] | None = None,
        attachment: bool = False,
        attachment_filename: str | bool | None = None,
        mimetype: str | None = None,
        encoding: str | None = None,
        content_length: int | None = None,
    ) -> Plan:
        """The plan for ``path`` (absolute under the root, or relative to it).

        ``headers`` are the request's headers, any mapping or pairs; pass them all. Raises
        ``NotFound``, ``OutsideRoot``, ``InvalidArgument`` or ``OSError``.
        """
        return self._config.plan(
            path,
            method=method,
            headers=headers,
            attachment=attachment,
            attachment_filename=attachment_filename,
            mimetype=mimetype,
            encoding=encoding,
            content_length=content_length,
        )

    def wsgi(
        self,
        environ: dict[str, Any],
        start_response: StartResponse,
        path: str | bytes | os.PathLike[str],
        **file_options: Any,
    ) -> Iterable[bytes]:
        """The whole WSGI answer for ``path``: a 404 for a missing file or one outside the
        root, otherwise the plan, its body through ``wsgi.file_wrapper`` (zero-copy) for a
        200 or a single range."""
        try:
            plan = self.plan(
                path,
                method=environ.get("REQUEST_METHOD", "GET"),
                headers=request_headers(environ),
                **file_options,
            )
        except (NotFound, OutsideRoot):
            start_response(
                status_line(404),
                [("Content-Type", "text/plain"), ("Content-Length", str(len(_NOT_FOUND)))],
            )
            return [_NOT_FOUND]
        start_response(status_line(plan.status), plan.wire_headers)
        if plan.body == "file":
            file = range_file_for(plan, environ)
            file_wrapper = environ.get("wsgi.file_wrapper")
            return file_wrapper(file, CHUNK) if file_wrapper else file
        if plan.body == "multipart":
            return multipart_body(plan, environ)
        plan.close()
        return []
