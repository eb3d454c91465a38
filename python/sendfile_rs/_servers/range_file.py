"""One run of a plan's file as a file object, for ``wsgi.file_wrapper``.

gunicorn (and mod_wsgi) send a wrapped file with sendfile(2) from the descriptor's
current offset for the response's Content-Length, so the descriptor is positioned at the
run's start and ``read`` never goes past its end. Where a server would send the
descriptor wrongly (uWSGI, see ``_body.range_file_for``), the run is read through ``read``.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator

from .._native import Plan
from .cork import Cork

#: Bytes per read when the server iterates instead of using sendfile(2).
CHUNK = 256 * 1024


class RangeFile:
    """``length`` bytes of the plan's file from ``offset``; closing it closes the plan.

    Without ``share_descriptor``, ``fileno()`` raises ``io.UnsupportedOperation``, so a
    server reads the bytes instead of sending the descriptor. With a ``cork``, asking for
    the descriptor corks the socket it is about to be sent on, and closing uncorks it.
    """

    def __init__(
        self,
        plan: Plan,
        offset: int,
        length: int,
        *,
        share_descriptor: bool = True,
        cork: Cork | None = None,
    ) -> None:
        fd = plan.fileno()
        if fd is None:
            raise ValueError("the plan has no open file")
        self._plan = plan
        self._fd = fd
        self._end = offset + length
        self._remaining = length
        self._share_descriptor = share_descriptor
        self._cork = cork
        os.lseek(fd, offset, os.SEEK_SET)

    def fileno(self) -> int:
        if not self._share_descriptor:
            raise io.UnsupportedOperation("this run of the file is read, not sent by descriptor")
        # A server asks for the descriptor just before it sends the headers and the file.
        if self._cork is not None:
            self._cork.put_on()
        return self._fd

    def read(self, size: int = -1) -> bytes:
        if size < 0 or size > self._remaining:
            size = self._remaining
        if size == 0:
            return b""
        data = os.read(self._fd, size)
        if not data:
            # Sending less than Content-Length announced: the server must drop the connection.
            raise OSError("the file shrank while it was being sent")
        self._remaining -= len(data)
        return data

    def __iter__(self) -> Iterator[bytes]:
        while chunk := self.read(CHUNK):
            yield chunk

    def check_still_whole(self) -> None:
        """Raise ``OSError`` if the file no longer reaches the end of the run.

        A server that sent the descriptor with sendfile(2) stops quietly at the end of a
        file that shrank meanwhile, short of the Content-Length it announced. Raised from
        ``close``, this makes the server log the error and drop the connection, so the
        client sees a truncated answer instead of waiting for bytes that never come.
        """
        if self._plan.fileno() is not None and os.fstat(self._fd).st_size < self._end:
            raise OSError(
                f"the file shrank below {self._end} bytes while it was being sent; "
                "the answer was cut short"
            )

    def close(self) -> None:
        try:
            self.check_still_whole()
        finally:
            if self._cork is not None:
                self._cork.release()
            self._plan.close()
