"""Ceph's RADOS Gateway (a real one-node cluster, tests/e2e/ceph.py) as an S3 client sees
it: what the object-store tests and the nginx store proxy rely on, asserted against the
store itself, one cluster for the module. Requests go out with http.client, byte for byte,
on presigned SigV4 URLs made by boto3.

Seen on Ceph 16.2.15 (Debian 12), and asserted below:
- a presigned GET is 200 with the exact bytes, ``Accept-Ranges: bytes`` and the store's
  ETag (the MD5); a changed signature 403 ``SignatureDoesNotMatch``; an expired URL and an
  unsigned request 403 ``AccessDenied``; any region in the signature's scope is accepted;
- ``Range`` is 206 with an exact ``Content-Range``; of several ranges only the first is
  served (206, not multipart); a range past the end, or one that does not parse, is 416
  ``InvalidRange`` in XML with **no** ``Content-Range`` (RFC 9110 asks for ``bytes */SIZE``);
- ``If-Range`` is ignored: a stale validator still gets 206;
- ``If-None-Match`` with the ETag, or a later ``If-Modified-Since``, is 304 with neither
  ETag nor Last-Modified; ``If-Match`` with another ETag is 412 ``PreconditionFailed``;
- the method is signed: a presigned GET URL is 403 to HEAD; a presigned HEAD is 200 with
  the GET's headers and no body;
- ``response-content-disposition`` and ``response-content-type`` replace the stored
  headers on signed GET and HEAD;
- every answer carries ``x-amz-request-id``, and objects carry ``x-rgw-object-type``.
"""

from __future__ import annotations

import hashlib
import http.client
import re
import shutil
import socket
import tempfile
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
from ceph import CephError, Gateway, ceph_cluster, ceph_rgw
from conftest import free_port

ACCESS_KEY = "SENDFILERSCEPHTEST"
SECRET_KEY = "sendfile-rs-ceph-secret/with+signs"
BUCKET = "media"
#: A key that needs escaping in a URL: a space, a '+', a non-ASCII letter.
KEY = "private/a b+\u00e9.bin"
CONTENT = bytes(range(256)) * 4 + b"tail"
SIZE = len(CONTENT)
CONTENT_TYPE = "application/x-sendfile-test"


@dataclass(frozen=True)
class Store:
    gateway: Gateway
    client: Any
    etag: str


@dataclass(frozen=True)
class Answer:
    status: int
    headers: Message
    body: bytes

    def error_code(self) -> str:
        found = re.search(rb"<Code>([^<]*)</Code>", self.body)
        return found.group(1).decode() if found else ""


def client_of(endpoint: str, region: str = "us-east-1") -> Any:
    import boto3
    import botocore.config

    return boto3.client(
        "s3",
        endpoint_url=f"http://{endpoint}",
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        region_name=region,
        # Without it botocore presigns with the old query signature (AWSAccessKeyId=...).
        config=botocore.config.Config(signature_version="s3v4"),
    )


@pytest.fixture(scope="module")
def store() -> Iterator[Store]:
    work = Path(tempfile.mkdtemp(prefix="sendfile-e2e-ceph-"))
    try:
        with ceph_cluster(work, ACCESS_KEY, SECRET_KEY) as gateway:
            client = client_of(gateway.endpoint)
            client.create_bucket(Bucket=BUCKET)
            put = client.put_object(Bucket=BUCKET, Key=KEY, Body=CONTENT, ContentType=CONTENT_TYPE)
            print(
                f"Ceph RGW at {gateway.endpoint}: up in {gateway.started_in:.1f} s, "
                f"{gateway.resident_bytes() / 2**20:.0f} MB resident"
            )
            yield Store(gateway, client, put["ETag"])
    finally:
        shutil.rmtree(work, ignore_errors=True)


def presigned(
    store: Store, method: str = "get_object", key: str = KEY, expires: int = 300, **extra: str
) -> str:
    params = {"Bucket": BUCKET, "Key": key, **extra}
    url: str = store.client.generate_presigned_url(method, Params=params, ExpiresIn=expires)
    return url


def fetch(url: str, method: str = "GET", headers: dict[str, str] | None = None) -> Answer:
    parts = urllib.parse.urlsplit(url)
    assert parts.hostname == "127.0.0.1"
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        connection.request(method, target, headers=headers or {})
        response = connection.getresponse()
        return Answer(response.status, response.headers, response.read())
    finally:
        connection.close()


