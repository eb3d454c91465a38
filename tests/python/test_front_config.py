"""`python -m sendfile_rs config`: the exact configuration, and the mistakes it refuses
(tests/e2e/test_front_servers.py proves each configuration against the real server)."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from sendfile_rs import ConfigurationError, Sender
from sendfile_rs.deploy.front_config import (
    FrontConfigError,
    Store,
    apache_modwsgi,
    apache_xsendfile,
    caddy,
    for_server,
    lighttpd,
    nginx,
    nginx_standalone,
    nginx_store,
)


def test_nginx_location_has_matching_trailing_slashes() -> None:
    expected = (
        "# sendfile_rs: /srv/private/ is sent by nginx when the application answers with\n"
        "# X-Accel-Redirect: /protected/...; a direct request for /protected/ gets a 404.\n"
        "location /protected/ {\n"
        "    internal;\n"
        '    alias "/srv/private/";\n'
        "}\n"
    )
    assert nginx("/srv/private", "/protected") == expected
    assert nginx("/srv/private/", "/protected/") == expected


@pytest.mark.parametrize(
    ("root", "url"),
    [
        ("srv/private", "/protected"),
        ("/srv/private", "protected"),
        ("/srv/private", "/"),
        ('/srv/"private', "/protected"),
        ("/srv/private", "/pro;tected"),
        ("/srv/private", "/protected#x"),
    ],
)
def test_mistakes_are_refused(root: str, url: str) -> None:
    with pytest.raises(FrontConfigError):
        nginx(root, url)


def test_command_line() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "sendfile_rs", "config", "nginx", "--root", "/srv/p", "--url", "/x"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout == nginx("/srv/p", "/x")
    refused = subprocess.run(
        [sys.executable, "-m", "sendfile_rs", "config", "nginx", "--root", "rel", "--url", "/x"],
        capture_output=True,
        text=True,
    )
    assert refused.returncode == 2
    assert "the root must be an absolute path" in refused.stderr


def test_lighttpd_proxy_entry() -> None:
    assert lighttpd("/srv/private", "127.0.0.1:8000") == (
        "# sendfile_rs: the application at 127.0.0.1:8000 answers with X-Sendfile, and lighttpd\n"
        "# sends the file if it lies under /srv/private/\n"
        'server.modules += ( "mod_proxy" )\n'
        'proxy.server = ( "" => ( (\n'
        '    "host" => "127.0.0.1",\n'
        '    "port" => 8000,\n'
        '    "x-sendfile" => "enable",\n'
        '    "x-sendfile-docroot" => ( "/srv/private/" )\n'
        ") ) )\n"
    )


@pytest.mark.parametrize(
    ("root", "upstream"),
    [("srv", "127.0.0.1:8000"), ("/srv", "127.0.0.1"), ("/srv", ":80"), ('/s"rv', "h:1")],
)
def test_lighttpd_mistakes_are_refused(root: str, upstream: str) -> None:
    with pytest.raises(FrontConfigError):
        lighttpd(root, upstream)


def test_nginx_needs_a_url_on_the_command_line() -> None:
    refused = subprocess.run(
        [sys.executable, "-m", "sendfile_rs", "config", "nginx", "--root", "/srv"],
        capture_output=True,
        text=True,
    )
    assert refused.returncode == 2
    assert "nginx needs the URL prefix, the SENDFILE_URL" in refused.stderr


def test_apache_xsendfile_directives_drop_the_bogus_etag() -> None:
    assert apache_xsendfile("/srv/private/") == (
        "# sendfile_rs: the application answers with X-Sendfile: /srv/private/..., and\n"
        "# mod_xsendfile sends the file if it lies under XSendFilePath (a2enmod xsendfile).\n"
        "XSendFile On\n"
        'XSendFilePath "/srv/private"\n'
        '# Without this, proxied answers carry ETag "0" for every file and every version.\n'
        "FileETag None\n"
    )
    with pytest.raises(FrontConfigError):
        apache_xsendfile("srv/private")


def test_nginx_standalone_keeps_everything_in_its_folder() -> None:
    config = nginx_standalone("/tmp/w", 8080, "        location / { return 204; }\n")
    assert config.startswith("daemon off;\n")
    assert "pid /tmp/w/nginx.pid;\n" in config
    for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        assert f"    {kind}_temp_path /tmp/w/{kind};\n" in config
    assert "        listen 127.0.0.1:8080;\n        location / { return 204; }\n" in config
    assert "user root;" not in config
    assert nginx_standalone("/tmp/w", 1, "", workers_as_root=True).startswith("user root;\n")


MOD_WSGI = """\
# sendfile_rs: the application answers with Location: /protected/... and status 200;
# mod_wsgi (daemon mode only) redirects internally and Apache sends the file from
# /srv/private/. Needs mod_wsgi, mod_alias, mod_rewrite and mod_headers
# (a2enmod wsgi rewrite headers).
WSGIDaemonProcess sendfile_rs processes=2 threads=15 display-name=%{GROUP}{options}
WSGIProcessGroup sendfile_rs
WSGIApplicationGroup %{GLOBAL}
WSGIScriptAlias / "/app/site/wsgi.py"
<Directory "/app/site">
    <Files "wsgi.py">
        Require all granted
    </Files>
