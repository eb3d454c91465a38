"""A custom backend, as django-sendfile2 documents them: a module with sendfile()."""

from pathlib import Path
from typing import Any

from django.http import HttpRequest, HttpResponse

calls: list[tuple[Path, dict[str, Any]]] = []


def sendfile(request: HttpRequest, filename: Path, **kwargs: Any) -> HttpResponse:
    calls.append((filename, kwargs))
    response = HttpResponse(status=200)
    response["X-Custom-Path"] = str(filename)
    return response
