"""Backend modules called directly, as Wagtail and django-sendfile2's ``sendfile()`` call
them: without SENDFILE_ROOT an absolute path is sent, confined to its own folder; with it,
confined to the root. And a custom backend that cannot find the file is a 404."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import pytest
import raising_backend
from case_files import add_file, pattern
from django.core.exceptions import ImproperlyConfigured
from django.http import Http404
from django.test import RequestFactory, override_settings

import sendfile_rs

requests = RequestFactory()
without_root = override_settings(SENDFILE_ROOT=None, SENDFILE_URL=None)


def backend(name: str) -> Any:
    return importlib.import_module(f"sendfile_rs.backends.{name}").sendfile


def test_without_root_each_backend_sends_the_absolute_path(root: Path) -> None:
    path = add_file(root, "caf\u00e9 1.txt", 100)
    presented = {
        "Content-Type": "text/plain",
        "Content-Disposition": (
            "inline; filename=\"cafe 1.txt\"; filename*=UTF-8''caf%C3%A9%201.txt"
        ),
    }
    # The test's root holds no character that needs percent-encoding.
    encoded = f"{root}/caf%C3%A9%201.txt"
    with without_root:
        xsendfile = backend("xsendfile")(requests.get("/"), str(path))
        nginx = backend("nginx")(requests.get("/"), path)
        mod_wsgi = backend("mod_wsgi")(requests.get("/"), path, mimetype="text/csv")
        lighttpd = backend("lighttpd")(requests.get("/"), path)
    # X-Sendfile is the path's UTF-8 bytes, carried as latin-1 text (see the README).
    raw = str(path).encode().decode("latin-1")
    assert dict(xsendfile.items()) == {**presented, "X-Sendfile": raw}
    assert dict(nginx.items()) == {**presented, "X-Accel-Redirect": encoded}
    assert dict(mod_wsgi.items()) == {
        **presented,
        "Content-Type": "text/csv",
        "Location": encoded,
    }
    assert dict(lighttpd.items()) == {**presented, "X-Sendfile": encoded}


@pytest.mark.parametrize("name", ["simple", "development"])
def test_without_root_the_simple_backends_serve_the_file(name: str, root: Path) -> None:
    with without_root:
        whole = backend(name)(requests.get("/"), str(root / "file.txt"))
        part = backend(name)(requests.get("/", headers={"Range": "bytes=10-19"}), root / "file.txt")
    assert (whole.status_code, b"".join(whole.streaming_content)) == (200, pattern(1000))
    assert (part.status_code, part["Content-Range"]) == (206, "bytes 10-19/1000")
    assert b"".join(part.streaming_content) == pattern(1000)[10:20]
    whole.close()
    part.close()


def test_without_root_dot_dot_is_resolved_on_the_text(root: Path) -> None:
    add_file(root, "sub/inner.txt")
    with without_root:
        response = backend("xsendfile")(requests.get("/"), f"{root}/sub/../file.txt")
    assert response["X-Sendfile"] == f"{root}/file.txt"


def test_without_root_the_file_must_be_in_its_folder(root: Path, tmp_path: Path) -> None:
    (root / "link.txt").symlink_to(tmp_path / "secret.txt")
    (root / "folder").mkdir()
    with without_root:
        for path, message in [
            (root / "link.txt", "outside root: a symbolic link leads out of the root"),
            (root / "missing.txt", "not found: missing.txt: no such file"),
            (root / "folder", "not found: folder: not a regular file"),
            (root / "folder/", "not found: folder: not a regular file"),
        ]:
            with pytest.raises(Http404) as raised:
                backend("simple")(requests.get("/"), path)
            assert str(raised.value) == message


def test_without_root_a_relative_path_is_refused() -> None:
    with without_root, pytest.raises(ImproperlyConfigured) as raised:
        backend("xsendfile")(requests.get("/"), "reports/q3.pdf")
    assert str(raised.value) == (
        "SENDFILE_ROOT is not set, so the xsendfile backend needs an absolute path, not "
        "'reports/q3.pdf'; set SENDFILE_ROOT to send paths relative to it"
    )


def test_without_root_a_url_has_nothing_to_map(root: Path) -> None:
    with override_settings(SENDFILE_ROOT=None, SENDFILE_URL="/protected"):
        with pytest.raises(ImproperlyConfigured) as raised:
            backend("nginx")(requests.get("/"), root / "file.txt")
    assert str(raised.value) == (
        "SENDFILE_URL is set and SENDFILE_ROOT is not: the URL stands for the root, so set "
        "SENDFILE_ROOT to the folder the front server maps to SENDFILE_URL"
    )


def test_sendfile_itself_still_needs_the_root(root: Path) -> None:
    with without_root, override_settings(SENDFILE_BACKEND="sendfile_rs.backends.simple"):
        with pytest.raises(ImproperlyConfigured) as raised:
            sendfile_rs.sendfile(requests.get("/"), str(root / "file.txt"))
    assert str(raised.value) == "You must specify a value for SENDFILE_ROOT"


def test_with_root_a_backend_module_is_confined_to_it(root: Path, tmp_path: Path) -> None:
    with override_settings(SENDFILE_ROOT=str(root), SENDFILE_URL="/protected"):
        inside = backend("nginx")(requests.get("/"), root / "file.txt")
        with pytest.raises(Http404):
            backend("nginx")(requests.get("/"), tmp_path / "secret.txt")
    assert inside["X-Accel-Redirect"] == "/protected/file.txt"


def test_a_custom_backend_that_finds_no_file_is_a_404(root: Path) -> None:
    settings = override_settings(SENDFILE_BACKEND="raising_backend", SENDFILE_ROOT=str(root))
    with settings, pytest.raises(Http404) as raised:
        sendfile_rs.sendfile(requests.get("/"), "file.txt")
    assert (
        str(raised.value) == "not found: file.txt: the backend raising_backend found no such file"
    )
    assert isinstance(raised.value.__cause__, FileNotFoundError)


def test_a_custom_backend_that_may_not_read_the_file_is_an_error(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # django-sendfile2 catches FileNotFoundError alone; any other OSError is a 500.
    monkeypatch.setattr(raising_backend, "error", PermissionError(13, "Permission denied"))
    settings = override_settings(SENDFILE_BACKEND="raising_backend", SENDFILE_ROOT=str(root))
    with settings, pytest.raises(PermissionError):
        sendfile_rs.sendfile(requests.get("/"), "file.txt")
