"""One view: /files/<path> sends that file with the configured backend."""

from django.http import HttpRequest, HttpResponseBase
from django.urls import path

import sendfile_rs


def download(request: HttpRequest, name: str) -> HttpResponseBase:
    attachment = request.GET.get("attachment") == "1"
    return sendfile_rs.sendfile(request, name, attachment=attachment)


urlpatterns = [path("files/<path:name>", download)]
