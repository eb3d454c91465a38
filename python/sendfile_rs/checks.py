"""Django system checks of the SENDFILE_* settings, with stable ids. What a setting may hold
is the core's to say: each setting is judged by building a configuration from it, the one
rule set that downloads meet too, and the backends are those of the core's table.

- ``sendfile_rs.E001`` SENDFILE_BACKEND is not set.
- ``sendfile_rs.E002`` SENDFILE_BACKEND names no built-in backend and no importable module
  with a ``sendfile`` function.
- ``sendfile_rs.W003`` SENDFILE_ROOT is not set: ``sendfile()`` refuses every call, and a
  backend module called directly (as Wagtail does) sends only absolute paths, each
  confined to its own folder. (``sendfile_rs.E003``, once the error for this, is retired
  and not reused.)
- ``sendfile_rs.E004`` SENDFILE_ROOT is not an absolute path to an existing folder.
- ``sendfile_rs.E005`` SENDFILE_URL is not an absolute URL path of visible ASCII (``/...``,
  no ``?`` or ``#``); or, for the nginx and mod_wsgi backends without it, the root's path,
  which then serves as the URL, is not one.
- ``sendfile_rs.E006`` SENDFILE_OPTIONS (or SENDFILE_CHECK_FILE_EXISTS) has an unknown option
  or a malformed value.
- ``sendfile_rs.E007`` the nginx or mod_wsgi backend with SENDFILE_URL and without
  SENDFILE_ROOT: the URL has no folder to stand for.
- ``sendfile_rs.E008`` an ``S3Storage`` of ``STORAGES`` cannot be a store for the backend
  (no credentials, an endpoint, bucket or location the core refuses).
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

from ._django import storages as _storages
from ._django.settings import builtin_backend
from ._native import BACKENDS, Backend, Config, SendfileError

_BACKENDS = {backend.name: backend for backend in BACKENDS}


@register()
def check_settings(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    messages: list[CheckMessage] = []
    backend = _check_backend(messages)
    facts = _BACKENDS.get(backend or "")
    root = getattr(settings, "SENDFILE_ROOT", None)
    stores = _check_stores(messages, backend)
    if not root and not stores:
        # A warning, not an error: Wagtail calls backend modules without a root, as
        # django-sendfile2 allows, and an error would stop runserver and migrate.
        messages.append(
            Warning(
                "SENDFILE_ROOT is not set: sendfile_rs.sendfile() raises ImproperlyConfigured, "
                "and a backend module called directly (as Wagtail does) sends only absolute "
                "paths, each confined to its own folder: a regular file in it, reached "
                "without a symbolic link out of it.",
                hint="Set SENDFILE_ROOT to the folder that holds the protected files to "
                "confine every file to it.",
                id="sendfile_rs.W003",
            )
        )
    elif root and ((error := _refusal(root=os.fspath(root))) or not os.path.isdir(root)):
        messages.append(
            Error(
                f"SENDFILE_ROOT {os.fspath(root)!r} is not an absolute path to an existing folder"
                + (f": {error}" if error else "."),
                id="sendfile_rs.E004",
            )
        )
    url = getattr(settings, "SENDFILE_URL", None)
    if url is not None and (error := _refusal(url=url)):
        messages.append(
            Error(
                f"SENDFILE_URL {url!r} is not an absolute URL path: {error}", id="sendfile_rs.E005"
            )
        )
    if facts and facts.needs_url and url is None and root:
        # As the download does: the root's path serves as the URL, by the same rules.
        if error := _refusal(url=os.fspath(root)):
            messages.append(
                Error(
                    f"SENDFILE_URL is not set, and SENDFILE_ROOT {os.fspath(root)!r} cannot "
                    f"serve as the URL prefix in its place: {error}",
                    hint="Set SENDFILE_URL to the internal location that the front server "
                    "maps to SENDFILE_ROOT.",
                    id="sendfile_rs.E005",
                )
            )
    if facts and facts.needs_url and url is not None and not root:
        messages.append(
            Error(
                f"The {backend} backend has SENDFILE_URL and no SENDFILE_ROOT: "
                "the URL has no folder to stand for.",
                hint="Set SENDFILE_ROOT to the folder that the front server maps to SENDFILE_URL.",
                id="sendfile_rs.E007",
            )
        )
    # Without a root, a project whose files are all objects needs no URL either.
    if facts and facts.needs_url and url is None and (root or not stores):
        messages.append(
            Warning(
                f"The {backend} backend has no SENDFILE_URL: "
                "the root's absolute path serves as the URL prefix.",
                hint="Set SENDFILE_URL to the internal location that the front server "
                "maps to SENDFILE_ROOT.",
                id="sendfile_rs.W001",
            )
        )
    if facts and facts.development_only and not settings.DEBUG:
        messages.append(
            Warning(
                f"The {backend} backend is meant for runserver, and DEBUG is False.",
                hint=f'Use "sendfile_rs.backends.{_production_backend().name}" or a '
                "front-server backend in production.",
                id="sendfile_rs.W002",
            )
        )
    # As the download builds them: SENDFILE_CHECK_FILE_EXISTS is an option too.
    options = dict(getattr(settings, "SENDFILE_OPTIONS", None) or {})
    options.setdefault("check_file_exists", getattr(settings, "SENDFILE_CHECK_FILE_EXISTS", True))
    if error := _refusal(options=options):
        messages.append(Error(f"SENDFILE_OPTIONS: {error}", id="sendfile_rs.E006"))
    return messages


def _check_stores(messages: list[CheckMessage], backend: str | None) -> int:
    """Builds the store configuration of each ``S3Storage`` as a download would; returns
    how many there are."""
    try:
        found = _storages.configured_s3_storages()
    except Exception as error:  # an S3Storage that cannot even be made
        messages.append(Error(f"STORAGES: {error}", id="sendfile_rs.E008"))
        return 1
    for alias, storage in found:
        try:
            # Any backend judges a store alike (see _refusal).
            _storages.config_for(storage, backend or _production_backend().name)
        except Exception as error:
            messages.append(
                Error(
                    f"The S3Storage STORAGES[{alias!r}] cannot be sent from: {error}",
                    hint="sendfile() signs URLs with the storage's own endpoint, bucket, "
                    "region, location and credentials.",
                    id="sendfile_rs.E008",
                )
            )
    return len(found)


def _refusal(
    *, root: str = "/", url: str | None = None, options: dict[str, object] | None = None
) -> SendfileError | None:
    """The core's objection to a configuration made of one setting and harmless defaults,
    so that an error is reported under the id of the setting that causes it. No rule of
    the core joins two settings (the URL prefix a backend needs is checked above), so any
    backend that needs none judges them alike: the production one of the table."""
    try:
        Config(_production_backend().name, root, url, options)
    except SendfileError as error:
        return error
    return None


def _production_backend() -> Backend:
    """The first backend that sends the body itself and is not for development only."""
    return next(b for b in BACKENDS if b.sends_body and not b.development_only)


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
                    hint="Built-in backends: sendfile_rs.backends."
                    + ", ".join(backend.name for backend in BACKENDS)
                    + ".",
                    id="sendfile_rs.E002",
                )
            )
    return name
