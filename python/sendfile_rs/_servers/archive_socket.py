"""An archive's body written by the application on gunicorn's socket, its members' data by
sendfile(2).

``wsgi.file_wrapper`` sends one descriptor; an archive is many files between records made
in memory, so no server's file wrapper can send it. gunicorn passes its client socket in
the environ: once gunicorn has written the headers (on the body's first, empty chunk),
the records go out with ``sendall`` and each run of a member with ``os.sendfile``, from
the descriptor the plan opened, without the GIL and without the bytes entering Python.
The Content-Length the plan declared is what goes out, so the connection stays usable.
A socket under TLS (``ssl.SSLSocket``) is left to gunicorn: its bytes must be encrypted.
"""

from __future__ import annotations

import os
import select
import socket
import ssl
from collections.abc import Iterator, Mapping

from .._native import Plan
from .cork import GUNICORN_SOCKET


class SocketArchive:
    """The body of an archive plan, written on ``client`` while gunicorn iterates it."""

    def __init__(self, plan: Plan, client: socket.socket) -> None:
        self._plan = plan
        self._client = client

    @classmethod
    def for_environ(cls, plan: Plan, environ: Mapping[str, object]) -> SocketArchive | None:
        """The archive on gunicorn's plain client socket, or None where there is none."""
        client = environ.get(GUNICORN_SOCKET)
        if not isinstance(client, socket.socket) or isinstance(client, ssl.SSLSocket):
            return None
        return cls(plan, client)

    def __iter__(self) -> Iterator[bytes]:
        # gunicorn writes the status line and headers with the first chunk, empty here.
        yield b""
        plan, client = self._plan, self._client
        for index in range(plan.segment_count):
            segment = plan.segment(index)
            if isinstance(segment, bytes):
                client.sendall(segment)
            else:
                _send_run(client, *segment)

    def close(self) -> None:
        self._plan.close()


def _send_run(client: socket.socket, fd: int, offset: int, length: int) -> None:
    """Sends ``length`` bytes of ``fd`` from ``offset`` on ``client``, by sendfile(2)."""
    out = client.fileno()
    while length:
        try:
            sent = os.sendfile(out, fd, offset, length)
        except BlockingIOError:
            # A socket with a timeout is non-blocking underneath: wait as sendall would.
            if not select.select((), (client,), (), client.gettimeout())[1]:
                raise TimeoutError("the client took too long to receive the archive") from None
            continue
        if sent == 0:
            raise EOFError("an archive member ended before the size it was planned with")
        offset += sent
        length -= sent
