"""A Mermaid `gantt` chart of the phases as they actually ran, against their targets.

Each phase is a section with its target window, an "Entered" milestone where it
became the phase to work in (when that was not its first action), and its actual bar
(its first action to its finish, as the table's First action and Finished; named
"Skipped" for a phase whose steps were all skipped), marked `crit` when it finished
(or is still running) past its window; the key moments are milestones. Times are UTC,
to the second.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime

from incident.core.phase_clocks import PhaseState
from incident.reports.impact import PhaseResult
from incident.reports.milestones import Milestone

_UNSAFE = re.compile(r"[^\w .,()/&+'-]")


def label(text: str) -> str:
    """A task or section name Mermaid cannot mistake for syntax (no `:`, `;`, `#`...)."""
    cleaned = " ".join(_UNSAFE.sub(" ", text).split())
    return cleaned or "phase"


def _ts(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


def mermaid_gantt(
    results: Sequence[PhaseResult], moments: Sequence[Milestone], end: datetime
) -> list[str]:
    """The chart as the lines of a ```mermaid fenced block; `end` closes running bars."""
    lines = [
        "```mermaid",
        "gantt",
        "    title Phases as they ran (UTC)",
        "    dateFormat YYYY-MM-DD HH:mm:ss",
        "    axisFormat %H:%M",
        "    todayMarker off",
    ]
    for number, result in enumerate(results, 1):
        clock = result.clock
        lines.append(f"    section {label(clock.phase.title)}")
        if clock.opens_at is not None and clock.due_at is not None:
            lines.append(f"    Target :t{number}, {_ts(clock.opens_at)}, {_ts(clock.due_at)}")
        elif clock.opens_at is not None:
            lines.append(f"    Window opens :milestone, w{number}, {_ts(clock.opens_at)}, 0s")
        entered = result.entered
        if entered is not None and entered != result.first_action:
            lines.append(f"    Entered :milestone, e{number}, {_ts(entered)}, 0s")
        if clock.started_at is None:
            lines.append(f"    %% {label(clock.phase.title)}: no first action")
            continue
        finished = clock.finished_at
        tags = ["crit"] if result.on_time is False else []
        tags.append("done" if finished is not None else "active")
        stop = finished if finished is not None else max(end, clock.started_at)
        # A phase skipped whole ran no work: its bar says so rather than "Actual".
        name = "Skipped" if clock.state is PhaseState.SKIPPED else "Actual"
        lines.append(
            f"    {name} :{', '.join(tags)}, a{number}, {_ts(clock.started_at)}, {_ts(stop)}"
        )
    shown = [m for m in moments if m.at is not None and m.key not in ("impact_start", "declared")]
    if shown:
        lines.append("    section Key moments")
        for number, moment in enumerate(shown, 1):
            if moment.at is not None:
                lines.append(
                    f"    {label(moment.label)} :milestone, m{number}, {_ts(moment.at)}, 0s"
                )
    lines.append("```")
    return lines
