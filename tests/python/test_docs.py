"""The code blocks of the README, of the manual's pages (docs/*.md) and of CONTRIBUTING.md,
run as a reader would run them, so the documentation cannot drift from the code. Python
blocks are executed; each front-server configuration must be exactly what the command
above it prints; every shell command is run here or by the part of `make test` named
below. The Rust blocks are doctests of the crate (src/lib.rs includes each file that has
one); the C blocks are examples/c/hello.c, built and run by tests/c/install.sh. The
options table lists the core's options, and the links of the files outside the site lead
to files and headings that exist (`make docs` checks the site's own links)."""

from __future__ import annotations

import asyncio
import io
import re
import shlex
import subprocess
import sys
import venv
import zipfile
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
from sendfile_rs._native import OPTION_NAMES

REPOSITORY = Path(__file__).parents[2]
#: The files outside the site, then the site's pages (mkdocs.yml: docs_dir).
OUTSIDE_THE_SITE = ["README.md", "CONTRIBUTING.md", "SECURITY.md"]
DOCUMENTS = OUTSIDE_THE_SITE + sorted(
    str(page.relative_to(REPOSITORY)) for page in (REPOSITORY / "docs").glob("*.md")
)
TEXT = {document: (REPOSITORY / document).read_text() for document in DOCUMENTS}
BLOCK = re.compile(r"^```([\w,]*)\n(.*?)^```$", re.MULTILINE | re.DOTALL)

#: Shell commands of the documentation that other parts of `make test` run, and which part.
RUN_ELSEWHERE = {
    "make demo": "tests/python/test_demo.py starts it, logs in, downloads and seeks",
    "make test": "the command that runs this very test",
    "make install PREFIX=/usr/local": "tests/c/install.sh, into a temporary prefix",
    "cc app.c $(pkg-config --cflags --libs sendfile)": "tests/c/install.sh, on the C blocks",
    'python manage.py sendfile_check "https://example.org/downloads/{name}" --cookie '
    '"sessionid=..."': "tests/e2e/test_doctor.py runs the command, against nginx",
    "python -m sendfile_rs check --backend nginx --root /srv/private --url /protected "
    '"https://example.org/downloads/{name}"': "tests/e2e/test_doctor.py, against the five "
    "front servers",
    "pip uninstall -y django-sendfile2": "make test-compat, in .venv/compat (tests/compat)",
    "make compat-wheel && pip install --no-deps target/wheels/django_sendfile_rs_compat-*.whl": (
        "make test-compat, into .venv/compat (tests/compat)"
    ),
    "flask --app app sendfile config": "make test-flask (tests/flask/test_flask_cli.py)",
    'flask --app app sendfile check "https://example.org/downloads/{name}"': (
        "make test-flask (tests/flask/test_flask_cli.py), against an unreachable site"
    ),
}
#: Shell commands this file runs, each by the test named.
RUN_HERE = {
    "pip install .": "test_pip_install_builds_a_working_module",
    "make help": "test_make_help_lists_the_targets_the_documentation_names",
}


def blocks(*languages: str) -> list[tuple[str, str]]:
    """Each block in one of ``languages``, with the document it is in."""
    return [
        (document, body)
        for document, text in TEXT.items()
        for language, body in BLOCK.findall(text)
        if language in languages
    ]


def copies(marker: str) -> list[Any]:
    """Each Python block with ``marker`` in it, one parameter per copy, named by its file."""
    found = [(document, body) for document, body in blocks("python") if marker in body]
    return [pytest.param(body, id=document) for document, body in found]


def shell_commands() -> list[str]:
    lines = (
        line.split("#", 1)[0].strip() for _, body in blocks("sh") for line in body.splitlines()
    )
    return [line for line in lines if line]


def test_every_shell_command_is_run_by_make_test() -> None:
    commands = shell_commands()
    assert commands, "the documentation has no shell block"
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


def test_make_help_lists_the_targets_the_documentation_names() -> None:
    listed = subprocess.run(
        ["make", "--no-print-directory", "help"],
        cwd=REPOSITORY,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    targets = set(re.findall(r"^  make (\S+)", listed, re.MULTILINE))
    # `make target/c/server` builds a file, not a listed target.
    named = {
        target
        for text in TEXT.values()
        for target in re.findall(r"`make ([a-z0-9-]+)\b(?!/)", text)
    }
    assert named <= targets, f"the documentation names targets that do not exist: {named - targets}"


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
    servers: dict[str, list[str]] = {}
    for document, text in TEXT.items():
        for block in BLOCK.finditer(text):
            if block.group(1) not in ("nginx", "lighttpd", "apache", "caddy"):
                continue
            # The command is the last one written above the block, in the same file.
            command = " ".join(commands.findall(text, 0, block.start())[-1].split())
            servers.setdefault(document, []).append(command.split()[4])
            assert block.group(2) == written_with(command), f"{document}: {command}"
    assert servers == {
        "docs/backends.md": ["nginx", "lighttpd", "apache-xsendfile", "apache-modwsgi", "caddy"],
        "docs/object-stores.md": ["nginx"],
    }


def django_files(block: str) -> dict[str, str]:
    """The Django block, cut at its ``# file.py`` comments."""
    parts = re.split(r"^# (\S+\.py)\b.*$", block, flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2]))


