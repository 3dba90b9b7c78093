"""The database tier: chosen with a reason, and the database step it settles.

The guide's tiers run from the best case (no database rollback) to the last resort
(restore the pre-deployment backup). Choosing one is a decision recorded with its
reason; what it leaves to do decides whether the step is done by the choice. One rule
for every face: `lastgood db-tier`, the TUI's tiers from the step and from `b`.
"""

from __future__ import annotations

from incident import commands
from incident.app.next_key import CARRIED_OUT, RUN_TIER_COMMAND
from incident.app.outcome import Done
from incident.app.session import Session
from incident.core.gates import decision_recorded
from incident.core.state import IncidentState, StepStatus
from incident.core.text import visible
from runbooks.model import DataLoss, StepKind


def settled(state: IncidentState) -> str | None:
    """Who settled the database step (done), when and why (`Ada chose tier none at
    T+01:27 (expand-contract)`), if it is: what `b` says on the screen where it opened
    the tier picker and the choice was then refused. None while it is open."""
    from incident.commands.steps import tier_settled_by

    record = next(
        (r for r in state.steps.values() if r.step.kind == StepKind.DATABASE and r.done), None
    )
    return None if record is None else tier_settled_by(state, record)


def tier_warning(state: IncidentState, tier: str) -> str | None:
    """What to ask before choosing `tier`: a tier that may lose data, chosen before
    the decision to roll back is recorded. None when nothing needs asking.

    The TUI asks; the use case itself records the choice either way, as the CLI's
    `db-tier` always has (a pipeline that chose it knows what it did), and says so
    after it (`choose_tier`)."""
    risk = _data_loss_before_decision(state, tier)
    return None if risk is None else f"{risk[0].upper()}{risk[1:]}. Choose it anyway?"


def _data_loss_before_decision(state: IncidentState, tier: str) -> str | None:
    chosen = state.runbook.database_tier(tier)
    if chosen is None or chosen.data_loss == DataLoss.NONE or decision_recorded(state):
        return None
    return (
        f"the rollback decision is not recorded yet, and '{visible(chosen.title)}' "
        f"{'will' if chosen.data_loss == DataLoss.CERTAIN else 'may'} lose data"
    )


def choose_tier(session: Session, actor: str, tier: str, *, reason: str) -> Done:
    """Record the tier, and settle the database steps still open by it (`_settle`). A
    tier that may lose data, chosen before the decision, is said in a note (the CLI
    records it unasked, and its user reads no dialog).

    `db-tier none` once left the step open and said "check it once the tier is carried
    out", where there was nothing to carry out, while the same choice in the TUI checked
    it (a fresh user's review): both faces settle the step by one rule."""
    chosen = _choose_tier(session, actor, tier, reason=reason)
    state = session.state
    still_open = [
        r.step.id
        for r in state.steps.values()
        if r.step.kind == StepKind.DATABASE and state.status_of(r.step.id) is StepStatus.OPEN
    ]
    return _settle(session, actor, tier, chosen, still_open)


def settle_database(session: Session, actor: str, step: str, tier: str, *, reason: str) -> Done:
    """Choose the database tier from its step, which it settles (`_settle`). A tier
    awaiting approval leaves the step blocked until it is approved."""
    chosen = _choose_tier(session, actor, tier, reason=reason)
    if session.state.status_of(step) is not StepStatus.OPEN:
        return chosen
    return _settle(session, actor, tier, chosen, [step])


def _choose_tier(session: Session, actor: str, tier: str, *, reason: str) -> Done:
    clock = session.clock
    risk = _data_loss_before_decision(session.state, tier)
    events = session.run_many(
        lambda s: [commands.choose_database_tier(s, tier, reason=reason, actor=actor, clock=clock)]
    )
    return Done(events, f"database tier: {tier}", [f"warning: {risk}"] if risk else [])


def _settle(session: Session, actor: str, tier: str, chosen: Done, steps: list[str]) -> Done:
    """Check the database `steps` when the tier is nothing to do: the guide's best case,
    no database rollback (a tier that loses no data), is the choice and its reason
    alone. A tier that is work to do (down migrations, a restore) leaves them open until
    it is done, said so: checked at once, the record said the database was rolled back
    when nothing had run. A tier with a command is work to do whatever it loses: the
    step runs it (`incident.commands.command_text.as_run`)."""
    if not steps:
        return chosen
    carried = session.state.runbook.database_tier(tier)
    if carried is None or carried.data_loss is not DataLoss.NONE or carried.command:
        left_to = RUN_TIER_COMMAND if carried is not None and carried.command else CARRIED_OUT
        left = [f"{step} left open: {left_to}" for step in steps]
        return Done(chosen.events, chosen.said, [*chosen.notes, *left])
    clock = session.clock
    checked = session.run_many(
        lambda s: [
            commands.check_step(s, step, actor=actor, clock=clock, note=f"tier: {tier}")
            for step in steps
        ]
    )
    said = f"{chosen.said}; {', '.join(steps)} checked"
    return Done([*chosen.events, *checked], said, chosen.notes)
