"""A command that ran on the coordinator's screen and whose result the record refused
is kept on screen until it is recorded: the step says it ran, the guidance says not to
run it again, the run dialog asks before a second run (Enter and `y` do not run it),
and once the record takes writes again the run is recorded, saying when it ran,
without running anything again (a review: a `kubectl rollout undo` run twice rolls
forward to the bad release). `lastgood run` says the same with exit 3."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest

from incident import commands
from incident.core.clock import ManualClock, SystemClock
from incident.core.payloads import CommandRan
from incident.core.state import StepStatus
from incident.reports.describe import describe
from store.sqlite_log import SqliteEventLog
from tests.cli_helpers import Cli, declare
from tests.postgres_server import Cluster
from tests.tui.coordinator_harness import declared_on
from tests.tui.pilot_helpers import from_palette, wait_for_screen, wait_until
from tests.tui.screen_text import screen_lines
from tui.app.app import LastGoodApp
from tui.app.modals import ConfirmCommand
from tui.app.modals.confirm import ConfirmModal
from tui.app.modals.verb_form import VerbForm
from tui.app.screens.incident import IncidentScreen
from tui.app.widgets.guidance import Guidance

RUNBOOK = """\
runbook: ran-test
title: Ran test
phases:
  - id: act
    title: Act
    window: [0, 30]
    steps:
      - id: roll-back
        title: Roll back
        kind: command
        command: "echo ran >> {runs}; touch {started}; while [ ! -e {go} ]; do sleep 0.05; done"
      - id: smoke
        title: Smoke test
