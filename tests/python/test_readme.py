"""The README's code blocks, run as a reader would run them, so the documentation cannot
drift from the code. Python blocks are executed; each front-server configuration must be
exactly what the command above it prints; every shell command is run here or by the part
of `make test` named below. (The Rust block is a doctest of the crate; the C block is
built and run by tests/c/install.sh.)"""

from __future__ import annotations

import io
import re
import shlex
import subprocess
import sys
import venv
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any
from unittest.mock import patch
from wsgiref.util import setup_testing_defaults

import pytest
from asgi_calls import PATHSEND, run
from django.test import RequestFactory, override_settings
from django.urls import resolve

from sendfile_rs.__main__ import main as sendfile_rs_command

REPOSITORY = Path(__file__).parents[2]
README = (REPOSITORY / "README.md").read_text()
BLOCK = re.compile(r"^```([\w,]*)\n(.*?)^```$", re.MULTILINE | re.DOTALL)

#: Shell commands of the README that other parts of `make test` run, and which part.
RUN_ELSEWHERE = {
    "make demo": "tests/python/test_demo.py starts it, logs in, downloads and seeks",
    "make test": "the command that runs this very test",
    "make install PREFIX=/usr/local": "tests/c/install.sh, into a temporary prefix",
    "cc app.c $(pkg-config --cflags --libs sendfile)": "tests/c/install.sh, on the C block",
    'python manage.py sendfile_check "https://example.org/downloads/{name}" --cookie '
    '"sessionid=..."': "tests/e2e/test_doctor.py runs the command, against nginx",
    "python -m sendfile_rs check --backend nginx --root /srv/private --url /protected "
    '"https://example.org/downloads/{name}"': "tests/e2e/test_doctor.py, against the five "
    "front servers",
    "pip uninstall -y django-sendfile2": "make test-compat, in .venv/compat (tests/compat)",
    "make compat-wheel && pip install --no-deps target/wheels/django_sendfile_rs_compat-*.whl": (
        "make test-compat, into .venv/compat (tests/compat)"
    ),
}
#: Shell commands this file runs, each by the test named.
RUN_HERE = {
    "pip install .": "test_pip_install_builds_a_working_module",
    "make help": "test_make_help_lists_the_targets_the_readme_names",
}


def blocks(*languages: str) -> list[str]:
    return [body for language, body in BLOCK.findall(README) if language in languages]


def shell_commands() -> list[str]:
    lines = (line.split("#", 1)[0].strip() for body in blocks("sh") for line in body.splitlines())
    return [line for line in lines if line]


def test_every_shell_command_is_run_by_make_test() -> None:
    commands = shell_commands()
    assert commands, "the README has no shell block"
    unrun = [command for command in commands if command not in RUN_HERE | RUN_ELSEWHERE]
    assert unrun == [], "add each to RUN_HERE with a test, or to RUN_ELSEWHERE"
    assert sorted(RUN_HERE | RUN_ELSEWHERE) == sorted(set(commands)), "stale entries"
    for test in RUN_HERE.values():
        assert callable(globals()[test])


PRINT_CONTENT_LENGTH = (
    "import sendfile_rs, sys; "
    "print(sendfile_rs.Sender('simple', sys.argv[1]).plan('file.txt').content_length)"
)


def test_pip_install_builds_a_working_module(tmp_path: Path) -> None:
    environment = tmp_path / "venv"
    venv.create(environment, with_pip=True)
    python = environment / "bin" / "python"
    # maturin leaves a copy of the wheel it builds in target/wheels, where `make` expects
    # only its own: that copy goes.
    wheels = REPOSITORY / "target" / "wheels"
    before = set(wheels.glob("*.whl"))
    try:
        subprocess.run(
            [python, "-m", "pip", "install", "-q", "--disable-pip-version-check", "."],
            cwd=REPOSITORY,
            check=True,
        )
    finally:
        for wheel in set(wheels.glob("*.whl")) - before:
            wheel.unlink()
    (tmp_path / "file.txt").write_bytes(b"x" * 10)
    plan = subprocess.run(
        [python, "-c", PRINT_CONTENT_LENGTH, tmp_path],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
    )
    assert plan.stdout == "10\n"


