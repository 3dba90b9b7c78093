"""The example times the forms show in their placeholders, read off the app's clock
(`incident.app.examples`, whose examples a refused time names in both faces).

A placeholder is one row of its field: at 80x24 the booking's At field cut "start
time with a timezone (ISO 8601), not in the past, e.g." before the date it offered,
so it says the rest in fewer words, the example last and whole.
"""

from __future__ import annotations

from datetime import datetime

from incident.app.examples import due_date_example, impact_start_example, meeting_example
from incident.app.params import Kind
from incident.app.verb import Verb
from incident.core.clipping import clipped
from incident.core.state import IncidentState
from incident.core.text import visible

MEETING_HINT = "not in the past"
"""What the At field asks for before its example (the parameter's help, shorter)."""

PLACEHOLDER_CHARS = 64
"""The most a placeholder holds whole at 80x24 (the booking form's field)."""


def meeting_placeholder(now: datetime) -> str:
    """The At field's: not in the past, the zone a time typed without one is read in
    (the report's, this machine's) when it fits, and an example from `now`."""
    from incident.app.params import machine_zone
    from incident.core.timefmt import zone_name

    example = meeting_example(now)
    zone = machine_zone()
    with_zone = f"{MEETING_HINT} (no zone: {zone_name(zone)}), e.g. {example}" if zone else ""
    if with_zone and len(with_zone) <= PLACEHOLDER_CHARS:
        return with_zone
    return f"{MEETING_HINT}, e.g. {example}"


def impact_start_placeholder(now: datetime) -> str:
    """The declare form's Started at: the impact start, an hour before `now`."""
    return f"impact, e.g. {impact_start_example(now)}"


def placeholders_for(
    verb: Verb, now: datetime, state: IncidentState | None = None
) -> dict[str, str]:
    """The generic form's placeholders that differ from a parameter's help: the
    meeting's start, and a date's format, each with an example from `now` (an action
    item's Due said only "by when", and its format came after a refusal); the open
    action items' numbers, which the form covers at 80x24 (`open_action_items`)."""
    hints = {
        param.name: f"{param.help}, e.g. {due_date_example(now)}"
        for param in verb.params
        if param.kind is Kind.DATE
    }
    if verb.name == "schedule-postmortem":
        hints["at"] = meeting_placeholder(now)
    if verb.name == "action-done" and state is not None:
        hints["number"] = open_action_items(state)
    return hints


def open_action_items(state: IncidentState) -> str:
    """The numbers of the action items not done yet, each with its first words:
    `open: 1 canary the release, 3 alert on…`; `none open` when every one is done."""
    items = [item for item in state.action_items if not item.done]
    shown = [
        f"{item.number} {clipped(visible(item.text), 20).replace(' …', '…')}" for item in items
    ]
    return f"open: {', '.join(shown)}" if shown else "none open"
