"""make bench, Django part: microseconds per sendfile() call for each backend, against
django-sendfile2 0.7.2 and against the floor, a bare HttpResponse carrying the same
headers, all in one process and one run.

Responses are dropped, not closed: close() fires Django's request_finished signal, which
costs the same for every response and is not the view's overhead. Dropping the simple
backend's response closes its file (reference counting), so descriptors do not pile up.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

import django
from django.conf import settings

settings.configure(SECRET_KEY="bench", ALLOWED_HOSTS=["*"], USE_TZ=True)
django.setup()

import django_sendfile.utils  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.test import RequestFactory, override_settings  # noqa: E402

import sendfile_rs  # noqa: E402

BACKENDS = ["nginx", "xsendfile", "mod_wsgi", "lighttpd", "simple"]
#: django-sendfile2 has no lighttpd backend.
SENDFILE2_BACKENDS = {"nginx", "xsendfile", "mod_wsgi", "simple"}


def microseconds(call: Callable[[], object], number: int = 4000, rounds: int = 9) -> float:
    for _ in range(500):
        call()
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(number):
            call()
        samples.append((time.perf_counter() - start) / number * 1e6)
    return statistics.median(samples)


def main() -> None:
    root = Path(tempfile.mkdtemp()) / "root"
    root.mkdir()
    path = root / "report.pdf"
    path.write_bytes(b"x" * 1024)
    request = RequestFactory().get("/report.pdf")
    rows = []
    for backend in BACKENDS:
        common = {"SENDFILE_ROOT": str(root), "SENDFILE_URL": "/protected"}
        with override_settings(SENDFILE_BACKEND=f"sendfile_rs.backends.{backend}", **common):
            ours = microseconds(lambda: sendfile_rs.sendfile(request, path))
            sample = sendfile_rs.sendfile(request, path)
            headers = list(sample.items())
            sample.close()

        def floor(headers: list[tuple[str, str]] = headers) -> HttpResponse:
            response = HttpResponse()
            for name, value in headers:
                response[name] = value
            return response

        bare = microseconds(floor)
        theirs = None
        if backend in SENDFILE2_BACKENDS:
            django_sendfile.utils._get_sendfile.cache_clear()
            with override_settings(
                SENDFILE_BACKEND=f"django_sendfile.backends.{backend}", **common
            ):
                theirs = microseconds(lambda: django_sendfile.utils.sendfile(request, str(path)))
        rows.append((backend, ours, bare, theirs))

    lines = ["Django: microseconds per sendfile() call (1 KiB file, RequestFactory, in process)"]
    columns = (
        ("sendfile_rs", 12),
        ("floor", 10),
        ("vs floor", 10),
        ("sendfile2", 11),
        ("speed-up", 10),
    )
    lines.append(f"{'backend':<12}" + "".join(f"{title:>{width}}" for title, width in columns))
    for backend, ours, bare, theirs in rows:
        their_text = f"{theirs:>11.1f}{theirs / ours:>9.1f}x" if theirs else f"{'-':>11}{'-':>10}"
        lines.append(f"{backend:<12}{ours:>12.1f}{bare:>10.1f}{ours / bare:>9.2f}x{their_text}")
    report = "\n".join(lines) + "\n"
    print(report, end="")
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "target/bench")
    out.mkdir(parents=True, exist_ok=True)
    (out / "django.txt").write_text(report)


if __name__ == "__main__":
    main()
