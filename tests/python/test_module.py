"""The installed package: its compiled module exports nothing of the C ABI, and importing
sendfile_rs does not import Django."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

import sendfile_rs._native
from sendfile_rs import _native
from sendfile_rs._native import ConfigurationError



def test_extension_exports_only_its_init_function() -> None:
    symbols = subprocess.run(
        ["nm", "-D", "--defined-only", sendfile_rs._native.__file__],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert [s for s in symbols if s.startswith(("sf_", "PyInit"))] == ["PyInit__native"]


def test_import_does_not_need_django() -> None:
    code = "import sys, sendfile_rs; assert 'django' not in sys.modules, sorted(sys.modules)"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_version_matches_the_crate() -> None:
    manifest = (Path(__file__).parents[2] / "Cargo.toml").read_text()
    version = re.search(r'^version = "([^"]+)"', manifest, re.MULTILINE)
    assert version
    assert sendfile_rs.__version__ == sendfile_rs._native.__version__ == version.group(1)


def test_the_backend_table_is_the_core_s() -> None:
    facts = {
        backend.name: (
            backend.sends_body,
            backend.needs_url,
            backend.development_only,
            backend.front_servers,
        )
        for backend in _native.BACKENDS
    }
    assert facts == {
        "simple": (True, False, False, ()),
        "development": (True, False, True, ()),
        "xsendfile": (False, False, False, ("apache-xsendfile",)),
        "nginx": (False, True, False, ("nginx", "caddy")),
        "mod_wsgi": (False, True, False, ("apache-modwsgi",)),
        "lighttpd": (False, False, False, ("lighttpd",)),
    }
    # The core's order, which its messages use too.
    assert list(facts) == ["simple", "development", "xsendfile", "nginx", "mod_wsgi", "lighttpd"]
    with pytest.raises(ConfigurationError, match=", ".join(facts)):
        _native.Config("apache", "/")
    assert repr(_native.BACKENDS[3]) == "<Backend nginx>"
    with pytest.raises(AttributeError):
        _native.BACKENDS[0].name = "other"  # type: ignore[misc]


def test_the_plan_headers_are_the_core_s_and_django_keys_follow_them() -> None:
    from sendfile_rs import _django

    assert _native.PLAN_HEADERS == (
        "Range",
        "If-Range",
        "If-Match",
        "If-None-Match",
        "If-Modified-Since",
        "If-Unmodified-Since",
    )
    keys = tuple(("HTTP_" + name.upper().replace("-", "_"), name) for name in _native.PLAN_HEADERS)
    assert _django._PLAN_HEADERS == keys


def test_a_plan_names_its_file_s_absolute_path(tmp_path: Path) -> None:
    (tmp_path / "dir").mkdir()
    (tmp_path / "dir" / "caf\u00e9 100%.txt").write_bytes(b"12345")
    expected = f"{tmp_path}/dir/caf\u00e9 100%.txt"
    for backend in ("simple", "xsendfile", "nginx"):
        config = _native.Config(backend, str(tmp_path), "/p")
        with config.plan("dir/../dir/caf\u00e9 100%.txt") as plan:
            assert plan.path == expected
    encoded = _native.Config("xsendfile", str(tmp_path), None, {"xsendfile_percent_encode": True})
    with encoded.plan(f"{tmp_path}/dir/caf\u00e9 100%.txt") as plan:
        assert plan.path == expected
        assert dict(plan.headers)["X-Sendfile"] == f"{tmp_path}/dir/caf%C3%A9%20100%25.txt"


def options_error(**options: object) -> str:
    with pytest.raises(ConfigurationError) as raised:
        _native.Config("simple", "/", None, options)
    return str(raised.value)


def test_options_keep_their_python_types() -> None:
    config = _native.Config(
        "simple",
        "/",
        None,
        {"etag": 0, "max_ranges": 8, "cache_control": "private", "accel_expires": 60},
    )
    assert config.backend == "simple"
    assert options_error(max_ranges=True) == (
        "configuration error: option max_ranges must be a whole number, got true"
    )
    assert options_error(max_ranges=-1) == (
        "configuration error: option max_ranges must be a whole number, got -1"
    )
    assert options_error(max_ranges=8.5) == (
        "configuration error: option max_ranges must be a whole number, got 8.5"
    )
    assert options_error(etag=2) == (
        "configuration error: option etag must be true or false, got 2"
    )
    assert options_error(cache_control=3600) == (
        "configuration error: option cache_control must be text, got 3600"
    )
    assert options_error(content_types="txt=text/plain") == (
        "configuration error: option content_types must be a mapping of extension to "
        'media type, got "txt=text/plain"'
    )
    # Text is read as C reads it.
    assert options_error(max_ranges="many") == (
        'configuration error: option max_ranges must be a whole number, got "many"'
    )
    assert 'unknown option "max_range"' in options_error(max_range=8)


def test_media_types_given_as_a_dict_reach_the_plan(tmp_path: Path) -> None:
    (tmp_path / "notes.md").write_text("# notes")
    config = _native.Config("nginx", str(tmp_path), "/p", {"content_types": {" MD ": "text/x"}})
    with config.plan("notes.md") as plan:
        assert dict(plan.headers)["Content-Type"] == "text/x"
