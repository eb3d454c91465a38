"""`python -m sendfile_rs config nginx`: the exact configuration, and the mistakes it
refuses (tests/e2e/test_nginx.py proves the configuration against a real nginx)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from sendfile_rs.front_config import FrontConfigError, nginx


def test_nginx_location_has_matching_trailing_slashes() -> None:
    expected = (
        "# sendfile_rs: /srv/private/ is sent by nginx when the application answers with\n"
        "# X-Accel-Redirect: /protected/...; a direct request for /protected/ gets a 404.\n"
        "location /protected/ {\n"
        "    internal;\n"
        '    alias "/srv/private/";\n'
        "}\n"
    )
    assert nginx("/srv/private", "/protected") == expected
    assert nginx("/srv/private/", "/protected/") == expected


@pytest.mark.parametrize(
    ("root", "url"),
    [
        ("srv/private", "/protected"),
        ("/srv/private", "protected"),
        ("/srv/private", "/"),
        ('/srv/"private', "/protected"),
        ("/srv/private", "/pro;tected"),
        ("/srv/private", "/protected#x"),
    ],
)
def test_mistakes_are_refused(root: str, url: str) -> None:
    with pytest.raises(FrontConfigError):
        nginx(root, url)


def test_command_line() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "sendfile_rs", "config", "nginx", "--root", "/srv/p", "--url", "/x"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout == nginx("/srv/p", "/x")
    refused = subprocess.run(
        [sys.executable, "-m", "sendfile_rs", "config", "nginx", "--root", "rel", "--url", "/x"],
        capture_output=True,
        text=True,
    )
    assert refused.returncode == 2
    assert "the root must be an absolute path" in refused.stderr
