"""Hand a protected file to a client: the plan (status, headers, body) for one request.

``sendfile_rs.sendfile`` is a drop-in replacement for django-sendfile / django-sendfile2,
``sendfile_rs.sendfile_archive`` sends many files as one ZIP; ``Sender`` serves any WSGI
or ASGI application. Importing this package does not import Django: the Django helpers
are loaded on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._native import (
    ConfigurationError,
    InvalidArgument,
    NotFound,
    OutsideRoot,
    Plan,
    SendfileError,
    __version__,
)
from ._sender import Sender

if TYPE_CHECKING:
    from ._django.archive import sendfile_archive
    from ._django.send import sendfile

__all__ = [
    "ConfigurationError",
    "InvalidArgument",
    "NotFound",
    "OutsideRoot",
    "Plan",
    "Sender",
    "SendfileError",
    "__version__",
    "sendfile",
    "sendfile_archive",
]


def __getattr__(name: str) -> Any:
    if name == "sendfile":
        from ._django.send import sendfile

        # Later lookups find it directly, without calling this function again.
        globals()["sendfile"] = sendfile
        return sendfile
    if name == "sendfile_archive":
        from ._django.archive import sendfile_archive

        globals()["sendfile_archive"] = sendfile_archive
        return sendfile_archive
    raise AttributeError(f"module 'sendfile_rs' has no attribute {name!r}")
