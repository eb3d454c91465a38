"""The deployment check (`python -m sendfile_rs check`, `manage.py sendfile_check`)
against the five real front servers: it passes where the configuration is the generated
one, and names the exact cause and fix where a configuration is deliberately broken. The
servers are started once per module and shared between the tests that can share them."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import free_port
from fronts import FRONTS, PROJECT, Site, running_site, temporary_work, unchanged

from sendfile_rs.__main__ import main

#: The application marks its answers private, as a site with a permission check should.
PRIVATE = {"SENDFILE_OPTIONS": json.dumps({"cache_control": "private"})}
CHECK = (sys.executable, "-m", "sendfile_rs", "check")
#: Credentials, so the check judges Cache-Control as for a logged-in user.
COOKIE = ("--cookie", "sessionid=doctor")


class Sites:
    """Front servers started on first use and kept for the module, by a key naming the
    server and the way its configuration is broken. A broken configuration proxies to
    the application of the right one, where it has its own."""

    def __init__(self, stack: contextlib.ExitStack) -> None:
        self._stack = stack
        self._running: dict[str, Site] = {}

    def get(
        self,
        name: str,
        broken: str = "",
        tweak: Callable[[str], str] = unchanged,
        *,
        settings: dict[str, str] = PRIVATE,
    ) -> Site:
        key = f"{name} {broken}"
        if key in self._running:
            return self._running[key]
        work = temporary_work(name)
        self._stack.callback(shutil.rmtree, work)
        root, app_port = work / "root", None
        right = self.get(name) if broken and settings is PRIVATE else None
        if right is not None and right.app_address is not None:
            root, app_port = right.root, int(right.app_address.rpartition(":")[2])
        else:
            # Readable by the front server's unprivileged worker.
            root.mkdir(mode=0o755)
            os.chmod(work, 0o755)
        site = running_site(name, work, root, tweak=tweak, settings=settings, app_port=app_port)
        self._running[key] = self._stack.enter_context(site)
        return self._running[key]


@pytest.fixture(scope="module")
def sites() -> Iterator[Sites]:
    with contextlib.ExitStack() as stack:
        yield Sites(stack)


def check(
    capsys: pytest.CaptureFixture[str],
    site: Site,
    *options: str,
    template: str = "",
    backend: str = "",
) -> tuple[int, dict[str, Any]]:
    """The check's exit status and JSON report, run as ``python -m sendfile_rs check``
    with the application's settings (the backends without a URL prefix ignore --url)."""
    backend = backend or site.front.backend
    template = template or f"http://{site.address}/files/{{name}}"
    settings = ["--backend", backend, "--root", str(site.root), "--url", "/protected"]
    status = main(["check", *settings, template, "--json", *options])
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is (status == 0)
    # The canaries are gone.
    assert [p for p in os.listdir(site.root) if p.startswith("sendfile-check-")] == []
    return status, report


