"""A record written by the previous release still verifies, decodes, folds and renders.

`tests/fixtures/previous-release.db` was recorded by the CLI of release 30346a1
(`tests/fixtures/build_previous_release.py` says how): two incidents holding
every event kind. Stored field names never change, so each stored payload must
decode into its typed class and encode back to the very text that was hashed;
and what this release writes must have a shape that release wrote.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from incident import commands
from incident.app.session import IncidentSession
from incident.comms.notifications import delivery_outcome, queued, requeued
from incident.comms.routing import OutboxMessage
from incident.core.chain import canonical_json
from incident.core.clock import ManualClock
from incident.core.events import Event, JSONValue, Kind
from incident.core.payloads import (
    PAYLOAD_TYPES,
    Closed,
    CommunicationSent,
    NoteAdded,
    ProbeSamples,
    StepChecked,
    StepReopened,
    StepSkipped,
    TriggerChanged,
)
from incident.core.samples import Outcome, Sample
from incident.core.state import fold
from incident.core.text import visible
from incident.reports.changes import ReleaseChanges
from incident.reports.describe import describe
from incident.reports.ics import postmortem_ics
from incident.reports.marks import PIN_MARK
from incident.reports.report import json_export, markdown_report
from incident.reports.status import status_text
from incident.reports.timeline import markdown_timeline
from runbooks.model import Window
from store import SqliteEventLog
from tests.fixture_files import fingerprint
from tests.golden.incidents import closed_record, hostile_record
from tests.memory_log import MemoryLog
from tui.demo.scenarios import SCENARIO_T0, bundled_runbook

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "previous-release.db"


@pytest.fixture(scope="module")
def recorded() -> Iterator[dict[str, list[Event]]]:
    """Every incident's events, read through the store as `lastgood verify` reads them."""
    before = fingerprint(FIXTURE.parent)
    with SqliteEventLog.open(FIXTURE, read_only=True) as log:
        incidents = log.incident_ids()
        for incident_id in incidents:
            report = log.verify(incident_id)
            assert report.ok, report
        events = {incident_id: log.events(incident_id) for incident_id in incidents}
        assert all(report.count == len(events[i]) for i in incidents for report in [log.verify(i)])
    assert fingerprint(FIXTURE.parent) == before, "a read-only open changed the fixtures directory"
    yield events


def _all(recorded: dict[str, list[Event]]) -> list[Event]:
    return [event for events in recorded.values() for event in events]


def test_every_kind_is_in_the_file_and_decodes_to_its_class(
    recorded: dict[str, list[Event]],
) -> None:
    events = _all(recorded)
    assert {event.kind for event in events} == {str(kind) for kind in Kind} - NEW_KINDS
    for event in events:
        assert isinstance(event.data, PAYLOAD_TYPES)
        assert str(event.data.KIND) == event.kind


def test_each_payload_encodes_back_to_the_text_that_was_hashed(
    recorded: dict[str, list[Event]],
) -> None:
    """Stored field names, optional fields left out, nulls and numbers: all as they were."""
    for event in _all(recorded):
        assert canonical_json(event.data.to_json()) == canonical_json(event.payload), event.seq


def test_the_fold_keeps_what_the_report_needs(recorded: dict[str, list[Event]]) -> None:
    for events in recorded.values():
        state = fold(events)
        by_seq = {event.seq: event for event in events}
        for record in state.steps.values():
            if record.done:
                checked = by_seq[record.seq or 0].data
                assert isinstance(checked, StepChecked) and checked.step == record.step.id
                assert (record.evidence, record.override) == (checked.evidence, checked.override)
            elif record.skipped:
                assert isinstance(by_seq[record.seq or 0].data, StepSkipped)
            else:
                assert record.seq is None
        changes = [e for e in events if isinstance(e.data, StepSkipped | StepReopened)]
        assert [(c.step, c.at) for c in state.step_changes] == [
            (e.data.step, e.at) for e in changes if isinstance(e.data, StepSkipped | StepReopened)
        ]
        for approval in state.approvals.values():
            assert by_seq[approval.seq].at == approval.at
        for trigger, mark in state.trigger_history:
            data = by_seq[mark.seq].data
            assert isinstance(data, TriggerChanged)
            assert (data.trigger, data.met) == (trigger, mark.met)
        if state.is_closed:
            assert isinstance(by_seq[state.closed_seq or 0].data, Closed)
        assert state.sample_count == sum(
            len(e.data.samples) for e in events if isinstance(e.data, ProbeSamples)
        )