def test_make_help_lists_the_targets_the_readme_names() -> None:
    listed = subprocess.run(
        ["make", "--no-print-directory", "help"],
        cwd=REPOSITORY,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    targets = set(re.findall(r"^  make (\S+)", listed, re.MULTILINE))
    # `make target/c/server` builds a file, not a listed target.
    named = set(re.findall(r"`make ([a-z-]+)\b(?!/)", README))
    assert named <= targets, f"the README names targets that do not exist: {named - targets}"


def written_with(command_text: str) -> str:
    output = io.StringIO()
    arguments = shlex.split(command_text)[3:]  # after "python -m sendfile_rs"
    standard_output, sys.stdout = sys.stdout, output
    try:
        assert sendfile_rs_command(arguments) == 0
    finally:
        sys.stdout = standard_output
    return output.getvalue()


def test_each_front_server_configuration_is_what_its_command_prints() -> None:
    commands = re.compile(r"`(python -m sendfile_rs config [^`]+)`")
    servers = []
    for block in BLOCK.finditer(README):
        if block.group(1) not in ("nginx", "lighttpd", "apache", "caddy"):
            continue
        # The command is the last one written above the block.
        command = " ".join(commands.findall(README, 0, block.start())[-1].split())
        servers.append(command.split()[4])
        assert block.group(2) == written_with(command), command
    assert servers == [
        "nginx",
        "lighttpd",
        "apache-xsendfile",
        "apache-modwsgi",
        "caddy",
        # The object store's location.
        "nginx",
    ]


def django_files() -> dict[str, str]:
    """The Django block, cut at its ``# file.py`` comments."""
    (block,) = [body for body in blocks("python") if "# settings.py" in body]
    parts = re.split(r"^# (\S+\.py)\b.*$", block, flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2]))


def test_django_quick_start_serves_through_nginx(tmp_path: Path) -> None:
    files = django_files()
    assert list(files) == ["settings.py", "downloads/views.py", "urls.py"]
    settings: dict[str, Any] = {"INSTALLED_APPS": ["django.contrib.auth"]}
    exec(files["settings.py"], settings)
    assert settings["INSTALLED_APPS"] == ["django.contrib.auth", "sendfile_rs"]
    assert settings["SENDFILE_ROOT"] == "/srv/private"
    (tmp_path / "q3 report.pdf").write_bytes(b"%PDF")

    package, views = ModuleType("downloads"), ModuleType("downloads.views")
    exec(files["downloads/views.py"], views.__dict__)
    package.views = views  # type: ignore[attr-defined]
    urls = ModuleType("urls")
    with patch.dict(sys.modules, {"downloads": package, "downloads.views": views}):
        exec(files["urls.py"], urls.__dict__)

    request = RequestFactory().get("/download/q3%20report.pdf")
    request.user = SimpleNamespace(is_authenticated=True)  # type: ignore[assignment]
    shown = {name: value for name, value in settings.items() if name.startswith("SENDFILE_")}
    with override_settings(**dict(shown, SENDFILE_ROOT=str(tmp_path))):
        match = resolve("/download/q3 report.pdf", urlconf=urls)
        response = match.func(request, *match.args, **match.kwargs)
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == "/protected/q3%20report.pdf"
    assert response["Content-Disposition"] == 'attachment; filename="q3 report.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private"


