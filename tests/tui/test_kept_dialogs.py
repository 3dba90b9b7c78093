"""What the other dialogs submitted while the record refused it is kept on disk too
(`incident.app.kept`): a check's note and evidence, a skip's reason, the decision, the
database tier, a message. Recorded later by the next screen, each at when it was typed
(`written_at`) and once; what is no longer valid then becomes a note saying so. The
SIGKILL itself is `test_spool_sigkill.py`."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from textual.widgets import Input

from incident.app.kept import KeptIntent, encode, found_on_opening, nothing_kept, with_intent
from incident.app.kept_recording import record_kept
from incident.app.session import IncidentSession
from incident.app.verbs import BY_NAME
from incident.core.clock import SystemClock
from incident.core.events import Event
from incident.core.payloads import (
    ApprovalGranted,
    CommunicationSent,
    DatabaseTierChosen,
    NoteAdded,
    StepChecked,
    StepSkipped,
)
from store.spool import SpoolFile
from store.sqlite_log import SqliteEventLog
from tests.cli_helpers import Cli
from tests.tui.coordinator_harness import declared_on
from tests.tui.pilot_helpers import wait_for_screen, wait_until
from tests.tui.test_ran_not_recorded import RUNBOOK, notified, write_locked
from tui.app.app import LastGoodApp
from tui.app.modals.verb_form import VerbForm, field_id
from tui.app.screens.incident import IncidentScreen
from tui.app.screens.verb_forms import open_form


def events_of(db: Path, incident: str) -> list[Event]:
    with SqliteEventLog.open(db, read_only=True) as reader:
        return reader.events(incident)


def bundled(tmp_path: Path) -> tuple[Path, str]:
    db = tmp_path / "kept.db"
    incident = Cli(db, actor="ada").ok(
        "declare", "--title", "Checkout errors", "--severity", "SEV2", "--commander", "Ada"
    )
    return db, incident.strip()


async def test_what_the_dialogs_kept_is_recorded_by_the_next_screen_at_its_time(
    tmp_path: Path,
) -> None:
    db, incident = bundled(tmp_path)
    with SqliteEventLog.open(db) as log:
        state = IncidentSession(log, incident, SystemClock()).state
    t = state.declared_at + timedelta(seconds=1)

    def at(n: int) -> timedelta:
        return timedelta(milliseconds=n)

    intents = [
        KeptIntent("ada", "check", {"step": "assess-severity", "evidence": "5xx at 4%"}, t),
        KeptIntent("ada", "skip", {"step": "create-channel", "reason": "#inc open"}, t + at(1)),
        KeptIntent(
            "ada", "check", {"step": "app-rollback-redeploy", "evidence": "2.4.0"}, t + at(2)
        ),
        KeptIntent("ada", "decide", {"reason": "errors climbing"}, t + at(3)),
        KeptIntent("ada", "db-tier", {"tier": "none", "reason": "no migrations"}, t + at(4)),
        KeptIntent("ada", "send", {"text": "Rolling back checkout", "again": False}, t + at(5)),
    ]
    kept = nothing_kept(state)
    for intent in intents:
        kept = with_intent(kept, intent)
    directory = tmp_path / "spool"
    spool = SpoolFile.of(directory, state.id, state.declared_at)
    spool.write(encode(kept))
    said = found_on_opening(kept, state)  # the screen's line as it opens (a toast)
    assert ": 2 checks, 1 skip, 1 decision, 1 database tier choice and 1 message. " in said
    # Meanwhile Bo checked the first step from another terminal.
    Cli(db, actor="bo").ok("check", incident, "assess-severity", "--note", "seen")

    with SqliteEventLog.open(db) as log:
        app = LastGoodApp(log, None, actor="ada", incident_id=incident, network=False)
        app.kept_dir = directory
        async with app.run_test(size=(100, 30), notifications=True) as pilot:
            await wait_for_screen(pilot, IncidentScreen)
            await wait_until(pilot, lambda: not spool.path.exists(), 60)

    events = events_of(db, incident)
    late = {e.kind: e for e in events if getattr(e.data, "written_at", None) is not None}
    checks = [e.data for e in events if isinstance(e.data, StepChecked)]
    assert [(c.step, c.by) for c in checks if c.step == "assess-severity"] == [
        ("assess-severity", "bo")
    ]  # not checked twice: what Ada typed is a note, written then
    [note] = [e.data for e in events if isinstance(e.data, NoteAdded)]
    assert note.written_at == t and note.by == "ada"
    assert note.text.startswith("The check of assess-severity, not recorded: ")
    assert "already done" in note.text and note.text.endswith("Evidence: 5xx at 4%.")
    by_step = {c.step: c for c in checks}
    assert by_step["app-rollback-redeploy"].written_at == t + at(2)
    assert by_step["app-rollback-redeploy"].evidence == "2.4.0"
    assert by_step["decide-rollback"].written_at == t + at(3)
    [skipped] = [e.data for e in events if isinstance(e.data, StepSkipped)]
    assert (skipped.step, skipped.reason, skipped.written_at) == (
        "create-channel",
        "#inc open",
        t + at(1),
    )
    [approval] = [e.data for e in events if isinstance(e.data, ApprovalGranted)]
    assert approval.target == "decide-rollback" and approval.written_at == t + at(3)
    [tier] = [e.data for e in events if isinstance(e.data, DatabaseTierChosen)]
    assert (tier.tier, tier.written_at) == ("none", t + at(4))
    sent = [e for e in events if isinstance(e.data, CommunicationSent) and not e.data.auto]
    [message] = [e for e in sent if e.data.text == "Rolling back checkout"]  # type: ignore[union-attr]
    assert isinstance(message.data, CommunicationSent)
    assert message.data.written_at == t + at(5) < message.at  # sent when recorded
    assert set(late) >= {"step.checked", "step.skipped", "approval.granted", "note.added"}

    # The fold takes when it was typed as the step's time; nothing is recorded twice.
    with SqliteEventLog.open(db) as log:
        session = IncidentSession(log, incident, SystemClock())
        assert session.state.steps["app-rollback-redeploy"].at == t + at(2)
        for intent in intents:
            assert record_kept(session, intent).events == []
    assert events_of(db, incident) == events


async def test_a_refused_check_form_keeps_its_note_and_evidence_on_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check form refused by a held write lock: what was typed is on disk at once,
    as typed; Esc forgets it, submitting again records it once, with when it was first
    submitted. Typed text holding the record's password is refused before anything is
    kept, and stays in the form for editing (it was kept, and recorded, as `***`)."""
    monkeypatch.setattr("store.connection.WRITE_WAIT_S", 0.2)
    secret = "s3cret-pass-for-the-spool"
    db, _, incident = declared_on(tmp_path, "kept", RUNBOOK.format(runs="r", started="s", go="g"))
    directory = tmp_path / "spool"
    with SqliteEventLog.open(db) as log:
        app = LastGoodApp(log, None, actor="ada", incident_id=incident, network=False)
        app.kept_dir = directory
        app.record_location = f"postgresql://ada:{secret}@db.internal/incidents"
        async with app.run_test(size=(100, 30), notifications=True) as pilot:
            await wait_for_screen(pilot, IncidentScreen)
            screen = app.screen
            assert isinstance(screen, IncidentScreen) and screen.desk.kept is not None
            spool = screen.desk.kept.spool
            for cancel in (True, False):
                check = BY_NAME["check"]
                open_form(screen.desk, check, fixed={"step": "smoke"})
                await wait_for_screen(pilot, VerbForm)
                form = app.screen
                form.query_one(f"#{field_id(check.param('note'))}", Input).value = "curl ok"
                evidence = form.query_one(f"#{field_id(check.param('evidence'))}", Input)
                evidence.value = f"pw {secret}"
                with write_locked(db):
                    await pilot.press("ctrl+s")
                    said = "Evidence holds the value of the --db URL's password, a secret"
                    await wait_until(pilot, lambda f=form, w=said: w in f.error_message)
                    assert app.focused is evidence  # the field it names, as labelled
                    assert app.screen is form and evidence.value == f"pw {secret}"
                    assert not spool.path.exists()
                    evidence.value = "pw *** as typed"
                    await pilot.press("ctrl+s")
                    await wait_until(pilot, spool.path.exists)
                    assert app.screen is form
                    held = spool.path.read_bytes()
                    assert b'"verb":"check"' in held and b"curl ok" in held
                    assert b"pw *** as typed" in held and secret.encode() not in held
                if cancel:
                    await pilot.press("escape", "y")
                else:
                    await pilot.press("ctrl+s")
                await wait_for_screen(pilot, IncidentScreen)
                await wait_until(pilot, lambda: not spool.path.exists())
    [checked] = [e for e in events_of(db, incident) if isinstance(e.data, StepChecked)]
    assert isinstance(checked.data, StepChecked)
    assert (checked.data.step, checked.data.note, checked.data.evidence) == (
        "smoke",
        "curl ok",
        "pw *** as typed",
    )
    assert checked.data.written_at is not None and checked.data.written_at < checked.at


