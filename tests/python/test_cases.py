"""Replays tests/cases/*.json through the Python interface: status, every header in order,
the ranges and the exact body bytes, as the Rust runner does through the Rust API."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from case_files import add_file, expected_body

import sendfile_rs

CASES = Path(__file__).parents[1] / "cases"


def load(name: str) -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = json.loads((CASES / name).read_text())["cases"]
    return cases


def sender_options(case: dict[str, Any]) -> dict[str, Any]:
    options = dict(case.get("options", {}))
    for knob, value in options.pop("accel", {}).items():
        options[f"accel_{knob}"] = value
    return options


def plan_arguments(case: dict[str, Any]) -> dict[str, Any]:
    file_options = case.get("file_options", {})
    arguments: dict[str, Any] = {
        "method": case.get("method", "GET"),
        "headers": [tuple(pair) for pair in case.get("request", [])],
        "attachment": file_options.get("attachment", False),
        "mimetype": file_options.get("content_type"),
        "encoding": file_options.get("encoding"),
        "content_length": file_options.get("content_length"),
    }
    if "download_name" in file_options:
        arguments["attachment_filename"] = file_options["download_name"] or False
    return arguments


def prepare(case: dict[str, Any], root: Path) -> str:
    file = case.get("file", {})
    name = file.get("name", "file.txt")
    add_file(root, name, file.get("size", 1000))
    return str(case.get("path", name)).replace("{root}", str(root))


def fill(text: str, root: Path, boundary: str = "") -> str:
    return text.replace("{root}", str(root)).replace("{boundary}", boundary)


@pytest.mark.parametrize("backend", ["simple", "development"])
@pytest.mark.parametrize("case", load("served.json"), ids=lambda case: case["name"])
def test_served_case(case: dict[str, Any], backend: str, root: Path) -> None:
    path = prepare(case, root)
    sender = sendfile_rs.Sender(backend, root, **sender_options(case))
    with sender.plan(path, **plan_arguments(case)) as plan:
        expect = case["expect"]
        assert plan.status == expect["status"]
        content_type = dict(plan.headers).get("Content-Type", "")
        boundary = content_type.partition("boundary=")[2]
        assert plan.headers == [(n, fill(v, root, boundary)) for n, v in expect["headers"]]
        ranges = [tuple(r) for r in expect["ranges"]]
        assert plan.ranges == ranges
        multipart = expect.get("multipart", False)
        assert plan.body == ("multipart" if multipart else "file" if ranges else "empty")
        assert (plan.fileno() is not None) == bool(ranges)
        body = b"".join(plan)
        assert body == expected_body(ranges, plan.file_size or 0, boundary, multipart)
        assert len(body) == plan.content_length
    assert plan.closed and plan.fileno() is None


@pytest.mark.parametrize("case", load("offloaded.json"), ids=lambda case: case["name"])
def test_offloaded_case(case: dict[str, Any], root: Path) -> None:
    path = prepare(case, root)
    sender = sendfile_rs.Sender(case["backend"], root, case.get("url"), **sender_options(case))
    plan = sender.plan(path, **plan_arguments(case))
    assert plan.status == 200
    assert plan.headers == [(n, fill(v, root)) for n, v in case["expect"]["headers"]]
    assert plan.body == "empty" and plan.fileno() is None and plan.content_length == 0
    assert plan.file_size == case["expect"]["file_size"]


ERRORS = {
    "not found": sendfile_rs.NotFound,
    "outside root": sendfile_rs.OutsideRoot,
    "invalid argument": sendfile_rs.InvalidArgument,
}


@pytest.mark.parametrize("case", load("errors.json"), ids=lambda case: case["name"])
def test_error_case(case: dict[str, Any], root: Path) -> None:
    add_file(root, "dir/inner.txt", 1)
    path = fill(case.get("path", "file.txt"), root)
    message = case["expect"]["error"]
    for backend in case.get(
        "backends", ["simple", "development", "xsendfile", "nginx", "mod_wsgi", "lighttpd"]
    ):
        url = "/private" if backend in ("nginx", "mod_wsgi") else None
        sender = sendfile_rs.Sender(backend, root, url, **sender_options(case))
        with pytest.raises(ERRORS[message.split(":")[0]]) as raised:
            sender.plan(path, **plan_arguments(case))
        assert str(raised.value) == message
        assert str(root) not in str(raised.value)
