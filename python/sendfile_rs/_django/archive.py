"""``sendfile_archive()``: many files as one ZIP download from a Django view."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.http import Http404, HttpRequest, HttpResponseBase

from .._native import NotFound, OutsideRoot
from . import settings
from .custom import CUSTOM_PLANNER
from .responses import served_response
from .send import path_of, plan_headers


def sendfile_archive(
    request: HttpRequest, files: Iterable[Any], filename: str = "archive.zip"
) -> HttpResponseBase:
    """The response that hands ``files`` to the client as one ZIP archive named
    ``filename``, resumable with ``Range``.

    Each item of ``files`` is a path (absolute under ``SENDFILE_ROOT`` or relative to it),
    a ``File`` / ``FieldFile`` on local storage, or a ``(file, name)`` or
    ``(file, name, crc32)`` tuple naming it inside the archive (``/`` makes folders);
    otherwise a member is named after its file. The archive is sent by the application
    under every backend (no front server makes one from files it is handed), its members'
    data by sendfile(2) under gunicorn. Reads the settings at each call. Raises
    ``Http404`` for a member that is missing or outside the root, ``ImproperlyConfigured``
    for missing settings, ``sendfile_rs.InvalidArgument`` for a name unsafe to unpack or
    two members with one name.
    """
    setting = settings.setting("SENDFILE_BACKEND", None)
    if not setting:
        raise ImproperlyConfigured("You must specify a value for SENDFILE_BACKEND")
    config = settings.config_from_settings(settings.builtin_backend(setting) or CUSTOM_PLANNER)
    members = [_member(item) for item in files]
    try:
        plan = config.plan_archive(
            members,
            method=request.method or "GET",
            headers=plan_headers(request.META),
            filename=filename,
        )
    except (NotFound, OutsideRoot) as error:
        raise Http404(str(error)) from error
    return served_response(plan, request)


def _member(item: Any) -> Any:
    """A member as the plan takes it: a path, or a tuple whose first item is a path."""
    if isinstance(item, tuple):
        return (path_of(item[0]), *item[1:])
    return path_of(item)
