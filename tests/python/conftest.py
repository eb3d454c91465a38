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
from case_files import add_file  # noqa: E402

django.setup()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "servers: starts real servers (gunicorn, uWSGI, the ASGI servers, Wagtail)"
    )


@pytest.fixture
def root(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "root"
    folder.mkdir()
    add_file(folder, "file.txt")
    (tmp_path / "secret.txt").write_text("secret")
    yield folder
