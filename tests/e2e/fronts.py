"""The five real front servers of the end-to-end tests, each configured by
`python -m sendfile_rs config <server>` and started on 127.0.0.1 in front of the test
project (under gunicorn, or inside Apache for mod_wsgi). tests/e2e/test_front_servers.py
and tests/e2e/test_doctor.py start them through :func:`running_site`; a test may bend the
generated configuration (``tweak``) to try a broken deployment."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import django
import pytest
from conftest import free_port, require, wait_for_port
from serving import gunicorn

import sendfile_rs
from sendfile_rs.deploy.front_config import nginx_standalone

PROJECT = Path(__file__).parents[1] / "python"


def unchanged(text: str) -> str:
    return text


@dataclass(frozen=True)
class Setup:
    """What a server's command is built from."""

    work: Path
    root: Path
    front_port: int
    app_port: int
    #: The test project's environment (SENDFILE_* settings).
    environment: dict[str, str]
    #: Applied to the generated configuration before the server reads it.
    tweak: Callable[[str], str] = unchanged


def generated(setup: Setup, *arguments: str) -> str:
    printed = subprocess.run(
        [sys.executable, "-m", "sendfile_rs", "config", *arguments],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return setup.tweak(printed)


def nginx_command(setup: Setup) -> list[str]:
    location = generated(setup, "nginx", "--root", str(setup.root), "--url", "/protected")
    config = setup.work / "nginx.conf"
    proxy = f"        location / {{ proxy_pass http://127.0.0.1:{setup.app_port}; }}\n"
    config.write_text(
        nginx_standalone(
            setup.work,
            setup.front_port,
            proxy + location,
            error_log=f"{setup.work}/error.log info",
        )
    )
    return [require("nginx", "nginx"), "-c", str(config), "-p", str(setup.work)]


def lighttpd_command(setup: Setup) -> list[str]:
    upstream = f"127.0.0.1:{setup.app_port}"
    proxy = generated(setup, "lighttpd", "--root", str(setup.root), "--upstream", upstream)
    work = setup.work
    (work / "empty").mkdir()
    config = work / "lighttpd.conf"
    config.write_text(f"""
server.document-root = "{work}/empty"
server.bind = "127.0.0.1"
server.port = {setup.front_port}
server.pid-file = "{work}/lighttpd.pid"
server.errorlog = "{work}/error.log"
server.modules = ( )
mimetype.assign = ( ".txt" => "text/plain" )
{proxy}
""")
    return [require("lighttpd", "lighttpd"), "-D", "-f", str(config)]


APACHE_MODULES = Path("/usr/lib/apache2/modules")
APACHE_MODULE_PACKAGES = {
    "xsendfile": "libapache2-mod-xsendfile",
    "wsgi": "libapache2-mod-wsgi-py3",
}


def apache_config(setup: Setup, modules: list[str], directives: str) -> list[str]:
    """An Apache in the foreground from the work folder, its children as ``nobody``."""
    apache = require("apache2", "apache2")
    for module in modules:
        if not (APACHE_MODULES / f"mod_{module}.so").exists():
            require(f"mod_{module}", APACHE_MODULE_PACKAGES.get(module, "apache2"))
    loads = "\n".join(
        f"LoadModule {name}_module {APACHE_MODULES}/mod_{name}.so"
        for name in ["mpm_event", "authz_core", "mime", *modules]
    )
    work = setup.work
    config = work / "httpd.conf"
    config.write_text(f"""
ServerName 127.0.0.1
ServerRoot "{work}"
Listen 127.0.0.1:{setup.front_port}
PidFile "{work}/httpd.pid"
ErrorLog "{work}/error.log"
DefaultRuntimeDir "{work}"
User nobody
Group nogroup
{loads}
TypesConfig /etc/mime.types
{directives}
""")
    return [apache, "-f", str(config), "-DFOREGROUND"]


def apache_xsendfile_command(setup: Setup) -> list[str]:
    directives = generated(setup, "apache-xsendfile", "--root", str(setup.root))
    proxy = f'ProxyPass "/" "http://127.0.0.1:{setup.app_port}/"\n'
    return apache_config(setup, ["proxy", "proxy_http", "xsendfile"], proxy + directives)


def apache_modwsgi_command(setup: Setup) -> list[str]:
    """Debian's mod_wsgi embeds the system Python, which the unprivileged daemon process
    can read: the packages it imports are copied into the work folder. sendfile_rs (abi3)
    comes from this environment; Django and its dependencies from one built for the
    system Python (``MOD_WSGI_SITE_PACKAGES``, set by the Makefile), since the newest
    Django may no longer run on it."""
    require("python3.11", "python3.11")
    work = setup.work
    site = work / "site"
    folders = [Path(sendfile_rs.__file__ or "").parent]
    system_site = os.environ.get("MOD_WSGI_SITE_PACKAGES")
    if system_site:
        folders += [Path(system_site) / name for name in ("django", "asgiref", "sqlparse")]
    elif sys.version_info[:2] == (3, 11):
        folders += [
            Path(m.__file__ or "").parent
            for m in (django, *map(__import__, ("asgiref", "sqlparse")))
        ]
    else:
        pytest.fail("MOD_WSGI_SITE_PACKAGES must name a site-packages for Python 3.11 with Django")
    for folder in folders:
        shutil.copytree(folder, site / folder.name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(PROJECT / "project", work / "project")
    script = work / "project" / "sendfile_wsgi.py"
    script.write_text(
        f"import os\nos.environ.update({setup.environment!r})\n"
        "from project.wsgi import application\n"
    )
    directives = generated(
        setup,
        "apache-modwsgi",
        "--root",
        str(setup.root),
        "--url",
        "/protected",
        "--wsgi-script",
        str(script),
        "--python-path",
        str(site),
        "--python-path",
        str(work),
    )
    # The daemon's socket goes in the test's folder, not under /var/run.
    socket = f'WSGISocketPrefix "{work}/wsgi"\n'
    return apache_config(setup, ["alias", "rewrite", "headers", "wsgi"], socket + directives)


def caddy_command(setup: Setup) -> list[str]:
    caddy = require("caddy", "caddy")
    upstream = f"127.0.0.1:{setup.app_port}"
    proxy = generated(
        setup, "caddy", "--root", str(setup.root), "--url", "/protected", "--upstream", upstream
    )
    block = "".join(f"\t{line}\n" for line in proxy.splitlines())
    config = setup.work / "Caddyfile"
    site = f"http://127.0.0.1:{setup.front_port}"
    config.write_text(f"{{\n\tadmin off\n\tauto_https off\n}}\n{site} {{\n{block}}}\n")
    return [caddy, "run", "--adapter", "caddyfile", "--config", str(config)]


@dataclass(frozen=True)
class Front:
    """A front server: the backend the application uses with it and how to start it."""

    backend: str
    command: Callable[[Setup], list[str]]
    #: Whether the server runs the application itself (else gunicorn does).
    runs_the_application: bool = False
    #: Whether the application's Content-Disposition reaches the client.
    keeps_disposition: bool = True


FRONTS = {
    "nginx": Front("nginx", nginx_command),
    "lighttpd": Front("lighttpd", lighttpd_command),
    "apache-xsendfile": Front("xsendfile", apache_xsendfile_command),
    # mod_wsgi's internal redirect keeps only the application's Set-Cookie (Apache's
    # err_headers_out): Content-Disposition cannot reach the client.
    "apache-modwsgi": Front(
        "mod_wsgi", apache_modwsgi_command, runs_the_application=True, keeps_disposition=False
    ),
    "caddy": Front("nginx", caddy_command),
}


def application_environment(root: Path, backend: str) -> dict[str, str]:
    return {
        "DJANGO_SETTINGS_MODULE": "project.settings",
        "SENDFILE_BACKEND": f"sendfile_rs.backends.{backend}",
        "SENDFILE_ROOT": str(root),
        "SENDFILE_URL": "/protected",
    }


@dataclass(frozen=True)
class Site:
    """A running front server and the application behind it."""

    front: Front
    #: Where the front server listens, host:port.
    address: str
    #: Where gunicorn listens, host:port; None when the front server runs the application.
    app_address: str | None
    root: Path
    work: Path
    environment: dict[str, str] = field(default_factory=dict)


def temporary_work(name: str) -> Path:
    """A fresh folder for one server. Front-server workers run unprivileged: pytest's own
    temporary folders (0700) are closed to them."""
    return Path(tempfile.mkdtemp(prefix=f"sendfile-e2e-{name}-"))


@contextlib.contextmanager
def running_site(
    name: str,
    work: Path,
    root: Path,
    *,
    tweak: Callable[[str], str] = unchanged,
    settings: dict[str, str] | None = None,
    app_port: int | None = None,
) -> Iterator[Site]:
    """The front server ``name`` (a key of :data:`FRONTS`) on a free port, serving
    ``root`` with its configuration passed through ``tweak``; ``settings`` are more
    environment for the application. Without ``app_port`` a gunicorn is started for the
    servers that need one; with it, the server proxies to the application already there."""
    front = FRONTS[name]
    environment = {**application_environment(root, front.backend), **(settings or {})}
    front_port = free_port()
    starts_gunicorn = not front.runs_the_application and app_port is None
    app_port = app_port or free_port()
    command = front.command(Setup(work, root, front_port, app_port, environment, tweak))
    with contextlib.ExitStack() as running:
        if starts_gunicorn:
            log = work / "gunicorn.log"
            running.enter_context(gunicorn(root, log, environment=environment, port=app_port))
        server = subprocess.Popen(
            command, cwd=work, env=front_environment(work), start_new_session=True
        )
        running.callback(stop, server)
        wait_for_port(front_port, server, work / "error.log")
        app_address = None if front.runs_the_application else f"127.0.0.1:{app_port}"
        yield Site(front, f"127.0.0.1:{front_port}", app_address, root, work, environment)


def stop(process: subprocess.Popen[bytes]) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=20)


def front_environment(work: Path) -> dict[str, str]:
    """Caddy keeps its state under HOME and the XDG folders: the test's folder here."""
    return dict(os.environ, HOME=str(work), XDG_DATA_HOME=str(work), XDG_CONFIG_HOME=str(work))
