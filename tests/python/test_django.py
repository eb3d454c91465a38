"""sendfile_rs.sendfile in Django: the drop-in behaviour of django-sendfile2, byte for
byte where it is right, and the simple backend through Django's whole stack."""

from __future__ import annotations

import asyncio
import gzip
import warnings
from pathlib import Path
from typing import Any
from wsgiref.util import FileWrapper, setup_testing_defaults

import custom_backend
import pytest
from case_files import add_file, pattern
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import FileSystemStorage
from django.db.models.fields.files import FieldFile, FileField
from django.http import Http404
from django.test import AsyncClient, Client, RequestFactory, override_settings

import sendfile_rs
from sendfile_rs._native import BACKENDS
from sendfile_rs._servers.range_file import RangeFile

requests = RequestFactory()


def configured(root: Path, backend: str = "simple", url: str | None = None, **more: Any) -> Any:
    return override_settings(
        SENDFILE_BACKEND=f"sendfile_rs.backends.{backend}",
        SENDFILE_ROOT=str(root),
        SENDFILE_URL=url,
        **more,
    )


def headers_of(response: Any) -> dict[str, str]:
    return dict(response.items())


# --- the same bytes as django-sendfile2 ------------------------------------------------


def sendfile2(backend: str, root: Path, url: str | None, name: str, **kwargs: Any) -> Any:
    import django_sendfile.utils

    django_sendfile.utils._get_sendfile.cache_clear()
    with override_settings(
        SENDFILE_BACKEND=f"django_sendfile.backends.{backend}",
        SENDFILE_ROOT=str(root),
        SENDFILE_URL=url,
    ):
        return django_sendfile.utils.sendfile(requests.get("/"), str(root / name), **kwargs)


SAME_AS_SENDFILE2 = [
    ("nginx", "/private", "testfile.txt", {}),
    ("nginx", "/private", "p\u00e9ter.txt", {}),
    ("nginx", "/private", "folder/report.pdf", {"attachment": True}),
    (
        "nginx",
        "/private",
        "testfile.txt",
        {"attachment": True, "attachment_filename": "test\u2019s.txt"},
    ),
    ("nginx", "/private", "testfile.txt", {"attachment_filename": False}),
    ("nginx", None, "testfile.txt", {}),
    ("mod_wsgi", "/private", "folder/x.txt", {}),
    ("xsendfile", None, "testfile.txt", {"mimetype": "application/x-custom"}),
    ("simple", None, "testfile.txt", {"attachment": True}),
]


@pytest.mark.parametrize(("backend", "url", "name", "kwargs"), SAME_AS_SENDFILE2)
def test_headers_match_django_sendfile2(
    backend: str, url: str | None, name: str, kwargs: dict[str, Any], root: Path
) -> None:
    add_file(root, name)
    theirs = headers_of(sendfile2(backend, root, url, name, **kwargs))
    with configured(root, backend, url):
        ours = headers_of(sendfile_rs.sendfile(requests.get("/"), str(root / name), **kwargs))
    for header in (
        "Content-Type",
        "Content-Disposition",
        "X-Accel-Redirect",
        "Location",
        "X-Sendfile",
    ):
        assert ours.get(header) == theirs.get(header), header


def test_documented_examples_byte_for_byte(root: Path) -> None:
    add_file(root, "testfile.txt")
    add_file(root, "p\u00e9ter.txt")
    with configured(root, "nginx", "/private"):
        inline = sendfile_rs.sendfile(requests.get("/"), root / "testfile.txt")
        accented = sendfile_rs.sendfile(requests.get("/"), root / "p\u00e9ter.txt")
    assert inline["Content-Disposition"] == 'inline; filename="testfile.txt"'
    assert accented["X-Accel-Redirect"] == "/private/p%C3%A9ter.txt"
    assert "Content-Length" not in inline


def test_nginx_without_url_uses_the_absolute_path(root: Path) -> None:
    with configured(root, "nginx", None):
        response = sendfile_rs.sendfile(requests.get("/"), "file.txt")
    assert response["X-Accel-Redirect"] == f"{root}/file.txt"


