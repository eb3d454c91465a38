"""A real single-node Ceph cluster with a RADOS Gateway (S3) on 127.0.0.1, for the tests
that need an object store that is not a mock: Debian 12's Ceph 16.2 packages (ceph-mon,
ceph-osd, radosgw, ceph-common; tools/install-deps installs them), no systemd, no root
needed beyond what the packages need.

``with ceph_rgw(work, access_key, secret_key, port=None) as endpoint:`` starts, in the
empty folder ``work``:

- one monitor (``mon.a``) on a free port, messenger v1 only;
- one OSD (``osd.0``) on memory (``osd objectstore = memstore``): nothing is kept;
- one gateway (``client.rgw.test``), ``rgw frontends = beast endpoint=127.0.0.1:PORT``,
  ``PORT`` being ``port`` or a free one;
- an S3 user (``radosgw-admin user create``) with the given keys, and no bucket;

waits until a SigV4-signed request is answered 200, and yields ``"127.0.0.1:PORT"``.
``ceph_cluster`` does the same and yields a ``Gateway`` (endpoint, startup time, pids,
resident memory). No manager: S3, pool creation and the OSD's boot need none (the cluster
reports HEALTH_WARN "no active mgr", which nothing here reads). The configuration, keyring,
monmap, data, logs (``work/log``: each daemon's ``*.log``, its stderr in ``NAME.out``, the
cluster and audit logs), admin sockets, pid files and crash reports all stay in ``work``.
Each daemon runs in the foreground (``-f``) in a process group of its own; at the end each
group, the last started first, gets SIGTERM, then SIGKILL after 20 s, and is waited for.
A daemon that exits, or a step that fails or hangs, raises ``CephError`` whose message ends
with the last lines of every log, so that a CI log alone explains it. Without the programs
the test fails when CI=true, else it is skipped with the apt-get command.

Facts learned on this kind of machine (2 cores), each behind a line of the configuration:

- It answers S3 about 2 s after an empty folder, and the three daemons hold about 130 MB
  resident (about 450 MB with a manager). The monitor's default ``paxos propose
  interval`` (1 s per map change) made it 12 s: the gateway creates its pools one map
  epoch at a time.
- With authentication off (``auth ... required = none``), a monitor is still created
  from a keyring (``ceph-mon --mkfs`` wants one). Over messenger v2 the gateway would also
  need ``ms mon client mode = crc secure`` (its default, secure, cannot be negotiated
  without cephx: ``get_initial_auth_request returned -13``); kept, though v1 does not ask.
- Without cephx a client's first command can leave before the monitor map has come (a
  second connection of the same process starts from the cached monitor addresses, with a
  zero fsid, and nothing to wait for when there is no authentication); the monitor
  refuses it ("wrong fsid"). For the OSD at boot that is fatal (2 starts in 8 here), so
  its device class and CRUSH placement are not set at boot (``osd class update on
  start``, ``osd crush update on start``) and ``ceph osd crush add`` places it before it
  starts. A ``ceph`` command so refused (1 in 120 here: "problem getting command
  descriptions from mon") is run again.
- One OSD needs ``osd pool default size = 1``, ``mon allow pool size one`` and ``osd
  crush chooseleaf type = 0``. The monitor writes the cluster and audit logs to
  /var/log/ceph unless ``mon cluster log file`` says otherwise, and refuses to run on a
  nearly full disk unless ``mon data avail crit = 0``.
- A port the gateway cannot bind makes it exit (status 98) after listening nowhere; it is
  known to listen when its log says ``starting handler: beast``.
- The OSD stopped after the monitor waits 5 s for it (``osd mon shutdown timeout``),
  hence the order.

What S3 clients see of it is asserted by tests/e2e/test_ceph_rgw.py (its docstring lists
it: 416 without Content-Range, 304 without validators, If-Range ignored, ...).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from serving import free_port

#: The Debian packages the cluster needs; no ceph-mgr.
PACKAGES = ("ceph-mon", "ceph-osd", "radosgw", "ceph-common")
PROGRAMS = (
    *("ceph-mon", "ceph-osd", "radosgw", "radosgw-admin"),
    *("ceph", "monmaptool", "ceph-authtool"),
)
#: The gateway's name in the cluster, and the S3 user that ``ceph_rgw`` creates.
GATEWAY = "client.rgw.test"
USER = "sendfile-rs"
#: What ``ceph`` says when the monitor refused its first request for the "wrong fsid".
MAP_RACE = "Error EPERM: problem getting command descriptions from mon."
#: Seconds for each step: a daemon's start, the OSD's boot, the gateway's first answer.
STEP_SECONDS = 90.0


class CephError(RuntimeError):
    """A step of the cluster failed; the message ends with the end of every log."""


def require_ceph() -> dict[str, str]:
    """The path of each program; else the test fails (CI=true) or is skipped, with the
    apt-get command that installs them."""
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
    """ceph.conf: authentication off, one node, every path inside ``work``."""
    return f"""[global]
