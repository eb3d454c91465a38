"""Archives planned by `Config.plan_archive`, judged by readers that are none of ours:
Python's zipfile, Info-ZIP unzip, 7-Zip (p7zip), libarchive's bsdtar and Java's
ZipInputStream and ZipFile (tests/python/archive_reader/Reader.java). Each reader must
list every member under its name, with its size and a CRC-32 equal to zlib's CRC of the
file on disk, and give back the file's bytes. Then the names an archive refuses, and a
download through gunicorn interrupted and resumed by curl.

A reader that is not installed skips its tests (tools/install-deps installs them all);
under CI=true it fails them."""

from __future__ import annotations

import http.client
import io
import os
import re
import shutil
import struct
import subprocess
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from serving import HERE, fetch_bytes, gunicorn

from sendfile_rs import InvalidArgument, _native

# The readers are real programs, as the servers are, and the archives are large (4 GiB,
# 65,600 members): they run once, in the newest environment, with the servers.
pytestmark = pytest.mark.servers

#: Each reader's program and the Debian package that has it.
READERS = {
    "unzip": ("unzip", "unzip"),
    "7z": ("7z", "p7zip-full"),
    "bsdtar": ("bsdtar", "libarchive-tools"),
    "java": ("java", "default-jdk-headless"),
    "curl": ("curl", "curl"),
}
READER_JAVA = HERE / "archive_reader" / "Reader.java"
#: The readers' output in UTF-8 whatever the machine's locale.
UTF8 = {**os.environ, "LC_ALL": "C.UTF-8"}
CHUNK = 1 << 20
#: The size of the member over 4 GiB: 10 bytes past the 32-bit limit.
HUGE = (1 << 32) + 10


def require(reader: str) -> str:
    """The path of ``reader``'s program; skips the test without it, fails it under CI."""
    program, package = READERS[reader]
    path = shutil.which(program)
    if path is None:
        message = f"{program} is not installed (apt-get install {package})"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


def run(command: list[str], *, expect: int = 0) -> str:
    """``command``'s standard output; fails the test with both outputs unless it exits
    with ``expect``."""
    done = subprocess.run(command, capture_output=True, env=UTF8)
    output = done.stdout.decode("utf-8", "surrogateescape")
    assert done.returncode == expect, (
        f"{command[0]} exited {done.returncode}: {output[-3000:]}"
        f"{done.stderr.decode('utf-8', 'replace')[-3000:]}"
    )
    return output


def file_crc(path: Path) -> int:
    crc = 0
    with path.open("rb") as file:
        while chunk := file.read(CHUNK):
            crc = zlib.crc32(chunk, crc)
    return crc


def assert_stream_equals(stream: Callable[[int], bytes], *paths: Path) -> None:
    """The bytes ``stream`` (a read function) gives, to its end, are the files' one after
    the other."""
    for path in paths:
        with path.open("rb") as file:
            offset = 0
            while expected := file.read(CHUNK):
                got = b""
                while len(got) < len(expected) and (more := stream(len(expected) - len(got))):
                    got += more
                assert got == expected, f"{path.name}: the bytes differ in {offset}+{CHUNK}"
                offset += len(expected)
    assert stream(1) == b"", f"more bytes than {paths[-1].name}'s"


def write_archive(
    config: _native.Config, members: list, archive: Path, *, by_segments: bool = False
) -> None:
    """The body of the archive plan of ``members`` (a 200) written to ``archive``: iterated
    as a WSGI server does, a chunk of zeros becoming a hole (so that the archive of a
    sparse member is sparse too); or, ``by_segments``, segment by segment as a server that
    sends the files' runs itself does."""
    with config.plan_archive(members) as plan:
        assert plan.status == 200
        assert plan.body == "archive"
        headers = dict(plan.headers)
        assert headers["Content-Type"] == "application/zip"
        assert int(headers["Content-Length"]) == plan.content_length
        with archive.open("wb") as file:
            if by_segments:
                for index in range(plan.segment_count):
                    segment = plan.segment(index)
                    if isinstance(segment, bytes):
                        file.write(segment)
                    else:
                        fd, offset, length = segment
                        data = os.pread(fd, length, offset)
                        assert len(data) == length
                        file.write(data)
            else:
                for chunk in plan:
                    if chunk == bytes(len(chunk)):
                        file.seek(len(chunk), os.SEEK_CUR)
                    else:
                        file.write(chunk)
            file.truncate()
    assert archive.stat().st_size == plan.content_length


