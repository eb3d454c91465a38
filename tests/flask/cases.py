"""The request cases of tests/cases/served.json as a Flask or Quart application answers
them over HTTP: which apply (Flask's send_file has no ``encoding`` nor ``content_length``,
and no way to send no name), the files they need, and the exact answer expected."""

from __future__ import annotations

import http.client
import json
from pathlib import Path
from typing import Any

from case_files import add_file

CASES: list[dict[str, Any]] = json.loads(
    (Path(__file__).parents[1] / "cases" / "served.json").read_text()
)["cases"]

#: What a server adds to every answer, and is not compared.
SERVER_HEADERS = frozenset({"server", "date", "connection", "transfer-encoding"})


def applies(case: dict[str, Any]) -> bool:
    """Whether a Flask or Quart application can make the case's call over HTTP. A case
    that repeats a request header does not reach the application as two fields: the
    servers join them into one value (the WSGI environ has one key per header)."""
    names = [name.lower() for name, _ in case.get("request", [])]
    if len(names) != len(set(names)):
        return False
    options = case.get("file_options", {})
    nameless = "download_name" in options and not options["download_name"]
    return "encoding" not in options and "content_length" not in options and not nameless


#: The cases that apply, by their index in the file.
APPLYING = [index for index, case in enumerate(CASES) if applies(case)]


def option_sets() -> list[str]:
    """Each case's options (JSON): one server is started for each."""
    return sorted({json.dumps(CASES[index].get("options", {})) for index in APPLYING})


def prepare(root: Path) -> None:
    for index in APPLYING:
        file = CASES[index].get("file", {})
        add_file(root / f"case-{index}", file.get("name", "file.txt"), file.get("size", 1000))


def size_of(case: dict[str, Any]) -> int:
    return int(case.get("file", {}).get("size", 1000))


def fetch(
    port: int, path: str, method: str, headers: list[tuple[str, str]]
) -> tuple[int, list[tuple[str, str]], bytes]:
    """Status, headers as sent, and body; the request's headers each as given, a header
    given twice sent twice."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.putrequest(method, path)
    for name, value in headers:
        connection.putheader(name, value)
    connection.endheaders()
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, response.getheaders(), body
