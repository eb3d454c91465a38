"""make bench, served part: one 1 GiB file through gunicorn with sendfile_rs's simple
backend (by default, and with its tcp_cork option from the same process), Django's
FileResponse and django-sendfile2's simple backend, and through nginx serving it directly
(by default, and with tcp_nopush on from the same process); then a 100 MiB single range,
16 parts of 16 MiB, and requests per second for a 4 KiB file with wrk at 16 connections.
All on 127.0.0.1, in one run.

Usage: served.py OUTPUT_DIR. Needs gunicorn (in this environment), nginx, curl and wrk.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

from sendfile_rs.deploy.front_config import nginx_standalone

HERE = Path(__file__).parent
BIN = Path(sys.executable).parent
GIB = 1 << 30
PEERS = ["sendfile_rs", "sendfile_rs_corked", "fileresponse", "sendfile2", "nginx", "nginx_nopush"]
#: Peers served by another peer's server: the socket options are measured against each
#: other in the same process, request after request (sendfile_rs with its tcp_cork option,
#: nginx with tcp_nopush on; both are off by default).
SHARES_SERVER = {"sendfile_rs_corked": "sendfile_rs", "nginx_nopush": "nginx"}
#: Downloads of each case from each peer; the best counts.
ROUNDS = 5
#: Every server on one core and curl on another (where there are two), so that no run
#: gains or loses by where the scheduler happened to put the two.
SERVER_CPU, CLIENT_CPU = (
    (["taskset", "-c", "0"], ["taskset", "-c", "1"]) if (os.cpu_count() or 1) > 1 else ([], [])
)
#: Seconds of rest after each download: the peer that ran before (django-sendfile2 frees
#: the 2 GiB it read) must not slow the next one down.
SETTLE = 0.5
#: 16 parts of 16 MiB, 256 MiB in all: long enough that a download is not mostly latency.
MULTIPART = ",".join(f"{i * (64 << 20)}-{i * (64 << 20) + (16 << 20) - 1}" for i in range(16))
CASES = {
    "1 GiB, 200": {},
    "100 MiB range, 206": {"Range": f"bytes={256 << 20}-{(356 << 20) - 1}"},
    "16-part multipart": {"Range": f"bytes={MULTIPART}"},
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(port: int, process: subprocess.Popen[bytes]) -> None:
    for _ in range(300):
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("server did not start")


def peak_kib(pid: int) -> int:
    text = Path(f"/proc/{pid}/status").read_text()
    match = re.search(r"^VmHWM:\s+(\d+)", text, re.MULTILINE)
    return int(match.group(1)) if match else 0


def children(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def own_servers() -> list[str]:
    """The peers that run a server of their own."""
    return [peer for peer in PEERS if peer not in SHARES_SERVER]


def start_gunicorn(root: Path, threads: int) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    worker_class = ["--threads", str(threads)] if threads > 1 else []
    process = subprocess.Popen(
        [
            *SERVER_CPU,
            str(BIN / "gunicorn"),
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            *worker_class,
            "--log-level",
            "critical",
            "project.wsgi:application",
        ],
        cwd=HERE,
        env=dict(os.environ, BENCH_ROOT=str(root), PYTHONPATH=str(HERE)),
        start_new_session=True,
    )
    wait_for(port, process)
    return process, port


def start_nginx(root: Path, work: Path) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    config = work / "nginx.conf"
    location = (
        f"        location /nginx/ {{ alias {root}/; }}\n"
        f"        location /nginx_nopush/ {{ alias {root}/; tcp_nopush on; }}\n"
    )
    config.write_text(nginx_standalone(work, port, location, error_log=f"{work}/nginx-error.log"))
    process = subprocess.Popen(
        [*SERVER_CPU, "nginx", "-c", str(config), "-p", str(work)], start_new_session=True
    )
    wait_for(port, process)
    return process, port


def start(peer: str, root: Path, work: Path, threads: int) -> tuple[subprocess.Popen[bytes], int]:
    return start_nginx(root, work) if peer == "nginx" else start_gunicorn(root, threads)


def stop(process: subprocess.Popen[bytes]) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=30)


def curl_download(url: str, headers: dict[str, str]) -> tuple[int, float]:
    """HTTP status and bytes per second of one download."""
    arguments = [
        *CLIENT_CPU,
        "curl",
        "-s",
        "-o",
        "/dev/null",
        "-w",
        "%{http_code} %{speed_download}",
    ]
    for name, value in headers.items():
        arguments += ["-H", f"{name}: {value}"]
    status, speed = subprocess.run(
        [*arguments, url], capture_output=True, text=True, check=True
    ).stdout.split()
    return int(status), float(speed)


def wrk_rate(url: str) -> float:
    out = subprocess.run(
        [*CLIENT_CPU, "wrk", "-t", "2", "-c", "16", "-d", "5s", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    match = re.search(r"Requests/sec:\s+([\d.]+)", out)
    return float(match.group(1)) if match else 0.0


def throughput_table(
    title: str,
    raw: dict[str, dict[str, object]],
    cases: Iterable[str],
    *,
    peer_width: int,
    cell_width: int,
) -> list[str]:
    """The lines of a served table: each peer's throughput per case with its share of
    nginx's (the peer named ``nginx`` in ``raw``), peak memory and small requests/s."""
    cases = list(cases)
    nginx = raw["nginx"]
    lines = [title]
    lines.append(
        f"{'peer':<{peer_width}}"
        + "".join(f"{case:>{cell_width}}" for case in cases)
        + f"{'peak RSS':>11}{'4 KiB req/s':>13}"
    )
    for peer, figures in raw.items():
        cells = []
        for case in cases:
            figure, reference = figures[case], nginx[case]
            assert isinstance(figure, dict) and isinstance(reference, dict)
            ratio = figure["bytes_per_second"] / reference["bytes_per_second"]
            mb = figure["bytes_per_second"] / 1e6
            cells.append(f"{mb:>8.0f} MB/s {figure['status']} {ratio:>4.0%}")
        peak = f"{int(figures['peak_kib']) / 1024:>8.0f} MiB"  # type: ignore[call-overload]
        rate = f"{figures['small_requests_per_second']:>13.0f}"
        row = "".join(f"{cell:>{cell_width}}" for cell in cells)
        lines.append(f"{peer:<{peer_width}}{row}{peak}{rate}")
    lines.append("(percentages: throughput relative to nginx serving the same bytes; a 200 where")
    lines.append(" a 206 was asked means the peer ignores ranges and sends the whole file)")
    return lines