async def test_a_refused_tier_is_kept_and_recorded_by_the_screen_once_it_can_be(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The tier dialog closes when a tier is chosen: refused, its choice and reason were
    lost with the toast. Kept on disk now, and recorded by this screen once the record
    takes writes, at when it was chosen."""
    monkeypatch.setattr("store.connection.WRITE_WAIT_S", 0.2)
    db, incident = bundled(tmp_path)
    directory = tmp_path / "spool"
    with SqliteEventLog.open(db) as log:
        app = LastGoodApp(log, None, actor="ada", incident_id=incident, network=False)
        app.kept_dir = directory
        async with app.run_test(size=(100, 30), notifications=True) as pilot:
            await wait_for_screen(pilot, IncidentScreen)
            screen = app.screen
            assert isinstance(screen, IncidentScreen) and screen.desk.kept is not None
            spool = screen.desk.kept.spool
            with write_locked(db):
                await pilot.press("b")
                await wait_until(pilot, lambda: app.screen is not screen)
                await pilot.press("enter")  # the first tier: none
                await pilot.press(*"no migrations", "ctrl+s")
                await wait_until(pilot, spool.path.exists)
                assert b"no migrations" in spool.path.read_bytes()
                await wait_until(pilot, lambda: bool(notified(app, "Not recorded")))
                [refused] = notified(app, "Not recorded")
                assert "kept, and recorded once the record takes writes" in refused
            await wait_until(pilot, lambda: not spool.path.exists(), 30)
    [tier] = [e for e in events_of(db, incident) if isinstance(e.data, DatabaseTierChosen)]
    assert isinstance(tier.data, DatabaseTierChosen)
    assert (tier.data.tier, tier.data.reason) == ("none", "no migrations")
    assert tier.data.written_at is not None and tier.data.written_at < tier.at
