"""``flask sendfile config [SERVER]`` and ``flask sendfile check URL_TEMPLATE`` (and
``quart sendfile ...``): the front-server configuration and the deployment check for the
application's SENDFILE_* settings, as ``manage.py sendfile_config`` and ``manage.py
sendfile_check`` give them for Django: the same output on stdout and the same exit
statuses (1 for settings the configuration cannot be written for, 2 for a check that
cannot run). The check takes the options of ``python -m sendfile_rs check``, parsed by the
same parser (``deploy.doctor.add_options``).
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

import click

from .._native import ConfigurationError
from ..deploy import doctor as _doctor
from ..deploy import front_config
from .settings import App, backend_of, configured


def command_group(app: App, group_class: type[click.Group]) -> click.Group:
    """The ``sendfile`` command group of ``app``, of its CLI's own group class (Flask's
    or Quart's ``AppGroup``)."""
    group = group_class("sendfile", help="The front server's configuration and check.")

    @group.command("config")
    @click.argument("server", required=False, type=click.Choice(front_config.SERVERS))
    @click.option(
        "--upstream",
        default="127.0.0.1:8000",
        help="where the front server reaches this application, host:port (lighttpd, caddy)",
    )
    def config(server: str | None, upstream: str) -> None:
        """Print the front-server configuration that matches the SENDFILE_* settings."""
        click.echo(config_text(app, server, upstream), nl=False)

    @group.command(
        "check",
        context_settings={"ignore_unknown_options": True, "help_option_names": []},
    )
    @click.argument("arguments", nargs=-1, type=click.UNPROCESSED)
    def check(arguments: tuple[str, ...]) -> None:
        """Download canary files from the live site through URL_TEMPLATE and name what the
        deployment gets wrong; exit status 0 when everything holds (--help for more)."""
        sys.exit(run_check(app, list(arguments)))

    return group


def config_text(app: App, server: str | None, upstream: str) -> str:
    """The configuration ``manage.py sendfile_config`` writes for the same settings."""
    setting = app.config.get("SENDFILE_BACKEND") or ""
    try:
        backend = backend_of(setting)
    except ConfigurationError:
        backend = ""
    server = server or front_config.DEFAULT_SERVER.get(backend)
    if server is None:
        raise click.ClickException(
            f"SENDFILE_BACKEND is {setting!r}, which sends files from the application: "
            "no front-server configuration is needed"
        )
    if front_config.BACKEND_OF_SERVER[server] != backend:
        raise click.ClickException(
            f"{server} works with the {front_config.BACKEND_OF_SERVER[server]} backend, "
            f"but SENDFILE_BACKEND is {setting!r}"
        )
    root = app.config.get("SENDFILE_ROOT")
    if not root:
        raise click.ClickException("SENDFILE_ROOT is not set")
    root = os.path.join(app.root_path, os.fspath(root))
    url = app.config.get("SENDFILE_URL") or root
    in_virtual_environment = sys.prefix != sys.base_prefix
    try:
        return front_config.for_server(
            server,
            root=root,
            url=url,
            stores=[],
            upstream=upstream,
            wsgi_script=None,
            python_path=[],
            python_home=sys.prefix if in_virtual_environment else None,
        )
    except front_config.FrontConfigError as error:
        raise click.ClickException(str(error)) from error


def run_check(app: App, arguments: list[str]) -> int:
    """The deployment check's exit status, its report on stdout."""
    parser = argparse.ArgumentParser(prog="flask sendfile check")
    _doctor.add_options(parser)
    options = parser.parse_args(arguments)
    setting = app.config.get("SENDFILE_BACKEND") or ""
    root: Any = app.config.get("SENDFILE_ROOT")
    try:
        try:
            answer = configured(app)
        except ConfigurationError as error:
            raise _doctor.CheckError(str(error)) from error
        return _doctor.run(
            answer.config,
            os.path.join(app.root_path, os.fspath(root)),
            template=options.template,
            cookie=options.cookie,
            header=options.header,
            json=options.json,
            timeout=options.timeout,
            out=sys.stdout,
        )
    except _doctor.CheckError as error:
        _doctor.cannot_run(
            error,
            template=options.template,
            backend=str(setting),
            root=root,
            json=options.json,
            out=sys.stdout,
        )
        click.echo(f"Error: {error}", err=True)
        return 2
