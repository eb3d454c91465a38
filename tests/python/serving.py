"""Starting the test project under a real WSGI or ASGI server on 127.0.0.1, for the tests
that need one (servers, ASGI servers, faults, load), and reading what the worker did."""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

HERE = Path(__file__).parent
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for_port(
    port: int, process: subprocess.Popen[bytes], log: Path, *, seconds: float = 30
) -> None:
    """Returns once 127.0.0.1:``port`` accepts connections; fails the test with the
    server's log if the server exits or ``seconds`` pass first."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the server exited: {log.read_text(errors='replace')}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    pytest.fail(f"the server did not start: {log.read_text(errors='replace')}")


def wait_for_worker(process: subprocess.Popen[bytes], port: int, log: Path) -> int:
    """The pid of the server's one worker (a child process), once the port answers."""
    wait_for_port(port, process, log)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        children = subprocess.run(
            ["pgrep", "-P", str(process.pid)], capture_output=True, text=True
        ).stdout.split()
        if children:
            return int(children[0])
        time.sleep(0.05)
    pytest.fail(f"the server has no worker: {log.read_text(errors='replace')}")


@dataclass(frozen=True)
class Server:
    """A running server: where it listens, its worker, and its log."""

    port: int
    worker: int
    log: Path

    def descriptors(self) -> int:
        return len(os.listdir(f"/proc/{self.worker}/fd"))

    def settled_descriptors(self, expected: int = -1) -> int:
        """The worker's open descriptors once they equal ``expected`` or stop having a
        chance to (5 s): the worker closes a connection the client closed on its next
        poll, not at once."""
        deadline = time.monotonic() + 5
        while (count := self.descriptors()) != expected and time.monotonic() < deadline:
            time.sleep(0.05)
        return count

    def resident_kib(self) -> int:
        status = Path(f"/proc/{self.worker}/status").read_text()
        (line,) = [line for line in status.splitlines() if line.startswith("VmRSS:")]
        return int(line.split()[1])

    def peak_kib(self) -> int:
        return peak_memory_kib(self.worker)

    def open_files(self) -> list[str]:
        """What the worker's descriptors name."""
        names = []
        for fd in os.listdir(f"/proc/{self.worker}/fd"):
            with contextlib.suppress(OSError):
                names.append(os.readlink(f"/proc/{self.worker}/fd/{fd}"))
        return names


def peak_memory_kib(pid: int) -> int:
    """The peak resident memory of process ``pid`` (VmHWM)."""
    status = Path(f"/proc/{pid}/status").read_text()
    match = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
    assert match, status
    return int(match.group(1))


def fetch(
    port: int, path: str, headers: dict[str, str], method: str = "GET"
) -> tuple[int, dict[str, str], str, int]:
    """Status, headers, SHA-256 and length of the body, streamed."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request(method, path, headers=headers)
    response = connection.getresponse()
    digest = hashlib.sha256()
    length = 0
    while chunk := response.read(1 << 20):
        digest.update(chunk)
        length += len(chunk)
    connection.close()
    return response.status, dict(response.getheaders()), digest.hexdigest(), length


def fetch_bytes(
    port: int, path: str, headers: dict[str, str], method: str = "GET"
) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request(method, path, headers=headers)
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, dict(response.getheaders()), body


def big_file(folder: Path, size: int) -> Path:
    """A file of ``size`` bytes (whole MiB) in which every MiB differs, so that a misplaced
    range cannot match by chance."""
    block = os.urandom(1 << 20)
    path = folder / "big.bin"
    with open(path, "wb") as file:
        for index in range(size >> 20):
            file.write(index.to_bytes(4, "big") + block[4:])
    return path


def slice_of(path: Path, offset: int, length: int) -> bytes:
    with open(path, "rb") as file:
        file.seek(offset)
        return file.read(length)


@contextlib.contextmanager
def gunicorn(
    root: Path | None,
    log: Path,
    *,
    threads: int = 1,
    environment: dict[str, str] | None = None,
    prefix: tuple[str, ...] = (),
    port: int | None = None,
    app: str = "project",
) -> Iterator[Server]:
    """gunicorn with one worker serving the test project from ``root`` (the simple
    backend unless ``environment`` says otherwise) on ``port`` (a free one by default);
    ``prefix`` runs it under another program (setpriv, say); ``app`` names another
    project beside this file, with its ``wsgi`` and ``settings`` modules."""
    port = port or free_port()
    command = [
        *prefix,
        str(BIN / "gunicorn"),
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        "1",
        "--threads",
        str(threads),
        "--log-level",
        "info",
        f"{app}.wsgi:application",
    ]
    with started(command, root, f"{app}.settings", log, environment) as process:
        yield Server(port, wait_for_worker(process, port, log), log)


@contextlib.contextmanager
def started(
    command: list[str],
    root: Path | None,
    settings: str,
    log: Path,
    environment: dict[str, str] | None = None,
) -> Iterator[subprocess.Popen[bytes]]:
    """``command`` run from this folder in a session of its own, serving SENDFILE_ROOT
    ``root`` (not set when None) with the Django settings module ``settings``, its output
    in ``log``; the whole session is stopped afterwards."""
    variables = {
        **os.environ,
        "SENDFILE_ROOT": str(root),
        "PYTHONPATH": str(HERE),
        "DJANGO_SETTINGS_MODULE": settings,
        **(environment or {}),
    }
    if root is None:
        del variables["SENDFILE_ROOT"]
    with open(log, "wb") as output:
        process = subprocess.Popen(
            command,
            cwd=HERE,
            env=variables,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        yield process
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)


#: How each ASGI server runs one process (the one worker) on 127.0.0.1:{port}; granian's
#: worker is always a child of the process started.
ASGI_SERVERS = {
    "uvicorn": ["uvicorn", "--host", "127.0.0.1", "--port", "{port}", "--log-level", "warning"],
    "granian": [
        *("granian", "--interface", "asgi", "--host", "127.0.0.1", "--port", "{port}"),
        *("--workers", "1", "--log-level", "warning"),
    ],
    "daphne": ["daphne", "-b", "127.0.0.1", "-p", "{port}", "-v", "0"],
    "hypercorn": ["hypercorn", "--workers", "0", "--bind", "127.0.0.1:{port}"],
    "anycorn": ["anycorn", "--workers", "0", "--bind", "127.0.0.1:{port}"],
    "nonecorn": ["python", "-m", "hypercorn", "--workers", "0", "--bind", "127.0.0.1:{port}"],
}
#: nonecorn is a fork of hypercorn that installs as the package ``hypercorn``, so it lives
#: beside the environment (``pip install --target``), not in it where hypercorn is.
NONECORN = BIN.parent / "nonecorn"


@contextlib.contextmanager
def asgi_server(
    name: str, application: str, root: Path, log: Path, *options: str
) -> Iterator[Server]:
    """The ASGI server ``name`` serving ``application`` (module:attribute, from this
    folder) with SENDFILE_ROOT ``root``; ``options`` follow the server's own."""
    port = free_port()
    program, *arguments = ASGI_SERVERS[name]
    command = [str(BIN / program), *(argument.format(port=port) for argument in arguments)]
    if name == "nonecorn" and not NONECORN.is_dir():
        pytest.fail(f"nonecorn is not installed in {NONECORN} (make $(LATEST)/.servers)")
    environment = {"PYTHONPATH": f"{NONECORN}:{HERE}"} if name == "nonecorn" else None
    command = [*command, *options, application]
    with started(command, root, "project.settings", log, environment) as process:
        if name == "granian":
            worker = wait_for_worker(process, port, log)
        else:
            wait_for_port(port, process, log)
            worker = process.pid
        yield Server(port, worker, log)


