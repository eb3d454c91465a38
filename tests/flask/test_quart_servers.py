"""sendfile_rs.quart under two ASGI servers (uvicorn, hypercorn) on 127.0.0.1, each
configuration a fresh server: the request cases of tests/cases (RFC 9110 Range and
preconditions) with exact status, headers and bytes, and a large file whole and in a range
byte-exact with the worker's memory flat (the body read off the event loop in blocks)."""

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

pytestmark = pytest.mark.servers

SERVERS = ("uvicorn", "hypercorn")
SIZE = 256 << 20
PEAK_MEMORY_LIMIT_KIB = 96 * 1024


@contextlib.contextmanager
def quart_server(name: str, root: Path, log: Path, options: str = "{}") -> Iterator[serving.Server]:
    """The ASGI server ``name`` serving tests/flask/quart_app.py from ``root``, in one
    process."""
    port = serving.free_port()
    program, *arguments = serving.ASGI_SERVERS[name]
    command = [
        str(serving.BIN / program),
        *(argument.format(port=port) for argument in arguments),
        "quart_app:app",
    ]
    environment = {"SENDFILE_OPTIONS": options, "PYTHONPATH": str(HERE)}
    with serving.started(command, root, "unused", log, environment) as process:
        serving.wait_for_port(port, process, log)
        yield serving.Server(port, process.pid, log)


def quart_answer(headers: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The plan's headers as Quart sends them: names in lower case, and Cache-Control
    ``public`` where the plan has none, as Quart's send_file sets without a timeout."""
    lowered = [(name.lower(), value) for name, value in headers]
    if not any(name == "cache-control" for name, _ in lowered):
        lowered.append(("cache-control", "public"))
    return lowered


@pytest.mark.parametrize("options", option_sets())
@pytest.mark.parametrize("server", SERVERS)
def test_request_cases_through_quart(server: str, options: str, tmp_path: Path) -> None:
    root = tmp_path / "root"
    prepare(root)
    indexes = [i for i in APPLYING if json.dumps(CASES[i].get("options", {})) == options]
    with quart_server(server, root, tmp_path / f"{server}.log", options) as running:
        for index in indexes:
            case = CASES[index]
            request = [(name, value) for name, value in case.get("request", [])]
            method = case.get("method", "GET")
            status, headers, body = fetch(running.port, f"/case/{index}", method, request)
            expect = case["expect"]
            assert status == expect["status"], case["name"]
            received = [(n.lower(), v) for n, v in headers if n.lower() not in SERVER_HEADERS]
            boundary = dict(received).get("content-type", "").partition("boundary=")[2]
            planned = [
                (name, value.replace("{boundary}", boundary)) for name, value in expect["headers"]
            ]
            assert received == quart_answer(planned), case["name"]
            ranges = [tuple(r) for r in expect["ranges"]]
            multipart = expect.get("multipart", False)
            expected = (
                b""
                if method == "HEAD"
                else expected_body(ranges, size_of(case), boundary, multipart)
            )
            assert body == expected, case["name"]


@pytest.mark.parametrize("server", SERVERS)
def test_a_large_file_and_a_range_are_exact_with_flat_memory(server: str, tmp_path: Path) -> None:
    root = tmp_path / "root"
    root.mkdir()
    big = serving.big_file(root, SIZE)
    with quart_server(server, root, tmp_path / f"{server}.log") as running:
        port = running.port
        status, headers, digest, length = serving.fetch(port, "/files/big.bin", {})
        assert (status, length) == (200, SIZE)
        assert digest == hashlib.sha256(big.read_bytes()).hexdigest()
        offset, count = 100 << 20, 50 << 20
        status, headers, digest, length = serving.fetch(
            port, "/files/big.bin", {"Range": f"bytes={offset}-{offset + count - 1}"}
        )
        assert (status, length) == (206, count)
        assert headers["content-range"] == f"bytes {offset}-{offset + count - 1}/{SIZE}"
        assert digest == hashlib.sha256(serving.slice_of(big, offset, count)).hexdigest()
        peak = running.peak_kib()
        assert peak < PEAK_MEMORY_LIMIT_KIB, f"{server} peak memory {peak} KiB"
