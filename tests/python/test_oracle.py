"""django-sendfile2 0.7.2 as the oracle: the same calls through ``django_sendfile.sendfile``
and ``sendfile_rs.sendfile``, over a generated corpus, with the status, every header and
the body compared.

Every difference is either absent or one of DIFFERENCES, which the table "What differs, and
why" of docs/migration.md lists row for row (``test_the_manual_lists_the_differences``). Each
difference says what our answer is, given theirs; a case passes when our answer is theirs
with exactly the differences that apply to it made, and each of them changed something.
Header names are compared without case and without order, as HTTP reads them.
"""

from __future__ import annotations

import itertools
import mimetypes
import os
import random
import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable
from urllib.parse import quote

import django_sendfile
import django_sendfile.utils
import pytest
from case_files import add_file
from django.conf import settings
from django.test import RequestFactory, override_settings

import sendfile_rs

REPOSITORY = Path(__file__).parents[2]
ROOT_NAME = "oracle-root"

#: The backends of both, and a custom backend module.
BACKENDS = ("simple", "development", "xsendfile", "nginx", "mod_wsgi", "lighttpd", "custom")
SERVED = ("simple", "development")

#: Files in the root: names with quotes, backslashes, semicolons, spaces, `%`, accents,
#: CJK, emoji, control characters, URL syntax, compressed files, folders.
NAMES = (
    "plain.txt",
    "report 2024.pdf",
    "semi;colon.txt",
    'quote"d.txt',
    "back\\slash.txt",
    'multi-part-one";" dummy".txt',
    "100%.txt",
    "%41%2F.txt",
    "p\u00e9ter.txt",
    "nai\u0308ve cafe\u0301.html",
    "\u65e5\u672c\u8a9e.txt",
    "emoji \U0001f600.png",
    "test\u2019s.txt",
    'caf\u00e9 "quoted".txt',
    "tab\there.txt",
    "bell\x07.txt",
    "del\x7f.txt",
    "?question#hash.txt",
    "plus+and&eq=.txt",
    "{braces}$dollar.txt",
    "~tilde.txt",
    "backup.tar.gz",
    "notes.txt.gz",
    "data.gz",
    "archive.tar.bz2",
    "archive.tar.xz",
    "image.jpg",
    "video.mp4",
    "icon.ico",
    "sound.wav",
    "archive.zip",
    "noextension",
    "folder/inner file.txt",
    "folder/sub/\u00fcn\u00efcode.csv",
)
#: Paths that are not a file to send: missing, a folder, outside the root.
NOT_FILES = ("missing.txt", "folder/missing.pdf", "folder", "../outside.txt", "link-out.txt")
LINK_IN = "link-in.txt"

#: Offered names: None (the file's own), False (none), and strings.
OFFERED = (
    None,
    False,
    "",
    "offered.pdf",
    "r\u00e9sum\u00e9 final.pdf",
    'say "hi".txt',
    "c:\\dir\\file.txt",
    "semi;colon; name.txt",
    "\u4e2d\u6587.doc",
    "emoji\U0001f680.txt",
    "tab\tname.txt",
    "line\nbreak.txt",
    "carriage\rreturn.txt",
    "dir/na\u00efve.txt",
    "50% off.txt",
)
MIMETYPES = (None, "application/x-custom", "text/plain; charset=utf-8")
ENCODINGS = (None, "gzip", "br")
#: content_length: not given, the file's own size, another size.
LENGTHS = (None, "size", 42)
URLS = (None, "/private", "/private/", "/")
CHECKS = (None, True, False)


@dataclass(frozen=True)
class Case:
    """One call, made the same way through both, under the same settings."""

    backend: str
    name: str
    attachment: bool = False
    attachment_filename: str | bool | None = None
    mimetype: str | None = None
    encoding: str | None = None
    content_length: int | str | None = None
    url: str | None = "/private"
    check_file_exists: bool | None = None
    #: How the settings are made: override_settings, or assignment to the settings object.
    how: str = "override"
    #: How the file is given: relative to the root, absolute, or an absolute Path.
    given_as: str = "relative"
    #: Which spelling of our backend's module the setting uses.
    spelling: str = "sendfile_rs.backends"

    @property
    def offered(self) -> str | None:
        """The name offered for download, as both read ``attachment_filename``."""
        if self.attachment_filename is None:
            return os.path.basename(os.path.normpath(self.name))
        return self.attachment_filename or None

    def __str__(self) -> str:
        given = {
            key: value
            for key, value in vars(self).items()
            if key not in ("backend", "name") and value != Case.__dataclass_fields__[key].default
        }
        return f"{self.backend}:{self.name!r}:{given}"