def test_presigned_get_is_sigv4_and_byte_exact(store: Store) -> None:
    url = presigned(store)
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)
    assert query["X-Amz-Algorithm"] == ["AWS4-HMAC-SHA256"]
    assert query["X-Amz-SignedHeaders"] == ["host"]
    answer = fetch(url)
    assert answer.status == 200
    assert answer.body == CONTENT
    assert answer.headers["Content-Length"] == str(SIZE)
    assert answer.headers["Content-Type"] == CONTENT_TYPE
    assert answer.headers["Accept-Ranges"] == "bytes"
    assert answer.headers["ETag"] == store.etag == f'"{hashlib.md5(CONTENT).hexdigest()}"'
    assert answer.headers["Last-Modified"].endswith(" GMT")
    assert answer.headers["x-rgw-object-type"] == "Normal"
    assert answer.headers["x-amz-request-id"]


def test_a_changed_signature_is_refused(store: Store) -> None:
    url = presigned(store)
    last = url[-1]
    answer = fetch(url[:-1] + ("0" if last != "0" else "1"))
    assert (answer.status, answer.error_code()) == (403, "SignatureDoesNotMatch")
    assert answer.headers["Content-Type"] == "application/xml"


def test_an_unsigned_request_is_refused(store: Store) -> None:
    answer = fetch(f"http://{store.gateway.endpoint}/{BUCKET}/{urllib.parse.quote(KEY)}")
    assert (answer.status, answer.error_code()) == (403, "AccessDenied")


def test_an_expired_url_is_refused(store: Store) -> None:
    url = presigned(store, expires=1)
    time.sleep(2.2)
    answer = fetch(url)
    assert (answer.status, answer.error_code()) == (403, "AccessDenied")


def test_any_region_in_the_scope_is_accepted(store: Store) -> None:
    client = client_of(store.gateway.endpoint, region="eu-west-9")
    url = client.generate_presigned_url("get_object", Params={"Bucket": BUCKET, "Key": KEY})
    assert "%2Feu-west-9%2Fs3%2F" in url
    answer = fetch(url)
    assert (answer.status, answer.body) == (200, CONTENT)


def test_a_missing_key_is_404(store: Store) -> None:
    answer = fetch(presigned(store, key="private/missing.bin"))
    assert (answer.status, answer.error_code()) == (404, "NoSuchKey")


@pytest.mark.parametrize(
    ("header", "first", "last"),
    [
        ("bytes=10-19", 10, 19),
        ("bytes=-5", SIZE - 5, SIZE - 1),
        ("bytes=1020-", 1020, SIZE - 1),
        ("bytes=0-99999", 0, SIZE - 1),
        # Several ranges: only the first is served, as one 206 (no multipart/byteranges).
        ("bytes=0-1,5-6", 0, 1),
    ],
)
def test_range_is_206_with_an_exact_content_range(
    store: Store, header: str, first: int, last: int
) -> None:
    answer = fetch(presigned(store), headers={"Range": header})
    assert answer.status == 206
    assert answer.headers["Content-Range"] == f"bytes {first}-{last}/{SIZE}"
    assert answer.headers["Content-Length"] == str(last - first + 1)
    assert answer.headers["Content-Type"] == CONTENT_TYPE
    assert answer.headers["ETag"] == store.etag
    assert answer.body == CONTENT[first : last + 1]


@pytest.mark.parametrize("header", [f"bytes={SIZE}-", "bytes=5000-6000", "bytes=abc"])
def test_a_range_past_the_end_is_416_without_content_range(store: Store, header: str) -> None:
    answer = fetch(presigned(store), headers={"Range": header})
    assert (answer.status, answer.error_code()) == (416, "InvalidRange")
    # RFC 9110 says a 416 to a byte range should carry "Content-Range: bytes */SIZE";
    # RGW sends none, nor the ETag.
    assert answer.headers["Content-Range"] is None
    assert answer.headers["ETag"] is None
    assert answer.headers["Content-Type"] == "application/xml"
    assert answer.headers["Content-Length"] == str(len(answer.body))
    assert answer.body.startswith(b'<?xml version="1.0" encoding="UTF-8"?><Error>')


