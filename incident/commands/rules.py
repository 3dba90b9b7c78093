"""What every command shares: building the event, and the refusals about steps."""

from __future__ import annotations

from collections.abc import Collection

from incident.core.attribution import because, by_at
from incident.core.clock import Clock
from incident.core.errors import (
    CommandError as CommandError,  # re-exported: callers import it from here
)
from incident.core.events import NewEvent, truncate_to_millis
from incident.core.limits import TextRefused, check_payload_text
from incident.core.payloads import EventData
from incident.core.state import IncidentState, StepRecord


def make_event(incident_id: str, actor: str, clock: Clock, data: EventData) -> NewEvent:
    """The event recording `data` now; refused if its text cannot be recorded."""
    try:
        check_payload_text(data.to_json())
    except TextRefused as error:
        raise CommandError(str(error)) from None
    return NewEvent(
        incident_id=incident_id,
        actor=actor,
        at=truncate_to_millis(clock.now()),
        mono_ns=clock.monotonic_ns(),
        data=data,
    )


def refuse_if_closed(state: IncidentState) -> None:
    if state.is_closed:
        raise CommandError(f"incident {state.id} is closed")


def known_step(state: IncidentState, step_id: str) -> StepRecord:
    record = state.steps.get(step_id)
    if record is not None:
        return record
    step = state.runbook.step(step_id)
    if step is not None:
        raise CommandError(
            f"step '{step_id}' does not apply to the {state.pattern} deployment pattern"
        )
    raise CommandError(f"unknown step '{step_id}'{suggestion(step_id, list(state.steps))}")


def open_step(state: IncidentState, step_id: str) -> StepRecord:
    refuse_if_closed(state)
    record = known_step(state, step_id)
    if record.done:
        raise CommandError(already_done(state, record))
    if record.skipped:
        skipped = by_at(state, record.by, record.at)
        raise CommandError(
            f"step '{step_id}' was skipped{' ' + skipped if skipped else ''}"
            f"{because(record.reason)}; reopen it first"
        )
    return record


def already_done(state: IncidentState, record: StepRecord) -> str:
    """`step 'x' is already done (by Bo at T+00:28)`: who checked it and when, as far as
    the record says."""
    return f"step '{record.step.id}' is already done{when_by(state, record)}"


def when_by(state: IncidentState, record: StepRecord) -> str:
    """` (by ada at T+03:10)`: who checked a step and when, as far as the record says."""
    done = by_at(state, record.by, record.at)
    return f" ({done})" if done else ""


def suggestion(word: str, choices: Collection[str]) -> str:
    import difflib  # here: asked only when a command is refused

    close_matches = difflib.get_close_matches(word, list(choices), n=1)
    return f" (did you mean '{close_matches[0]}'?)" if close_matches else ""
