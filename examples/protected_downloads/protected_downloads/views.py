"""The views: only a logged-in user sees and downloads the files."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render

import sendfile_rs


@login_required
def index(request: HttpRequest) -> HttpResponse:
    root = settings.SENDFILE_ROOT
    files = sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())
    videos = [name for name in files if name.endswith((".mp4", ".webm"))]
    return render(request, "index.html", {"files": files, "videos": videos})


@login_required
def download(request: HttpRequest, name: str) -> HttpResponseBase:
    # The user may have the file: hand it over. The path is checked under the root.
    return sendfile_rs.sendfile(request, name, attachment=request.GET.get("download") == "1")
