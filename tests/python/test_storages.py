"""Files on django-storages' S3Storage: sendfile() takes the store from the storage, the
checks build it as a download does, and sendfile_config prints its nginx location. The
store itself is exercised end to end in tests/e2e/test_object_store.py."""

from __future__ import annotations

import hashlib
import hmac
import io
import re
import urllib.parse

import pytest
from django.core.checks import run_checks
from django.core.files.storage import storages
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import FileField
from django.db.models.fields.files import FieldFile
from django.test import RequestFactory, override_settings

import sendfile_rs
from sendfile_rs._django import storages as _storages

S3 = {
    "BACKEND": "storages.backends.s3.S3Storage",
    "OPTIONS": {
        "endpoint_url": "http://127.0.0.1:9000",
        "bucket_name": "media",
        "location": "private/",
        "access_key": "AKIDEXAMPLE",
        "secret_key": "secret-example",
    },
}


def storages_with(**options: object) -> dict[str, object]:
    entry = {"BACKEND": S3["BACKEND"], "OPTIONS": {**S3["OPTIONS"], **options}}  # type: ignore[dict-item]
    return {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        "objects": entry,
    }


def on_store(name: str) -> FieldFile:
    return FieldFile(None, FileField(storage=storages["objects"]), name)


@override_settings(STORAGES=storages_with(), SENDFILE_BACKEND="sendfile_rs.backends.nginx")
def test_a_field_file_on_s3_goes_to_the_store_location() -> None:
    response = sendfile_rs.sendfile(RequestFactory().get("/"), on_store("a\\b c.txt"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain"
    assert response["Content-Disposition"] == 'inline; filename="b c.txt"'
    path, _, query = response["X-Accel-Redirect"].partition("?")
    # The storage's own name for it: '\\' is a separator, the location a prefix.
    assert path == "/_sendfile_store/media/private/a/b%2520c.txt"
    fields = urllib.parse.parse_qs(query)
    assert fields["X-Amz-Credential"][0].startswith("AKIDEXAMPLE/")
    assert fields["X-Amz-Expires"] == ["60"]


@override_settings(
    STORAGES=storages_with(),
    SENDFILE_BACKEND="sendfile_rs.backends.simple",
    SENDFILE_OPTIONS={"store_lifetime": 30},
)
def test_without_a_front_server_the_client_is_redirected() -> None:
    response = sendfile_rs.sendfile(RequestFactory().get("/"), on_store("r.pdf"), attachment=True)
    assert response.status_code == 302
    assert response["Cache-Control"] == "no-store"
    location = response["Location"]
    assert location.startswith("http://127.0.0.1:9000/media/private/r.pdf?")
    fields = urllib.parse.parse_qs(location.partition("?")[2])
    assert fields["response-content-disposition"] == ['attachment; filename="r.pdf"']
    assert fields["response-content-type"] == ["application/pdf"]
    assert fields["X-Amz-Expires"] == ["30"]
    assert not response.has_header("Content-Disposition")


@override_settings(STORAGES=storages_with(), SENDFILE_BACKEND="sendfile_rs.backends.nginx")
def test_a_key_that_climbs_out_of_the_location_is_404() -> None:
    from django.http import Http404

    with pytest.raises(Http404, match="outside root"):
        sendfile_rs.sendfile(RequestFactory().get("/"), on_store("../other/secret.txt"))


@override_settings(
    # The app registers its checks: run alone, the module imports no other that does.
    INSTALLED_APPS=["sendfile_rs"],
    STORAGES=storages_with(secret_key=None, access_key=None),
    SENDFILE_BACKEND="sendfile_rs.backends.nginx",
    SENDFILE_ROOT=None,
    AWS_SHARED_CREDENTIALS_FILE="/nonexistent",
    AWS_CONFIG_FILE="/nonexistent",
)
def test_the_check_builds_each_store_as_a_download_does(monkeypatch: pytest.MonkeyPatch) -> None:
    for variable in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    ids = [message.id for message in run_checks() if message.id.startswith("sendfile_rs")]
    # No SENDFILE_ROOT is needed when the files are objects; the keys are.
    assert ids == ["sendfile_rs.E008"]


@override_settings(
    INSTALLED_APPS=["sendfile_rs"],
    STORAGES=storages_with(),
    SENDFILE_BACKEND="sendfile_rs.backends.nginx",
    SENDFILE_ROOT=None,
)
def test_sendfile_config_prints_the_store_location() -> None:
    out = io.StringIO()
    call_command("sendfile_config", stdout=out)
    text = out.getvalue()
    assert "upstream sendfile_store_127_0_0_1_9000 {\n    server 127.0.0.1:9000;\n" in text
    assert "location ~ ^/_sendfile_store/(?<sendfile_store_path>.*)$ {\n    internal;\n" in text
    assert "secret-example" not in text and "AKIDEXAMPLE" not in text


@override_settings(STORAGES=storages_with(), SENDFILE_BACKEND="sendfile_rs.backends.nginx")
def test_without_a_region_the_core_s_default_scopes_the_signature() -> None:
    assert "store_region" not in _storages.store_options(storages["objects"])
    response = sendfile_rs.sendfile(RequestFactory().get("/"), on_store("a.txt"))
    fields = urllib.parse.parse_qs(response["X-Accel-Redirect"].partition("?")[2])
    assert fields["X-Amz-Credential"][0].endswith("/us-east-1/s3/aws4_request")


@override_settings(
    STORAGES=storages_with(region_name="eu-west-1"),
    SENDFILE_BACKEND="sendfile_rs.backends.nginx",
)
def test_the_storage_s_region_scopes_the_signature() -> None:
    assert _storages.store_options(storages["objects"])["store_region"] == "eu-west-1"
    response = sendfile_rs.sendfile(RequestFactory().get("/"), on_store("a.txt"))
    fields = urllib.parse.parse_qs(response["X-Accel-Redirect"].partition("?")[2])
    assert fields["X-Amz-Credential"][0].endswith("/eu-west-1/s3/aws4_request")


@override_settings(
    INSTALLED_APPS=["sendfile_rs"],
    STORAGES=storages_with(),
    SENDFILE_BACKEND="sendfile_rs.backends.nginx",
    SENDFILE_ROOT=None,
    SENDFILE_OPTIONS={"store_location": "/_objects.v2//"},
)
def test_sendfile_config_prints_the_location_the_plans_name() -> None:
    out = io.StringIO()
    call_command("sendfile_config", stdout=out)
    pattern = re.search(r"^location ~ (\S+) \{$", out.getvalue(), re.MULTILINE)
    assert pattern is not None and pattern[1] == r"^/_objects\.v2/(?<sendfile_store_path>.*)$"
    response = sendfile_rs.sendfile(RequestFactory().get("/"), on_store("a.txt"))
    path = response["X-Accel-Redirect"].partition("?")[0]
    match = re.match(pattern[1].replace("?<", "?P<"), path)
    assert match is not None and match["sendfile_store_path"] == "media/private/a.txt"


@override_settings(
    INSTALLED_APPS=["sendfile_rs"],
    STORAGES=storages_with(),
    SENDFILE_BACKEND="sendfile_rs.backends.nginx",
    SENDFILE_ROOT=None,
    SENDFILE_OPTIONS={"store_lifetime": 0},
)
def test_sendfile_config_refuses_a_store_its_plans_refuse() -> None:
    with pytest.raises(CommandError) as raised:
        call_command("sendfile_config", stdout=io.StringIO())
    assert str(raised.value) == (
        "STORAGES['objects']: sendfile_rs: configuration error: the lifetime of a presigned "
        "URL must be 1 to 604800 seconds, got 0"
    )


def signed_method(url: str, secret_key: str) -> str:
    """The method a presigned ``url`` is good for, GET or HEAD: its SigV4 signature
    recomputed for each (the store refuses any other method than the signed one)."""
    parts = urllib.parse.urlsplit(url)
    fields = dict(urllib.parse.parse_qsl(parts.query))
    signature = fields.pop("X-Amz-Signature")

    def encoded(text: str) -> str:
        return urllib.parse.quote(text, safe="-_.~")

    query = "&".join(sorted(f"{encoded(name)}={encoded(value)}" for name, value in fields.items()))
    scope = fields["X-Amz-Credential"].partition("/")[2]
    key = ("AWS4" + secret_key).encode()
    for part in scope.split("/"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    for method in ("GET", "HEAD"):
        canonical = "\n".join(
            [method, parts.path, query, f"host:{parts.netloc}", "", "host", "UNSIGNED-PAYLOAD"]
        )
        digest = hashlib.sha256(canonical.encode()).hexdigest()
        to_sign = f"AWS4-HMAC-SHA256\n{fields['X-Amz-Date']}\n{scope}\n{digest}"
        if hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest() == signature:
            return method
    raise AssertionError(f"signed for neither GET nor HEAD: {url}")


@pytest.mark.parametrize("backend", ["simple", "xsendfile"])
def test_a_head_is_redirected_to_a_url_signed_for_head(backend: str) -> None:
    with override_settings(
        STORAGES=storages_with(), SENDFILE_BACKEND=f"sendfile_rs.backends.{backend}"
    ):
        for method in ("GET", "HEAD"):
            request = RequestFactory().generic(method, "/")
            response = sendfile_rs.sendfile(request, on_store("r.pdf"), attachment=True)
            assert response.status_code == 302
            assert signed_method(response["Location"], "secret-example") == method
