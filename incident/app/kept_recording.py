"""Recording what a screen kept (`incident.app.kept`), once the record takes writes.

Each intent goes through its verb's own use case, deciding on the record as it is
then, each event saying when it was typed (`written_at`); the record holding it
already (a screen killed between recording and forgetting), nothing is recorded; no
longer valid (a step checked meanwhile, a decision already made), what was typed is
recorded as a note saying so.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import datetime

import msgspec

from incident import commands
from incident.app.kept import KeptIntent
from incident.app.outcome import Done
from incident.app.session import Session
from incident.core.chain import ChainReport
from incident.core.clock import Clock
from incident.core.errors import CommandError
from incident.core.events import Event, NewEvent, truncate_to_millis
from incident.core.payloads import (
    ApprovalGranted,
    CommunicationSent,
    DatabaseTierChosen,
    NoteAdded,
    StepChecked,
    StepSkipped,
)
from incident.core.phase_clocks import t_plus
from incident.core.state import IncidentState


def record_kept(session: Session, intent: KeptIntent, *, as_note_if_refused: bool = True) -> Done:
    """Record `intent` through its verb's use case, as typed then (each event's
    `written_at`), unless the record holds it already. Refused as no longer valid (a
    step checked meanwhile, a decision already made): what was typed is recorded as a
    note saying so, unless `as_note_if_refused` is False (its dialog is open to say
    why), or it is a note itself (the refusal is raised)."""
    written_at = truncate_to_millis(intent.written_at)
    session.refresh()
    when = t_plus(session.state, written_at)
    what = intent.what()
    if recorded_already(session.state, intent):
        return Done([], f"{what} written at {when} was recorded already")
    try:
        done = _run(_Late(session, intent), intent)
    except CommandError as refused:
        if not as_note_if_refused or intent.verb == "note":
            raise
        return _as_note(session, intent, str(refused))
    if not done.events:
        return Done([], f"{what} written at {when} was recorded already")
    return Done(done.events, f"recorded {what} written at {when}", done.notes, done.warnings)


def _run(session: Session, intent: KeptIntent) -> Done:
    """The intent's use case, as its dialog calls it."""
    from incident.app.verbs import BY_NAME, run

    values: dict[str, object] = dict(intent.values)
    step = values.pop("step", None) if intent.verb == "db-tier" else None
    if isinstance(step, str):  # chosen from the database step, which it settles
        from incident.app.database_tiers import settle_database

        tier, reason = str(values["tier"]), str(values.get("reason", ""))
        return settle_database(session, intent.actor, step, tier, reason=reason)
    return run(BY_NAME[intent.verb], session, intent.actor, values)


def _as_note(session: Session, intent: KeptIntent, why: str) -> Done:
    """What was typed for `intent`, no longer valid (`why`), as a note written then."""
    written_at = truncate_to_millis(intent.written_at)
    clock = session.clock
    what = intent.what()
    text = f"{what[:1].upper()}{what[1:]}, not recorded: {why}. {intent.typed()}".strip()

    def noted(state: IncidentState) -> list[NewEvent]:
        if recorded_already(state, intent):
            return []
        note = commands.add_note(
            state, text, actor=intent.actor, clock=clock, written_at=written_at
        )
        return [note]

    events = session.run_many(noted)
    when = t_plus(session.state, written_at)
    if not events:
        return Done(events, f"{what} written at {when} was recorded already")
    return Done(events, f"{what} written at {when} is kept as a note: {why}")


class _Late:
    """`session`, each event it records saying when its intent was typed (`written_at`);
    its first append records nothing if the record holds the intent already."""

    def __init__(self, session: Session, intent: KeptIntent) -> None:
        self._session = session
        self._intent = intent
        self._written_at = truncate_to_millis(intent.written_at)
        self._first = True

    @property
    def state(self) -> IncidentState:
        return self._session.state

    @property
    def clock(self) -> Clock:
        return self._session.clock

    @property
    def damage(self) -> ChainReport | None:
        return self._session.damage

    def refresh(self) -> list[Event]:
        return self._session.refresh()

    def run(self, command: Callable[[IncidentState], NewEvent]) -> Event:
        return self._session.run(lambda state: self._stamp(command(state)))

    def run_many(self, command: Callable[[IncidentState], Sequence[NewEvent]]) -> list[Event]:
        first, self._first = self._first, False

        def stamped(state: IncidentState) -> list[NewEvent]:
            if first and recorded_already(state, self._intent):
                return []
            return [self._stamp(event) for event in command(state)]

        return self._session.run_many(stamped)

    def _stamp(self, event: NewEvent) -> NewEvent:
        data = event.data
        if not isinstance(data, _TYPED) or data.written_at is not None:
            return event
        if isinstance(data, CommunicationSent) and data.auto:
            return event  # sent by lastgood, when recorded
        stamped = msgspec.structs.replace(data, written_at=self._written_at)
        return msgspec.structs.replace(event, data=stamped)


_TYPED = (
    StepChecked,
    StepSkipped,
    ApprovalGranted,
    DatabaseTierChosen,
    NoteAdded,
    CommunicationSent,
)
"""What a person types and the record says when it was typed (`written_at`), if late."""


def recorded_already(state: IncidentState, intent: KeptIntent) -> bool:
    """Whether the record holds `intent`: something recorded late, written at its time
    (to the millisecond), by its author (or, a note made of it, in their name)."""
    return truncate_to_millis(intent.written_at) in set(_written_late(state))


def _written_late(state: IncidentState) -> Iterator[datetime]:
    """When each thing the state folds with its time as typed was written: a note,
    step, approval and tier choice take `written_at` as their time."""
    yield from (n.at for n in state.notes if n.recorded_at)
    yield from (r.at for r in state.steps.values() if r.at is not None)
    yield from (c.at for c in state.step_changes)
    yield from (a.at for a in state.approvals.values())
    if state.tier_choice is not None:
        yield state.tier_choice.at
    yield from (c.written_at for c in state.communications if c.written_at is not None)
