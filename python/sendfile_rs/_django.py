"""The Django integration: ``sendfile()`` as django-sendfile2 has it, done right.

The settings are read at first use and again whenever Django signals a change to a
SENDFILE_* setting (``override_settings`` does), so tests that override them see the
change at once, and a call costs no settings lookups.
"""

from __future__ import annotations

import asyncio
import importlib
import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any, Callable

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse

from ._cork import multipart_body
from ._native import Config, ConfigurationError, NotFound, OutsideRoot, Plan
from ._range_file import CHUNK, RangeFile, range_file_for

#: The backends this package implements, by the last part of their module name.
BUILTIN_BACKENDS = ("simple", "development", "xsendfile", "nginx", "mod_wsgi", "lighttpd")

#: The package spellings under which SENDFILE_BACKEND may name a built-in backend.
BACKEND_PACKAGES = ("sendfile_rs.backends.", "django_sendfile.backends.", "sendfile.backends.")


def builtin_backend(setting: str) -> str | None:
    """The built-in backend a ``SENDFILE_BACKEND`` value names, or None for a custom one."""
    try:
        return _backend_names[setting]
    except KeyError:
        name = _backend_names[setting] = _parse_backend(setting)
        return name


_backend_names: dict[str, str | None] = {}


def _parse_backend(setting: str) -> str | None:
    for package in BACKEND_PACKAGES:
        name = setting[len(package) :] if setting.startswith(package) else None
        if name in BUILTIN_BACKENDS:
            return name
    return setting if setting in BUILTIN_BACKENDS else None


#: One configuration per backend name, built from the settings at first use and dropped
#: whenever Django signals a change to a SENDFILE_* setting (override_settings does).
_configs: dict[str, Config] = {}


def _forget_configs(*, setting: str, **_: object) -> None:
    if setting.startswith("SENDFILE_"):
        _configs.clear()


setting_changed.connect(_forget_configs)


def config_from_settings(backend: str) -> Config:
    """The configuration for ``backend`` under the current settings."""
    config = _configs.get(backend)
    if config is None:
        config = _configs[backend] = _build_config(backend)
    return config


def _build_config(backend: str) -> Config:
    root = getattr(settings, "SENDFILE_ROOT", None)
    if not root:
        raise ImproperlyConfigured("You must specify a value for SENDFILE_ROOT")
    url = getattr(settings, "SENDFILE_URL", None)
    if url is None and backend in ("nginx", "mod_wsgi"):
        # As django-sendfile2: without SENDFILE_URL the file's absolute path is the URL.
        url = os.fspath(root)
    options = dict(getattr(settings, "SENDFILE_OPTIONS", None) or {})
    options.setdefault("check_file_exists", getattr(settings, "SENDFILE_CHECK_FILE_EXISTS", True))
    try:
        return Config(backend, os.fspath(root), url, options)
    except ConfigurationError as error:
        raise ImproperlyConfigured(f"sendfile_rs: {error}") from error


#: The request headers a plan reads, by their WSGI environ keys.
_PLAN_HEADERS = (
    ("HTTP_RANGE", "Range"),
    ("HTTP_IF_RANGE", "If-Range"),
    ("HTTP_IF_MATCH", "If-Match"),
    ("HTTP_IF_NONE_MATCH", "If-None-Match"),
    ("HTTP_IF_MODIFIED_SINCE", "If-Modified-Since"),
    ("HTTP_IF_UNMODIFIED_SINCE", "If-Unmodified-Since"),
)


def _plan_headers(meta: dict[str, Any]) -> list[tuple[str, str]] | None:
    """The headers that matter to a plan the application sends; None when there are none."""
    headers = [(name, meta[key]) for key, name in _PLAN_HEADERS if key in meta]
    return headers or None


def path_of(filename: Any) -> str:
    """The path of a str, ``os.PathLike``, or Django ``File``/``FieldFile``."""
    if isinstance(filename, (str, os.PathLike)):
        return os.fspath(filename)
    for attribute in ("path", "name"):
        try:
            value = getattr(filename, attribute, None)
        except (NotImplementedError, ValueError) as error:
            raise ValueError(
                f"{filename!r} is not stored on the local file system: {error}"
            ) from error
        if value:
            return str(os.fspath(value))
    raise TypeError(f"cannot send {filename!r}: give a path, a File or a FieldFile")


