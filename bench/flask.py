"""make bench, Flask part: one 1 GiB file through gunicorn (one worker) by Flask's own
``send_file`` and by ``sendfile_rs.flask``'s, from the same process, request after
request; a 100 MiB single range; and requests per second for a 4 KiB file with wrk at 16
connections. Then the same through uvicorn by Quart's ``send_file`` and
``sendfile_rs.quart``'s. All on 127.0.0.1, in one run, with the ratio ours / theirs.

Usage: flask.py OUTPUT_DIR. Needs gunicorn, uvicorn, Flask and Quart (in this
environment), curl and wrk.
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
    GIB,
    SERVER_CPU,
    SETTLE,
    curl_download,
    free_port,
    prepare_files,
    stop,
    wait_for,
    wrk_rate,
)

HERE = Path(__file__).parent
BIN = Path(sys.executable).parent
#: Downloads of each case from each peer; the best counts.
ROUNDS = 3
CASES = {
    "1 GiB, 200": {},
    "100 MiB range, 206": {"Range": f"bytes={256 << 20}-{(356 << 20) - 1}"},
}
#: Each framework's server, and its two peers: the framework's send_file, then ours.
SERVERS = {
    "gunicorn": ("flask_bench:app", ("flask", "sendfile_rs")),
    "uvicorn": ("flask_bench:quart_app", ("quart", "sendfile_rs_quart")),
}


def start(server: str, application: str, root: Path) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    if server == "gunicorn":
        command = [
            *(str(BIN / "gunicorn"), "--bind", f"127.0.0.1:{port}", "--workers", "1"),
            *("--threads", "4", "--log-level", "critical", application),
        ]
    else:
        command = [
            *(str(BIN / "uvicorn"), "--host", "127.0.0.1", "--port", str(port)),
            *("--log-level", "critical", "--no-access-log", application),
        ]
    process = subprocess.Popen(
        [*SERVER_CPU, *command],
        cwd=HERE / "web_apps",
        env=dict(os.environ, BENCH_ROOT=str(root), PYTHONPATH=str(HERE / "web_apps")),
        start_new_session=True,
    )
    wait_for(port, process)
    return process, port


def measure(server: str, root: Path) -> dict[str, dict[str, object]]:
    application, peers = SERVERS[server]
    raw: dict[str, dict[str, object]] = {peer: {} for peer in peers}
    process, port = start(server, application, root)
    try:
        # Rounds interleave the peers, so a slow spell of the machine hits both alike.
        for case, headers in CASES.items():
            for _ in range(ROUNDS):
                for peer in peers:
                    status, speed = curl_download(
                        f"http://127.0.0.1:{port}/{peer}/big.bin", headers
                    )
                    time.sleep(SETTLE)
                    if status not in (200, 206):
                        sys.exit(f"flask benchmark: {peer} answered {status} for {case}")
                    best = raw[peer].get(case)
                    if not isinstance(best, dict) or speed > best["bytes_per_second"]:
                        raw[peer][case] = {"status": status, "bytes_per_second": speed}
        # Small requests too: interleaved rounds, the best counts (one run each was within
        # the machine's noise of a tie, either way).
        for _ in range(ROUNDS):
            for peer in peers:
                rate = wrk_rate(f"http://127.0.0.1:{port}/{peer}/small.txt")
                best_rate = raw[peer].get("small_requests_per_second", 0.0)
                assert isinstance(best_rate, float)
                raw[peer]["small_requests_per_second"] = max(best_rate, rate)
    finally:
        stop(process)
    return raw


def table(server: str, raw: dict[str, dict[str, object]]) -> list[str]:
    """Each peer's figures, and ours divided by the framework's."""
    theirs, ours = SERVERS[server][1]
    lines = [f"{'peer':<20}" + "".join(f"{case:>26}" for case in CASES) + f"{'4 KiB req/s':>13}"]
    for peer in (theirs, ours):
        cells = []
        for case in CASES:
            figure = raw[peer][case]
            assert isinstance(figure, dict)
            cells.append(f"{figure['bytes_per_second'] / 1e6:>10.0f} MB/s {figure['status']}")
        rate = raw[peer]["small_requests_per_second"]
        lines.append(f"{peer:<20}" + "".join(f"{c:>26}" for c in cells) + f"{rate:>13.0f}")
    ratios = []
    for case in CASES:
        mine, reference = raw[ours][case], raw[theirs][case]
        assert isinstance(mine, dict) and isinstance(reference, dict)
        ratios.append(f"{mine['bytes_per_second'] / reference['bytes_per_second']:>25.1f}x")
    rate = float(raw[ours]["small_requests_per_second"]) / float(  # type: ignore[arg-type]
        raw[theirs]["small_requests_per_second"]  # type: ignore[arg-type]
    )
    lines.append(f"{'ours / theirs':<20}" + "".join(ratios) + f"{rate:>12.2f}x")
    return lines


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "target/bench")
    out.mkdir(parents=True, exist_ok=True)
    work, root = prepare_files("flask benchmark", "sendfile-bench-flask-", GIB)
    try:
        raw = {server: measure(server, root) for server in SERVERS}
    finally:
        shutil.rmtree(work)
    (out / "flask.json").write_text(json.dumps(raw, indent=1))
    lines = [
        "Flask under gunicorn (1 worker, 4 threads): flask.send_file vs sendfile_rs.flask, "
        f"127.0.0.1, curl and wrk best of {ROUNDS} in interleaved rounds",
        *table("gunicorn", raw["gunicorn"]),
        "",
        "Quart under uvicorn: quart.send_file vs sendfile_rs.quart",
        *table("uvicorn", raw["uvicorn"]),
        "(a 200 where a 206 was asked means the peer ignores ranges and sends the whole file)",
    ]
    report = "\n".join(lines) + "\n"
    print(report, end="")
    (out / "flask.txt").write_text(report)


if __name__ == "__main__":
    main()
