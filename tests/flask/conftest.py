"""The Flask and Quart tests: the files they serve, and the real servers they start
(through tests/python/serving.py, with this folder's applications)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parent / "python"))

from case_files import add_file  # noqa: E402


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "servers: starts real servers (gunicorn, ASGI servers)")


@pytest.fixture
def root(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "root"
    folder.mkdir()
    add_file(folder, "file.txt")
    (tmp_path / "secret.txt").write_text("secret")
    yield folder
