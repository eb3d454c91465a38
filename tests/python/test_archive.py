"""``sendfile_archive()`` from a Django view, as a site owner deploys it: the test project's
/archive view in a gunicorn (and a uvicorn) started fresh for the test, its first requests,
the archive read by Python's zipfile and compared with the files, ranges exact slices of
the whole, the members' data sent by sendfile(2) under gunicorn. The other readers are
in test_archive_readers.py; the layout in tests/archive.rs."""

from __future__ import annotations

import hashlib
import http.client
import io
import subprocess
import sys
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
import serving
from django.http import Http404
from django.test import RequestFactory, override_settings

import sendfile_rs

MEMBERS = {"a.bin": 3 << 20, "docs/b ✓.txt": 1000, "empty.txt": 0, "c.bin": 5 << 20}


@pytest.fixture(scope="module")
def archive_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("archive-root")
    for name, size in MEMBERS.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(bytes((offset * 7 + len(name)) % 251 for offset in range(size)))
    return root


def query() -> str:
    return "/archive?" + "&".join(f"f={quote(name)}" for name in MEMBERS)


def get(
    port: int, target: str, headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", target, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def check_archive(body: bytes, root: Path) -> None:
    archive = zipfile.ZipFile(io.BytesIO(body))
    assert archive.testzip() is None
    assert [info.filename for info in archive.infolist()] == [
        "a.bin",
        "b ✓.txt",
        "empty.txt",
        "c.bin",
    ]
    for info, name in zip(archive.infolist(), MEMBERS):
        data = (root / name).read_bytes()
        assert archive.read(info) == data
        assert info.CRC == zlib.crc32(data)
        assert info.compress_type == zipfile.ZIP_STORED


class SendfileStrace(serving.Strace):
    def __init__(self, pid: int, output: Path) -> None:
        super().__init__(pid, output, "-e", "trace=sendfile")

    def bytes_sent(self) -> int:
        import re

        return sum(
            int(match.group(1))
            for match in re.finditer(r"sendfile\(.*\)\s+=\s+(\d+)", self.finish())
        )


@pytest.fixture(scope="module")
def gunicorn(
    archive_root: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[serving.Server]:
    log = tmp_path_factory.mktemp("archive-gunicorn") / "gunicorn.log"
    with serving.gunicorn(archive_root, log) as server:
        yield server


@pytest.mark.servers
def test_a_fresh_gunicorn_sends_the_archive_members_by_sendfile(
    gunicorn: serving.Server, archive_root: Path, tmp_path: Path
) -> None:
    trace = SendfileStrace(gunicorn.worker, tmp_path / "archive.strace")
    status, headers, body = get(gunicorn.port, query() + "&as=bundle.zip")
    sent = trace.bytes_sent()
    assert status == 200
    assert headers["Content-Type"] == "application/zip"
    assert headers["Content-Disposition"] == 'attachment; filename="bundle.zip"'
    assert headers["Content-Length"] == str(len(body))
    assert headers["ETag"].startswith('"zip-')
    check_archive(body, archive_root)
    # Every member's data went by sendfile(2); only the records were written.
    assert sent == sum(MEMBERS.values())


@pytest.mark.servers
def test_a_download_resumes_with_a_range_and_if_range(gunicorn: serving.Server) -> None:
    status, headers, whole = get(gunicorn.port, query())
    etag = headers["ETag"]
    cut = len(whole) // 3
    status, headers, rest = get(
        gunicorn.port, query(), {"Range": f"bytes={cut}-", "If-Range": etag}
    )
    assert status == 206
    assert headers["Content-Range"] == f"bytes {cut}-{len(whole) - 1}/{len(whole)}"
    assert whole[:cut] + rest == whole
    status, _, again = get(
        gunicorn.port, query(), {"Range": f"bytes={cut}-", "If-Range": '"zip-0"'}
    )
    assert (status, hashlib.sha256(again).digest()) == (200, hashlib.sha256(whole).digest())
    status, headers, _ = get(gunicorn.port, query(), {"If-None-Match": etag})
    assert status == 304 and headers["ETag"] == etag


@pytest.mark.servers
def test_a_member_outside_the_root_or_missing_is_404(gunicorn: serving.Server) -> None:
    for member in ("missing.txt", "../etc/passwd"):
        status, _, _ = get(gunicorn.port, f"/archive?f=a.bin&f={member}")
        assert status == 404, member


@pytest.mark.servers
def test_a_fresh_uvicorn_sends_the_same_archive(
    archive_root: Path, tmp_path: Path, gunicorn: serving.Server
) -> None:
    _, _, expected = get(gunicorn.port, query())
    with serving.asgi_server(
        "uvicorn", "project.asgi:application", archive_root, tmp_path / "uvicorn.log"
    ) as server:
        status, _, body = get(server.port, query())
        assert status == 200
        assert body == expected
        status, _, part = get(server.port, query(), {"Range": "bytes=100-5000000"})
        assert status == 206 and part == expected[100:5000001]


def test_the_helper_names_members_and_refuses_unsafe_names(archive_root: Path) -> None:
    factory = RequestFactory()
    with override_settings(
        SENDFILE_BACKEND="sendfile_rs.backends.nginx",
        SENDFILE_ROOT=str(archive_root),
        SENDFILE_URL="/protected",
    ):
        response = sendfile_rs.sendfile_archive(
            factory.get("/"), [("a.bin", "x/a.bin"), archive_root / "empty.txt"], filename="two.zip"
        )
        body = b"".join(response)  # type: ignore[attr-defined]
        assert response.status_code == 200
        archive = zipfile.ZipFile(io.BytesIO(body))
        assert archive.namelist() == ["x/a.bin", "empty.txt"]
        with pytest.raises(Http404, match="not found: missing: no such file"):
            sendfile_rs.sendfile_archive(factory.get("/"), ["a.bin", "missing"])
        with pytest.raises(sendfile_rs.InvalidArgument, match=r"'\.\.' segment"):
            sendfile_rs.sendfile_archive(factory.get("/"), [("a.bin", "../a.bin")])


def test_an_archive_of_more_members_than_the_process_may_open(tmp_path: Path) -> None:
    """Members beyond the first 256 are not held open: a process limited to 64
    descriptors plans and sends an archive of 1,000."""
    for index in range(1000):
        (tmp_path / f"{index}.txt").write_text(str(index))
    script = f"""
import io, resource, zipfile
import sendfile_rs
resource.setrlimit(resource.RLIMIT_NOFILE, (64, 64))
plan = sendfile_rs.Sender("simple", {str(tmp_path)!r}).plan_archive(
    [f"{{index}}.txt" for index in range(1000)]
)
archive = zipfile.ZipFile(io.BytesIO(b"".join(plan)))
assert archive.testzip() is None
assert [archive.read(name) for name in archive.namelist()] == [
    str(index).encode() for index in range(1000)
]
print(len(archive.namelist()))
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert (done.returncode, done.stdout, done.stderr) == (0, "1000\n", "")


@pytest.mark.servers
def test_a_fresh_nonecorn_sends_the_members_by_zerocopysend(
    archive_root: Path, tmp_path: Path, gunicorn: serving.Server
) -> None:
    """Under a server that offers http.response.zerocopysend, the members' data is the
    server's to send by sendfile(2), member after member, the records as body messages."""
    _, _, expected = get(gunicorn.port, query())
    with serving.asgi_server(
        "nonecorn", "project.asgi:application", archive_root, tmp_path / "nonecorn.log"
    ) as server:
        trace = SendfileStrace(server.worker, tmp_path / "nonecorn.strace")
        status, _, body = get(server.port, query())
        sent = trace.bytes_sent()
        assert (status, body == expected) == (200, True)
        assert sent == sum(MEMBERS.values())
        status, _, part = get(server.port, query(), {"Range": "bytes=100-5000000"})
        assert status == 206 and part == expected[100:5000001]
