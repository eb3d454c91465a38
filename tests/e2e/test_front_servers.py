"""Real front servers in front of Django, each configured by
`python -m sendfile_rs config <server>` and the application using the matching backend
(under gunicorn, or inside Apache for mod_wsgi): what a client receives for hostile names,
links, ranges, conditional requests, and direct requests for the files."""

from __future__ import annotations

import http.client
import os
import shutil
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest
from fronts import FRONTS, Front, running_site, temporary_work

NAMES = [
    "plain.txt",
    "with space.txt",
    "100%.txt",
    "100%41.txt",
    "hash#tag.txt",
    "what?.txt",
    "semi;colon.txt",
    "plus+sign.txt",
    'double"quote.txt',
    "single'quote.txt",
    "back\\slash.txt",
    "dollar$1.txt",
    "{brace}.txt",
    "slash%2Fencoded.txt",
    "accentu\u00e9.txt",
    "\u65e5\u672c\u8a9e.txt",
    "emoji\U0001f600.txt",
    "long-" + "x" * 200 + ".txt",
    "nested/deeper/file.txt",
]


def content_of(name: str) -> bytes:
    return f"the file {name!r}\n".encode() * 50


def make_tree(work: Path) -> Path:
    """The files, two links, and a secret beside the root, readable by an unprivileged
    front-server worker."""
    root = work / "root"
    for name in NAMES:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content_of(name))
    (work / "secret.txt").write_text("secret")
    (root / "changing.txt").write_bytes(b"first version\n")
    os.symlink("plain.txt", root / "link-inside")
    os.symlink("../secret.txt", root / "link-outside")
    for folder, _, files in os.walk(work):
        os.chmod(folder, 0o755)
        for file in files:
            os.chmod(os.path.join(folder, file), 0o644)
    return root


@pytest.fixture(scope="module", params=sorted(FRONTS))
def site(request: pytest.FixtureRequest) -> Iterator[tuple[Front, str, Path]]:
    work = temporary_work(request.param)
    try:
        with running_site(request.param, work, make_tree(work)) as running:
            yield running.front, running.address, running.root
    finally:
        shutil.rmtree(work)


def get(site: str, path: str, headers: dict[str, str] | None = None) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection(site, timeout=30)
    connection.request("GET", path, headers=headers or {})
    response = connection.getresponse()
    response.read_body = response.read()  # type: ignore[attr-defined]
    connection.close()
    return response


def app_path(name: str) -> str:
    return "/files/" + urllib.parse.quote(name)


@pytest.mark.parametrize("name", NAMES)
def test_hostile_names_arrive_exactly(site: tuple[Front, str, Path], name: str) -> None:
    response = get(site[1], app_path(name))
    assert response.status == 200, response.read_body  # type: ignore[attr-defined]
    assert response.read_body == content_of(name)  # type: ignore[attr-defined]
    assert response.getheader("Content-Type") == "text/plain"
    disposition = response.getheader("Content-Disposition")
    if site[0].keeps_disposition:
        assert disposition is not None and disposition.startswith("inline; filename=")
    else:
        assert disposition is None


def test_link_inside_the_root_is_served(site: tuple[Front, str, Path]) -> None:
    response = get(site[1], app_path("link-inside"))
    assert response.status == 200
    assert response.read_body == content_of("plain.txt")  # type: ignore[attr-defined]


def test_link_out_of_the_root_is_404(site: tuple[Front, str, Path]) -> None:
    assert get(site[1], app_path("link-outside")).status == 404


def test_range_is_handled_by_the_front_server(site: tuple[Front, str, Path]) -> None:
    response = get(site[1], app_path("plain.txt"), {"Range": "bytes=4-11"})
    assert response.status == 206
    assert response.read_body == content_of("plain.txt")[4:12]  # type: ignore[attr-defined]


def validators_of(response: http.client.HTTPResponse) -> dict[str, str]:
    """The conditional headers a client sends back: the ETag if any, else the date."""
    etag = response.getheader("ETag")
    if etag:
        return {"If-None-Match": etag}
    last_modified = response.getheader("Last-Modified")
    assert last_modified, "the answer has no validator at all"
    return {"If-Modified-Since": last_modified}


def test_conditional_request_is_handled_by_the_front_server(
    site: tuple[Front, str, Path],
) -> None:
    validators = validators_of(get(site[1], app_path("plain.txt")))
    assert get(site[1], app_path("plain.txt"), validators).status == 304


def test_a_changed_file_is_sent_again(site: tuple[Front, str, Path]) -> None:
    _, address, root = site
    validators = validators_of(get(address, app_path("changing.txt")))
    assert get(address, app_path("changing.txt"), validators).status == 304
    time.sleep(1.1)  # a new modification second, for servers that validate by date
    (root / "changing.txt").write_bytes(b"second, longer version\n")
    again = get(address, app_path("changing.txt"), validators)
    assert again.status == 200, "a stale copy was declared current"
    assert again.read_body == b"second, longer version\n"  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "path",
    [
        "/protected/plain.txt",
        "/protected/" + urllib.parse.quote("with space.txt"),
        "/plain.txt",
        # The same URL in other spellings, which the servers decode and normalise before
        # they map it.
        "/%70rotected/plain.txt",
        "//protected/plain.txt",
        "/files/../protected/plain.txt",
        "/protected/./plain.txt",
    ],
)
def test_the_files_cannot_be_requested_directly(site: tuple[Front, str, Path], path: str) -> None:
    # nginx: the location is internal. mod_wsgi: a rewrite rule refuses requests that are
    # not internal redirects. lighttpd, Caddy, mod_xsendfile: every request goes to the
    # application, which answers 404.
    response = get(site[1], path)
    assert response.status == 404, path
    assert content_of("plain.txt") not in response.read_body  # type: ignore[attr-defined]


def test_missing_file_is_404(site: tuple[Front, str, Path]) -> None:
    assert get(site[1], app_path("nothing.txt")).status == 404
