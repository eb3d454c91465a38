"""What the SENDFILE_* settings mean, whichever framework holds them (Django's settings,
Flask's and Quart's ``app.config``): which backend ``SENDFILE_BACKEND`` names, and the
configuration the others make. The backends and the options are the core's
(``_native``); the rooms of the frameworks only read their settings and call these."""

from __future__ import annotations

import os
from typing import Any

from ._native import BACKENDS, Backend, Config, ConfigurationError

#: The backends this package implements, by the last part of their module name, with
#: what the core says each one is.
BACKEND_FACTS: dict[str, Backend] = {backend.name: backend for backend in BACKENDS}
BUILTIN_BACKENDS = tuple(BACKEND_FACTS)

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


def build_config(
    backend: str,
    root: Any,
    url: Any,
    check_file_exists: Any,
    options_setting: Any,
    error: type[Exception] = ConfigurationError,
) -> Config:
    """The configuration the settings' values make, or ``error`` saying which is wrong."""
    if not root:
        raise error("You must specify a value for SENDFILE_ROOT")
    if url is None and BACKEND_FACTS[backend].needs_url:
        # As django-sendfile2: without SENDFILE_URL the file's absolute path is the URL.
        url = os.fspath(root)
    options = dict(options_setting or {})
    options.setdefault("check_file_exists", check_file_exists)
    try:
        return Config(backend, os.fspath(root), url, options)
    except ConfigurationError as wrong:
        raise error(f"sendfile_rs: {wrong}") from wrong
