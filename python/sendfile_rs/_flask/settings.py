"""The SENDFILE_* settings of a Flask or Quart application, read from ``app.config`` at
every call, so that a change to ``app.config`` (in a test, or at run time) is seen by the
next call. They mean what they mean under Django (``sendfile_rs._settings``); the
configuration built from them is kept, per application, while the values read stay the
same.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Mapping
from typing import Any, NamedTuple, Protocol

from .._native import Config, ConfigurationError
from .._settings import BACKEND_FACTS, BUILTIN_BACKENDS, build_config, builtin_backend

#: The key of ``app.extensions`` under which an application keeps its configurations.
EXTENSION = "sendfile_rs"

#: The settings a configuration is built from, and their values when they are not set.
SETTINGS = (
    ("SENDFILE_BACKEND", None),
    ("SENDFILE_ROOT", None),
    ("SENDFILE_URL", None),
    ("SENDFILE_CHECK_FILE_EXISTS", True),
    ("SENDFILE_OPTIONS", None),
)


class App(Protocol):
    """What is read of a Flask or Quart application."""

    @property
    def config(self) -> Mapping[str, Any]: ...
    @property
    def extensions(self) -> dict[str, Any]: ...
    @property
    def root_path(self) -> str: ...


class Configured(NamedTuple):
    """The configuration of an application's settings, and what the backend is."""

    backend: str
    sends_body: bool
    config: Config


class Configurations:
    """An application's configurations, each with the values it was built from (a deep
    copy: SENDFILE_OPTIONS may be changed in place), by the options a call adds."""

    def __init__(self) -> None:
        self.built: dict[tuple[tuple[str, Any], ...], tuple[tuple[Any, ...], Configured]] = {}


def configurations(app: App) -> Configurations:
    """The application's configurations, kept in ``app.extensions``: the extension puts
    them there, and an application without it gets them at its first call."""
    state = app.extensions.get(EXTENSION)
    if not isinstance(state, Configurations):
        state = app.extensions[EXTENSION] = Configurations()
    return state


def backend_of(setting: Any) -> str:
    """The built-in backend ``SENDFILE_BACKEND`` names; ``ConfigurationError`` if none."""
    if not setting:
        raise ConfigurationError("You must specify a value for SENDFILE_BACKEND")
    name = builtin_backend(setting) if isinstance(setting, str) else None
    if name is None:
        raise ConfigurationError(
            f"SENDFILE_BACKEND is {setting!r}; under Flask and Quart it names a built-in "
            f"backend: {', '.join(BUILTIN_BACKENDS)}"
        )
    return name


def configured(app: App, **call_options: Any) -> Configured:
    """The configuration of the application's current settings, with ``call_options``
    (``etag=False`` for one call) over SENDFILE_OPTIONS. A relative SENDFILE_ROOT is
    relative to ``app.root_path``, as Flask's own folders are."""
    values = (app.root_path, *(app.config.get(name, default) for name, default in SETTINGS))
    key = tuple(sorted(call_options.items()))
    state = configurations(app)
    built = state.built.get(key)
    if built is not None and built[0] == values:
        return built[1]
    root_path, setting, root, url, check_file_exists, options = values
    backend = backend_of(setting)
    if root:
        root = os.path.join(root_path, os.fspath(root))
    config = build_config(
        backend, root, url, check_file_exists, {**(options or {}), **call_options}
    )
    result = Configured(backend, BACKEND_FACTS[backend].sends_body, config)
    state.built[key] = (copy.deepcopy(values), result)
    return result
