"""A single-node Ceph cluster with a RADOS Gateway (S3) on 127.0.0.1, for the object-store
tests: Debian's Ceph 16.2 packages, all state, sockets and logs in one folder, no systemd.

One monitor, one OSD on memory (``memstore``) and one gateway, each in the foreground in
a process group of its own, stopped (SIGTERM, then SIGKILL) when the context ends; no
manager, which S3 does not need. Authentication is off inside the cluster, so the
gateway must accept the monitor's crc mode (its default asks for secure mode, which
cannot be negotiated without cephx). The gateway checks S3 signatures with the user's
keys as AWS does.

Seen here: the cluster answers S3 about 10 s after an empty folder, in about 250 MB.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from serving import free_port, wait_for_port

#: The Debian packages the cluster needs (tools/install-deps installs them).
PACKAGES = ("ceph-mon", "ceph-osd", "radosgw", "ceph-common")
PROGRAMS = (
    *("ceph-mon", "ceph-osd", "radosgw", "radosgw-admin", "ceph", "monmaptool", "ceph-authtool"),
)


def require_ceph() -> dict[str, str]:
    """The path of each program, or the test's failure (CI) or skip with what to install."""
    found = {
        program: shutil.which(program) or shutil.which(program, path="/usr/sbin:/sbin")
        for program in PROGRAMS
    }
    missing = [program for program, path in found.items() if path is None]
    if missing:
        message = (
            f"Ceph is not installed ({', '.join(missing)} missing): "
            f"apt-get install --no-install-recommends {' '.join(PACKAGES)}"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return {program: str(path) for program, path in found.items()}


def configuration(work: Path, mon_port: int, rgw_port: int, fsid: str) -> str:
    return f"""[global]
fsid = {fsid}
mon host = v1:127.0.0.1:{mon_port}
ms bind msgr2 = false
public addr = 127.0.0.1
auth cluster required = none
auth service required = none
auth client required = none
ms mon client mode = crc secure
run dir = {work}/run
admin socket = {work}/run/$cluster-$name.asok
pid file = {work}/run/$cluster-$name.pid
log file = {work}/log/$cluster-$name.log
keyring = {work}/keyring
mon data = {work}/mon/$cluster-$id
osd data = {work}/osd/$cluster-$id
osd objectstore = memstore
memstore device bytes = 1073741824
osd pool default size = 1
osd pool default min size = 1
osd pool default pg autoscale mode = off
osd pool default pg num = 8
osd pool default pgp num = 8
mon allow pool size one = true
mon warn on pool no redundancy = false
osd crush chooseleaf type = 0
rgw data = {work}/rgw/$cluster-$id
rgw frontends = beast endpoint=127.0.0.1:{rgw_port}
rgw dns name = 127.0.0.1
"""


class Cluster:
    """The daemons started so far, stopped in reverse order."""

    def __init__(self, work: Path, programs: dict[str, str]) -> None:
        self.work = work
        self.programs = programs
        self.config = work / "ceph.conf"
        self.daemons: list[subprocess.Popen[bytes]] = []

    def run(self, program: str, *arguments: str, timeout: float = 60) -> str:
        """A one-shot command of the cluster, its output; its failure names its log."""
        done = subprocess.run(
            [self.programs[program], "-c", str(self.config), *arguments],
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if done.returncode != 0:
            raise RuntimeError(
                f"{program} {' '.join(arguments)} exited {done.returncode}:\n"
                f"{done.stdout}{done.stderr}{self.logs()}"
            )
        return done.stdout

    def start(self, program: str, *arguments: str) -> subprocess.Popen[bytes]:
        """A daemon in the foreground, in a process group of its own."""
        output = open(self.work / "log" / f"{program}.out", "wb")
        try:
            daemon = subprocess.Popen(
                [self.programs[program], "-c", str(self.config), "-f", *arguments],
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        finally:
            output.close()
        self.daemons.append(daemon)
        return daemon

    def stop(self) -> None:
        for daemon in reversed(self.daemons):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(daemon.pid, signal.SIGTERM)
        for daemon in reversed(self.daemons):
            try:
                daemon.wait(timeout=20)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(daemon.pid, signal.SIGKILL)
                daemon.wait(timeout=20)

    def logs(self, lines: int = 30) -> str:
        """The end of every log of the cluster, for a failure's message."""
        parts = []
        for log in sorted((self.work / "log").iterdir()):
            tail = log.read_text(errors="replace").splitlines()[-lines:]
            parts.append(f"--- {log.name}\n" + "\n".join(tail))
        return "\n".join(parts)

    def wait_for_osd(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if '"num_up_osds":1' in self.run("ceph", "osd", "stat", "--format", "json").replace(
                " ", ""
            ):
                return
            time.sleep(0.5)
        raise RuntimeError(f"the OSD did not come up in {timeout} s:\n{self.logs()}")


@contextlib.contextmanager
def ceph_rgw(work: Path, access_key: str, secret_key: str) -> Iterator[str]:
    """A fresh cluster in ``work`` (an empty folder), yielding the gateway's
    ``127.0.0.1:PORT``, where a user with these S3 keys exists; stopped at the end."""
    programs = require_ceph()
    mon_port, rgw_port = free_port(), free_port()
    fsid = str(uuid.uuid4())
    for folder in ("run", "log", "mon", "osd/ceph-0", "rgw/ceph-rgw.test"):
        (work / folder).mkdir(parents=True)
    cluster = Cluster(work, programs)
    cluster.config.write_text(configuration(work, mon_port, rgw_port, fsid))
    try:
        # ceph-mon --mkfs wants a keyring even with authentication off.
        subprocess.run(
            [
                *(programs["ceph-authtool"], "--create-keyring", str(work / "keyring")),
                *("--gen-key", "-n", "mon.", "--cap", "mon", "allow *"),
            ],
            check=True,
            capture_output=True,
        )
        subprocess.run(
            [
                *(programs["monmaptool"], "--create", "--fsid", fsid, str(work / "monmap")),
                *("--addv", "a", f"[v1:127.0.0.1:{mon_port}]"),
            ],
            check=True,
            capture_output=True,
        )
        cluster.run("ceph-mon", "--mkfs", "-i", "a", "--monmap", str(work / "monmap"))
        monitor = cluster.start("ceph-mon", "-i", "a")
        wait_for_port(mon_port, monitor, work / "log" / "ceph-mon.out")
        osd_uuid = str(uuid.uuid4())
        osd_id = cluster.run("ceph", "osd", "new", osd_uuid).strip()
        cluster.run("ceph-osd", "-i", osd_id, "--mkfs", "--osd-uuid", osd_uuid)
        cluster.start("ceph-osd", "-i", osd_id)
        cluster.wait_for_osd()
        gateway = cluster.start("radosgw", "-n", "client.rgw.test")
        wait_for_port(rgw_port, gateway, work / "log" / "radosgw.out", seconds=90)
        cluster.run(
            "radosgw-admin",
            *("user", "create", "--uid", "sendfile-rs", "--display-name", "sendfile_rs tests"),
            *("--access-key", access_key, "--secret", secret_key),
        )
        yield f"127.0.0.1:{rgw_port}"
    finally:
        cluster.stop()
