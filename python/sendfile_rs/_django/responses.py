"""The Django responses of a plan: the header-only answer, and the answer whose body the
application sends (the descriptor through ``wsgi.file_wrapper``, multipart chunks, or
chunks under ASGI), with framing headers that keep the plan's values."""

from __future__ import annotations

import weakref
from collections.abc import AsyncIterator, Mapping
from typing import Any, Protocol

from django.http import HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.http.response import ResponseHeaders

from .._native import Plan
from .._servers.body import asgi_chunks, wsgi_body
from .._servers.range_file import CHUNK, RangeFile
from .asgi import hand_over


def headers_only_response(plan: Plan) -> HttpResponse:
    response = HttpResponse(status=plan.status)
    set_headers(response, plan)
    return response


def served_response(plan: Plan, request: HttpRequest) -> HttpResponseBase:
    """The answer when Django sends the body: the descriptor itself through
    ``wsgi.file_wrapper`` (sendfile(2) in gunicorn and uWSGI) for a 200 or one range, the
    plan's chunks for a multipart body; under ASGI, chunks read off the event loop, or
    the body handed to ``sendfile_rs.asgi.wrap`` (see ``AsgiPlanResponse``). Its framing
    headers keep the plan's values while it carries the plan's body (see
    ``FramedHeaders``)."""
    response: EmptyBodyResponse | PlanStreamingResponse
    scope = _asgi_scope(request) if plan.body != "empty" else None
    if scope is not None:
        response = AsgiPlanResponse(plan, scope)
    else:
        body = wsgi_body(plan, request.META)
        if body is None:
            response = EmptyBodyResponse(status=plan.status)
        elif isinstance(body, RangeFile):
            response = DescriptorResponse(body, plan.status)
        else:
            response = PlanStreamingResponse(body, plan.status)
    held = MULTIPART_FRAMING if plan.body == "multipart" else FRAMING
    response.headers = FramedHeaders(response, plan, held)
    return response


#: The headers that say where the body ends and what its bytes are, by their lower-case
#: names: a caller that rewrites them after ``sendfile()`` (Wagtail sets Content-Length
#: to the file's size, on a 206 too) would make the answer malformed, so they keep the
#: plan's values (or its absence of them) while the body is the plan's.
FRAMING = frozenset({"content-length", "content-range"})
#: A multipart body's Content-Type carries its boundary, and is held too.
MULTIPART_FRAMING = FRAMING | {"content-type"}


class FramedHeaders(ResponseHeaders):
    """The headers of a response whose body a plan made.

    Assigning or deleting a held header (``FRAMING``) does nothing while the response
    still carries the plan's body, so the length, range and boundary always describe the
    bytes that are sent; a caller that sets the right value sees no difference. Once a
    middleware replaces the body (GZipMiddleware compresses it), the framing is the
    replacer's, and every header is as free as on any response.
    """

    def __init__(self, response: PlanBodyResponse, plan: Plan, held: frozenset[str]) -> None:
        """The plan's headers, and only those (Django's default Content-Type goes), with
        ``held`` (lower-case names) kept for ``response``."""
        super().__init__({})
        # Stored as the base class stores a header once it has checked it: the plan's
        # are wire-ready (latin-1 text without CR, LF or NUL), and the checks cost a
        # microsecond per answer.
        self._store = {name.lower(): (name, value) for name, value in plan.wire_headers}
        # Weak, as the response holds its headers: no reference cycle outlives a request.
        self._response = weakref.ref(response)
        self._held = held

    def _holds(self, key: str) -> bool:
        if key.lower() not in self._held:
            return False
        response = self._response()
        return response is not None and response.carries_plan_body()

    def __setitem__(self, key: str, value: str | bytes | int) -> None:
        if not self._holds(key):
            super().__setitem__(key, value)

    def pop(self, key: str, default: Any = None) -> Any:
        if self._holds(key):
            return self._store.get(key.lower(), default)
        return super().pop(key, default)


class PlanBodyResponse(Protocol):
    """A response that knows whether its body is still the plan's."""

    def carries_plan_body(self) -> bool: ...


class EmptyBodyResponse(HttpResponse):
    """A plan's answer without a body: 304, 412, 416, and HEAD."""

    def carries_plan_body(self) -> bool:
        return not self.content


class PlanStreamingResponse(StreamingHttpResponse):
    """A streaming response of the plan's body (multipart chunks, or chunks for ASGI)."""

    def __init__(self, body: Any, status: int) -> None:
        self._body = body
        super().__init__(body, status=status)

    def _set_streaming_content(self, value: Any) -> None:
        # Called with the plan's body by __init__, and with another by a middleware that
        # replaces it; django-stubs leaves the private hook out.
        self._carries_plan_body = value is self._body
        super()._set_streaming_content(value)  # type: ignore[misc]

    def carries_plan_body(self) -> bool:
        return self._carries_plan_body


class DescriptorResponse(PlanStreamingResponse):
    """A streaming response whose file Django's WSGI handler hands to
    ``wsgi.file_wrapper``, as it does for ``FileResponse``."""

    block_size = CHUNK

    def __init__(self, file: RangeFile, status: int) -> None:
        self._file = file
        super().__init__(file, status)

    def _set_streaming_content(self, value: Any) -> None:
        # A middleware that replaces the body (GZipMiddleware compresses it) must be
        # obeyed: the server then sends the new body, not the descriptor. Django's own
        # FileResponse overrides this same hook for this reason.
        self.file_to_stream = value if value is self._file else None
        super()._set_streaming_content(value)

    def close(self) -> None:
        # Django swallows errors of the closers it runs, and the server must see a file
        # that shrank to drop the connection of the cut-short answer: close the file
        # first (its second close, among Django's closers, does nothing). Through the
        # class, because Django's WSGI handler sets the file's ``close`` to this method.
        try:
            RangeFile.close(self._file)
        finally:
            super().close()


def set_headers(response: HttpResponseBase, plan: Plan) -> None:
    """Puts the plan's headers on the response, and only those: Django's default
    Content-Type goes when the plan has none (304, 412, 416)."""
    headers = plan.wire_headers
    if not headers or headers[0][0] != "Content-Type":
        del response["Content-Type"]
    for name, value in headers:
        response[name] = value


def _asgi_scope(request: HttpRequest) -> Mapping[str, Any] | None:
    """The ASGI scope of a request Django's ASGI handler made, or None under WSGI."""
    from django.core.handlers.asgi import ASGIRequest

    return request.scope if isinstance(request, ASGIRequest) else None


class AsgiPlanResponse(PlanStreamingResponse):
    """The simple backend's answer under ASGI: the plan's body as an async iterator, read
    off the event loop in large blocks, so Django's handler never reads a file whole (it
    does for a synchronous iterator).

    Django's ASGI handler sends a response's body by iterating ``aiter(response)``. When
    the response still carries the plan's body then (no middleware replaced it) and
    ``sendfile_rs.asgi.wrap`` is around the application, that iteration is empty and the
    body goes to the wrapper, which sends it by zerocopysend, pathsend or in large chunks.
    """

    def __init__(self, plan: Plan, scope: Mapping[str, Any]) -> None:
        super().__init__(asgi_chunks(plan, scope), plan.status)

    def __aiter__(self) -> AsyncIterator[bytes]:
        if self.carries_plan_body() and hand_over(self._body):
            return _nothing()
        return super().__aiter__()


async def _nothing() -> AsyncIterator[bytes]:
    return
    yield