def test_xsendfile_path_goes_out_as_utf8_bytes(root: Path) -> None:
    add_file(root, "p\u00e9ter.txt")
    with configured(root, "xsendfile"):
        response = sendfile_rs.sendfile(requests.get("/"), "p\u00e9ter.txt")
    wire = response["X-Sendfile"].encode("latin-1")
    assert wire == f"{root}/p\u00e9ter.txt".encode()


def test_tar_gz_is_not_given_a_content_encoding(root: Path) -> None:
    add_file(root, "backup.tar.gz")
    with configured(root, "nginx", "/p"):
        response = sendfile_rs.sendfile(requests.get("/"), "backup.tar.gz")
    assert response["Content-Type"] == "application/gzip"
    assert "Content-Encoding" not in response


# --- settings, spellings, errors -------------------------------------------------------


@pytest.mark.parametrize(
    "package", ["sendfile_rs.backends", "sendfile.backends", "django_sendfile.backends"]
)
def test_every_backend_spelling_is_accepted(package: str, root: Path) -> None:
    with override_settings(
        SENDFILE_BACKEND=f"{package}.nginx", SENDFILE_ROOT=str(root), SENDFILE_URL="/p"
    ):
        response = sendfile_rs.sendfile(requests.get("/"), "file.txt")
    assert response["X-Accel-Redirect"] == "/p/file.txt"


def test_missing_backend_setting(root: Path) -> None:
    with override_settings(SENDFILE_BACKEND=None, SENDFILE_ROOT=str(root)):
        with pytest.raises(
            ImproperlyConfigured, match="You must specify a value for SENDFILE_BACKEND"
        ):
            sendfile_rs.sendfile(requests.get("/"), "file.txt")


def test_missing_root_setting() -> None:
    with override_settings(SENDFILE_BACKEND="sendfile_rs.backends.simple", SENDFILE_ROOT=None):
        with pytest.raises(
            ImproperlyConfigured, match="You must specify a value for SENDFILE_ROOT"
        ):
            sendfile_rs.sendfile(requests.get("/"), "file.txt")


def test_unknown_backend_module(root: Path) -> None:
    with override_settings(SENDFILE_BACKEND="no.such.backend", SENDFILE_ROOT=str(root)):
        with pytest.raises(ImproperlyConfigured, match="neither a built-in backend"):
            sendfile_rs.sendfile(requests.get("/"), "file.txt")


def test_bad_option_is_improperly_configured(root: Path) -> None:
    with configured(root, SENDFILE_OPTIONS={"max_ranges": "many"}):
        with pytest.raises(ImproperlyConfigured, match="option max_ranges must be a whole number"):
            sendfile_rs.sendfile(requests.get("/"), "file.txt")


@pytest.mark.parametrize(
    "name", ["missing.txt", "../secret.txt", "/etc/passwd", "folder/../../secret.txt"]
)
def test_missing_or_outside_is_404(name: str, root: Path) -> None:
    with configured(root), pytest.raises(Http404):
        sendfile_rs.sendfile(requests.get("/"), name)


def test_options_setting_reaches_the_headers(root: Path) -> None:
    options = {
        "cache_control": "private",
        "accel_buffering": False,
        "content_types": {"txt": "text/plain; charset=utf-8"},
    }
    with configured(root, "nginx", "/p", SENDFILE_OPTIONS=options):
        response = sendfile_rs.sendfile(requests.get("/"), "file.txt")
    assert response["Cache-Control"] == "private"
    assert response["X-Accel-Buffering"] == "no"
    assert response["Content-Type"] == "text/plain; charset=utf-8"


def test_check_file_exists_false_plans_a_missing_file(root: Path) -> None:
    with configured(root, "nginx", "/p", SENDFILE_CHECK_FILE_EXISTS=False):
        response = sendfile_rs.sendfile(requests.get("/"), "elsewhere.mp4")
    assert response["X-Accel-Redirect"] == "/p/elsewhere.mp4"


