"""make bench, ASGI part: one 1 GiB file, a 100 MiB range of it and requests per second
for a 4 KiB file (wrk, 16 connections), through sendfile_rs and through each framework's
own file response, for Django (sendfile_rs.asgi.wrap around its application) and
Starlette, on uvicorn, granian, nonecorn and anycorn, against nginx serving the file
directly; with each worker's peak memory. All on 127.0.0.1, in one run, the peers
interleaved.

Under granian a whole-file 200 goes by pathsend, for sendfile_rs and for Starlette's
FileResponse alike. Under nonecorn sendfile_rs sends every body by zerocopysend, the 200
and the range alike (sendfile(2) by the server); Starlette's FileResponse a 200 by
pathsend (sendfile(2) too) and a range in chunks. Django's FileResponse is read whole into
memory by Django's ASGI handler. anycorn 0.20.1 cuts any body longer than its socket's
buffer that it sends itself (tests/python/test_asgi_zerocopy_servers.py): there sendfile_rs
sends blocks, as under uvicorn. Starlette's FileResponse, which would hand anycorn the file
by pathsend and lose most of it, has no anycorn row, nor has Django's (LEFT_OUT).

Usage: asgi.py OUTPUT_DIR. Needs uvicorn, granian, anycorn and starlette (in this environment),
nonecorn beside it (``nonecorn`` next to ``bin``, pip install --target), nginx, curl and
wrk. BENCH_SMOKE=1 makes the file 16 MiB and runs one short round, to check
that the benchmark works, not to measure.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from served import (
    BIN,
    CLIENT_CPU,
    HERE,
    SERVER_CPU,
    SETTLE,
    children,
    curl_download,
    free_port,
    peak_kib,
    prepare_files,
    start_nginx,
    stop,
    throughput_table,
    wait_for,
)

SMOKE = os.environ.get("BENCH_SMOKE") == "1"
MIB = 1 << 20
SIZE = (16 if SMOKE else 1024) * MIB
ROUNDS = 1 if SMOKE else 5
WRK_SECONDS = 1 if SMOKE else 5
#: 100 MiB from 256 MiB in (smoke: 8 MiB from 4 MiB in).
RANGE = (4 * MIB, 8 * MIB) if SMOKE else (256 * MIB, 100 * MIB)
CASES = {
    f"{SIZE // MIB} MiB, 200": {},
    f"{RANGE[1] // MIB} MiB range, 206": {"Range": f"bytes={RANGE[0]}-{sum(RANGE) - 1}"},
}
SERVERS = ["uvicorn", "granian", "nonecorn", "anycorn"]
#: nonecorn installs as the package hypercorn, so it lives beside the environment.
NONECORN = BIN.parent / "nonecorn"
#: Each peer: the application it runs and the path prefix of its files.
APPLICATIONS = {
    "django sendfile_rs": ("project.asgi:application", "sendfile_rs"),
    "django FileResponse": ("project.asgi:application", "fileresponse"),
    "starlette sendfile_rs": ("starlette_app:app", "sendfile_rs"),
    "starlette FileResponse": ("starlette_app:app", "fileresponse"),
}
#: Peers left out, and why.
LEFT_OUT = {
    ("anycorn", "starlette FileResponse"): "anycorn cuts what it is handed by pathsend",
    # Every peer runs at once, and Django's ASGI handler holds a 1 GiB FileResponse whole
    # in memory, several times over across rounds (7 to 10 GiB at peak): a fourth such
    # worker exhausts 24 GiB. The three other servers show what it costs.
    ("anycorn", "django FileResponse"): "memory: see the three other servers' rows",
}


def start_asgi(server: str, application: str, root: Path) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    path = str(HERE)
    if server == "uvicorn":
        command = [str(BIN / "uvicorn"), "--host", "127.0.0.1", "--port", str(port)]
        command += ["--log-level", "critical", "--no-access-log", "--lifespan", "off"]
    elif server == "nonecorn":
        command = [str(BIN / "python"), "-m", "hypercorn", "--workers", "0"]
        command += ["--bind", f"127.0.0.1:{port}", "--log-level", "critical"]
        path = f"{NONECORN}:{HERE}"
    elif server == "anycorn":
        command = [str(BIN / "anycorn"), "--workers", "0"]
        command += ["--bind", f"127.0.0.1:{port}", "--log-level", "critical"]
    else:
        command = [str(BIN / "granian"), "--interface", "asgi", "--host", "127.0.0.1"]
        command += ["--port", str(port), "--workers", "1", "--log-level", "critical"]
    process = subprocess.Popen(
        [*SERVER_CPU, *command, application],
        cwd=HERE,
        env=dict(
            os.environ,
            BENCH_ROOT=str(root),
            PYTHONPATH=path,
            # Django's warning for FileResponse under ASGI, once per download: what it says
            # (the file is read whole into memory) is what the peak memory column shows.
            PYTHONWARNINGS="ignore:StreamingHttpResponse must consume synchronous iterators",
        ),
        start_new_session=True,
    )
    wait_for(port, process)
    return process, port


def worker_of(server: str, process: subprocess.Popen[bytes]) -> int:
    """uvicorn, nonecorn and anycorn serve from the process started; granian from its one
    child."""
    return children(process.pid)[0] if server == "granian" else process.pid


def wrk_rate(url: str) -> float:
    out = subprocess.run(
        [*CLIENT_CPU, "wrk", "-t", "2", "-c", "16", "-d", f"{WRK_SECONDS}s", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for line in out.splitlines():
        if line.startswith("Requests/sec:"):
            return float(line.split()[1])
    return 0.0


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "target/bench")
    out.mkdir(parents=True, exist_ok=True)
    work, root = prepare_files("ASGI benchmark", "sendfile-bench-asgi-", SIZE)

    # One server process per peer, so that each worker's peak memory is its own.
    peers: dict[str, tuple[subprocess.Popen[bytes], str]] = {}
    raw: dict[str, dict[str, object]] = {}
    try:
        for server in SERVERS:
            for peer, (application, prefix) in APPLICATIONS.items():
                if (server, peer) in LEFT_OUT:
                    continue
                process, port = start_asgi(server, application, root)
                peers[f"{server}: {peer}"] = (process, f"http://127.0.0.1:{port}/{prefix}")
        nginx, nginx_port = start_nginx(root, work)
        peers["nginx"] = (nginx, f"http://127.0.0.1:{nginx_port}/nginx")
        raw = {peer: {} for peer in peers}
        # Rounds interleave the peers, so a slow spell of the machine hits them all alike.
        for case, headers in CASES.items():
            for _ in range(ROUNDS):
                for peer, (_, base) in peers.items():
                    status, speed = curl_download(f"{base}/big.bin", headers)
                    time.sleep(SETTLE)
                    if status not in (200, 206):
                        sys.exit(f"ASGI benchmark: {peer} answered {status} for {case}")
                    best = raw[peer].get(case)
                    if not isinstance(best, dict) or speed > best["bytes_per_second"]:
                        raw[peer][case] = {"status": status, "bytes_per_second": speed}
        for peer, (process, _) in peers.items():
            server = peer.partition(":")[0]
            pid = children(process.pid)[0] if peer == "nginx" else worker_of(server, process)
            raw[peer]["peak_kib"] = peak_kib(pid)
        for peer, (_, base) in peers.items():
            raw[peer]["small_requests_per_second"] = wrk_rate(f"{base}/small.txt")
    finally:
        for process, _ in peers.values():
            stop(process)
    shutil.rmtree(work)
    (out / "asgi.json").write_text(json.dumps(raw, indent=1))

    title = "ASGI servers (1 worker) vs nginx directly, 127.0.0.1, "
    title += f"curl best of {ROUNDS} in interleaved rounds" + (" (BENCH_SMOKE)" if SMOKE else "")
    lines = throughput_table(title, raw, CASES, peer_width=34, cell_width=24)
    lines += [f"(no row for {server}: {peer}: {why})" for (server, peer), why in LEFT_OUT.items()]
    report = "\n".join(lines) + "\n"
    print(report, end="")
    (out / "asgi.txt").write_text(report)


if __name__ == "__main__":
    main()