@dataclass(frozen=True)
class Built:
    """An archive written to a file, and what its readers must find in it."""

    archive: Path
    #: Each member's name inside the archive and its file on disk, in archive order.
    expected: dict[str, Path]
    #: Each member's zlib.crc32, by name.
    crcs: dict[str, int]
    #: A folder for extractions.
    work: Path

    def listing(self) -> list[tuple[str, int, int]]:
        """(name, size, CRC-32) of every member, in order."""
        return [
            (name, path.stat().st_size, self.crcs[name]) for name, path in self.expected.items()
        ]

    def assert_unpacked(
        self, case: str, to_stdout: list[str], extract: Callable[[str], list[str]]
    ) -> None:
        """A reader gives back every member's bytes: the archives of STREAMED written by
        ``to_stdout`` (every member's data in order), the others extracted by
        ``extract(folder)`` into an empty folder that then holds every member under its
        name with the file's bytes, and nothing else."""
        if case in STREAMED:
            with subprocess.Popen(to_stdout, stdout=subprocess.PIPE) as process:
                assert process.stdout
                assert_stream_equals(process.stdout.read, *self.expected.values())
            assert process.returncode == 0
            return
        folder = self.work / Path(to_stdout[0]).name
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
        run(extract(str(folder)))
        found = sorted(
            str(path.relative_to(folder)) for path in folder.rglob("*") if not path.is_dir()
        )
        assert found == sorted(self.expected)
        for name, path in self.expected.items():
            with (folder / name).open("rb") as extracted:
                assert_stream_equals(extracted.read, path)


# The archives: each builder makes its files under ``root`` and returns the members to plan
# and the names they get inside the archive.
Members = tuple[list, list[str]]


def plain(root: Path) -> Members:
    """Small members of several sizes (random bytes), one with its CRC given."""
    sizes = {"one.bin": 1, "k.txt": 1000, "64k.bin": 65_536, "300k.bin": 300_000}
    for name, size in sizes.items():
        (root / name).write_bytes(os.urandom(size))
    (root / "mib.bin").write_bytes(os.urandom(CHUNK + 3))
    given = file_crc(root / "mib.bin")
    return [*sizes, ("mib.bin", "mib.bin", given)], [*sizes, "mib.bin"]


#: File names on disk that a shell, a URL or an argument parser would misread; the
#: archive names them as they are (a path alone keeps its file name).
HOSTILE = [
    "with space.txt",
    "  two leading, trailing  ",
    'double"quote.txt',
    "it's.txt",
    "100%.txt",
    "%41%2F%00.txt",
    "-rf",
    "--help",
    "-",
    "$(touch pwned);`id`|&.txt",
    "[a]*?.txt",
    "café ✓ 日本語.txt",
    "#hash?query=1&x.txt",
]


def hostile(root: Path) -> Members:
    for index, name in enumerate(HOSTILE):
        (root / name).write_bytes(os.urandom(100 + index))
    members = [root / name if index % 2 else name for index, name in enumerate(HOSTILE)]
    return members, list(HOSTILE)


#: Names inside the archive in UTF-8 (bit 11), in folders.
UNICODE = {
    "plain.txt": "docs/readme.txt",
    "b.txt": "docs/a b/c d.txt",
    "c.txt": "naïve/日本語/ファイル.txt",
    "d.txt": "emoji 😀/🎉.bin",
    "e.txt": "Ünïcödé/Ωμέγα/ñ.txt",
    "f.txt": "deep/1/2/3/4/5/6/7/8/9/leaf.txt",
}


