"""``manage.py sendfile_config [server]``: the front-server configuration for this
project's SENDFILE_* settings, as ``python -m sendfile_rs config`` writes it."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ..._django import storages as _storages
from ..._django.settings import builtin_backend
from ...deploy import front_config


class Command(BaseCommand):
    help = "Print the front-server configuration that matches the SENDFILE_* settings."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "server",
            nargs="?",
            choices=front_config.SERVERS,
            help="the front server; by default the one SENDFILE_BACKEND is made for",
        )
        parser.add_argument(
            "--upstream",
            default="127.0.0.1:8000",
            help="where the front server reaches this application, host:port (lighttpd, caddy)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        setting = getattr(settings, "SENDFILE_BACKEND", None) or ""
        backend = builtin_backend(setting)
        server = options["server"] or front_config.DEFAULT_SERVER.get(backend or "")
        if server is None:
            raise CommandError(
                f"SENDFILE_BACKEND is {setting!r}, which sends files from the application: "
                "no front-server configuration is needed"
            )
        if front_config.BACKEND_OF_SERVER[server] != backend:
            raise CommandError(
                f"{server} works with the {front_config.BACKEND_OF_SERVER[server]} backend, "
                f"but SENDFILE_BACKEND is {setting!r}"
            )
        root = getattr(settings, "SENDFILE_ROOT", None)
        # nginx proxies the objects of the project's S3Storages; other servers need
        # nothing for them (the application redirects to the store).
        proxies = server in front_config.STORE_PROXIES
        stores = _stores(front_config.BACKEND_OF_SERVER[server]) if proxies else []
        if not root and not stores:
            raise CommandError("SENDFILE_ROOT is not set")
        # As the backends do: without SENDFILE_URL the root's path is the URL.
        url = getattr(settings, "SENDFILE_URL", None) or (os.fspath(root) if root else None)
        script, python_path = _wsgi_script()
        in_virtual_environment = sys.prefix != sys.base_prefix
        try:
            text = front_config.for_server(
                server,
                root=root or None,
                url=url,
                stores=stores,
                upstream=options["upstream"],
                wsgi_script=script,
                python_path=python_path,
                python_home=sys.prefix if in_virtual_environment else None,
            )
        except front_config.FrontConfigError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(text, ending="")


def _stores(backend: str) -> list[front_config.Store]:
    """The stores of the project's S3Storages, each once, at the location their plans
    under ``backend`` name (SENDFILE_OPTIONS' store_location, as the core reads it)."""
    stores: dict[tuple[str, str], front_config.Store] = {}
    for alias, storage in _storages.configured_s3_storages():
        try:
            location = _storages.config_for(storage, backend).store_location
        except ImproperlyConfigured as error:
            raise CommandError(f"STORAGES[{alias!r}]: {error}") from error
        assert location is not None, "a store's configuration names its location"
        endpoint, addressing = _storages.endpoint_of(storage), _storages.addressing_of(storage)
        # Path-style buckets of one endpoint share its host, so one location serves them.
        host = endpoint if addressing == "path" else f"{storage.bucket_name}.{endpoint}"
        stores.setdefault(
            (host, location),
            front_config.Store(endpoint, storage.bucket_name, addressing, location),
        )
    return list(stores.values())


def _wsgi_script() -> tuple[str | None, list[str]]:
    """The file of WSGI_APPLICATION's module, and the folder its top package is in."""
    application = getattr(settings, "WSGI_APPLICATION", None)
    if not application:
        return None, []
    module = application.rpartition(".")[0]
    spec = importlib.util.find_spec(module)
    if spec is None or spec.origin is None:
        return None, []
    origin = Path(spec.origin).resolve()
    return str(origin), [str(origin.parents[module.count(".")])]
