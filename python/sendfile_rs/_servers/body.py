"""The body chooser: what a plan's body becomes for the server at hand.

The Django, WSGI, ASGI and Starlette entry points all hand a plan's body to a server;
which form it takes depends on the server, and is decided here only:

- WSGI, a 200 or one range: the run of the file as a file object (``RangeFile``), for
  ``wsgi.file_wrapper`` to send by descriptor (sendfile(2) in gunicorn), its socket corked;
- WSGI, several ranges: the plan's multipart chunks, corked under gunicorn;
- WSGI, an archive: its records and its members' runs written on gunicorn's socket, the
  runs by sendfile(2) (``SocketArchive``), and its chunks elsewhere;
- ASGI, any body where the server offers ``http.response.zerocopysend``: the plan's
  segments, each run of a file by descriptor for the server to send with sendfile(2)
  (``zerocopy``);
- ASGI, a whole-file 200 where the server offers ``http.response.pathsend`` (and not
  zerocopysend): the file's path, for the server to send itself;
- ASGI otherwise: the plan's chunks read off the event loop (``AsyncChunks``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any, Union

from .._native import Plan
from .archive_socket import SocketArchive
from .chunks import AsyncChunks
from .cork import Cork, CorkedChunks
from .range_file import RangeFile

#: The body of the 404 for a file that is missing or outside the root, on every server.
NOT_FOUND = b"Not Found\n"

#: The ASGI extension by which a server sends a whole file named by its absolute path.
PATHSEND = "http.response.pathsend"

#: A body for a WSGI server: a file for ``wsgi.file_wrapper``, or chunks to iterate.
WsgiBody = Union[RangeFile, Plan, CorkedChunks, SocketArchive]


def wsgi_body(plan: Plan, environ: Mapping[str, object]) -> WsgiBody | None:
    """The body to hand a WSGI server, or None when there is none (the plan is closed)."""
    if plan.body == "file":
        return range_file_for(plan, environ)
    if plan.body == "multipart":
        return multipart_body(plan, environ)
    if plan.body == "archive":
        return SocketArchive.for_environ(plan, environ) or plan
    plan.close()
    return None


def range_file_for(plan: Plan, environ: Mapping[str, object]) -> RangeFile:
    """The plan's one run of the file, sharing its descriptor with the server only where
    the server will send exactly that run, and corking gunicorn's socket while it does if
    the ``tcp_cork`` option asks for it.

    uWSGI (2.0.31) sends a wrapped descriptor from offset 0 for the file's whole size, so
    under uWSGI only a run that is the whole file shares its descriptor.
    """
    offset, length = plan.ranges[0]
    whole_file = offset == 0 and length == plan.file_size
    share = whole_file or "uwsgi.version" not in environ
    return RangeFile(plan, offset, length, share_descriptor=share, cork=cork_for(plan, environ))


def multipart_body(plan: Plan, environ: Mapping[str, object]) -> Plan | CorkedChunks:
    """The multipart body to hand a WSGI server: the plan, corked where the server allows
    and the configuration asks for it."""
    cork = cork_for(plan, environ)
    return plan if cork is None else CorkedChunks(plan, cork)


def cork_for(plan: Plan, environ: Mapping[str, object]) -> Cork | None:
    """A cork for the server's socket when the plan's ``tcp_cork`` option is on."""
    return Cork.for_environ(environ) if plan.tcp_cork else None


def asgi_chunks(plan: Plan, scope: Mapping[str, Any]) -> AsyncChunks:
    """The plan's body as chunks for the ASGI server of ``scope``, read off the event loop."""
    return AsyncChunks(plan, scope=scope)


def pathsend_path(plan: Plan, scope: Mapping[str, Any]) -> str | None:
    """The absolute path to give an ASGI server by ``http.response.pathsend``, or None
    where the body must go as chunks.

    Only a 200 of the whole file goes by path (the extension has no offset nor length),
    and only where the server offers it. The path is the kernel's name for the open
    descriptor, which has no symbolic link in it, and it is used only while it still
    names the very file the plan opened, at the size the plan announced: the server
    opens it again by that name and sends it to its end.
    """
    if PATHSEND not in (scope.get("extensions") or {}) or plan.status != 200:
        return None
    fd = plan.fileno()
    if fd is None or plan.body != "file" or plan.ranges != [(0, plan.file_size)]:
        return None
    try:
        path = os.readlink(f"/proc/self/fd/{fd}")
        opened = os.fstat(fd)
        named = os.stat(path)
    except OSError:
        # No /proc (not Linux), or the file was removed or renamed meanwhile.
        return None
    same_file = (named.st_dev, named.st_ino) == (opened.st_dev, opened.st_ino)
    if not os.path.isabs(path) or not same_file or named.st_size != plan.file_size:
        return None
    return path