def unicode_names(root: Path) -> Members:
    for index, path in enumerate(UNICODE):
        (root / path).write_bytes(os.urandom(500 * (index + 1)))
    return list(UNICODE.items()), list(UNICODE.values())


def empty_files(root: Path) -> Members:
    """Empty members, first, between others and last."""
    for name in ["e1", "e2", "e3"]:
        (root / name).write_bytes(b"")
    (root / "full").write_bytes(os.urandom(777))
    members = [("e1", "e1"), ("full", "full"), ("e2", "folder/empty"), ("e3", "z/last")]
    return members, [name for _, name in members]


def huge(root: Path) -> Members:
    """A sparse member of 4 GiB + 10 bytes (real bytes at both ends) between two small
    ones: its sizes need Zip64, and so does the offset of the member after it."""
    (root / "before.txt").write_bytes(b"before\n")
    with (root / "huge.bin").open("wb") as file:
        file.write(b"start")
        os.truncate(file.fileno(), HUGE)
        file.seek(HUGE - 5)
        file.write(b"end!!")
    (root / "after.txt").write_bytes(b"after\n")
    names = ["before.txt", "huge.bin", "after.txt"]
    return names, names


#: More members than the 16-bit counts of the end of central directory record hold.
MANY = 65_600


def many(root: Path) -> Members:
    folder = root / "m"
    folder.mkdir()
    names = [f"m/{index:05}.txt" for index in range(MANY)]
    for index, name in enumerate(names):
        (root / name).write_bytes(b"%d\n" % index)
    return [(name, name) for name in names], names


def zero(root: Path) -> Members:
    return [], []


BUILDERS: dict[str, Callable[[Path], Members]] = {
    "plain": plain,
    "hostile": hostile,
    "unicode": unicode_names,
    "empty_files": empty_files,
    "huge": huge,
    "many": many,
    "zero": zero,
}
#: Archives too large (4 GiB) or too many (65,600 files) to extract to disk in a test's
#: time: the readers stream every member's bytes, in order, to be compared with the files.
STREAMED = {"huge", "many"}
#: Archives written from the plan's segments: iterating the plan of 65,600 members takes
#: minutes (7.6 s for 8,000 members against 0.25 s segment by segment, growing as the
#: square of the count), the other archives and the server test iterate.
BY_SEGMENTS = {"many"}


class Archives:
    """Each archive built once per module, when a test first asks for it."""

    def __init__(self, factory: pytest.TempPathFactory) -> None:
        self.factory = factory
        self.built: dict[str, Built] = {}
        self.failed: dict[str, Exception] = {}

    def __getitem__(self, case: str) -> Built:
        """The archive ``case``; a build that failed fails every test of it, at once."""
        if case in self.failed:
            raise self.failed[case]
        if case not in self.built:
            try:
                self.built[case] = self.build(case)
            except Exception as error:
                self.failed[case] = error
                raise
        return self.built[case]

    def build(self, case: str) -> Built:
        folder = self.factory.mktemp(case)
        root = folder / "root"
        root.mkdir()
        members, names = BUILDERS[case](root)
        archive = folder / f"{case}.zip"
        config = _native.Config("simple", str(root), None, None)
        write_archive(config, members, archive, by_segments=case in BY_SEGMENTS)
        paths = [root / (m[0] if isinstance(m, tuple) else m) for m in members]
        assert len(names) == len(paths)
        expected = dict(zip(names, paths))
        crcs = {name: file_crc(path) for name, path in expected.items()}
        work = folder / "work"
        work.mkdir()
        return Built(archive, expected, crcs, work)


@pytest.fixture(scope="module")
def archives(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Archives]:
    yield Archives(tmp_path_factory)


