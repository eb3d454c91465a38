"""/<peer>/<name>: the same file through each peer."""

from pathlib import Path

from django.conf import settings
from django.http import FileResponse, HttpRequest, HttpResponseBase
from django.urls import path
from django_sendfile.utils import sendfile as sendfile2

import sendfile_rs
from sendfile_rs._django.responses import served_response


def with_sendfile_rs(request: HttpRequest, name: str) -> HttpResponseBase:
    return sendfile_rs.sendfile(request, name, backend="simple")


#: The simple backend with the ``tcp_cork`` option, beside the default in the same process.
CORKED = sendfile_rs.Sender("simple", settings.SENDFILE_ROOT, tcp_cork=True)


def with_sendfile_rs_corked(request: HttpRequest, name: str) -> HttpResponseBase:
    plan = CORKED.plan(name, method=request.method or "GET", headers=request.headers)
    return served_response(plan, request)


def with_file_response(request: HttpRequest, name: str) -> HttpResponseBase:
    return FileResponse(open(Path(settings.SENDFILE_ROOT) / name, "rb"))


def with_sendfile2(request: HttpRequest, name: str) -> HttpResponseBase:
    return sendfile2(request, str(Path(settings.SENDFILE_ROOT) / name))


urlpatterns = [
    path("sendfile_rs/<path:name>", with_sendfile_rs),
    path("sendfile_rs_corked/<path:name>", with_sendfile_rs_corked),
    path("fileresponse/<path:name>", with_file_response),
    path("sendfile2/<path:name>", with_sendfile2),
]
