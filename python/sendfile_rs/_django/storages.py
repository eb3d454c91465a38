"""Files on django-storages' ``S3Storage``: ``sendfile(request, instance.file)`` names
the object, and nginx or the client fetches it from the store.

The store's endpoint, bucket, region, addressing, key prefix (``location``) and
credentials come from the storage itself, the rest (``SENDFILE_OPTIONS``) from the
settings; the core signs, checks the key and plans. Nothing here imports django-storages
or boto3 unless a file is on such a storage.
"""

from __future__ import annotations

import copy
import sys
import weakref
from typing import Any, NamedTuple

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import LazyObject, empty

from .._native import DEFAULT_STORE_REGION, STORE_ADDRESSINGS, Config, ConfigurationError

#: The module that defines ``S3Storage`` (``S3Boto3Storage`` is its subclass).
_S3_MODULE = "storages.backends.s3"

Credentials = tuple[str, str, "str | None"]


class _Built(NamedTuple):
    """A configuration and what it was built from: the credentials (temporary ones, an
    instance role's, are read again at every call) and SENDFILE_OPTIONS (a copy: a test
    may change it in place). A change to either builds a new configuration."""

    credentials: Credentials
    options: Any
    config: Config


#: One configuration per storage and backend; a storage that goes away takes its own.
_configs: weakref.WeakKeyDictionary[Any, dict[str, _Built]] = weakref.WeakKeyDictionary()
#: The boto3 session of each storage whose credentials boto3 finds (made once: a session
#: is slow to make, and it refreshes temporary credentials itself).
_sessions: weakref.WeakKeyDictionary[Any, Any] = weakref.WeakKeyDictionary()


def s3_storage_of(file: Any) -> Any | None:
    """The ``S3Storage`` that ``file`` (a ``FieldFile``) lives on, or None."""
    storage = getattr(file, "storage", None)
    if isinstance(storage, LazyObject):
        # Django's default_storage, which a FileField without storage= holds: the storage
        # it stands for, and the module of its class, exist only once it is first used,
        # and in a freshly started worker that is now.
        if storage._wrapped is empty:
            storage._setup()
        storage = storage._wrapped
    module = sys.modules.get(_S3_MODULE)
    if storage is None or module is None:
        # Without the module imported, no storage can be one of its classes.
        return None
    return storage if isinstance(storage, module.S3Storage) else None


def configured_s3_storages() -> list[tuple[str, Any]]:
    """The ``S3Storage`` instances of ``settings.STORAGES``, by alias."""
    found = []
    for alias, entry in (getattr(settings, "STORAGES", None) or {}).items():
        backend = entry.get("BACKEND", "") if isinstance(entry, dict) else ""
        if not backend.startswith("storages.backends."):
            continue
        from django.core.files.storage import storages
        from storages.backends.s3 import S3Storage  # type: ignore[import-untyped]

        storage = storages[alias]
        if isinstance(storage, S3Storage):
            found.append((alias, storage))
    return found


def locate(file: Any, backend: str) -> tuple[Config, str] | None:
    """The configuration and the key (below the storage's ``location``) that plan
    ``file`` when it lives on an ``S3Storage``; None for any other file."""
    storage = s3_storage_of(file)
    if storage is None:
        return None
    from storages.utils import clean_name  # type: ignore[import-untyped]

    # As the storage names its objects: Windows separators become '/', and '..' is
    # resolved on the text (the core then refuses any that climbs out of the location).
    return config_for(storage, backend), clean_name(file.name)


def config_for(storage: Any, backend: str) -> Config:
    """The core's configuration for objects on ``storage`` under ``backend``."""
    credentials = _credentials(storage)
    setting = getattr(settings, "SENDFILE_OPTIONS", None)
    by_backend = _configs.setdefault(storage, {})
    built = by_backend.get(backend)
    if built is not None and built.credentials == credentials and built.options == setting:
        return built.config
    options = dict(setting or {})
    options.update(store_options(storage, credentials))
    try:
        config = Config(backend, None, None, options)
    except ConfigurationError as error:
        raise ImproperlyConfigured(f"sendfile_rs: {error}") from error
    by_backend[backend] = _Built(credentials, copy.deepcopy(setting), config)
    return config


def store_options(storage: Any, credentials: Credentials | None = None) -> dict[str, object]:
    """The core's ``store_*`` options for ``storage``: what django-storages would reach."""
    access_key, secret_key, token = credentials or _credentials(storage)
    options: dict[str, object] = {
        "store_endpoint": endpoint_of(storage),
        "store_bucket": storage.bucket_name,
        "store_prefix": storage.location or "",
        "store_addressing": addressing_of(storage),
        "store_access_key": access_key,
        "store_secret_key": secret_key,
    }
    if storage.region_name:
        # Else the core's default region, which is boto3's too.
        options["store_region"] = storage.region_name
    if token:
        options["store_session_token"] = token
    return options


def endpoint_of(storage: Any) -> str:
    """``endpoint_url``, or AWS's regional endpoint as boto3 chooses it."""
    if storage.endpoint_url:
        return str(storage.endpoint_url).rstrip("/")
    scheme = "https" if storage.use_ssl else "http"
    region = storage.region_name or DEFAULT_STORE_REGION
    return f"{scheme}://s3.{region}.amazonaws.com"


def addressing_of(storage: Any) -> str:
    """``path`` or ``virtual``, as boto3 addresses the bucket: its ``auto`` (the default)
    is virtual-host on AWS and path-style on any other endpoint."""
    style = storage.addressing_style
    config = getattr(storage, "client_config", None)
    s3_config = getattr(config, "s3", None) or {}
    style = s3_config.get("addressing_style") or style
    if style in STORE_ADDRESSINGS:
        return str(style)
    path, virtual = STORE_ADDRESSINGS
    return path if storage.endpoint_url else virtual


def _credentials(storage: Any) -> Credentials:
    """The storage's keys, from its settings or, as boto3 finds them, from the
    environment, a profile or an instance role."""
    if storage.access_key and storage.secret_key and not storage.session_profile:
        return storage.access_key, storage.secret_key, storage.security_token
    session = _sessions.get(storage)
    if session is None:
        session = _sessions[storage] = storage._create_session()
    found = session.get_credentials()
    if found is None:
        raise ImproperlyConfigured(
            "sendfile_rs: the S3 storage has no credentials to sign URLs with "
            "(AWS_S3_ACCESS_KEY_ID and AWS_S3_SECRET_ACCESS_KEY, a profile or a role)"
        )
    frozen = found.get_frozen_credentials()
    return frozen.access_key, frozen.secret_key, frozen.token
