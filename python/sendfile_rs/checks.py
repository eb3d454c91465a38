"""Django system checks of the SENDFILE_* settings, with stable ids:

- ``sendfile_rs.E001`` SENDFILE_BACKEND is not set.
- ``sendfile_rs.E002`` SENDFILE_BACKEND names no built-in backend and no importable module
  with a ``sendfile`` function.
- ``sendfile_rs.E003`` SENDFILE_ROOT is not set.
- ``sendfile_rs.E004`` SENDFILE_ROOT is not an absolute path to an existing folder.
- ``sendfile_rs.E005`` SENDFILE_URL is not an absolute URL path (``/...``, no ``?`` or ``#``).
- ``sendfile_rs.E006`` SENDFILE_OPTIONS has an unknown option or a malformed value.
- ``sendfile_rs.W001`` the nginx or mod_wsgi backend without SENDFILE_URL: the root's
  absolute path is used as the URL, which the front server must then map.
- ``sendfile_rs.W002`` the development backend with ``DEBUG = False``.
"""

from __future__ import annotations

import importlib
import os
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning, register

from ._django import builtin_backend
from ._native import Config, SendfileError


@register()
def check_settings(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    messages: list[CheckMessage] = []
    backend = _check_backend(messages)
    root = getattr(settings, "SENDFILE_ROOT", None)
    if not root:
        messages.append(
            Error(
                "SENDFILE_ROOT is not set.",
                hint="Set it to the folder that holds the protected files.",
                id="sendfile_rs.E003",
            )
        )
    elif not os.path.isabs(os.fspath(root)) or not os.path.isdir(root):
        messages.append(
            Error(
                f"SENDFILE_ROOT {os.fspath(root)!r} is not an absolute path to an existing folder.",
                id="sendfile_rs.E004",
            )
        )
    url = getattr(settings, "SENDFILE_URL", None)
    if url is not None and (not str(url).startswith("/") or any(c in str(url) for c in "?# ")):
        messages.append(
            Error(
                f"SENDFILE_URL {url!r} is not an absolute URL path.",
                hint='Use a path like "/protected", without "?", "#" or spaces.',
                id="sendfile_rs.E005",
            )
        )
    if backend in ("nginx", "mod_wsgi") and url is None:
        messages.append(
            Warning(
                f"The {backend} backend has no SENDFILE_URL: "
                "the root's absolute path serves as the URL prefix.",
                hint="Set SENDFILE_URL to the internal location that the front server "
                "maps to SENDFILE_ROOT.",
                id="sendfile_rs.W001",
            )
        )
    if backend == "development" and not settings.DEBUG:
        messages.append(
            Warning(
                "The development backend is meant for runserver, and DEBUG is False.",
                hint='Use "sendfile_rs.backends.simple" or a front-server backend in production.',
                id="sendfile_rs.W002",
            )
        )
    options = getattr(settings, "SENDFILE_OPTIONS", None) or {}
    try:
        Config("simple", "/", None, dict(options))
    except SendfileError as error:
        messages.append(Error(f"SENDFILE_OPTIONS: {error}", id="sendfile_rs.E006"))
    return messages


def _check_backend(messages: list[CheckMessage]) -> str | None:
    setting = getattr(settings, "SENDFILE_BACKEND", None)
    if not setting:
        messages.append(
            Error(
                "SENDFILE_BACKEND is not set.",
                hint='For example "sendfile_rs.backends.simple".',
                id="sendfile_rs.E001",
            )
        )
        return None
    name = builtin_backend(setting)
    if name is None:
        try:
            module = importlib.import_module(setting)
        except ImportError:
            module = None
        if not callable(getattr(module, "sendfile", None)):
            messages.append(
                Error(
                    f"SENDFILE_BACKEND {setting!r} is neither a built-in backend "
                    "nor a module with a sendfile() function.",
                    hint="Built-in backends: sendfile_rs.backends.simple, development, "
                    "xsendfile, nginx, mod_wsgi, lighttpd.",
                    id="sendfile_rs.E002",
                )
            )
    return name
