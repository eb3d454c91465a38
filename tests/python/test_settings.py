"""A change to a SENDFILE_* setting, however made, is seen by the next call: assignment
(``settings.SENDFILE_ROOT = ...``, as django-sendfile2's own tests do in ``setUp``), ``del``,
a change in place of ``SENDFILE_OPTIONS``, and ``override_settings``."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any

import pytest
from case_files import add_file
from django.conf import settings
from django.http import Http404
from django.test import RequestFactory, override_settings

import sendfile_rs

requests = RequestFactory()

_UNSET = object()


class Assigner:
    """Assigns settings as a test suite does, and puts the old values back afterwards."""

    def __init__(self) -> None:
        self._saved: dict[str, Any] = {}

    def __setitem__(self, name: str, value: Any) -> None:
        self._saved.setdefault(name, getattr(settings, name, _UNSET))
        setattr(settings, name, value)

    def __delitem__(self, name: str) -> None:
        self._saved.setdefault(name, getattr(settings, name, _UNSET))
        if hasattr(settings, name):
            delattr(settings, name)

    def restore(self) -> None:
        for name, value in self._saved.items():
            if value is _UNSET:
                if hasattr(settings, name):
                    delattr(settings, name)
            else:
                setattr(settings, name, value)


@pytest.fixture(params=["settings module", "inside override_settings"])
def assign(request: pytest.FixtureRequest, root: Path) -> Iterator[Assigner]:
    """Assignment to the project's own settings object, and to the one that
    ``override_settings`` puts in its place (pytest-django's ``settings`` fixture and
    nested overrides end up there)."""
    within: AbstractContextManager[object] = (
        override_settings() if request.param == "inside override_settings" else nullcontext()
    )
    with within:
        assigner = Assigner()
        assigner["SENDFILE_BACKEND"] = "sendfile_rs.backends.nginx"
        assigner["SENDFILE_ROOT"] = str(root)
        assigner["SENDFILE_URL"] = "/p"
        yield assigner
        assigner.restore()


def get(name: str = "file.txt") -> Any:
    return sendfile_rs.sendfile(requests.get("/"), name)


def test_assigned_root_is_seen_by_the_next_call(assign: Assigner, tmp_path: Path) -> None:
    other = tmp_path / "other"
    add_file(other, "only-here.txt")
    assert get()["X-Accel-Redirect"] == "/p/file.txt"
    with pytest.raises(Http404):
        get("only-here.txt")
    assign["SENDFILE_ROOT"] = str(other)
    assert get("only-here.txt")["X-Accel-Redirect"] == "/p/only-here.txt"
    with pytest.raises(Http404):
        get()


def test_assigned_url_is_seen_by_the_next_call(assign: Assigner) -> None:
    assert get()["X-Accel-Redirect"] == "/p/file.txt"
    assign["SENDFILE_URL"] = "/elsewhere/"
    assert get()["X-Accel-Redirect"] == "/elsewhere/file.txt"
    assign["SENDFILE_URL"] = None
    assert get()["X-Accel-Redirect"] == f"{settings.SENDFILE_ROOT}/file.txt"


def test_assigned_check_file_exists_is_seen_by_the_next_call(assign: Assigner) -> None:
    with pytest.raises(Http404):
        get("remote.mp4")
    assign["SENDFILE_CHECK_FILE_EXISTS"] = False
    assert get("remote.mp4")["X-Accel-Redirect"] == "/p/remote.mp4"
    assign["SENDFILE_CHECK_FILE_EXISTS"] = True
    with pytest.raises(Http404):
        get("remote.mp4")
    # Deleted, it is back to its default, which checks.
    del assign["SENDFILE_CHECK_FILE_EXISTS"]
    assign["SENDFILE_CHECK_FILE_EXISTS"] = False
    del assign["SENDFILE_CHECK_FILE_EXISTS"]
    with pytest.raises(Http404):
        get("remote.mp4")


def test_assigned_options_are_seen_by_the_next_call(assign: Assigner) -> None:
    del assign["SENDFILE_OPTIONS"]
    assert "Cache-Control" not in get()
    # A setting that was not set at all, then assigned.
    assign["SENDFILE_OPTIONS"] = {"cache_control": "private"}
    assert get()["Cache-Control"] == "private"
    assign["SENDFILE_OPTIONS"] = {"cache_control": "no-store"}
    assert get()["Cache-Control"] == "no-store"
    del assign["SENDFILE_OPTIONS"]
    assert "Cache-Control" not in get()


def test_options_changed_in_place_are_seen_by_the_next_call(assign: Assigner) -> None:
    options: dict[str, Any] = {"content_types": {"txt": "text/plain"}}
    assign["SENDFILE_OPTIONS"] = options
    assert get()["Content-Type"] == "text/plain"
    options["cache_control"] = "private"
    assert get()["Cache-Control"] == "private"
    options["content_types"]["txt"] = "text/plain; charset=utf-8"
    assert get()["Content-Type"] == "text/plain; charset=utf-8"
    del options["cache_control"]
    assert "Cache-Control" not in get()


def test_assigned_backend_is_seen_by_the_next_call(assign: Assigner) -> None:
    assert get()["X-Accel-Redirect"] == "/p/file.txt"
    assign["SENDFILE_BACKEND"] = "sendfile_rs.backends.lighttpd"
    assert get()["X-Sendfile"] == f"{settings.SENDFILE_ROOT}/file.txt"
    assign["SENDFILE_BACKEND"] = "django_sendfile.backends.simple"
    response = get()
    assert (response.status_code, response["Content-Length"]) == (200, "1000")
    response.close()


def test_override_settings_is_seen_and_undone(root: Path) -> None:
    with override_settings(
        SENDFILE_BACKEND="sendfile_rs.backends.nginx", SENDFILE_ROOT=str(root), SENDFILE_URL="/p"
    ):
        assert get()["X-Accel-Redirect"] == "/p/file.txt"
        with override_settings(SENDFILE_URL="/q", SENDFILE_OPTIONS={"cache_control": "x"}):
            assert (get()["X-Accel-Redirect"], get()["Cache-Control"]) == ("/q/file.txt", "x")
        response = get()
        assert (response["X-Accel-Redirect"], response.get("Cache-Control")) == (
            "/p/file.txt",
            None,
        )
        with override_settings(SENDFILE_CHECK_FILE_EXISTS=False):
            assert get("remote.mp4")["X-Accel-Redirect"] == "/p/remote.mp4"
        with pytest.raises(Http404):
            get("remote.mp4")
