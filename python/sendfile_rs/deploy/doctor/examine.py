"""The check itself: plant the canaries, download each through the URL template, judge
what arrived against the plan the application makes for it, request the files past the
application, and name the cause of each failure."""

from __future__ import annotations

import os
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from ..._native import BACKENDS, Config
from . import causes
from .canaries import Canary, Planted, planted
from .client import Answer, Client, Unreachable, header_value
from .report import DirectRow, FileRow, Problem, Report

#: The bytes a Range request asks for, inside every canary.
RANGE = (100, 199)


@dataclass(frozen=True)
class Expected:
    """What the application sends for one canary, from its own plan."""

    content_type: str | None
    disposition: str | None
    #: The header that hands the file to the front server, and its value; None when the
    #: application sends the body itself.
    handover: tuple[str, str] | None


def check(config: Config, root: str | os.PathLike[str], client: Client) -> Report:
    """Plants the canaries in ``root`` (SENDFILE_ROOT), checks the site and removes them.
    Raises ``CanaryError`` when the canaries cannot be written or removed."""
    folder = Path(root)
    report = Report(client.template, config.backend, str(folder))
    with planted(folder) as (written, files):
        try:
            _Examination(config, folder, client, written, report).run(files)
        except Unreachable as error:
            # The rows so far stay; what could not be asked is not judged.
            report.add(causes.unreachable(client.site, error))
    return report


