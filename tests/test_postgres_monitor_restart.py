"""`lastgood monitor` outlives a PostgreSQL restart: a real process, service and server.

A monitor on a bastion (or the TUI's probe child, which is one) used to end when the
server restarted under it: the next batch of samples could not be recorded, and the
process exited. Now it says once on stderr that samples are not recorded, polls on,
and says so again once they are; the record holds samples from before and after.
"""

from __future__ import annotations

import json
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.cli_helpers import Cli
from tests.monitor_process import WAIT_S, Lines, running_monitor
from tests.postgres_server import Cluster
from tests.waiting import poll_until
from tui.demo.launch import write_demo_runbook
from tui.demo.shop import DemoService


@contextmanager
def monitoring(cli: Cli, incident_id: str) -> Iterator[tuple[Lines, Lines]]:
    """`lastgood monitor ID` running, stopped with Ctrl-C (SIGINT) at the end."""
    with running_monitor(cli, incident_id) as (process, out, err):
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
                poll_until(lambda: out.has("samples not recorded: "), "the outage said", WAIT_S)
            finally:
                pg_cluster.start()
            poll_until(lambda: out.has("samples recorded again"), "the recovery said", WAIT_S)
            recorded_after = len(out.lines)
            poll_until(lambda: len(out.lines) > recorded_after, "a batch after it", WAIT_S)

    said = err.joined()
    assert "Traceback" not in said, said
    assert sum("samples not recorded: " in line for line in out.lines) == 1, said
    record = json.loads(cli.ok("export", incident_id, "--format", "json"))
    ticks = [e for e in record["events"] if e["kind"] == "probe.samples"]
    assert len(ticks) >= 2
    assert "ok," in cli.ok("verify", incident_id)