def test_wsgi_quick_start_answers_with_the_file(tmp_path: Path) -> None:
    (block,) = [body for body in blocks("python") if "def application" in body]
    # The block's root, moved to a folder this test owns.
    code = block.replace('"/srv/private"', repr(str(tmp_path)))
    assert code != block
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "q3.pdf").write_bytes(b"%PDF-1.7 quarterly")
    namespace: dict[str, Any] = {}
    exec(code, namespace)
    environ: dict[str, Any] = {"HTTP_RANGE": "bytes=4-"}
    setup_testing_defaults(environ)
    started: list[Any] = []
    body = namespace["application"](environ, lambda *answer: started.append(answer))
    try:
        data = b"".join(body)
    finally:
        body.close()
    status, headers = started[0][:2]
    assert status == "206 Partial Content"
    assert ("Content-Disposition", 'attachment; filename="q3.pdf"') in headers
    assert ("Content-Range", "bytes 4-17/18") in headers
    assert data == b"-1.7 quarterly"


def test_object_store_settings_send_through_the_store_location() -> None:
    from django.core.files.storage import storages
    from django.db.models import FileField
    from django.db.models.fields.files import FieldFile

    import sendfile_rs

    (block,) = [body for body in blocks("python") if "storages.backends.s3.S3Storage" in body]
    names: dict[str, Any] = {}
    exec(block, names)
    keys = {"AWS_S3_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_S3_SECRET_ACCESS_KEY": "secret"}
    # The storage made from the block's entry as Django makes it: override_settings of
    # STORAGES under Django 4.2 drops the default storage's OPTIONS (its deprecation shim
    # for DEFAULT_FILE_STORAGE), which settings.py itself does not.
    with override_settings(
        STORAGES=names["STORAGES"], SENDFILE_BACKEND=names["SENDFILE_BACKEND"], **keys
    ):
        storage = storages.create_storage(names["STORAGES"]["default"])
        file = FieldFile(None, FileField(storage=storage), "reports/q3.pdf")
        response = sendfile_rs.sendfile(RequestFactory().get("/"), file, attachment=True)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="q3.pdf"'
    accel = response["X-Accel-Redirect"]
    assert accel.startswith("/_sendfile_store/private/reports/q3.pdf?X-Amz-Algorithm="), accel
    assert "%2Feu-west-1%2Fs3%2Faws4_request&" in accel and "secret" not in accel


def test_django_asgi_block_sends_the_file_by_pathsend(root: Path) -> None:
    (block,) = [body for body in blocks("python") if "# asgi.py" in body]
    namespace: dict[str, Any] = {}
    # The test project's settings stand for the block's mysite.settings (setdefault).
    exec(block, namespace)
    with override_settings(SENDFILE_BACKEND="sendfile_rs.backends.simple", SENDFILE_ROOT=str(root)):
        client = run(namespace["application"], "/files/file.txt", extensions=PATHSEND)
    assert client.status == 200
    assert client.sent[1:] == [{"type": "http.response.pathsend", "path": str(root / "file.txt")}]


def test_fastapi_block_answers_a_range(tmp_path: Path) -> None:
    pytest.importorskip("fastapi")
    (block,) = [body for body in blocks("python") if "from fastapi import FastAPI" in body]
    code = block.replace('"/srv/private"', repr(str(tmp_path)))
    assert code != block
    (tmp_path / "q3.pdf").write_bytes(b"%PDF-1.7 quarterly")
    namespace: dict[str, Any] = {}
    exec(code, namespace)
    client = run(namespace["app"], "/download/q3.pdf", headers=[("Range", "bytes=4-")])
    assert (client.status, client.body) == (206, b"-1.7 quarterly")
    assert ("content-disposition", 'attachment; filename="q3.pdf"') in client.headers


def test_every_python_block_is_executed_above() -> None:
    assert len(blocks("python")) == 5, "a Python block was added: execute it here"


def test_every_block_has_a_known_language() -> None:
    languages = {language for language, _ in BLOCK.findall(README)}
    checked = {"python", "sh", "c", "rust,no_run", "nginx", "lighttpd", "apache", "caddy"}
    assert languages <= checked | {"text"}, "a block in a new language: check it here"
