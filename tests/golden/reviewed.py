"""A reviewed post-mortem: the record every part of the report's shape has something to say
about.

The release went out 20 minutes before the declaration (the impact start given at
declaring); the rollback was approved as "error-rate trigger met" before any trigger
was, by Bo, who was not the incident commander (as a release before the role rule
recorded it); a command step ran `curl` on a URL; a paging message went to a webhook that
failed twice before delivering; the record was closed by force; then contributing
factors, action items with priority, type, ticket and one done, and the report marked
reviewed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from functools import cache

from incident import commands
from incident.app.command_runs import record_command_result
from incident.app.session import IncidentSession
from incident.commands import Declaration
from incident.comms.notifications import delivery_outcome, queued
from incident.comms.routing import OutboxMessage, message_key
from incident.core.clock import ManualClock
from incident.core.events import NewEvent
from incident.core.state import IncidentState
from tests.golden.incidents import Record, older_approval
from tests.memory_log import MemoryLog
from tui.demo.scenarios import SCENARIO_T0, bundled_runbook

RELEASED_AT = SCENARIO_T0 - timedelta(minutes=20)
WEBHOOK = "team-webhook"


@cache
def reviewed_record() -> Record:
    clock = ManualClock(SCENARIO_T0)
    details = Declaration(
        title="Checkout errors after 2.4.1",
        severity="SEV2",
        commander="Ada Lovelace",
        issue="checkout failing for 12% of requests",
        eta_min=30,
        pattern="blue-green",
        channel="#inc-checkout",
        from_version="2.4.1",
        last_good_version="2.4.0",
        started_at=RELEASED_AT,
    )
    declared = commands.declare(
        bundled_runbook(), details, actor="ada", clock=clock, incident_id="INC-REVIEWED"
    )
    log = MemoryLog()
    session = IncidentSession.declare(log, declared, clock)

    def run(command: Callable[[IncidentState], NewEvent], after_s: float = 30) -> None:
        clock.advance(after_s)
        session.run(command)

    def run_many(command: Callable[[IncidentState], list[NewEvent]], after_s: float = 0) -> None:
        clock.advance(after_s)
        session.run_many(command)

    run(lambda s: commands.assign_role(s, "comms-lead", "Cy", actor="ada", clock=clock))
    run(
        lambda s: older_approval(
            s,
            "decide-rollback",
            by="Bo",
            reason="error-rate trigger met",
            actor="ada",
            clock=clock,
        )
    )
    run(lambda s: commands.check_step(s, "decide-rollback", actor="ada", clock=clock))
    run(
        lambda s: commands.send_communication(
            s, actor="ada", clock=clock, template="paging", channel="#inc-checkout"
        )
    )
    paging = session.state.communications[-1]
    key = message_key(session.state.id, paging.seq, WEBHOOK)
    message = OutboxMessage(key, session.state.id, WEBHOOK, paging.text, paging.at)
    run_many(lambda s: queued(s, [message], actor="lastgood", clock=clock))
    run_many(
        lambda s: delivery_outcome(
            s,
            key=key,
            target=WEBHOOK,
            delivered=True,
            attempts=3,
            error="",
            final=True,
            actor="lastgood",
            clock=clock,
        ),
        20,
    )
    run(
        lambda s: commands.mark_trigger(
            s, "core-broken", True, actor="bo", clock=clock, note="checkout returns 500"
        ),
        60,
    )
    clock.advance(60)
    record_command_result(
        session,
        "ada",
        "record-running-version",
        command="curl -fsS http://127.0.0.1:8080/version",
        exit_code=0,
        output='{"version": "2.4.1"}',
    )
    run(
        lambda s: commands.check_step(
            s, "app-rollback-blue-green", actor="ada", clock=clock, note="LB back on blue"
        ),
        240,
    )
    run(
        lambda s: commands.mark_trigger(
            s, "core-broken", False, actor="bo", clock=clock, note="checkout OK"
        ),
        120,
    )
    run(
        lambda s: commands.send_communication(s, actor="ada", clock=clock, template="resolved"),
        300,
    )
    run(
        lambda s: commands.close(
            s, actor="ada", clock=clock, force=True, reason="the rest was done by hand"
        ),
        600,
    )
    run(
        lambda s: commands.note_rca(
            s, "2.4.1 retried payment-gateway 502s without backoff.", actor="ada", clock=clock
        ),
        3600,
    )
    run(
        lambda s: commands.note_contributing_factor(
            s, "The canary stage was skipped for 2.4.1.", actor="ada", clock=clock
        )
    )
    run(
        lambda s: commands.note_contributing_factor(
            s, "No alert on the retry rate.", actor="bo", clock=clock
        )
    )
    run(
        lambda s: commands.add_action_item(
            s,
            "Restore the canary stage for checkout releases",
            owner="Bo",
            due=date(2026, 12, 4),
            priority="P1",
            type="prevent",
            ticket="https://tracker.example/CHK-12",
            actor="ada",
            clock=clock,
        )
    )
    run(
        lambda s: commands.add_action_item(
            s,
            "Alert on payment-gateway retry rate",
            owner="Cy",
            priority="P2",
            type="detect",
            actor="ada",
            clock=clock,
        )
    )
    run(lambda s: commands.mark_action_done(s, 1, note="canary back", actor="bo", clock=clock))
    run(
        lambda s: commands.set_report_status(
            s, actor="ada", clock=clock, owner="Ada Lovelace", reviewers=["Bo", "Di"]
        )
    )
    run(lambda s: commands.set_report_status(s, actor="ada", clock=clock, status="reviewed"))
    return Record(session.state, log.events("INC-REVIEWED"), clock.now())
