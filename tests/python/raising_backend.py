"""A custom backend that fails as a backend reading the file would: ``error`` is raised."""

from pathlib import Path

from django.http import HttpRequest, HttpResponse

error: OSError = FileNotFoundError(2, "No such file or directory")


def sendfile(request: HttpRequest, filename: Path, **kwargs: object) -> HttpResponse:
    raise error
