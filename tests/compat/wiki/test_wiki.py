"""django-sendfile-rs-compat-sendfile under a real library hard-wired to the original
django-sendfile: django-wiki 0.13, whose attachment downloads call ``from sendfile import
sendfile`` (``wiki.core.http``, with ``WIKI_ATTACHMENTS_USE_SENDFILE``) and then set
``Last-Modified``, ``Content-Length`` and ``Content-Disposition`` themselves.

django-wiki's sdist has no tests (and the attachment tests of its repository never request
a download), so these drive its real views through Django's test client: its upload view
stores the file, its download view answers. Run in an environment of its own (make
test-compat-wiki), where django-sendfile was never installed.
"""

from __future__ import annotations

import inspect
import sys
from importlib import metadata
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import sendfile
from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test import Client, override_settings
from django.urls import reverse
from wiki.core import http
from wiki.plugins.attachments.models import Attachment

import sendfile_rs
from sendfile_rs._django.responses import DescriptorResponse

CONTENT = bytes(range(256)) * 4
NAME = "r\u00e9sum\u00e9.txt"


@pytest.fixture(scope="module")
def client() -> Client:
    client = Client()
    client.force_login(User.objects.create_superuser("admin", "admin@example.com", "-"))
    return client


@pytest.fixture(scope="module")
def attachment(client: Client) -> Any:
    """An attachment of the root article, uploaded through django-wiki's own view."""
    index = reverse("wiki:attachments_index", kwargs={"path": ""})
    upload = SimpleUploadedFile(NAME, CONTENT, "text/plain")
    response = client.post(index, {"description": "Q3", "file": upload, "save": "1"})
    assert (response.status_code, response["Location"]) == (302, index)
    return Attachment.objects.get(original_filename=NAME)


def stored(attachment: Any) -> Path:
    """Where django-wiki keeps the file: an obscured folder, and ``.upload`` appended."""
    path = Path(attachment.current_revision.file.path)
    assert path.name == f"{NAME}.upload" and path.read_bytes() == CONTENT
    return path


def download(
    client: Client, attachment: Any, backend: str = "simple", headers: dict[str, str] | None = None
) -> Any:
    """django-wiki's download view's answer, with ``sendfile.backends.<backend>``."""
    url = reverse("wiki:attachments_download", kwargs={"path": "", "attachment_id": attachment.id})
    with override_settings(SENDFILE_BACKEND=f"sendfile.backends.{backend}"):
        return client.get(url, headers=headers)


def test_wiki_downloads_call_this_sendfile_package(client: Client, attachment: Any) -> None:
    # The premise: django-wiki still imports the original django-sendfile's name.
    assert "from sendfile import sendfile" in inspect.getsource(http.django_sendfile_response)
    download(client, attachment).close()
    assert sys.modules["sendfile"] is sendfile
    assert sendfile.sendfile is sendfile_rs.sendfile
    shim = metadata.distribution("django-sendfile-rs-compat-sendfile")
    assert Path(sendfile.__file__) == Path(shim.locate_file("sendfile/__init__.py"))
    for other in ("django-sendfile", "pysendfile"):
        with pytest.raises(metadata.PackageNotFoundError):
            metadata.distribution(other)


def test_the_simple_backend_hands_the_descriptor_over(client: Client, attachment: Any) -> None:
    # sendfile_rs's answer: the descriptor for wsgi.file_wrapper (sendfile(2) in gunicorn
    # and uWSGI), with ETag and Accept-Ranges, which neither django-sendfile nor wiki set.
    response = download(client, attachment)
    assert type(response) is DescriptorResponse
    assert response.status_code == 200
    headers = dict(response.items())
    assert headers.pop("ETag").startswith('"')
    assert headers.pop("Last-Modified").endswith(" GMT")
    assert headers == {
        "Content-Type": "application/octet-stream",
        "Content-Length": str(len(CONTENT)),
        # django-wiki's own, set after sendfile.
        "Content-Disposition": "attachment; filename=r%C3%A9sum%C3%A9.txt",
        "Accept-Ranges": "bytes",
        "Vary": "Cookie",
    }
    assert b"".join(response.streaming_content) == CONTENT
    response.close()


def test_a_range_keeps_its_length_although_wiki_sets_the_files(
    client: Client, attachment: Any
) -> None:
    # wiki's send_file sets Content-Length to the file's size after sendfile: the
    # answer's framing stays that of the bytes sent.
    response = download(client, attachment, headers={"Range": "bytes=10-19"})
    assert response.status_code == 206
    assert (response["Content-Range"], response["Content-Length"]) == ("bytes 10-19/1024", "10")
    assert b"".join(response.streaming_content) == CONTENT[10:20]
    response.close()


def test_a_conditional_download_is_answered_not_modified(client: Client, attachment: Any) -> None:
    first = download(client, attachment)
    first.close()
    response = download(client, attachment, headers={"If-None-Match": first["ETag"]})
    assert (response.status_code, response.content) == (304, b"")
    assert "Content-Length" not in response


def test_the_development_backend_sends_the_file(client: Client, attachment: Any) -> None:
    response = download(client, attachment, "development")
    assert (response.status_code, response["Content-Length"]) == (200, str(len(CONTENT)))
    assert b"".join(response.streaming_content) == CONTENT
    response.close()


@pytest.mark.parametrize(
    ("backend", "header"),
    [
        ("nginx", "X-Accel-Redirect"),
        ("mod_wsgi", "Location"),
        ("xsendfile", "X-Sendfile"),
        # Not in django-sendfile 0.3.11: sendfile_rs's, under the same package spelling.
        ("lighttpd", "X-Sendfile"),
    ],
)
def test_the_front_server_backends_hand_the_path_over(
    client: Client, attachment: Any, backend: str, header: str
) -> None:
    path = stored(attachment)
    relative = path.relative_to(settings.SENDFILE_ROOT).as_posix()
    expected = {
        # Percent-encoded URL under SENDFILE_URL.
        "nginx": f"{settings.SENDFILE_URL}/{quote(relative)}",
        "mod_wsgi": f"{settings.SENDFILE_URL}/{quote(relative)}",
        # The path's UTF-8 bytes, what mod_xsendfile opens (django-sendfile 0.3.11's
        # xsendfile backend calls unicode(), which Python 3 does not have).
        "xsendfile": str(path).encode().decode("latin-1"),
        # Percent-encoded: lighttpd decodes it.
        "lighttpd": quote(str(path)),
    }[backend]
    response = download(client, attachment, backend)
    assert type(response) is HttpResponse
    assert (response.status_code, response[header], response.content) == (200, expected, b"")
