"""The Flask and Quart applications of bench/flask.py, each answering one file two ways:
by the framework's own ``send_file`` and by sendfile_rs's (simple backend), under
BENCH_ROOT. In a folder of their own: bench/flask.py would shadow the flask package."""

from __future__ import annotations

import os

import flask
import quart

import sendfile_rs.flask
import sendfile_rs.quart

ROOT = os.environ["BENCH_ROOT"]

app = flask.Flask(__name__)
app.config.update(SENDFILE_BACKEND="simple", SENDFILE_ROOT=ROOT)


@app.get("/flask/<name>")
def by_flask(name: str) -> flask.Response:
    return flask.send_from_directory(ROOT, name)


@app.get("/sendfile_rs/<name>")
def by_sendfile_rs(name: str) -> flask.Response:
    return sendfile_rs.flask.send_from_directory(ROOT, name)


quart_app = quart.Quart(__name__)
quart_app.config.update(SENDFILE_BACKEND="simple", SENDFILE_ROOT=ROOT)


@quart_app.get("/quart/<name>")
async def by_quart(name: str) -> quart.Response:
    return await quart.send_from_directory(ROOT, name)


@quart_app.get("/sendfile_rs_quart/<name>")
async def by_sendfile_rs_quart(name: str) -> quart.Response:
    return await sendfile_rs.quart.send_from_directory(ROOT, name)
