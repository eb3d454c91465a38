"""One run of a plan's file as a file object, for ``wsgi.file_wrapper``.

WSGI servers send a wrapped file with sendfile(2) from the descriptor's current offset
for the response's Content-Length, so the descriptor is positioned at the run's start
and ``read`` never goes past its end.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

from ._native import Plan

#: Bytes per read when the server iterates instead of using sendfile(2).
CHUNK = 256 * 1024


class RangeFile:
    """``length`` bytes of the plan's file from ``offset``; closing it closes the plan."""

    def __init__(self, plan: Plan, offset: int, length: int) -> None:
        fd = plan.fileno()
        if fd is None:
            raise ValueError("the plan has no open file")
        self._plan = plan
        self._fd = fd
        self._remaining = length
        os.lseek(fd, offset, os.SEEK_SET)

    def fileno(self) -> int:
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

    def close(self) -> None:
        self._plan.close()