class _Examination:
    def __init__(
        self, config: Config, root: Path, client: Client, written: Planted, report: Report
    ) -> None:
        self.config, self.root, self.client = config, root, client
        self.written, self.report = written, report

    def run(self, files: list[Canary]) -> None:
        downloads: list[tuple[Canary, FileRow, Answer]] = []
        for canary in files:
            row = FileRow(canary.label, canary.name, self.client.target_for(canary.name))
            self.report.files.append(row)
            answer = self.client.get(row.target)
            row.status = answer.status
            row.results["bytes"] = "ok" if self._arrived(canary, answer) else "fail"
            downloads.append((canary, row, answer))
        self._explain_failures(downloads)
        for canary, row, answer in downloads:
            if row.results["bytes"] == "ok":
                self._judge(canary, row, answer)
        self._request_directly(files[0])

    def expected(self, canary: Canary) -> Expected:
        with self.config.plan(canary.name) as plan:
            headers = list(plan.headers)
            sends_body = plan.body != "empty"
        # The handover names the file to the front server, in the backend's own header.
        handover = None
        if not sends_body:
            name = next(b.handover_header for b in BACKENDS if b.name == self.config.backend)
            handover = next((h for h in headers if h[0] == name), None)
        return Expected(
            header_value(headers, "Content-Type"),
            header_value(headers, "Content-Disposition"),
            handover,
        )

    def path_of(self, canary: Canary) -> str:
        return os.path.join(self.root, canary.name)

    def url_prefix(self, plain: Canary) -> str | None:
        """The URL prefix the handover puts before the plain canary's name (``/protected/``
        for nginx and mod_wsgi), or None when it names the file by its path on disk
        (X-Sendfile) or the application sends the file itself."""
        handover = self.expected(plain).handover
        needs_url = any(b.needs_url for b in BACKENDS if b.name == self.config.backend)
        if handover is None or not needs_url:
            return None
        value = handover[1]
        return value[: -len(plain.name)] if value.endswith("/" + plain.name) else None

    def _arrived(self, canary: Canary, answer: Answer) -> bool:
        return answer.status == 200 and answer.body == canary.content

    def _explain_failures(self, downloads: list[tuple[Canary, FileRow, Answer]]) -> None:
        failed = [(c, a) for c, row, a in downloads if row.results["bytes"] == "fail"]
        unexplained = []
        for canary, answer in failed:
            expected = self.expected(canary)
            handover = expected.handover
            if handover and answer.status == 200 and not answer.body:
                value = answer.header(handover[0])
                if value is not None:
                    self.report.add(
                        causes.offload_ignored(self.config.backend, canary.name, handover[0], value)
                    )
                    continue
                # nginx hides X-Accel-* from the client even when it does not act on
                # them: the application's own headers on an empty answer tell instead.
                carried = _planned_headers_carried(expected, answer)
                if carried:
                    self.report.add(
                        causes.offload_ignored(
                            self.config.backend, canary.name, *handover, carried=carried
                        )
                    )
                    continue
            if answer.status in (401, 403) or 300 <= answer.status < 400:
                location = answer.header("Location")
                self.report.add(causes.refused(canary.name, answer.status, location))
                continue
            unexplained.append((canary, answer))
        if not unexplained:
            return
        plain, plain_answer = downloads[0][0], downloads[0][2]
        if unexplained[0][0] is plain:
            if plain_answer.status == 404:
                self.report.add(self._missing(plain))
            else:
                self._unexpected(plain, plain_answer)
            return
        encoded = []
        for canary, answer in unexplained:
            if "/" in canary.name:
                self.report.add(causes.sub_folder(plain.name, canary.name, answer.status))
            else:
                encoded.append((canary.name, answer.status))
        if encoded:
            self.report.add(causes.encoding(plain.name, encoded))

    def _unexpected(self, canary: Canary, answer: Answer) -> None:
        if answer.status == 200:
            self.report.add(
                causes.wrong_bytes(canary.name, answer.body, len(canary.content), canary.sha256)
            )
        else:
            self.report.add(causes.unexpected_status(canary.name, answer.status, answer.reason))

    def _missing(self, plain: Canary) -> Problem:
        """The cause of a 404 for the plain canary."""
        path, prefix = self.path_of(plain), self.url_prefix(plain)
        if prefix is not None:
            looked_up = str(self.root).rstrip("/") + plain.name
            if self._serves(plain, looked_up):
                return causes.trailing_slash(
                    self.config.backend, plain.name, looked_up, path, prefix
                )
        return causes.not_found(self.config.backend, plain.name, path, str(self.root), prefix)

    def _serves(self, plain: Canary, looked_up: str) -> bool:
        """Whether the front server sends ``looked_up`` for the plain canary's URL. A
        location or alias without its trailing slash glues the file's name to the root's
        (``/srv/filesreport.pdf``): a file planted there for a moment, and sent, proves it."""
        probe = b"sendfile_rs check: looked up without the slash\n"
        try:
            self.written.write(Path(looked_up), probe)
        except OSError:
            # The root's parent is closed to us, or holds that name: no proof either way.
            return False
        again = self.client.get(self.client.target_for(plain.name))
        return again.status == 200 and again.body == probe

    def _judge(self, canary: Canary, row: FileRow, answer: Answer) -> None:
        expected = self.expected(canary)
        results = row.results
        got_type = answer.header("Content-Type")
        if expected.content_type is None or _essence(got_type) == _essence(expected.content_type):
            results["type"] = "ok"
        else:
            results["type"] = "fail"
            self.report.add(causes.content_type(canary.name, got_type, expected.content_type))
        results["name"] = self._judge_name(canary, answer, expected.disposition)
        results["range"] = self._judge_range(canary)
        results["304"] = self._judge_conditional(canary, answer)
        results["cache"] = self._judge_cache(canary, answer)

    def _judge_name(self, canary: Canary, answer: Answer, expected: str | None) -> str:
        if expected is None:
            return "-"
        got = answer.header("Content-Disposition")
        if got is None:
            problem = causes.name_lost(self.config.backend, canary.name, expected)
            self.report.add(problem)
            return problem.severity
        # The view chooses inline or attachment; the name must arrive as sent.
        if _disposition_name(got) == _disposition_name(expected):
            return "ok"
        self.report.add(causes.name_changed(canary.name, got, expected))
        return "fail"

    def _judge_range(self, canary: Canary) -> str:
        first, last = RANGE
        asked = f"bytes={first}-{last}"
        answer = self.client.get(self.client.target_for(canary.name), [("Range", asked)])
        content_range = f"bytes {first}-{last}/{len(canary.content)}"
        if (
            answer.status == 206
            and answer.body == canary.content[first : last + 1]
            and answer.header("Content-Range") == content_range
        ):
            return "ok"
        if answer.body == canary.content:
            detail = "with the whole file"
        else:
            detail = (
                f"with {len(answer.body)} bytes and Content-Range {answer.header('Content-Range')}"
            )
        self.report.add(causes.range_ignored(canary.name, asked, answer.status, detail))
        return "fail"

    def _judge_conditional(self, canary: Canary, first: Answer) -> str:
        validators = [
            (request, value)
            for request, response in (
                ("If-None-Match", "ETag"),
                ("If-Modified-Since", "Last-Modified"),
            )
            if (value := first.header(response)) is not None
        ]
        if not validators:
            self.report.add(causes.no_validator(canary.name))
            return "fail"
        answer = self.client.get(self.client.target_for(canary.name), validators)
        if answer.status == 304 and not answer.body:
            return "ok"
        asked = ", ".join(f"{name}: {value}" for name, value in validators)
        self.report.add(causes.conditional_ignored(canary.name, asked, answer.status))
        return "fail"

    def _judge_cache(self, canary: Canary, answer: Answer) -> str:
        # Every line: a front server's add_header comes beside the application's.
        value = answer.header("Cache-Control")
        directives = {
            part.split("=", 1)[0].strip().lower() for part in (value or "").split(",")
        } - {""}
        shared = next((d for d in ("public", "s-maxage") if d in directives), None)
        if shared is None and (
            not self.client.authenticated or directives & {"private", "no-store"}
        ):
            return "ok"
        self.report.add(
            causes.shared_cache(canary.name, answer.lines("Cache-Control"), directive=shared)
        )
        return "fail"

    def _request_directly(self, plain: Canary) -> None:
        """Requests the plain canary where a front server could expose it without the
        application: the handover URL (nginx, Caddy, mod_wsgi), the root's last folder
        under the site's root (a root inside a document root), the root's absolute path."""
        prefix = self.url_prefix(plain)
        targets: list[tuple[str, bool]] = []
        if prefix is not None:
            targets.append((prefix + plain.name, True))
        quoted = urllib.parse.quote(plain.name)
        targets.append((f"/{urllib.parse.quote(self.root.name)}/{quoted}", False))
        targets.append((urllib.parse.quote(self.path_of(plain)), False))
        seen = {self.client.target_for(plain.name)}
        # Every URL that returns the file is named in one problem, with a fix for each.
        served: list[tuple[str, bool]] = []
        try:
            for target, is_handover in targets:
                if target in seen:
                    continue
                seen.add(target)
                # Without credentials: what anyone may fetch.
                answer = self.client.get(target, credentials=False)
                found = plain.content in answer.body
                self.report.direct.append(DirectRow(target, answer.status, found))
                if found:
                    served.append((target, is_handover))
        finally:
            # Also when a later request finds the site unreachable.
            if served:
                self.report.add(causes.not_internal(self.config.backend, served, prefix=prefix))


def _planned_headers_carried(expected: Expected, answer: Answer) -> list[str]:
    """The names of the headers the plan sets beside the handover (Content-Type,
    Content-Disposition) when the answer carries each of them as the plan set it, else
    none. As in _judge, a charset added to the type and inline for attachment pass."""
    carried = []
    if expected.content_type is not None:
        got_type = answer.header("Content-Type")
        carried.append(("Content-Type", _essence(got_type) == _essence(expected.content_type)))
    if expected.disposition is not None:
        got = answer.header("Content-Disposition")
        same = got is not None and _disposition_name(got) == _disposition_name(expected.disposition)
        carried.append(("Content-Disposition", same))
    return [name for name, _ in carried] if all(same for _, same in carried) else []


def _disposition_name(disposition: str) -> str:
    """A Content-Disposition's parameters (the file's name), without inline or attachment,
    which the view chooses."""
    return disposition.partition(";")[2].strip()


def _essence(media_type: str | None) -> str:
    """The type/subtype of a Content-Type, without its parameters (a charset a front
    server appends changes nothing the check cares about)."""
    return (media_type or "").partition(";")[0].strip().lower()