def corpus() -> list[Case]:
    """At least 300 cases: every file name on every backend, with the other arguments and
    the settings drawn in turn, so that each value meets each backend."""
    pick = random.Random(12).choice
    cases = []
    for index, (name, backend) in enumerate(itertools.product(NAMES, BACKENDS)):
        for variant in range(2):
            cases.append(
                Case(
                    backend=backend,
                    name=name,
                    attachment=pick((False, True)),
                    attachment_filename=OFFERED[(index * 2 + variant) % len(OFFERED)]
                    if variant
                    else pick((None, None, False, "offered.pdf")),
                    mimetype=pick(MIMETYPES),
                    encoding=pick(ENCODINGS),
                    content_length=pick(LENGTHS),
                    url=pick(URLS),
                    check_file_exists=pick(CHECKS),
                    how=("override", "assignment")[(index + variant) % 2],
                    given_as=("relative", "absolute", "path")[(index + variant) % 3],
                    spelling=pick(
                        ("sendfile_rs.backends", "django_sendfile.backends", "sendfile.backends")
                    ),
                )
            )
    for name, backend in itertools.product((*NOT_FILES, LINK_IN), BACKENDS):
        for check in (None, False):
            cases.append(Case(backend=backend, name=name, check_file_exists=check))
    return cases


# --- calling both ----------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    """What a call gave: a response (status, headers, body), or an exception."""

    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | None = None
    error: str | None = None
    #: Whether the exception's message names the root folder.
    error_names_root: bool = False

    def with_headers(self, **changes: str | None) -> Answer:
        """This answer with headers (lower-case names, ``_`` for ``-``) set or removed."""
        headers = dict(self.headers)
        for name, value in changes.items():
            name = name.replace("_", "-")
            if value is None:
                headers.pop(name, None)
            else:
                headers[name] = value
        return replace(self, headers=headers)

    def __str__(self) -> str:
        if self.error:
            return f"{self.error}{' naming the root' if self.error_names_root else ''}"
        body = "" if self.body is None else f" body of {len(self.body)} bytes"
        return f"{self.status} {self.headers}{body}"


def answer(call: Callable[[], Any], root: Path) -> Answer:
    try:
        response = call()
    # The exception is the answer, whichever it is.
    except Exception as error:
        return Answer(error=type(error).__name__, error_names_root=str(root) in str(error))
    try:
        headers = {name.lower(): value for name, value in response.items()}
        body = None
        if response.streaming:
            body = b"".join(response.streaming_content)
        elif response.content:
            body = response.content
        return Answer(response.status_code, headers, body)
    finally:
        response.close()


@contextmanager
def settings_of(case: Case, backend: str, root: Path) -> Iterator[None]:
    """The case's settings, made by override_settings or by assignment."""
    values: dict[str, Any] = {"SENDFILE_BACKEND": backend, "SENDFILE_ROOT": str(root)}
    values["SENDFILE_URL"] = case.url
    values["SENDFILE_CHECK_FILE_EXISTS"] = case.check_file_exists
    if case.how == "override":
        present = {name: value for name, value in values.items() if value is not None}
        with override_settings(**present):
            yield
        return
    saved = {name: getattr(settings, name, _UNSET) for name in values}
    try:
        for name, value in values.items():
            # None: not set at all, as in a project that never names it.
            put(name, _UNSET if value is None else value)
        yield
    finally:
        for name, value in saved.items():
            put(name, value)


_UNSET = object()


def put(name: str, value: Any) -> None:
    """Assigns a setting, or deletes it for ``_UNSET``."""
    if value is not _UNSET:
        setattr(settings, name, value)
    elif hasattr(settings, name):
        delattr(settings, name)


