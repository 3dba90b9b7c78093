"""Steps the declaration does (review7 F17): the runbook's `done_by_declaration`.

A declaration names the incident commander (and maybe the channel): the decide phase's
"Assign an incident commander" and "Create a dedicated communication channel" are then
done, and asking the coordinator to tick them cost keys for nothing. The declaration
records them checked, by whoever declared, at its time, with the reason; a field left
empty leaves its step open. Records declared before fold, hash and export as they did.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from incident import commands
from incident.app import lifecycle
from incident.app.drill import drill_declaration, fault_named
from incident.app.session import IncidentSession
from incident.commands import Declaration
from incident.core.clock import ManualClock
from incident.core.payloads import StepChecked
from incident.core.state import StepStatus, fold
from runbooks import load_runbook, resolve_runbook, runbook_to_data
from runbooks.model import DECLARATION_FIELDS
from runbooks.serialize import runbook_from_data
from store.sqlite_log import SqliteEventLog
from tests.cli_helpers import InProcessCli

T0 = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
DETAILS = Declaration(title="Checkout 500s", severity="SEV2", commander="Ada Lovelace")


def bundled():
    return load_runbook(resolve_runbook("rollback"))


def test_the_bundled_runbook_says_which_steps_the_declaration_does() -> None:
    runbook = bundled()
    done_by = {s.id: s.done_by_declaration for s in runbook.steps() if s.done_by_declaration}
    assert done_by == {"create-channel": "channel", "assign-commander": "commander"}
    assert set(done_by.values()) <= set(DECLARATION_FIELDS)


def test_declaring_with_the_commander_records_the_commander_step_done(tmp_path: Path) -> None:
    clock = ManualClock(T0)
    log = SqliteEventLog.open(tmp_path / "a.db")
    session = lifecycle.declare(log, bundled(), DETAILS, actor="bo", clock=clock)
    state = session.state
    done = state.steps["assign-commander"]
    assert (done.done, done.by, done.at) == (True, "bo", state.declared_at)
    assert done.note == "done by the declaration: commander Ada Lovelace"
    # No channel was named: its step stays open, for the channel verb to do.
    assert state.status_of("create-channel") is StepStatus.OPEN
    assert state.status_of("assess-severity") is StepStatus.OPEN
    events = log.events(state.id)
    assert [e.kind for e in events] == ["incident.declared", "step.checked"]
    assert events[1].at == events[0].at and events[1].actor == "bo"
    assert log.verify(state.id).ok


def test_declaring_with_the_channel_records_the_channel_step_done_too(tmp_path: Path) -> None:
    log = SqliteEventLog.open(tmp_path / "a.db")
    details = Declaration(
        title="Checkout 500s", severity="SEV2", commander="Ada", channel=" #inc-checkout "
    )
    state = lifecycle.declare(log, bundled(), details, actor="bo", clock=ManualClock(T0)).state
    checked = [e.data for e in log.events(state.id) if isinstance(e.data, StepChecked)]
    assert [(c.step, c.by, c.note) for c in checked] == [
        ("create-channel", "bo", "done by the declaration: channel #inc-checkout"),
        ("assign-commander", "bo", "done by the declaration: commander Ada"),
    ]


def test_the_cli_and_its_timeline_say_the_declaration_did_them(tmp_path: Path) -> None:
    cli = InProcessCli(tmp_path / "incidents.db", actor="bo")
    incident = cli.ok(
        "declare", "--title", "Checkout 500s", "--severity", "SEV2", "--commander", "Ada"
    ).strip()
    timeline = cli.ok("timeline", incident)
    assert "· bo · Checked assign-commander: done by the declaration: commander Ada" in timeline
    assert "create-channel" not in timeline
    status = cli.ok("status", incident)
    assert "[x] assign-commander" in status and "[ ] create-channel" in status


def test_a_drill_declares_through_the_same_use_case() -> None:
    events = drill_declaration(
        bundled(), fault_named("bad-release"), "Ada", clock=ManualClock(T0), taken_ids=[]
    )
    assert [e.kind for e in events] == ["incident.declared", "step.checked", "step.checked"]


def test_a_record_declared_before_folds_as_it_did(tmp_path: Path) -> None:
    """The completion is events recorded at declaration, not a rule of the fold: the
    declaration alone (as every record written before) leaves both steps open."""
    clock = ManualClock(T0)
    log = SqliteEventLog.open(tmp_path / "old.db")
    event = commands.declare(bundled(), DETAILS, actor="bo", clock=clock)
    session = IncidentSession.declare(log, event, clock)
    assert session.state.status_of("assign-commander") is StepStatus.OPEN
    assert fold(log.events(event.incident_id)).status_of("assign-commander") is StepStatus.OPEN


def test_a_runbook_without_the_key_snapshots_as_before() -> None:
    """A step without `done_by_declaration` writes no such key: an older snapshot's
    runbook and a new one without it are the same data."""
    runbook = bundled()
    data = runbook_to_data(runbook)
    steps = [step for phase in data["phases"] for step in phase["steps"]]  # type: ignore[union-attr, index]
    written = {s["id"]: s.get("done_by_declaration") for s in steps}  # type: ignore[union-attr, index]
    assert written["assign-commander"] == "commander"
    others = [s for s in steps if s["id"] not in ("assign-commander", "create-channel")]  # type: ignore[index]
    assert others and all("done_by_declaration" not in s for s in others)  # type: ignore[operator]
    assert runbook_from_data(data, runbook.source) == runbook
