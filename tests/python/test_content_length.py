"""``content_length=``: the size of what a front server sends. django-sendfile2 0.7.2 sets
``Content-Length`` to it after every backend; a custom backend gets it the same way here,
a header-only backend takes it as the file's size (its answer carries no Content-Length),
and the backends that send the file themselves refuse one that is not the file's size."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import RequestFactory, override_settings

import sendfile_rs

requests = RequestFactory()

HEADER_ONLY = ["xsendfile", "nginx", "mod_wsgi", "lighttpd"]


def refusal(backend: str) -> str:
    return (
        "invalid argument: the declared content length 42 differs from the file's size 1000: the "
        f"{backend} backend sends the file itself, and its Content-Length is the bytes it "
        "sends; leave content_length out (it is for files a front server sends)"
    )


def test_custom_backend_gets_the_declared_length_as_django_sendfile2_sets_it(root: Path) -> None:
    with override_settings(SENDFILE_BACKEND="custom_backend", SENDFILE_ROOT=str(root)):
        response = sendfile_rs.sendfile(requests.get("/"), "file.txt", content_length=42)
    assert response["Content-Length"] == "42"
    assert response["X-Custom-Path"] == str(root / "file.txt")


@pytest.mark.parametrize("backend", HEADER_ONLY)
def test_header_only_backends_take_a_declared_length_that_differs(backend: str, root: Path) -> None:
    with override_settings(
        SENDFILE_BACKEND=f"sendfile_rs.backends.{backend}",
        SENDFILE_ROOT=str(root),
        SENDFILE_URL="/p",
    ):
        response = sendfile_rs.sendfile(requests.get("/"), "file.txt", content_length=42)
    assert response.status_code == 200
    assert "Content-Length" not in response
    plan = sendfile_rs.Sender(backend, str(root), "/p").plan("file.txt", content_length=42)
    assert (plan.status, plan.file_size, plan.content_length) == (200, 42, 0)


@pytest.mark.parametrize("backend", ["simple", "development"])
def test_backends_that_send_the_file_refuse_another_length_and_say_why(
    backend: str, root: Path
) -> None:
    sender = sendfile_rs.Sender(backend, str(root))
    with pytest.raises(sendfile_rs.InvalidArgument) as refused:
        sender.plan("file.txt", content_length=42)
    assert str(refused.value) == refusal(backend)
    with override_settings(
        SENDFILE_BACKEND=f"sendfile_rs.backends.{backend}", SENDFILE_ROOT=str(root)
    ):
        with pytest.raises(sendfile_rs.InvalidArgument) as refused:
            sendfile_rs.sendfile(requests.get("/"), "file.txt", content_length=42)
        assert str(refused.value) == refusal(backend)
        response = sendfile_rs.sendfile(requests.get("/"), "file.txt", content_length=1000)
        assert response["Content-Length"] == "1000"
        response.close()
