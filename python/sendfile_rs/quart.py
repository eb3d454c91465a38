"""Quart's ``send_file`` and ``send_from_directory``, planned by sendfile_rs: Quart's
signatures, the SENDFILE_* settings read from ``app.config`` at every call, as under
Flask (``sendfile_rs.flask``); ``Sendfile(app)`` adds ``quart sendfile config`` and
``quart sendfile check``. The body is read off the event loop in large blocks.

Importing ``sendfile_rs`` does not import Quart; importing this module does.

::

    from quart import Quart
    from sendfile_rs.quart import Sendfile, send_file

    app = Quart(__name__)
    app.config.update(SENDFILE_BACKEND="simple", SENDFILE_ROOT="/srv/private")
    Sendfile(app)

    @app.get("/download/<path:name>")
    async def download(name):
        # ... decide that this client may have the file ...
        return await send_file(f"/srv/private/{name}", as_attachment=True)
"""

from __future__ import annotations

import os
from datetime import datetime
from typing import Any

from quart import current_app, request
from quart.wrappers.response import Response

from ._flask.extension import Sendfile
from ._flask.quart_send import send_file_for
from ._flask.send import safe_path

__all__ = ["Sendfile", "send_file", "send_from_directory"]


async def send_file(
    filename_or_io: Any,
    mimetype: str | None = None,
    as_attachment: bool = False,
    attachment_filename: str | None = None,
    add_etags: bool = True,
    cache_timeout: int | None = None,
    conditional: bool = True,
    last_modified: datetime | None = None,
) -> Response:
    """The response that hands ``filename_or_io`` to the client, as ``quart.send_file``
    answers but planned under SENDFILE_* (see ``sendfile_rs.flask.send_file``), with
    Range and the preconditions answered by default. See docs/flask.md for what differs."""
    app = current_app._get_current_object()
    return await send_file_for(
        app,
        request.scope,
        filename_or_io,
        mimetype=mimetype,
        as_attachment=as_attachment,
        attachment_filename=attachment_filename,
        add_etags=add_etags,
        cache_timeout=cache_timeout,
        conditional=conditional,
        last_modified=last_modified,
        response_class=app.response_class,
    )


async def send_from_directory(
    directory: os.PathLike[str] | str, file_name: str, **kwargs: Any
) -> Response:
    """``send_file`` of ``file_name`` inside ``directory``, as ``quart.send_from_directory``:
    a name that would leave the directory, or a missing file, is a 404."""
    return await send_file(safe_path(directory, file_name), **kwargs)
