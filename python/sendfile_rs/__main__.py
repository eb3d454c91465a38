"""``python -m sendfile_rs config nginx --root R --url U`` and
``python -m sendfile_rs config lighttpd --root R --upstream HOST:PORT`` and
``python -m sendfile_rs config apache-xsendfile --root R``: print the front-server
configuration that matches the settings."""

from __future__ import annotations

import argparse
import sys

from . import front_config


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sendfile_rs")
    commands = parser.add_subparsers(dest="command", required=True)
    config = commands.add_parser("config", help="print the front-server configuration")
    config.add_argument("server", choices=front_config.SERVERS)
    config.add_argument("--root", required=True, help="SENDFILE_ROOT, an absolute path")
    config.add_argument("--url", help="SENDFILE_URL, like /protected (nginx)")
    config.add_argument(
        "--upstream", default="127.0.0.1:8000", help="the application, host:port (lighttpd)"
    )
    arguments = parser.parse_args(argv)
    try:
        if arguments.server == "nginx":
            if arguments.url is None:
                raise front_config.FrontConfigError("nginx needs --url, the SENDFILE_URL")
            text = front_config.nginx(arguments.root, arguments.url)
        elif arguments.server == "lighttpd":
            text = front_config.lighttpd(arguments.root, arguments.upstream)
        else:
            text = front_config.apache_xsendfile(arguments.root)
        sys.stdout.write(text)
    except front_config.FrontConfigError as error:
        parser.exit(2, f"python -m sendfile_rs: {error}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