def prepare_files(benchmark: str, prefix: str, size: int) -> tuple[Path, Path]:
    """A work folder with ``root/big.bin`` of ``size`` bytes and ``root/small.txt`` of
    4 KiB, readable by nginx's unprivileged worker; stops when a tool is missing."""
    for tool in ("nginx", "curl", "wrk"):
        if shutil.which(tool) is None:
            sys.exit(f"{benchmark}: {tool} is missing (apt-get install {tool})")
    work = Path(tempfile.mkdtemp(prefix=prefix))
    root = work / "root"
    root.mkdir()
    block = os.urandom(1 << 20)
    with open(root / "big.bin", "wb") as file:
        for _ in range(size >> 20):
            file.write(block)
    (root / "small.txt").write_bytes(os.urandom(4096))
    # nginx's worker runs unprivileged: it must be able to reach and read the files.
    for path in (work, root):
        path.chmod(0o755)
    for path in root.iterdir():
        path.chmod(0o644)
    return work, root


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "target/bench")
    out.mkdir(parents=True, exist_ok=True)
    work, root = prepare_files("served benchmark", "sendfile-bench-", GIB)
    raw: dict[str, dict[str, object]] = {peer: {} for peer in PEERS}
    servers = {peer: start(peer, root, work, threads=1) for peer in own_servers()}
    try:
        # Rounds interleave the peers, so a slow spell of the machine hits them all alike.
        for case, headers in CASES.items():
            for _ in range(ROUNDS):
                for peer in PEERS:
                    _, port = servers[SHARES_SERVER.get(peer, peer)]
                    status, speed = curl_download(
                        f"http://127.0.0.1:{port}/{peer}/big.bin", headers
                    )
                    time.sleep(SETTLE)
                    if status not in (200, 206):
                        sys.exit(f"served benchmark: {peer} answered {status} for {case}")
                    best = raw[peer].get(case)
                    if not isinstance(best, dict) or speed > best["bytes_per_second"]:
                        raw[peer][case] = {"status": status, "bytes_per_second": speed}
        for peer in PEERS:
            server, _ = servers[SHARES_SERVER.get(peer, peer)]
            raw[peer]["peak_kib"] = peak_kib(children(server.pid)[0])
    finally:
        for server, _ in servers.values():
            stop(server)
    for peer in own_servers():
        server, port = start(peer, root, work, threads=16)
        try:
            for each in PEERS:
                if SHARES_SERVER.get(each, each) == peer:
                    rate = wrk_rate(f"http://127.0.0.1:{port}/{each}/small.txt")
                    raw[each]["small_requests_per_second"] = rate
        finally:
            stop(server)
    shutil.rmtree(work)
    (out / "served.json").write_text(json.dumps(raw, indent=1))

    title = (
        "served through gunicorn (1 worker) vs nginx directly, 127.0.0.1, "
        f"curl best of {ROUNDS} in interleaved rounds"
    )
    lines = throughput_table(title, raw, CASES, peer_width=20, cell_width=22)
    report = "\n".join(lines) + "\n"
    print(report, end="")
    (out / "served.txt").write_text(report)


if __name__ == "__main__":
    main()
