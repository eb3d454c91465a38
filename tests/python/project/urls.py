"""/files/<path> sends that file with the configured backend (``?backend=`` picks another,
``?attachment=1`` makes it a download); /rewritten/<path> sends it and then rewrites its
Content-Length, as some callers of ``sendfile()`` do; /gzip/<path> is the same through
GZipMiddleware, and /own/<path> a view's own streaming answer of the file, for the tests
of the ASGI wrapper; /archive?f=<path>&f=<path>&as=<name> sends the files as one ZIP
archive. With SENDFILE_FAULTS set, /fault/<what>/<path> also breaks things
between the plan and the sending, for tests/python/test_faults.py. With an object store
configured (STORE_ENDPOINT), /objects/<key> and /raw?name=<key> send the object of that key
on the default storage, and /tampered/<what>/<key> and /expired/<key> hand nginx or the client a URL
the store must refuse, for tests/e2e/test_object_store.py."""

import errno
import os
import time
from collections.abc import AsyncIterator
from pathlib import Path

from django.conf import settings
from django.db.models.fields.files import FieldFile
from django.http import HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.urls import path
from django.views.decorators.gzip import gzip_page

import sendfile_rs


def download(request: HttpRequest, name: str) -> HttpResponseBase:
    attachment = request.GET.get("attachment") == "1"
    backend = request.GET.get("backend")
    return sendfile_rs.sendfile(request, name, attachment=attachment, backend=backend)


def archive(request: HttpRequest) -> HttpResponseBase:
    return sendfile_rs.sendfile_archive(
        request, request.GET.getlist("f"), filename=request.GET.get("as", "archive.zip")
    )


def fault(request: HttpRequest, what: str, name: str) -> HttpResponseBase:
    """The answer for ``name`` with a fault injected: ``delete`` or ``replace`` the file
    once the plan holds it open, or ``exhaust`` the descriptors before planning."""
    file = Path(settings.SENDFILE_ROOT) / name
    if what == "exhaust":
        hoard = []
        try:
            while True:
                hoard.append(os.open(os.devnull, os.O_RDONLY))
        except OSError as error:
            assert error.errno == errno.EMFILE
            return download(request, name)
        finally:
            for descriptor in hoard:
                os.close(descriptor)
    response = download(request, name)
    if what == "delete":
        file.unlink()
    elif what == "replace":
        replacement = file.with_name(file.name + ".new")
        replacement.write_bytes(b"the new content")
        replacement.rename(file)
    return response


def rewritten(request: HttpRequest, name: str) -> HttpResponseBase:
    """``name`` sent, then its Content-Length rewritten as callers do after
    ``sendfile()``: ``?length=file`` the file's size, ``?length=<n>`` that number,
    ``?length=none`` deleted."""
    response = download(request, name)
    length = request.GET["length"]
    if length == "none":
        del response["Content-Length"]
    else:
        size = (Path(settings.SENDFILE_ROOT) / name).stat().st_size
        response["Content-Length"] = size if length == "file" else int(length)
    return response


def stored(name: str) -> FieldFile:
    """The FieldFile of ``name`` as a model holds it: on the default storage, django-storages'
    S3Storage, made on first use (Django's lazy ``default_storage``)."""
    from project.models import Document

    return Document(file=name).file


def object_download(request: HttpRequest, name: str) -> HttpResponseBase:
    attachment = request.GET.get("attachment") == "1"
    backend = request.GET.get("backend")
    return sendfile_rs.sendfile(request, stored(name), attachment=attachment, backend=backend)


def object_by_query(request: HttpRequest) -> HttpResponseBase:
    """The object named by ``?name=``, which may hold any character a client can send."""
    name = request.GET.get("name", "")
    return sendfile_rs.sendfile(request, stored(name), backend=request.GET.get("backend"))


def tampered(request: HttpRequest, what: str, name: str) -> HttpResponseBase:
    """The answer for ``name`` with its URL changed after signing: the last digit of the
    ``signature``, or the ``key`` (its last character)."""
    response = object_download(request, name)
    header = "X-Accel-Redirect" if response.has_header("X-Accel-Redirect") else "Location"
    url = response[header]
    if what == "signature":
        digit = url[-1]
        response[header] = url[:-1] + ("0" if digit != "0" else "1")
    else:
        path, _, query = url.partition("?")
        response[header] = path[:-1] + ("x" if path[-1] != "x" else "y") + "?" + query
    return response


def expired(request: HttpRequest, name: str) -> HttpResponseBase:
    """The answer for ``name`` signed for ``lifetime`` seconds (2), handed over ``wait``
    seconds (4) later. The store counts from the signing second, so a lifetime of 2
    leaves at least one second to use the URL in."""
    from sendfile_rs._django import storages as _storages

    file = stored(name)
    backend = request.GET.get("backend") or "nginx"
    options = _storages.store_options(file.storage)
    lifetime = int(request.GET.get("lifetime", "2"))
    sender = sendfile_rs.Sender(backend, None, **options, store_lifetime=lifetime)
    plan = sender.plan(name, method=request.method or "GET")
    time.sleep(float(request.GET.get("wait", "4")))
    response = HttpResponse(status=plan.status)
    del response["Content-Type"]
    for header, value in plan.wire_headers:
        response[header] = value
    return response


async def own(request: HttpRequest, name: str) -> StreamingHttpResponse:
    """The file as a view of its own streams it, headers and all made to look like
    sendfile_rs's: the ASGI wrapper must leave such an answer to Django."""
    planned = sendfile_rs.sendfile(request, name)

    async def content() -> AsyncIterator[bytes]:
        yield (Path(settings.SENDFILE_ROOT) / name).read_bytes()

    response = StreamingHttpResponse(content(), status=planned.status_code)
    for header, value in planned.items():
        response[header] = value
    planned.close()
    return response


urlpatterns = [
    path("files/<path:name>", download),
    path("rewritten/<path:name>", rewritten),
    path("gzip/<path:name>", gzip_page(download)),
    path("own/<path:name>", own),
    path("archive", archive),
]
if os.environ.get("STORE_ENDPOINT"):
    urlpatterns += [
        path("objects/<path:name>", object_download),
        path("raw", object_by_query),
        path("tampered/<str:what>/<path:name>", tampered),
        path("expired/<path:name>", expired),
    ]
if os.environ.get("SENDFILE_FAULTS"):
    urlpatterns.append(path("fault/<str:what>/<path:name>", fault))
