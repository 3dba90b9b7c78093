"""`lastgood monitor` outlives a PostgreSQL restart: a real process, service and server.

A monitor on a bastion (or the TUI's probe child, which is one) used to end when the
server restarted under it: the next batch of samples could not be recorded, and the
process exited. Now it says once on stderr that samples are not recorded, polls on,
and says so again once they are; the record holds samples from before and after.
"""

from __future__ import annotations

import json
import signal
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from tests.cli_helpers import Cli, lastgood_command
from tests.postgres_server import Cluster
from tests.waiting import poll_until
from tui.demo.launch import write_demo_runbook
from tui.demo.shop import DemoService

WAIT_S = 30


class Lines:
    """What a stream says, line by line, as it says it (read on a thread of its own)."""

    def __init__(self, stream: IO[str]) -> None:
        self.lines: list[str] = []
        self._thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self._thread.start()

    def _read(self, stream: IO[str]) -> None:
        for line in stream:
            self.lines.append(line.rstrip("\n"))

    def has(self, text: str) -> bool:
        return any(text in line for line in self.lines)

    def joined(self) -> str:
        self._thread.join(timeout=WAIT_S)
        return "\n".join(self.lines)


@contextmanager
def monitoring(cli: Cli, incident_id: str) -> Iterator[tuple[Lines, Lines]]:
    """`lastgood monitor ID` running, stopped with Ctrl-C (SIGINT) at the end."""
    process = subprocess.Popen(
        [*lastgood_command(), "monitor", incident_id],
        env=cli.env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None and process.stderr is not None
    out, err = Lines(process.stdout), Lines(process.stderr)
    try:
        yield out, err
        assert process.poll() is None, f"the monitor ended by itself:\n{err.joined()}"
    finally:
        process.send_signal(signal.SIGINT)
        code = process.wait(timeout=WAIT_S)
    assert code == 0, err.joined()


def test_monitor_polls_through_a_server_restart(
    pg_cluster: Cluster, pg_url: str, tmp_path: Path
) -> None:
    cli = Cli(pg_url, actor="bastion")  # type: ignore[arg-type]
    with DemoService(latency_scale=0) as service:
        runbook = write_demo_runbook(service.url, tmp_path)
        incident_id = cli.ok(
            *("declare", "--title", "t", "--severity", "SEV2", "--commander", "A"),
            *("--runbook", runbook.source, "--last-good", "2.4.0"),
        ).strip()
        with monitoring(cli, incident_id) as (out, err):
            poll_until(lambda: out.has("version 2.4.1"), "a first batch recorded", WAIT_S)
            pg_cluster.stop()
            try:
                poll_until(lambda: err.has("samples not recorded: "), "the outage said", WAIT_S)
            finally:
                pg_cluster.start()
            poll_until(lambda: err.has("samples recorded again"), "the recovery said", WAIT_S)
            recorded_after = len(out.lines)
            poll_until(lambda: len(out.lines) > recorded_after, "a batch after it", WAIT_S)

    said = err.joined()
    assert "Traceback" not in said, said
    assert sum("samples not recorded: " in line for line in err.lines) == 1, said
    record = json.loads(cli.ok("export", incident_id, "--format", "json"))
    ticks = [e for e in record["events"] if e["kind"] == "probe.samples"]
    assert len(ticks) >= 2
    assert "ok," in cli.ok("verify", incident_id)
