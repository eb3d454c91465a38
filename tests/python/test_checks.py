"""The Django system checks of the SENDFILE_* settings: one test per id."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import RequestFactory, override_settings

import sendfile_rs
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
        ({"SENDFILE_ROOT": None}, ["sendfile_rs.W003"]),
        (
            {
                "SENDFILE_ROOT": None,
                "SENDFILE_BACKEND": "sendfile.backends.nginx",
                "SENDFILE_URL": "/p",
            },
            ["sendfile_rs.W003", "sendfile_rs.E007"],
        ),
        (
            {"SENDFILE_ROOT": None, "SENDFILE_BACKEND": "sendfile_rs.backends.mod_wsgi"},
            ["sendfile_rs.W003", "sendfile_rs.W001"],
        ),
        ({"SENDFILE_ROOT": "relative/folder"}, ["sendfile_rs.E004"]),
        ({"SENDFILE_ROOT": "/nonexistent/folder"}, ["sendfile_rs.E004"]),
        ({"SENDFILE_URL": "protected"}, ["sendfile_rs.E005"]),
        ({"SENDFILE_URL": "/a?b"}, ["sendfile_rs.E005"]),
        # The core refuses a URL prefix that would need encoding; so must the check.
        ({"SENDFILE_URL": "/\u00e9"}, ["sendfile_rs.E005"]),
        ({"SENDFILE_URL": "/a b"}, ["sendfile_rs.E005"]),
        ({"SENDFILE_CHECK_FILE_EXISTS": "maybe"}, ["sendfile_rs.E006"]),
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
    with override_settings(INSTALLED_APPS=["sendfile_rs"], **good(root, SENDFILE_URL="x")):
        with pytest.raises(SystemCheckError, match=r"sendfile_rs\.E005"):
            call_command("check")


def messages(**settings: Any) -> list[tuple[str, str]]:
    with override_settings(**settings):
        return [(message.id or "", message.msg) for message in check_settings()]


def test_the_url_error_is_the_core_s_own(root: Path) -> None:
    assert messages(**good(root, SENDFILE_URL="/\u00e9")) == [
        (
            "sendfile_rs.E005",
            "SENDFILE_URL '/\u00e9' is not an absolute URL path: configuration error: the URL "
            "prefix must be an absolute path of visible ASCII characters without '?' or '#', "
            'like "/protected", got "/\u00e9"',
        )
    ]


def test_a_root_that_cannot_stand_for_the_missing_url_is_reported(root: Path) -> None:
    spaced = root / "my files"
    spaced.mkdir()
    found = messages(**good(spaced, SENDFILE_BACKEND="sendfile_rs.backends.nginx"))
    assert [id for id, _ in found] == ["sendfile_rs.E005", "sendfile_rs.W001"]
    assert found[0][1].startswith(
        f"SENDFILE_URL is not set, and SENDFILE_ROOT {str(spaced)!r} cannot serve as the URL "
        "prefix in its place: configuration error: the URL prefix must be"
    )
    # The same settings fail the download the same way.
    with override_settings(**good(spaced, SENDFILE_BACKEND="sendfile_rs.backends.nginx")):
        with pytest.raises(ImproperlyConfigured, match="the URL prefix must be"):
            sendfile_rs.sendfile(RequestFactory().get("/"), "file.txt")


def test_the_root_error_is_the_core_s_own(root: Path) -> None:
    assert messages(**good(root, SENDFILE_ROOT="relative/folder")) == [
        (
            "sendfile_rs.E004",
            "SENDFILE_ROOT 'relative/folder' is not an absolute path to an existing folder: "
            "configuration error: the root folder must be an absolute path",
        )
    ]
    assert messages(**good(root, SENDFILE_ROOT="/nonexistent/folder")) == [
        (
            "sendfile_rs.E004",
            "SENDFILE_ROOT '/nonexistent/folder' is not an absolute path to an existing folder.",
        )
    ]


def test_hints_name_the_backends_of_the_core_s_table(root: Path) -> None:
    with override_settings(**good(root, SENDFILE_BACKEND="sendfile_rs.backends.apache")):
        (unknown,) = check_settings()
    assert unknown.hint == (
        "Built-in backends: sendfile_rs.backends.simple, development, xsendfile, nginx, "
        "mod_wsgi, lighttpd."
    )
    with override_settings(**good(root, SENDFILE_BACKEND="sendfile_rs.backends.development")):
        (development,) = check_settings()
    assert development.msg == "The development backend is meant for runserver, and DEBUG is False."
    assert development.hint == (
        'Use "sendfile_rs.backends.simple" or a front-server backend in production.'
    )


def test_without_root_check_says_what_confines_the_files(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A warning: manage.py check, runserver and migrate go on.
    with override_settings(INSTALLED_APPS=["sendfile_rs"], **good(root, SENDFILE_ROOT=None)):
        call_command("check")
    assert capsys.readouterr().err == (
        "System check identified some issues:\n\n"
        "WARNINGS:\n"
        "?: (sendfile_rs.W003) SENDFILE_ROOT is not set: sendfile_rs.sendfile() raises "
        "ImproperlyConfigured, and a backend module called directly (as Wagtail does) sends "
        "only absolute paths, each confined to its own folder: a regular file in it, reached "
        "without a symbolic link out of it.\n"
        "\tHINT: Set SENDFILE_ROOT to the folder that holds the protected files to confine "
        "every file to it.\n\n"
        "System check identified 1 issue (0 silenced).\n"
    )
