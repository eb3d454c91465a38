"""The Flask and Quart tests: the files they serve, and the real servers they start
(through tests/python/serving.py, with this folder's applications)."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parent / "python"))


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "servers: starts real servers (gunicorn, ASGI servers)")


def byte_at(offset: int) -> int:
    """The byte at `offset` of every test file (the pattern of tests/cases)."""
    return (offset * 31 + 7) % 251


def pattern(size: int) -> bytes:
    return bytes(byte_at(i) for i in range(size))


def add_file(root: Path, name: str, size: int = 1000) -> Path:
    """A file of the pattern, with the modification time tests/cases expect."""
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pattern(size))
    os.utime(path, ns=(1_700_000_000_123_456_789, 1_700_000_000_123_456_789))
    return path


@pytest.fixture
def root(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "root"
    folder.mkdir()
    add_file(folder, "file.txt")
    (tmp_path / "secret.txt").write_text("secret")
    yield folder
