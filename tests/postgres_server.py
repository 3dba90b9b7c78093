"""A throwaway PostgreSQL cluster for tests and benches: Debian's `postgresql` package, real.

`initdb` into a fresh directory under /tmp, then `postgres` listening on a unix
socket in that directory and on 127.0.0.1 at a free port; stopped (immediately)
and removed at the end. PostgreSQL refuses to run as root, and this sandbox and
`.ci/run` run as root: then the cluster runs as `nobody`, its directory chowned
to it (`runuser -u nobody`). Each pytest-xdist worker starts its own cluster (the
fixture is session-scoped, and each worker is its own session), so no two workers
share a database.

Local connections are trusted; on 127.0.0.1 the role `PASSWORD_ROLE` must give
its password (scram-sha-256), so a test can be refused for wrong credentials.
Nothing here skips: a cluster that cannot start is a `ClusterFailed` naming what
failed and the server's log, which fails the tests that needed it.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

BIN = Path(os.environ.get("LASTGOOD_PG_BIN", "/usr/lib/postgresql/15/bin"))
SUPERUSER = "lastgood_admin"
PASSWORD_ROLE = "lastgood_pw"
PASSWORD = "right-horse-battery"
WRITER_ROLE = "lastgood_writer"
"""The role the README's set-up creates; a test that needs it without the README makes it."""

_HBA = f"""\
local all all trust
host all {PASSWORD_ROLE} 127.0.0.1/32 scram-sha-256
host all all 127.0.0.1/32 trust
"""


class ClusterFailed(RuntimeError):
    """PostgreSQL could not be started; the message says why (and where the log is)."""


