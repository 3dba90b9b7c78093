"""`status` fitted to the terminal it is printed on: its width and its rows.

On a phone over SSH (46x22) `status` was 52 screen lines: the summary (production,
readings, triggers, the next update, the messages due) is at the top, so it scrolled
off, and the 22 rows left showed the checklists of phases long finished. When the
wrapped lines fit in the rows, the screen is the piped text wrapped at words (by
`incident.core.wrapping.wrapped`, as `brief` wraps). When they do not, two changes,
both, because neither alone keeps the summary in view:

- The summary goes last, under the phases, the id and T+ line above it: a terminal
  scrolls its top away, so what must stay on screen is what is printed last. The
  phases keep their order (a checklist read out of order misleads more than one read
  scrolled).
- A finished phase's checked steps fold into its heading, one line
  (`✓ Decision and Communication: 5 of 5 done, T+02:00-T+06:10`): what was done
  there is history the timeline keeps. A skipped step or one still open (an optional
  step, in a phase finished without it) is never folded: each stays on its line
  under the heading, with its reason. Open phases are shown whole; nothing is left
  out, so no line says so.

The pinned notes (the newest two, as `brief` shows them) go between the phases and
the id line, each wrapped to at most two rows and cut at a word there (`brief` and
`status --json` have them whole): the commander's word ("no customer comms until
03:30") outranks the checklists, which scroll off above it, and gives way to the
summary and the id line, which a phone keeps below it. One row is too few (at 46
columns `Pinned T+06:24 by Eve Engineer: ` leaves a dozen characters of the note);
whole, a long note would take the open phase's rows.

Even so the open phases' steps may not fit 22 rows: the top scrolls off, the
summary stays. A pipe still gets `status_text` as it always did: scripts read it.
"""

from __future__ import annotations

from datetime import datetime

from incident.core.clipping import clipped_at_words
from incident.core.phase_clocks import PhaseState, entered_at, format_duration, phase_clocks, t_plus
from incident.core.state import IncidentState, StepStatus
from incident.core.text import visible
from incident.core.verification import skipped_in_phase
from incident.core.wrapping import wrapped
from incident.health.poll_mark import Marker
from incident.reports.status import PhaseBlock, status_parts, status_text

PINNED_ROWS = 2
"""The rows a pinned note keeps on a screen too short for `status`."""


def status_screen(
    state: IncidentState, now: datetime, width: int, rows: int, marked: Marker | None = None
) -> list[str]:
    """`status` in lines of at most `width` characters; placed as the module says when
    its wrapped lines are more than `rows`; `marked` says who polls (`Marker`)."""
    whole = _rows(status_text(state, now, marked).split("\n"), width)
    if len(whole) <= rows:
        return whole
    parts = status_parts(state, now, marked)
    lines: list[str] = []
    for index, block in enumerate(parts.phases):
        lines += [*([""] if lines else []), *_folded(state, block, index, now)]
    pinned = [row for line in parts.pinned for row in _cut_to_rows(visible(line), width)]
    lines += ["", *pinned, *parts.head, *parts.summary]
    return _rows([visible(line) for line in lines], width)


def _folded(state: IncidentState, block: PhaseBlock, index: int, now: datetime) -> list[str]:
    """`block`'s lines, a finished phase's heading one line and its checked steps folded
    into it; every other step's lines as they are."""
    clock = block.clock
    if not clock.state.finished:
        return [block.heading, *(line for _, said in block.steps for line in said)]
    kept = [line for status, said in block.steps if status != StepStatus.DONE for line in said]
    title = clock.phase.title
    if clock.state is PhaseState.SKIPPED:
        return [f"– {title}: skipped, no step checked", *kept]
    said = f"✓ {title}: {clock.checked} of {clock.steps} done"
    moments = [clock.started_at, entered_at(state, phase_clocks(state, now), index)]
    began = min((moment for moment in moments if moment is not None), default=None)
    if began is not None and clock.finished_at is not None:
        said += f", {t_plus(state, began)}–{t_plus(state, clock.finished_at)}"
    if clock.overdue_by is not None:
        said += f", {format_duration(clock.overdue_by)} late"
    if skipped := skipped_in_phase(state, clock.phase.id):
        said += f"; not verified: {', '.join(skipped)} skipped"
    return [said, *kept]


def _cut_to_rows(shown: str, width: int, rows: int = PINNED_ROWS) -> list[str]:
    """`shown` wrapped to `width` in at most `rows` rows, cut at a word to fit."""
    room = rows * width
    while len(said := wrapped(cut := clipped_at_words(shown, room), width)) > rows:
        room = len(cut) - 1
    return said


def _rows(lines: list[str], width: int) -> list[str]:
    return [row for line in lines for row in wrapped(line, width)]
