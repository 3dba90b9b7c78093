"""The phase clocks in one column: the phase being worked in, in words, and the next
update, a line each.

At a phone's 46 columns the strip's five cells were cut to a few letters each
(`▶ NOW 4m`, `· AHE… in 4m`, `14m`): the time left in the phase being worked in and
the time until the next one opens read the same (ux_review13 #11). Under
`STACKED_BELOW` columns (`-stacked`, app.tcss) these two lines take the strip's place:
`▶ Phase 2/4 Execute Rollback · 28m15s left` and `Next update at 09:22 UTC · in
10m30s`. The strip stays as it is from there up.
"""

from __future__ import annotations

from datetime import datetime

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from incident.core.phase_clocks import PhaseClock, PhaseState, at_close
from incident.core.state import IncidentState
from incident.core.text import visible
from tui.app.widgets.phase_strip import CLOSED_FORMS, STATE_WORDS, next_update, time_forms
from tui.app.widgets.phase_title import given_way

TITLE_AT_LEAST = 4
"""Cells the title keeps (a letter or three and `…`) before the time loses its seconds."""

Forms = tuple[str, str, tuple[str, ...]]
"""A phase's line in parts: what goes before its title (`▶ Phase 2/4 `), the title,
and what may follow it, longest first (` · 28m15s left`, ` · 28m left`)."""


def phase_forms(
    state: IncidentState, clocks: list[PhaseClock], current_phase_id: str | None, now: datetime
) -> tuple[Forms, str]:
    """The phase being worked in (the strip's current cell), in words, and its state
    (the class its line takes); with none left, how many phases are done."""
    count = len(clocks)
    found = next(
        ((n, c) for n, c in enumerate(clocks, start=1) if c.phase.id == current_phase_id), None
    )
    if found is None:
        done = sum(1 for c in clocks if c.state is PhaseState.DONE)
        closed = " · CLOSED" if state.is_closed else ""
        return (f"✓ {done}/{count} phases done{closed}", "", ("",)), "done"
    number, clock = found
    title = visible(clock.phase.title)
    came_to = at_close(state, clock)
    if came_to is not None:
        return (
            f"■ Phase {number}/{count} ",
            title,
            tuple(f" · CLOSED, {words}" for words in CLOSED_FORMS[came_to]),
        ), "closed"
    symbol, _, word = STATE_WORDS[clock.state].partition(" ")
    times = time_forms(clock, now)
    if clock.state is PhaseState.ACTIVE:
        tails = tuple(f" · {t}" if t else "" for t in times)
    else:
        tails = tuple(f" · {word} {t}".rstrip() for t in times)
    return (f"{symbol} Phase {number}/{count} ", title, tails), str(clock.state)


def fitted_line(forms: Forms, width: int) -> str:
    """The line in `width` cells: the title gives way in whole words first, then the
    time loses its seconds, then the title goes; the phase's number and state are kept
    as long as they fit."""
    head, title, tails = forms
    if width <= 0:
        return f"{head}{title}{tails[0]}"
    for tail in tails:
        room = width - cell_len(head) - cell_len(tail)
        if room >= min(cell_len(title), TITLE_AT_LEAST):
            return f"{head}{given_way(title, room)}{tail}"
    tail = tails[-1]
    room = width - cell_len(head) - cell_len(tail)
    if room >= 2:  # a letter and the ellipsis
        return f"{head}{given_way(title, room)}{tail}"
    return f"{head.rstrip()}{tail}"  # the title gone; the line is cut at its end


class PhaseLine(Static):
    """The phase being worked in, on one line."""

    DEFAULT_CSS = """
    PhaseLine { height: 1; text-wrap: nowrap; text-overflow: ellipsis; }
    PhaseLine.due_soon { color: $warning; }
    PhaseLine.overdue { color: $text-error; text-style: bold; }
    """

    _forms: Forms | None = None

    def show(self, forms: Forms, kind: str) -> None:
        if forms == self._forms:
            return
        self._forms = forms
        kinds = {name: name == kind for name in ("due_soon", "overdue")}
        self.update_classes(kinds, update=self.is_attached)
        self._draw()

    def _draw(self) -> None:
        if self._forms is not None:
            line = fitted_line(self._forms, self.content_size.width)
            self.update(Text(line, no_wrap=True, overflow="ellipsis"), layout=False)

    def on_resize(self) -> None:
        self._draw()


class UpdateLine(Static):
    """When the next stakeholder update is due, on one line."""

    DEFAULT_CSS = """
    UpdateLine { height: 1; text-wrap: nowrap; text-overflow: ellipsis; }
    UpdateLine.due_soon { color: $warning; }
    UpdateLine.overdue { color: $text-error; text-style: bold; }
    """

    _shown: Text | None = None

    def show(self, state: IncidentState, now: datetime) -> None:
        said = next_update(state, now)
        text = Text("Next update ", no_wrap=True, overflow="ellipsis")
        text.append(said.when, style="bold" if said.overdue else "")
        if said.then:
            text.append(f" · {said.then}")
        if text == self._shown:
            return
        self._shown = text
        kinds = {"overdue": said.overdue, "due_soon": said.due_soon}
        self.update_classes(kinds, update=self.is_attached)
        self.update(text, layout=False)


class ActivePhase(Vertical):
    """The strip's place in one column: the phase being worked in and the next update.
    Hidden from `STACKED_BELOW` columns up (app.tcss), drawn all the same, as the strip
    is under it, so either shows at once when the terminal's width changes."""

    DEFAULT_CSS = """
    ActivePhase { height: 2; padding: 0 1; background: $boost; display: none; }
    """

    def __init__(self) -> None:
        super().__init__()
        self._phase = PhaseLine()
        self._update = UpdateLine()

    def compose(self) -> ComposeResult:
        yield self._phase
        yield self._update

    def show(
        self,
        state: IncidentState,
        now: datetime,
        clocks: list[PhaseClock],
        current_phase_id: str | None,
    ) -> None:
        forms, kind = phase_forms(state, clocks, current_phase_id, now)
        self._phase.show(forms, kind)
        self._update.show(state, now)
