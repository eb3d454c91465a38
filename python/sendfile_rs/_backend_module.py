"""What a backend module offers: ``sendfile(request, filename, **kwargs)``, as in
django-sendfile2, for code that calls a backend module directly."""

from __future__ import annotations

from typing import Any, Callable


def make_backend(name: str) -> Callable[..., Any]:
    def sendfile(request: Any, filename: Any, **kwargs: Any) -> Any:
        from ._django import sendfile as django_sendfile

        return django_sendfile(request, filename, backend=name, **kwargs)

    sendfile.__doc__ = (
        f"The response that hands ``filename`` to the client with the {name} backend."
    )
    return sendfile
