"""sendfile_rs.flask under gunicorn on 127.0.0.1, each configuration a fresh server: the
request cases of tests/cases (RFC 9110 Range and preconditions) with exact status,
headers and bytes; a 1 GiB file whole and a 100 MiB range sent by sendfile(2) (strace),
the socket corked around it with the tcp_cork option, the worker's memory flat."""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import serving
from case_files import expected_body
from cases import (
    APPLYING,
    CASES,
    SERVER_HEADERS,
    fetch,
    option_sets,
    prepare,
    size_of,
)
from conftest import HERE
from test_servers import Strace
from werkzeug.http import is_entity_header

pytestmark = pytest.mark.servers

SIZE = 1 << 30
PEAK_MEMORY_LIMIT_KIB = 64 * 1024


@contextlib.contextmanager
def flask_gunicorn(root: Path, log: Path, options: str = "{}") -> Iterator[serving.Server]:
    """gunicorn, one worker, serving tests/flask/flask_app.py from ``root``."""
    port = serving.free_port()
    command = [
        *(str(serving.BIN / "gunicorn"), "--bind", f"127.0.0.1:{port}"),
        *("--workers", "1", "--log-level", "warning", "flask_app:app"),
    ]
    environment = {"SENDFILE_OPTIONS": options, "PYTHONPATH": str(HERE)}
    with serving.started(command, root, "unused", log, environment) as process:
        yield serving.Server(port, serving.wait_for_worker(process, port, log), log)


def werkzeug_answer(status: int, headers: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The plan's headers as a Werkzeug response sends them: a 304 without entity headers
    (Werkzeug drops them from every 304, Last-Modified too), and Cache-Control ``no-cache``
    where the plan has none, as Flask's send_file sets without max_age."""
    if status == 304:
        headers = [
            (name, value)
            for name, value in headers
            if not is_entity_header(name) or name.lower() in ("expires", "content-location")
        ]
    if not any(name == "Cache-Control" for name, _ in headers):
        headers = [*headers, ("Cache-Control", "no-cache")]
    return headers


def replay(port: int, index: int, root: Path) -> None:
    case = CASES[index]
    request = [(name, value) for name, value in case.get("request", [])]
    status, headers, body = fetch(port, f"/case/{index}", case.get("method", "GET"), request)
    expect = case["expect"]
    assert status == expect["status"], case["name"]
    received = [(n, v) for n, v in headers if n.lower() not in SERVER_HEADERS]
    boundary = dict(headers).get("Content-Type", "").partition("boundary=")[2]
    planned = [
        (name, value.replace("{root}", str(root)).replace("{boundary}", boundary))
        for name, value in expect["headers"]
    ]
    assert received == werkzeug_answer(status, planned), case["name"]
    if case.get("method") == "HEAD":
        assert body == b""
        return
    ranges = [tuple(r) for r in expect["ranges"]]
    multipart = expect.get("multipart", False)
    assert body == expected_body(ranges, size_of(case), boundary, multipart), case["name"]


@pytest.mark.parametrize("options", option_sets())
def test_request_cases_through_flask_under_gunicorn(options: str, tmp_path: Path) -> None:
    root = tmp_path / "root"
    prepare(root)
    indexes = [i for i in APPLYING if json.dumps(CASES[i].get("options", {})) == options]
    with flask_gunicorn(root, tmp_path / "gunicorn.log", options) as server:
        for index in indexes:
            replay(server.port, index, root)


@pytest.fixture(scope="module")
def big_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("flask-big") / "root"
    root.mkdir()
    serving.big_file(root, SIZE)
    return root


@pytest.mark.parametrize("corked", [False, True], ids=["plain", "corked"])
def test_a_gib_and_a_range_go_by_sendfile_with_flat_memory(
    corked: bool, big_root: Path, tmp_path: Path
) -> None:
    options = json.dumps({"tcp_cork": corked})
    path = "/files/big.bin"
    with flask_gunicorn(big_root, tmp_path / "gunicorn.log", options) as server:
        trace = Strace(server.worker, tmp_path / "whole.strace")
        status, headers, digest, length = serving.fetch(server.port, path, {})
        assert (status, length) == (200, SIZE)
        assert headers["Content-Length"] == str(SIZE)
        expected = hashlib.sha256()
        with open(big_root / "big.bin", "rb") as file:
            while block := file.read(1 << 24):
                expected.update(block)
        assert digest == expected.hexdigest()
        sent, order = trace.stop(await_uncork=corked)
        assert sent >= SIZE, "the 200 body did not go through sendfile(2)"
        assert order == (["cork", "sendfile", "uncork"] if corked else ["sendfile"])

        offset, count = 300 << 20, 100 << 20
        trace = Strace(server.worker, tmp_path / "range.strace")
        status, headers, digest, length = serving.fetch(
            server.port, path, {"Range": f"bytes={offset}-{offset + count - 1}"}
        )
        assert (status, length) == (206, count)
        assert headers["Content-Range"] == f"bytes {offset}-{offset + count - 1}/{SIZE}"
        part = serving.slice_of(big_root / "big.bin", offset, count)
        assert digest == hashlib.sha256(part).hexdigest()
        sent, order = trace.stop(await_uncork=corked)
        assert sent >= count, "the 206 body did not go through sendfile(2)"
        assert order == (["cork", "sendfile", "uncork"] if corked else ["sendfile"])

        peak = server.peak_kib()
        assert peak < PEAK_MEMORY_LIMIT_KIB, f"worker peak memory {peak} KiB"
