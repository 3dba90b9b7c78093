"""The phase clocks: each phase's window as a countdown, plus the next update due.

State is carried by words and symbols (DUE SOON, OVERDUE, DONE, SKIPPED), with
colour only as emphasis, so it reads the same with NO_COLOR or on a monochrome terminal.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import NamedTuple

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from incident.core.phase_clocks import (
    AtClose,
    PhaseClock,
    PhaseState,
    at_close,
    countdown_to,
    done_early,
    format_countdown,
    format_duration,
    late_by,
    next_update_due,
    resolved_at,
)
from incident.core.phase_windows import PlacedWindow
from incident.core.state import IncidentState
from incident.core.text import visible
from incident.core.verification import skipped_in_phase
from tui.app.widgets.fitting import fitting
from tui.app.widgets.phase_title import given_way

STATE_WORDS: dict[PhaseState, str] = {
    PhaseState.UPCOMING: "· UPCOMING",
    PhaseState.DUE: "· DUE",
    PhaseState.ACTIVE: "▶ ACTIVE",
    PhaseState.DUE_SOON: "⚠ DUE SOON",
    PhaseState.OVERDUE: "✖ OVERDUE",
    PhaseState.DONE: "✓ DONE",
    PhaseState.SKIPPED: "⊘ SKIPPED",
}

SHORT_WORDS: dict[PhaseState, str] = {
    PhaseState.UPCOMING: "· AHEAD",
    PhaseState.DUE: "· DUE",
    PhaseState.ACTIVE: "▶ NOW",
    PhaseState.DUE_SOON: "⚠ DUE",
    PhaseState.OVERDUE: "✖ LATE",
    PhaseState.DONE: "✓ DONE",
    PhaseState.SKIPPED: "⊘ SKIP",
}
"""The states in a cell too narrow for their words (at 60 columns a cell holds nine,
`⚠ DUE SOON` and `· UPCOMING` ten): whole words, where `✖ OVERD…` and `⚠ DUE S…` were
cut in a cell of eight. Late is what the strip says of
a phase done after its window (`+3m late`)."""


NO_DEADLINE = "no deadline"
"""A phase without a window, as close-out: it begins when it is the phase worked in."""


def window_label(window: PlacedWindow | None) -> str:
    """A phase's window on the T+ clock, placed from the declaration (`T+0-5m`, or
    `T+20-25m` for an incident declared at T+20:00); `T+45m →` open-ended."""
    if window is None:
        return NO_DEADLINE
    if window.end is None:
        return f"{window.span()} →"
    return window.span()


UNVERIFIED_WORDS = ("⚠ NOT VERIFIED", "⚠ UNVERIFIED", "⚠ UNVERIF")
"""A phase DONE with a verification step skipped (`skipped_in_phase`): its work is over,
but the service was not verified, and the cell said "✓ DONE / on time" (ux_review7 F2)."""


def unverified_forms(skipped: list[str]) -> tuple[str, ...]:
    """Which verification steps were skipped, longest first: by id while they fit,
    then how many."""
    count = f"{len(skipped)} skipped"
    return (f"skipped: {', '.join(skipped)}", f"{', '.join(skipped)} skipped", count)


CLOSED_WORDS = "■ CLOSED"
"""A phase not done when the incident closed: its clock stopped (`at_close`)."""


def time_line(clock: PhaseClock, now: datetime) -> str:
    """The number that matters for the phase's state, short enough for 80 columns."""
    return time_forms(clock, now)[0]


