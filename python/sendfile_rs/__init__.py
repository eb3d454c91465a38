"""Hand a protected file to a client: the plan (status, headers, body) for one request.

``sendfile_rs.sendfile`` is a drop-in replacement for django-sendfile / django-sendfile2;
``Sender`` serves any WSGI application. Importing this package does not import Django.
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
    from django.http import HttpRequest, HttpResponseBase

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
]


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
    ``SENDFILE_CHECK_FILE_EXISTS`` and ``SENDFILE_OPTIONS`` at call time; ``backend``
    chooses another backend for this call. ``filename`` is a path (str or
    ``os.PathLike``, absolute or relative to the root) or a Django ``File`` /
    ``FieldFile`` stored on a ``FileSystemStorage``. Raises ``Http404`` for a missing file
    or one outside the root, ``ImproperlyConfigured`` for missing or wrong settings.
    """
    from ._django import sendfile as django_sendfile

    return django_sendfile(
        request,
        filename,
        attachment=attachment,
        attachment_filename=attachment_filename,
        mimetype=mimetype,
        encoding=encoding,
        content_length=content_length,
        backend=backend,
    )
