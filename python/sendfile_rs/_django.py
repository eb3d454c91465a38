"""The Django integration: ``sendfile()`` as django-sendfile2 has it, done right.

The SENDFILE_* settings are read at every call, as django-sendfile2 reads them, so a
change however made (``override_settings``, ``settings.SENDFILE_ROOT = ...`` in a test's
``setUp``, code at run time) is seen by the next call. The configuration built from them
is kept for as long as the values read are the same.
"""

from __future__ import annotations

import copy
import importlib
import os
import weakref
from collections.abc import AsyncIterator, Mapping
from pathlib import Path
from typing import Any, Callable, NamedTuple, Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.http.response import ResponseHeaders

from . import _storages
from ._body import asgi_chunks, wsgi_body
from ._native import (
    BACKENDS,
    PLAN_HEADERS,
    Backend,
    Config,
    ConfigurationError,
    NotFound,
    OutsideRoot,
    Plan,
)
from ._range_file import CHUNK, RangeFile
from .asgi import hand_over

#: The backends this package implements, by the last part of their module name, with
#: what the core says each one is.
_FACTS: dict[str, Backend] = {backend.name: backend for backend in BACKENDS}
BUILTIN_BACKENDS = tuple(_FACTS)

#: The backend whose plan a custom backend is handed (the path, type, name and size):
#: lighttpd's, a header-only one that needs no URL and whose handover takes any name (a
#: raw X-Sendfile refuses control characters); the custom answer drops its header.
_CUSTOM_PLANNER = _FACTS["lighttpd"].name

#: The package spellings under which SENDFILE_BACKEND may name a built-in backend.
BACKEND_PACKAGES = ("sendfile_rs.backends.", "django_sendfile.backends.", "sendfile.backends.")


def builtin_backend(setting: str) -> str | None:
    """The built-in backend a ``SENDFILE_BACKEND`` value names, or None for a custom one."""
    try:
        return _backend_names[setting]
    except KeyError:
        name = _backend_names[setting] = _parse_backend(setting)
        return name


_backend_names: dict[str, str | None] = {}


def _parse_backend(setting: str) -> str | None:
    for package in BACKEND_PACKAGES:
        name = setting[len(package) :] if setting.startswith(package) else None
        if name in BUILTIN_BACKENDS:
            return name
    return setting if setting in BUILTIN_BACKENDS else None


#: Django's own cache of the settings read so far: LazySettings keeps each value it finds
#: in its ``__dict__``, an assignment or ``del`` drops that entry, and ``override_settings``
#: (which swaps the settings object, ``_wrapped``) clears them all. The dictionary is the
#: same object for the life of the process.
_read_by_django: dict[str, Any] = vars(settings)

_ABSENT = object()

#: The settings a configuration is built from, and their values when they are not set.
_CONFIG_SETTINGS = (
    ("SENDFILE_ROOT", None),
    ("SENDFILE_URL", None),
    ("SENDFILE_CHECK_FILE_EXISTS", True),
    ("SENDFILE_OPTIONS", None),
)
_NAMES = tuple(name for name, _ in _CONFIG_SETTINGS)
_ABSENTS = (_ABSENT,) * len(_NAMES)


def _setting(name: str, default: Any) -> Any:
    """The current value of the setting ``name``, from Django's cache when it is there."""
    value = _read_by_django.get(name, _ABSENT)
    return getattr(settings, name, default) if value is _ABSENT else value


class _Built(NamedTuple):
    """A configuration and what it was built from."""

    #: Django's cache of the settings, as read after building (a deep copy: a test may
    #: change SENDFILE_OPTIONS in place).
    read: tuple[Any, ...]
    #: The settings object in use then.
    wrapped: object
    #: The settings that were not set: they stay so while ``wrapped`` is in use and no
    #: assignment has put them on it.
    missing: tuple[str, ...]
    config: Config


#: For each backend name, the configuration last built.
_configs: dict[str, _Built] = {}


