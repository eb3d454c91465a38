"""The check's HTTP client: the standard library only, so it runs on any server; every
request goes to the URL template's scheme, host and port, and redirects are never
followed."""

from __future__ import annotations

import http.client
import ssl
import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass

#: More than any canary, enough to recognise a page; a larger body is cut here.
MAX_BODY = 1 << 20


class TemplateError(ValueError):
    """The URL template cannot be used."""


class Unreachable(Exception):
    """The site did not answer: no connection, a timeout, a broken answer."""


@dataclass(frozen=True)
class Answer:
    """What the client received."""

    status: int
    reason: str
    headers: tuple[tuple[str, str], ...]
    body: bytes

    def header(self, name: str) -> str | None:
        """Every line of header ``name`` (any case) joined with ", ", as one field; None
        when there is none."""
        return header_value(self.headers, name)

    def lines(self, name: str) -> list[str]:
        """The value of each line of header ``name`` (any case), in the order received."""
        return header_lines(self.headers, name)


def header_lines(headers: Sequence[tuple[str, str]], name: str) -> list[str]:
    """The value of each ``(name, value)`` pair named ``name`` (any case), in order."""
    lowered = name.lower()
    return [value for key, value in headers if key.lower() == lowered]


def header_value(headers: Sequence[tuple[str, str]], name: str) -> str | None:
    """Every line of header ``name`` joined with ", ", as a recipient may combine them
    (RFC 9110, 5.3): a second line that a server in front adds is read too, and a header
    that must appear once no longer compares equal when it appears twice. None when
    there is none."""
    values = header_lines(headers, name)
    return ", ".join(values) if values else None


class Client:
    """Requests for one site: the host of ``template``, the credentials in ``headers``."""

    def __init__(
        self, template: str, headers: Sequence[tuple[str, str]] = (), *, timeout: float = 30
    ) -> None:
        parts = urllib.parse.urlsplit(template)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise TemplateError(f"the URL template must start with http:// or https://: {template}")
        if template.count("{name}") != 1 or "{name}" not in parts.path:
            raise TemplateError(
                f"the URL template must hold {{name}} once, in its path: {template}"
            )
        if parts.fragment:
            raise TemplateError(f"the URL template must not hold a #fragment: {template}")
        self.template = template
        self._parts = parts
        self._headers = list(headers)
        self._timeout = timeout

    @property
    def site(self) -> str:
        """scheme://host:port, the only place requests go."""
        return f"{self._parts.scheme}://{self._parts.netloc}"

    @property
    def authenticated(self) -> bool:
        """Whether the requests carry credentials (a cookie or an Authorization header)."""
        return any(name.lower() in ("cookie", "authorization") for name, _ in self._headers)

    def target_for(self, name: str) -> str:
        """The request target for file ``name``, percent-encoded as a browser does."""
        path = self._parts.path.replace("{name}", urllib.parse.quote(name, safe="/"))
        return path + (f"?{self._parts.query}" if self._parts.query else "")

    def get(
        self, target: str, headers: Sequence[tuple[str, str]] = (), *, credentials: bool = True
    ) -> Answer:
        """GET ``target`` (a path, with its query) from the site; raises
        :class:`Unreachable` when no answer comes."""
        connection: http.client.HTTPConnection
        host, port = self._parts.hostname or "", self._parts.port
        if self._parts.scheme == "https":
            connection = http.client.HTTPSConnection(
                host, port, timeout=self._timeout, context=ssl.create_default_context()
            )
        else:
            connection = http.client.HTTPConnection(host, port, timeout=self._timeout)
        try:
            connection.putrequest("GET", target, skip_accept_encoding=True)
            # Identity only: a compressed body could not be compared with the file.
            connection.putheader("Accept-Encoding", "identity")
            connection.putheader("User-Agent", "sendfile_rs-check")
            for name, value in [*(self._headers if credentials else []), *headers]:
                connection.putheader(name, value)
            connection.endheaders()
            response = connection.getresponse()
            body = response.read(MAX_BODY)
            return Answer(response.status, response.reason, tuple(response.getheaders()), body)
        except http.client.HTTPException as error:
            raise Unreachable(f"{type(error).__name__}: {error}") from error
        except OSError as error:
            raise Unreachable(str(error) or type(error).__name__) from error
        finally:
            connection.close()
