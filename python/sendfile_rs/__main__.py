"""``python -m sendfile_rs config <server> --root R [--url U] [--upstream HOST:PORT]
[--wsgi-script W] [--store-endpoint E --store-bucket B ...]``: print the front-server
configuration that matches the settings.
``python -m sendfile_rs check --backend B --root R [--url U] URL_TEMPLATE``: check that
the live site hands files over right. Inside a Django project, ``manage.py
sendfile_config`` and ``manage.py sendfile_check`` read the settings."""

from __future__ import annotations

import argparse
import sys

from ._native import DEFAULT_STORE_LOCATION, STORE_ADDRESSINGS, Config, SendfileError
from .deploy import doctor as _doctor
from .deploy import front_config


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sendfile_rs")
    commands = parser.add_subparsers(dest="command", required=True)
    config = commands.add_parser("config", help="print the front-server configuration")
    config.add_argument("server", choices=front_config.SERVERS)
    config.add_argument("--root", help="SENDFILE_ROOT, an absolute path")
    config.add_argument("--url", help="SENDFILE_URL, like /protected (nginx, caddy, mod_wsgi)")
    config.add_argument(
        "--upstream", default="127.0.0.1:8000", help="the application, host:port (lighttpd, caddy)"
    )
    config.add_argument("--wsgi-script", help="the project's wsgi.py (apache-modwsgi)")
    config.add_argument(
        "--python-path",
        action="append",
        default=[],
        help="a folder the application imports from; repeatable (apache-modwsgi)",
    )
    config.add_argument("--python-home", help="the virtual environment (apache-modwsgi)")
    store = config.add_argument_group("an object store nginx proxies to")
    store.add_argument("--store-endpoint", help="like https://s3.eu-west-1.amazonaws.com")
    store.add_argument("--store-bucket", help="the bucket")
    store.add_argument(
        "--store-addressing", choices=STORE_ADDRESSINGS, default=STORE_ADDRESSINGS[0]
    )
    store.add_argument(
        "--store-location",
        default=DEFAULT_STORE_LOCATION,
        help="the internal location of X-Accel-Redirect (store_location)",
    )
    store.add_argument(
        "--store-ca",
        default=front_config.DEFAULT_STORE_CA,
        help="the certificate authorities for an https store",
    )
    check = commands.add_parser("check", help="check that the live site hands files over right")
    check.add_argument("--backend", required=True, help="SENDFILE_BACKEND's last part: nginx, ...")
    check.add_argument("--root", required=True, help="SENDFILE_ROOT, where the files are")
    check.add_argument("--url", help="SENDFILE_URL (nginx, mod_wsgi)")
    _doctor.add_options(check)
    arguments = parser.parse_args(argv)
    if arguments.command == "check":
        return _check(parser, arguments)
    stores = []
    if arguments.store_endpoint or arguments.store_bucket:
        if not (arguments.store_endpoint and arguments.store_bucket):
            parser.exit(
                2, "python -m sendfile_rs: a store needs --store-endpoint and --store-bucket\n"
            )
        stores.append(
            front_config.Store(
                arguments.store_endpoint,
                arguments.store_bucket,
                addressing=arguments.store_addressing,
                location=arguments.store_location,
                ca_file=arguments.store_ca,
            )
        )
    elif arguments.root is None:
        parser.exit(2, "python -m sendfile_rs: --root is required (or a store)\n")
    try:
        text = front_config.for_server(
            arguments.server,
            root=arguments.root,
            url=arguments.url,
            stores=stores,
            upstream=arguments.upstream,
            wsgi_script=arguments.wsgi_script,
            python_path=arguments.python_path,
            python_home=arguments.python_home,
        )
    except front_config.FrontConfigError as error:
        parser.exit(2, f"python -m sendfile_rs: {error}\n")
    sys.stdout.write(text)
    return 0


def _check(parser: argparse.ArgumentParser, arguments: argparse.Namespace) -> int:
    try:
        config = Config(arguments.backend, arguments.root, arguments.url, {})
        return _doctor.run(
            config,
            arguments.root,
            template=arguments.template,
            cookie=arguments.cookie,
            header=arguments.header,
            json=arguments.json,
            timeout=arguments.timeout,
            out=sys.stdout,
        )
    except (SendfileError, _doctor.CheckError) as error:
        _doctor.cannot_run(
            error,
            template=arguments.template,
            backend=arguments.backend,
            root=arguments.root,
            json=arguments.json,
            out=sys.stdout,
        )
        parser.exit(2, f"python -m sendfile_rs check: {error}\n")
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