def test_custom_backend_gets_the_headers_django_sendfile2_adds(root: Path) -> None:
    custom_backend.calls.clear()
    with override_settings(SENDFILE_BACKEND="custom_backend", SENDFILE_ROOT=str(root)):
        response = sendfile_rs.sendfile(
            requests.get("/"), "file.txt", attachment=True, encoding="gzip"
        )
    assert custom_backend.calls == [(root / "file.txt", {"mimetype": None})]
    assert response["X-Custom-Path"] == str(root / "file.txt")
    assert response["Content-Disposition"] == 'attachment; filename="file.txt"'
    assert response["Content-Length"] == "1000"
    assert response["Content-Type"] == "text/plain"
    assert response["Content-Encoding"] == "gzip"


def test_per_call_backend(root: Path) -> None:
    with configured(root, "simple", "/p"):
        response = sendfile_rs.sendfile(requests.get("/"), "file.txt", backend="nginx")
    assert response["X-Accel-Redirect"] == "/p/file.txt"


def test_pathlib_file_and_fieldfile(root: Path) -> None:
    storage = FileSystemStorage(location=str(root))
    field_file = FieldFile(instance=None, field=FileField(storage=storage), name="file.txt")
    with configured(root, "nginx", "/p"):
        for given in (root / "file.txt", Path("file.txt"), field_file, storage.open("file.txt")):
            response = sendfile_rs.sendfile(requests.get("/"), given)
            assert response["X-Accel-Redirect"] == "/p/file.txt", given


# --- the simple backend through Django's stack -----------------------------------------


@pytest.fixture
def client(root: Path) -> Any:
    with configured(root):
        yield Client()


def body_of(response: Any) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def wsgi_get(path: str, **environ: str) -> tuple[str, dict[str, str], Any, bytes]:
    """Status, headers, the iterable the server got, and the body, through Django's own
    WSGI handler with a ``wsgi.file_wrapper``, as gunicorn calls it."""
    from django.core.handlers.wsgi import WSGIHandler

    request: dict[str, Any] = {}
    setup_testing_defaults(request)
    request.update(PATH_INFO=path, **environ)
    request["wsgi.file_wrapper"] = FileWrapper
    started: list[tuple[str, list[tuple[str, str]]]] = []
    body = WSGIHandler()(request, lambda status, headers: started.append((status, headers)))
    try:
        data = b"".join(body)
    finally:
        body.close()
    return started[0][0], dict(started[0][1]), body, data


def test_whole_file_streams_the_descriptor(root: Path) -> None:
    with configured(root):
        status, headers, body, data = wsgi_get("/files/file.txt")
    assert (status, headers["Content-Length"], data) == ("200 OK", "1000", pattern(1000))
    assert isinstance(body, FileWrapper) and isinstance(body.filelike, RangeFile)


def test_single_range_streams_the_descriptor_at_its_offset(root: Path) -> None:
    # The wrapper reads from the descriptor's position: the bytes prove the offset.
    with configured(root):
        status, headers, body, data = wsgi_get("/files/file.txt", HTTP_RANGE="bytes=100-199")
    assert (status, headers["Content-Range"]) == ("206 Partial Content", "bytes 100-199/1000")
    assert data == pattern(1000)[100:200]
    assert isinstance(body, FileWrapper) and isinstance(body.filelike, RangeFile)


def test_a_middleware_that_replaces_the_body_is_obeyed(root: Path) -> None:
    # GZipMiddleware compresses the body and says so: the server must send the
    # compressed body, not the file's descriptor.
    gzip_first = ["django.middleware.gzip.GZipMiddleware"]
    with configured(root), override_settings(MIDDLEWARE=gzip_first):
        status, headers, body, data = wsgi_get("/files/file.txt", HTTP_ACCEPT_ENCODING="gzip")
    assert (status, headers["Content-Encoding"]) == ("200 OK", "gzip")
    assert not isinstance(body, FileWrapper)
    assert gzip.decompress(data) == pattern(1000)


