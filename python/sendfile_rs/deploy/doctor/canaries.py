"""The canary files the check downloads: written into SENDFILE_ROOT, removed afterwards
even when the check fails or is interrupted (SIGINT, SIGTERM, SIGHUP)."""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
import signal
import stat
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import FrameType


@dataclass(frozen=True)
class Canary:
    """One file the check plants and downloads."""

    #: What the name tries, as the table shows it.
    label: str
    #: The path relative to the root, ``/`` between folders.
    name: str
    content: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


#: The names a deployment must carry intact, ``{token}`` making them unique to one run: a
#: plain one, one with the characters that mean something in a URL, one beyond ASCII, and
#: one in a sub-folder.
NAMES = (
    ("plain", "sendfile-check-{token}.txt"),
    ("spaces % ? #", "sendfile-check-{token} 100% sure? #1.txt"),
    ("accents, emoji", "sendfile-check-{token}-caf\u00e9-na\u00efve-\U0001f600.txt"),
    ("sub-folder", "sendfile-check-{token}/inside.txt"),
)


def content_for(token: str, label: str) -> bytes:
    """Some kilobytes unique to the run and the file, so a Range has room and no other
    answer can carry the same bytes."""
    line = f"sendfile_rs deployment check {token}, {label}\n".encode()
    return line * (3000 // len(line) + 1)


def canaries(token: str) -> list[Canary]:
    return [
        Canary(label, name.format(token=token), content_for(token, label)) for label, name in NAMES
    ]


class CanaryError(OSError):
    """The canaries cannot be written, or not all of them removed."""


class Planted:
    """The files and folders written so far, removed by :meth:`remove` in reverse order."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._created: list[Path] = []

    def write(self, path: Path, content: bytes) -> None:
        """Writes a new file (never one that exists: FileExistsError), readable by the
        front server's unprivileged worker."""
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        self._created.append(path)
        with os.fdopen(descriptor, "wb") as file:
            file.write(content)
        # Whatever the umask: the front server reads it as another user.
        os.chmod(path, 0o644)

    def plant(self, canary: Canary) -> None:
        path = self.root / canary.name
        for folder in reversed(path.relative_to(self.root).parents[:-1]):
            if not (self.root / folder).exists():
                (self.root / folder).mkdir(mode=0o755)
                self._created.append(self.root / folder)
        self.write(path, canary.content)

    def remove(self) -> list[Path]:
        """Removes everything written; returns what could not be removed."""
        left = []
        while self._created:
            path = self._created.pop()
            try:
                path.rmdir() if path.is_dir() and not path.is_symlink() else path.unlink()
            except FileNotFoundError:
                pass
            except OSError:
                left.append(path)
        return left


@contextlib.contextmanager
def planted(root: Path, token: str | None = None) -> Iterator[tuple[Planted, list[Canary]]]:
    """The canaries written under ``root``; on leaving, however that happens, they are gone.
    Raises :class:`CanaryError` when the root cannot take them or give them back."""
    unusable = _not_a_folder(root)
    if unusable:
        # Said before anything is written, without the name of a canary (which changes
        # at each run) or advice about users that a missing folder does not need.
        raise CanaryError(f"cannot write the check's files into {root}: {unusable}")
    files = canaries(token or secrets.token_hex(4))
    written = Planted(root)
    with _interrupts_unwind():
        try:
            try:
                for canary in files:
                    written.plant(canary)
            except OSError as error:
                raise CanaryError(
                    f"cannot write the check's files into {root}: {error}; run the check as "
                    "the user the application runs as"
                ) from error
            yield written, files
        finally:
            left = written.remove()
            if left:
                raise CanaryError(f"could not remove {', '.join(map(str, left))}")


def _not_a_folder(root: Path) -> str | None:
    """Why ``root`` cannot be the canaries' folder whoever runs the check: it does not
    exist, or it is not a folder; None otherwise (writing says what else is wrong)."""
    try:
        mode = os.stat(root).st_mode
    except (FileNotFoundError, NotADirectoryError):
        return "no such folder"
    except OSError:
        return None
    return None if stat.S_ISDIR(mode) else "it is not a folder"


@contextlib.contextmanager
def _interrupts_unwind() -> Iterator[None]:
    """SIGINT, SIGTERM and SIGHUP raise instead of killing the process, so the ``finally``
    that removes the canaries runs: KeyboardInterrupt for SIGINT, SystemExit(128 + signal)
    for the others, the exit status a shell reports for a killed command."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def unwind(number: int, frame: FrameType | None) -> None:
        if number == signal.SIGINT:
            raise KeyboardInterrupt
        raise SystemExit(128 + number)

    numbers = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
    previous = {number: signal.signal(number, unwind) for number in numbers}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
