"""``sendfile()`` as django-sendfile2 has it, done right, and what a backend module's
``sendfile(request, filename, **kwargs)`` answers."""

from __future__ import annotations

import os
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.http import Http404, HttpRequest, HttpResponseBase

from .._native import PLAN_HEADERS, Config, NotFound, OutsideRoot
from . import settings, storages
from .custom import CUSTOM_PLANNER, custom_response
from .responses import headers_only_response, served_response

#: The request headers a plan reads (the core's list), by their WSGI environ keys.
_PLAN_HEADERS = tuple(("HTTP_" + name.upper().replace("-", "_"), name) for name in PLAN_HEADERS)


def plan_headers(meta: dict[str, Any]) -> list[tuple[str, str]] | None:
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

    Reads ``SENDFILE_BACKEND``, ``SENDFILE_ROOT``, ``SENDFILE_URL``,
    ``SENDFILE_CHECK_FILE_EXISTS`` and ``SENDFILE_OPTIONS`` at each call; ``backend``
    chooses another backend for this call.
    ``filename`` is a path (str or ``os.PathLike``, absolute or relative to the root) or
    a Django ``File`` / ``FieldFile`` stored on a ``FileSystemStorage``, or a ``FieldFile``
    on django-storages' ``S3Storage``, handed over from the store. Raises
    ``Http404`` for a missing file or one outside the root, ``ImproperlyConfigured`` for
    missing or wrong settings.
    """
    setting = backend or settings.setting("SENDFILE_BACKEND", None)
    if not setting:
        raise ImproperlyConfigured("You must specify a value for SENDFILE_BACKEND")
    name = settings.builtin_backend(setting)
    # A file on django-storages' S3Storage is an object in a store: nginx proxies it or
    # the client is redirected to it (sendfile_rs/_django/storages.py).
    located = storages.locate(filename, name) if name else None
    # A custom backend still gets the path checks and presentation headers, and is handed
    # the plan's path (see custom.CUSTOM_PLANNER).
    config, path = located or (
        settings.config_from_settings(name or CUSTOM_PLANNER),
        path_of(filename),
    )
    return _answer(
        config,
        setting,
        request,
        path,
        attachment,
        attachment_filename,
        mimetype,
        encoding,
        content_length,
    )


def backend_sendfile(
    backend: str, request: HttpRequest, filename: Any, **options: Any
) -> HttpResponseBase:
    """What a backend module's ``sendfile(request, filename, **options)`` answers, with
    the options of ``sendfile()``.

    With ``SENDFILE_ROOT`` set, the same as ``sendfile()`` with that backend. Without it,
    as django-sendfile2's backend modules allow (Wagtail calls them so), ``filename`` must
    be an absolute path, and the file's own folder stands in for the root: the file must
    be a regular file in that folder, reached without a symbolic link out of it; ``..``
    is resolved on the text first, as everywhere.
    """
    if settings.setting("SENDFILE_ROOT", None):
        return sendfile(request, filename, backend=backend, **options)
    path = path_of(filename)
    if not os.path.isabs(path):
        raise ImproperlyConfigured(
            f"SENDFILE_ROOT is not set, so the {backend} backend needs an absolute path, "
            f"not {path!r}; set SENDFILE_ROOT to send paths relative to it"
        )
    if (
        settings.BACKEND_FACTS[backend].needs_url
        and settings.setting("SENDFILE_URL", None) is not None
    ):
        raise ImproperlyConfigured(
            "SENDFILE_URL is set and SENDFILE_ROOT is not: the URL stands for the root, "
            "so set SENDFILE_ROOT to the folder the front server maps to SENDFILE_URL"
        )
    folder, name = os.path.split(os.path.normpath(path))
    # A configuration per call (well under a microsecond): the folder changes with the file.
    config = settings.build_config(
        backend,
        folder,
        None,
        settings.setting("SENDFILE_CHECK_FILE_EXISTS", True),
        settings.setting("SENDFILE_OPTIONS", None),
    )
    return _answer(config, backend, request, name, **options)


def _answer(
    config: Config,
    setting: str,
    request: HttpRequest,
    path: str,
    attachment: bool = False,
    attachment_filename: str | bool | None = None,
    mimetype: str | None = None,
    encoding: str | None = None,
    content_length: int | None = None,
) -> HttpResponseBase:
    """The response for ``path`` planned with ``config``, from the backend ``setting``
    names (a built-in one, or a custom module)."""
    name = settings.builtin_backend(setting)
    # Only the backends that send the body read the request headers. The method goes to
    # every plan: a redirect to an object in a store is signed for it (a HEAD follows a
    # redirect as HEAD), and a front server's handover ignores it.
    sends_body = name is not None and settings.BACKEND_FACTS[name].sends_body
    try:
        plan = config.plan(
            path,
            method=request.method or "GET",
            headers=plan_headers(request.META) if sends_body else None,
            attachment=attachment,
            attachment_filename=attachment_filename,
            mimetype=mimetype,
            encoding=encoding,
            content_length=content_length,
        )
    except (NotFound, OutsideRoot) as error:
        raise Http404(str(error)) from error
    if name is None:
        return custom_response(setting, request, plan, mimetype, encoding)
    if sends_body:
        return served_response(plan, request)
    return headers_only_response(plan)
