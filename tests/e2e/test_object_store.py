"""Files in an object store, end to end, on two real stores that check signatures and
expiry: s3s-fs and Ceph's RADOS Gateway (a one-node cluster, tests/e2e/ceph.py), each on
127.0.0.1 and filled through S3; the test project under gunicorn, started fresh, with
the README's settings (the default storage on django-storages' S3Storage, a model's plain
FileField); nginx in front configured by `python -m sendfile_rs config nginx
--store-endpoint ...`; the redirect mode with curl following the 302.

What is asserted is what these servers do: which headers reach the client from the
application and which from the store, the store's 206 for a range through nginx, and
where the stores differ (RGW answers a conditional GET with 304 and applies the
response-* parameters to HEAD; s3s-fs does neither)."""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from ceph import ceph_rgw
from conftest import free_port, require, wait_for_port
from serving import gunicorn
from test_front_servers import NAMES, content_of, get

import sendfile_rs
from sendfile_rs.deploy.front_config import nginx_standalone

ACCESS_KEY = "SENDFILERSTESTKEY"
SECRET_KEY = "sendfile-rs-test-secret/with+signs"
BUCKET = "media"
LOCATION = "private"
#: Where `make test` installs s3s-fs (tools/install-s3s-fs), when cargo's bin folder is
#: not on PATH.
S3S_FS = Path(os.environ.get("CARGO_HOME", Path.home() / ".cargo")) / "bin" / "s3s-fs"

#: The hostile names as django-storages names their objects: '\\' is a separator to it.
#: An encoded slash is refused by the core before any URL is made.
STORED = {name: name.replace("\\", "/") for name in NAMES if "%2F" not in name}


@dataclass(frozen=True)
class Site:
    front: str
    app: str
    store: str
    work: Path
    #: Which store: a key of STORES.
    kind: str


def s3s_fs() -> str:
    found = shutil.which("s3s-fs") or (str(S3S_FS) if S3S_FS.exists() else None)
    if found is None:
        message = "s3s-fs is not installed (tools/install-s3s-fs, which make test runs)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return found


def stop(process: subprocess.Popen[bytes]) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=20)