def config_from_settings(backend: str) -> Config:
    """The configuration for ``backend`` under the current settings.

    The settings are read at every call, at the cost of a few dictionary lookups:
    ``settings.NAME`` would do, but for a setting that is not set Django raises and catches
    an AttributeError, about 2 us, a fifth of a whole call.
    """
    built = _configs.get(backend)
    if (
        built is not None
        and _read_by_django.get("_wrapped") is built.wrapped
        and tuple(map(_read_by_django.get, _NAMES, _ABSENTS)) == built.read
        and vars(built.wrapped).keys().isdisjoint(built.missing)
    ):
        return built.config
    values = []
    missing = []
    for name, default in _CONFIG_SETTINGS:
        value = getattr(settings, name, _ABSENT)
        if value is _ABSENT:
            missing.append(name)
            value = default
        values.append(value)
    config = _build_config(backend, *values)
    read = tuple(map(_read_by_django.get, _NAMES, _ABSENTS))
    # Kept only while Django caches every setting it has, so that the next call can trust
    # its cache.
    if read.count(_ABSENT) == len(missing):
        _configs[backend] = _Built(
            copy.deepcopy(read, {id(_ABSENT): _ABSENT}),
            _read_by_django.get("_wrapped"),
            tuple(missing),
            config,
        )
    return config


def _build_config(
    backend: str, root: Any, url: Any, check_file_exists: Any, options_setting: Any
) -> Config:
    if not root:
        raise ImproperlyConfigured("You must specify a value for SENDFILE_ROOT")
    if url is None and _FACTS[backend].needs_url:
        # As django-sendfile2: without SENDFILE_URL the file's absolute path is the URL.
        url = os.fspath(root)
    options = dict(options_setting or {})
    options.setdefault("check_file_exists", check_file_exists)
    try:
        return Config(backend, os.fspath(root), url, options)
    except ConfigurationError as error:
        raise ImproperlyConfigured(f"sendfile_rs: {error}") from error


#: The request headers a plan reads (the core's list), by their WSGI environ keys.
_PLAN_HEADERS = tuple(("HTTP_" + name.upper().replace("-", "_"), name) for name in PLAN_HEADERS)


def _plan_headers(meta: dict[str, Any]) -> list[tuple[str, str]] | None:
    """The headers that matter to a plan the application sends; None when there are none."""
    headers = [(name, meta[key]) for key, name in _PLAN_HEADERS if key in meta]
    return headers or None


def path_of(filename: Any) -> str:
    """The path of a str, ``os.PathLike``, or Django ``File``/``FieldFile``."""
    if isinstance(filename, (str, os.PathLike)):
        return os.fspath(filename)
    for attribute in ("path", "name"):
        try:
            value = getattr(filename, attribute, None)
        except (NotImplementedError, ValueError) as error:
            raise ValueError(
                f"{filename!r} is not stored on the local file system: {error}"
            ) from error
        if value:
            return str(os.fspath(value))
    raise TypeError(f"cannot send {filename!r}: give a path, a File or a FieldFile")


def sendfile(
    request: HttpRequest,
    filename: Any,
    attachment: bool = False,
    attachment_filename: str | bool | None = None,
    mimetype: str | None = None,
    encoding: str | None = None,
    content_length: int | None = None,
    *,
    backend: str | None = None,
) -> HttpResponseBase:
    """The Django view helper: the response that hands ``filename`` to the client.

    Reads ``SENDFILE_BACKEND``, ``SENDFILE_ROOT``, ``SENDFILE_URL``,
    ``SENDFILE_CHECK_FILE_EXISTS`` and ``SENDFILE_OPTIONS`` at each call; ``backend``
    chooses another backend for this call.
    ``filename`` is a path (str or ``os.PathLike``, absolute or relative to the root) or
    a Django ``File`` / ``FieldFile`` stored on a ``FileSystemStorage``, or a ``FieldFile``
    on django-storages' ``S3Storage``, handed over from the store. Raises
    ``Http404`` for a missing file or one outside the root, ``ImproperlyConfigured`` for
    missing or wrong settings.
    """
    setting = backend or _setting("SENDFILE_BACKEND", None)
    if not setting:
        raise ImproperlyConfigured("You must specify a value for SENDFILE_BACKEND")
    name = builtin_backend(setting)
    # A file on django-storages' S3Storage is an object in a store: nginx proxies it or
    # the client is redirected to it (sendfile_rs/_storages.py).
    located = _storages.locate(filename, name) if name else None
    # A custom backend still gets the path checks and presentation headers, and is handed
    # the plan's path (see _CUSTOM_PLANNER).
    config, path = located or (config_from_settings(name or _CUSTOM_PLANNER), path_of(filename))
    return _answer(
        config,
        setting,
        request,
        path,
        attachment,
        attachment_filename,
        mimetype,
        encoding,
        content_length,
    )