def test_multipart_comes_from_the_plan(client: Any) -> None:
    response = client.get("/files/file.txt", HTTP_RANGE="bytes=0-9,500-599")
    assert response.status_code == 206
    assert getattr(response, "file_to_stream", None) is None
    boundary = response["Content-Type"].partition("boundary=")[2]
    body = body_of(response)
    assert len(body) == int(response["Content-Length"])
    first_part = (
        f"--{boundary}\r\nContent-Type: text/plain\r\nContent-Range: bytes 0-9/1000\r\n\r\n"
    )
    assert body.startswith(first_part.encode() + pattern(10))
    assert body.endswith(pattern(1000)[500:600] + f"\r\n--{boundary}--\r\n".encode())


def test_head_has_the_headers_and_no_body(client: Any) -> None:
    response = client.head("/files/file.txt")
    assert response.status_code == 200
    assert response["Content-Length"] == "1000"
    assert response.content == b""


def test_not_modified_precondition_failed_and_unsatisfiable(client: Any) -> None:
    etag = client.get("/files/file.txt")["ETag"]
    not_modified = client.get("/files/file.txt", HTTP_IF_NONE_MATCH=etag)
    assert not_modified.status_code == 304
    assert not_modified["ETag"] == etag and "Content-Type" not in not_modified
    failed = client.get("/files/file.txt", HTTP_IF_MATCH='"other"')
    assert failed.status_code == 412 and failed["Content-Length"] == "0"
    unsatisfiable = client.get("/files/file.txt", HTTP_RANGE="bytes=5000-")
    assert unsatisfiable.status_code == 416
    assert unsatisfiable["Content-Range"] == "bytes */1000"


def test_missing_file_is_404_through_the_stack(client: Any) -> None:
    assert client.get("/files/nothing.txt").status_code == 404
    assert client.get("/files/../secret.txt").status_code == 404


def test_asgi_streams_without_the_synchronous_iterator_warning(root: Path) -> None:
    async def fetch(**headers: str) -> tuple[int, bytes]:
        response = await AsyncClient().get("/files/file.txt", headers=headers)
        return response.status_code, b"".join([chunk async for chunk in response.streaming_content])

    with configured(root), warnings.catch_warnings():
        warnings.simplefilter("error")
        assert asyncio.run(fetch()) == (200, pattern(1000))
        assert asyncio.run(fetch(Range="bytes=10-19")) == (206, pattern(1000)[10:20])
        status, body = asyncio.run(fetch(Range="bytes=0-0,-1"))
        assert status == 206
        assert b"Content-Range: bytes 999-999/1000\r\n\r\n" + pattern(1000)[999:] in body


@pytest.mark.parametrize(
    ("backend", "header", "value"),
    [
        ("simple", "Content-Length", "1000"),
        ("development", "Content-Length", "1000"),
        ("xsendfile", "X-Sendfile", "{root}/file.txt"),
        ("nginx", "X-Accel-Redirect", "/p/file.txt"),
        ("mod_wsgi", "Location", "/p/file.txt"),
        ("lighttpd", "X-Sendfile", "{root}/file.txt"),
    ],
)
def test_every_backend_through_django(backend: str, header: str, value: str, root: Path) -> None:
    with configured(root, backend, "/p"):
        response = sendfile_rs.sendfile(requests.get("/"), "file.txt")
    assert response.status_code == 200
    assert response[header] == value.replace("{root}", str(root))
    assert response["Content-Type"] == "text/plain"
    assert response["Content-Disposition"] == 'inline; filename="file.txt"'
    if backend not in ("simple", "development"):
        assert "Content-Length" not in response
    response.close()


@pytest.mark.parametrize("backend", [b.name for b in BACKENDS if not b.sends_body])
def test_a_front_server_s_handover_is_the_same_for_every_method(backend: str, root: Path) -> None:
    answers = []
    with configured(root, backend, "/p"):
        for method in ("GET", "HEAD", "POST", "OPTIONS"):
            response = sendfile_rs.sendfile(requests.generic(method, "/"), "file.txt")
            answers.append((response.status_code, headers_of(response)))
    assert answers[1:] == answers[:1] * 3
