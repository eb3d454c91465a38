"""``manage.py sendfile_check URL_TEMPLATE``: check that the live site hands files over
right with this project's SENDFILE_* settings, as ``python -m sendfile_rs check`` does."""

from __future__ import annotations

import sys
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ..._django.settings import builtin_backend, config_from_settings
from ...deploy import doctor as _doctor


class Command(BaseCommand):
    help = (
        "Download canary files from the live site through URL_TEMPLATE ({name} where the "
        "file's path goes) and name what the deployment gets wrong. Exit status 0 when "
        "everything holds."
    )
    # Not Django's system checks first: one that fails (sendfile_rs.E004 for a root that
    # is no folder) would stop the command with status 1 and nothing on stdout. The check
    # judges the settings it needs itself: a check that cannot run exits 2, under --json
    # with the report python -m sendfile_rs check prints.
    requires_system_checks = ()

    def add_arguments(self, parser: CommandParser) -> None:
        _doctor.add_options(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        setting = getattr(settings, "SENDFILE_BACKEND", None) or ""
        backend = builtin_backend(setting)
        root = getattr(settings, "SENDFILE_ROOT", None)
        try:
            if backend is None:
                raise _doctor.CheckError(
                    f"SENDFILE_BACKEND is {setting!r}: the check knows the built-in backends only"
                )
            try:
                config = config_from_settings(backend)
            except ImproperlyConfigured as error:
                raise _doctor.CheckError(str(error)) from error
            status = _doctor.run(
                config,
                settings.SENDFILE_ROOT,
                template=options["template"],
                cookie=options["cookie"],
                header=options["header"],
                json=options["json"],
                timeout=options["timeout"],
                out=self.stdout,
            )
        except _doctor.CheckError as error:
            _doctor.cannot_run(
                error,
                template=options["template"],
                backend=backend or str(setting),
                root=root,
                json=options["json"],
                out=self.stdout,
            )
            raise CommandError(str(error), returncode=2) from error
        if status:
            sys.exit(status)