</Directory>
Alias "/protected/" "/srv/private/"
<Directory "/srv/private/">
    Require all granted
    # The application's Cache-Control does not survive the redirect.
    Header set Cache-Control "private"
</Directory>
# Only mod_wsgi's internal redirects may reach /protected/: a direct request gets a 404.
RewriteEngine On
RewriteCond %{ENV:REDIRECT_STATUS} ^$
RewriteRule "^/protected/" - [R=404]
"""


def test_apache_modwsgi_runs_daemon_mode_and_refuses_direct_requests() -> None:
    assert apache_modwsgi("/srv/private", "/protected/", "/app/site/wsgi.py") == (
        MOD_WSGI.replace("{options}", "")
    )
    with_environment = apache_modwsgi(
        "/srv/private/",
        "/protected",
        "/app/site/wsgi.py",
        python_path=["/app", "/lib/extra"],
        python_home="/app/venv",
    )
    assert with_environment == MOD_WSGI.replace(
        "{options}", " python-home=/app/venv python-path=/app:/lib/extra"
    )


@pytest.mark.parametrize(
    "arguments",
    [
        {"root": "srv", "url": "/p", "wsgi_script": "/a/wsgi.py"},
        {"root": "/srv", "url": "/p", "wsgi_script": "wsgi.py"},
        {"root": "/srv", "url": "/", "wsgi_script": "/a/wsgi.py"},
        {"root": "/srv", "url": "/p(.*)", "wsgi_script": "/a/wsgi.py"},
        {"root": "/srv", "url": "/p", "wsgi_script": "/a/wsgi.py", "python_home": "/my venv"},
        {"root": "/srv", "url": "/p", "wsgi_script": "/a/wsgi.py", "python_path": ["rel"]},
    ],
)
def test_apache_modwsgi_mistakes_are_refused(arguments: dict[str, str]) -> None:
    with pytest.raises(FrontConfigError):
        apache_modwsgi(**arguments)  # type: ignore[arg-type]


def test_caddy_decodes_the_url_through_path_regexp() -> None:
    assert caddy("/srv/private/", "/protected", "127.0.0.1:8000") == (
        "# sendfile_rs: inside the site block. The application at 127.0.0.1:8000 answers with\n"
        "# X-Accel-Redirect: /protected/... (the nginx backend), and Caddy sends the file\n"
        "# from /srv/private/.\n"
        "reverse_proxy 127.0.0.1:8000 {\n"
        "\t@sendfile_rs header X-Accel-Redirect /protected/*\n"
        "\thandle_response @sendfile_rs {\n"
        "\t\tcopy_response_headers {\n"
        "\t\t\tinclude Content-Type Content-Disposition Cache-Control Expires Set-Cookie\n"
        "\t\t}\n"
        "\t\trewrite * /sendfile_rs\n"
        "\t\turi path_regexp ^/sendfile_rs$ {rp.header.X-Accel-Redirect}\n"
        "\t\turi strip_prefix /protected\n"
        '\t\troot * "/srv/private"\n'
        "\t\tfile_server\n"
        "\t}\n"
        "}\n"
    )
    for root, url, upstream in [("srv", "/p", "h:1"), ("/srv", "/p", "h"), ("/s{x}", "/p", "h:1")]:
        with pytest.raises(FrontConfigError):
            caddy(root, url, upstream)


def test_each_server_says_what_it_needs() -> None:
    with pytest.raises(FrontConfigError, match="caddy needs the URL prefix"):
        for_server("caddy", root="/srv")
    with pytest.raises(FrontConfigError, match="apache-modwsgi needs the WSGI script"):
        for_server("apache-modwsgi", root="/srv", url="/p")
    with pytest.raises(FrontConfigError, match="no configuration for 'iis'"):
        for_server("iis", root="/srv")


def sendfile_config(*arguments: str, **settings: object) -> str:
    output = io.StringIO()
    with override_settings(INSTALLED_APPS=["sendfile_rs"], **settings):
        call_command("sendfile_config", *arguments, stdout=output)
    return output.getvalue()


def test_management_command_writes_the_configured_backend_s_server(tmp_path: Path) -> None:
    nginx_settings = {
        "SENDFILE_BACKEND": "sendfile.backends.nginx",
        "SENDFILE_ROOT": str(tmp_path),
        "SENDFILE_URL": "/protected",
    }
    assert sendfile_config(**nginx_settings) == nginx(tmp_path, "/protected")
    assert sendfile_config("caddy", "--upstream", "10.0.0.2:8001", **nginx_settings) == caddy(
        tmp_path, "/protected", "10.0.0.2:8001"
    )
    assert sendfile_config(
        SENDFILE_BACKEND="sendfile_rs.backends.xsendfile", SENDFILE_ROOT=str(tmp_path)
    ) == apache_xsendfile(tmp_path)
    # Without SENDFILE_URL the backends use the root's path as the URL, and so does this.
    assert sendfile_config(
        SENDFILE_BACKEND="sendfile_rs.backends.nginx", SENDFILE_ROOT=str(tmp_path)
    ) == nginx(tmp_path, str(tmp_path))


def test_management_command_finds_the_wsgi_script_for_mod_wsgi(tmp_path: Path) -> None:
    project = Path(__file__).parent / "project"
    expected = apache_modwsgi(
        tmp_path,
        "/protected",
        project / "wsgi.py",
        python_path=[project.parent],
        python_home=sys.prefix if sys.prefix != sys.base_prefix else None,
    )
    assert (
        sendfile_config(
            SENDFILE_BACKEND="sendfile_rs.backends.mod_wsgi",
            SENDFILE_ROOT=str(tmp_path),
            SENDFILE_URL="/protected",
            WSGI_APPLICATION="project.wsgi.application",
        )
        == expected
    )


@pytest.mark.parametrize(
    ("arguments", "settings", "message"),
    [
        ((), {"SENDFILE_BACKEND": "sendfile_rs.backends.simple"}, "no front-server configuration"),
        (("nginx",), {"SENDFILE_BACKEND": "sendfile_rs.backends.xsendfile"}, "the nginx backend"),
        ((), {"SENDFILE_BACKEND": "sendfile_rs.backends.nginx", "SENDFILE_ROOT": None}, "ROOT"),
        (
            (),
            {
                "SENDFILE_BACKEND": "sendfile_rs.backends.nginx",
                "SENDFILE_ROOT": "relative",
                "SENDFILE_URL": "/p",
            },
            "the root must be an absolute path",
        ),
    ],
)
def test_management_command_refuses_settings_it_cannot_serve(
    arguments: tuple[str, ...], settings: dict[str, object], message: str
) -> None:
    settings.setdefault("SENDFILE_ROOT", "/srv")
    with pytest.raises(CommandError, match=message):
        sendfile_config(*arguments, **settings)


STORE_OPTIONS = {
    "store_endpoint": "http://127.0.0.1:9000",
    "store_bucket": "media",
    "store_access_key": "AKIDEXAMPLE",
    "store_secret_key": "secret-example",
}


@pytest.mark.parametrize("location", ["/é", "/_st@re", "/a//b", "/"])
def test_the_store_location_is_refused_by_the_core_s_own_rule(location: str) -> None:
    with pytest.raises(ConfigurationError) as core:
        Sender("nginx", None, **STORE_OPTIONS, store_location=location)
    with pytest.raises(FrontConfigError) as generator:
        nginx_store(Store("http://127.0.0.1:9000", "media", location=location))
    refused = (
        "configuration error: the store's nginx location must be a path below / of letters, "
        f'digits and -._~, like "/_sendfile_store", got "{location}"'
    )
    assert str(generator.value) == str(core.value) == refused


def test_the_store_location_s_pattern_matches_what_the_plans_name() -> None:
    location = "/_objects.v-2~/"
    _, server = nginx_store(Store("http://127.0.0.1:9000", "media", location=location))
    first = server.splitlines()[0]
    assert first == r"location ~ ^/_objects\.v\-2\~/(?<sendfile_store_path>.*)$ {"
    plan = Sender("nginx", None, **STORE_OPTIONS, store_location=location).plan("a.txt")
    accel = dict(plan.headers)["X-Accel-Redirect"]
    # Python's regular expressions read this pattern as nginx's PCRE does.
    pattern = first.removeprefix("location ~ ").removesuffix(" {").replace("?<", "?P<")
    match = re.match(pattern, accel.partition("?")[0])
    assert match is not None and match["sendfile_store_path"] == "media/a.txt"
