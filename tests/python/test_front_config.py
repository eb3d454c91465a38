"""`python -m sendfile_rs config`: the exact configuration, and the mistakes it refuses
(tests/e2e/test_front_servers.py proves each configuration against the real server)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from sendfile_rs.front_config import (
    FrontConfigError,
    apache_xsendfile,
    lighttpd,
    nginx,
    nginx_standalone,
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
    assert "nginx needs --url" in refused.stderr


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
