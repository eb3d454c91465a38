"""The SENDFILE_* settings: which backend a setting names, and the configuration they make.

They are read at every call, as django-sendfile2 reads them, so a change however made
(``override_settings``, ``settings.SENDFILE_ROOT = ...`` in a test's ``setUp``, code at
run time) is seen by the next call. The configuration built from them is kept for as long
as the values read are the same.
"""

from __future__ import annotations

import copy
from typing import Any, NamedTuple

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .._native import Config
from .._settings import BACKEND_FACTS, BUILTIN_BACKENDS, builtin_backend
from .._settings import build_config as _build_config

__all__ = ["BACKEND_FACTS", "BUILTIN_BACKENDS", "build_config", "builtin_backend"]


#: Django's own cache of the settings read so far: LazySettings keeps each value it finds
#: in its ``__dict__``, an assignment or ``del`` drops that entry, and ``override_settings``
#: (which swaps the settings object, ``_wrapped``) clears them all. The dictionary is the
#: same object for the life of the process.
_read_by_django: dict[str, Any] = vars(settings)

_ABSENT = object()

#: The settings a configuration is built from, and their values when they are not set.
_CONFIG_SETTINGS = (
    ("SENDFILE_ROOT", None),
    ("SENDFILE_URL", None),
    ("SENDFILE_CHECK_FILE_EXISTS", True),
    ("SENDFILE_OPTIONS", None),
)
_NAMES = tuple(name for name, _ in _CONFIG_SETTINGS)
_ABSENTS = (_ABSENT,) * len(_NAMES)


def setting(name: str, default: Any) -> Any:
    """The current value of the setting ``name``, from Django's cache when it is there."""
    value = _read_by_django.get(name, _ABSENT)
    return getattr(settings, name, default) if value is _ABSENT else value


class _Built(NamedTuple):
    """A configuration and what it was built from."""

    #: Django's cache of the settings, as read after building (a deep copy: a test may
    #: change SENDFILE_OPTIONS in place).
    read: tuple[Any, ...]
    #: The settings object in use then.
    wrapped: object
    #: The settings that were not set: they stay so while ``wrapped`` is in use and no
    #: assignment has put them on it.
    missing: tuple[str, ...]
    config: Config


#: For each backend name, the configuration last built.
_configs: dict[str, _Built] = {}


def config_from_settings(backend: str) -> Config:
    """The configuration for ``backend`` under the current settings.

    The settings are read at every call, at the cost of a few dictionary lookups:
    ``settings.NAME`` would do, but for a setting that is not set Django raises and catches
    an AttributeError, about 2 us, a fifth of a whole call.
    """
    built = _configs.get(backend)
    if (
        built is not None
        and _read_by_django.get("_wrapped") is built.wrapped
        and tuple(map(_read_by_django.get, _NAMES, _ABSENTS)) == built.read
        and vars(built.wrapped).keys().isdisjoint(built.missing)
    ):
        return built.config
    values = []
    missing = []
    for name, default in _CONFIG_SETTINGS:
        value = getattr(settings, name, _ABSENT)
        if value is _ABSENT:
            missing.append(name)
            value = default
        values.append(value)
    config = build_config(backend, *values)
    read = tuple(map(_read_by_django.get, _NAMES, _ABSENTS))
    # Kept only while Django caches every setting it has, so that the next call can trust
    # its cache.
    if read.count(_ABSENT) == len(missing):
        _configs[backend] = _Built(
            copy.deepcopy(read, {id(_ABSENT): _ABSENT}),
            _read_by_django.get("_wrapped"),
            tuple(missing),
            config,
        )
    return config


def build_config(
    backend: str, root: Any, url: Any, check_file_exists: Any, options_setting: Any
) -> Config:
    """The configuration of these settings' values; ``ImproperlyConfigured`` if wrong."""
    return _build_config(
        backend, root, url, check_file_exists, options_setting, ImproperlyConfigured
    )
