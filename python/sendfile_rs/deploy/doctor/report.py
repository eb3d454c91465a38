"""What the check found: a row per file and per direct request, and the problems, each
with its cause and its fix; printed as a short table or as JSON."""

from __future__ import annotations

import json
import textwrap
from dataclasses import asdict, dataclass, field

#: The terminal width the causes and fixes are wrapped to.
WIDTH = 88

#: The checks made on each downloaded file, by their column in the table.
CHECKS = ("bytes", "type", "name", "range", "304", "cache")


@dataclass(frozen=True)
class Problem:
    """Something wrong (``fail``) or limited (``warn``) in the deployment."""

    #: A stable identifier, for scripts reading ``--json``.
    code: str
    severity: str
    cause: str
    fix: str


@dataclass
class FileRow:
    """One canary: what its download answered and how each check went."""

    label: str
    name: str
    target: str
    status: int | None = None
    #: Check name (one of CHECKS) to ``ok``, ``fail``, ``warn``, or ``-`` when not made.
    results: dict[str, str] = field(default_factory=lambda: dict.fromkeys(CHECKS, "-"))


@dataclass(frozen=True)
class DirectRow:
    """One request for a file that bypasses the application."""

    target: str
    status: int
    #: Whether the file came back.
    served: bool


@dataclass
class Report:
    template: str
    backend: str
    root: str
    files: list[FileRow] = field(default_factory=list)
    direct: list[DirectRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    #: Why the check could not run (nothing was downloaded); None when it ran.
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and not any(p.severity == "fail" for p in self.problems)

    @property
    def exit_status(self) -> int:
        """0 when every check holds, 1 when a problem was found, 2 when the check could
        not run."""
        return 2 if self.error is not None else 0 if self.ok else 1

    def add(self, problem: Problem) -> None:
        """Adds ``problem`` unless one with its code is there: a cause is named once."""
        if all(known.code != problem.code for known in self.problems):
            self.problems.append(problem)

    def as_json(self) -> str:
        data = {"ok": self.ok, **asdict(self)}
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"

    def as_table(self) -> str:
        lines = [f"sendfile_check {self.template}", f"backend {self.backend}, root {self.root}"]
        width = max([len("file"), *(len(row.label) for row in self.files)]) + 2
        lines.append("")
        lines.append("file".ljust(width) + "status  " + "  ".join(CHECKS))
        for row in self.files:
            status = "-" if row.status is None else str(row.status)
            cells = "  ".join(row.results[check].ljust(len(check)) for check in CHECKS)
            lines.append(f"{row.label.ljust(width)}{status.ljust(8)}{cells}".rstrip())
        if self.direct:
            lines.append("")
            lines.append("direct request (must not return the file)")
            for direct in self.direct:
                verdict = "SERVED THE FILE" if direct.served else "refused"
                lines.append(f"  {direct.status}  {verdict}  {direct.target}")
        lines.append("")
        for problem in self.problems:
            lines.extend(
                _wrapped(f"{problem.severity.upper()} [{problem.code}] {problem.cause}", 2)
            )
            lines.extend(_wrapped(f"  fix: {problem.fix}", 7))
        failures = sum(problem.severity == "fail" for problem in self.problems)
        warnings = len(self.problems) - failures
        if failures:
            lines.append(f"{_count(failures, 'problem')}, {_count(warnings, 'warning')}.")
        elif warnings:
            lines.append(f"Files arrive intact; {_count(warnings, 'warning')}.")
        else:
            lines.append("All checks passed.")
        return "\n".join(lines) + "\n"


def _wrapped(text: str, indent: int) -> list[str]:
    """``text`` in lines for a terminal, the later ones indented, paths and URLs whole."""
    return textwrap.wrap(
        text,
        WIDTH,
        subsequent_indent=" " * indent,
        break_long_words=False,
        break_on_hyphens=False,
    )


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
