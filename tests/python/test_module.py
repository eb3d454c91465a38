"""The installed package: its compiled module exports nothing of the C ABI, and importing
sendfile_rs does not import Django."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

import sendfile_rs._native
from sendfile_rs import _native
from sendfile_rs._native import ConfigurationError

#: The package's source, as committed.
PACKAGE = Path(__file__).parents[2] / "python" / "sendfile_rs"


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
            backend.handover_header,
            backend.proxies_stores,
        )
        for backend in _native.BACKENDS
    }
    assert facts == {
        "simple": (True, False, False, (), None, False),
        "development": (True, False, True, (), None, False),
        "xsendfile": (False, False, False, ("apache-xsendfile",), "X-Sendfile", False),
        "nginx": (False, True, False, ("nginx", "caddy"), "X-Accel-Redirect", True),
        "mod_wsgi": (False, True, False, ("apache-modwsgi",), "Location", False),
        "lighttpd": (False, False, False, ("lighttpd",), "X-Sendfile", False),
    }
    # The core's order, which its messages use too.
    assert list(facts) == ["simple", "development", "xsendfile", "nginx", "mod_wsgi", "lighttpd"]
    with pytest.raises(ConfigurationError, match=", ".join(facts)):
        _native.Config("apache", "/")
    assert repr(_native.BACKENDS[3]) == "<Backend nginx>"
    with pytest.raises(AttributeError):
        _native.BACKENDS[0].name = "other"  # type: ignore[misc]


def test_the_plan_headers_are_the_core_s_and_django_keys_follow_them() -> None:
    from sendfile_rs._django import send

    assert _native.PLAN_HEADERS == (
        "Range",
        "If-Range",
        "If-Match",
        "If-None-Match",
        "If-Modified-Since",
        "If-Unmodified-Since",
    )
    keys = tuple(("HTTP_" + name.upper().replace("-", "_"), name) for name in _native.PLAN_HEADERS)
    assert send._PLAN_HEADERS == keys


#: The modules that must read backends from the core's table, never list them (the
#: deployment check's advice is keyed by front server, and nginx and lighttpd are servers).
TABLE_READERS = [
    "__main__.py",
    "_django/custom.py",
    "_django/responses.py",
    "_django/send.py",
    "_django/settings.py",
    "_django/storages.py",
    "checks.py",
    "deploy/front_config.py",
    "management/commands/sendfile_config.py",
]


def listed_backends(source: str) -> list[str]:
    """The backend names in a tuple, list, set or dict of `source`, a default after `or`,
    or compared with anything but a front server's name (front_config chooses its writer
    by server, and nginx and lighttpd are servers too)."""
    names = {backend.name for backend in _native.BACKENDS}

    def literal(node: ast.AST | None) -> bool:
        return isinstance(node, ast.Constant) and node.value in names

    found: list[ast.AST] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
            found += [element for element in node.elts if literal(element)]
        elif isinstance(node, ast.Dict):
            found += [item for item in [*node.keys, *node.values] if item and literal(item)]
        elif isinstance(node, ast.BoolOp):
            found += [value for value in node.values if literal(value)]
        elif isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            if not any(isinstance(side, ast.Name) and side.id == "server" for side in sides):
                found += [side for side in sides if literal(side)]
    return [f"{node.lineno}: {ast.unparse(node)}" for node in found]


@pytest.mark.parametrize("module", TABLE_READERS)
def test_no_module_lists_backends_of_its_own(module: str) -> None:
    assert listed_backends((PACKAGE / module).read_text()) == []


def test_a_retyped_list_of_backends_is_found() -> None:
    source = (
        'if backend in ("nginx", "mod_wsgi"):\n'
        '    DEFAULT = {"lighttpd": "lighttpd"}\n'
        'elif backend == "development" or server == "nginx":\n'
        '    config_for(storage, backend or "nginx")\n'
    )
    assert listed_backends(source) == [
        "1: 'nginx'",
        "1: 'mod_wsgi'",
        "2: 'lighttpd'",
        "2: 'lighttpd'",
        "3: 'development'",
        "4: 'nginx'",
    ]


def test_front_servers_and_default_servers_come_from_the_table() -> None:
    from sendfile_rs.deploy import front_config

    assert front_config.BACKEND_OF_SERVER == {
        "apache-xsendfile": "xsendfile",
        "nginx": "nginx",
        "caddy": "nginx",
        "apache-modwsgi": "mod_wsgi",
        "lighttpd": "lighttpd",
    }
    assert front_config.SERVERS == tuple(front_config.BACKEND_OF_SERVER)
    assert front_config.DEFAULT_SERVER == {
        "xsendfile": "apache-xsendfile",
        "nginx": "nginx",
        "mod_wsgi": "apache-modwsgi",
        "lighttpd": "lighttpd",
    }


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


def raised_by_the_core(tmp_path: Path) -> list[sendfile_rs.SendfileError]:
    """One error of each class, as plans and configurations raise them."""
    (tmp_path / "file.txt").write_bytes(b"x")
    sender = sendfile_rs.Sender("simple", str(tmp_path))
    attempts = [
        lambda: sender.plan("missing.txt"),
        lambda: sender.plan("../secret.txt"),
        lambda: sendfile_rs.Sender("nowhere", str(tmp_path)),
        lambda: sender.plan("file.txt", mimetype="text/plain\r\nSet-Cookie: a=b"),
    ]
    found = []
    for attempt in attempts:
        with pytest.raises(sendfile_rs.SendfileError) as raised:
            attempt()
        found.append(raised.value)
    return found


def test_errors_are_named_where_users_import_them(tmp_path: Path) -> None:
    errors = raised_by_the_core(tmp_path)
    assert [type(error).__name__ for error in errors] == [
        "NotFound",
        "OutsideRoot",
        "ConfigurationError",
        "InvalidArgument",
    ]
    for error in errors:
        assert type(error).__module__ == "sendfile_rs"
        assert getattr(sendfile_rs, type(error).__name__) is type(error)
    assert sendfile_rs.InvalidArgument.__module__ == "sendfile_rs"
    assert sendfile_rs.SendfileError.__module__ == "sendfile_rs"


def test_errors_unpickle_in_a_fresh_process_to_equal_errors(tmp_path: Path) -> None:
    """As a task queue or a process pool carries an error back: pickled here, unpickled
    by an interpreter that has imported nothing of sendfile_rs."""
    import pickle

    errors = raised_by_the_core(tmp_path)
    for error in errors:
        copy = pickle.loads(pickle.dumps(error))
        assert type(copy) is type(error) and copy.args == error.args and str(copy) == str(error)
    unpickled = subprocess.run(
        [
            sys.executable,
            "-c",
            "import pickle, sys\n"
            "for error in pickle.loads(sys.stdin.buffer.read()):\n"
            "    print(type(error).__module__, type(error).__name__, repr(error.args))",
        ],
        input=pickle.dumps(errors),
        capture_output=True,
        check=True,
    ).stdout.decode()
    assert unpickled.splitlines() == [
        f"sendfile_rs {type(error).__name__} {error.args!r}" for error in errors
    ]


def test_each_handover_header_is_the_one_its_plans_carry(tmp_path: Path) -> None:
    (tmp_path / "file.txt").write_bytes(b"x")
    for backend in _native.BACKENDS:
        if backend.handover_header is None:
            continue
        with _native.Config(backend.name, str(tmp_path), "/p").plan("file.txt") as plan:
            assert backend.handover_header in dict(plan.headers), backend.name


def test_the_store_facts_are_read_not_retyped() -> None:
    from sendfile_rs.deploy import front_config

    assert front_config.STORE_PROXIES == {"nginx"}
    assert _native.STORE_ADDRESSINGS == ("path", "virtual")


def test_a_plan_lists_its_segments_as_bytes_and_runs_of_its_file(tmp_path: Path) -> None:
    (tmp_path / "data.bin").write_bytes(bytes(range(256)) * 4)
    sender = sendfile_rs.Sender("simple", tmp_path)
    with sender.plan("data.bin", headers={"Range": "bytes=0-9,1000-"}) as plan:
        assert plan.body == "multipart"
        segments = [plan.segment(index) for index in range(plan.segment_count)]
        fd = plan.fileno()
        assert [s for s in segments if isinstance(s, tuple)] == [(fd, 0, 10), (fd, 1000, 24)]
        data = (tmp_path / "data.bin").read_bytes()
        assert b"".join(
            s if isinstance(s, bytes) else data[s[1] : s[1] + s[2]] for s in segments
        ) == b"".join(plan)
        with pytest.raises(IndexError, match="segment index 5 is not below the segment count 5"):
            plan.segment(5)
    with pytest.raises(ValueError, match="closed"):
        plan.segment(0)
    with sender.plan("data.bin", method="HEAD") as head:
        assert head.segment_count == 0