def backend_sendfile(
    backend: str, request: HttpRequest, filename: Any, **options: Any
) -> HttpResponseBase:
    """What a backend module's ``sendfile(request, filename, **options)`` answers, with
    the options of ``sendfile()``.

    With ``SENDFILE_ROOT`` set, the same as ``sendfile()`` with that backend. Without it,
    as django-sendfile2's backend modules allow (Wagtail calls them so), ``filename`` must
    be an absolute path, and the file's own folder stands in for the root: the file must
    be a regular file in that folder, reached without a symbolic link out of it; ``..``
    is resolved on the text first, as everywhere.
    """
    if _setting("SENDFILE_ROOT", None):
        return sendfile(request, filename, backend=backend, **options)
    path = path_of(filename)
    if not os.path.isabs(path):
        raise ImproperlyConfigured(
            f"SENDFILE_ROOT is not set, so the {backend} backend needs an absolute path, "
            f"not {path!r}; set SENDFILE_ROOT to send paths relative to it"
        )
    if _FACTS[backend].needs_url and _setting("SENDFILE_URL", None) is not None:
        raise ImproperlyConfigured(
            "SENDFILE_URL is set and SENDFILE_ROOT is not: the URL stands for the root, "
            "so set SENDFILE_ROOT to the folder the front server maps to SENDFILE_URL"
        )
    folder, name = os.path.split(os.path.normpath(path))
    # A configuration per call (well under a microsecond): the folder changes with the file.
    config = _build_config(
        backend,
        folder,
        None,
        _setting("SENDFILE_CHECK_FILE_EXISTS", True),
        _setting("SENDFILE_OPTIONS", None),
    )
    return _answer(config, backend, request, name, **options)


def _answer(
    config: Config,
    setting: str,
    request: HttpRequest,
    path: str,
    attachment: bool = False,
    attachment_filename: str | bool | None = None,
    mimetype: str | None = None,
    encoding: str | None = None,
    content_length: int | None = None,
) -> HttpResponseBase:
    """The response for ``path`` planned with ``config``, from the backend ``setting``
    names (a built-in one, or a custom module)."""
    name = builtin_backend(setting)
    # Only the backends that send the body read the request headers. The method goes to
    # every plan: a redirect to an object in a store is signed for it (a HEAD follows a
    # redirect as HEAD), and a front server's handover ignores it.
    sends_body = name is not None and _FACTS[name].sends_body
    try:
        plan = config.plan(
            path,
            method=request.method or "GET",
            headers=_plan_headers(request.META) if sends_body else None,
            attachment=attachment,
            attachment_filename=attachment_filename,
            mimetype=mimetype,
            encoding=encoding,
            content_length=content_length,
        )
    except (NotFound, OutsideRoot) as error:
        raise Http404(str(error)) from error
    if name is None:
        return _custom_response(setting, request, plan, mimetype, encoding)
    if sends_body:
        return served_response(plan, request)
    return _headers_only_response(plan)


def _headers_only_response(plan: Plan) -> HttpResponse:
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
    body goes to the wrapper, which sends it by pathsend or in large chunks.
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


def _custom_response(
    setting: str, request: HttpRequest, plan: Plan, mimetype: str | None, encoding: str | None
) -> HttpResponseBase:
    """A custom backend's response with the headers django-sendfile2 adds around it."""
    try:
        backend: Callable[..., HttpResponseBase] = importlib.import_module(setting).sendfile
    except (ImportError, AttributeError) as error:
        raise ImproperlyConfigured(
            f"SENDFILE_BACKEND {setting!r} is neither a built-in backend "
            f"({', '.join(BUILTIN_BACKENDS)}) nor a module with a "
            f"sendfile(request, filename, **kwargs) function: {error}"
        ) from error
    headers = dict(plan.headers)
    content_type = headers["Content-Type"]
    if plan.path is None:
        raise ImproperlyConfigured(
            f"SENDFILE_BACKEND {setting!r} is a custom backend, which is handed a local path, "
            "and this file has none"
        )
    path = Path(plan.path)
    try:
        # As django-sendfile2 calls it: the path, and the mimetype the caller gave (or None).
        response = backend(request, path, mimetype=mimetype)
    except FileNotFoundError as error:
        # As django-sendfile2, which catches exactly this: the client's 404, not a 500.
        raise Http404(
            f"not found: {path.name}: the backend {setting} found no such file"
        ) from error
    response["Content-Disposition"] = headers["Content-Disposition"]
    if plan.file_size is not None:
        response["Content-Length"] = str(plan.file_size)
    response["Content-Type"] = content_type
    if encoding:
        response["Content-Encoding"] = encoding
    return response