def time_forms(clock: PhaseClock, now: datetime) -> tuple[str, ...]:
    """The phase's time line, longest first: the first that fits its cell is shown.
    Shorter, a countdown drops its seconds (`in 11m`) and then its last word, so a
    number is never cut in the middle (`in 11m3…`, read as eleven minutes and thirty)."""
    match clock.state:
        case PhaseState.UPCOMING:
            early = early_forms(clock)
            if clock.opens_at is None:
                return early or ("",)
            if clock.opens_at <= now:  # opened, waiting for its turn (close-out)
                return (window_label(clock.window),)
            when = format_countdown(clock.opens_at - now)
            opens = (f"in {when}", f"in {minutes(when)}", minutes(when))
            if not early:
                return opens
            # The work done in it early, beside its opening while there is room.
            return (
                *(f"in {w} · {e}" for w in (when, minutes(when)) for e in early),
                *opens,
            )
        case PhaseState.ACTIVE | PhaseState.DUE | PhaseState.DUE_SOON:
            if clock.remaining is None:
                return (window_label(clock.window),)
            left = format_countdown(clock.remaining)
            return (f"{left} left", f"{minutes(left)} left", minutes(left))
        case PhaseState.OVERDUE:
            if not clock.overdue_by:
                return ("",)
            over = format_duration(clock.overdue_by)
            return (f"+{over}", f"+{minutes(over)}")
        case PhaseState.DONE:
            if clock.overdue_by:
                late = format_duration(clock.overdue_by)
                return (f"+{late} late", f"+{minutes(late)} late", f"+{minutes(late)}")
            return ("on time" if clock.due_at else "",)
        case PhaseState.SKIPPED:  # not "on time": none of its work was done
            return ("none checked", "none")
    return ("",)


def early_forms(clock: PhaseClock) -> tuple[str, ...]:
    """What is done in an upcoming phase early (`done_early`), longest first (`1 of 4
    done early`, `1/4 done`, `1/4 ✓`); none for a phase with nothing recorded in it."""
    words = done_early(clock)
    if words is None:
        return ()
    if not clock.checked:
        return (words,)
    count = f"{clock.checked}/{clock.steps}"
    return (words, f"{count} done", f"{count} ✓")


def minutes(duration: str) -> str:
    """`11m03s` as `11m`: a duration without its seconds (`45s` and `1h02m` as they are)."""
    return re.sub(r"^(\d+m)\d\ds$", r"\1", duration)


CLOSED_FORMS: dict[AtClose, tuple[str, ...]] = {
    AtClose.NOT_FINISHED: ("not finished", "not done"),
    AtClose.NOT_STARTED: ("not started", "unstarted", "not run"),
}


class PhaseCell(Static):
    """One phase: number and title, target window, state and time.

    Padded on the left only: the strip's margin parts a cell from the next. At 80
    columns a cell is 15 wide (four, each with its margin, beside the next update's 16),
    and a cell of padding on its right too cut `3 Verification` to `3 Verificati…`."""

    DEFAULT_CSS = """
    PhaseCell {
        width: 1fr;
        height: 3;
        padding: 0 0 0 1;
        background: $boost;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    PhaseCell.due_soon { color: $warning; }
    PhaseCell.overdue { color: $text-error; text-style: bold; }
    PhaseCell.done { color: $success; }
    PhaseCell.skipped { color: $warning; }
    PhaseCell.unverified { color: $warning; }
    PhaseCell.upcoming { color: $text-muted; }
    PhaseCell.closed { color: $text-muted; }
    /* The current phase on a background of its own, each state in a colour that reads
       on it: red on its blue was 1.65:1 in 256 colours, so overdue goes on dark red. */
    PhaseCell.current { background: $primary-muted; color: $foreground; text-style: bold; }
    PhaseCell.current.due_soon { color: $text-warning; }
    PhaseCell.current.overdue { background: $error-muted; color: $foreground; }
    """

    _shown: tuple[object, ...] = ()

    def show(
        self,
        number: int,
        clock: PhaseClock,
        now: datetime,
        *,
        current: bool,
        came_to: AtClose | None,
        skipped: list[str] | None = None,
    ) -> None:
        """`came_to`: what the phase came to at the close (`at_close`), which it shows
        in place of its clock; None while the incident is open, or once the phase is done.
        `skipped`: the verification steps skipped in a phase done (`skipped_in_phase`),
        which leave the service not verified."""
        words: tuple[str, ...]
        if came_to is None and clock.state is PhaseState.DONE and skipped:
            words, line, kind = UNVERIFIED_WORDS, unverified_forms(skipped), "unverified"
        elif came_to is None:
            words = (STATE_WORDS[clock.state], SHORT_WORDS[clock.state])
            line, kind = time_forms(clock, now), str(clock.state)
        else:
            words, line, kind = (CLOSED_WORDS,), CLOSED_FORMS[came_to], "closed"
        shown = (number, clock.phase.title, words, line, current)
        if shown == self._shown:
            return  # most ticks and keys change no cell: nothing to redraw
        self._shown = shown
        # One restyle for the lot (a set_class each restyles per change), and none before
        # the cell is mounted, which styles it anyway.
        kinds = [*map(str, PhaseState), "closed", "unverified"]
        classes = {name: name == kind for name in kinds} | {"current": current}
        self.update_classes(classes, update=self.is_attached)
        self._title = (str(number), visible(clock.phase.title))
        self._forms = (words, line)
        self._draw()

    _title: tuple[str, str] = ("", "")
    _forms: tuple[tuple[str, ...], tuple[str, ...]] = (("",), ("",))

    def _draw(self) -> None:
        """The title, the state and the time in the forms that fit the cell's width:
        whole words and whole numbers; a title's word is cut (marked) only where not
        even its first fits."""
        width = self.content_size.width
        words, line = (fitting(forms, width) for forms in self._forms)
        text = Text(no_wrap=True, overflow="ellipsis")
        number, title = self._title
        text.append(f"{number} {given_way(title, width - cell_len(number) - 1)}\n")
        text.append(f"{words}\n", style="bold")
        text.append(line)
        self.update(text, layout=False)  # a fixed size: no layout on every tick

    def on_resize(self) -> None:
        if self._shown:
            self._draw()