fsid = {fsid}
mon host = v1:127.0.0.1:{mon_port}
public addr = 127.0.0.1
ms bind msgr2 = false
auth cluster required = none
auth service required = none
auth client required = none
ms mon client mode = crc secure
keyring = {work}/keyring
run dir = {work}/run
admin socket = {work}/run/$cluster-$name.$pid.asok
pid file = {work}/run/$cluster-$name.pid
log file = {work}/log/$cluster-$name.log
crash dir = {work}/crash
client mount timeout = 30
mon data = {work}/mon/$cluster-$id
mon cluster log file = default={work}/log/$cluster.$channel.log cluster={work}/log/$cluster.log
mon data avail crit = 0
mon data avail warn = 0
paxos propose interval = 0.01
mon allow pool size one = true
mon warn on pool no redundancy = false
osd data = {work}/osd/$cluster-$id
osd objectstore = memstore
memstore device bytes = 1073741824
osd pool default size = 1
osd pool default min size = 1
osd pool default pg autoscale mode = off
osd pool default pg num = 8
osd pool default pgp num = 8
osd crush chooseleaf type = 0
osd class update on start = false
osd crush update on start = false
rgw data = {work}/rgw/$cluster-$id
rgw frontends = beast endpoint=127.0.0.1:{rgw_port}
rgw dns name = 127.0.0.1
rgw thread pool size = 32
"""


@dataclass
class Gateway:
    """A running cluster's gateway, as ``ceph_cluster`` yields it."""

    #: ``127.0.0.1:PORT``, where S3 answers.
    endpoint: str
    work: Path
    #: Seconds from the empty folder to the first signed request answered.
    started_in: float
    pids: tuple[int, ...]

    def resident_bytes(self) -> int:
        """The daemons' resident memory now (VmRSS), added up."""
        total = 0
        for pid in self.pids:
            with contextlib.suppress(OSError):
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) * 1024
        return total


