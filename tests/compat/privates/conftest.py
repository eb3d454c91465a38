"""Django set up once for the compatibility tests, with a private folder of their own and
the tables of the test project."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))
PRIVATE_ROOT = Path(tempfile.mkdtemp(prefix="sendfile-compat-"))
os.environ["COMPAT_PRIVATE_ROOT"] = str(PRIVATE_ROOT)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "compat_site.settings")

import django  # noqa: E402

django.setup()


@pytest.fixture(scope="session", autouse=True)
def database() -> Iterator[None]:
    from django.core.management import call_command

    call_command("migrate", run_syncdb=True, verbosity=0)
    yield
    shutil.rmtree(PRIVATE_ROOT)
