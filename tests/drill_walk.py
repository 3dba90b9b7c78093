"""A drill walked at injected moments, on the bundled runbook in memory: the score
card's tests build their incidents from these."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from incident import commands
from incident.app.session import IncidentSession
from incident.commands import Declaration
from incident.core.clock import ManualClock
from incident.core.samples import Outcome, Sample
from incident.core.state import IncidentState
from incident.reports.drill_score import Verdict, score_card
from runbooks import load_runbook, resolve_runbook
from tests.conftest import T0
from tests.memory_log import MemoryLog

ACTOR = "Ada"
DRILL = Declaration(
    title="Drill: checkout errors",
    severity="SEV2",
    commander=ACTOR,
    issue="checkout failing",
    eta_min=20,
    pattern="blue-green",
    from_version="2.4.1",
    last_good_version="2.4.0",
    drill="bad-release",
)


def drill_session(clock: ManualClock, details: Declaration = DRILL) -> IncidentSession:
    runbook = load_runbook(resolve_runbook("rollback"))
    event = commands.declare(runbook, details, actor=ACTOR, clock=clock, incident_id="INC-D-1")
    return IncidentSession.declare(MemoryLog(), event, clock)


Command = Callable[[IncidentState, ManualClock], Any]


def at(session: IncidentSession, clock: ManualClock, minute: float, command: Command) -> None:
    """Run `command` at T+`minute` (the clock only moves forward)."""
    clock.set(T0 + timedelta(minutes=minute))
    session.run_many(lambda s: _listed(command(s, clock)))


def _listed(made: Any) -> list[Any]:
    return list(made) if isinstance(made, list) else [made]


def check(step: str, note: str = "", seen: str = "") -> Command:
    """Check `step`; `seen` is its evidence typed by hand (the smoke test needs it)."""
    return lambda s, c: commands.check_step(s, step, actor=ACTOR, clock=c, note=note, evidence=seen)


def skip(step: str, reason: str) -> Command:
    return lambda s, c: commands.skip_step(s, step, reason=reason, actor=ACTOR, clock=c)


def send(template: str) -> Command:
    return lambda s, c: commands.send_communication(s, actor=ACTOR, clock=c, template=template)


def samples(version: str, error_rate: float, health_ms: float | None = None) -> Command:
    """A tick of the version and the error rate, and of the health check's own time
    (the drill's runbook reads it) when `health_ms` is given."""

    def made(s: IncidentState, c: ManualClock) -> Any:
        now = c.now()
        batch = [
            Sample("version", now, Outcome.OK, 5.0, 200, text=version),
            Sample("error-rate", now, Outcome.OK, 5.0, 200, value=error_rate),
        ]
        if health_ms is not None:
            batch.append(Sample("health", now, Outcome.OK, health_ms, 200, value=health_ms))
        return commands.record_samples(s, batch, actor="probes", clock=c)

    return made


def walk(
    session: IncidentSession,
    clock: ManualClock,
    *,
    tier: str = "none",
    slow: float = 1.0,
    close: bool = True,
    health_ms: float | None = None,
):
    """A whole rollback; `slow` stretches every moment after T+0 (2.0 takes twice as long).
    With `close` false it stops with every phase done and the incident still open;
    `health_ms` adds the health check's time to the samples after the rollback."""

    def t(minute: float) -> float:
        return minute * slow

    approve = lambda s, c: commands.approve(  # noqa: E731
        s, "decide-rollback", by=ACTOR, reason="error rate over 5%", actor=ACTOR, clock=c
    )
    at(session, clock, t(0.5), check("assess-severity"))
    at(session, clock, t(0.6), check("create-channel"))
    at(session, clock, t(0.7), check("assign-commander"))
    at(session, clock, t(1.0), approve)
    at(session, clock, t(1.1), check("decide-rollback"))
    for minute, template, step in (
        (1.2, "announce", "announce-rollback"),
        (1.3, "paging", "assemble-team"),
        (1.4, "initiating", "notify-stakeholders"),
    ):
        at(session, clock, t(minute), send(template))
        at(session, clock, t(minute), check(step))
    at(session, clock, t(6.0), check("app-rollback-blue-green"))
    choose = lambda s, c: commands.choose_database_tier(  # noqa: E731
        s, tier, reason="expand-contract", actor=ACTOR, clock=c
    )
    at(session, clock, t(7.0), choose)
    if tier == "restore-backup":
        at(
            session,
            clock,
            t(7.1),
            lambda s, c: commands.approve(
                s, "tier:restore-backup", by="Lee", reason="backup", actor=ACTOR, clock=c
            ),
        )
    at(session, clock, t(7.5), check("database-rollback"))
    for second in range(0, 60, 5):
        at(session, clock, t(16.0) + second / 60, samples("2.4.0", 0.004, health_ms))
    at(session, clock, t(17.0), check("confirm-version"))
    # Without a baseline, Check health's evidence is what was seen (ux_review15 #1).
    unbaselined = "error-rate" not in session.state.baselines
    seen = "5xx back to 0.4%, as before the release" if unbaselined else ""
    at(session, clock, t(17.1), check("check-health", seen=seen))
    at(session, clock, t(18.0), check("smoke-test", seen="logged in and checked out"))
    at(session, clock, t(19.0), send("resolved"))
    for minute, step in (
        (19.1, "communicate-resolution"),
        (20.0, "document-incident"),
        (21.0, "preliminary-rca"),
        (22.0, "schedule-post-mortem"),
    ):
        at(session, clock, t(minute), check(step))
    if close:
        at(session, clock, t(23.0), lambda s, c: commands.close(s, actor=ACTOR, clock=c))


def verdicts(state: IncidentState) -> dict[str, Verdict]:
    card = score_card(state, state.closed_at or T0)
    return {line.name: line.verdict for line in card.lines}