def test_if_none_match_with_the_etag_is_304_without_validators(store: Store) -> None:
    answer = fetch(presigned(store), headers={"If-None-Match": store.etag})
    assert (answer.status, answer.body) == (304, b"")
    # RFC 9110 asks a 304 for the ETag a 200 would have had; RGW sends neither validator.
    assert answer.headers["ETag"] is None
    assert answer.headers["Last-Modified"] is None
    assert answer.headers["x-amz-request-id"]


def test_other_conditions(store: Store) -> None:
    url = presigned(store)
    assert fetch(url, headers={"If-None-Match": '"other"'}).status == 200
    later = "Fri, 01 Jan 2100 00:00:00 GMT"
    assert fetch(url, headers={"If-Modified-Since": later}).status == 304
    refused = fetch(url, headers={"If-Match": '"other"'})
    assert (refused.status, refused.error_code()) == (412, "PreconditionFailed")
    # If-Range is ignored: with a validator that does not match, the range is still served
    # (RFC 9110 would send the whole object, 200).
    stale = fetch(url, headers={"Range": "bytes=0-3", "If-Range": '"other"'})
    assert (stale.status, stale.body) == (206, CONTENT[:4])


def test_head(store: Store) -> None:
    answer = fetch(presigned(store, "head_object"), "HEAD")
    assert (answer.status, answer.body) == (200, b"")
    assert answer.headers["Content-Length"] == str(SIZE)
    assert answer.headers["Content-Type"] == CONTENT_TYPE
    assert answer.headers["ETag"] == store.etag
    assert answer.headers["Accept-Ranges"] == "bytes"
    # The method is part of the signature: a GET URL does not open HEAD.
    assert fetch(presigned(store), "HEAD").status == 403


@pytest.mark.parametrize(("method", "verb"), [("get_object", "GET"), ("head_object", "HEAD")])
def test_presigned_response_headers_replace_the_stored_ones(
    store: Store, method: str, verb: str
) -> None:
    disposition = "attachment; filename=\"a b+e.bin\"; filename*=UTF-8''a%20b%2B%C3%A9.bin"
    url = presigned(
        store,
        method,
        ResponseContentDisposition=disposition,
        ResponseContentType="text/plain; charset=utf-8",
    )
    assert "response-content-disposition=" in url
    answer = fetch(url, verb)
    assert answer.status == 200
    assert answer.headers["Content-Disposition"] == disposition
    assert answer.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert answer.body == (CONTENT if verb == "GET" else b"")


def test_a_daemon_that_fails_raises_with_its_log(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        started = time.monotonic()
        with pytest.raises(CephError) as failure, ceph_rgw(tmp_path, "AK", "SK", port=port):
            pytest.fail("the gateway started on a port in use")
    assert time.monotonic() - started < 60
    message = str(failure.value)
    # 98 is EADDRINUSE; the gateway's log and stderr usually say "failed to bind address
    # 127.0.0.1:PORT: Address already in use" too, when its log thread had time to write.
    assert message.startswith(f"Ceph in {tmp_path}: client.rgw.test exited with status 98\n")
    for log in ("ceph-client.rgw.test.log", "client.rgw.test.out", "ceph-mon.a.log"):
        assert f"--- {tmp_path / 'log' / log} (last " in message


def test_it_stops_everything_it_started(tmp_path: Path) -> None:
    port = free_port()
    with ceph_cluster(tmp_path, "AK", "SK", port=port) as gateway:
        assert gateway.endpoint == f"127.0.0.1:{port}"
        pids = gateway.pids
        assert len(pids) == 3
        assert gateway.resident_bytes() > 0
        commands = {Path(f"/proc/{pid}/comm").read_text().strip() for pid in pids}
        assert commands == {"ceph-mon", "ceph-osd", "radosgw"}
    for pid in pids:
        assert not Path(f"/proc/{pid}").exists()
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=5).close()
    # Everything it wrote is in its folder: the configuration names no other place.
    paths = re.findall(r"(?:^|[\s=])(/\S+)", (tmp_path / "ceph.conf").read_text(), re.M)
    assert paths
    assert all(path.startswith(str(tmp_path)) for path in paths)