CASES = list(BUILDERS)


# Python's zipfile.


@pytest.mark.parametrize("case", CASES)
def test_zipfile(archives: Archives, case: str) -> None:
    built = archives[case]
    with zipfile.ZipFile(built.archive) as archive:
        assert archive.testzip() is None
        infos = archive.infolist()
        assert [(i.filename, i.file_size, i.CRC) for i in infos] == built.listing()
        assert len(infos) == len(built.expected)
        for info, path in zip(infos, built.expected.values()):
            assert info.compress_type == zipfile.ZIP_STORED
            assert info.flag_bits & 0x08 == 0, f"{info.filename}: a data descriptor"
            assert bool(info.flag_bits & 0x800) == (not info.filename.isascii())
            with archive.open(info) as member:
                assert_stream_equals(member.read, path)


def test_zero_members_is_the_empty_archive(archives: Archives) -> None:
    """22 bytes: an end of central directory record and nothing else, byte for byte the
    archive zipfile writes for no members."""
    reference = archives["zero"].work / "reference.zip"
    zipfile.ZipFile(reference, "w").close()
    assert archives["zero"].archive.read_bytes() == reference.read_bytes()
    assert reference.read_bytes() == b"PK\x05\x06" + bytes(18)


def local_header(archive: Path, offset: int) -> tuple[int, int, int, bytes]:
    """The flags, compressed and uncompressed sizes and extra field of the local header
    at ``offset``."""
    with archive.open("rb") as file:
        file.seek(offset)
        fixed = file.read(30)
        signature, _, flags, _, _, _, _, compressed, size, name_length, extra_length = (
            struct.unpack("<IHHHHHIIIHH", fixed)
        )
        assert signature == 0x04034B50
        file.seek(name_length, os.SEEK_CUR)
        return flags, compressed, size, file.read(extra_length)


def test_huge_member_uses_zip64(archives: Archives) -> None:
    """The member over 4 GiB says so in a Zip64 extra field of its local header (both
    sizes 0xFFFFFFFF there), and the archive ends with Zip64 end records."""
    built = archives["huge"]
    with zipfile.ZipFile(built.archive) as archive:
        info = archive.getinfo("huge.bin")
        after = archive.getinfo("after.txt")
    assert info.file_size == HUGE
    assert after.header_offset > 0xFFFFFFFF
    flags, compressed, size, extra = local_header(built.archive, info.header_offset)
    assert (flags & 0x08, compressed, size) == (0, 0xFFFFFFFF, 0xFFFFFFFF)
    assert struct.unpack("<QQ", extra_field(extra, 0x0001)) == (HUGE, HUGE)
    assert b"PK\x06\x06" in tail(built.archive, 200)


def extra_field(extra: bytes, tag: int) -> bytes:
    """The data of the one field ``tag`` in an extra field."""
    found = []
    at = 0
    while at < len(extra):
        field, length = struct.unpack("<HH", extra[at : at + 4])
        if field == tag:
            found.append(extra[at + 4 : at + 4 + length])
        at += 4 + length
    assert at == len(extra)
    (data,) = found
    return data


def tail(path: Path, length: int) -> bytes:
    with path.open("rb") as file:
        file.seek(-length, os.SEEK_END)
        return file.read()


def test_many_members_use_zip64_end_records(archives: Archives) -> None:
    """65,600 members: the end of central directory record's counts say 0xFFFF and the
    Zip64 end record holds the count."""
    end = tail(archives["many"].archive, 22 + 20 + 56)
    zip64_end, locator, classic = end[:56], end[56:76], end[76:]
    assert zip64_end[:4] == b"PK\x06\x06"
    assert struct.unpack("<QQ", zip64_end[24:40]) == (MANY, MANY)
    assert locator[:4] == b"PK\x06\x07"
    assert classic[:4] == b"PK\x05\x06"
    assert struct.unpack("<HH", classic[8:12]) == (0xFFFF, 0xFFFF)


