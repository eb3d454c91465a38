"""``Sender``: the framework-neutral entry point; ``wsgi`` and ``asgi`` hand its plans to
a server through the adapters beside it (``_wsgi``, ``_asgi``)."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from typing import Any

from ._native import Config, Plan
from ._servers import asgi as _asgi
from ._servers import wsgi as _wsgi
from ._servers.asgi import Receive, Scope, Send
from ._servers.wsgi import StartResponse


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
        200 or a single range. ``file_options`` are those of ``plan``."""
        return _wsgi.answer(self.plan, environ, start_response, path, file_options)

    async def asgi(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        path: str | bytes | os.PathLike[str],
        **file_options: Any,
    ) -> None:
        """The whole ASGI answer for ``path``, as ``wsgi`` gives it: planned and read on
        worker threads, a whole-file 200 sent by ``http.response.pathsend`` where the
        server offers it, anything else in large chunks; the file is closed when the client
        goes away. ``file_options`` are those of ``plan``."""
        await _asgi.answer(self.plan, scope, receive, send, path, file_options)
