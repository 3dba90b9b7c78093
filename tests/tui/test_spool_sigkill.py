"""The screen dies during an outage: what it kept is recorded once it is back.

A real `lastgood start` in tmux, its SQLite file's write lock held by another process:
a command step runs (its result refused, kept on the step) and a note is typed (refused,
kept in its dialog). Then the screen is SIGKILLed, as a closed terminal or a dropped SSH
session would end it, the lock goes, and a new screen opens the incident."""

from __future__ import annotations

import os
import signal
import sqlite3
from contextlib import suppress
from datetime import UTC, datetime
from pathlib import Path

from incident.core.events import Event
from incident.core.payloads import CommandRan, NoteAdded, StepChecked
from store.sqlite_log import SqliteEventLog
from tests.cli_helpers import Cli
from tests.process_tree import descendants
from tests.tmux import Tmux
from tests.tui.coordinator_harness import declared_on
from tests.tui.incident_in_tmux import incident_open
from tests.tui.test_ran_not_recorded import RUNBOOK
from tests.waiting import poll_until

NOTE = "pool drained by hand"


def sigkill_screen(tmux: Tmux, pane: str) -> None:
    """kill -9 lastgood (the shell's child) and whatever it started; the shell stays."""
    shell = int(tmux.show(pane, "#{pane_pid}"))
    victims = descendants(shell)
    assert victims, "lastgood is not running"
    for victim in victims:
        with suppress(ProcessLookupError):
            os.kill(victim, signal.SIGKILL)
    tmux.wait_for(pane, "the shell after the kill", lambda s: "exit=137" in s)


def events_of(db: Path, incident: str) -> list[Event]:
    with SqliteEventLog.open(db, read_only=True) as reader:
        return reader.events(incident)


def kept_files(tmp_path: Path) -> list[Path]:
    """The spool's files under the panes' state directory (`tests.tmux.app_env`)."""
    return sorted(p for p in (tmp_path / "xdg").rglob("*.json*") if p.is_file())


def test_what_a_killed_screen_kept_is_recorded_once_when_reopened(tmp_path: Path) -> None:
    runs, started, go = tmp_path / "runs", tmp_path / "started", tmp_path / "go"
    db, _, incident = declared_on(
        tmp_path, "spool", RUNBOOK.format(runs=runs, started=started, go=go)
    )
    cli = Cli(db, actor="ada")
    with incident_open(cli, incident, tmp_path) as (tmux, pane):
        tmux.keys(pane, "Space")
        tmux.wait_for(pane, "the run dialog", lambda s: "Run" in s and "y" in s)
        tmux.keys(pane, "y")
        poll_until(started.exists, "the command to start", 60)
        holder = sqlite3.connect(db, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")  # another process's write lock: the outage
        try:
            go.touch()
            tmux.wait_for(pane, "the run kept", lambda s: "not recorded)" in s, timeout=30)
            tmux.keys(pane, "n")
            tmux.wait_for(pane, "the note dialog", lambda s: "Text *" in s)
            tmux.keys(pane, NOTE, literal=True)
            tmux.keys(pane, "C-s")
            tmux.wait_for(pane, "the note refused", lambda s: "other writers" in s, timeout=30)
            killed_at = datetime.now(UTC)
            sigkill_screen(tmux, pane)
        finally:
            holder.execute("ROLLBACK")
            holder.close()
    assert [e.kind for e in events_of(db, incident)] == ["incident.declared"]
    [kept] = kept_files(tmp_path)
    assert kept.stat().st_mode & 0o777 == 0o600
    assert NOTE.encode() in kept.read_bytes()

    # A new screen on the incident: both recorded, each with when it happened, once.
    with incident_open(cli, incident, tmp_path) as (tmux, pane):
        screen = tmux.wait_for(pane, "the kept line", lambda s: "Kept by a screen" in s)
        poll_until(lambda: not kept_files(tmp_path), "the kept file recorded and removed", 60)
        recorded = events_of(db, incident)
    [ran] = [e for e in recorded if isinstance(e.data, CommandRan)]
    [note] = [e for e in recorded if isinstance(e.data, NoteAdded)]
    assert isinstance(ran.data, CommandRan) and isinstance(note.data, NoteAdded)
    assert ran.data.ran_at is not None and ran.data.ran_at < killed_at < ran.at
    assert note.data.written_at is not None and note.data.written_at < killed_at < note.at
    assert (note.data.text, note.data.by, note.actor) == (NOTE, "ada", "ada")
    assert ran.actor == "ada" and ran.data.step == "roll-back"
    assert [e.kind for e in recorded].count("step.checked") == 1
    assert runs.read_text() == "ran\n"  # nothing ran again
    assert "Traceback" not in screen


SEEN_RUNBOOK = """\
runbook: seen-test
title: Seen test
phases:
  - id: act
    title: Act
    window: [0, 30]
    steps:
      - id: smoke
        title: Smoke test
        kind: verification
"""
EVIDENCE = "checkout of a test order went through"


def test_a_check_with_evidence_a_killed_screen_kept_is_recorded_once_at_its_time(
    tmp_path: Path,
) -> None:
    """Space on a verification step no probe backs asks what was seen; refused by the
    held lock, the answer stayed in its dialog alone, and the kill lost it."""
    db, _, incident = declared_on(tmp_path, "seen", SEEN_RUNBOOK)
    cli = Cli(db, actor="ada")
    with incident_open(cli, incident, tmp_path) as (tmux, pane):
        tmux.keys(pane, "Space")
        tmux.wait_for(pane, "the evidence dialog", lambda s: "Evidence: Smoke test" in s)
        tmux.keys(pane, EVIDENCE, literal=True)
        holder = sqlite3.connect(db, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")  # another process's write lock: the outage
        try:
            tmux.keys(pane, "Enter")
            tmux.wait_for(pane, "the check refused", lambda s: "other writers" in s, timeout=30)
            poll_until(lambda: bool(kept_files(tmp_path)), "the check kept on disk", 60)
            killed_at = datetime.now(UTC)
            sigkill_screen(tmux, pane)
        finally:
            holder.execute("ROLLBACK")
            holder.close()
    assert [e.kind for e in events_of(db, incident)] == ["incident.declared"]
    [kept] = kept_files(tmp_path)
    assert EVIDENCE.encode() in kept.read_bytes()

    with incident_open(cli, incident, tmp_path) as (tmux, pane):
        screen = tmux.wait_for(pane, "the kept line", lambda s: "Kept by a screen" in s)
        poll_until(lambda: not kept_files(tmp_path), "the kept file recorded and removed", 60)
        recorded = events_of(db, incident)
    [checked] = [e for e in recorded if isinstance(e.data, StepChecked)]
    assert isinstance(checked.data, StepChecked)
    assert (checked.data.step, checked.data.evidence, checked.actor) == ("smoke", EVIDENCE, "ada")
    assert checked.data.written_at is not None
    assert checked.data.written_at < killed_at < checked.at
    assert "Traceback" not in screen