# Info-ZIP unzip.


@pytest.mark.parametrize("case", CASES)
def test_unzip(archives: Archives, case: str) -> None:
    unzip = require("unzip")
    built = archives[case]
    archive = str(built.archive)
    if case == "zero":
        # Info-ZIP warns about every archive without members, exit status 1, the one
        # zipfile writes included (test_zero_members_is_the_empty_archive).
        output = run([unzip, "-t", archive], expect=1)
        assert output == f"Archive:  {archive}\nwarning [{archive}]:  zipfile is empty\n"
        return
    output = run([unzip, "-t", archive])
    assert output.endswith(f"No errors detected in compressed data of {archive}.\n")
    # The names, padded for a column, are read from -Z1 below.
    tested = re.findall(r"^    testing: .* OK$", output, re.MULTILINE)
    assert len(tested) == len(built.expected)
    assert run([unzip, "-Z1", archive]).splitlines() == list(built.expected)
    built.assert_unpacked(
        case, [unzip, "-p", archive], lambda folder: [unzip, "-q", archive, "-d", folder]
    )


# 7-Zip.


def seven_zip_listing(output: str) -> list[tuple[str, int, int]]:
    """(path, size, CRC) of every entry in ``7z l -slt`` output (an empty file's CRC is
    printed empty: 0)."""
    entries = output.split("\n----------\n", 1)[1].strip().split("\n\n")
    listing = []
    for entry in entries:
        fields = dict(line.split(" = ", 1) for line in entry.splitlines() if " = " in line)
        crc = fields["CRC"]
        listing.append((fields["Path"], int(fields["Size"]), int(crc, 16) if crc else 0))
    return listing


@pytest.mark.parametrize("case", CASES)
def test_7z(archives: Archives, case: str) -> None:
    seven = require("7z")
    built = archives[case]
    output = run([seven, "t", str(built.archive)])
    assert "\nEverything is Ok\n" in output
    if case == "zero":
        assert "\nFiles: 0\n" in output
        return
    listing = run([seven, "l", "-slt", str(built.archive)])
    assert seven_zip_listing(listing) == built.listing()


# libarchive's bsdtar.


@pytest.mark.parametrize("case", CASES)
def test_bsdtar(archives: Archives, case: str) -> None:
    bsdtar = require("bsdtar")
    built = archives[case]
    archive = str(built.archive)
    assert run([bsdtar, "-tf", archive]).splitlines() == list(built.expected)
    built.assert_unpacked(
        case, [bsdtar, "-xOf", archive], lambda folder: [bsdtar, "-xf", archive, "-C", folder]
    )


# Java: ZipInputStream, streaming through the local headers, and ZipFile.


@pytest.mark.parametrize("case", CASES)
def test_java(archives: Archives, case: str) -> None:
    java = require("java")
    built = archives[case]
    output = run([java, str(READER_JAVA), str(built.archive)])
    lines = [line.split("\t") for line in output.splitlines()]
    expected = [[name, str(size), f"{crc:08x}"] for name, size, crc in built.listing()]
    assert [line[1:] for line in lines if line[0] == "stream"] == expected
    assert [line[1:] for line in lines if line[0] == "file"] == expected
    assert len(lines) == 2 * len(expected), "a mismatch line: ZipFile's directory disagrees"


# Names refused.


