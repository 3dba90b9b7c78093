"""The coordinator's probes polled by a child `lastgood monitor`, as `lastgood start` runs them.

A real shop on loopback, a real SQLite file, a real child process: the screen shows
what the child records, polls nothing itself, and the child goes when the screen
goes, when its parent is killed outright, or when the incident closes; a child that
cannot poll says why on the screen.

The test declares, reads and closes the incident with `InProcessCli`: the process
under test is the child. Waiting for its samples reads the record every 50 ms, a
`lastgood export` process each time when it ran as one.
"""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from textual.pilot import Pilot

from store.sqlite_log import SqliteEventLog
from tests.cli_helpers import Cli, InProcessCli
from tests.tui.giving_way import keys_noted
from tests.tui.pilot_helpers import wait_for_screen, wait_until
from tests.tui.screen_text import screen_lines
from tests.waiting import poll_until
from tui.app import probe_child
from tui.app.app import LastGoodApp
from tui.app.probe_child import ProbeChild
from tui.app.screens.incident import IncidentScreen
from tui.demo.launch import write_demo_runbook
from tui.demo.shop import DemoService

ROOT = Path(__file__).resolve().parents[2]
CHILD_WAIT_S = 30.0
"""How long a child may take to start and poll, or to go, on a loaded machine."""


def screen_text(app: LastGoodApp) -> str:
    return "\n".join(screen_lines(app))


def declare(cli: Cli, runbook: str) -> str:
    return cli.ok(
        "declare", "--title", "t", "--severity", "SEV2", "--commander", "Ada",
        "--runbook", runbook, "--last-good", "2.4.0",
    ).strip()  # fmt: skip


def kinds(cli: Cli, incident_id: str) -> list[str]:
    record = json.loads(cli.ok("export", incident_id, "--format", "json"))
    return [event["kind"] for event in record["events"]]


def wait_for_samples(cli: Cli, incident_id: str) -> None:
    poll_until(lambda: "probe.samples" in kinds(cli, incident_id), "samples", CHILD_WAIT_S)


def gone(pid: int) -> bool:
    """Exited: no such process, or a zombie nobody has reaped yet."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return True
    return "State:\tZ" in status


def wait_gone(pid: int) -> None:
    poll_until(lambda: gone(pid), f"process {pid} to exit", CHILD_WAIT_S)


@asynccontextmanager
async def child_app(tmp_path: Path, name: str) -> AsyncIterator[tuple[Cli, str, LastGoodApp]]:
    """The coordinator's app on an incident whose probes a real demo shop answers, its
    probes polled by a child as `lastgood start` has them: the record, the id, the app."""
    db = tmp_path / f"{name}.db"
    cli = InProcessCli(db, actor="ada")
    with DemoService(latency_scale=0, synthetic_rps=50, window_s=4) as service:
        runbook = write_demo_runbook(service.url, tmp_path)
        incident_id = declare(cli, runbook.source)
        with SqliteEventLog.open(db) as log:
            yield (
                cli,
                incident_id,
                LastGoodApp(
                    log, None, actor="ada", incident_id=incident_id, probes_in_child=str(db)
                ),
            )


async def screen_with_child(pilot: Pilot[object]) -> tuple[IncidentScreen, ProbeChild]:
    await wait_for_screen(pilot, IncidentScreen)
    screen = pilot.app.screen
    assert isinstance(screen, IncidentScreen)
    await wait_until(pilot, lambda: screen.probes.probe_child is not None)
    assert screen.probes.probe_child is not None
    return screen, screen.probes.probe_child


async def test_the_screen_shows_what_its_child_polls_and_the_child_goes_with_it(
    tmp_path: Path,
) -> None:
    async with child_app(tmp_path, "child") as (cli, incident_id, app):
        async with app.run_test(size=(120, 40)) as pilot:
            screen, child = await screen_with_child(pilot)
            await wait_until(
                pilot,
                lambda: {"health", "version", "error-rate"} <= set(screen.state.samples),
                timeout=CHILD_WAIT_S,
            )
            assert screen.probes.polling is None  # nothing polled in the screen's process
        # It finishes its round and exits by itself once its input is closed;
        # `wait` also covers the moment the screen's reaper has not collected it yet.
        assert child.process.wait(CHILD_WAIT_S) == 0
    record = json.loads(cli.ok("export", incident_id, "--format", "json"))
    ticks = [e for e in record["events"] if e["kind"] == "probe.samples"]
    assert ticks and all(e["actor"] == "probes" for e in ticks)


async def test_the_coordinators_keys_hold_the_child_and_its_samples_keep_coming(
    tmp_path: Path,
) -> None:
    """Each key sets the byte the screen shares with its child as it arrives and
    clears it after its frame is out (`tui/app/keys_first.py`); the child polls on
    between keys."""
    async with child_app(tmp_path, "keys") as (_, _, app), app.run_test(size=(120, 40)) as pilot:
        screen, child = await screen_with_child(pilot)
        await wait_until(pilot, lambda: "health" in screen.state.samples, CHILD_WAIT_S)
        said = await keys_noted(
            pilot, child, lambda: child.holding, ("right", "left", "right", "left")
        )
        assert said == ["hold True", "release False"] * 4
        last = screen.state.samples["health"][-1].at
        await wait_until(
            pilot,
            lambda: screen.state.samples["health"][-1].at > last,
            timeout=CHILD_WAIT_S,
        )


async def test_where_no_byte_can_be_shared_the_child_polls_without_giving_way(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No memfd and no temporary file to map (a locked-down sandbox): the child starts
    without `--keys-first`, the keys tell it nothing, and its samples come."""

    def refused() -> int:
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(probe_child, "_shared_file", refused)
    async with child_app(tmp_path, "bare") as (_, _, app), app.run_test(size=(120, 40)) as pilot:
        screen, child = await screen_with_child(pilot)
        assert "--keys-first" not in child.process.args
        await pilot.press("right")
        assert not child.holding
        await wait_until(pilot, lambda: "health" in screen.state.samples, CHILD_WAIT_S)