def arguments(case: Case, root: Path) -> tuple[Any, dict[str, Any]]:
    given: Any = case.name
    if case.given_as == "absolute":
        given = os.path.join(root, case.name)
    elif case.given_as == "path":
        given = root / case.name
    kwargs: dict[str, Any] = {
        "attachment": case.attachment,
        "attachment_filename": case.attachment_filename,
        "mimetype": case.mimetype,
        "encoding": case.encoding,
    }
    if case.content_length == "size":
        path = root / case.name
        kwargs["content_length"] = path.stat().st_size if path.is_file() else 7
    else:
        kwargs["content_length"] = case.content_length
    return given, kwargs


def theirs(case: Case, root: Path) -> Answer:
    module = {"custom": "oracle_backend", "lighttpd": "django_sendfile.backends.xsendfile"}
    backend = module.get(case.backend, f"django_sendfile.backends.{case.backend}")
    given, kwargs = arguments(case, root)
    with settings_of(case, backend, root):
        django_sendfile.utils._get_sendfile.cache_clear()
        return answer(lambda: django_sendfile.sendfile(requests.get("/"), given, **kwargs), root)


def ours(case: Case, root: Path) -> Answer:
    backend = "oracle_backend" if case.backend == "custom" else f"{case.spelling}.{case.backend}"
    given, kwargs = arguments(case, root)
    with settings_of(case, backend, root):
        return answer(lambda: sendfile_rs.sendfile(requests.get("/"), given, **kwargs), root)


requests = RequestFactory()


# --- the deliberate differences --------------------------------------------------------


@dataclass(frozen=True)
class Difference:
    """A deliberate difference: a row of the manual's table, when it applies, and what our
    answer is given theirs."""

    subject: str
    sendfile2: str
    sendfile_rs: str
    why: str
    applies: Callable[[Case, Answer], bool]
    ours: Callable[[Case, Answer, Path], Answer]

    @property
    def row(self) -> tuple[str, str, str, str]:
        return (self.subject, self.sendfile2, self.sendfile_rs, self.why)


HEADER_ONLY = ("xsendfile", "nginx", "mod_wsgi", "lighttpd")
#: Compressed files as our built-in table types them, served as themselves.
COMPRESSED = {".gz": "application/gzip", ".bz2": "application/x-bzip2", ".xz": "application/x-xz"}
#: Extensions whose type in our built-in table is not Python's.
MEDIA_TYPES = {".ico": "image/x-icon", ".wav": "audio/wav"}
CONTROL = re.compile("[\x00-\x1f\x7f]")
#: What a raw header value cannot hold: control characters but tab.
UNSENDABLE = re.compile("[\x00-\x08\x0a-\x1f\x7f]")


def path_of(case: Case, root: Path) -> str:
    """The absolute path both make of the name, before any link is followed."""
    return os.path.normpath(os.path.join(root, case.name))


def opened(case: Case) -> bool:
    """Whether we open the file: the backends that send it always, the others unless
    SENDFILE_CHECK_FILE_EXISTS is False."""
    return case.backend in SERVED or case.check_file_exists is not False


def suffix(case: Case) -> str:
    return os.path.splitext(case.name)[1]


def answered(answer: Answer) -> bool:
    return answer.error is None


def our_disposition(case: Case) -> str:
    """Content-Disposition by RFC 6266 and RFC 8187, as the core writes it: the fallback
    is the name decomposed, with non-ASCII and control characters dropped, then quoted;
    ``filename*`` only when the fallback is not the name, and then the name itself,
    percent-encoded."""
    keyword = "attachment" if case.attachment else "inline"
    name = case.offered
    if not name:
        return keyword
    fallback = "".join(c for c in unicodedata.normalize("NFKD", name) if " " <= c <= "~")
    quoted = fallback.replace("\\", "\\\\").replace('"', '\\"')
    value = f'{keyword}; filename="{quoted}"'
    if fallback != name:
        value += "; filename*=UTF-8''" + quote(name, safe="")
    return value


def twin_without_line_breaks(case: Case, answer: Answer, root: Path) -> Answer:
    """Theirs for the name without its line breaks, which they cannot put in a header."""
    if answer.error == "BadHeaderError":
        name = str(case.attachment_filename).replace("\r", "").replace("\n", "")
        answer = theirs(replace(case, attachment_filename=name), root)
    return with_our_disposition(case, answer, root)


