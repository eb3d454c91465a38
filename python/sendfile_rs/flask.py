"""Flask's ``send_file`` and ``send_from_directory``, planned by sendfile_rs: the same
signatures, so that a project changes only its import, and the SENDFILE_* settings read
from ``app.config`` at every call, as under Django. ``Sendfile(app)`` adds ``flask
sendfile config`` and ``flask sendfile check``.

Importing ``sendfile_rs`` does not import Flask; importing this module does.

::

    from flask import Flask
    from sendfile_rs.flask import Sendfile, send_file

    app = Flask(__name__)
    app.config.update(SENDFILE_BACKEND="nginx", SENDFILE_ROOT="/srv/private",
                      SENDFILE_URL="/protected")
    Sendfile(app)

    @app.get("/download/<path:name>")
    def download(name):
        # ... decide that this client may have the file ...
        return send_file(name, as_attachment=True)
"""

from __future__ import annotations

import os
from datetime import datetime
from typing import Any

from flask import current_app, request
from flask.wrappers import Response

from ._flask.extension import Sendfile
from ._flask.response import MaxAge
from ._flask.send import PathOrFile, safe_path, send_file_for

__all__ = ["Sendfile", "send_file", "send_from_directory"]


def send_file(
    path_or_file: PathOrFile,
    mimetype: str | None = None,
    as_attachment: bool = False,
    download_name: str | None = None,
    conditional: bool = True,
    etag: bool | str = True,
    last_modified: datetime | int | float | None = None,
    max_age: MaxAge = None,
) -> Response:
    """The response that hands ``path_or_file`` to the client, as ``flask.send_file``
    answers but planned under SENDFILE_*: a path relative to the application's root
    path, or absolute, under SENDFILE_ROOT (else a 404); the simple backend answers Range
    (one or several), If-Range and the preconditions, the file sent by sendfile(2) under
    gunicorn; the others hand it to the front server. A file object is sent as Flask
    sends it. See docs/flask.md for what differs."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    return send_file_for(  # type: ignore[return-value]
        app,
        request.environ,
        path_or_file,
        mimetype=mimetype,
        as_attachment=as_attachment,
        download_name=download_name,
        conditional=conditional,
        etag=etag,
        last_modified=last_modified,
        max_age=app.get_send_file_max_age if max_age is None else max_age,
        response_class=app.response_class,
        root_path=app.root_path,
    )


def send_from_directory(
    directory: os.PathLike[str] | str, path: os.PathLike[str] | str, **kwargs: Any
) -> Response:
    """``send_file`` of ``path`` inside ``directory`` (relative to the application's root
    path, or absolute), as ``flask.send_from_directory``: a path that would leave the
    directory, or a missing file, is a 404."""
    return send_file(safe_path(directory, path), **kwargs)
