"""The compiled part of sendfile_rs."""

import os
from collections.abc import Iterable, Iterator, Mapping
from types import TracebackType
from typing import Literal, TypeAlias, TypedDict, final

__all__ = [
    "BACKENDS",
    "DEFAULT_STORE_LIFETIME",
    "DEFAULT_STORE_LOCATION",
    "DEFAULT_STORE_REGION",
    "OPTION_NAMES",
    "PLAN_HEADERS",
    "STORE_ADDRESSINGS",
    "STORE_HIDDEN_HEADERS",
    "Backend",
    "Config",
    "ConfigurationError",
    "InvalidArgument",
    "NotFound",
    "OutsideRoot",
    "Plan",
    "SendfileError",
    "__version__",
    "store_location",
    "store_target",
]

__version__: str

@final
class Backend:
    """What one backend is, from the core's table."""
    @property
    def name(self) -> str: ...
    @property
    def sends_body(self) -> bool: ...
    @property
    def needs_url(self) -> bool: ...
    @property
    def development_only(self) -> bool: ...
    @property
    def front_servers(self) -> tuple[str, ...]: ...
    @property
    def handover_header(self) -> str | None: ...
    @property
    def proxies_stores(self) -> bool: ...

#: Every backend, in the core's order.
BACKENDS: tuple[Backend, ...]
#: The request headers a plan reads; it ignores every other.
PLAN_HEADERS: tuple[str, ...]
#: Every option's name that the text form takes, in the core's order; keyword arguments and
#: SENDFILE_OPTIONS also take ``content_types``, every media type as one mapping.
OPTION_NAMES: tuple[str, ...]
#: The store's answer headers that the nginx location hides from the client.
STORE_HIDDEN_HEADERS: tuple[str, ...]
#: The internal nginx location that proxies to an object store, by default.
DEFAULT_STORE_LOCATION: str
#: How long a presigned URL stays valid by default, in seconds.
DEFAULT_STORE_LIFETIME: int
#: The region a signature is scoped to when none is given.
DEFAULT_STORE_REGION: str
#: The names of a store's addressing: path-style (the default), then virtual-host.
STORE_ADDRESSINGS: tuple[str, ...]

class _StoreTarget(TypedDict):
    scheme: str
    host: str
    host_name: str
    port: int
    base_path: str

def store_target(endpoint: str, bucket: str, addressing: str = "path") -> _StoreTarget:
    """Where ``bucket`` at ``endpoint`` is reached, as the core signs it."""

def store_location(location: str) -> str:
    """The store's internal nginx location as plans name it, without a trailing slash."""

class SendfileError(Exception): ...
class NotFound(SendfileError): ...
class OutsideRoot(SendfileError): ...
class ConfigurationError(SendfileError): ...
class InvalidArgument(SendfileError): ...

_Headers: TypeAlias = Mapping[str, str | bytes] | Iterable[tuple[str, str | bytes]]

@final
class Config:
    def __new__(
        cls,
        backend: str,
        root: str | os.PathLike[str] | None,
        url: str | None = None,
        options: dict[str, object] | None = None,
    ) -> Config: ...
    @property
    def backend(self) -> str: ...
    @property
    def store_location(self) -> str | None:
        """The internal nginx location the plans name for objects in a store."""
    def plan(
        self,
        path: str | bytes | os.PathLike[str],
        *,
        method: str = "GET",
        headers: _Headers | None = None,
        attachment: bool = False,
        attachment_filename: str | bool | None = None,
        mimetype: str | None = None,
        encoding: str | None = None,
        content_length: int | None = None,
    ) -> Plan: ...
    def plan_archive(
        self,
        members: Iterable[_ArchiveMember],
        *,
        method: str = "GET",
        headers: _Headers | None = None,
        filename: str = "archive.zip",
    ) -> Plan: ...

_Path: TypeAlias = str | bytes | os.PathLike[str]
#: A member of an archive: a path, (path, name) or (path, name, crc32).
_ArchiveMember: TypeAlias = _Path | tuple[_Path, str] | tuple[_Path, str, int | None]

@final
class Plan:
    @property
    def status(self) -> int: ...
    @property
    def headers(self) -> list[tuple[str, str]]: ...
    @property
    def wire_headers(self) -> list[tuple[str, str]]: ...
    @property
    def content_length(self) -> int: ...
    @property
    def path(self) -> str | None: ...
    @property
    def file_size(self) -> int | None: ...
    @property
    def ranges(self) -> list[tuple[int, int]]: ...
    @property
    def body(self) -> Literal["empty", "file", "multipart", "archive"]: ...
    @property
    def tcp_cork(self) -> bool: ...
    @property
    def segment_count(self) -> int: ...
    def segment(self, index: int) -> bytes | tuple[int, int, int]: ...
    @property
    def closed(self) -> bool: ...
    def fileno(self) -> int | None: ...
    def close(self) -> None: ...
    def __enter__(self) -> Plan: ...
    def __exit__(
        self,
        *_exc: type[BaseException] | BaseException | TracebackType | None,
    ) -> None: ...
    def __iter__(self) -> Iterator[bytes]: ...
    def __next__(self) -> bytes: ...
