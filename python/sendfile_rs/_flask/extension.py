"""``Sendfile(app)`` / ``Sendfile().init_app(app)``: the extension of a Flask or Quart
application. It keeps the application's configurations in ``app.extensions`` and adds the
``sendfile`` command group to its CLI; ``send_file`` works without it, reading the same
settings."""

from __future__ import annotations

from typing import Any

from .cli import command_group
from .settings import configurations


class Sendfile:
    """The extension: ``Sendfile(app)``, or ``sendfile = Sendfile()`` then
    ``sendfile.init_app(app)`` in an application factory."""

    def __init__(self, app: Any = None) -> None:
        if app is not None:
            self.init_app(app)

    def init_app(self, app: Any) -> None:
        configurations(app)
        app.cli.add_command(command_group(app, type(app.cli)))