class NextUpdate(NamedTuple):
    """When the next stakeholder update is due, in two parts (`at 09:22 UTC`, `in
    10m30s`; `✖ OVERDUE`, `+1m05s`), and how urgent it is: the strip's cell and the
    one-column head (`tui.app.widgets.active_phase`) say it alike."""

    when: str
    then: str
    overdue: bool = False
    due_soon: bool = False


def next_update(state: IncidentState, now: datetime) -> NextUpdate:
    """The next update under the runbook's cadence, as of `now`."""
    due = next_update_due(state)
    resolved = resolved_at(state) if due is None and not state.is_closed else None
    if resolved is not None:  # not "at HH:MM" here: that reads as the next update's
        return NextUpdate("none owed", f"resolved {resolved:%H:%M}")
    if due is None:
        return NextUpdate("none due", "")
    if due < now:
        return NextUpdate("✖ OVERDUE", f"+{late_by(due, now)}", overdue=True)
    if due - now <= timedelta(minutes=1):
        return NextUpdate("⚠ DUE SOON", f"in {countdown_to(due, now)}", due_soon=True)
    return NextUpdate(f"at {due:%H:%M} UTC", f"in {countdown_to(due, now)}")


class UpdateCell(Static):
    """When the next stakeholder update is due, under the runbook's cadence."""

    DEFAULT_CSS = """
    UpdateCell {
        width: 16;
        height: 3;
        padding: 0 1;
        background: $boost;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    UpdateCell.overdue { color: $text-error; text-style: bold; }
    UpdateCell.due_soon { color: $warning; }
    """

    _shown: tuple[object, ...] = ()

    def show(self, state: IncidentState, now: datetime) -> None:
        said = next_update(state, now)
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append("Next update\n")
        text.append(f"{said.when}\n", style="bold" if said.overdue else "")
        text.append(said.then)
        overdue, due_soon = said.overdue, said.due_soon
        if (text, overdue, due_soon) == self._shown:
            return
        self._shown = (text, overdue, due_soon)
        self.update_classes({"overdue": overdue, "due_soon": due_soon}, update=self.is_attached)
        self.update(text, layout=False)  # a fixed size: no layout on every tick


class PhaseStrip(Horizontal):
    """All the clocks in one row."""

    DEFAULT_CSS = """
    PhaseStrip { height: 3; }
    PhaseStrip > PhaseCell { margin-right: 1; }
    """

    def __init__(self, phase_count: int) -> None:
        super().__init__()
        self._cells = [PhaseCell(id=f"phase-{n}") for n in range(1, phase_count + 1)]
        self._update = UpdateCell(id="next-update")

    def compose(self) -> ComposeResult:
        yield from self._cells
        yield self._update

    def show(
        self,
        state: IncidentState,
        now: datetime,
        clocks: list[PhaseClock],
        current_phase_id: str | None,
    ) -> None:
        for number, (cell, clock) in enumerate(zip(self._cells, clocks, strict=True), start=1):
            current = clock.phase.id == current_phase_id
            came_to = at_close(state, clock)
            skipped = skipped_in_phase(state, clock.phase.id)
            cell.show(
                number,
                clock,
                now,
                current=current and came_to is None,
                came_to=came_to,
                skipped=skipped,
            )
        self._update.show(state, now)
