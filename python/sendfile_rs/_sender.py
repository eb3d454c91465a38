"""``Sender``: the framework-neutral entry point; ``wsgi`` and ``asgi`` hand its plans to
a server through the adapters beside it (``_wsgi``, ``_asgi``)."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from ._native import Config, Plan
from ._servers import asgi as _asgi
from ._servers import wsgi as _wsgi
from ._servers.asgi import Receive, Scope, Send
from ._servers.wsgi import StartResponse

if TYPE_CHECKING:
    from ._native import _ArchiveMember as ArchiveMember


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
        worker threads; the body sent by ``http.response.zerocopysend`` where the server
        offers it (200, 206, multipart), a whole-file 200 by ``http.response.pathsend``
        where the server offers that, anything else in large chunks; the file is closed
        when the client goes away (under anycorn, which cuts the files it sends itself,
        always in chunks). ``file_options`` are those of ``plan``."""
        await _asgi.answer(self.plan, scope, receive, send, path, file_options)

    def plan_archive(
        self,
        members: Iterable[ArchiveMember],
        *,
        method: str = "GET",
        headers: Mapping[str, str | bytes] | Iterable[tuple[str, str | bytes]] | None = None,
        filename: str = "archive.zip",
    ) -> Plan:
        """The plan for ``members`` as one ZIP archive offered for download as
        ``filename``: each member a path under the root (named inside after its last
        component), ``(path, name)``, or ``(path, name, crc32)`` when its CRC-32 is known.

        The archive stores its members uncompressed, so its length, a strong ETag and
        Last-Modified are known at once and downloads resume with ``Range``. A CRC-32
        read from a member is remembered by this sender for the next archive of the same
        file: keep one sender for the process rather than one per request. Raises
        ``NotFound`` or ``OutsideRoot`` for a member (its path in the message),
        ``InvalidArgument`` for a name unsafe to unpack or two members with one name.
        """
        return self._config.plan_archive(members, method=method, headers=headers, filename=filename)

    def wsgi_archive(
        self,
        environ: dict[str, Any],
        start_response: StartResponse,
        members: Iterable[ArchiveMember],
        filename: str = "archive.zip",
    ) -> Iterable[bytes]:
        """The whole WSGI answer for ``members`` as one archive: a 404 when one is
        missing or outside the root; under gunicorn the members' data by sendfile(2)."""
        # The adapters hand what they are given to the planner: here, the members.
        planned: Any = list(members)
        return _wsgi.answer(
            self.plan_archive, environ, start_response, planned, {"filename": filename}
        )

    async def asgi_archive(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        members: Iterable[ArchiveMember],
        filename: str = "archive.zip",
    ) -> None:
        """The whole ASGI answer for ``members`` as one archive, as ``asgi`` sends a
        file: planned and read on worker threads, the client's departure closing it."""
        planned: Any = list(members)
        await _asgi.answer(self.plan_archive, scope, receive, send, planned, {"filename": filename})