def refused(message: str) -> str:
    return f"invalid argument: {message}"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (
            "../evil",
            "\"../evil\" is refused: it has a '..' segment, which unpacks outside the folder",
        ),
        (
            "a/../../evil",
            "\"a/../../evil\" is refused: it has a '..' segment, which unpacks outside the folder",
        ),
        ("/abs", "\"/abs\" is refused: it is absolute (starts with '/')"),
        ("a\\b", "\"a\\\\b\" is refused: it contains '\\', a folder separator to Windows tools"),
        ("C:/x", "\"C:/x\" is refused: it starts with a drive ('C:')"),
        # A drive-relative name: Windows reads it as b.txt in drive A's current folder, and
        # bsdtar 3.6.2 -xf extracts it as b.txt ("Removing leading drive letter from member
        # names"), over a member named b.txt.
        ("a:b.txt", "\"a:b.txt\" is refused: it starts with a drive ('C:')"),
        ("a\nb", '"a\\nb" is refused: it contains a control character'),
        ("tab\there", '"tab\\there" is refused: it contains a control character'),
        ("\x1b[31mred", '"\\u{1b}[31mred" is refused: it contains a control character'),
        ("del\x7f", '"del\\u{7f}" is refused: it contains a control character'),
        ("nel\x85", '"nel\\u{85}" is refused: it contains a control character'),
        ("", '"" is refused: it is empty'),
        ("./x", "\"./x\" is refused: it has a '.' segment"),
        (
            "a//b",
            "\"a//b\" is refused: it has an empty segment ('//', or '/' at the end: a folder)",
        ),
        (
            "dir/",
            "\"dir/\" is refused: it has an empty segment ('//', or '/' at the end: a folder)",
        ),
    ],
)
def test_unsafe_name_refused(root: Path, name: str, message: str) -> None:
    config = _native.Config("simple", str(root), None, None)
    with pytest.raises(InvalidArgument) as raised:
        config.plan_archive([("file.txt", name)])
    assert str(raised.value) == refused(f"the archive member name {message}")


@pytest.mark.parametrize(
    ("members", "message"),
    [
        (
            [("file.txt", "x"), ("file.txt", "y"), ("file.txt", "x")],
            'two archive members are named "x": names must differ',
        ),
        (
            ["file.txt", "sub/file.txt"],
            'two archive members are named "file.txt": names must differ',
        ),
        (
            [("file.txt", "a"), ("file.txt", "a/b")],
            'the archive member "a" is also a folder of another member',
        ),
        (
            [("file.txt", "a/b/c"), ("file.txt", "a/b")],
            'the archive member "a/b" is also a folder of another member',
        ),
    ],
)
def test_clashing_names_refused(root: Path, members: list, message: str) -> None:
    (root / "sub").mkdir()
    (root / "sub" / "file.txt").write_bytes(b"other")
    config = _native.Config("simple", str(root), None, None)
    with pytest.raises(InvalidArgument) as raised:
        config.plan_archive(members)
    assert str(raised.value) == refused(message)


# Resume through a real server.


def archive_bytes(root: Path, members: list[str]) -> bytes:
    with _native.Config("simple", str(root), None, None).plan_archive(members) as plan:
        return b"".join(plan)


def curl(*arguments: str) -> str:
    """curl's ``-w`` output; fails the test unless curl succeeds."""
    return run(["curl", "--silent", "--show-error", *arguments])


def parse_multipart(body: bytes, boundary: str, total: int) -> list[tuple[int, int, bytes]]:
    """(first, last, data) of each part of a multipart/byteranges ``body``, read strictly:
    each part's length from its Content-Range, then the next delimiter exactly there."""
    delimiter = b"--" + boundary.encode()
    assert body.startswith(b"\r\n" + delimiter + b"\r\n") or body.startswith(delimiter + b"\r\n")
    at = body.index(delimiter) + len(delimiter)
    parts = []
    while body[at : at + 2] == b"\r\n":
        end_of_headers = body.index(b"\r\n\r\n", at)
        headers = dict(
            line.split(": ", 1) for line in body[at + 2 : end_of_headers].decode().split("\r\n")
        )
        assert headers["Content-Type"] == "application/zip"
        match = re.fullmatch(r"bytes (\d+)-(\d+)/(\d+)", headers["Content-Range"])
        assert match, headers
        first, last, length = map(int, match.groups())
        assert length == total
        start = end_of_headers + 4
        parts.append((first, last, body[start : start + last - first + 1]))
        at = start + last - first + 1
        assert body[at : at + 2 + len(delimiter)] == b"\r\n" + delimiter
        at += 2 + len(delimiter)
    assert body[at:] in (b"--", b"--\r\n"), body[at - 100 :]
    return parts


