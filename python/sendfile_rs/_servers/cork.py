"""TCP_CORK on gunicorn's client socket while it sends a descriptor, as nginx's
``tcp_nopush`` does, when the ``tcp_cork`` option asks for it (off by default, as
``tcp_nopush`` is in nginx).

gunicorn sends a wrapped file with sendfile(2) on its client socket, and a multipart body
chunk by chunk with sendall. Corked, the kernel sends only full segments, and the headers
share the first one with the body. Whether that helps depends on the kernel and the
network: on loopback under Linux 6.18 it cost about a third of the throughput, for
sendfile_rs and for nginx alike (``make bench`` measures both, interleaved on one server).
Uncorking sends whatever is left at once, so it must follow the last byte: ``release`` is
called from the body's ``close``, which gunicorn runs whatever happens. The cork goes on
only when the server starts sending, so a response that is never sent leaves the socket
as it was. Other servers give no socket, and nothing is done.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator, Mapping

from .._native import Plan

#: The WSGI environ key under which gunicorn passes the client socket.
GUNICORN_SOCKET = "gunicorn.socket"


class Cork:
    """The cork of one response: put on when the server starts sending, released once."""

    def __init__(self, client: socket.socket) -> None:
        self._client = client
        self._on = False

    @classmethod
    def for_environ(cls, environ: Mapping[str, object]) -> Cork | None:
        """A cork for the server's TCP client socket, or None where there is none to cork."""
        client = environ.get(GUNICORN_SOCKET)
        if (
            not hasattr(socket, "TCP_CORK")
            or not isinstance(client, socket.socket)
            or client.family not in (socket.AF_INET, socket.AF_INET6)
        ):
            return None
        return cls(client)

    def put_on(self) -> None:
        """Cork the socket, once; a socket that refuses stays as it was."""
        if self._on:
            return
        try:
            self._client.setsockopt(socket.IPPROTO_TCP, socket.TCP_CORK, 1)
        except OSError:
            return
        self._on = True

    def release(self) -> None:
        """Uncork, sending what is held back; a connection already gone has nothing to send."""
        if not self._on:
            return
        self._on = False
        try:
            self._client.setsockopt(socket.IPPROTO_TCP, socket.TCP_CORK, 0)
        except OSError:
            pass


class CorkedChunks:
    """A plan's multipart body, the socket corked from the first chunk until ``close``."""

    def __init__(self, plan: Plan, cork: Cork) -> None:
        self._plan = plan
        self._cork = cork

    def __iter__(self) -> Iterator[bytes]:
        # A generator: Django calls iter() when the response is made, the cork must wait
        # for the server's first next().
        self._cork.put_on()
        yield from self._plan

    def close(self) -> None:
        try:
            self._cork.release()
        finally:
            self._plan.close()