class Strace:
    """strace attached to a running process (and its threads) until ``finish``."""

    def __init__(self, pid: int, output: Path, *options: str) -> None:
        self.output = output
        errors = output.with_name(output.name + ".stderr")
        with errors.open("wb") as stderr:
            self.process = subprocess.Popen(
                ["strace", "-f", "-qq", *options, "-o", str(output), "-p", str(pid)],
                stderr=stderr,
            )
        # strace needs a moment to attach to every thread.
        time.sleep(0.5)
        if self.process.poll() is not None:
            # Root may trace any process. Another user may trace its own processes only
            # where the kernel lets it: Yama's kernel.yama.ptrace_scope 0 (Debian's
            # default); at 1 (Ubuntu's) only a process's ancestors may, and strace is none.
            message = f"strace could not attach to {pid}: {errors.read_text().strip()}"
            if os.geteuid() != 0:
                pytest.skip(
                    f"{message} (as a user other than root this needs "
                    "kernel.yama.ptrace_scope 0, or run the tests as root)"
                )
            pytest.fail(message)

    def finish(self) -> str:
        """Detaches and gives what strace wrote."""
        self.process.send_signal(signal.SIGINT)
        self.process.wait(timeout=20)
        return self.output.read_text(errors="replace")

    def calls(self) -> list[Call]:
        """Detaches and gives each finished call (run with ``-f -y -s 0``), a call that
        another thread interrupted put together again."""
        calls = []
        pending: dict[str, tuple[str, str]] = {}
        for line in self.finish().splitlines():
            thread, _, text = line.partition(" ")
            match = CALL.match(text.strip())
            if match is None:
                continue
            if match["unfinished"]:
                pending[thread] = (match["call"], match["arguments"])
                continue
            name, arguments = match["call"], match["arguments"]
            if match["resumed"]:
                name, arguments = pending.pop(thread, (match["resumed"], ""))
            files = DESCRIPTOR_FILE.findall(arguments)
            calls.append(Call(name, files, int(match["result"]), match["opened"] or ""))
        return calls


@dataclass(frozen=True)
class Call:
    """A system call strace saw: its name, the files of the descriptors among its
    arguments (in order), its result, and the file it opened."""

    name: str
    files: list[str]
    result: int
    opened: str


#: One system call as strace -y -s 0 writes it (no data, so nothing in it looks like the
#: end of a call), or the start or the end of one that another thread interrupted: the
#: call, its arguments, and the result with the file it opened.
CALL = re.compile(
    r"^(?:(?P<call>\w+)\((?P<arguments>.*?)|<\.\.\. (?P<resumed>\w+) resumed>.*?)"
    r"(?:(?P<unfinished><unfinished \.\.\.>)"
    r"|\)\s+= (?P<result>-?\d+)(?:<(?P<opened>[^>]*)>)?.*)$"
)
#: A descriptor as strace -y writes it: its number and, in brackets, its file.
DESCRIPTOR_FILE = re.compile(r"\d+<([^>]*)>")
