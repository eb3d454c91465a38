"""A pytest plugin that runs Werkzeug's and Flask's own send_file tests against
sendfile_rs: ``werkzeug.utils.send_file`` / ``send_from_directory`` and Flask's
``send_file`` / ``send_from_directory`` are pointed at ``sendfile_rs.flask``'s, under the
simple backend with SENDFILE_ROOT ``/`` (the tests send files from their own folders and
from ``tmp_path``, as Werkzeug's send_file may).

Every test either passes, or fails exactly as the table ``LISTED`` says (the exception's
type and message); a listed test that passes fails. ``test_oracle_table`` holds the table
to the one in docs/flask.md. Loaded by ``-p oracle_shim`` from the sdists' folders.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import flask
import flask.helpers
import pytest
import werkzeug.utils
from werkzeug.datastructures import ImmutableDict
from werkzeug.wrappers import Response

import sendfile_rs.flask
from sendfile_rs._flask.send import CUSTOM_VALIDATOR, safe_path, send_file_for

#: The settings of every application the tests make.
SETTINGS = {"SENDFILE_BACKEND": "simple", "SENDFILE_ROOT": "/"}

#: The tests that fail against sendfile_rs (by name and parameters), each with the first
#: line of its failure: the differences of the table in docs/flask.md.
LISTED = {
    "test_x_sendfile": "werkzeug.exceptions.BadRequestKeyError: 400 Bad Request: The browser "
    "(or proxy) sent a request that this server could not understand.",
    "test_last_modified": "ValueError: " + CUSTOM_VALIDATOR,
    "test_no_cache_conditional_default": "ValueError: " + CUSTOM_VALIDATOR,
    "test_disposition_name[False-inline]": "AssertionError: assert 'inline; "
    "filename=\"test.txt\"' == 'inline; filename=test.txt'",
    "test_disposition_name[True-attachment]": "AssertionError: assert 'attachment; "
    "...me=\"test.txt\"' == 'attachment; ...name=test.txt'",
    "test_non_ascii_name[index.html-index.html-None]": "AssertionError: assert "
    "'filename=index.html' in 'attachment; filename=\"index.html\"'",
    "test_non_ascii_name[V\\xf6gel.txt-Vogel.txt-V%C3%B6gel.txt]": "AssertionError: assert "
    "'filename=Vogel.txt' in 'attachment; filename=\"Vogel.txt\"; "
    "filename*=UTF-8\\'\\'V%C3%B6gel.txt'",
    "test_etag": "AssertionError: assert 1 == 2",
    "test_content_encoding[True]": "AssertionError: assert 'text/plain' == 'image/svg+xml'",
    "test_content_encoding[False]": "AssertionError: assert 'text/plain' == 'image/svg+xml'",
}


class _App:
    """The settings Werkzeug's tests run under: they call ``send_file`` with no app."""

    def __init__(self) -> None:
        self.config = SETTINGS
        self.extensions: dict[str, Any] = {}
        self.root_path = "/"


WERKZEUG_APP = _App()


#: How many answers sendfile_rs made: a run in which it made none did not test it.
calls = 0


def counted(send: Callable[..., Response]) -> Callable[..., Response]:
    def send_counted(*arguments: Any, **options: Any) -> Response:
        global calls
        calls += 1
        return send(*arguments, **options)

    return send_counted


def werkzeug_send_file(
    path_or_file: Any,
    environ: dict[str, Any],
    *,
    use_x_sendfile: bool = False,
    _root_path: str | os.PathLike[str] | None = None,
    **options: Any,
) -> Response:
    """``werkzeug.utils.send_file`` on sendfile_rs; ``use_x_sendfile`` is the backend's
    (SENDFILE_BACKEND), never an argument."""
    root_path = os.fspath(_root_path) if _root_path is not None else None
    return send_file_for(WERKZEUG_APP, environ, path_or_file, root_path=root_path, **options)


def werkzeug_send_from_directory(
    directory: Any, path: Any, environ: dict[str, Any], **options: Any
) -> Response:
    return werkzeug_send_file(safe_path(directory, path), environ, **options)


def pytest_configure(config: pytest.Config) -> None:
    werkzeug.utils.send_file = counted(werkzeug_send_file)
    werkzeug.utils.send_from_directory = werkzeug_send_from_directory
    for module in (flask, flask.helpers):
        module.send_file = counted(sendfile_rs.flask.send_file)  # type: ignore[assignment]
        module.send_from_directory = sendfile_rs.flask.send_from_directory  # type: ignore[assignment]
    flask.Flask.default_config = ImmutableDict({**flask.Flask.default_config, **SETTINGS})


def pytest_sessionfinish(session: pytest.Session) -> None:
    if calls == 0:
        print("\nsendfile_rs answered no request: the shim was not in use")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def listed_line(item: pytest.Item) -> str | None:
    return LISTED.get(item.nodeid.rpartition("::")[2])


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[Any]:
    report = yield
    if call.when != "call":
        return report
    expected = listed_line(item)
    if expected is None:
        return report
    if report.passed:
        report.outcome = "failed"
        report.longrepr = f"listed in docs/flask.md, but no longer differs: {expected}"
    elif call.excinfo is not None:
        got = call.excinfo.exconly().splitlines()[0]
        if got == expected:
            report.outcome = "passed"
            report.longrepr = None
        else:
            report.longrepr = f"listed as failing with {expected!r}, failed with {got!r}"
    return report