def problems(report: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    return [(p["code"], p["severity"], p["cause"], p["fix"]) for p in report["problems"]]


def names(report: dict[str, Any]) -> list[str]:
    return [row["name"] for row in report["files"]]


def results(report: dict[str, Any]) -> list[tuple[str, int, list[str]]]:
    return [(row["label"], row["status"], list(row["results"].values())) for row in report["files"]]


ALL_OK = ["ok"] * 6
NAME_WARNED = ["ok", "ok", "warn", "ok", "ok", "ok"]
NOT_DOWNLOADED = ["fail", "-", "-", "-", "-", "-"]

MOD_WSGI_NAME = (
    "name-lost",
    "warn",
    "The download name does not survive: mod_wsgi's internal redirect keeps none of the "
    "application's headers but Set-Cookie, so Content-Disposition never reaches the "
    "client, browsers name the file after its URL, and attachment=True has no effect.",
    "A limit of mod_wsgi, not of this configuration. Where download names matter, use "
    "mod_xsendfile and the xsendfile backend (python -m sendfile_rs config apache-xsendfile).",
)


@pytest.mark.parametrize("server", sorted(FRONTS))
def test_the_generated_configuration_passes(
    sites: Sites, capsys: pytest.CaptureFixture[str], server: str
) -> None:
    site = sites.get(server)
    status, report = check(capsys, site, *COOKIE)
    token = names(report)[0][len("sendfile-check-") : -len(".txt")]
    assert names(report) == [
        f"sendfile-check-{token}.txt",
        f"sendfile-check-{token} 100% sure? #1.txt",
        f"sendfile-check-{token}-caf\u00e9-na\u00efve-\U0001f600.txt",
        f"sendfile-check-{token}/inside.txt",
    ]
    # mod_wsgi's redirect loses Content-Disposition: a warning, the files still arrive
    # intact and protected, so the check passes.
    keeps_name = FRONTS[server].keeps_disposition
    expected = ALL_OK if keeps_name else NAME_WARNED
    labels = ["plain", "spaces % ? #", "accents, emoji", "sub-folder"]
    assert results(report) == [(label, 200, expected) for label in labels]
    assert problems(report) == ([] if keeps_name else [MOD_WSGI_NAME])
    assert status == 0
    direct = [(row["target"], row["status"], row["served"]) for row in report["direct"]]
    plain = f"sendfile-check-{token}.txt"
    # The handover URL where there is one; the root's layout everywhere.
    urls = site.front.backend in ("nginx", "mod_wsgi")
    handover = [(f"/protected/{plain}", 404, False)] if urls else []
    assert direct == [
        *handover,
        (f"/root/{plain}", 404, False),
        (f"{site.root}/{plain}", 404, False),
    ]


def test_the_table_is_short_and_names_each_check(
    sites: Sites, capsys: pytest.CaptureFixture[str]
) -> None:
    site = sites.get("nginx")
    template = f"http://{site.address}/files/{{name}}"
    arguments = ["--backend", "nginx", "--root", str(site.root), "--url", "/protected"]
    assert main(["check", *arguments, template]) == 0
    table = capsys.readouterr().out
    token = table.split("/protected/sendfile-check-", 1)[1][:8]
    assert table == (
        f"sendfile_check {template}\n"
        f"backend nginx, root {site.root}\n"
        "\n"
        "file            status  bytes  type  name  range  304  cache\n"
        "plain           200     ok     ok    ok    ok     ok   ok\n"
        "spaces % ? #    200     ok     ok    ok    ok     ok   ok\n"
        "accents, emoji  200     ok     ok    ok    ok     ok   ok\n"
        "sub-folder      200     ok     ok    ok    ok     ok   ok\n"
        "\n"
        "direct request (must not return the file)\n"
        f"  404  refused  /protected/sendfile-check-{token}.txt\n"
        f"  404  refused  /root/sendfile-check-{token}.txt\n"
        f"  404  refused  {site.root}/sendfile-check-{token}.txt\n"
        "\n"
        "All checks passed.\n"
    )


def test_alias_without_its_trailing_slash_is_named_with_both_paths(
    sites: Sites, capsys: pytest.CaptureFixture[str]
) -> None:
    site = sites.get("nginx", "alias without /", lambda text: text.replace('/";', '";'))
    status, report = check(capsys, site, *COOKIE)
    plain = names(report)[0]
    assert status == 1
    assert [row[1:] for row in results(report)] == [(404, NOT_DOWNLOADED)] * 4
    root = site.root
    assert problems(report) == [
        (
            "trailing-slash",
            "fail",
            f"The front server answered 404 for {plain}, which exists: it looked up "
            f"{root}{plain} instead of {root}/{plain}, so the location for /protected/ and "
            "the folder it maps to disagree on a trailing slash.",
            "End both with a slash, as python -m sendfile_rs config nginx writes them: "
            f'location /protected/ {{ internal; alias "{root}/"; }}.',
        )
    ]
    # The file planted to prove it is gone too.
    assert not Path(f"{root}{plain}").exists()


def test_location_for_another_prefix_is_named(
    sites: Sites, capsys: pytest.CaptureFixture[str]
) -> None:
    moved = sites.get(
        "nginx", "other prefix", lambda text: text.replace(" /protected/ {", " /private/ {")
    )
    status, report = check(capsys, moved, *COOKIE)
    plain = names(report)[0]
    assert status == 1
    assert [row[1] for row in results(report)] == [404] * 4
    assert problems(report) == [
        (
            "not-found",
            "fail",
            f"The site answered 404 for {plain}, a file that exists at {moved.root}/{plain}.",
            f"nginx needs an internal location for /protected/ whose alias is {moved.root}/; "
            "Caddy needs the reverse_proxy block of python -m sendfile_rs config caddy; and "
            "the URL template must lead to the view that sends files from SENDFILE_ROOT, with "
            "{name} where the view takes the file's path.",
        )
    ]


def test_location_that_is_not_internal_is_named(
    sites: Sites, capsys: pytest.CaptureFixture[str]
) -> None:
    site = sites.get("nginx", "not internal", lambda text: text.replace("    internal;\n", ""))
    status, report = check(capsys, site, *COOKIE)
    plain = names(report)[0]
    assert status == 1
    assert results(report)[0] == ("plain", 200, ALL_OK)
    assert report["direct"][0] == {"target": f"/protected/{plain}", "status": 200, "served": True}
    assert problems(report) == [
        (
            "not-internal",
            "fail",
            f"A direct request for /protected/{plain} returned the file, without the "
            "application: anyone can download every protected file, past the site's "
            "permission check.",
            "Add internal; to the location for /protected/ (as python -m sendfile_rs config "
            "nginx writes it); behind Caddy, serve no files outside the handle_response block.",
        )
    ]


def test_every_location_that_serves_the_file_is_named(
    sites: Sites, capsys: pytest.CaptureFixture[str]
) -> None:
    # /protected/ without internal, and a second location at the root folder's name.
    def two_doors(text: str) -> str:
        open_door = text.replace("    internal;\n", "")
        return open_door + open_door.replace("location /protected/ {", "location /root/ {")

    site = sites.get("nginx", "two open doors", two_doors)
    status, report = check(capsys, site, *COOKIE)
    plain = names(report)[0]
    assert status == 1
    assert results(report)[0] == ("plain", 200, ALL_OK)
    assert report["direct"] == [
        {"target": f"/protected/{plain}", "status": 200, "served": True},
        {"target": f"/root/{plain}", "status": 200, "served": True},
        {"target": f"{site.root}/{plain}", "status": 404, "served": False},
    ]
    assert problems(report) == [
        (
            "not-internal",
            "fail",
            f"Direct requests for /protected/{plain} and /root/{plain} returned the file, "
            "without the application: anyone can download every protected file, past the "
            "site's permission check.",
            "Add internal; to the location for /protected/ (as python -m sendfile_rs config "
            "nginx writes it); behind Caddy, serve no files outside the handle_response "
            f"block. The front server also serves SENDFILE_ROOT itself at /root/{plain}: "
            "remove that location, alias or document root, so the files are reached only "
            "through the application.",
        )
    ]


def test_mod_wsgi_without_its_redirect_guard_is_named(
    sites: Sites, capsys: pytest.CaptureFixture[str]
) -> None:
    def unguarded(text: str) -> str:
        return text.replace("RewriteCond %{ENV:REDIRECT_STATUS} ^$\n", "").replace(
            'RewriteRule "^/protected/" - [R=404]\n', ""
        )

    site = sites.get("apache-modwsgi", "unguarded", unguarded)
    status, report = check(capsys, site, *COOKIE)
    plain = names(report)[0]
    assert status == 1
    assert report["direct"][0] == {"target": f"/protected/{plain}", "status": 200, "served": True}
    assert problems(report) == [
        MOD_WSGI_NAME,
        (
            "not-internal",
            "fail",
            f"A direct request for /protected/{plain} returned the file, without the "
            "application: anyone can download every protected file, past the site's "
            "permission check.",
            "Refuse what is not mod_wsgi's internal redirect, as python -m sendfile_rs config "
            'apache-modwsgi writes it: RewriteCond %{ENV:REDIRECT_STATUS} ^$ and RewriteRule "'
            '^/protected/" - [R=404].',
        ),
    ]


IGNORED = {
    "nginx": (
        "X-Accel-Redirect",
        "/protected/{plain}",
        "nginx must not have proxy_ignore_headers X-Accel-Redirect (nor its fastcgi_, "
        "uwsgi_ or scgi_ form); Caddy needs the handle_response block that python -m "
        "sendfile_rs config caddy prints",
    ),
    "apache-xsendfile": (
        "X-Sendfile",
        "{root}/{plain}",
        'Apache needs mod_xsendfile and "XSendFile On" where it proxies to the application '
        "(python -m sendfile_rs config apache-xsendfile)",
    ),
}


@pytest.mark.parametrize("server", sorted(IGNORED))
def test_application_reached_without_the_front_server_is_named(
    sites: Sites, capsys: pytest.CaptureFixture[str], server: str
) -> None:
    site = sites.get(server)
    direct = f"http://{site.app_address}/files/{{name}}"
    status, report = check(capsys, site, *COOKIE, template=direct)
    plain = names(report)[0]
    assert status == 1
    assert [row[1:] for row in results(report)] == [(200, NOT_DOWNLOADED)] * 4
    header, value, why = IGNORED[server]
    assert problems(report) == [
        (
            "offload-ignored",
            "fail",
            f"The answer for {plain} is a 200 with an empty body that still carries {header}: "
            f"{value.format(plain=plain, root=site.root)}, so nothing in front of the "
            "application acted on it.",
            "Send the check through the front server, not to the application's own port. If "
            f"it went there, the front server ignores the header: {why}.",
        )
    ]


def test_handover_header_nginx_ignores_and_hides_is_named(
    sites: Sites, capsys: pytest.CaptureFixture[str]
) -> None:
    # nginx passes the application's empty answer on, and hides X-Accel-Redirect from
    # the client as it always does: only Content-Type and Content-Disposition show that
    # the application handed the file over.
    def ignoring(text: str) -> str:
        return text + "proxy_ignore_headers X-Accel-Redirect;\n"

    site = sites.get("nginx", "ignores X-Accel-Redirect", ignoring)
    status, report = check(capsys, site, *COOKIE)
    plain = names(report)[0]
    assert status == 1
    assert [row[1:] for row in results(report)] == [(200, NOT_DOWNLOADED)] * 4
    assert problems(report) == [
        (
            "offload-ignored",
            "fail",
            f"The answer for {plain} is a 200 with an empty body that carries the "
            "application's Content-Type and Content-Disposition but not the file: the "
            f"application handed it over with X-Accel-Redirect: /protected/{plain}, and "
            "something in front of it dropped the header instead of acting on it.",
            f"The front server ignores the header: {IGNORED['nginx'][2]}.",
        )
    ]


ENCODING_FIX = (
    "Use the backend made for the front server (apache-xsendfile: xsendfile; nginx and "
    "caddy: nginx; apache-modwsgi: mod_wsgi; lighttpd: lighttpd), and let nothing between the "
    "client and the application decode or re-encode the URL (nginx: proxy_pass without a "
    "path after the address)."
)


def encoding_problem(report: dict[str, Any]) -> tuple[str, str, str, str]:
    plain, special, accented, _ = names(report)
    return (
        "encoding",
        "fail",
        f"{plain} downloads, but {special} (404), {accented} (404) failed: names that must "
        "be percent-encoded do not survive between the client, the application and the "
        "front server.",
        ENCODING_FIX,
    )


def test_percent_encoded_handover_to_mod_xsendfile_is_named(
    sites: Sites, capsys: pytest.CaptureFixture[str]
) -> None:
    # The lighttpd backend percent-encodes X-Sendfile; mod_xsendfile 0.12 opens the
    # header's bytes as they are.
    site = sites.get("apache-xsendfile")
    template = f"http://{site.address}/files/{{name}}?backend=lighttpd"
    status, report = check(capsys, site, *COOKIE, template=template, backend="lighttpd")
    assert status == 1
    assert [row[:2] for row in results(report)] == [
        ("plain", 200),
        ("spaces % ? #", 404),
        ("accents, emoji", 404),
        ("sub-folder", 200),
    ]
    assert problems(report) == [encoding_problem(report)]


def test_caddy_rewriting_to_the_raw_header_is_named(
    sites: Sites, capsys: pytest.CaptureFixture[str]
) -> None:
    # The obvious Caddy configuration: rewrite does not decode the header's URL.
    def raw(text: str) -> str:
        exact = "\t\trewrite * /sendfile_rs\n\t\turi path_regexp ^/sendfile_rs$ "
        return text.replace(exact + "{rp.header.X-Accel-Redirect}\n", "").replace(
            "\t\turi strip_prefix",
            "\t\trewrite * {rp.header.X-Accel-Redirect}\n\t\turi strip_prefix",
        )

    site = sites.get("caddy", "raw rewrite", raw)
    status, report = check(capsys, site, *COOKIE)
    assert status == 1
    assert [row[1] for row in results(report)] == [200, 404, 404, 200]
    assert problems(report) == [encoding_problem(report)]


SHARED_CACHE_FIX = (
    'Send protected files with Cache-Control: private (SENDFILE_OPTIONS = {"cache_control": '
    '"private"}; mod_wsgi drops it, so Apache sets it there, as python -m sendfile_rs config '
    "apache-modwsgi writes it), and let nothing in front add public or s-maxage."
)


def test_public_answer_is_named(sites: Sites, capsys: pytest.CaptureFixture[str]) -> None:
    public = {"SENDFILE_OPTIONS": json.dumps({"cache_control": "public, max-age=600"})}
    site = sites.get("nginx", "public", settings=public)
    # Even without credentials: with public, any cache may keep it.
    status, report = check(capsys, site)
    plain = names(report)[0]
    assert status == 1
    assert [row[2][-1] for row in results(report)] == ["fail"] * 4
    assert problems(report) == [
        (
            "shared-cache",
            "fail",
            f"The answer for {plain} says Cache-Control: public, max-age=600: with public, a "
            "shared cache (a CDN, a proxy) may keep this protected file and hand it to anyone.",
            SHARED_CACHE_FIX,
        )
    ]


def test_a_second_cache_control_line_is_read(
    sites: Sites, capsys: pytest.CaptureFixture[str]
) -> None:
    # The application's private, then nginx's own line: two Cache-Control lines.
    def public(text: str) -> str:
        return text + 'add_header Cache-Control "public, max-age=3600" always;\n'

    site = sites.get("nginx", "second Cache-Control", public)
    status, report = check(capsys, site, *COOKIE)
    plain = names(report)[0]
    assert status == 1
    assert [row[2][-1] for row in results(report)] == ["fail"] * 4
    assert problems(report) == [
        (
            "shared-cache",
            "fail",
            f"The answer for {plain} says Cache-Control: private and Cache-Control: public, "
            "max-age=3600: with public, a shared cache (a CDN, a proxy) may keep this "
            "protected file and hand it to anyone.",
            SHARED_CACHE_FIX,
        )
    ]


def test_authenticated_answer_without_private_is_named(
    sites: Sites, capsys: pytest.CaptureFixture[str]
) -> None:
    # mod_wsgi's redirect drops the application's Cache-Control: private; without the
    # generated configuration's Header directive, nothing marks the answer private.
    def without_header(text: str) -> str:
        return text.replace('    Header set Cache-Control "private"\n', "")

    site = sites.get("apache-modwsgi", "no Header", without_header)
    status, report = check(capsys, site, *COOKIE)
    plain = names(report)[0]
    assert status == 1
    assert problems(report) == [
        MOD_WSGI_NAME,
        (
            "shared-cache",
            "fail",
            f"The answer for {plain}, to a request with credentials, has no Cache-Control: a "
            "shared cache (a CDN, a proxy) may keep it and hand it to the next visitor.",
            SHARED_CACHE_FIX,
        ),
    ]
    # Without credentials there is no private answer to protect.
    status, report = check(capsys, site)
    assert status == 0
    assert problems(report) == [MOD_WSGI_NAME]


def test_manage_py_sendfile_check_reads_the_settings(sites: Sites) -> None:
    site = sites.get("nginx")
    template = f"http://{site.address}/files/{{name}}"
    run = (
        "import sys, django; django.setup()\n"
        "from sendfile_rs.management.commands.sendfile_check import Command\n"
        "Command().run_from_argv(['manage.py', 'sendfile_check', *sys.argv[1:]])\n"
    )
    environment = {**os.environ, **site.environment, "PYTHONPATH": str(PROJECT)}
    passed = subprocess.run(
        [sys.executable, "-c", run, template, "--json", *COOKIE],
        env=environment,
        capture_output=True,
        text=True,
    )
    assert passed.returncode == 0, passed.stderr
    assert json.loads(passed.stdout)["backend"] == "nginx"
    direct = f"http://{site.app_address}/files/{{name}}"
    failed = subprocess.run(
        [sys.executable, "-c", run, direct], env=environment, capture_output=True, text=True
    )
    assert failed.returncode == 1
    assert "FAIL [offload-ignored]" in failed.stdout
    wrong = subprocess.run(
        [sys.executable, "-c", run, "ftp://example.org/{name}"],
        env=environment,
        capture_output=True,
        text=True,
    )
    assert (wrong.returncode, wrong.stdout) == (2, "")
    assert wrong.stderr == (
        "CommandError: the URL template must start with http:// or https://: "
        "ftp://example.org/{name}\n"
    )


def test_a_root_it_cannot_write_to_stops_the_check(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("not a folder")
    root = tmp_path / "file"
    refused = subprocess.run(
        [*CHECK, "--backend", "simple", "--root", str(root), "http://127.0.0.1:1/{name}"],
        capture_output=True,
        text=True,
    )
    assert (refused.returncode, refused.stdout) == (2, "")
    assert refused.stderr == (
        f"python -m sendfile_rs check: cannot write the check's files into {root}: it is "
        "not a folder\n"
    )


MANAGE_PY = """import sys

from django.core.management import execute_from_command_line

execute_from_command_line(sys.argv)
"""


@pytest.mark.parametrize("as_json", [False, True], ids=["table", "json"])
@pytest.mark.parametrize("kind", ["file", "missing"])
def test_manage_py_with_a_root_that_is_no_folder_cannot_run(
    sites: Sites, tmp_path: Path, kind: str, as_json: bool
) -> None:
    # A project with sendfile_rs installed, whose system check E004 refuses this root:
    # the command still runs, exits 2 and prints what python -m sendfile_rs check prints.
    site = sites.get("nginx")
    root = tmp_path / "root"
    if kind == "file":
        root.write_text("not a folder")
    (tmp_path / "manage.py").write_text(MANAGE_PY)
    (tmp_path / "doctor_settings.py").write_text(
        "from project.settings import *  # noqa: F403\nINSTALLED_APPS = ['sendfile_rs']\n"
    )
    environment = {
        **os.environ,
        **site.environment,
        "DJANGO_SETTINGS_MODULE": "doctor_settings",
        "SENDFILE_ROOT": str(root),
        "PYTHONPATH": f"{tmp_path}{os.pathsep}{PROJECT}",
    }
    template = f"http://{site.address}/files/{{name}}"
    json_option = ["--json"] if as_json else []
    managed = subprocess.run(
        [sys.executable, "manage.py", "sendfile_check", template, *json_option],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
    )
    settings = ["--backend", "nginx", "--root", str(root), "--url", "/protected"]
    module = subprocess.run(
        [*CHECK, *settings, template, *json_option], capture_output=True, text=True
    )
    # The same exit status and output as the other form.
    assert (managed.returncode, managed.stdout) == (module.returncode, module.stdout)
    why = "it is not a folder" if kind == "file" else "no such folder"
    message = f"cannot write the check's files into {root}: {why}"
    assert (module.returncode, module.stderr) == (2, f"python -m sendfile_rs check: {message}\n")
    if as_json:
        assert json.loads(module.stdout) == {
            "ok": False,
            "template": template,
            "backend": "nginx",
            "root": str(root),
            "files": [],
            "direct": [],
            "problems": [],
            "error": message,
        }
    else:
        assert module.stdout == ""
    assert managed.stderr == f"CommandError: {message}\n"
    # Nothing was planted.
    assert sorted(path.name for path in tmp_path.iterdir() if path.name != "__pycache__") == [
        "doctor_settings.py",
        "manage.py",
        *(["root"] if kind == "file" else []),
    ]


def test_a_site_that_cannot_be_reached_fails_the_check(tmp_path: Path) -> None:
    port = free_port()
    unreached = subprocess.run(
        [
            *CHECK,
            "--backend",
            "simple",
            "--root",
            str(tmp_path),
            f"http://127.0.0.1:{port}/{{name}}",
        ],
        capture_output=True,
        text=True,
    )
    assert unreached.returncode == 1
    assert unreached.stdout.endswith(
        f"FAIL [unreachable] Could not reach http://127.0.0.1:{port}: [Errno 111] Connection\n"
        "  refused.\n"
        "  fix: Check the URL template, and run the check where the site can be reached.\n"
        "1 problem, 0 warnings.\n"
    )
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("http://127.0.0.1/files/", "the URL template must hold {name} once, in its path: "),
        ("http://127.0.0.1/?f={name}", "the URL template must hold {name} once, in its path: "),
        ("http://127.0.0.1/{name}#x", "the URL template must not hold a #fragment: "),
    ],
)
def test_a_template_it_cannot_use_is_refused_before_any_file_is_written(
    tmp_path: Path, template: str, message: str
) -> None:
    refused = subprocess.run(
        [*CHECK, "--backend", "simple", "--root", str(tmp_path), template],
        capture_output=True,
        text=True,
    )
    assert (refused.returncode, refused.stdout) == (2, "")
    assert refused.stderr == f"python -m sendfile_rs check: {message}{template}\n"
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("number", "status"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_an_interrupted_check_removes_its_files(
    tmp_path: Path, number: signal.Signals, status: int
) -> None:
    # A site that accepts the connection and never answers.
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        template = f"http://127.0.0.1:{port}/{{name}}"
        checking = subprocess.Popen(
            [*CHECK, "--backend", "nginx", "--root", str(tmp_path), "--url", "/x", template],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        listener.settimeout(30)
        connection, _ = listener.accept()
        with connection:
            assert connection.recv(4096).startswith(b"GET /sendfile-check-")
            planted = sorted(path.name for path in tmp_path.iterdir())
            assert len(planted) == 4 and all(n.startswith("sendfile-check-") for n in planted)
            checking.send_signal(number)
            checking.wait(timeout=30)
    assert checking.returncode == status
    assert list(tmp_path.iterdir()) == []