@dataclass(frozen=True)
class Cluster:
    """A running cluster: its socket directory and TCP port, and how it was started
    (to start it again on the same data directory and port)."""

    directory: Path
    port: int
    owner: str | None = None
    options: str = ""
    durable: bool = False
    """fsync on (benches); else off, as the suite runs it."""

    def stop(self) -> None:
        """Shut the server down as an administrator's restart does (`pg_ctl -m fast`):
        every session is ended, and the call returns once the server has exited."""
        data = str(self.directory / "data")
        _run(self.owner, [str(BIN / "pg_ctl"), "-D", data, "-m", "fast", "-w", "stop"], "stop")

    def start(self) -> None:
        """Start the stopped server again, on the same data directory, socket and port."""
        data, log = self.directory / "data", self.directory / "server.log"
        start = [str(BIN / "pg_ctl"), "-D", str(data), "-l", str(log), "-w", "-t", "60"]
        _run(self.owner, [*start, "-o", self.options, "start"], "pg_ctl start", log)

    def restart(self) -> None:
        """`stop`, then `start`: what a server's restart does to the connections to it."""
        self.stop()
        self.start()

    @contextlib.contextmanager
    def hung(self) -> Iterator[None]:
        """This cluster's server hung, not down: its postmaster and every backend stopped
        with SIGSTOP (what a debugger, a frozen VM or stuck storage do), continued on
        leaving. Only this cluster's processes, found from its own postmaster.pid: the
        kernel still accepts connections and acknowledges what is sent, nothing answers."""
        postmaster = int((self.directory / "data" / "postmaster.pid").read_text().split()[0])
        stopped = [postmaster]
        try:
            os.kill(postmaster, signal.SIGSTOP)  # first: a stopped postmaster forks no more
            for child in _children(postmaster):
                os.kill(child, signal.SIGSTOP)
                stopped.append(child)
            yield
        finally:
            for pid in reversed(stopped):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGCONT)

    def url(self, database: str = "postgres", user: str = SUPERUSER) -> str:
        """A URL over the unix socket (trusted)."""
        return f"postgresql://{user}@/{database}?host={self.directory}&port={self.port}"

    def tcp_url(self, database: str = "postgres", user: str = SUPERUSER, password: str = "") -> str:
        secret = f":{password}" if password else ""
        return f"postgresql://{user}{secret}@127.0.0.1:{self.port}/{database}"

    def admin(self, sql: str, database: str = "postgres") -> str:
        """Run `sql` as the superuser with psql (outside the code under test)."""
        found = subprocess.run(
            [
                str(BIN / "psql"),
                "-X",
                "-q",
                "-t",
                "-A",
                "-v",
                "ON_ERROR_STOP=1",
                "-h",
                str(self.directory),
                "-p",
                str(self.port),
                "-U",
                SUPERUSER,
                "-d",
                database,
                "-c",
                sql,
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        if found.returncode != 0:
            raise RuntimeError(f"psql failed: {found.stderr.strip()}")
        return found.stdout.strip()

    def fresh_database(self, name: str) -> str:
        """CREATE DATABASE `name` (dropped first if a test left it); its URL.

        With fsync off, copied as files (`STRATEGY = FILE_COPY`, PostgreSQL 15's default
        before it chose WAL_LOG): its two checkpoints cost nothing unsynced, and writing
        the template's pages to the WAL did. Measured alternately on a loaded machine,
        15 databases: 1.4-2.1 s of the server's CPU and 7-11 s against 2.4-4.0 s and
        14-21 s. A durable cluster (a bench) keeps the default."""
        self.admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        strategy = "" if self.durable else " STRATEGY = FILE_COPY"
        self.admin(f'CREATE DATABASE "{name}"{strategy}')
        return self.url(name)


def _children(parent: int) -> list[int]:
    """The processes whose parent is `parent`, from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            # The command name, in parentheses, may hold spaces: the fields after it are plain.
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == parent:
                found.append(int(entry.name))
    return found


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _as_owner(owner: str | None, argv: list[str]) -> list[str]:
    return argv if owner is None else ["runuser", "-u", owner, "--", *argv]


def _run(owner: str | None, argv: list[str], what: str, log: Path | None = None) -> None:
    try:
        found = subprocess.run(
            _as_owner(owner, argv), capture_output=True, text=True, check=False, timeout=120
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ClusterFailed(f"PostgreSQL test cluster: {what} failed: {exc}") from None
    if found.returncode != 0:
        tail = ""
        if log is not None and log.exists():
            tail = " | server log: " + " / ".join(log.read_text(errors="replace").splitlines()[-5:])
        detail = " ".join((found.stderr or found.stdout).split())[-500:]
        raise ClusterFailed(f"PostgreSQL test cluster: {what} failed: {detail}{tail}")


@contextlib.contextmanager
def running_cluster(*, durable: bool = False) -> Iterator[Cluster]:
    """Start a cluster, yield it, stop and remove it. `durable` keeps fsync on (benches)."""
    if not (BIN / "initdb").exists():
        raise ClusterFailed(
            f"PostgreSQL test cluster: no {BIN / 'initdb'}; install Debian's postgresql "
            "package (apt-get install postgresql), or set LASTGOOD_PG_BIN"
        )
    owner = "nobody" if os.geteuid() == 0 else None
    directory = Path(tempfile.mkdtemp(prefix="lgpg-", dir="/tmp"))
    try:
        if owner is not None:
            entry = pwd.getpwnam(owner)
            os.chown(directory, entry.pw_uid, entry.pw_gid)
        data = directory / "data"
        initdb = [str(BIN / "initdb"), "-D", str(data), "-U", SUPERUSER, "--auth=trust"]
        _run(owner, [*initdb, "-E", "UTF8", "--locale=C", "--no-sync"], "initdb")
        (data / "pg_hba.conf").write_text(_HBA)
        port = free_port()
        options = (
            f"-k {directory} -p {port} -c listen_addresses=127.0.0.1 -c max_connections=100"
            + ("" if durable else " -c fsync=off -c full_page_writes=off")
        )
        cluster = Cluster(directory, port, owner, options, durable)
        cluster.start()
        try:
            cluster.admin(f"CREATE ROLE {PASSWORD_ROLE} LOGIN SUPERUSER PASSWORD '{PASSWORD}'")
            yield cluster
        finally:
            with contextlib.suppress(ClusterFailed):
                _run(
                    owner, [str(BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"], "stop"
                )
    finally:
        shutil.rmtree(directory, ignore_errors=True)
