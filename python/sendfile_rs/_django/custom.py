"""Custom backends: a SENDFILE_BACKEND that names a module of one's own with
``sendfile(request, filename, **kwargs)``, called as django-sendfile2 calls it, with the
headers django-sendfile2 adds around its answer."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Callable

from django.core.exceptions import ImproperlyConfigured
from django.http import Http404, HttpRequest, HttpResponseBase

from .._native import Plan
from .settings import BACKEND_FACTS, BUILTIN_BACKENDS

#: The backend whose plan a custom backend is handed (the path, type, name and size):
#: lighttpd's, a header-only one that needs no URL and whose handover takes any name (a
#: raw X-Sendfile refuses control characters); the custom answer drops its header.
CUSTOM_PLANNER = BACKEND_FACTS["lighttpd"].name


def custom_response(
    setting: str, request: HttpRequest, plan: Plan, mimetype: str | None, encoding: str | None
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
    if plan.path is None:
        raise ImproperlyConfigured(
            f"SENDFILE_BACKEND {setting!r} is a custom backend, which is handed a local path, "
            "and this file has none"
        )
    path = Path(plan.path)
    try:
        # As django-sendfile2 calls it: the path, and the mimetype the caller gave (or None).
        response = backend(request, path, mimetype=mimetype)
    except FileNotFoundError as error:
        # As django-sendfile2, which catches exactly this: the client's 404, not a 500.
        raise Http404(
            f"not found: {path.name}: the backend {setting} found no such file"
        ) from error
    response["Content-Disposition"] = headers["Content-Disposition"]
    if plan.file_size is not None:
        response["Content-Length"] = str(plan.file_size)
    response["Content-Type"] = content_type
    if encoding:
        response["Content-Encoding"] = encoding
    return response