"""


@contextmanager
def write_locked(db: Path) -> Iterator[None]:
    """Another process's transaction holding the file's write lock: every append waits
    for it (`store.connection.WRITE_WAIT_S`, shortened here) and is refused."""
    holder = sqlite3.connect(db, isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")
        yield
        holder.execute("ROLLBACK")
    finally:
        holder.close()


def notified(app: LastGoodApp, title: str) -> list[str]:
    return [n.message for n in app._notifications if n.title == title]


async def test_a_run_the_record_refused_is_kept_then_recorded_once_it_can_be(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("store.connection.WRITE_WAIT_S", 0.2)
    runs, started, go = tmp_path / "runs", tmp_path / "started", tmp_path / "go"
    text = RUNBOOK.format(runs=runs, started=started, go=go)
    db, runbook, incident = declared_on(tmp_path, "ran", text)
    with SqliteEventLog.open(db) as log:
        app = LastGoodApp(log, runbook, actor="ada", network=False)
        async with app.run_test(size=(100, 30), notifications=True) as pilot:
            await wait_for_screen(pilot, IncidentScreen)
            screen = app.screen
            assert isinstance(screen, IncidentScreen)
            await pilot.press("space")  # the highlighted command step: confirm, then run
            await wait_for_screen(pilot, ConfirmCommand)
            await pilot.press("y")
            await wait_until(pilot, started.exists)
            with write_locked(db):
                go.touch()
                await wait_until(pilot, lambda: "roll-back" in screen.steps.unrecorded)
                await wait_until(pilot, lambda: bool(notified(app, "Not recorded")))
                [toast] = notified(app, "Not recorded")
                assert toast.startswith("The command ran at T+")
                assert "Do not run it again" in toast
                assert toast.index("Do not run") < toast.index(str(db))  # words first

                # The step and its guidance say it ran, and not to run it again.
                await pilot.pause()
                lines = "\n".join(screen_lines(app))
                assert "› [ ] Roll back (ran at T+" in lines and "exit 0: not" in lines
                guidance = screen.query_one(Guidance)._text.plain
                assert "▸ Press space: check it with evidence saying it ran." in guidance
                assert "Do not run it again" in guidance
                assert screen.state.status_of("roll-back") is StepStatus.OPEN

                # The run dialog asks first: `y` and Enter do not run it again.
                await from_palette(pilot, "Run command")
                await wait_for_screen(pilot, ConfirmCommand)
                dialog = app.screen
                assert isinstance(dialog, ConfirmCommand) and dialog.again
                assert "already ran at T+" in dialog.question
                await pilot.press("y")
                assert app.screen is dialog and "a does" in dialog.error_message
                await pilot.press("enter")
                await wait_for_screen(pilot, IncidentScreen)

                # Space on it now checks it by hand, evidence saying it ran: not a run.
                await pilot.press("space")
                await wait_for_screen(pilot, VerbForm)
                await pilot.press("escape")
                await wait_for_screen(pilot, IncidentScreen)

                # Quitting asks first: the screen holds the only trace of the run.
                await pilot.press("ctrl+q")
                await wait_for_screen(pilot, ConfirmModal)
                question = app.screen
                assert isinstance(question, ConfirmModal) and question.heading == "Quit lastgood?"
                body = " ".join(question.question.split())
                assert body.startswith("`echo ran >> ") and ", which ran at T+" in body, body
                assert f"(by hand: lastgood check {incident} roll-back --evidence " in body, body
                assert "not recorded yet, and quitting loses it" in body, body
                await pilot.press("escape")
                await wait_for_screen(pilot, IncidentScreen)

            # The lock is gone: the run is recorded by itself, once, saying when it ran.
            await wait_until(
                pilot, lambda: screen.state.status_of("roll-back") is StepStatus.DONE, 30
            )
            await wait_until(pilot, lambda: bool(notified(app, "Recorded late")))
            assert "roll-back" not in screen.steps.unrecorded
            assert "not recorded" not in "\n".join(screen_lines(app))
            [recorded] = notified(app, "Recorded late")
            assert recorded.startswith("Recorded `")
            assert "without running it again" in recorded
    assert runs.read_text() == "ran\n"  # once
    with SqliteEventLog.open(db, read_only=True) as reader:
        events = reader.events(incident)
        assert reader.verify(incident).ok
    [ran] = [e for e in events if isinstance(e.data, CommandRan)]
    assert isinstance(ran.data, CommandRan) and ran.data.ran_at is not None
    assert ran.data.ran_at < ran.at  # ran then, recorded later
    assert "(recorded late)" in describe(ran)
    assert events[-1].kind == "step.checked"


def test_a_run_recorded_late_on_a_step_checked_meanwhile_records_only_the_run(
    tmp_path: Path,
) -> None:
    """Checked by hand meanwhile (as the screen offers), the step stays as it is; the
    run is a fact all the same, recorded with when it ran."""
    from incident.app.session import IncidentSession
    from incident.app.unrecorded_run import UnrecordedRun, record_unrecorded

    text = RUNBOOK.format(runs="r", started="s", go="g")
    db, _, incident = declared_on(tmp_path, "late", text)
    with SqliteEventLog.open(db) as log:
        ran_at = SystemClock().now()
        session = IncidentSession(log, incident, ManualClock(ran_at + timedelta(minutes=1)))
        run = UnrecordedRun("roll-back", "rollout undo", 0, b"done\n", None, ran_at)
        log.append(
            [commands.check_step(session.state, "roll-back", actor="bo", clock=SystemClock())]
        )
        done = record_unrecorded(session, "ada", run, db=None)
        assert [e.kind for e in done.events] == ["command.ran"]
        assert "step roll-back already done" in done.said
        assert "(ran at T+" in done.said


async def test_a_run_while_postgresql_is_stopped_is_recorded_once_it_is_back(
    pg_cluster: Cluster, pg_url: str, tmp_path: Path
) -> None:
    """The review's case: the server stopped between the confirmation and the record."""
    from store.postgres_log import PostgresEventLog

    url = pg_cluster.tcp_url(database=pg_url.split("@/", 1)[1].split("?", 1)[0])
    runs, started, go = tmp_path / "runs", tmp_path / "started", tmp_path / "go"
    runbook = tmp_path / "ran.yaml"
    runbook.write_text(RUNBOOK.format(runs=runs, started=started, go=go))
    cli = Cli(url, actor="ada")  # type: ignore[arg-type]
    incident = declare(cli, "--runbook", str(runbook))
    with PostgresEventLog.open(url) as log:
        app = LastGoodApp(log, None, actor="ada", incident_id=incident, network=False)
        async with app.run_test(size=(100, 30), notifications=True) as pilot:
            await wait_for_screen(pilot, IncidentScreen)
            screen = app.screen
            assert isinstance(screen, IncidentScreen)
            await pilot.press("space")
            await wait_for_screen(pilot, ConfirmCommand)
            await pilot.press("y")
            await wait_until(pilot, started.exists)
            pg_cluster.stop()
            try:
                go.touch()
                await wait_until(pilot, lambda: "roll-back" in screen.steps.unrecorded, 30)
                [toast] = notified(app, "Not recorded")
                assert toast.index("Do not run it again") < toast.index("postgresql://")
            finally:
                pg_cluster.start()
            await wait_until(
                pilot, lambda: screen.state.status_of("roll-back") is StepStatus.DONE, 60
            )
            assert "roll-back" not in screen.steps.unrecorded
    assert runs.read_text() == "ran\n"
    timeline = cli.ok("timeline", incident)
    assert timeline.count("(recorded late)") == 1, timeline
