"""A custom backend for the oracle test: a module with sendfile(), as django-sendfile2
documents them, that shows in its headers everything it was given."""

from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.http import HttpRequest, HttpResponse


def sendfile(request: HttpRequest, filename: Path, **kwargs: Any) -> HttpResponse:
    response = HttpResponse()
    response["X-Backend-File"] = f"{type(filename).__name__}:{quote(str(filename))}"
    response["X-Backend-Arguments"] = repr(sorted(kwargs.items()))
    return response
