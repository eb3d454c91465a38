"""The ``sendfile`` package of django-sendfile-rs-compat-sendfile: django-sendfile 0.3.11's
names, the distribution's version, and its refusals beside the distributions that provide
a top-level ``sendfile`` too (django-sendfile, django-sendfile2 before 0.5, pysendfile)."""

from __future__ import annotations

import importlib
import re
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest
import sendfile
import sendfile.backends
from django.test import override_settings

import sendfile_rs

REPOSITORY = Path(__file__).parents[3]
SHIM = "django-sendfile-rs-compat-sendfile"
BACKENDS = ["development", "lighttpd", "mod_wsgi", "nginx", "simple", "xsendfile"]
#: pysendfile 2.0.1, built and installed into a folder of its own by the Makefile.
PYSENDFILE = Path(sys.prefix) / "pysendfile"


def test_the_names_of_django_sendfile_are_sendfile_rss() -> None:
    assert sendfile.sendfile is sendfile_rs.sendfile
    assert sendfile.backends.__all__ == BACKENDS
    for name in BACKENDS:
        ours = importlib.import_module(f"sendfile_rs.backends.{name}")
        assert importlib.import_module(f"sendfile.backends.{name}") is ours
        assert getattr(sendfile.backends, name) is ours
    from sendfile.backends.nginx import sendfile as nginx

    assert nginx is sys.modules["sendfile_rs.backends.nginx"].sendfile
    assert (sendfile.__version__, sendfile.VERSION) == ("0.3.11", (0, 3, 11))


def test_the_distribution_goes_with_this_sendfile_rs() -> None:
    shim = metadata.distribution(SHIM)
    assert shim.version == sendfile_rs.__version__
    assert shim.requires == [f"sendfile_rs=={sendfile_rs.__version__}", "Django>=4.2"]
    manifest = (REPOSITORY / "shim" / SHIM / "pyproject.toml").read_text()
    version = re.search(r'^version = "([^"]+)"', manifest, re.MULTILINE)
    assert version and version[1] == shim.version


def test_the_backend_lookup_is_cached_until_cleared() -> None:
    # As django-sendfile's tests do after changing SENDFILE_BACKEND; sendfile() itself
    # reads the setting at every call.
    simple = sendfile.backends.simple.sendfile
    sendfile._get_sendfile.clear()
    assert sendfile._get_sendfile() is simple
    with override_settings(SENDFILE_BACKEND="sendfile.backends.nginx"):
        assert sendfile._get_sendfile() is simple
        sendfile._get_sendfile.clear()
        assert sendfile._get_sendfile() is sendfile.backends.nginx.sendfile
    sendfile._get_sendfile.clear()
    assert sendfile._get_sendfile() is simple


def import_sendfile(*path: Path) -> subprocess.CompletedProcess[str]:
    """``import sendfile`` in a fresh interpreter with ``path`` first on sys.path."""
    return subprocess.run(
        [sys.executable, "-c", "import sendfile; print(sendfile.__file__)"],
        env={"PYTHONPATH": ":".join(map(str, path))},
        capture_output=True,
        text=True,
        check=False,
    )


def installed(folder: Path, name: str, version: str) -> Path:
    """A distribution's metadata, as pip leaves it in ``folder``."""
    info = folder / f"{name.replace('-', '_')}-{version}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")
    return folder


@pytest.mark.parametrize(
    ("name", "version"), [("django-sendfile", "0.3.11"), ("django-sendfile2", "0.4.3")]
)
def test_the_package_refuses_to_load_beside_the_one_it_replaces(
    tmp_path: Path, name: str, version: str
) -> None:
    # Installed over the shim's files, it would own them in its RECORD.
    result = import_sendfile(installed(tmp_path, name, version))
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == (
        f"ImportError: {name} {version} is installed beside {SHIM}, and both provide the "
        f"sendfile package: run pip uninstall -y {name}, then pip install "
        f"--force-reinstall --no-deps {SHIM}"
    )


def test_the_package_loads_beside_django_sendfile2_0_5_and_later(tmp_path: Path) -> None:
    # From 0.5 on, django-sendfile2's package is django_sendfile.
    result = import_sendfile(installed(tmp_path, "django-sendfile2", "0.7.2"))
    assert (result.returncode, result.stdout) == (0, f"{sendfile.__file__}\n")


def test_the_package_refuses_to_load_beside_pysendfile(tmp_path: Path) -> None:
    # The real pysendfile in the folder of this package, as pip installs the two into one
    # site-packages: the package is found before the extension module of the same name.
    entries = sorted(PYSENDFILE.iterdir())
    assert [entry.name.split(".")[0] for entry in entries] == ["pysendfile-2", "sendfile"]
    assert entries[1].suffix == ".so"
    for entry in entries:
        (tmp_path / entry.name).symlink_to(entry)
    (tmp_path / "sendfile").symlink_to(Path(sendfile.__file__).parent)
    result = import_sendfile(tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == (
        f"ImportError: pysendfile is installed beside {SHIM}, and both provide the "
        "top-level sendfile module: this package hides pysendfile's sendfile(out_fd, "
        "in_fd, offset, count), or pysendfile hides it, so one environment cannot have "
        "both. Either port the code that calls pysendfile to os.sendfile (the same call) "
        f"and run pip uninstall -y pysendfile, or run pip uninstall -y {SHIM} and have the "
        "Django code import sendfile_rs (from sendfile_rs import sendfile)"
    )


def test_pysendfile_earlier_on_the_path_hides_the_package() -> None:
    # What the package cannot refuse, since it never loads (the shim's README says so):
    # sendfile is pysendfile's extension module, whose function a Django view's call fails.
    code = (
        "import sendfile\n"
        "try:\n"
        "    sendfile.sendfile(None, '/attachment.txt')\n"
        "except TypeError as error:\n"
        "    print(sendfile.__file__, error, sep='\\n')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={"PYTHONPATH": str(PYSENDFILE)},
        capture_output=True,
        text=True,
        check=True,
    )
    module, error = result.stdout.splitlines()
    assert Path(module).parent == PYSENDFILE and Path(module).suffix == ".so"
    assert error == "function takes exactly 4 arguments (2 given)"
