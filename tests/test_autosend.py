"""Messages made due by the runbook: when they come due, auto-send, confirm, decline.

Pure domain on a manual clock with the bundled runbook, except where two writers
meet: that uses two connections to one real SQLite file.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from msgspec.structs import replace

from incident import commands
from incident.app.session import IncidentSession
from incident.commands import CommandError
from incident.commands.messages import auto_send, decline, send_due
from incident.comms.due import awaiting_confirmation, due_messages
from incident.comms.notifications import delivery_outcome, queued, requeued, unqueued
from incident.core.clock import ManualClock
from incident.core.events import Kind
from runbooks import load_runbook, resolve_runbook
from runbooks.model import Moment, MomentKind, NotifyTarget, Runbook, SendMode, SendRule
from store.sqlite_log import SqliteEventLog
from tests.conftest import T0
from tests.memory_log import MemoryLog

GATE = "decide-rollback"


def rule(
    template: str, on: str | None, mode: str = "confirm", to: tuple[str, ...] = ()
) -> SendRule:
    moment = None
    if on is not None:
        kind, _, ref = on.partition(":")
        moment = Moment(MomentKind(kind), ref)
    return SendRule(template, to, moment, SendMode(mode))


def runbook_with(*rules: SendRule) -> Runbook:
    bundled = load_runbook(resolve_runbook("rollback"))
    targets = (NotifyTarget("team", "slack", "${HOOK}"),)
    return replace(bundled, notify_targets=targets, notify_rules=rules)


def declare(runbook: Runbook, clock: ManualClock, log: object | None = None) -> IncidentSession:
    details = commands.Declaration(
        title="Checkout errors", severity="SEV1", commander="Ada", issue="5xx", eta_min=20
    )
    event = commands.declare(runbook, details, actor="ada", clock=clock, incident_id="INC-1")
    return IncidentSession.declare(log or MemoryLog(), event, clock)  # type: ignore[arg-type]


def decide(session: IncidentSession, clock: ManualClock) -> None:
    session.run(
        lambda s: commands.approve(s, GATE, by="Ada", reason="5xx", actor="ada", clock=clock)
    )
    session.run(lambda s: commands.check_step(s, GATE, actor="ada", clock=clock))


def sends(session: IncidentSession, clock: ManualClock) -> list[str]:
    recorded = session.run_many(lambda s: auto_send(s, actor="lastgood", clock=clock))
    return [e.kind for e in recorded]


def test_auto_on_declared_sends_once_and_completes_its_step(clock: ManualClock) -> None:
    session = declare(runbook_with(rule("initiating", "declared", "auto")), clock)

    assert [m.template for m in due_messages(session.state, clock.now())] == ["initiating"]
    assert sends(session, clock) == [Kind.COMMUNICATION_SENT, Kind.STEP_CHECKED]

    (message,) = session.state.communications
    assert message.text == "Initiating rollback due to 5xx. ETA 09:20 UTC."
    assert (message.moment, message.auto, message.template) == ("declared", True, "initiating")
    assert session.state.steps["notify-stakeholders"].done
    clock.advance(3600)
    assert sends(session, clock) == []


def test_confirm_rule_waits_for_its_step_and_is_never_sent_by_itself(clock: ManualClock) -> None:
    session = declare(runbook_with(rule("announce", f"step:{GATE}")), clock)
    assert due_messages(session.state, clock.now()) == []

    clock.advance(30)
    decide(session, clock)
    (due,) = awaiting_confirmation(session.state, clock.now())
    assert (due.template, due.moment, due.due_at) == ("announce", f"step:{GATE}", clock.now())
    assert sends(session, clock) == []

    clock.advance(5)
    recorded = session.run_many(
        lambda s: send_due(s, "announce", actor="ada", clock=clock, text="Rolling back now.")
    )
    assert [e.kind for e in recorded] == [Kind.COMMUNICATION_SENT, Kind.STEP_CHECKED]
    assert recorded[0].payload["moment"] == f"step:{GATE}"
    assert "auto" not in recorded[0].payload
    assert session.state.steps["announce-rollback"].done
    assert awaiting_confirmation(session.state, clock.now()) == []


def test_a_message_sent_by_hand_settles_its_moment(clock: ManualClock) -> None:
    session = declare(runbook_with(rule("announce", f"step:{GATE}", "auto")), clock)
    session.run(
        lambda s: commands.send_communication(s, actor="ada", clock=clock, template="announce")
    )
    decide(session, clock)
    assert due_messages(session.state, clock.now()) == []
    assert sends(session, clock) == []
    with pytest.raises(CommandError, match=r"^announce was sent by ada at T\+00:00: it is not due"):
        session.run(lambda s: decline(s, "announce", "posted", actor="ada", clock=clock))


def test_decline_needs_a_reason_and_settles_the_moment(clock: ManualClock) -> None:
    session = declare(runbook_with(rule("paging", f"step:{GATE}")), clock)
    with pytest.raises(CommandError, match="no 'paging' message is due"):
        session.run(lambda s: decline(s, "paging", "no", actor="ada", clock=clock))
    decide(session, clock)
    with pytest.raises(CommandError, match="say why"):
        session.run(lambda s: decline(s, "paging", "  ", actor="ada", clock=clock))

    event = session.run(
        lambda s: decline(s, "paging", "team already here", actor="ada", clock=clock)
    )
    assert event.kind == Kind.COMMUNICATION_DECLINED
    (declined,) = session.state.declined
    assert (declined.template, declined.moment, declined.reason) == (
        "paging",
        f"step:{GATE}",
        "team already here",
    )
    assert due_messages(session.state, clock.now()) == []
    settled = (
        r"^paging was declined by ada at T\+00:00 \(team already here\): it is not due any more$"
    )
    with pytest.raises(CommandError, match=settled):  # from a second terminal, say
        session.run(lambda s: decline(s, "paging", "again", actor="bo", clock=clock))
    with pytest.raises(CommandError, match=settled):
        session.run(lambda s: send_due(s, "paging", actor="bo", clock=clock))


def test_confirmed_update_is_offered_a_minute_early_and_declining_it_still_counts_as_missed(
    clock: ManualClock,
) -> None:
    session = declare(runbook_with(rule("update", "update-due")), clock)
    first_due = T0 + timedelta(minutes=5)

    clock.set(first_due - timedelta(minutes=1, milliseconds=1))
    assert due_messages(session.state, clock.now()) == []
    clock.set(first_due - timedelta(minutes=1))
    (due,) = awaiting_confirmation(session.state, clock.now())
    assert due.due_at == first_due

    session.run(lambda s: decline(s, "update", "nothing new", actor="ada", clock=clock))
    assert due_messages(session.state, clock.now()) == []
    clock.set(first_due + timedelta(seconds=1))
    overdue = session.run_many(
        lambda s: commands.record_overdue_update(s, actor="ada", clock=clock)
    )
    assert [e.kind for e in overdue] == [Kind.UPDATE_OVERDUE]


def test_auto_update_goes_when_due_and_the_next_comes_a_cadence_later(clock: ManualClock) -> None:
    session = declare(runbook_with(rule("update", "update-due", "auto")), clock)
    first_due = T0 + timedelta(minutes=5)

    clock.set(first_due - timedelta(milliseconds=1))
    assert sends(session, clock) == []
    clock.set(first_due)
    assert sends(session, clock) == [Kind.COMMUNICATION_SENT]
    assert session.state.communications[-1].text.startswith("Update on Checkout errors at")

    clock.set(first_due + timedelta(minutes=19, seconds=59))
    assert sends(session, clock) == []
    clock.set(first_due + timedelta(minutes=20))
    assert sends(session, clock) == [Kind.COMMUNICATION_SENT]
    assert commands.record_overdue_update(session.state, actor="ada", clock=clock) == []


def test_phase_moment_comes_when_every_required_step_of_the_phase_is_settled(
    clock: ManualClock,
) -> None:
    session = declare(runbook_with(rule("resolved", "phase:verify")), clock)
    verify_steps = [r.step.id for r in session.state.phase_steps("verify")]
    assert verify_steps == ["confirm-version", "check-health", "smoke-test"]

    for step_id in verify_steps[:-1]:
        clock.advance(60)
        session.run(
            lambda s, step_id=step_id: commands.skip_step(
                s, step_id, reason="checked by hand", actor="ada", clock=clock
            )
        )
    assert due_messages(session.state, clock.now()) == []
    clock.advance(60)
    session.run(
        lambda s: commands.check_step(s, "smoke-test", actor="ada", clock=clock, evidence="ok")
    )
    (due,) = due_messages(session.state, clock.now())
    assert (due.template, due.due_at) == ("resolved", clock.now())


def test_a_phase_skipped_whole_brings_no_moment(clock: ManualClock) -> None:
    """Skipping every Verification step made "Resolved: service is restored" due while
    `status` said the phase was SKIPPED, no step checked (a review)."""
    session = declare(runbook_with(rule("resolved", "phase:verify")), clock)
    for record in session.state.phase_steps("verify"):
        clock.advance(60)
        session.run(
            lambda s, step_id=record.step.id: commands.skip_step(
                s, step_id, reason="no time", actor="ada", clock=clock
            )
        )
    assert due_messages(session.state, clock.now()) == []
    clock.advance(60)  # one step reopened and checked after all: now it is done
    session.run(
        lambda s: commands.reopen_step(s, "smoke-test", reason="ran it", actor="ada", clock=clock)
    )
    session.run(
        lambda s: commands.check_step(s, "smoke-test", actor="ada", clock=clock, evidence="ok")
    )
    (due,) = due_messages(session.state, clock.now())
    assert (due.template, due.due_at) == ("resolved", clock.now())


def test_nothing_is_due_once_the_incident_is_closed(clock: ManualClock) -> None:
    session = declare(runbook_with(rule("initiating", "declared", "auto")), clock)
    session.run(
        lambda s: commands.close(s, actor="ada", clock=clock, force=True, reason="false alarm")
    )
    assert due_messages(session.state, clock.now()) == []


def test_two_terminals_sending_at_once_record_the_auto_message_once(tmp_path: Path) -> None:
    clock = ManualClock(T0)
    path = tmp_path / "incident.db"
    first_log, second_log = SqliteEventLog.open(path), SqliteEventLog.open(path)
    first = declare(runbook_with(rule("initiating", "declared", "auto")), clock, first_log)
    second = IncidentSession(second_log, "INC-1", clock)
    try:
        # The second terminal decides on a state that has not seen the first's send.
        assert sends(first, clock) == [Kind.COMMUNICATION_SENT, Kind.STEP_CHECKED]
        assert sends(second, clock) == []
        assert len(second.state.communications) == 1
        assert second_log.verify("INC-1").ok
    finally:
        first_log.close()
        second_log.close()


def test_every_recorded_message_with_targets_is_handed_to_the_outbox_once(
    clock: ManualClock,
) -> None:
    session = declare(runbook_with(rule("initiating", None, to=("team",))), clock)
    session.run(
        lambda s: commands.send_communication(s, actor="cli", clock=clock, template="initiating")
    )
    session.run(lambda s: commands.send_communication(s, actor="cli", clock=clock, text="free"))
    (waiting,) = unqueued(session.state)
    assert (waiting.key, waiting.target) == ("INC-1:2:team", "team")

    session.run_many(lambda s: queued(s, [waiting], actor="lastgood", clock=clock))
    assert unqueued(session.state) == []
    assert session.state.deliveries[waiting.key].status == "pending"


def test_only_a_failed_delivery_can_be_requeued(clock: ManualClock) -> None:
    session = declare(runbook_with(rule("initiating", None, to=("team",))), clock)
    session.run(
        lambda s: commands.send_communication(s, actor="cli", clock=clock, template="initiating")
    )
    (waiting,) = unqueued(session.state)
    key = waiting.key
    session.run_many(lambda s: queued(s, [waiting], actor="lastgood", clock=clock))
    with pytest.raises(CommandError, match="is pending, not failed"):
        session.run_many(lambda s: requeued(s, key, actor="ada", clock=clock))
    with pytest.raises(CommandError, match="no message with key"):
        session.run_many(lambda s: requeued(s, "nope", actor="ada", clock=clock))

    outcome = {"key": key, "target": "team", "attempts": 8, "error": "refused", "final": True}
    session.run_many(
        lambda s: delivery_outcome(s, delivered=False, actor="lastgood", clock=clock, **outcome)
    )
    assert session.state.deliveries[key].status == "failed"
    session.run_many(lambda s: requeued(s, key, actor="ada", clock=clock))
    assert (session.state.deliveries[key].status, session.state.deliveries[key].attempts) == (
        "pending",
        0,
    )
    delivered = session.run_many(
        lambda s: delivery_outcome(
            s,
            key=key,
            target="team",
            delivered=True,
            attempts=1,
            error="",
            final=True,
            actor="lastgood",
            clock=clock,
        )
    )
    assert [e.kind for e in delivered] == [Kind.NOTIFICATION_DELIVERED]


def test_a_communication_step_dealt_with_by_hand_settles_its_message(clock: ManualClock) -> None:
    session = declare(runbook_with(rule("paging", f"step:{GATE}")), clock)
    decide(session, clock)
    assert [m.template for m in due_messages(session.state, clock.now())] == ["paging"]
    session.run(
        lambda s: commands.check_step(s, "assemble-team", actor="ada", clock=clock, note="phoned")
    )
    assert due_messages(session.state, clock.now()) == []
