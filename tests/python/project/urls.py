"""/files/<path> sends that file with the configured backend (``?backend=`` picks another,
``?attachment=1`` makes it a download); /rewritten/<path> sends it and then rewrites its
Content-Length, as some callers of ``sendfile()`` do. With SENDFILE_FAULTS set,
/fault/<what>/<path> also breaks things between the plan and the sending, for
tests/python/test_faults.py."""

import errno
import os
from pathlib import Path

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.urls import path

import sendfile_rs


def download(request: HttpRequest, name: str) -> HttpResponseBase:
    attachment = request.GET.get("attachment") == "1"
    backend = request.GET.get("backend")
    return sendfile_rs.sendfile(request, name, attachment=attachment, backend=backend)


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


urlpatterns = [
    path("files/<path:name>", download),
    path("rewritten/<path:name>", rewritten),
]
if os.environ.get("SENDFILE_FAULTS"):
    urlpatterns.append(path("fault/<str:what>/<path:name>", fault))
