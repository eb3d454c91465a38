"""``send_file`` and ``send_from_directory`` with Flask's signatures, planned by the core
under the application's SENDFILE_* settings.

A path is resolved as Flask resolves it (relative to ``app.root_path``), then must lie
under SENDFILE_ROOT, as under Django: outside it, or missing, is a 404. A file object
(an open file, ``BytesIO``) is no path the core can confine or a front server can open: it
is sent as Flask sends it, by Werkzeug's own ``send_file``.
"""

from __future__ import annotations

import os
from datetime import datetime
from typing import IO, Any, Union

import werkzeug.utils
from werkzeug.exceptions import NotFound as HttpNotFound
from werkzeug.security import safe_join
from werkzeug.wrappers import Response

from .._native import NotFound, OutsideRoot
from .._servers.wire import request_headers
from .response import MaxAge, plan_response, set_max_age
from .settings import App, configured

#: Werkzeug's ``send_file`` as it was when this module was imported, for file objects
#: (a test shim may point ``werkzeug.utils.send_file`` at this module's afterwards).
_werkzeug_send_file = werkzeug.utils.send_file

#: Why a custom ``etag`` or ``last_modified`` is refused.
CUSTOM_VALIDATOR = (
    "sendfile_rs takes ETag and Last-Modified from the file it sends, and answers Range "
    "and preconditions by them: pass etag=True or False, and no last_modified"
)

PathOrFile = Union["os.PathLike[str]", str, IO[bytes]]


def is_path(path_or_file: Any) -> bool:
    return isinstance(path_or_file, (str, os.PathLike)) or hasattr(path_or_file, "__fspath__")


def send_file_for(
    app: App,
    environ: dict[str, Any],
    path_or_file: PathOrFile,
    mimetype: str | None = None,
    as_attachment: bool = False,
    download_name: str | None = None,
    conditional: bool = True,
    etag: bool | str = True,
    last_modified: datetime | int | float | None = None,
    max_age: MaxAge = None,
    response_class: type[Response] | None = None,
    root_path: str | None = None,
) -> Response:
    """Werkzeug's ``send_file`` made by a plan under ``app``'s settings, for the request
    of ``environ``; ``root_path`` is where a relative path starts (Flask passes
    ``app.root_path``), else the working folder.

    ``etag=False`` plans without an ETag (none sent, none honoured). A custom ``etag`` or
    ``last_modified`` is refused with ``ValueError``: the plan's validators come from the
    file it sends, and the Range and precondition answers are made with those.
    """
    response_class = response_class or Response
    if not is_path(path_or_file):
        return _werkzeug_send_file(
            path_or_file,
            environ,
            mimetype=mimetype,
            as_attachment=as_attachment,
            download_name=download_name,
            conditional=conditional,
            etag=etag,
            last_modified=last_modified,
            max_age=max_age,
            response_class=response_class,
        )
    if isinstance(etag, str) or last_modified is not None:
        raise ValueError(CUSTOM_VALIDATOR)
    path = os.path.join(root_path or os.getcwd(), os.fspath(path_or_file))  # type: ignore[arg-type]
    answer = configured(app) if etag else configured(app, etag=False)
    # The request headers matter only to a plan whose body the application sends; a
    # front server answers Range and preconditions itself.
    reads_request = answer.sends_body and conditional
    try:
        plan = answer.config.plan(
            path,
            method=environ.get("REQUEST_METHOD", "GET"),
            headers=request_headers(environ) if reads_request else None,
            attachment=as_attachment,
            attachment_filename=download_name,
            mimetype=mimetype,
        )
    except (NotFound, OutsideRoot) as error:
        raise HttpNotFound() from error
    response = plan_response(plan, environ, response_class)
    if answer.sends_body and not conditional:
        # Without the request's Range, ranges are not offered.
        del response.headers["Accept-Ranges"]
    set_max_age(response, max_age, path)
    return response


def safe_path(directory: str | os.PathLike[str], path: str | os.PathLike[str]) -> str:
    """``path`` inside ``directory``, as Werkzeug's ``send_from_directory`` joins them;
    a 404 (``werkzeug.exceptions.NotFound``) for one that would leave it."""
    joined = safe_join(os.fspath(directory), os.fspath(path))
    if joined is None or "\0" in joined:
        raise HttpNotFound()
    return joined