def with_our_validators(case: Case, answer: Answer, root: Path) -> Answer:
    """The answer with our ETag (from the size and the mtime of the file opened) and
    ``Accept-Ranges``."""
    status = os.stat(path_of(case, root))
    seconds, nanoseconds = divmod(status.st_mtime_ns, 10**9)
    etag = f'"{seconds:x}.{nanoseconds:x}-{status.st_size:x}"'
    return answer.with_headers(etag=etag, accept_ranges="bytes")


def with_our_disposition(case: Case, answer: Answer, root: Path) -> Answer:
    return answer.with_headers(content_disposition=our_disposition(case))


def refused(error: str) -> Callable[[Case, Answer, Path], Answer]:
    return lambda case, answer, root: Answer(error=error)


DIFFERENCES: list[Difference] = [
    Difference(
        "control characters in the offered name",
        'copied into `filename="..."`; CR or LF raise `BadHeaderError`, a 500',
        'dropped from `filename="..."`; the exact name in `filename*`',
        "they have no place in a header; clients cut the name there",
        lambda case, answer: (
            bool(CONTROL.search(case.offered or ""))
            and (answer.error == "BadHeaderError" or "content-disposition" in answer.headers)
        ),
        twin_without_line_breaks,
    ),
    Difference(
        '`"` or `\\` beside non-ASCII in the offered name',
        "`filename*` encodes the escaped name (`a%5C%22b`)",
        "`filename*` encodes the name (`a%22b`)",
        "the client would save the name with backslashes added",
        lambda case, answer: (
            answered(answer)
            and not CONTROL.search(case.offered or "")
            and bool(re.search(r'["\\]', case.offered or ""))
            and not (case.offered or "").isascii()
        ),
        with_our_disposition,
    ),
    Difference(
        "`/` beside non-ASCII in the offered name",
        "`/` as it is in `filename*`",
        "`%2F`",
        "RFC 8187 allows no `/` there",
        lambda case, answer: (
            answered(answer)
            and not re.search(r'[\x00-\x1f\x7f"\\]', case.offered or "")
            and "/" in (case.offered or "")
            and not (case.offered or "").isascii()
        ),
        with_our_disposition,
    ),
    Difference(
        "a folder",
        "answered as a file: header-only backends with the folder's size as "
        "`Content-Length`, simple with `IsADirectoryError`, a 500",
        "`Http404`, unless `SENDFILE_CHECK_FILE_EXISTS = False` on a header-only backend",
        "a folder is not a file to send",
        lambda case, answer: case.name == "folder" and opened(case) and answer.error != "Http404",
        refused("Http404"),
    ),
    Difference(
        "symbolic links",
        "followed, even out of `SENDFILE_ROOT`",
        "followed only while they stay inside; otherwise `Http404`",
        "a link must not publish files outside the root",
        lambda case, answer: case.name == "link-out.txt" and opened(case),
        refused("Http404"),
    ),
    Difference(
        "a control character but tab in the path, xsendfile",
        "copied raw into `X-Sendfile`",
        "`InvalidArgument` (`xsendfile_percent_encode` for mod_xsendfile 1.0)",
        "no header can carry it raw",
        lambda case, answer: (
            case.backend == "xsendfile" and answered(answer) and bool(UNSENDABLE.search(case.name))
        ),
        refused("InvalidArgument"),
    ),
    Difference(
        "`content_length=` other than the file's size, simple and development",
        "`Content-Length` says it, and the whole file follows",
        "`InvalidArgument`, saying why",
        "the client would wait for bytes that never come, or read past the answer",
        lambda case, answer: (
            case.backend in SERVED and answered(answer) and case.content_length == 42
        ),
        refused("InvalidArgument"),
    ),
    Difference(
        "the message of `Http404`",
        "names the absolute path",
        "names the path relative to the root",
        "a 404 page shown with `DEBUG` must not reveal the root",
        lambda case, answer: answer.error == "Http404" and answer.error_names_root,
        lambda case, answer, root: replace(answer, error_names_root=False),
    ),
    Difference(
        "`Content-Length` on nginx, xsendfile, mod_wsgi, lighttpd answers",
        "the file's size or `content_length=`, on an empty body",
        "none (Django may add `0`)",
        "the front server sets it; a length the body does not have is a lie proxies act on",
        lambda case, answer: case.backend in HEADER_ONLY and "content-length" in answer.headers,
        lambda case, answer, root: answer.with_headers(content_length=None),
    ),
    Difference(
        "a custom backend with `SENDFILE_CHECK_FILE_EXISTS = False`",
        "`Content-Length` the local file's size, when there is one",
        "none, unless `content_length=` says it",
        "the setting says the file is not local",
        lambda case, answer: (
            case.backend == "custom"
            and case.check_file_exists is False
            and case.content_length is None
            and "content-length" in answer.headers
        ),
        lambda case, answer, root: answer.with_headers(content_length=None),
    ),
    Difference(
        "`backup.tar.gz`, `notes.txt.gz`, `.bz2`, `.xz`",
        "the inner type (`application/x-tar`) and `Content-Encoding: gzip`, even with `mimetype=`",
        "`application/gzip` (`application/x-bzip2`, `application/x-xz`), no encoding; "
        "`mimetype=` and `encoding=` as given",
        "the browser would unpack the download",
        lambda case, answer: (
            answered(answer)
            and suffix(case) in COMPRESSED
            and not (case.mimetype and case.encoding)
        ),
        lambda case, answer, root: answer.with_headers(
            content_type=case.mimetype or COMPRESSED[suffix(case)], content_encoding=case.encoding
        ),
    ),
    Difference(
        "media types",
        "Python's `mimetypes`, which reads `/etc/mime.types` "
        "(`.ico` `image/vnd.microsoft.icon`, `.wav` `audio/x-wav`)",
        "a built-in table, the same everywhere (`image/x-icon`, `audio/wav`); "
        '`SENDFILE_OPTIONS["content_types"]` to override',
        "one answer on every machine",
        lambda case, answer: (
            answered(answer)
            and suffix(case) in MEDIA_TYPES
            and not case.mimetype
            and answer.headers["content-type"] != MEDIA_TYPES[suffix(case)]
        ),
        lambda case, answer, root: answer.with_headers(content_type=MEDIA_TYPES[suffix(case)]),
    ),
    Difference(
        "a stored name without extension",
        "`application/octet-stream`",
        "typed from the offered name when that one has an extension",
        "uploads stored under opaque names",
        lambda case, answer: (
            answered(answer)
            and not suffix(case)
            and not case.mimetype
            and mimetypes.guess_type(case.offered or "")[0] is not None
        ),
        lambda case, answer, root: answer.with_headers(
            content_type=mimetypes.guess_type(case.offered or "")[0]
        ),
    ),
    Difference(
        "simple backend",
        "`ETag` an MD5 of size and mtime, `Last-Modified`, 304 and 412 by Django's "
        "`condition`; no ranges; the whole file read into memory",
        "`ETag` from size and mtime, `Accept-Ranges: bytes`, `Range` (single and "
        "multipart), `If-Range`, 304/412/416, HEAD, sent by descriptor",
        "videos seek, downloads resume, caches revalidate, memory stays flat",
        lambda case, answer: case.backend == "simple" and answer.status == 200,
        with_our_validators,
    ),
    Difference(
        "development backend",
        "Django's `static.serve`: `Last-Modified`, 304 on `If-Modified-Since`; no ranges",
        "as simple",
        "the same answers in development as in production",
        lambda case, answer: case.backend == "development" and answer.status == 200,
        with_our_validators,
    ),
    Difference(
        "`X-Sendfile` with a non-ASCII path",
        "latin-1 or RFC 2047 text, which mod_xsendfile cannot open",
        "the path's UTF-8 bytes",
        "what mod_xsendfile 0.12 opens",
        lambda case, answer: (
            case.backend == "xsendfile" and answered(answer) and not case.name.isascii()
        ),
        lambda case, answer, root: answer.with_headers(
            x_sendfile=path_of(case, root).encode().decode("latin-1")
        ),
    ),
    Difference(
        "lighttpd",
        "no such backend; its xsendfile backend sends the path raw",
        "`X-Sendfile` percent-encoded",
        "lighttpd decodes the path",
        lambda case, answer: (
            case.backend == "lighttpd" and answered(answer) and quote(case.name) != case.name
        ),
        lambda case, answer, root: answer.with_headers(x_sendfile=quote(path_of(case, root))),
    ),
    Difference(
        "nginx and mod_wsgi without `SENDFILE_URL`",
        "the raw absolute path",
        "the absolute path, percent-encoded",
        "nginx decodes the URI and cuts at `?`",
        lambda case, answer: (
            case.backend in ("nginx", "mod_wsgi")
            and case.url is None
            and answered(answer)
            and quote(case.name) != case.name
        ),
        lambda case, answer, root: answer.with_headers(
            **{redirect_header(case): quote(path_of(case, root))}
        ),
    ),
]


