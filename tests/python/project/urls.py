"""One view: /files/<path> sends that file with the configured backend."""

import sendfile_rs
from django.http import HttpRequest, HttpResponseBase
from django.urls import path


def download(request: HttpRequest, name: str) -> HttpResponseBase:
    attachment = request.GET.get("attachment") == "1"
    return sendfile_rs.sendfile(request, name, attachment=attachment)


urlpatterns = [path("files/<path:name>", download)]
