"""django-sendfile-rs-compat under a real library hard-wired to django-sendfile2:
django-privates 4, whose view does ``from django_sendfile import sendfile`` and whose test
helper clears ``django_sendfile.utils._get_sendfile``. Run in an environment of its own
(make test-python), where django-sendfile2 came with django-privates and was then
uninstalled, as the README's migration note says."""

from __future__ import annotations

import importlib
import re
import subprocess
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

import django_sendfile
import django_sendfile.utils
import pytest
from compat_site.models import Report
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.test import RequestFactory, override_settings
from privates.test import temp_private_root
from privates.views import PrivateMediaView

import sendfile_rs

REPOSITORY = Path(__file__).parents[3]
BACKENDS = ["simple", "development", "xsendfile", "nginx", "mod_wsgi", "lighttpd"]
CONTENT = bytes(range(256)) * 4

view = PrivateMediaView.as_view(
    model=Report, file_field="file", permission_required="compat_site.view_report"
)


@pytest.fixture
def report() -> Any:
    report = Report()
    report.file.save("q3-r\u00e9sum\u00e9.txt", ContentFile(CONTENT))
    return report


def download(report: Any, **headers: str) -> Any:
    request = RequestFactory().get("/", headers=headers)
    request.user = User.objects.get_or_create(username="admin", is_superuser=True)[0]
    return view(request, pk=report.pk)


def test_django_sendfile_is_sendfile_rs() -> None:
    assert django_sendfile.sendfile is django_sendfile.utils.sendfile is sendfile_rs.sendfile
    for name in BACKENDS:
        ours = importlib.import_module(f"sendfile_rs.backends.{name}").sendfile
        assert importlib.import_module(f"django_sendfile.backends.{name}").sendfile is ours
    assert (django_sendfile.__version__, django_sendfile.VERSION) == ("0.7.2", ("0", "7", "2"))
    with pytest.raises(metadata.PackageNotFoundError):
        metadata.distribution("django-sendfile2")


def test_the_distribution_goes_with_this_sendfile_rs() -> None:
    shim = metadata.distribution("django-sendfile-rs-compat")
    assert shim.version == sendfile_rs.__version__
    assert shim.requires == [f"sendfile_rs=={sendfile_rs.__version__}", "Django>=4.2"]
    manifest = (REPOSITORY / "shim" / "django-sendfile-rs-compat" / "pyproject.toml").read_text()
    version = re.search(r'^version = "([^"]+)"', manifest, re.MULTILINE)
    assert version and version[1] == shim.version


def test_the_librarys_view_is_answered_by_sendfile_rs(report: Any) -> None:
    # No Content-Length on the header-only answer: what sendfile_rs does, where
    # django-sendfile2 would declare the file's size for a body it does not send.
    response = download(report)
    assert (response.status_code, dict(response.items())) == (
        200,
        {
            "Content-Type": "text/plain",
            "Content-Disposition": (
                "inline; filename=\"q3-resume.txt\"; filename*=UTF-8''q3-r%C3%A9sum%C3%A9.txt"
            ),
            "X-Accel-Redirect": "/private-media/reports/q3-r%C3%A9sum%C3%A9.txt",
        },
    )


def test_the_librarys_view_serves_ranges_with_the_simple_backend(report: Any) -> None:
    with override_settings(SENDFILE_BACKEND="django_sendfile.backends.simple"):
        response = download(report, Range="bytes=10-19")
    assert (response.status_code, response["Content-Range"]) == (206, "bytes 10-19/1024")
    assert b"".join(response.streaming_content) == CONTENT[10:20]
    response.close()


def test_the_librarys_test_helper_clears_the_backend_cache() -> None:
    # temp_private_root swaps in an in-memory storage and its own backend module, and its
    # setting_changed receiver calls django_sendfile.utils._get_sendfile.cache_clear().
    nginx = importlib.import_module("django_sendfile.backends.nginx").sendfile
    assert django_sendfile.utils._get_sendfile() is nginx
    with temp_private_root():
        assert django_sendfile.utils._get_sendfile() is sys.modules["privates.test"].sendfile
        report = Report()
        report.file.save("in-memory.txt", ContentFile(b"kept in memory"))
        response = download(report)
        assert (response.status_code, response.content) == (200, b"kept in memory")
        assert dict(response.items()) == {
            "Content-Type": "text/plain",
            "Content-Disposition": 'inline; filename="in-memory.txt"',
        }
    assert django_sendfile.utils._get_sendfile() is nginx


def test_the_shim_refuses_to_load_beside_django_sendfile2(tmp_path: Path) -> None:
    # A django-sendfile2 installed over the shim's files would own them in its RECORD.
    info = tmp_path / "django_sendfile2-0.7.2.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: django-sendfile2\nVersion: 0.7.2\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", "import django_sendfile"],
        env={"PYTHONPATH": str(tmp_path)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == (
        "ImportError: django-sendfile2 is installed beside django-sendfile-rs-compat, and "
        "both provide the django_sendfile package: run pip uninstall -y django-sendfile2, "
        "then pip install --force-reinstall --no-deps django-sendfile-rs-compat"
    )
