"""The coordinator's screen on an incident a `monitor` already polls: it polls nothing,
says once who does, and shows that poller's readings (ux_review2 finding 21).

A real `monitor` process polls a real demo shop on loopback into a real SQLite file;
the screen polls as `lastgood start` has it (in a child `monitor`), or in its own
process as the demo's and the drill's screens do.
"""

from __future__ import annotations

import json
import signal
import socket
import subprocess
from pathlib import Path

import pytest

from store.sqlite_log import SqliteEventLog
from tests.cli_helpers import InProcessCli, lastgood_command
from tests.test_postgres_monitor_restart import Lines
from tests.tui.pilot_helpers import wait_for_screen, wait_until
from tests.waiting import poll_until
from tui.app.app import LastGoodApp
from tui.app.screens.incident import IncidentScreen
from tui.demo.launch import write_demo_runbook
from tui.demo.shop import DemoService

WAIT_S = 30.0


def notified(app: LastGoodApp) -> list[str]:
    return [str(n.message) for n in app._notifications if n.title == "Probes"]


@pytest.mark.parametrize("in_child", [True, False], ids=["start", "demo"])
async def test_the_screen_leaves_the_probes_to_the_monitor_polling_them(
    tmp_path: Path, in_child: bool
) -> None:
    db = tmp_path / "screen.db"
    cli = InProcessCli(db, actor="ada")
    with DemoService(latency_scale=0, synthetic_rps=50, window_s=4) as service:
        runbook = write_demo_runbook(service.url, tmp_path)
        incident_id = cli.ok(
            "declare", "--title", "t", "--severity", "SEV2", "--commander", "Ada",
            "--runbook", runbook.source, "--last-good", "2.4.0",
        ).strip()  # fmt: skip
        monitor = subprocess.Popen(
            [*lastgood_command(), "--as", "Ada", "monitor", incident_id, "--probes-only"],
            env=cli.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert monitor.stdout is not None
        says = Lines(monitor.stdout)
        ada = f"Ada's monitor (pid {monitor.pid} on {socket.gethostname()})"
        try:
            poll_until(lambda: bool(says.lines), "the monitor's first batch", WAIT_S)
            with SqliteEventLog.open(db) as log:
                app = LastGoodApp(
                    log,
                    None,
                    actor="Bo",
                    incident_id=incident_id,
                    probes_in_child=str(db) if in_child else None,
                )
                async with app.run_test(size=(120, 40)) as pilot:
                    await wait_for_screen(pilot, IncidentScreen)
                    screen = pilot.app.screen
                    assert isinstance(screen, IncidentScreen)
                    await wait_until(pilot, lambda: bool(notified(app)), WAIT_S)
                    assert notified(app) == [f"probes: polled by {ada}; showing its readings"]
                    shown = screen.state.sample_count
                    await wait_until(
                        pilot, lambda: screen.state.sample_count > shown + 3, WAIT_S
                    )  # the monitor's readings, read from the record
                    assert notified(app) == [f"probes: polled by {ada}; showing its readings"]
            monitor.send_signal(signal.SIGINT)
            assert monitor.wait(WAIT_S) == 0
        finally:
            if monitor.poll() is None:
                monitor.kill()
            monitor.wait()
    record = json.loads(cli.ok("export", incident_id, "--format", "json"))
    polled = {e["payload"].get("poller") for e in record["events"] if e["kind"] == "probe.samples"}
    assert polled == {ada}  # the screen (or its child) recorded none
