"""``sendfile_rs.flask`` in a Flask application, through Flask's test client: the exact
status, headers and bytes of each answer, the settings read from ``app.config`` at every
call, the arguments Flask's ``send_file`` takes, and the refusals."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from case_files import pattern
from flask import Flask
from werkzeug.exceptions import NotFound

import sendfile_rs
from sendfile_rs._native import OPTION_NAMES
from sendfile_rs.flask import Sendfile, send_file, send_from_directory

VALIDATORS = [
    ("ETag", '"6553f100.75bcd15-3e8"'),
    ("Last-Modified", "Tue, 14 Nov 2023 22:13:20 GMT"),
]


def make_app(root: Path, **settings: object) -> Flask:
    app = Flask("files", root_path=str(root.parent))
    app.config.update({"SENDFILE_BACKEND": "simple", "SENDFILE_ROOT": str(root), **settings})
    Sendfile(app)

    @app.route("/file/<path:name>", methods=["GET", "HEAD", "POST"])
    def file(name: str) -> object:
        return send_file(f"root/{name}")

    @app.get("/dir/<path:name>")
    def directory(name: str) -> object:
        return send_from_directory("root", name, as_attachment=True, download_name="r.txt")

    return app


def headers_of(response: object) -> list[tuple[str, str]]:
    return list(response.headers)  # type: ignore[attr-defined]


def test_whole_file_range_multipart_and_validators(root: Path) -> None:
    client = make_app(root).test_client()
    response = client.get("/file/file.txt")
    assert response.status_code == 200
    assert headers_of(response) == [
        ("Content-Type", "text/plain"),
        ("Content-Length", "1000"),
        ("Content-Disposition", 'inline; filename="file.txt"'),
        ("Accept-Ranges", "bytes"),
        *VALIDATORS,
        ("Cache-Control", "no-cache"),
    ]
    assert response.data == pattern(1000)

    response = client.get("/file/file.txt", headers={"Range": "bytes=10-19"})
    assert response.status_code == 206
    assert headers_of(response)[:3] == [
        ("Content-Type", "text/plain"),
        ("Content-Length", "10"),
        ("Content-Range", "bytes 10-19/1000"),
    ]
    assert response.data == pattern(1000)[10:20]

    response = client.get("/file/file.txt", headers={"Range": "bytes=0-1,-2"})
    assert response.status_code == 206
    boundary = response.headers["Content-Type"].partition("boundary=")[2]
    whole = pattern(1000)
    assert response.data == (
        f"--{boundary}\r\nContent-Type: text/plain\r\n"
        "Content-Range: bytes 0-1/1000\r\n\r\n".encode()
        + whole[:2]
        + f"\r\n--{boundary}\r\nContent-Type: text/plain\r\n"
        f"Content-Range: bytes 998-999/1000\r\n\r\n".encode()
        + whole[-2:]
        + f"\r\n--{boundary}--\r\n".encode()
    )

    # Werkzeug drops the entity headers of every 304, Last-Modified with them.
    response = client.get("/file/file.txt", headers={"If-None-Match": VALIDATORS[0][1]})
    assert response.status_code == 304
    assert headers_of(response) == [VALIDATORS[0], ("Cache-Control", "no-cache")]
    assert response.data == b""

    response = client.get("/file/file.txt", headers={"If-Match": '"other"'})
    assert (response.status_code, response.headers["Content-Length"]) == (412, "0")
    assert "Content-Type" not in response.headers

    response = client.get("/file/file.txt", headers={"Range": "bytes=5000-"})
    assert response.status_code == 416
    assert response.headers["Content-Range"] == "bytes */1000"

    response = client.head("/file/file.txt")
    assert (response.status_code, response.headers["Content-Length"]) == (200, "1000")
    assert response.data == b""


def test_settings_are_read_at_every_call(root: Path) -> None:
    app = make_app(root)
    client = app.test_client()
    assert client.get("/file/file.txt").status_code == 200
    app.config.update(SENDFILE_BACKEND="nginx", SENDFILE_URL="/protected")
    response = client.get("/file/file.txt")
    assert headers_of(response) == [
        ("Content-Type", "text/plain"),
        ("Content-Disposition", 'inline; filename="file.txt"'),
        ("X-Accel-Redirect", "/protected/file.txt"),
        ("Cache-Control", "no-cache"),
        ("Content-Length", "0"),
    ]
    app.config["SENDFILE_OPTIONS"] = {"accel_buffering": False}
    assert client.get("/file/file.txt").headers["X-Accel-Buffering"] == "no"
    app.config["SENDFILE_OPTIONS"]["accel_buffering"] = True
    assert client.get("/file/file.txt").headers["X-Accel-Buffering"] == "yes"
    app.config["SENDFILE_BACKEND"] = "sendfile_rs.backends.xsendfile"
    assert client.get("/file/file.txt").headers["X-Sendfile"] == f"{root}/file.txt"


def test_send_from_directory_and_what_is_not_found(root: Path) -> None:
    client = make_app(root).test_client()
    response = client.get("/dir/file.txt")
    assert response.headers["Content-Disposition"] == 'attachment; filename="r.txt"'
    assert response.data == pattern(1000)
    for url in ("/dir/../secret.txt", "/dir/missing.txt", "/file/../secret.txt", "/file/x"):
        assert client.get(url).status_code == 404, url


def test_arguments_as_flask_takes_them(root: Path) -> None:
    app = make_app(root)
    with app.test_request_context(headers={"Range": "bytes=0-0"}):
        response = send_file("root/file.txt", conditional=False, etag=False, max_age=60)
        assert response.status_code == 200
        assert "Accept-Ranges" not in response.headers and "ETag" not in response.headers
        assert response.headers["Cache-Control"] == "public, max-age=60"
        assert response.expires is not None
        response.close()
        response = send_file("root/file.txt", mimetype="application/x-custom", as_attachment=True)
        assert response.headers["Content-Type"] == "application/x-custom"
        assert response.headers["Content-Disposition"] == 'attachment; filename="file.txt"'
        response.close()
        for refused in ({"etag": "custom"}, {"last_modified": 1}):
            with pytest.raises(ValueError, match="takes ETag and Last-Modified from the file"):
                send_file("root/file.txt", **refused)  # type: ignore[arg-type]
        with pytest.raises(NotFound):
            send_from_directory("root", "../secret.txt")


def test_a_cache_control_option_stands(root: Path) -> None:
    app = make_app(root, SENDFILE_OPTIONS={"cache_control": "private, max-age=5"})
    with app.test_request_context():
        response = send_file("root/file.txt", max_age=60)
        assert response.headers["Cache-Control"] == "private, max-age=5"
        assert "Expires" not in response.headers
        response.close()


def test_a_file_object_is_sent_as_flask_sends_it(root: Path) -> None:
    app = make_app(root, SENDFILE_BACKEND="nginx", SENDFILE_URL="/protected")
    with app.test_request_context():
        response = send_file(io.BytesIO(b"in memory"), download_name="m.txt")
        response.direct_passthrough = False
        assert response.data == b"in memory"
        assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
        assert "X-Accel-Redirect" not in response.headers


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"SENDFILE_BACKEND": None}, "You must specify a value for SENDFILE_BACKEND"),
        ({"SENDFILE_ROOT": None}, "You must specify a value for SENDFILE_ROOT"),
        (
            {"SENDFILE_BACKEND": "myproject.backend"},
            "SENDFILE_BACKEND is 'myproject.backend'; under Flask and Quart it names a "
            "built-in backend: simple, development, xsendfile, nginx, mod_wsgi, lighttpd",
        ),
        (
            {"SENDFILE_OPTIONS": {"max_range": 2}},
            'sendfile_rs: configuration error: unknown option "max_range"; known options: '
            + ", ".join(OPTION_NAMES),
        ),
    ],
)
def test_wrong_settings_say_which(root: Path, settings: dict[str, object], message: str) -> None:
    app = make_app(root, **settings)
    with app.test_request_context(), pytest.raises(sendfile_rs.ConfigurationError) as raised:
        send_file("root/file.txt")
    assert str(raised.value) == message
