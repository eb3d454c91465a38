"""The deployment check behind ``manage.py sendfile_check`` and ``python -m sendfile_rs
check``: it plants canary files in SENDFILE_ROOT, downloads them from the live site
through a URL template, and names the cause and the fix of each failure (an offload
header nobody acted on, a trailing-slash mismatch, a location that is not internal, lost
download names, names that do not survive percent-encoding, answers a shared cache may
keep).

Only the standard library speaks HTTP, and only to the template's host; redirects are not
followed.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

from ..._native import Config
from .canaries import CanaryError
from .client import Client, TemplateError
from .examine import check
from .report import Problem, Report

__all__ = [
    "CheckError",
    "Client",
    "Problem",
    "Report",
    "add_options",
    "cannot_run",
    "check",
    "run",
]


class Output(Protocol):
    """Where the report goes: a text stream (Django's command output is one)."""

    def write(self, text: str, /) -> Any: ...


class CheckError(Exception):
    """The check cannot run: a wrong template or option, or a root it cannot write to."""


def add_options(parser: argparse.ArgumentParser) -> None:
    """The arguments both commands take, besides where the settings come from."""
    parser.add_argument(
        "template",
        help="a download URL of the live site with {name} where the file's path goes, "
        "like https://example.org/downloads/{name}",
    )
    parser.add_argument(
        "--cookie",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a cookie to send, like sessionid=... from a logged-in browser; repeatable",
    )
    parser.add_argument(
        "--header",
        action="append",
        default=[],
        metavar="'NAME: VALUE'",
        help="a request header to send, like 'Authorization: Bearer ...'; repeatable",
    )
    parser.add_argument("--json", action="store_true", help="the report as JSON")
    parser.add_argument(
        "--timeout", type=float, default=30.0, help="seconds to wait for each answer (30)"
    )


def request_headers(cookies: Sequence[str], headers: Sequence[str]) -> list[tuple[str, str]]:
    """The credentials to send: ``Name: value`` headers, and the cookies in one Cookie."""
    pairs = []
    for header in headers:
        name, colon, value = header.partition(":")
        if not colon or not name.strip() or any(c in header for c in "\r\n\0"):
            # Never the value: it is a credential, and the message may reach a CI log.
            raise CheckError(
                f"--header must be 'Name: value', got one {len(header)} characters long"
                + (f" naming {name.strip()!r}" if colon and name.strip() else "")
            )
        pairs.append((name.strip(), value.strip()))
    for cookie in cookies:
        if "=" not in cookie or any(c in cookie for c in "\r\n\0;"):
            raise CheckError(
                f"--cookie must be NAME=VALUE, got one {len(cookie)} characters long"
                + (f" naming {cookie.partition('=')[0]!r}" if "=" in cookie else "")
            )
    if cookies:
        pairs.append(("Cookie", "; ".join(cookies)))
    return pairs


def run(
    config: Config,
    root: str | os.PathLike[str],
    *,
    template: str,
    cookie: Sequence[str] = (),
    header: Sequence[str] = (),
    json: bool = False,
    timeout: float = 30.0,
    out: Output,
) -> int:
    """Runs the check with the options of :func:`add_options`, writes the report to
    ``out`` and returns the exit status: 0 when every check holds, 1 otherwise. Raises
    :class:`CheckError` when the check cannot run."""
    try:
        client = Client(template, request_headers(cookie, header), timeout=timeout)
    except TemplateError as error:
        raise CheckError(str(error)) from error
    try:
        report = check(config, root, client)
    except CanaryError as error:
        raise CheckError(str(error)) from error
    out.write(report.as_json() if json else report.as_table())
    return report.exit_status


def cannot_run(
    error: Exception | str,
    *,
    template: str,
    backend: str,
    root: str | os.PathLike[str] | None,
    json: bool = False,
    out: Output,
) -> int:
    """For a check that could not run (the settings, the template or the root): under
    ``json``, writes the report a script expects, ``ok`` false and ``error`` the reason,
    to ``out``; returns the exit status, 2. Printing the message where errors go is the
    caller's, as each command has its own way. Both commands call it, so they print the
    same report."""
    if json:
        try:
            # As the report of a check that ran shows it.
            shown = str(Path(root)) if root else ""
        except TypeError:  # a setting of another type
            shown = str(root)
        out.write(Report(template, backend, shown, error=str(error)).as_json())
    return 2
