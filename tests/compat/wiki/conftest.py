"""Django set up once for the django-wiki tests, with a media folder of their own, the
tables of django-wiki and its root article."""

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
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="sendfile-compat-wiki-"))
os.environ["WIKI_MEDIA_ROOT"] = str(MEDIA_ROOT)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wiki_site.settings")

import django  # noqa: E402

django.setup()


@pytest.fixture(scope="session", autouse=True)
def database() -> Iterator[None]:
    from django.core.management import call_command
    from wiki.models import URLPath

    call_command("migrate", verbosity=0)
    URLPath.create_root(title="Root", content="The root article")
    yield
    shutil.rmtree(MEDIA_ROOT)
