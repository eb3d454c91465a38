"""make bench, object-store part: one 1 GiB object in s3s-fs fetched through nginx (the
application answers X-Accel-Redirect to the generated store location, nginx proxies
the presigned GET) against the same object fetched from the store directly with a
presigned URL, interleaved, best of several rounds. The issue's bar: nginx relaying
reaches at least 0.9x of the direct download.

Usage: served_store.py OUTPUT_DIR. Needs gunicorn (in this environment), nginx, curl and
s3s-fs (make s3s-fs). BENCH_STORE_MIB sets the object's size (1024) for a quick try.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from served import BIN, CLIENT_CPU, SERVER_CPU, SETTLE, curl_download, free_port, stop, wait_for

import sendfile_rs
from sendfile_rs.deploy.front_config import Store, nginx_standalone, nginx_store

REPOSITORY = Path(__file__).parents[1]
ROUNDS = 5
CREDENTIALS = {"access_key": "BENCHKEY", "secret_key": "bench-secret"}


def s3s_fs() -> str:
    cargo_bin = Path(os.environ.get("CARGO_HOME", Path.home() / ".cargo")) / "bin"
    found = shutil.which("s3s-fs") or str(cargo_bin / "s3s-fs")
    if not os.path.exists(found):
        raise SystemExit("s3s-fs is not installed: make s3s-fs")
    return found


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "target/bench")
    out.mkdir(parents=True, exist_ok=True)
    mib = int(os.environ.get("BENCH_STORE_MIB", "1024"))
    work = Path(tempfile.mkdtemp(prefix="sendfile-bench-store-"))
    folder = work / "data" / "media"
    folder.mkdir(parents=True)
    block = os.urandom(1 << 20)
    with open(folder / "big.bin", "wb") as file:
        for _ in range(mib):
            file.write(block)
    store_port, app_port, front_port = free_port(), free_port(), free_port()
    endpoint = f"http://127.0.0.1:{store_port}"
    processes = []
    try:
        command = [s3s_fs(), "--host", "127.0.0.1", "--port", str(store_port)]
        command += ["--access-key", CREDENTIALS["access_key"]]
        command += ["--secret-key", CREDENTIALS["secret_key"], str(work / "data")]
        store = subprocess.Popen([*SERVER_CPU, *command], start_new_session=True)
        processes.append(store)
        wait_for(store_port, store)
        environment = dict(
            os.environ,
            PYTHONPATH=str(REPOSITORY / "tests/python"),
            DJANGO_SETTINGS_MODULE="project.settings",
            SENDFILE_BACKEND="sendfile_rs.backends.nginx",
            STORE_ENDPOINT=endpoint,
            STORE_BUCKET="media",
            STORE_ACCESS_KEY=CREDENTIALS["access_key"],
            STORE_SECRET_KEY=CREDENTIALS["secret_key"],
        )
        gunicorn = [str(BIN / "gunicorn"), "--bind", f"127.0.0.1:{app_port}", "--workers", "1"]
        app = subprocess.Popen(
            [*SERVER_CPU, *gunicorn, "--log-level", "critical", "project.wsgi:application"],
            cwd=REPOSITORY / "tests/python",
            env=environment,
            start_new_session=True,
        )
        processes.append(app)
        wait_for(app_port, app)
        http, server = nginx_store(Store(endpoint, "media"))
        proxy = f"        location / {{ proxy_pass http://127.0.0.1:{app_port}; }}\n"
        locations = proxy + "".join(f"        {line}\n" for line in server.splitlines())
        config = work / "nginx.conf"
        config.write_text(nginx_standalone(work, front_port, locations, http=http))
        # nginx beside curl, the store alone on the other core: in a deployment the store is
        # another machine, and two servers sharing one core would halve the store's share.
        nginx = subprocess.Popen(
            [*CLIENT_CPU, "nginx", "-c", str(config), "-p", str(work)], start_new_session=True
        )
        processes.append(nginx)
        wait_for(front_port, nginx)
        options = {f"store_{name}": value for name, value in CREDENTIALS.items()}
        sender = sendfile_rs.Sender(
            "simple",
            None,
            store_endpoint=endpoint,
            store_bucket="media",
            store_lifetime=3600,
            **options,
        )
        direct = dict(sender.plan("big.bin").headers)["Location"]
        urls = {"nginx from the store": f"http://127.0.0.1:{front_port}/objects/big.bin"}
        urls["the store directly"] = direct
        best = dict.fromkeys(urls, 0.0)
        for _ in range(ROUNDS):
            for name, url in urls.items():
                status, speed = curl_download(url, {})
                assert status == 200, (name, status)
                best[name] = max(best[name], speed)
                time.sleep(SETTLE)
        ratio = best["nginx from the store"] / best["the store directly"]
        title = f"{mib} MiB object in s3s-fs, best of {ROUNDS}"
        lines = [f"{title}; the store on one core, nginx and curl on the other"]
        lines += [f"{name:<24}{speed / 1e9:>8.2f} GB/s" for name, speed in best.items()]
        lines.append(f"{'nginx / direct':<24}{ratio:>8.2f}x (the bar: at least 0.90x)")
        report = "\n".join(lines) + "\n"
        print(report, end="")
        (out / "served_store.txt").write_text(report)
    finally:
        for process in reversed(processes):
            stop(process)
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