class Cluster:
    """The daemons started so far (stopped together), the commands run against them."""

    def __init__(self, work: Path, programs: dict[str, str]) -> None:
        self.work = work
        self.programs = programs
        self.config = work / "ceph.conf"
        self.daemons: dict[str, subprocess.Popen[bytes]] = {}

    def logs(self, lines: int = 25) -> str:
        """The end of every log in ``work/log``, for a failure's message."""
        parts = []
        for log in sorted((self.work / "log").iterdir()):
            tail = log.read_text(errors="replace").splitlines()[-lines:]
            parts.append(f"--- {log} (last {len(tail)} lines)\n" + "\n".join(tail))
        return "\n".join(parts)

    def fail(self, message: str) -> CephError:
        return CephError(f"Ceph in {self.work}: {message}\n{self.logs()}")

    def check_running(self) -> None:
        for name, daemon in self.daemons.items():
            if daemon.poll() is not None:
                raise self.fail(f"{name} exited with status {daemon.returncode}")

    def run(self, program: str, *arguments: str, seconds: float = 60) -> str:
        """A command against the cluster, its standard output. A ``ceph`` command refused
        for the race of its first request with the monitor map (see above) is run again:
        each that is run here may be."""
        command = [self.programs[program], "-c", str(self.config), *arguments]
        for _attempt in range(5):
            self.check_running()
            try:
                done = subprocess.run(command, capture_output=True, text=True, timeout=seconds)
            except subprocess.TimeoutExpired:
                raise self.fail(f"{' '.join(command)} did not end in {seconds} s") from None
            if done.returncode == 0:
                return done.stdout
            if not (program == "ceph" and MAP_RACE in done.stderr):
                break
        raise self.fail(
            f"{' '.join(command)} exited with status {done.returncode}:\n{done.stdout}{done.stderr}"
        )

    def start(self, name: str, program: str, *arguments: str) -> None:
        """A daemon in the foreground, in a process group of its own; its stderr in
        ``work/log/NAME.out``."""
        with open(self.work / "log" / f"{name}.out", "wb") as output:
            self.daemons[name] = subprocess.Popen(
                [self.programs[program], "-c", str(self.config), "-f", *arguments],
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def wait(self, what: str, ready: Callable[[], bool], seconds: float = STEP_SECONDS) -> None:
        """Until ``ready()``; raises if a daemon exits or ``seconds`` pass first."""
        deadline = time.monotonic() + seconds
        while True:
            self.check_running()
            if ready():
                return
            if time.monotonic() > deadline:
                raise self.fail(f"{what}: not within {seconds} s")
            time.sleep(0.2)

    def stop(self, seconds: float = 20) -> None:
        """Each daemon, the last started first (the OSD's goodbye to a live monitor is
        quick, to a dying one 5 s): SIGTERM to its process group, SIGKILL to whatever is
        left of the group after ``seconds``, and waited for."""
        for daemon in reversed(self.daemons.values()):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(daemon.pid, signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                daemon.wait(timeout=seconds)
            # Whatever is left of the group, the leader included, if it has not ended.
            with contextlib.suppress(ProcessLookupError):
                os.killpg(daemon.pid, signal.SIGKILL)
            daemon.wait()


def accepts(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return False
    return True


def signed_request_works(endpoint: str, access_key: str, secret_key: str) -> bool:
    """True once a SigV4-signed ListBuckets is answered 200 (the user is known)."""
    import boto3
    import botocore.config
    import botocore.exceptions

    client = boto3.client(
        "s3",
        endpoint_url=f"http://{endpoint}",
        aws_access_key_id=access_key,
        aws_secret_access_key=secret_key,
        region_name="us-east-1",
        config=botocore.config.Config(
            connect_timeout=2, read_timeout=10, retries={"total_max_attempts": 1}
        ),
    )
    try:
        client.list_buckets()
    except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError):
        return False
    return True


@contextlib.contextmanager
def ceph_cluster(
    work: Path, access_key: str, secret_key: str, *, port: int | None = None
) -> Iterator[Gateway]:
    """As ``ceph_rgw``, yielding the ``Gateway`` (its startup time, pids and memory)."""
    programs = require_ceph()
    started = time.monotonic()
    mon_port, rgw_port = free_port(), port or free_port()
    fsid = str(uuid.uuid4())
    for folder in ("run", "log", "crash", "mon", "osd/ceph-0", f"rgw/ceph-{GATEWAY[7:]}"):
        (work / folder).mkdir(parents=True)
    cluster = Cluster(work, programs)
    cluster.config.write_text(configuration(work, mon_port, rgw_port, fsid))
    try:
        # ceph-mon --mkfs wants a keyring even with authentication off.
        cluster.run(
            "ceph-authtool",
            *("--create-keyring", str(work / "keyring"), "--gen-key", "-n", "mon."),
            *("--cap", "mon", "allow *"),
        )
        cluster.run(
            "monmaptool",
            *("--create", "--fsid", fsid, "--addv", "a", f"[v1:127.0.0.1:{mon_port}]"),
            str(work / "monmap"),
        )
        cluster.run("ceph-mon", "--mkfs", "-i", "a", "--monmap", str(work / "monmap"))
        cluster.start("mon.a", "ceph-mon", "-i", "a")
        cluster.wait("the monitor's port", lambda: accepts(mon_port))
        osd_uuid = str(uuid.uuid4())
        osd_id = cluster.run("ceph", "osd", "new", osd_uuid).strip()
        # Placed by hand: at boot the OSD's own placement races its monitor map.
        cluster.run("ceph", "osd", "crush", "add", f"osd.{osd_id}", "1", "root=default")
        cluster.run("ceph-osd", "-i", osd_id, "--mkfs", "--osd-uuid", osd_uuid)
        cluster.start(f"osd.{osd_id}", "ceph-osd", "-i", osd_id)

        def osd_up() -> bool:
            stat = json.loads(cluster.run("ceph", "osd", "stat", "--format", "json"))
            return bool(stat["num_up_osds"] == 1)

        cluster.wait("the OSD's boot", osd_up)
        cluster.start(GATEWAY, "radosgw", "-n", GATEWAY)
        gateway_log = work / "log" / f"ceph-{GATEWAY}.log"

        def gateway_listens() -> bool:
            # Its log says so only once it is listening: a port that accepts before that is
            # someone else's.
            try:
                return "starting handler: beast" in gateway_log.read_text(errors="replace")
            except FileNotFoundError:
                return False

        cluster.wait("the gateway's port", lambda: gateway_listens() and accepts(rgw_port))
        cluster.run(
            "radosgw-admin",
            *("user", "create", "--uid", USER, "--display-name", "sendfile_rs tests"),
            *("--access-key", access_key, "--secret", secret_key),
        )
        endpoint = f"127.0.0.1:{rgw_port}"
        cluster.wait(
            "a signed S3 request", lambda: signed_request_works(endpoint, access_key, secret_key)
        )
        pids = tuple(daemon.pid for daemon in cluster.daemons.values())
        yield Gateway(endpoint, work, time.monotonic() - started, pids)
    finally:
        cluster.stop()


@contextlib.contextmanager
def ceph_rgw(
    work: Path, access_key: str, secret_key: str, *, port: int | None = None
) -> Iterator[str]:
    """A fresh cluster in ``work`` (an empty folder), yielding its gateway's
    ``127.0.0.1:PORT`` (``port``, or a free one), where an S3 user with these keys exists
    and no bucket yet; every daemon stopped at the end."""
    with ceph_cluster(work, access_key, secret_key, port=port) as gateway:
        yield gateway.endpoint
