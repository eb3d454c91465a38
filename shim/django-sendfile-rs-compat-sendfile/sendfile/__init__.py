"""The original django-sendfile's ``sendfile`` package, served by sendfile_rs.

For libraries hard-wired to ``from sendfile import sendfile`` (django-sendfile 0.3, and
django-sendfile2 before 0.5). It replaces those (the same import package) and refuses to
load beside them, and beside pysendfile, whose top-level ``sendfile`` module it would hide.
"""

from __future__ import annotations

import re
from importlib import metadata

#: This distribution, named in the refusals.
_DISTRIBUTION = "django-sendfile-rs-compat-sendfile"


def _release(version: str) -> tuple[int, ...]:
    """The major and minor numbers of a version string."""
    return tuple(int(number) for number in re.findall(r"\d+", version)[:2])


def _refusal() -> str | None:
    """Why this package must not load here: another installed distribution provides the
    top-level ``sendfile`` too. None when none does."""
    for name in ("django-sendfile", "django-sendfile2"):
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
        # django-sendfile2 renamed its package to django_sendfile in 0.5.
        if name == "django-sendfile2" and _release(version) >= (0, 5):
            continue
        # Both install sendfile/: whichever came last wrote these files, and
        # uninstalling the other would delete them.
        return (
            f"{name} {version} is installed beside {_DISTRIBUTION}, and both provide the "
            f"sendfile package: run pip uninstall -y {name}, then "
            f"pip install --force-reinstall --no-deps {_DISTRIBUTION}"
        )
    try:
        metadata.version("pysendfile")
    except metadata.PackageNotFoundError:
        return None
    # pysendfile's sendfile.<abi>.so sits beside this sendfile/ in site-packages; the
    # package is found first and hides it. Where pysendfile comes first on sys.path it
    # hides this package instead, and this refusal never runs.
    return (
        f"pysendfile is installed beside {_DISTRIBUTION}, and both provide the top-level "
        "sendfile module: this package hides pysendfile's sendfile(out_fd, in_fd, offset, "
        "count), or pysendfile hides it, so one environment cannot have both. Either port "
        "the code that calls pysendfile to os.sendfile (the same call) and run pip "
        f"uninstall -y pysendfile, or run pip uninstall -y {_DISTRIBUTION} and have the "
        "Django code import sendfile_rs (from sendfile_rs import sendfile)"
    )


_why = _refusal()
if _why is not None:
    raise ImportError(_why)

from importlib import import_module  # noqa: E402
from typing import Any, Callable  # noqa: E402

from sendfile_rs import sendfile  # noqa: E402

#: The django-sendfile release whose API this package provides.
__version__ = "0.3.11"
#: As django-sendfile has it: integers.
VERSION = tuple(int(part) for part in __version__.split("."))

__all__ = ["VERSION", "__version__", "sendfile"]


class _BackendLookup:
    """django-sendfile's ``_get_sendfile()``: the configured backend module's
    ``sendfile``, looked up once, and ``clear()``, which test helpers call after they
    change ``SENDFILE_BACKEND``.

    ``sendfile`` reads ``SENDFILE_BACKEND`` at every call and does not use this; it stays
    for code that calls it or clears it (harmless, never needed).
    """

    def __init__(self) -> None:
        self._found: list[Callable[..., Any]] = []

    def __call__(self) -> Callable[..., Any]:
        if not self._found:
            from django.conf import settings
            from django.core.exceptions import ImproperlyConfigured

            backend = getattr(settings, "SENDFILE_BACKEND", None)
            if not backend:
                raise ImproperlyConfigured("You must specify a value for SENDFILE_BACKEND")
            self._found.append(import_module(backend).sendfile)
        return self._found[0]

    def clear(self) -> None:
        self._found.clear()


_get_sendfile = _BackendLookup()
