"""What the report's Summary says happened, as facts: each step of the response and
when, for the Markdown summary (in T+) and the words for stakeholders (in clock
times) alike, so the two never tell a different story.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from msgspec import Struct

from incident.core.state import IncidentState
from incident.core.verification import verification
from incident.reports.analysis import resolution
from incident.reports.milestones import Milestone

SUMMARY_STEPS = (
    ("rollback_decision", "the rollback was decided at"),
    ("app_rolled_back", "the application was rolled back at"),
    ("service_verified", "service was verified at"),
)
"""The key moments the summary tells, in its words."""


class SummaryStep(Struct, frozen=True):
    """One step of the response the summary tells: `words` then its moment; a
    verification whose steps were skipped has no moment and names them."""

    words: str
    at: datetime | None
    skipped: tuple[str, ...] = ()


def summary_steps(state: IncidentState, moment: Callable[[str], Milestone]) -> list[SummaryStep]:
    """The decision, the rollback, the verification (or what was skipped of it) and
    the resolution, those that happened, in that order."""
    steps: list[SummaryStep] = []
    for key, words in SUMMARY_STEPS:
        at = moment(key).at
        if at is not None:
            steps.append(SummaryStep(words, at))
        elif key == "service_verified" and (skipped := verification(state).skipped):
            # a skipped step verified nothing: said, not left out (ux_review7 F2)
            steps.append(SummaryStep("the service was not verified", None, tuple(skipped)))
    resolved = resolution(state)
    if resolved is not None:
        steps.append(SummaryStep("the incident was resolved at", resolved))
    return steps
