"""What the screen keeps on disk while the record refuses it (`tui.app.screens.kept`):
recorded once by the next screen, never twice, and a damaged file named, not a
traceback. The SIGKILL itself is `test_spool_sigkill.py`, in a real terminal."""

from __future__ import annotations

import base64
import json
from datetime import timedelta
from pathlib import Path

import pytest

from incident.app.kept import (
    KeptIntent,
    encode,
    nothing_kept,
    with_intent,
    with_run,
)
from incident.app.kept_recording import record_kept
from incident.app.session import IncidentSession
from incident.app.unrecorded_run import UnrecordedRun, record_unrecorded
from incident.core.clock import SystemClock
from incident.core.events import Event
from incident.core.payloads import CommandRan, NoteAdded
from incident.reports.describe import describe
from store.spool import SpoolFile
from store.sqlite_log import SqliteEventLog
from tests.tui.coordinator_harness import declared_on
from tests.tui.pilot_helpers import wait_for_screen, wait_until
from tests.tui.test_ran_not_recorded import RUNBOOK, notified, write_locked
from tui.app.app import LastGoodApp
from tui.app.modals import ConfirmCommand
from tui.app.modals.confirm import ConfirmModal
from tui.app.modals.verb_form import VerbForm
from tui.app.screens.incident import IncidentScreen

NOTE = "pool drained \x1b[31mby hand"
"""Typed with an escape in it: recorded as typed, shown as data."""


def events_of(db: Path, incident: str) -> list[Event]:
    with SqliteEventLog.open(db, read_only=True) as reader:
        return reader.events(incident)


def kept_spool(
    db: Path, incident: str, directory: Path
) -> tuple[SpoolFile, UnrecordedRun, KeptIntent]:
    """A spool as a killed screen left it: a run and a note, from just after the
    declaration (before anything records them)."""
    with SqliteEventLog.open(db) as log:
        state = IncidentSession(log, incident, SystemClock()).state
    then = state.declared_at + timedelta(milliseconds=1)
    run = UnrecordedRun("roll-back", "rollout undo", 0, b"rolled back\n", None, then)
    note = KeptIntent("ada", "note", {"text": NOTE, "pin": False}, then + timedelta(milliseconds=1))
    spool = SpoolFile.of(directory, state.id, state.declared_at)
    spool.write(encode(with_intent(with_run(nothing_kept(state), "bo", run), note)))
    return spool, run, note


async def test_kept_items_recorded_before_the_kill_are_not_recorded_again(
    tmp_path: Path,
) -> None:
    """Killed between recording and forgetting: the record holds both and the file too.
    The next screen records neither again, and removes the file."""
    db, _, incident = declared_on(tmp_path, "kept", RUNBOOK.format(runs="r", started="s", go="g"))
    spool, run, note = kept_spool(db, incident, tmp_path / "spool")
    with SqliteEventLog.open(db) as log:
        session = IncidentSession(log, incident, SystemClock())
        record_unrecorded(session, "bo", run, db=None)
        record_kept(session, note)
    before = events_of(db, incident)
    assert [e.kind for e in before].count("command.ran") == 1
    with SqliteEventLog.open(db) as log:
        app = LastGoodApp(log, None, actor="ada", incident_id=incident, network=False)
        app.kept_dir = tmp_path / "spool"
        async with app.run_test(size=(100, 30), notifications=True) as pilot:
            await wait_for_screen(pilot, IncidentScreen)
            await wait_until(pilot, lambda: not spool.path.exists(), 30)
            [said] = notified(app, "Kept")
            assert said.startswith("Kept by a screen that ended before the record took it: ")
            assert "the run of roll-back (ran at T+" in said and "1 note" in said
            # Each says so (a toast replaces a live one of its title: the newest is left).
            [late] = notified(app, "Recorded late")
            assert "recorded already" in late, late
    assert events_of(db, incident) == before


async def test_kept_items_are_recorded_by_the_next_screen_with_their_times(
    tmp_path: Path,
) -> None:
    db, _, incident = declared_on(tmp_path, "kept", RUNBOOK.format(runs="r", started="s", go="g"))
    spool, run, _ = kept_spool(db, incident, tmp_path / "spool")
    with SqliteEventLog.open(db) as log:
        app = LastGoodApp(log, None, actor="ada", incident_id=incident, network=False)
        app.kept_dir = tmp_path / "spool"
        async with app.run_test(size=(100, 30), notifications=True) as pilot:
            await wait_for_screen(pilot, IncidentScreen)
            await wait_until(pilot, lambda: not spool.path.exists(), 30)
    events = events_of(db, incident)
    [ran] = [e for e in events if isinstance(e.data, CommandRan)]
    [noted] = [e for e in events if isinstance(e.data, NoteAdded)]
    assert isinstance(ran.data, CommandRan) and isinstance(noted.data, NoteAdded)
    assert ran.actor == "bo" and ran.data.ran_at == run.ran_at.replace(
        microsecond=run.ran_at.microsecond // 1000 * 1000
    )
    assert noted.data.text == NOTE and noted.actor == "ada"
    assert noted.data.written_at is not None and noted.data.written_at < noted.at
    line = describe(noted)
    assert line.endswith(" UTC, recorded late)") and "\x1b" not in line and "␛" in line


