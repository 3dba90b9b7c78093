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

MEETING_HINT = "with a timezone, not in the past"
"""What the At field asks for before its example (the parameter's help, shorter)."""


def impact_start_placeholder(now: datetime) -> str:
    """The declare form's Started at: an hour before `now`."""
    return f"e.g. {impact_start_example(now)}"


def placeholders_for(verb: Verb, now: datetime) -> dict[str, str]:
    """The generic form's placeholders that differ from a parameter's help: the
    meeting's start, and a date's format, each with an example from `now` (an action
    item's Due said only "by when", and its format came after a refusal)."""
    hints = {
        param.name: f"{param.help}, e.g. {due_date_example(now)}"
        for param in verb.params
        if param.kind is Kind.DATE
    }
    if verb.name == "schedule-postmortem":
        hints["at"] = f"{MEETING_HINT}, e.g. {meeting_example(now)}"
    return hints