@pytest.mark.parametrize("block", copies("# settings.py"))
def test_django_quick_start_serves_through_nginx(block: str, tmp_path: Path) -> None:
    files = django_files(block)
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


@pytest.mark.parametrize("block", copies("def application"))
def test_wsgi_quick_start_answers_with_the_file(block: str, tmp_path: Path) -> None:
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


@pytest.mark.parametrize("block", copies("storages.backends.s3.S3Storage"))
def test_object_store_settings_send_through_the_store_location(block: str) -> None:
    from django.core.files.storage import storages
    from django.db.models import FileField
    from django.db.models.fields.files import FieldFile

    import sendfile_rs

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


@pytest.mark.parametrize("block", copies("# asgi.py"))
def test_django_asgi_block_sends_the_file_by_pathsend(block: str, root: Path) -> None:
    namespace: dict[str, Any] = {}
    # The test project's settings stand for the block's mysite.settings (setdefault).
    exec(block, namespace)
    with override_settings(SENDFILE_BACKEND="sendfile_rs.backends.simple", SENDFILE_ROOT=str(root)):
        client = run(namespace["application"], "/files/file.txt", extensions=PATHSEND)
    assert client.status == 200
    assert client.sent[1:] == [{"type": "http.response.pathsend", "path": str(root / "file.txt")}]


@pytest.mark.parametrize("block", copies("from fastapi import FastAPI"))
def test_fastapi_block_answers_a_range(block: str, tmp_path: Path) -> None:
    pytest.importorskip("fastapi")
    code = block.replace('"/srv/private"', repr(str(tmp_path)))
    assert code != block
    (tmp_path / "q3.pdf").write_bytes(b"%PDF-1.7 quarterly")
    namespace: dict[str, Any] = {}
    exec(code, namespace)
    client = run(namespace["app"], "/download/q3.pdf", headers=[("Range", "bytes=4-")])
    assert (client.status, client.body) == (206, b"-1.7 quarterly")
    assert ("content-disposition", 'attachment; filename="q3.pdf"') in client.headers


@pytest.mark.parametrize("block", copies("from sendfile_rs.flask import"))
def test_flask_block_answers_a_range(block: str, tmp_path: Path) -> None:
    pytest.importorskip("flask")
    code = block.replace("/srv/private", str(tmp_path))
    assert code != block
    (tmp_path / "q3.pdf").write_bytes(b"%PDF-1.7 quarterly")
    namespace: dict[str, Any] = {"__name__": "docs_flask"}
    exec(code, namespace)
    response = namespace["app"].test_client().get("/download/q3.pdf", headers={"Range": "bytes=4-"})
    assert (response.status_code, response.data) == (206, b"-1.7 quarterly")
    assert response.headers["Content-Disposition"] == 'attachment; filename="q3.pdf"'


@pytest.mark.parametrize("block", copies("from sendfile_rs.quart import"))
def test_quart_block_answers_a_range(block: str, tmp_path: Path) -> None:
    pytest.importorskip("quart")
    code = block.replace("/srv/private", str(tmp_path))
    assert code != block
    (tmp_path / "q3.pdf").write_bytes(b"%PDF-1.7 quarterly")
    namespace: dict[str, Any] = {"__name__": "docs_quart"}
    exec(code, namespace)

    async def download() -> tuple[int, bytes, str]:
        client = namespace["app"].test_client()
        response = await client.get("/download/q3.pdf", headers={"Range": "bytes=4-"})
        body = await response.get_data()
        return response.status_code, body, response.headers["Content-Disposition"]

    assert asyncio.run(download()) == (206, b"-1.7 quarterly", 'attachment; filename="q3.pdf"')


@pytest.mark.parametrize("block", copies("# downloads/archive.py"))
def test_archive_block_sends_the_reports_as_one_zip(block: str, tmp_path: Path) -> None:
    (tmp_path / "reports").mkdir()
    for name in ("q3.pdf", "q4.pdf"):
        (tmp_path / "reports" / name).write_bytes(b"%PDF-1.7 " + name.encode())
    namespace: dict[str, Any] = {}
    exec(block, namespace)
    request = RequestFactory().get("/", {"name": ["q3.pdf", "q4.pdf"]})
    request.user = type("User", (), {"is_authenticated": True})()
    with override_settings(
        SENDFILE_BACKEND="sendfile_rs.backends.simple", SENDFILE_ROOT=str(tmp_path)
    ):
        response = namespace["reports"](request)
        body = b"".join(response)
    assert response["Content-Disposition"] == 'attachment; filename="reports.zip"'
    archive = zipfile.ZipFile(io.BytesIO(body))
    assert archive.namelist() == ["reports/q3.pdf", "reports/q4.pdf"]
    assert archive.read("reports/q4.pdf") == b"%PDF-1.7 q4.pdf"


