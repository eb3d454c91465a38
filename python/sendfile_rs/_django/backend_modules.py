"""What a backend module offers: ``sendfile(request, filename, **kwargs)``, as in
django-sendfile2, for code that calls a backend module directly."""

from __future__ import annotations

from typing import Any, Callable


def make_backend(name: str) -> Callable[..., Any]:
    def sendfile(request: Any, filename: Any, **kwargs: Any) -> Any:
        from .send import backend_sendfile

        return backend_sendfile(name, request, filename, **kwargs)

    sendfile.__doc__ = (
        f"The response that hands ``filename`` to the client with the {name} backend; "
        "without SENDFILE_ROOT, ``filename`` is an absolute path confined to its own folder."
    )
    return sendfile
