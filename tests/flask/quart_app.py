"""The Quart application that the ASGI server tests run: SENDFILE_* from the environment
(SENDFILE_OPTIONS as JSON), a file under the root at /files/<name>, and the request cases
of tests/cases/served.json at /case/<n>, as flask_app.py has them. No default max-age, so
that an answer's Cache-Control is ``public`` alone."""

from __future__ import annotations

import json
import os
from pathlib import Path

from quart import Quart, Response, request

from sendfile_rs.quart import Sendfile, send_file, send_from_directory

CASES = json.loads((Path(__file__).parents[1] / "cases" / "served.json").read_text())["cases"]
ROOT = os.environ.get("SENDFILE_ROOT", "")

app = Quart(__name__)
app.config.update(
    SENDFILE_BACKEND=os.environ.get("SENDFILE_BACKEND", "simple"),
    SENDFILE_ROOT=ROOT or None,
    SENDFILE_URL=os.environ.get("SENDFILE_URL"),
    SENDFILE_OPTIONS=json.loads(os.environ.get("SENDFILE_OPTIONS", "{}")),
    SEND_FILE_MAX_AGE_DEFAULT=None,
)
Sendfile(app)


@app.route("/files/<path:name>", methods=["GET", "HEAD"])
async def files(name: str) -> Response:
    attachment = bool(request.args.get("attachment"))
    return await send_from_directory(ROOT, name, as_attachment=attachment)


@app.route("/case/<int:index>", methods=["GET", "HEAD", "POST"])
async def case(index: int) -> Response:
    case = CASES[index]
    options = case.get("file_options", {})
    name = case.get("path", case.get("file", {}).get("name", "file.txt"))
    return await send_file(
        os.path.join(ROOT, f"case-{index}", name.replace("{root}/", "")),
        mimetype=options.get("content_type"),
        as_attachment=options.get("attachment", False),
        attachment_filename=options.get("download_name"),
    )
