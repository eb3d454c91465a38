"""The files the Python tests serve, as the Rust tests and tests/cases make them: a known
pattern of bytes and a known modification time, so that every misplaced byte shows and
the validators are known in advance; and the body a plan of ranges over such a file sends."""

from __future__ import annotations

import os
from pathlib import Path

#: Every test file's modification time, in nanoseconds.
MTIME_NS = 1_700_000_000_123_456_789


def byte_at(offset: int) -> int:
    """The byte at `offset` of every test file (the same pattern as the Rust tests)."""
    return (offset * 31 + 7) % 251


def pattern(size: int) -> bytes:
    return bytes(byte_at(i) for i in range(size))


def add_file(root: Path, name: str, size: int = 1000) -> Path:
    """A file of the pattern at `name` under `root` (folders made), dated MTIME_NS."""
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pattern(size))
    os.utime(path, ns=(MTIME_NS, MTIME_NS))
    return path


def expected_body(
    ranges: list[tuple[int, int]], size: int, boundary: str, multipart: bool
) -> bytes:
    """The body that sends `ranges` of a pattern file of `size` bytes (text/plain), one
    run or a multipart body with `boundary`."""
    whole = pattern(size)
    if not multipart:
        return b"".join(whole[offset : offset + length] for offset, length in ranges)
    parts = []
    for index, (offset, length) in enumerate(ranges):
        head = (
            f"{chr(13) + chr(10) if index else ''}--{boundary}\r\nContent-Type: text/plain\r\n"
            f"Content-Range: bytes {offset}-{offset + length - 1}/{size}\r\n\r\n"
        )
        parts.append(head.encode() + whole[offset : offset + length])
    return b"".join(parts) + f"\r\n--{boundary}--\r\n".encode()