#: Each kind of Python block, by a line only it has, and the test that runs every copy.
PYTHON_BLOCKS = {
    "# settings.py": "test_django_quick_start_serves_through_nginx",
    "def application": "test_wsgi_quick_start_answers_with_the_file",
    "storages.backends.s3.S3Storage": "test_object_store_settings_send_through_the_store_location",
    "# asgi.py": "test_django_asgi_block_sends_the_file_by_pathsend",
    "from fastapi import FastAPI": "test_fastapi_block_answers_a_range",
    "from sendfile_rs.flask import": "test_flask_block_answers_a_range",
    "from sendfile_rs.quart import": "test_quart_block_answers_a_range",
    "# downloads/archive.py": "test_archive_block_sends_the_reports_as_one_zip",
}


def test_every_python_block_is_executed_above() -> None:
    for document, body in blocks("python"):
        kinds = [marker for marker in PYTHON_BLOCKS if marker in body]
        assert len(kinds) == 1, f"a new Python block in {document}: execute it here\n{body}"
    for marker, test in PYTHON_BLOCKS.items():
        assert copies(marker), f"no block has {marker!r} any more: drop {test}"
        assert callable(globals()[test])


def test_every_block_has_a_known_language() -> None:
    checked = {"python", "sh", "c", "rust,no_run", "nginx", "lighttpd", "apache", "caddy"}
    for document, text in TEXT.items():
        languages = {language for language, _ in BLOCK.findall(text)}
        assert languages <= checked | {"text"}, f"{document}: a block in a new language"
        if document.startswith("docs/"):
            # MkDocs's fenced code takes one word: a block of "rust,no_run" would be text.
            assert not {language for language in languages if "," in language}, document


def test_each_file_with_a_rust_block_is_a_doctest() -> None:
    library = (REPOSITORY / "src" / "lib.rs").read_text()
    doctests = re.findall(
        r'^#\[cfg\(doctest\)\]\n#\[doc = include_str!\("\.\./([^"]+)"\)\]\nstruct \w+;$',
        library,
        re.MULTILINE,
    )
    rust = {document for document, _ in blocks("rust,no_run")}
    assert "README.md" in rust
    assert sorted(doctests) == sorted(rust)


def test_the_c_blocks_are_the_example_install_sh_builds() -> None:
    hello = (REPOSITORY / "examples" / "c" / "hello.c").read_text()
    assert blocks("c") == [("README.md", hello), ("docs/c-api.md", hello)]
    # tests/c/install.sh compares the same two files' blocks with examples/c/hello.c.
    script = (REPOSITORY / "tests" / "c" / "install.sh").read_text()
    assert "for document in README.md docs/c-api.md;" in script


def test_the_options_table_lists_the_core_s_options_in_its_order() -> None:
    page = TEXT["docs/options.md"]
    table = page.split("| option | default | meaning |\n", 1)[1].split("\n\n", 1)[0]
    listed = [
        name
        for row in table.splitlines()[1:]
        for name in re.findall(r"`([a-z_]+)`", row.strip("|").split(" | ")[0])
    ]
    # The text form's names, and beside content_type its typed form: every media type as
    # one mapping (Python) or list (Rust).
    typed = OPTION_NAMES.index("content_type") + 1
    assert listed == [*OPTION_NAMES[:typed], "content_types", *OPTION_NAMES[typed:]]


#: A Markdown link: its target, without a title.
LINK = re.compile(r"\]\(([^)\s]+)\)")


def anchors(text: str) -> set[str]:
    """The anchors of a document's headings that GitHub and MkDocs both make."""
    found = set()
    for heading in re.findall(r"^#+ (.+)$", BLOCK.sub("", text), re.MULTILINE):
        github = re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")
        mkdocs = re.sub(r"[-\s]+", "-", re.sub(r"[^\w\s-]", "", heading).strip().lower())
        if github == mkdocs:
            found.add(github)
    return found


@pytest.mark.parametrize("document", OUTSIDE_THE_SITE)
def test_links_outside_the_site_lead_to_files_and_headings(document: str) -> None:
    for target in LINK.findall(BLOCK.sub("", TEXT[document])):
        if re.match(r"[a-z]+:", target):
            continue
        path, _, anchor = target.partition("#")
        file = (REPOSITORY / document).parent / path if path else REPOSITORY / document
        assert file.exists(), f"{document} links to {target}, which does not exist"
        if anchor:
            assert anchor in anchors(file.read_text()), f"{document}: no heading for {target}"
