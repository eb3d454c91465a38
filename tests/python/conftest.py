"""Django set up once for the whole run, and the files the tests serve."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")

import django  # noqa: E402

django.setup()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "servers: starts real servers (gunicorn, uWSGI, the ASGI servers, Wagtail)"
    )


#: Every test file's modification time, so that validators are known in advance.
MTIME = 1_700_000_000.123456789


def byte_at(offset: int) -> int:
    """The byte at `offset` of every test file (the same pattern as the Rust tests)."""
    return (offset * 31 + 7) % 251


def pattern(size: int) -> bytes:
    return bytes(byte_at(i) for i in range(size))


def add_file(root: Path, name: str, size: int = 1000) -> Path:
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
