"""The Django system checks of the SENDFILE_* settings: one test per id."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings

from sendfile_rs.checks import check_settings


def ids(**settings: Any) -> list[str]:
    with override_settings(**settings):
        return [message.id for message in check_settings()]


def good(root: Path, **more: Any) -> dict[str, Any]:
    settings: dict[str, Any] = {
        "SENDFILE_BACKEND": "sendfile_rs.backends.simple",
        "SENDFILE_ROOT": str(root),
        "SENDFILE_URL": None,
        "SENDFILE_OPTIONS": {},
        "DEBUG": False,
    }
    settings.update(more)
    return settings


def test_good_settings_pass(root: Path) -> None:
    assert ids(**good(root)) == []
    assert ids(**good(root, SENDFILE_BACKEND="sendfile.backends.nginx", SENDFILE_URL="/p")) == []
    assert ids(**good(root, SENDFILE_BACKEND="custom_backend")) == []


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"SENDFILE_BACKEND": None}, ["sendfile_rs.E001"]),
        ({"SENDFILE_BACKEND": "sendfile_rs.backends.apache"}, ["sendfile_rs.E002"]),
        ({"SENDFILE_BACKEND": "no.such.module"}, ["sendfile_rs.E002"]),
        ({"SENDFILE_ROOT": None}, ["sendfile_rs.E003"]),
        ({"SENDFILE_ROOT": "relative/folder"}, ["sendfile_rs.E004"]),
        ({"SENDFILE_ROOT": "/nonexistent/folder"}, ["sendfile_rs.E004"]),
        ({"SENDFILE_URL": "protected"}, ["sendfile_rs.E005"]),
        ({"SENDFILE_URL": "/a?b"}, ["sendfile_rs.E005"]),
        ({"SENDFILE_OPTIONS": {"max_range": 4}}, ["sendfile_rs.E006"]),
        ({"SENDFILE_OPTIONS": {"etag": "maybe"}}, ["sendfile_rs.E006"]),
        ({"SENDFILE_BACKEND": "sendfile_rs.backends.nginx"}, ["sendfile_rs.W001"]),
        ({"SENDFILE_BACKEND": "django_sendfile.backends.mod_wsgi"}, ["sendfile_rs.W001"]),
        ({"SENDFILE_BACKEND": "sendfile_rs.backends.development"}, ["sendfile_rs.W002"]),
    ],
)
def test_each_mistake_has_its_id(changes: dict[str, Any], expected: list[str], root: Path) -> None:
    assert ids(**good(root, **changes)) == expected


def test_manage_py_check_reports_errors(root: Path) -> None:
    with override_settings(INSTALLED_APPS=["sendfile_rs"], **good(root, SENDFILE_ROOT=None)):
        with pytest.raises(SystemCheckError, match=r"sendfile_rs\.E003"):
            call_command("check")