def test_its_windows_read_from_the_declaration_close_out_as_recorded(
    recorded: dict[str, list[Event]],
) -> None:
    """Its runbook, carried in the record, opened close-out at 45 minutes (`[45, null]`,
    since dropped from the bundled runbook: the guide gives Phase 4 no window); the
    record keeps it, and every window reads from the declaration, as the windows of a
    record made now do: two of its incidents were declared 3 and 10 minutes after their
    impact start."""
    said = {}
    for incident_id, events in recorded.items():
        state = fold(events)
        assert [p.window for p in state.runbook.phases][-1] == Window(45, None)
        now = (state.closed_at or events[-1].at) + timedelta(hours=1)
        lines = status_text(state, now).splitlines()
        said[incident_id] = [line.split("  ")[1] for line in lines if "  (T+" in line]
    assert said == {
        "INC-20261201-2377": ["(T+3-8)", "(T+8-33)", "(T+18-48)", "(T+48+)"],
        "INC-20261201-A15B": ["(T+10-15)", "(T+15-40)", "(T+25-55)", "(T+55+)"],
        "INC-20261201-339D": ["(T+0-5)", "(T+5-30)", "(T+15-45)", "(T+45+)"],
    }


def test_report_timeline_status_and_calendar_render(recorded: dict[str, list[Event]]) -> None:
    for events in recorded.values():
        state = fold(events)
        now = (state.closed_at or events[-1].at) + timedelta(hours=1)
        report = markdown_report(state, events, now)
        timeline = markdown_timeline(state, events, now)
        status = status_text(state, now)
        assert state.title in report and state.title in timeline and state.title in status
        exported = json.loads(json_export(state, events, now))
        assert [e["payload"] for e in exported["events"]] == [e.payload for e in events]
        for event in events:
            line = describe(event)
            if not isinstance(event.data, ProbeSamples) and event.kind != Kind.BASELINE_CAPTURED:
                assert line != visible(event.kind), f"event {event.seq} has no description"
        for change in state.step_changes:
            assert change.reason in report  # the skips-and-reopens table, from the fold
        for record in state.steps.values():
            if record.evidence:
                assert record.evidence in report
        if state.postmortem is not None:
            assert "BEGIN:VEVENT" in postmortem_ics(state, events)
        pinned = [e for e in events if isinstance(e.data, NoteAdded) and e.data.pinned]
        assert timeline.count(f"{PIN_MARK} Pinned note: ") == len(pinned)


def _shapes(value: JSONValue) -> set[object]:
    """A value's JSON type, and each list item's type and field names (nested)."""
    if isinstance(value, list):
        return {"list"} | {("item", shape) for item in value for shape in _shapes(item)}
    if isinstance(value, dict):
        fields = tuple(sorted((key, frozenset(_shapes(item))) for key, item in value.items()))
        return {("object", fields)}
    if isinstance(value, bool) or value is None:
        return {type(value).__name__}
    return {"number" if isinstance(value, int | float) else "text"}


def _the_other_kinds() -> list[Event]:
    """What the golden incidents do not record, recorded now by this release's commands."""
    clock = ManualClock(SCENARIO_T0)
    log = MemoryLog()
    details = commands.Declaration(title="t", severity="SEV2", commander="ada")
    declared = commands.declare(bundled_runbook(), details, actor="ada", clock=clock)
    session = IncidentSession.declare(log, declared, clock)
    session.run(lambda s: commands.capture_baseline(s, "health", actor="ada", clock=clock, value=1))
    sample = Sample("health", clock.now(), Outcome.OK, 12.0, 200)
    named = commands.record_samples(
        session.state, [sample], actor="lastgood", clock=clock, poller="ada's monitor (pid 7 on b)"
    )
    assert session.run_many(lambda s: named)  # a tick as `monitor` writes it: its poller named
    late = commands.record_command(
        session.state,
        "record-running-version",
        command="echo 2.4.1",
        exit_code=0,
        output_tail="2.4.1",
        actor="ada",
        clock=clock,
        ran_at=clock.now(),
    )
    session.run(lambda s: late)  # a run recorded after the record came back, saying when it ran
    session.run(lambda s: commands.hand_off(s, "bo", actor="ada", clock=clock, reason="shift"))
    session.run(lambda s: commands.set_channel(s, "#inc-t", actor="bo", clock=clock))
    session.run(
        lambda s: commands.record_page_update(s, actor="bo", clock=clock, by="cy", note="posted")
    )
    session.run(lambda s: commands.check_step(s, "assess-severity", actor="bo", clock=clock))
    session.run(
        lambda s: commands.reopen_step(
            s, "assess-severity", reason="too soon", actor="bo", clock=clock
        )
    )
    clock.advance(6 * 60)
    session.run_many(lambda s: commands.record_overdue_update(s, actor="lastgood", clock=clock))
    session.run(
        lambda s: commands.approve(
            s, "decide-rollback", by="bo", reason="errors", actor="bo", clock=clock
        )
    )
    session.run(lambda s: commands.check_step(s, "decide-rollback", actor="bo", clock=clock))
    session.run(lambda s: commands.decline(s, "paging", "all here", actor="bo", clock=clock))
    session.run(
        lambda s: commands.send_communication(
            s, actor="lastgood", clock=clock, template="initiating", moment="x", auto=True
        )
    )
    sent = session.run(lambda s: commands.send_communication(s, actor="bo", clock=clock, text="x"))
    key = f"{sent.incident_id}:{sent.seq}:team"
    message = OutboxMessage(key, sent.incident_id, "team", "x", sent.at)
    session.run_many(lambda s: queued(s, [message], actor="lastgood", clock=clock))
    outcome = {"key": key, "target": "team", "attempts": 3, "actor": "lastgood", "clock": clock}
    session.run_many(
        lambda s: delivery_outcome(s, delivered=False, error="refused", final=True, **outcome)
    )  # type: ignore[arg-type]
    session.run_many(lambda s: requeued(s, key, actor="bo", clock=clock))
    session.run_many(lambda s: delivery_outcome(s, delivered=True, error="", final=True, **outcome))  # type: ignore[arg-type]
    session.run(
        lambda s: commands.note_contributing_factor(s, "no canary", actor="bo", clock=clock)
    )
    session.run(
        lambda s: commands.add_action_item(
            s,
            "canary",
            actor="bo",
            clock=clock,
            priority="P1",
            type="prevent",
            ticket="https://tracker.example/T-1",
        )
    )
    session.run(lambda s: commands.mark_action_done(s, 1, actor="bo", clock=clock))
    session.run(lambda s: commands.set_report_status(s, actor="bo", clock=clock, reviewers=["Cy"]))
    session.run(
        lambda s: commands.send_communication(s, actor="bo", clock=clock, template="resolved")
    )
    queries = commands.impact_queries(session.state, "req{code='5xx'}", "req")
    session.run(lambda s: commands.record_impact(s, queries, 3.0, 40.5, actor="bo", clock=clock))
    changes = ReleaseChanges("v2.4.1", "v2.4.0", (), (), ())
    session.run(lambda s: commands.record_changes(s, changes, actor="bo", clock=clock))
    return log.events(sent.incident_id)