def redirect_header(case: Case) -> str:
    return "x_accel_redirect" if case.backend == "nginx" else "location"


def expected(case: Case, their_answer: Answer, root: Path) -> tuple[Answer, list[Difference]]:
    """Our answer as the differences that apply make it from theirs."""
    answer = their_answer
    applied = []
    for difference in DIFFERENCES:
        if difference.applies(case, answer):
            changed = difference.ours(case, answer, root)
            assert changed != answer, f"{difference.subject!r} no longer differs: {case}"
            answer = changed
            applied.append(difference)
    return answer, applied


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The files of the corpus, each of a size its own, and links in and out of the root."""
    base = tmp_path_factory.mktemp("oracle")
    folder = base / ROOT_NAME
    folder.mkdir()
    for index, name in enumerate(NAMES):
        add_file(folder, name, 100 + index)
    add_file(base, "outside.txt", 10)
    (folder / "link-out.txt").symlink_to(base / "outside.txt")
    (folder / LINK_IN).symlink_to("plain.txt")
    return folder


CASES = corpus()


def test_the_corpus_is_large_and_covers_every_dimension() -> None:
    assert len(CASES) >= 300
    assert {case.backend for case in CASES} == set(BACKENDS)
    for dimension, values in (
        ("attachment_filename", OFFERED),
        ("mimetype", MIMETYPES),
        ("encoding", ENCODINGS),
        ("content_length", LENGTHS),
        ("url", URLS),
        ("check_file_exists", CHECKS),
    ):
        seen = {getattr(case, dimension) for case in CASES}
        assert set(values) <= seen, dimension
    for backend in BACKENDS:
        for how in ("override", "assignment"):
            assert any(c.backend == backend and c.how == how for c in CASES), (backend, how)


@pytest.mark.parametrize("case", CASES, ids=[f"{i}-{c.backend}" for i, c in enumerate(CASES)])
def test_same_answer_as_django_sendfile2_but_for_the_listed_differences(
    case: Case, root: Path
) -> None:
    their_answer = theirs(case, root)
    our_answer = ours(case, root)
    wanted, applied = expected(case, their_answer, root)
    assert our_answer == wanted, (
        f"{case}\n theirs: {their_answer}\n ours:   {our_answer}\n wanted: {wanted}\n"
        f" after: {[difference.subject for difference in applied]}"
    )


def test_every_listed_difference_occurs(root: Path) -> None:
    unseen = {difference.subject for difference in DIFFERENCES}
    for case in CASES:
        _, applied = expected(case, theirs(case, root), root)
        unseen -= {difference.subject for difference in applied}
    assert unseen == set(), "no case of the corpus shows these: drop them, or add cases"


def listed_differences() -> list[tuple[str, ...]]:
    """The rows of the table under "What differs, and why" in docs/migration.md."""
    page = (REPOSITORY / "docs" / "migration.md").read_text()
    table = page.split("What differs, and why:\n\n", 1)[1].split("\n\n", 1)[0]
    rows = [line.strip("|").split(" | ") for line in table.splitlines()[2:]]
    return [tuple(cell.strip() for cell in row) for row in rows]


def test_the_manual_lists_the_differences() -> None:
    assert listed_differences() == [difference.row for difference in DIFFERENCES]
