"""Request headers and status lines as WSGI has them."""

from __future__ import annotations

from http import HTTPStatus


def status_line(status: int) -> str:
    return f"{status} {HTTPStatus(status).phrase}"


def request_headers(environ: dict[str, object]) -> dict[str, str]:
    """The request headers of a WSGI environ, by their HTTP names."""
    return {
        key[5:].replace("_", "-"): value
        for key, value in environ.items()
        if key.startswith("HTTP_") and isinstance(value, str)
    }
