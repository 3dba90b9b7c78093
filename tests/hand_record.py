"""The incident ux_review16 ran by hand, as the facilitator got it the morning after.

Declared 12 minutes after the impact started (T+12:00), the health probe answering 503
from T+12:01 until the rollback: `health-failing` met at T+12:11 and cleared at T+17:26.
At T+12:10 someone marked `core-broken` met and cleared it a moment later as a false
alarm. The first stakeholder update came due at T+17:00 and its miss was recorded; the
announcement went at T+17:17, 17 s late. After the decision the `initiating` message
was declined and its step skipped; the smoke test was skipped, and the `resolved`
message sent with it skipped (`send` warned). Each use case as a face calls it, so
what `send` said at the time is kept (`told`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from incident import commands
from incident.app import messages, steps
from incident.app.health import record_samples
from incident.app.lifecycle import declare
from incident.commands import Declaration
from incident.core.clock import ManualClock
from incident.core.events import Event
from incident.core.samples import Outcome, Sample
from incident.core.state import IncidentState
from tests.memory_log import MemoryLog
from tui.demo.scenarios import SCENARIO_T0, bundled_runbook

HAND_ID = "INC-HAND"
DANA = "Dana Oncall"


@dataclass(frozen=True)
class HandRecord:
    state: IncidentState
    events: list[Event]
    now: datetime
    told: dict[str, list[str]]
    """What each `send` said beside its line (`Done.notes`), by template."""


def at(offset: str) -> datetime:
    """`T+17:17` as a time: minutes and seconds after T+0."""
    minutes, seconds = offset.removeprefix("T+").split(":")
    return SCENARIO_T0 + timedelta(minutes=int(minutes), seconds=int(seconds))


@cache
def hand_record() -> HandRecord:
    clock = ManualClock(at("T+12:00"))
    details = Declaration(
        title="Payments 503s after 5.2.0",
        severity="SEV2",
        commander="Chidi Okafor",
        issue="payments answer 503",
        eta_min=20,
        pattern="blue-green",
        channel="#inc-payments",
        from_version="5.2.0",
        last_good_version="5.1.3",
        started_at=SCENARIO_T0,
    )
    log = MemoryLog()
    session = declare(log, bundled_runbook(), details, actor=DANA, clock=clock, incident_id=HAND_ID)
    told: dict[str, list[str]] = {}
    healthy = False
    next_poll = at("T+12:01")

    def until(offset: str) -> None:
        """Poll the health probe every 5 s up to `offset`, then stand there."""
        nonlocal next_poll
        target = at(offset)
        while next_poll <= target:
            clock.set(next_poll)
            status = 200 if healthy else 503
            outcome = Outcome.OK if healthy else Outcome.HTTP_STATUS
            sample = Sample("health", next_poll, outcome, 12.0, status)
            record_samples(session, [sample])
            next_poll += timedelta(seconds=5)
        clock.set(target)

    def send(offset: str, template: str) -> None:
        until(offset)
        told[template] = messages.send(session, DANA, template=template).notes

    def check(offset: str, step: str, *, note: str = "", evidence: str = "") -> None:
        until(offset)
        session.run(
            lambda s: commands.check_step(
                s, step, actor=DANA, clock=clock, note=note, evidence=evidence
            )
        )

    until("T+12:10")
    steps.mark_trigger(session, DANA, "core-broken", "met", note="checkout page blank for EU users")
    steps.mark_trigger(
        session, DANA, "core-broken", "cleared", note="false alarm: CDN cache, not the release"
    )
    check("T+12:20", "assess-severity", note="health 503 on every check")
    until("T+17:01")
    session.run_many(lambda s: commands.record_overdue_update(s, actor="monitor", clock=clock))
    until("T+17:16")
    steps.decide(session, DANA, reason="health checks failing since T+12:01", by="Chidi Okafor")
    send("T+17:17", "announce")
    send("T+17:18", "paging")
    until("T+17:19")
    messages.decline(
        session, DANA, "initiating", reason="announce already says rollback; avoid double ping"
    )
    steps.skip(
        session, DANA, "notify-stakeholders", reason="stakeholders are in #inc-payments already"
    )
    until("T+17:20")
    steps.skip(session, DANA, "record-running-version", reason="5.2.0 is in the deploy log")
    check("T+17:21", "app-rollback-blue-green", note="load balancer back on blue (5.1.3)")
    healthy = True
    until("T+17:22")
    session.run(
        lambda s: commands.choose_database_tier(
            s, "none", reason="expand-contract", actor=DANA, clock=clock
        )
    )
    check("T+17:23", "database-rollback", note="tier none: nothing to revert")
    check("T+17:30", "confirm-version", evidence="/version answers 5.1.3")
    check("T+17:35", "check-health", evidence="health 200 since T+17:26")
    until("T+17:42")
    steps.skip(
        session, DANA, "smoke-test", reason="no test card for payments in prod; will do at 09:00"
    )
    send("T+18:03", "resolved")
    for offset, step in (
        ("T+18:04", "document-incident"),
        ("T+18:05", "preliminary-rca"),
        ("T+18:06", "schedule-post-mortem"),
    ):
        check(offset, step, note="done by hand")
    until("T+18:08")
    session.run(lambda s: commands.close(s, actor=DANA, clock=clock))
    return HandRecord(session.state, log.events(HAND_ID), clock.now(), told)