@pytest.mark.servers
def test_resume_through_gunicorn(tmp_path: Path) -> None:
    require("curl")
    root = tmp_path / "root"
    (root / "docs").mkdir(parents=True)
    files = {"docs/one.bin": 3 << 20, "docs/two.bin": 1 << 20, "read me.txt": 1234}
    for index, (name, size) in enumerate(files.items()):
        (root / name).write_bytes(os.urandom(size))
        os.utime(
            root / name, ns=(1_700_000_000_000_000_000 + index, 1_700_000_000_000_000_000 + index)
        )
    members = list(files)
    original = archive_bytes(root, members)
    environment = {"ARCHIVE_MEMBERS": "\n".join(members)}
    with gunicorn(
        root, tmp_path / "gunicorn.log", environment=environment, app="archive_reader"
    ) as server:
        url = f"http://127.0.0.1:{server.port}/bundle.zip"
        whole = tmp_path / "whole.zip"
        assert curl("-o", str(whole), "-w", "%{http_code}", url) == "200"
        assert whole.read_bytes() == original

        # A download cut after 1,000,003 bytes (inside the first member's data), resumed.
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
        connection.request("GET", "/bundle.zip")
        response = connection.getresponse()
        assert response.status == 200
        partial = tmp_path / "partial.zip"
        partial.write_bytes(response.read(1_000_003))
        connection.close()
        assert partial.stat().st_size == 1_000_003
        assert curl("-C", "-", "-o", str(partial), "-w", "%{http_code}", url) == "206"
        assert partial.read_bytes() == original

        # A member changed: a resume with the old entity tag gets the whole new archive.
        status, headers, _ = fetch_bytes(server.port, "/bundle.zip", {}, "HEAD")
        stale = headers["ETag"]
        (root / "docs/two.bin").write_bytes(os.urandom(1 << 20))
        changed = archive_bytes(root, members)
        assert len(changed) == len(original) and changed != original
        status, headers, body = fetch_bytes(
            server.port, "/bundle.zip", {"Range": "bytes=1000-", "If-Range": stale}
        )
        assert (status, len(body), int(headers["Content-Length"])) == (
            200,
            len(changed),
            len(changed),
        )
        assert body == changed
        fresh = headers["ETag"]
        assert fresh != stale
        status, headers, body = fetch_bytes(
            server.port, "/bundle.zip", {"Range": "bytes=1000-", "If-Range": fresh}
        )
        assert (status, headers["Content-Range"]) == (
            206,
            f"bytes 1000-{len(changed) - 1}/{len(changed)}",
        )
        assert body == changed[1000:]

        # Several ranges: the first local header, a run across the first member's end,
        # and the end of central directory record.
        with zipfile.ZipFile(io.BytesIO(changed)) as archive:
            boundary_of_one = archive.infolist()[1].header_offset
        ranges = [
            (0, 29),
            (boundary_of_one - 100, boundary_of_one + 99),
            (len(changed) - 22, len(changed) - 1),
        ]
        status, headers, body = fetch_bytes(
            server.port,
            "/bundle.zip",
            {"Range": "bytes=" + ",".join(f"{first}-{last}" for first, last in ranges)},
        )
        assert status == 206
        match = re.fullmatch(r"multipart/byteranges; boundary=(\S+)", headers["Content-Type"])
        assert match, headers["Content-Type"]
        assert int(headers["Content-Length"]) == len(body)
        parts = parse_multipart(body, match.group(1), len(changed))
        assert parts == [(first, last, changed[first : last + 1]) for first, last in ranges]
        assert parts[2][2][:4] == b"PK\x05\x06"
