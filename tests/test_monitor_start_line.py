"""`monitor`'s start line says where it records, as whom, which lastgood, and how a
service stops it (ux_review14 #13).

It said `watching ID: …; Ctrl-C stops` to a service, whose $LASTGOOD_DB and
$LASTGOOD_USER come from an environment file: "is it writing where the coordinators
read?" could not be answered from its journal. Now the record (a PostgreSQL URL
without its password), the name its ticks record it as (with its pid and host), and
the version; Ctrl-C only to a terminal, SIGTERM otherwise.
"""

from __future__ import annotations

import os
import pty
import socket
import subprocess
from pathlib import Path

from tests.cli_helpers import Cli, declare, lastgood_command
from tests.postgres_server import PASSWORD, PASSWORD_ROLE, Cluster
from tests.store_backends import postgres_backend
from tests.test_monitor_slow_record import Builds, declared
from tui.cli.edges import package_version

VERSION = package_version()


def started(cli: Cli, incident_id: str, *, terminal: bool) -> tuple[int, str]:
    """A monitor's pid and its first stderr line, its stdin /dev/null or a terminal."""
    if terminal:
        parent, child = pty.openpty()
        stdin: int = child
    else:
        parent, child, stdin = -1, -1, subprocess.DEVNULL
    try:
        done = subprocess.Popen(
            [*lastgood_command(), "monitor", incident_id, "--for", "1"],
            env=cli.env,
            stdin=stdin,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        _, err = done.communicate(timeout=60)
    finally:
        for fd in (parent, child):
            if fd >= 0:
                os.close(fd)
    assert done.returncode == 0, err
    return done.pid, err.splitlines()[0]


def test_a_service_is_told_the_record_its_name_pid_and_version_and_sigterm(
    tmp_path: Path,
) -> None:
    cli = Cli(tmp_path / "r.db", actor="lgsvc")
    with Builds() as builds:
        incident_id = declared(cli, builds, tmp_path)
        pid, line = started(cli, incident_id, terminal=False)
        as_whom = f"lgsvc's monitor (pid {pid} on {socket.gethostname()})"
        assert line == (
            f"watching {incident_id} in {cli.db} as {as_whom}, lastgood {VERSION}: "
            "build every 1s, and its messages; stops after 1s (SIGTERM sooner)"
        )
        pid, line = started(cli, incident_id, terminal=True)
        assert line.endswith("; stops after 1s (Ctrl-C sooner)"), line


def test_a_postgresql_record_is_named_without_its_password(
    pg_cluster: Cluster, pg_url: str
) -> None:
    database = postgres_backend(pg_cluster, pg_url).database
    url = pg_cluster.tcp_url(database, PASSWORD_ROLE, PASSWORD)
    cli = Cli(url, actor="lgsvc")  # type: ignore[arg-type]
    incident_id = declare(cli)
    _, line = started(cli, incident_id, terminal=False)
    shown = url.replace(f":{PASSWORD}@", "@")
    assert line.startswith(f"watching {incident_id} in {shown} as lgsvc's monitor (pid "), line
    assert PASSWORD not in line
