"""The Flask application that the server, command and front-server tests run: SENDFILE_*
from the environment (SENDFILE_OPTIONS as JSON), a file under the root at /files/<name>,
the same file by Flask's own send_file with ``USE_X_SENDFILE`` at /werkzeug/<name>, and the
request cases of tests/cases/served.json at /case/<n>, each case's file in the folder
case-<n> of the root."""

from __future__ import annotations

import functools
import json
import os
from pathlib import Path
from typing import Any

import flask
from flask import Flask, Response, request

from sendfile_rs.flask import Sendfile, send_file, send_from_directory


@functools.cache
def cases() -> list[dict[str, Any]]:
    """The request cases, read when first asked for: Apache's mod_wsgi runs a copy of
    this module away from tests/cases."""
    served = Path(__file__).parents[1] / "cases" / "served.json"
    cases: list[dict[str, Any]] = json.loads(served.read_text())["cases"]
    return cases


ROOT = os.environ.get("SENDFILE_ROOT", "")

app = Flask(__name__)
app.config.update(
    SENDFILE_BACKEND=os.environ.get("SENDFILE_BACKEND", "simple"),
    SENDFILE_ROOT=ROOT or None,
    SENDFILE_URL=os.environ.get("SENDFILE_URL"),
    SENDFILE_OPTIONS=json.loads(os.environ.get("SENDFILE_OPTIONS", "{}")),
    USE_X_SENDFILE=True,
)
Sendfile(app)


@app.route("/files/<path:name>", methods=["GET", "HEAD"])
def files(name: str) -> Response:
    return send_from_directory(ROOT, name, as_attachment=bool(request.args.get("attachment")))


@app.get("/werkzeug/<path:name>")
def werkzeug(name: str) -> Response:
    return flask.send_from_directory(ROOT, name)


@app.route("/case/<int:index>", methods=["GET", "HEAD", "POST"])
def case(index: int) -> Response:
    case: dict[str, Any] = cases()[index]
    options = case.get("file_options", {})
    name = case.get("path", case.get("file", {}).get("name", "file.txt"))
    path = os.path.join(ROOT, f"case-{index}", name.replace("{root}/", ""))
    return send_file(
        path,
        mimetype=options.get("content_type"),
        as_attachment=options.get("attachment", False),
        download_name=options.get("download_name"),
    )