def generated_store_config(store: str) -> tuple[str, str]:
    """The generator's output, split into its http-block and server-block parts."""
    text = subprocess.run(
        [
            sys.executable,
            "-m",
            "sendfile_rs",
            "config",
            "nginx",
            "--store-endpoint",
            f"http://{store}",
            "--store-bucket",
            BUCKET,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    http, server = text.split("# In the server block:\n")
    return http.split("# In the http block:\n")[1], server


#: The objects of the bucket below LOCATION, by key.
OBJECTS = {
    **{key: content_of(name) for name, key in STORED.items()},
    "big.bin": bytes(range(256)) * 4096,
    "empty.bin": b"",
}


@contextlib.contextmanager
def s3s_fs_store(work: Path) -> Iterator[str]:
    """s3s-fs on a folder of ``work`` that holds the objects, its ``127.0.0.1:PORT``.
    The files are written into its folder: an upload through s3s-fs 0.14 goes by a
    temporary file whose longer name the longest test key outgrows."""
    binary = s3s_fs()
    data = work / "data"
    for key, content in OBJECTS.items():
        path = data / BUCKET / LOCATION / key
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    port = free_port()
    with open(work / "s3s-fs.log", "wb") as log:
        process = subprocess.Popen(
            [
                *(binary, "--host", "127.0.0.1", "--port", str(port)),
                *("--access-key", ACCESS_KEY, "--secret-key", SECRET_KEY, str(data)),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_for_port(port, process, work / "s3s-fs.log")
        yield f"127.0.0.1:{port}"
    finally:
        stop(process)


@contextlib.contextmanager
def ceph_rgw_store(work: Path) -> Iterator[str]:
    """A one-node Ceph cluster's RADOS Gateway in ``work``, its ``127.0.0.1:PORT``, the
    bucket and its objects put through S3 as an application would."""
    (work / "ceph").mkdir()
    with ceph_rgw(work / "ceph", ACCESS_KEY, SECRET_KEY) as store:
        client = client_of(store)
        client.create_bucket(Bucket=BUCKET)
        for key, content in OBJECTS.items():
            client.put_object(Bucket=BUCKET, Key=f"{LOCATION}/{key}", Body=content)
        yield store


#: The stores the suite runs against, each started fresh for it: s3s-fs (a folder behind
#: S3) and Ceph's RADOS Gateway (a real distributed store, on one node). Both check
#: signatures and expiry.
STORES = {"s3s-fs": s3s_fs_store, "ceph-rgw": ceph_rgw_store}


def client_of(store: str) -> Any:
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=f"http://{store}",
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        region_name="us-east-1",
    )


@pytest.fixture(scope="module", params=list(STORES))
def site(request: pytest.FixtureRequest) -> Iterator[Site]:
    nginx = require("nginx", "nginx")
    work = Path(tempfile.mkdtemp(prefix="sendfile-e2e-store-"))
    app_port, front_port = free_port(), free_port()
    try:
        with contextlib.ExitStack() as running:
            store = running.enter_context(STORES[request.param](work))
            http_block, server_block = generated_store_config(store)
            proxy = f"        location / {{ proxy_pass http://127.0.0.1:{app_port}; }}\n"
            locations = "".join(f"        {line}\n" for line in server_block.splitlines())
            config = work / "nginx.conf"
            config.write_text(
                nginx_standalone(
                    work,
                    front_port,
                    proxy + locations,
                    error_log=f"{work}/error.log info",
                    http=http_block,
                )
            )
            # The README's settings: no SENDFILE_ROOT, the objects on the default storage.
            running.enter_context(
                gunicorn(
                    None,
                    work / "gunicorn.log",
                    environment=store_environment(store),
                    port=app_port,
                )
            )
            front = subprocess.Popen(
                [nginx, "-c", str(config), "-p", str(work)], cwd=work, start_new_session=True
            )
            running.callback(stop, front)
            wait_for_port(front_port, front, work / "error.log")
            yield Site(
                f"127.0.0.1:{front_port}", f"127.0.0.1:{app_port}", store, work, request.param
            )
    finally:
        shutil.rmtree(work)


def store_environment(store: str, backend: str = "nginx") -> dict[str, str]:
    """The test project's settings for objects in ``store`` (see project/settings.py)."""
    return {
        "SENDFILE_BACKEND": f"sendfile_rs.backends.{backend}",
        "STORE_ENDPOINT": f"http://{store}",
        "STORE_BUCKET": BUCKET,
        "STORE_LOCATION": LOCATION,
        "STORE_ACCESS_KEY": ACCESS_KEY,
        "STORE_SECRET_KEY": SECRET_KEY,
    }


def object_path(name: str, **query: str) -> str:
    path = "/objects/" + urllib.parse.quote(name)
    return path + ("?" + urllib.parse.urlencode(query) if query else "")


def expected_disposition(name: str, attachment: bool = False) -> str:
    """The application's Content-Disposition for ``name``, as the core writes it."""
    plan = sendfile_rs.Sender("nginx", None, **store_options("127.0.0.1:1")).plan(
        STORED[name], attachment=attachment
    )
    return dict(plan.headers)["Content-Disposition"]


def store_options(store: str) -> dict[str, object]:
    return {
        "store_endpoint": f"http://{store}",
        "store_bucket": BUCKET,
        "store_prefix": LOCATION,
        "store_access_key": ACCESS_KEY,
        "store_secret_key": SECRET_KEY,
    }


@pytest.mark.parametrize("name", sorted(STORED))
def test_hostile_names_arrive_exactly_through_nginx(site: Site, name: str) -> None:
    response = get(site.front, object_path(name))
    body = response.read_body  # type: ignore[attr-defined]
    assert response.status == 200, body
    assert body == content_of(name)
    assert response.getheader("Content-Type") == "text/plain"
    assert response.getheader("Content-Disposition") == expected_disposition(name)
    assert response.getheader("Content-Length") == str(len(content_of(name)))


def test_an_encoded_slash_is_refused_before_signing(site: Site) -> None:
    assert get(site.front, object_path("slash%2Fencoded.txt")).status == 404


def test_the_client_gets_the_applications_presentation_and_the_stores_validators(
    site: Site,
) -> None:
    response = get(site.front, object_path("big.bin", attachment="1"))
    headers = {name.lower(): value for name, value in response.getheaders()}
    assert response.status == 200
    assert response.read_body == bytes(range(256)) * 4096  # type: ignore[attr-defined]
    # From the application (the store would say application/octet-stream and no name).
    assert headers["content-type"] == "application/octet-stream"
    assert headers["content-disposition"] == 'attachment; filename="big.bin"'
    # From the store.
    assert headers["content-length"] == str(256 * 4096)
    assert headers["etag"].startswith('"') and headers["last-modified"].endswith(" GMT")
    assert headers["server"].startswith("nginx")
    assert not [name for name in headers if name.startswith(("x-amz", "x-accel"))], headers
    assert "set-cookie" not in headers


def test_a_range_is_answered_by_the_store(site: Site) -> None:
    response = get(site.front, object_path("big.bin"), {"Range": "bytes=1000-1999"})
    assert response.status == 206
    assert response.getheader("Content-Range") == f"bytes 1000-1999/{256 * 4096}"
    assert response.getheader("Content-Length") == "1000"
    assert response.read_body == (bytes(range(256)) * 4096)[1000:2000]  # type: ignore[attr-defined]


def test_a_conditional_get_is_passed_on_to_the_store(site: Site) -> None:
    first = get(site.front, object_path("plain.txt"))
    etag = first.getheader("ETag")
    again = get(site.front, object_path("plain.txt"), {"If-None-Match": etag or ""})
    if site.kind == "ceph-rgw":
        # RGW answers the conditional GET itself, and nginx passes its 304 on; RGW 16.2
        # sends the 304 without the ETag and Last-Modified that RFC 9110 asks for.
        assert again.status == 304
        assert again.read_body == b""  # type: ignore[attr-defined]
        assert again.getheader("ETag") is None and again.getheader("Last-Modified") is None
    else:
        # s3s-fs has no conditional GET: the store answers 200 and nginx passes it on.
        assert again.status == 200
        assert again.read_body == content_of("plain.txt")  # type: ignore[attr-defined]


def test_a_tampered_signature_or_key_is_refused_by_the_store(site: Site) -> None:
    for what in ("signature", "key"):
        response = get(site.front, f"/tampered/{what}/plain.txt")
        body = response.read_body  # type: ignore[attr-defined]
        assert response.status == 502, (what, body)
        # nginx's own page, not the store's XML, which names the key and the request.
        assert b"<Error>" not in body and content_of("plain.txt") not in body
        assert b"<center>nginx" in body
        assert response.getheader("Content-Type") == "text/html"
        # nginx keeps what it took from the application's X-Accel-Redirect answer, and
        # stock nginx cannot remove a header: the page carries the file's disposition.
        assert response.getheader("Content-Disposition") == 'inline; filename="plain.txt"'


def test_a_url_used_after_its_expiry_is_refused(site: Site) -> None:
    response = get(site.front, "/expired/plain.txt")
    assert response.status == 502
    assert content_of("plain.txt") not in response.read_body  # type: ignore[attr-defined]


def test_the_internal_location_cannot_be_requested_directly(site: Site) -> None:
    plan = sendfile_rs.Sender("nginx", None, **store_options(site.store)).plan("plain.txt")
    accel = dict(plan.headers)["X-Accel-Redirect"]
    for path in (accel, urllib.parse.unquote(accel), "/_sendfile_store/media/private/plain.txt"):
        response = get(site.front, path)
        assert response.status == 404, path
        assert content_of("plain.txt") not in response.read_body  # type: ignore[attr-defined]


def test_head_is_answered_with_the_stores_length_and_no_body(site: Site) -> None:
    connection = http.client.HTTPConnection(site.front, timeout=30)
    connection.request("HEAD", object_path("big.bin"))
    response = connection.getresponse()
    assert response.status == 200
    assert response.getheader("Content-Length") == str(256 * 4096)
    assert response.read() == b""
    connection.close()


def curl(*arguments: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [require("curl", "curl"), "-sS", *arguments], capture_output=True, check=True
    )


def header_blocks(raw: bytes) -> list[dict[str, str]]:
    """The header blocks of ``curl -D -``, one per answer followed."""
    blocks = []
    for block in raw.decode("latin-1").strip().split("\r\n\r\n"):
        lines = block.split("\r\n")
        headers = {"status": lines[0].split()[1]}
        headers.update(
            (name.lower(), value.strip())
            for name, _, value in (line.partition(":") for line in lines[1:])
        )
        blocks.append(headers)
    return blocks


@pytest.mark.parametrize("name", ["plain.txt", "accentu\u00e9.txt", 'double"quote.txt'])
def test_the_redirect_is_followed_by_curl(site: Site, name: str) -> None:
    url = f"http://{site.app}{object_path(name, backend='simple', attachment='1')}"
    redirect, answer = header_blocks(curl("-o", "/dev/null", "-D", "-", "-L", url).stdout)
    assert redirect["status"] == "302"
    assert redirect["cache-control"] == "no-store"
    assert redirect["location"].startswith(f"http://{site.store}/{BUCKET}/{LOCATION}/"), redirect
    assert answer["status"] == "200"
    assert answer["content-type"] == "text/plain"
    assert answer["content-disposition"] == expected_disposition(name, attachment=True)
    body = curl("-L", url).stdout
    assert body == content_of(name)


@pytest.mark.parametrize("backend", ["simple", "xsendfile"])
def test_a_head_is_redirected_and_followed_as_head(site: Site, backend: str) -> None:
    url = f"http://{site.app}{object_path('plain.txt', backend=backend, attachment='1')}"
    redirect, answer = header_blocks(curl("-I", "-L", url).stdout)
    assert redirect["status"] == "302"
    assert redirect["cache-control"] == "no-store"
    # The store checks the method against the signature: a URL signed for GET is 403.
    assert answer["status"] == "200", answer
    assert answer["content-length"] == str(len(content_of("plain.txt")))
    # s3s-fs applies the response-* parameters to GET only; RGW (as AWS S3) to HEAD too.
    if site.kind == "ceph-rgw":
        assert answer["content-disposition"] == expected_disposition("plain.txt", True)
    else:
        assert "content-disposition" not in answer


def test_a_redirect_used_after_its_expiry_is_refused_by_the_store(site: Site) -> None:
    url = f"http://{site.app}/expired/plain.txt?backend=simple&wait=0"
    location = header_blocks(curl("-o", "/dev/null", "-D", "-", url).stdout)[0]["location"]
    assert curl("-o", "/dev/null", "-w", "%{http_code}", location).stdout == b"200"
    time.sleep(4)
    assert curl("-o", "/dev/null", "-w", "%{http_code}", location).stdout == b"403"


def test_the_applications_headers_win_over_the_objects_metadata(site: Site) -> None:
    client = client_of(site.store)
    client.put_object(
        Bucket=BUCKET,
        Key=f"{LOCATION}/described.txt",
        Body=b"described by the store\n",
        ContentType="application/x-from-the-store",
        ContentDisposition='attachment; filename="store.bin"',
        CacheControl="public, max-age=99",
        Expires="Thu, 01 Jan 2037 00:00:00 GMT",
        Metadata={"note": "uploaded"},
    )
    direct = client.get_object(Bucket=BUCKET, Key=f"{LOCATION}/described.txt")
    assert direct["ContentType"] == "application/x-from-the-store"
    assert direct["CacheControl"] == "public, max-age=99"
    response = get(site.front, object_path("described.txt"))
    headers = {name.lower(): value for name, value in response.getheaders()}
    assert response.status == 200
    assert response.read_body == b"described by the store\n"  # type: ignore[attr-defined]
    assert headers["content-type"] == "text/plain"
    assert headers["content-disposition"] == 'inline; filename="described.txt"'
    assert "cache-control" not in headers and "expires" not in headers
    # User metadata has names of the uploader's choosing, which stock nginx cannot hide
    # by pattern: it reaches the client (see the README).
    assert headers.get("x-amz-meta-note") == "uploaded"
    assert [name for name in headers if name.startswith("x-amz")] == ["x-amz-meta-note"]


@pytest.mark.parametrize("local_root", [False, True], ids=["no-root", "root-with-same-name"])
@pytest.mark.parametrize("backend", ["nginx", "simple"])
def test_a_fresh_workers_first_request_names_the_object(
    site: Site, tmp_path: Path, backend: str, local_root: bool
) -> None:
    """A gunicorn started for this test, nothing imported beforehand: the first request's
    FieldFile is on the lazy default storage, whose class is not yet imported. With
    SENDFILE_ROOT set too, a local file of the same name must not be taken instead."""
    root = None
    if local_root:
        root = tmp_path / "local"
        root.mkdir()
        (root / "plain.txt").write_bytes(b"the local file, not the object\n")
    with gunicorn(
        root, tmp_path / "gunicorn.log", environment=store_environment(site.store, backend)
    ) as app:
        first = get(f"127.0.0.1:{app.port}", object_path("plain.txt"))
        log = (tmp_path / "gunicorn.log").read_text()
    assert "Traceback" not in log, log
    if backend == "nginx":
        assert first.status == 200, first.read_body  # type: ignore[attr-defined]
        handover = first.getheader("X-Accel-Redirect") or ""
        assert handover.startswith(f"/_sendfile_store/{BUCKET}/{LOCATION}/plain.txt?X-Amz-"), (
            handover
        )
    else:
        assert first.status == 302, first.read_body  # type: ignore[attr-defined]
        location = first.getheader("Location") or ""
        assert location.startswith(f"http://{site.store}/{BUCKET}/{LOCATION}/plain.txt?"), location


#: A key for each rule of the core's key check, as a client sends it in ?name=, with the
#: refusal the core gives it. django-storages' clean_name leaves each as it is (it resolves
#: '//', './' and 'a/../' itself: see the next test). None is ever a server error.
REFUSED_KEYS = {
    "/escape.txt": "not found: /escape.txt: not a valid object key: it starts with '/'",
    "": "not found: : not a valid object key: it is empty",
    "folder/": "not found: folder/: not a valid object key: it has an empty segment",
    "a/%2E/plain.txt": "not a valid object key: it has a '.' segment",
    "tab\there.txt": "not a valid object key: it contains the control character U+0009",
    "line\nbreak.txt": "not a valid object key: it contains the control character U+000A",
    "nul\x00byte.txt": "outside root: path contains a NUL byte",
    "../escape.txt": "outside root: '..' climbs above the root",
    "a/%2e%2E/escape.txt": "outside root: '..' climbs above the root",
    "a%2Fb.txt": "outside root: an encoded '/' (%2F) could climb out of the key prefix",
    "a\\..\\..\\escape.txt": "outside root: '..' climbs above the root",
    "k" * 1100: "too long for an object key (1024 bytes with the prefix)",
}


@pytest.mark.parametrize("backend", ["nginx", "simple"])
@pytest.mark.parametrize("key", sorted(REFUSED_KEYS), ids=lambda key: repr(key[:40]))
def test_every_refused_key_is_the_clients_404(site: Site, backend: str, key: str) -> None:
    from storages.utils import clean_name

    app = get(site.app, "/raw?" + urllib.parse.urlencode({"name": key, "backend": backend}))
    assert app.status == 404, app.read_body  # type: ignore[attr-defined]
    through_nginx = get(site.front, "/raw?" + urllib.parse.urlencode({"name": key}))
    assert through_nginx.status == 404
    # The reason is the core's, for the key as the storage names it.
    with pytest.raises(sendfile_rs.SendfileError, match=re.escape(REFUSED_KEYS[key])):
        sendfile_rs.Sender(backend, None, **store_options(site.store)).plan(clean_name(key))
    assert "Traceback" not in (site.work / "gunicorn.log").read_text()


@pytest.mark.parametrize(
    ("key", "core_refusal", "status"),
    [
        ("./plain.txt", "it has a '.' segment", 200),
        ("a/../plain.txt", "'..' climbs above the root", 200),
        ("a//plain.txt", "it has an empty segment", 404),
    ],
)
def test_keys_the_storage_cleans_are_answered_as_it_names_them(
    site: Site, key: str, core_refusal: str, status: int
) -> None:
    """The object is the storage's: './plain.txt' is 'plain.txt' to django-storages, and
    'a//plain.txt' is 'a/plain.txt', which does not exist (the store's 404). The core
    itself would refuse each key as written."""
    response = get(site.front, "/raw?" + urllib.parse.urlencode({"name": key}))
    assert response.status == status
    if status == 200:
        assert response.read_body == content_of("plain.txt")  # type: ignore[attr-defined]
    with pytest.raises(sendfile_rs.SendfileError, match=re.escape(core_refusal)):
        sendfile_rs.Sender("nginx", None, **store_options(site.store)).plan(key)


def test_a_range_past_the_end_is_416_without_the_stores_body(site: Site) -> None:
    size = len(content_of("plain.txt"))
    response = get(site.front, object_path("plain.txt"), {"Range": f"bytes={size + 100}-"})
    body = response.read_body  # type: ignore[attr-defined]
    assert response.status == 416, body
    assert b"<Error>" not in body and b"InvalidRange" not in body, body
    assert response.getheader("Content-Range") == f"bytes */{size}"
    assert response.getheader("Content-Type") == "text/html"


def test_a_range_of_an_empty_object_is_416_without_a_length(site: Site) -> None:
    """The length comes from a one-byte range of the object, which an empty object does
    not have: the 416 goes out without Content-Range rather than as an error."""
    response = get(site.front, object_path("empty.bin"), {"Range": "bytes=0-"})
    body = response.read_body  # type: ignore[attr-defined]
    assert response.status == 416, body
    assert b"<Error>" not in body
    assert response.getheader("Content-Range") is None


def test_an_https_store_configuration_is_accepted_by_nginx(tmp_path: Path) -> None:
    """Every location that reaches an https store, the length probe's too, verifies it."""
    nginx = require("nginx", "nginx")
    text = subprocess.run(
        [
            *(sys.executable, "-m", "sendfile_rs", "config", "nginx"),
            *("--store-endpoint", "https://127.0.0.1:9443", "--store-bucket", BUCKET),
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    http, server = text.split("# In the server block:\n")
    assert server.count("proxy_pass https://") == server.count("proxy_ssl_verify on;") == 2
    config = tmp_path / "nginx.conf"
    config.write_text(
        nginx_standalone(
            tmp_path,
            free_port(),
            "".join(f"        {line}\n" for line in server.splitlines()),
            http=http.split("# In the http block:\n")[1],
        )
    )
    checked = subprocess.run(
        [nginx, "-t", "-c", str(config), "-p", str(tmp_path)], capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stderr


BIG = bytes(range(256)) * 4096


@pytest.mark.parametrize("validator", ["ETag", "Last-Modified"])
def test_if_range_with_the_current_validator_gives_the_range(site: Site, validator: str) -> None:
    current = get(site.front, object_path("big.bin")).getheader(validator) or ""
    response = get(
        site.front, object_path("big.bin"), {"Range": "bytes=100-199", "If-Range": current}
    )
    assert response.status == 206
    assert response.getheader("Content-Range") == f"bytes 100-199/{len(BIG)}"
    assert response.read_body == BIG[100:200]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "stale", ['"0123456789abcdef0123456789abcdef"', "Thu, 01 Jan 2015 00:00:00 GMT"]
)
def test_if_range_with_a_stale_validator_gives_the_whole_object(site: Site, stale: str) -> None:
    """A client resuming a download of an object that has changed since: the whole new
    object, never a range of it joined to the old one's start. Ceph RGW ignores If-Range
    (it would answer 206), so nginx decides."""
    response = get(
        site.front, object_path("big.bin"), {"Range": "bytes=100-199", "If-Range": stale}
    )
    assert response.status == 200
    assert response.getheader("Content-Range") is None
    assert response.read_body == BIG  # type: ignore[attr-defined]
