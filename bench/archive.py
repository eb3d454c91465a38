"""make bench, archive part: many files as one ZIP download, in one run.

Two archives: 1,000 members of 1 MiB (1 GiB) and 100,000 members of 4 KiB. Each is
downloaded from sendfile_rs's archive and from zipstream-ng's (stored, sized: the
best-known streaming-zip package), through gunicorn (1 sync worker) and through uvicorn,
and compared with sendfile_rs's simple backend sending one file of 1 GiB on the same
server, in interleaved rounds (the best of ROUNDS counts). Each peer and archive is served
by a process of its own, so that the peak memory of its worker (VmHWM) is that archive's. Printed:
throughput, time to first byte, peak worker memory, and the plan's cost per member,
measured in this process.

Usage: archive.py OUTPUT_DIR. Needs gunicorn, uvicorn and zipstream-ng in this
environment, and curl.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from served import CLIENT_CPU, SERVER_CPU, SETTLE, free_port, peak_kib, stop, wait_for

from sendfile_rs import Sender

HERE = Path(__file__).parent
BIN = Path(sys.executable).parent
ROUNDS = 3
#: The archives: name, member count, member size.
CASES = {"1000x1MiB": (1_000, 1 << 20), "100000x4KiB": (100_000, 4 << 10)}
#: The peers: what each serves, under which server.
PEERS = {
    "ours gunicorn": ("gunicorn", "ours"),
    "zipstream-ng gunicorn": ("gunicorn", "zipstream"),
    "ours uvicorn": ("uvicorn", "ours"),
    "zipstream-ng uvicorn": ("uvicorn", "zipstream"),
}
SINGLE = {"single file gunicorn": "gunicorn", "single file uvicorn": "uvicorn"}


def prepare(work: Path) -> Path:
    root = work / "root"
    root.mkdir()
    block = os.urandom(1 << 20)
    with open(root / "single.bin", "wb") as file:
        for _ in range(1 << 10):
            file.write(block)
    for case, (count, size) in CASES.items():
        folder = root / case
        folder.mkdir()
        names = []
        for index in range(count):
            name = f"{case}/{index // 1000:03d}/{index:06d}.bin"
            path = root / name
            path.parent.mkdir(exist_ok=True)
            path.write_bytes(block[: size - 8] + index.to_bytes(8, "little"))
            names.append(name)
        (root / f"{case}.list").write_text("\n".join(names))
    return root


def start(server: str, root: Path) -> tuple[subprocess.Popen[bytes], int, int]:
    """The server with one worker, its port, and the worker's pid."""
    port = free_port()
    if server == "gunicorn":
        command = [str(BIN / "gunicorn"), "--bind", f"127.0.0.1:{port}", "--workers", "1"]
        command += ["--log-level", "critical", "archive_apps:wsgi"]
    else:
        command = [str(BIN / "uvicorn"), "--host", "127.0.0.1", "--port", str(port)]
        command += ["--log-level", "critical", "archive_apps:asgi"]
    process = subprocess.Popen(
        [*SERVER_CPU, *command],
        cwd=HERE,
        env=dict(os.environ, BENCH_ROOT=str(root), PYTHONPATH=str(HERE)),
        start_new_session=True,
    )
    wait_for(port, process)
    if server == "gunicorn":
        worker = int(
            subprocess.run(
                ["pgrep", "-P", str(process.pid)], capture_output=True, text=True
            ).stdout.split()[0]
        )
    else:
        worker = process.pid
    return process, port, worker


def download(url: str) -> tuple[int, float, float, int]:
    """Status, bytes per second, seconds to the first byte, bytes."""
    out = subprocess.run(
        [
            *CLIENT_CPU,
            "curl",
            "-s",
            "-o",
            "/dev/null",
            "-w",
            "%{http_code} %{speed_download} %{time_starttransfer} %{size_download}",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return int(out[0]), float(out[1]), float(out[2]), int(out[3])


def plan_cost(root: Path) -> dict[str, float]:
    """Microseconds per member of planning each archive (open, fstat, layout), best of 3."""
    sender = Sender("simple", root)
    costs = {}
    for case, (count, _) in CASES.items():
        members = (root / f"{case}.list").read_text().split("\n")
        best = float("inf")
        for _ in range(3):
            began = time.perf_counter()
            sender.plan_archive(members).close()
            best = min(best, time.perf_counter() - began)
        costs[case] = best / count * 1e6
    return costs


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "target/bench")
    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="sendfile-archive-bench-"))
    root = prepare(work)
    raw: dict[str, dict[str, object]] = {}
    servers = {}
    try:
        targets = [
            (peer, case, f"/{kind}/{case}") for peer, (_, kind) in PEERS.items() for case in CASES
        ] + [(peer, "1 GiB file", "/single") for peer in SINGLE]
        for peer, case, _ in targets:
            server = PEERS[peer][0] if peer in PEERS else SINGLE[peer]
            servers[peer, case] = start(server, root)
        for _ in range(ROUNDS):
            for peer, case, path in targets:
                _, port, _ = servers[peer, case]
                status, speed, first_byte, length = download(f"http://127.0.0.1:{port}{path}")
                time.sleep(SETTLE)
                if status != 200:
                    sys.exit(f"archive benchmark: {peer} answered {status} for {case}")
                row = raw.setdefault(peer, {})
                best = row.get(case)
                if not isinstance(best, dict) or speed > best["bytes_per_second"]:
                    row[case] = {
                        "bytes_per_second": speed,
                        "first_byte_s": first_byte,
                        "bytes": length,
                    }
        for (peer, case), (_, _, worker) in servers.items():
            raw[peer][case]["peak_kib"] = peak_kib(worker)  # type: ignore[index]
    finally:
        for process, _, _ in servers.values():
            stop(process)
    costs = plan_cost(root)
    shutil.rmtree(work)
    (out / "archive.json").write_text(
        json.dumps({"peers": raw, "plan_us_per_member": costs}, indent=1)
    )

    lines = [
        f"archives, 127.0.0.1, curl best of {ROUNDS} in interleaved rounds, 1 worker each",
        f"{'':24}{'case':14}{'MB/s':>8}{'x single':>10}{'first byte':>12}{'peak MiB':>10}",
    ]
    for peer, row in raw.items():
        server = PEERS[peer][0] if peer in PEERS else SINGLE[peer]
        single = raw[f"single file {server}"]["1 GiB file"]["bytes_per_second"]  # type: ignore[index]
        for case, result in row.items():
            if not isinstance(result, dict):
                continue
            speed = result["bytes_per_second"]
            lines.append(
                f"{peer:24}{case:14}{speed / 1e6:8.0f}{speed / single:10.2f}"
                f"{result['first_byte_s'] * 1000:10.1f}ms{result['peak_kib'] / 1024:10.0f}"
            )
    lines.append(
        "plan cost per member: "
        + ", ".join(f"{case} {cost:.1f} us" for case, cost in costs.items())
    )
    report = "\n".join(lines) + "\n"
    print(report, end="")
    (out / "archive.txt").write_text(report)


if __name__ == "__main__":
    main()