async def test_a_damaged_spool_is_named_and_set_aside_not_recorded(tmp_path: Path) -> None:
    db, _, incident = declared_on(tmp_path, "kept", RUNBOOK.format(runs="r", started="s", go="g"))
    spool, _, _ = kept_spool(db, incident, tmp_path / "spool")
    spool.path.write_bytes(spool.path.read_bytes()[:-40])  # cut short, as a full disk might
    damaged = spool.path.read_bytes()
    with SqliteEventLog.open(db) as log:
        app = LastGoodApp(log, None, actor="ada", incident_id=incident, network=False)
        app.kept_dir = tmp_path / "spool"
        async with app.run_test(size=(100, 30), notifications=True) as pilot:
            await wait_for_screen(pilot, IncidentScreen)
            await wait_until(pilot, lambda: bool(notified(app, "Kept")), 30)
            [said] = notified(app, "Kept")
    aside = spool.path.with_name(spool.path.name + ".damaged")
    assert said == (
        f"{spool.path} does not read as what a screen kept (Input data was truncated): "
        f"set aside as {aside}, nothing in it recorded."
    )
    assert "\n" not in said
    assert aside.read_bytes() == damaged and not spool.path.exists()
    assert [e.kind for e in events_of(db, incident)] == ["incident.declared"]


async def test_a_refused_note_is_kept_on_disk_and_recorded_once_from_its_form(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Submitted again once the record is back, the kept note is recorded with when it
    was first submitted, and forgotten on disk; Esc on a refused note forgets it too."""
    monkeypatch.setattr("store.connection.WRITE_WAIT_S", 0.2)
    db, _, incident = declared_on(tmp_path, "kept", RUNBOOK.format(runs="r", started="s", go="g"))
    directory = tmp_path / "spool"
    with SqliteEventLog.open(db) as log:
        app = LastGoodApp(log, None, actor="ada", incident_id=incident, network=False)
        app.kept_dir = directory
        async with app.run_test(size=(100, 30), notifications=True) as pilot:
            await wait_for_screen(pilot, IncidentScreen)
            screen = app.screen
            assert isinstance(screen, IncidentScreen) and screen.desk.kept is not None
            spool = screen.desk.kept.spool
            for keys, cancel in (("first", True), ("second", False)):
                await pilot.press("n")
                await wait_for_screen(pilot, VerbForm)
                form = app.screen
                await pilot.press(*keys)
                with write_locked(db):
                    await pilot.press("ctrl+s")
                    await wait_until(pilot, lambda: spool.path.exists())
                    assert app.screen is form
                    assert keys.encode() in spool.path.read_bytes()
                if cancel:
                    await pilot.press("escape")  # typed text: asks first
                    await pilot.press("y")
                else:
                    await pilot.press("ctrl+s")
                await wait_for_screen(pilot, IncidentScreen)
                await wait_until(pilot, lambda: not spool.path.exists())
    notes = [e.data for e in events_of(db, incident) if isinstance(e.data, NoteAdded)]
    assert [(n.text, n.written_at is not None) for n in notes] == [("second", True)]


SECRET = "s3cret-pass-for-the-spool"


async def test_a_kept_run_is_on_disk_without_the_secrets_it_printed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The spool holds a run as it will be recorded: the record's password, printed by
    the command, is not written to disk (it was, before the run was redacted)."""
    monkeypatch.setattr("store.connection.WRITE_WAIT_S", 0.2)
    started, go = tmp_path / "started", tmp_path / "go"
    # Prints the password without the command's text holding it (the text is recorded).
    text = RUNBOOK.format(runs="/dev/null", started=started, go=go).replace(
        "echo ran >> /dev/null", "echo connecting with s3cret-pass-$(echo for-the-spool)"
    )
    db, runbook, incident = declared_on(tmp_path, "secret", text)
    directory = tmp_path / "spool"
    with SqliteEventLog.open(db) as log:
        app = LastGoodApp(log, runbook, actor="ada", network=False)
        app.kept_dir = directory
        app.record_location = f"postgresql://ada:{SECRET}@db.internal/incidents"
        async with app.run_test(size=(100, 30), notifications=True) as pilot:
            await wait_for_screen(pilot, IncidentScreen)
            screen = app.screen
            assert isinstance(screen, IncidentScreen)
            await pilot.press("space")
            await wait_for_screen(pilot, ConfirmCommand)
            await pilot.press("y")
            await wait_until(pilot, started.exists)
            with write_locked(db):
                go.touch()
                await wait_until(pilot, lambda: "roll-back" in screen.steps.unrecorded)
                spool = SpoolFile.of(directory, screen.state.id, screen.state.declared_at)
                await wait_until(pilot, spool.path.exists)
                held = spool.path.read_bytes()
                [kept] = json.loads(held)["runs"]
                output = base64.b64decode(kept["run"]["output"]).decode()
                assert output == "connecting with ***\n"
                assert SECRET.encode() not in held

                # Quitting asks, and says the run is kept on disk, not lost.
                await pilot.press("ctrl+q")
                await wait_for_screen(pilot, ConfirmModal)
                question = app.screen
                assert isinstance(question, ConfirmModal)
                body = " ".join(question.question.split())
                assert f"; or the next `lastgood start {incident}`)" in body, body
                assert "not recorded yet, and kept on disk until it is" in body, body
                assert "quitting loses" not in body, body
                await pilot.press("escape")
                await wait_for_screen(pilot, IncidentScreen)
