"""``AsyncChunks``: a plan's body for an event loop, read on worker threads in large blocks.

Each block is read on a thread of the loop's default executor, without the GIL (``os.pread``
for one run of the file and for each run of an archive's members, the plan's own chunks
for a multipart body), so neither the loop nor other threads wait for the disk. One block
is in memory at a time, whatever the file's size; under daphne, whose ``send`` never
waits, each block waits until Twisted has sent the last (``_daphne``). The plan is closed
as soon as the last block is read, and at once when the body is closed (a client that
went away, a task cancelled); if a read is in flight then, the thread closes it the moment
that read returns, so a descriptor is never closed under a read, nor read after it was
closed and its number given to another file.
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections import deque
from collections.abc import Mapping
from typing import Any

from .._native import Plan
from .daphne import DaphneFlow

#: Bytes read per trip to a worker thread. Measured (worker CPU time per GiB sent from the
#: page cache, uvicorn 0.54 and granian 2.8.9): 256 KiB blocks cost 0.53 to 0.63 s, 1 MiB
#: 0.42 to 0.51 s, 4 MiB 0.40 to 0.50 s. But granian queues four messages, so its worker's
#: peak grows with the block: for a 256 MiB file under Django 6.1 (idle 54 MiB) it rose
#: 5 MiB with 256 KiB blocks, 7 MiB with 512 KiB and 13 MiB with 1 MiB, past the 64 MiB
#: the design allows. Memory is the bound; the CPU is the price.
READ_SIZE = 256 << 10


class AsyncChunks:
    """The body of ``plan`` as an async iterator of bytes, read ``read_size`` at a time.
    Closing it closes the plan; it is idempotent and never waits for the disk."""

    def __init__(
        self, plan: Plan, *, scope: Mapping[str, Any] | None = None, read_size: int = READ_SIZE
    ) -> None:
        self.plan = plan
        #: The ASGI scope of the request, by which daphne's request is found.
        self._scope = scope
        self._read_size = read_size
        #: Bytes of the body not yet read.
        self._left = plan.content_length
        self._pieces: deque[bytes] = deque()
        # One run of the file is read by offset from the descriptor; an archive segment by
        # segment (its records as they are, its members' runs by offset from each one's
        # descriptor); a multipart body (literal part headers between runs) through the
        # plan's own iteration.
        self._fd = plan.fileno() if plan.body == "file" else None
        self._offset = plan.ranges[0][0] if self._fd is not None else 0
        self._by_segment = plan.body == "archive"
        #: The archive's segment being sent, its bytes when it is a record, and how much
        #: of it was handed out.
        self._segment = 0
        self._record: bytes | None = None
        self._within = 0
        self._lock = threading.Lock()
        self._reading = False
        self._closing = False
        #: daphne's flow control (see ``_daphne``), once looked for.
        self._flow: DaphneFlow | None = None
        self._flow_looked_for = False
        self._loop: asyncio.AbstractEventLoop | None = None

    @property
    def finished(self) -> bool:
        """Whether every byte of the body has been handed out."""
        return self._left == 0 and not self._pieces

    @property
    def closed(self) -> bool:
        return self._closing

    def __aiter__(self) -> AsyncChunks:
        return self

    async def __anext__(self) -> bytes:
        if not self._pieces:
            if self._left == 0:
                self.close()
                raise StopAsyncIteration
            try:
                await self._read_next_block()
            except BaseException:
                # A failed read, a client gone, a task cancelled: the file goes at once.
                self.close()
                raise
            if not self._pieces:
                raise ValueError("the body was closed before it was sent")
        return self._pieces.popleft()

    async def _read_next_block(self) -> None:
        loop = asyncio.get_running_loop()
        if not self._flow_looked_for:
            # Looked for once, on the loop, and only for a body of several blocks.
            self._flow_looked_for = True
            self._loop = loop
            if self._left > self._read_size:
                self._flow = DaphneFlow.for_request(self._scope)
        read = loop.run_in_executor(None, self.read_block)
        if self._flow is not None:
            # The block is read while Twisted sends the last one.
            read.add_done_callback(_retrieve)
            await self._flow.writable()
        await read
        if self._left == 0:
            self._release_flow()

    def read_block(self) -> None:
        """Read the next block into the pieces to hand out; blocking, for a worker thread
        (or for a thread that is one already, such as a view's)."""
        with self._lock:
            if self._closing:
                return
            self._reading = True
        try:
            self._pieces.extend(self._read())
        finally:
            with self._lock:
                self._reading = False
                if self._closing or self._left == 0:
                    self.plan.close()

    def _read(self) -> list[bytes]:
        want = min(self._read_size, self._left)
        if self._fd is not None:
            block = os.pread(self._fd, want, self._offset)
            if not block:
                # Less than Content-Length announced: the server must drop the connection.
                raise OSError("the file shrank while it was being sent")
            self._offset += len(block)
            self._left -= len(block)
            return [block]
        if self._by_segment:
            return self._read_segments()
        # The plan's chunks are smaller than a block: a block is several of them.
        pieces = []
        while want > 0:
            piece = next(self.plan)
            pieces.append(piece)
            want -= len(piece)
            self._left -= len(piece)
        return pieces

    def _read_segments(self) -> list[bytes]:
        """The next block of an archive: its segments in order until a block's worth is
        taken, the records as they are and each run of a member read by ``os.pread``
        into a new bytes object (the one copy), from where the run stands, up to a block
        at a time. Reads never span two members, so a large member is read from its own
        offset 0 in whole blocks; a record longer than a block (the central directory of
        many members) goes a block at a time. Small pieces side by side (the records and
        data of small members) go as one, so that a block is a few messages, not one per
        member."""
        pieces: list[bytes] = []
        taken = 0
        while self._left > 0 and taken < self._read_size:
            if self._record is None:
                segment = self.plan.segment(self._segment)
                if not isinstance(segment, bytes):
                    piece = self._read_run(*segment)
                    pieces.append(piece)
                    taken += len(piece)
                    continue
                self._record = segment
            piece = self._record[self._within : self._within + self._read_size - taken]
            pieces.append(piece)
            taken += len(piece)
            self._advance(len(piece), len(self._record))
        return _joined_when_small(pieces)

    def _read_run(self, fd: int, offset: int, length: int) -> bytes:
        """The next read of the current run of a member (nothing for an empty member)."""
        want = min(self._read_size, length - self._within)
        piece = os.pread(fd, want, offset + self._within) if want else b""
        if want and not piece:
            # Less than Content-Length announced: the server must drop the connection.
            raise OSError("an archive member shrank while it was being sent")
        self._advance(len(piece), length)
        return piece

    def _advance(self, count: int, length: int) -> None:
        """Count ``count`` bytes as handed out of the current segment, of ``length``."""
        self._within += count
        self._left -= count
        if self._within == length:
            self._segment += 1
            self._within = 0
            self._record = None

    def segment(self, index: int) -> bytes | tuple[int, int, int]:
        """The plan's segment at ``index`` (``Plan.segment``), for a server that sends the
        runs of a file itself; blocking for an archive, whose member is read for its CRC.
        A close meanwhile waits for it, as for a read: an archive's segment may be asked
        for on a worker thread while the task that wanted it is cancelled."""
        with self._lock:
            if self._closing:
                raise ValueError("the body was closed before it was sent")
            self._reading = True
        try:
            return self.plan.segment(index)
        finally:
            with self._lock:
                self._reading = False
                if self._closing:
                    self.plan.close()

    def close(self) -> None:
        """Close the plan now, or, while a block is being read, as soon as it is read.
        From any thread (Django closes a response on one of its own)."""
        with self._lock:
            self._closing = True
            self._pieces.clear()
            if not self._reading:
                self.plan.close()
        self._release_flow()

    def _release_flow(self) -> None:
        flow, self._flow = self._flow, None
        if flow is not None and self._loop is not None:
            # Twisted's objects belong to the loop's thread.
            try:
                running = asyncio.get_running_loop()
            except RuntimeError:
                running = None
            if running is self._loop:
                flow.release()
            else:
                self._loop.call_soon_threadsafe(flow.release)

    async def aclose(self) -> None:
        self.close()


#: Pieces of a block shorter than this go out joined with their neighbours: a message
#: costs a server more than copying a few KiB.
SMALL_PIECE = 16 << 10


def _joined_when_small(pieces: list[bytes]) -> list[bytes]:
    """``pieces`` with each run of consecutive small pieces joined into one, and no empty
    piece; large pieces stay as they were read, uncopied."""
    joined: list[bytes] = []
    small: list[bytes] = []
    for piece in pieces:
        if len(piece) < SMALL_PIECE:
            small.append(piece)
            continue
        if small:
            joined.append(b"".join(small))
            small = []
        joined.append(piece)
    if small:
        joined.append(b"".join(small))
    return [piece for piece in joined if piece]


def _retrieve(future: asyncio.Future[None]) -> None:
    # A read nobody awaits any more (the wait before it was cancelled) fails quietly: the
    # body is closed already.
    if not future.cancelled():
        future.exception()
