"""A declined stakeholder update moves the cadence on from its due time.

The guide asks to keep stakeholders informed with regular updates: declining one
round (`lastgood decline ID update --reason`, or the due dialog) settles that round,
and the next is due `every_min` after the declined one's due time. `next_update_due`
kept returning the declined due time, so the next round was never offered nor its
miss recorded, while the report's cadence expected it at due + every_min. Every face
counts by the same rounds (`incident.core.update_rounds`): status and the TUI's
"Next update" (`next_update_due`), the offered message (`due_messages`), the monitor's
record (`record_overdue_update`) and the report's cadence (`updates_due`).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from incident import commands
from incident.app.session import IncidentSession
from incident.comms.due import due_messages
from incident.core.clock import ManualClock
from incident.core.events import NewEvent
from incident.core.payloads import UpdateOverdue
from incident.core.phase_clocks import next_update_due
from incident.core.state import IncidentState
from incident.reports.cadence import updates_due
from tests.cli_helpers import Cli, declare
from tests.cli_status import status
from tests.conftest import T0
from tests.drill_walk import ACTOR, Command, at, drill_session, send


def _decline(reason: str) -> Command:
    return lambda s, c: commands.decline(s, "update", reason, actor=ACTOR, clock=c)


def _overdue(state: IncidentState, clock: ManualClock) -> list[NewEvent]:
    return commands.record_overdue_update(state, actor="lastgood", clock=clock)


def _missed(session: IncidentSession) -> list[UpdateOverdue]:
    """The misses recorded, in order (each once: the log holds every event)."""
    events = session.log.events(session.state.id)
    return [e.data for e in events if isinstance(e.data, UpdateOverdue)]


def test_the_next_update_is_due_every_min_after_the_declined_one(clock: ManualClock) -> None:
    session = drill_session(clock)
    at(session, clock, 3, send("initiating"))  # the next update due at T+23
    assert next_update_due(session.state) == T0 + timedelta(minutes=23)
    at(session, clock, 22.5, _decline("nothing new yet"))
    assert next_update_due(session.state) == T0 + timedelta(minutes=43)
    # the declined round is still recorded as not sent by its due time, once
    at(session, clock, 23 + 5 / 60, _overdue)
    assert [d.due_at for d in _missed(session)] == [T0 + timedelta(minutes=23)]

    # the report's cadence counts the same next round, unanswered once it is past
    clock.set(T0 + timedelta(minutes=44))
    rounds = updates_due(session.state, clock.now())
    assert [(u.due, u.sent, u.declined is not None) for u in rounds] == [
        (T0 + timedelta(minutes=5), T0 + timedelta(minutes=3), False),
        (T0 + timedelta(minutes=23), None, True),
        (T0 + timedelta(minutes=43), None, False),
    ]
    # the update is offered again, for that round
    (offered,) = [m for m in due_messages(session.state, clock.now()) if m.template == "update"]
    assert offered.due_at == T0 + timedelta(minutes=43)
    # and its miss is recorded, once, as a 20-minute round
    at(session, clock, 44, _overdue)
    at(session, clock, 45, _overdue)
    assert [(d.due_at, d.first, d.cadence_min) for d in _missed(session)] == [
        (T0 + timedelta(minutes=23), False, 20),
        (T0 + timedelta(minutes=43), False, 20),
    ]


def test_a_declined_first_update_moves_the_next_from_its_due_time(clock: ManualClock) -> None:
    """The first update (due T+5) declined at T+4:30: the next is due at T+25, a
    20-minute round, not the first update again."""
    session = drill_session(clock)
    at(session, clock, 4.5, _decline("posted in the channel by hand"))
    assert next_update_due(session.state) == T0 + timedelta(minutes=25)
    at(session, clock, 26, _overdue)
    assert [(d.due_at, d.first, d.cadence_min) for d in _missed(session)] == [
        (T0 + timedelta(minutes=5), True, 5),
        (T0 + timedelta(minutes=25), False, 20),
    ]
    # a message then answers the round due at T+25, late, as every face says
    at(session, clock, 27, send("update"))
    rounds = updates_due(session.state, clock.now())
    assert [u.late_by for u in rounds] == [None, timedelta(minutes=2)]
    assert next_update_due(session.state) == T0 + timedelta(minutes=47)


RUNBOOK = """\
runbook: decline-cadence
title: Decline cadence
cadence: {first_update_min: 1, every_min: 20}
templates:
  update: "Update on {title}."
notify:
  send:
    update: {on: update-due}
phases:
  - id: decide
    title: Decide
    window: [0, 5]
    steps:
      - {id: decide, title: Decide to roll back, kind: approval, approver: incident-commander}
"""


def test_status_moves_the_next_update_on_after_a_decline(tmp_path: Path) -> None:
    """`lastgood decline ID update --reason` as a user runs it (the first update is
    due a minute after the declaration, so offered at once): `status` then says the
    next is due 20 minutes after the declined one, and nothing is due now."""
    runbook = tmp_path / "runbook.yaml"
    runbook.write_text(RUNBOOK, encoding="utf-8")
    cli = Cli(tmp_path / "incidents.db")
    incident_id = declare(cli, "--runbook", str(runbook))
    first = status(cli, incident_id)["next_update_due"]
    cli.ok("decline", incident_id, "update", "--reason", "nothing new yet")
    after = status(cli, incident_id)["next_update_due"]
    moved = _parsed(after) - _parsed(first)
    assert moved == timedelta(minutes=20), (first, after)
    again = cli.run("decline", incident_id, "update", "--reason", "again")
    assert again.code != 0
    assert "no 'update' message is due" in again.err


def _parsed(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))
