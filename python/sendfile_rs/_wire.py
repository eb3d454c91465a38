"""Headers and status lines as WSGI servers want them."""

from __future__ import annotations

from http import HTTPStatus


def wire_value(value: str) -> str:
    """A header value as a WSGI native string: its UTF-8 bytes, one latin-1 character each.

    Servers encode header strings as latin-1, so this puts the UTF-8 bytes on the wire, as
    mod_xsendfile needs for an ``X-Sendfile`` path with non-ASCII characters.
    """
    return value.encode("utf-8").decode("latin-1")


def status_line(status: int) -> str:
    return f"{status} {HTTPStatus(status).phrase}"


def request_headers(environ: dict[str, object]) -> dict[str, str]:
    """The request headers of a WSGI environ, by their HTTP names."""
    return {
        key[5:].replace("_", "-"): value
        for key, value in environ.items()
        if key.startswith("HTTP_") and isinstance(value, str)
    }