def sendfile(
    request: HttpRequest,
    filename: Any,
    attachment: bool = False,
    attachment_filename: str | bool | None = None,
    mimetype: str | None = None,
    encoding: str | None = None,
    content_length: int | None = None,
    *,
    backend: str | None = None,
) -> HttpResponseBase:
    """The Django view helper: the response that hands ``filename`` to the client.

    Reads ``SENDFILE_BACKEND`` at each call, and ``SENDFILE_ROOT``, ``SENDFILE_URL``,
    ``SENDFILE_CHECK_FILE_EXISTS`` and ``SENDFILE_OPTIONS`` when first needed and after
    every change Django signals; ``backend`` chooses another backend for this call.
    ``filename`` is a path (str or ``os.PathLike``, absolute or relative to the root) or
    a Django ``File`` / ``FieldFile`` stored on a ``FileSystemStorage``. Raises
    ``Http404`` for a missing file or one outside the root, ``ImproperlyConfigured`` for
    missing or wrong settings.
    """
    setting = backend or getattr(settings, "SENDFILE_BACKEND", None)
    if not setting:
        raise ImproperlyConfigured("You must specify a value for SENDFILE_BACKEND")
    name = builtin_backend(setting)
    # A custom backend still gets the path checks and presentation headers: planned as
    # xsendfile, whose header is the absolute path.
    config = config_from_settings(name or "xsendfile")
    # Only the backends that send the body read the method and the request headers.
    sends_body = name in ("simple", "development")
    try:
        plan = config.plan(
            path_of(filename),
            method=(request.method or "GET") if sends_body else "GET",
            headers=_plan_headers(request.META) if sends_body else None,
            attachment=attachment,
            attachment_filename=attachment_filename,
            mimetype=mimetype,
            encoding=encoding,
            content_length=content_length,
        )
    except (NotFound, OutsideRoot) as error:
        raise Http404(str(error)) from error
    if name is None:
        return _custom_response(setting, request, plan, encoding)
    if sends_body:
        return served_response(plan, request)
    return _headers_only_response(plan)


def _headers_only_response(plan: Plan) -> HttpResponse:
    response = HttpResponse(status=plan.status)
    set_headers(response, plan)
    return response


def served_response(plan: Plan, request: HttpRequest) -> HttpResponseBase:
    """The answer when Django sends the body: the descriptor itself through
    ``wsgi.file_wrapper`` (sendfile(2) in gunicorn and uWSGI) for a 200 or one range, the
    plan's chunks for a multipart body, an async iterator under ASGI."""
    response: HttpResponseBase
    if plan.body == "empty":
        plan.close()
        response = HttpResponse(status=plan.status)
    elif _is_asgi(request):
        response = StreamingHttpResponse(_chunks_off_the_loop(plan), status=plan.status)
    elif plan.body == "file":
        response = DescriptorResponse(range_file_for(plan, request.META), plan.status)
    else:
        response = StreamingHttpResponse(multipart_body(plan, request.META), status=plan.status)
    set_headers(response, plan)
    return response


class DescriptorResponse(StreamingHttpResponse):
    """A streaming response whose file Django's WSGI handler hands to
    ``wsgi.file_wrapper``, as it does for ``FileResponse``."""

    block_size = CHUNK

    def __init__(self, file: RangeFile, status: int) -> None:
        self._file = file
        super().__init__(file, status=status)

    def _set_streaming_content(self, value: Any) -> None:
        # A middleware that replaces the body (GZipMiddleware compresses it) must be
        # obeyed: the server then sends the new body, not the descriptor. Django's own
        # FileResponse overrides this same hook for this reason; django-stubs leaves the
        # private hook out.
        self.file_to_stream = value if value is self._file else None
        super()._set_streaming_content(value)  # type: ignore[misc]

    def close(self) -> None:
        # Django swallows errors of the closers it runs, and the server must see a file
        # that shrank to drop the connection of the cut-short answer: close the file
        # first (its second close, among Django's closers, does nothing). Through the
        # class, because Django's WSGI handler sets the file's ``close`` to this method.
        try:
            RangeFile.close(self._file)
        finally:
            super().close()


def set_headers(response: HttpResponseBase, plan: Plan) -> None:
    """Puts the plan's headers on the response, and only those: Django's default
    Content-Type goes when the plan has none (304, 412, 416)."""
    headers = plan.wire_headers
    if not headers or headers[0][0] != "Content-Type":
        del response["Content-Type"]
    for name, value in headers:
        response[name] = value


def _is_asgi(request: HttpRequest) -> bool:
    from django.core.handlers.asgi import ASGIRequest

    return isinstance(request, ASGIRequest)


async def _chunks_off_the_loop(plan: Plan) -> AsyncIterator[bytes]:
    """The body for an ASGI server, each chunk read on a worker thread."""
    try:
        while (chunk := await asyncio.to_thread(next, plan, None)) is not None:
            yield chunk
    finally:
        plan.close()


def _custom_response(
    setting: str, request: HttpRequest, plan: Plan, encoding: str | None
) -> HttpResponseBase:
    """A custom backend's response with the headers django-sendfile2 adds around it."""
    try:
        backend: Callable[..., HttpResponseBase] = importlib.import_module(setting).sendfile
    except (ImportError, AttributeError) as error:
        raise ImproperlyConfigured(
            f"SENDFILE_BACKEND {setting!r} is neither a built-in backend "
            f"({', '.join(BUILTIN_BACKENDS)}) nor a module with a "
            f"sendfile(request, filename, **kwargs) function: {error}"
        ) from error
    headers = dict(plan.headers)
    content_type = headers["Content-Type"]
    response = backend(request, Path(headers["X-Sendfile"]), mimetype=content_type)
    response["Content-Disposition"] = headers["Content-Disposition"]
    if plan.file_size is not None:
        response["Content-Length"] = str(plan.file_size)
    response["Content-Type"] = content_type
    if encoding:
        response["Content-Encoding"] = encoding
    return response