WRITTEN_ONLY_BY_THE_TUI = {("step.checked", "override")}
"""Fields the previous release's CLI could not write (an override is typed in the TUI);
its `check_step` wrote it as a plain string beside the others, as this one does."""

NEW_KINDS = {
    "contributing_factor.noted",
    "action_item.done",
    "report.status_set",
    "impact.measured",
    "changes.read",
    "channel.set",
    "status_page.updated",
}
"""Kinds this release added: the previous release's file cannot hold them."""

NEW_OPTIONAL_FIELDS = {
    ("action_item.added", "priority"),
    ("action_item.added", "type"),
    ("action_item.added", "ticket"),
    ("probe.samples", "poller"),
    ("command.ran", "ran_at"),
    ("incident.declared", "coordinator"),
    ("incident.closed", "unstable"),
}
"""Fields this release added to a kind, stored only when given: without them, an event
has the shape the previous release wrote. The previous release reads each of them as
absent: its fold took `samples` alone from a tick (`_on_samples`), and hashed every
payload as the dict it stored, whatever its keys; a tick that names its poller, as every
`monitor` and screen now writes, verifies and folds there as one that does not. A run
recorded late (`ran_at`, when it ran) reads there as the run, recorded at its event's time;
a declaration naming its deployment coordinator reads there as one that does not (the
role vacant, as that release left it); a close forced while the service was not stable
(`unstable`, ux_review15 #2) reads there as the forced close, its reason kept."""


def test_what_this_release_writes_has_a_shape_the_previous_one_wrote(
    recorded: dict[str, list[Event]],
) -> None:
    """Per kind: a set of field names that release wrote, each field a type it wrote there."""
    names: dict[str, set[frozenset[str]]] = defaultdict(set)
    types: dict[tuple[str, str], set[object]] = defaultdict(set)
    for event in _all(recorded):
        names[event.kind].add(frozenset(event.payload))
        for key, value in event.payload.items():
            if key != "runbook":  # the snapshot is the runbook's own format, not the event's
                types[event.kind, key] |= _shapes(value)
    now = [*closed_record().events, *hostile_record().events, *_the_other_kinds()]
    for event in now:
        if event.kind in NEW_KINDS:
            continue
        payload = {
            key: value
            for key, value in event.data.to_json().items()
            if (event.kind, key) not in WRITTEN_ONLY_BY_THE_TUI | NEW_OPTIONAL_FIELDS
        }
        assert frozenset(payload) in names[event.kind], (event.kind, sorted(payload))
        for key, value in payload.items():
            if key != "runbook":
                assert _shapes(value) <= types[event.kind, key], (event.kind, key, value)
    assert {event.kind for event in now} == {str(kind) for kind in Kind}
    sent = [e.data for e in now if isinstance(e.data, CommunicationSent)]
    assert any(s.auto for s in sent) and any(not s.auto for s in sent)
