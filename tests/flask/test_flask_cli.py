"""``flask sendfile config`` and ``flask sendfile check``, as a user runs them (a fresh
process each): the configuration ``python -m sendfile_rs config`` writes for the same
settings, byte for byte, and the exit statuses of the Django commands (1 for settings no
configuration is written for or a check that finds problems, 2 for a check that cannot
run)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import HERE

FLASK = Path(sys.executable).parent / "flask"


def run(arguments: list[str], **settings: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PYTHONPATH": str(HERE), **settings}
    for name in ("SENDFILE_BACKEND", "SENDFILE_ROOT", "SENDFILE_URL", "SENDFILE_OPTIONS"):
        if name not in settings:
            environment.pop(name, None)
    return subprocess.run(
        [str(FLASK), "--app", "flask_app", "sendfile", *arguments],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def module_config(*arguments: str) -> str:
    return subprocess.run(
        [sys.executable, "-m", "sendfile_rs", "config", *arguments],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


@pytest.mark.parametrize(
    ("backend", "server", "url"),
    [
        ("nginx", "nginx", "/protected"),
        ("nginx", "caddy", "/protected"),
        ("xsendfile", "apache-xsendfile", None),
        ("lighttpd", "lighttpd", None),
    ],
)
def test_config_is_the_module_s(backend: str, server: str, url: str | None, root: Path) -> None:
    settings = {"SENDFILE_BACKEND": backend, "SENDFILE_ROOT": str(root)}
    arguments = ["--root", str(root)]
    if url:
        settings["SENDFILE_URL"] = url
        arguments += ["--url", url]
    # The backend's own server when none is named, as manage.py sendfile_config.
    named = run(["config", server], **settings)
    assert (named.returncode, named.stderr) == (0, "")
    assert named.stdout == module_config(server, *arguments)
    if server != "caddy":
        assert run(["config"], **settings).stdout == named.stdout


@pytest.mark.parametrize(
    ("arguments", "settings", "message"),
    [
        (
            ["config"],
            {"SENDFILE_BACKEND": "simple", "SENDFILE_ROOT": "/srv"},
            "Error: SENDFILE_BACKEND is 'simple', which sends files from the application: "
            "no front-server configuration is needed\n",
        ),
        (
            ["config", "lighttpd"],
            {"SENDFILE_BACKEND": "nginx", "SENDFILE_ROOT": "/srv"},
            "Error: lighttpd works with the lighttpd backend, but SENDFILE_BACKEND is 'nginx'\n",
        ),
        (["config"], {"SENDFILE_BACKEND": "nginx"}, "Error: SENDFILE_ROOT is not set\n"),
    ],
)
def test_config_refuses_as_the_django_command(
    arguments: list[str], settings: dict[str, str], message: str
) -> None:
    result = run(arguments, **settings)
    assert (result.returncode, result.stdout, result.stderr) == (1, "", message)


def test_check_that_cannot_run_exits_2() -> None:
    result = run(["check", "http://127.0.0.1:9/{name}"], SENDFILE_BACKEND="nginx")
    message = "You must specify a value for SENDFILE_ROOT"
    assert (result.returncode, result.stdout, result.stderr) == (2, "", f"Error: {message}\n")
    result = run(["check", "--json", "http://127.0.0.1:9/{name}"], SENDFILE_BACKEND="nginx")
    report = json.loads(result.stdout)
    assert (result.returncode, report["ok"], report["error"]) == (2, False, message)


def test_check_of_an_unreachable_site_exits_1(root: Path) -> None:
    result = run(
        ["check", "http://127.0.0.1:9/{name}", "--timeout", "2"],
        SENDFILE_BACKEND="nginx",
        SENDFILE_ROOT=str(root),
        SENDFILE_URL="/protected",
    )
    assert result.returncode == 1, result.stderr
    assert "FAIL [unreachable] Could not reach http://127.0.0.1:9" in result.stdout
    assert list(root.iterdir()) == [root / "file.txt"], "the canaries were left behind"