def test_the_child_goes_when_its_parent_is_killed(tmp_path: Path) -> None:
    db = tmp_path / "orphan.db"
    cli = InProcessCli(db)
    with DemoService(latency_scale=0) as service:
        runbook = write_demo_runbook(service.url, tmp_path)
        incident_id = declare(cli, runbook.source)
        parent_code = (
            "import sys\n"
            "from tui.app.probe_child import ProbeChild\n"
            f"child = ProbeChild.start({str(db)!r}, {incident_id!r})\n"
            "print(child.process.pid, flush=True)\n"
            "sys.stdin.read()\n"
        )
        parent = subprocess.Popen(
            [sys.executable, "-c", parent_code],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            env=dict(os.environ, PYTHONPATH=str(ROOT)),
        )
        assert parent.stdout is not None
        child_pid = int(parent.stdout.readline())
        wait_for_samples(cli, incident_id)
        assert not gone(child_pid)
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait()
        wait_gone(child_pid)


async def test_a_child_that_cannot_poll_says_why_on_the_screen(tmp_path: Path) -> None:
    db = tmp_path / "real.db"
    cli = InProcessCli(db, actor="ada")
    with DemoService(latency_scale=0) as service:
        runbook = write_demo_runbook(service.url, tmp_path)
        incident_id = declare(cli, runbook.source)
        elsewhere = tmp_path / "elsewhere.db"
        SqliteEventLog.open(elsewhere).close()  # an empty record: no such incident there
        with SqliteEventLog.open(db) as log:
            app = LastGoodApp(
                log, None, actor="ada", incident_id=incident_id, probes_in_child=str(elsewhere)
            )
            async with app.run_test(size=(120, 40)) as pilot:
                await wait_for_screen(pilot, IncidentScreen)
                screen = app.screen
                assert isinstance(screen, IncidentScreen)

                def stopped() -> list[str]:
                    return [
                        str(n.message) for n in app._notifications if n.title == "Probes stopped"
                    ]

                await wait_until(pilot, lambda: bool(stopped()), timeout=CHILD_WAIT_S)
                assert stopped() == [f"no incident '{incident_id}' in {elsewhere}"]
                assert screen.probes.probe_child is None
                # The toast goes; the rows say for good that nothing polls them
                # (ux_review5, finding 11: "waiting for first poll" for ever).
                await wait_until(pilot, lambda: "not polled: stopped" in screen_text(app))
                assert "waiting for first poll" not in screen_text(app)


def test_monitor_for_a_screen_stops_when_its_input_closes_and_when_the_incident_closes(
    tmp_path: Path,
) -> None:
    db = tmp_path / "eof.db"
    cli = InProcessCli(db, actor="ada")
    with DemoService(latency_scale=0) as service:
        runbook = write_demo_runbook(service.url, tmp_path)
        first = declare(cli, runbook.source)
        child = ProbeChild.start(str(db), first)
        wait_for_samples(cli, first)
        assert child.process.stdin is not None
        child.process.stdin.close()
        assert child.process.wait(CHILD_WAIT_S) == 0

        second = declare(cli, runbook.source)
        monitor = ProbeChild.start(str(db), second)
        wait_for_samples(cli, second)
        cli.ok("close", second, "--force", "--reason", "drill over")
        assert monitor.process.wait(CHILD_WAIT_S) == 0
        assert monitor.process.stderr is not None
        assert (
            f"incident {second} closed: monitor stopped" in monitor.process.stderr.read().decode()
        )
    recorded = kinds(cli, second)
    closed_at = recorded.index("incident.closed")
    assert "probe.samples" not in recorded[closed_at:]  # nothing recorded after the close
