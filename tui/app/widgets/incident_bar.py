"""The top line: which incident, how bad, how long, who is in command, and on the
coordinator's screen, whose name it records under (`as Bo`).

A screen started without `--as` took git's user.name and said so nowhere: the first
sign was a timeline row under a bot's name (ux_review6 finding 8).
"""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.widgets import Static

from incident.core.phase_clocks import elapsed, format_offset
from incident.core.state import IncidentState
from incident.core.text import clipped, cut_at, visible
from incident.health.failure_words import at_a_glance


class IncidentBar(Static):
    """One line that answers "what incident is this and how long has it been?"."""

    DEFAULT_CSS = """
    IncidentBar {
        height: 1;
        background: $primary;
        color: $text;
        padding: 0 1;
    }
    """

    def __init__(self, *, recording_as: str = "", id: str | None = None) -> None:
        super().__init__(id=id)
        self.recording_as = recording_as
        """The name this screen records under ("" on a view that records nothing)."""

    _shown: Text | None = None
    _last: tuple[IncidentState, datetime] | None = None
    retrying = ""
    """The error of a failed try of a message still pending, while its retries go on
    ("" when none): the bar said only "pending" for two minutes of HTTP 500s (a fresh
    user's review). This screen's deliveries say it (`Deliveries.tried`)."""

    def mark_retrying(self, error: str) -> None:
        self.retrying = error
        if self._last is not None:
            self.show(*self._last)

    def show(self, state: IncidentState, now: datetime) -> None:
        """Fit the line to the bar: the title gives way first, then the commander,
        so T+, severity, id and state (CLOSED, deliveries) survive 80 columns.
        """
        self._last = (state, now)
        width = self.content_region.width or self.app.size.width - 2
        line = fitted(state, now, width, self.retrying, self.recording_as)
        if line != self._shown:
            self._shown = line
            self.update(line, layout=False)  # one line: its size never changes

    def on_resize(self) -> None:
        if self._last is not None:
            self.show(*self._last)


TITLE_AT_LEAST = 12
"""The room the title keeps (or its whole length, if shorter) before the commander
gives way, then the name the screen records under, then the separators tighten."""


def fitted(
    state: IncidentState, now: datetime, width: int, retrying: str = "", recording_as: str = ""
) -> Text:
    """The bar's line in `width` cells, most important parts kept: when the title would
    shrink below TITLE_AT_LEAST, the name the screen records under moves up to the
    commander (`IC Ada · as Bo`), then the commander goes, then the name, then the
    separators tighten."""
    for sep in ("  ·  ", " · "):
        head, ic, spaced, tail = parts(state, now, sep, retrying, recording_as)
        title = Text(visible(state.title))
        least = min(TITLE_AT_LEAST, title.cell_len)
        close = parts(state, now, " · ", retrying, recording_as)[2]
        for commander, name in ((ic, spaced), (ic, close), (Text(), spaced), (Text(), close)):
            room = width - head.cell_len - commander.cell_len - name.cell_len - tail.cell_len
            if room >= least:
                break
        else:
            commander = name = Text()
            room = width - head.cell_len - tail.cell_len
        if room >= least:
            break
    title = _cut(title, max(room, 0))
    line = Text.assemble(head, title, commander, name, tail, no_wrap=True, overflow="ellipsis")
    line.truncate(width, overflow="ellipsis")
    return line


def _cut(title: Text, room: int) -> Text:
    """`title` in `room` cells, an ellipsis where it is cut; an escape `visible` wrote
    (`\\u202e`) kept whole or dropped whole, never left as `\\u…`."""
    shown = title.plain
    title.truncate(room, overflow="ellipsis")
    kept = title.plain
    if kept == shown or not kept.endswith("…"):
        return title
    end = cut_at(shown, len(kept) - 1)
    return title if end == len(kept) - 1 else Text(shown[:end] + "…")


RETRY_ERROR_CELLS = 16
"""The most of a retried try's error the bar shows (`✉ 1 retrying (HTTP 500: boom)`), what
was expected (`(expected 2xx)`) left to the deliveries' own lines."""
NAME_CELLS = 12
"""The most of the name the screen records under that the bar shows (`as Bo`)."""


def parts(
    state: IncidentState, now: datetime, sep: str, retrying: str = "", recording_as: str = ""
) -> tuple[Text, Text, Text, Text]:
    """T+ and severity; the commander; whose name this screen records under (`as Bo`:
    who the next key records as, kept when the commander gives way); the id and the
    state (CLOSED, deliveries: a pending message whose last try failed reads
    `retrying`, with that try's error)."""
    head = Text(no_wrap=True)
    head.append(format_offset(elapsed(state, now)), style="bold")
    head.append(f"  {state.severity}  ", style="bold")
    commander = Text(f"{sep}IC {visible(state.commander) or 'unassigned'}")
    name = Text(f"{sep}as {clipped(visible(recording_as), NAME_CELLS)}" if recording_as else "")
    tail = Text(f"{sep}{visible(state.id)}")
    if state.is_closed:
        tail.append(f"{sep}CLOSED", style="bold")
    statuses = [d.status for d in state.deliveries.values()]
    if statuses:
        pending, failed = statuses.count("pending"), statuses.count("failed")
        waiting = "pending"
        if retrying:
            glance = visible(at_a_glance(retrying))
            waiting = f"retrying ({clipped(glance, RETRY_ERROR_CELLS)})"
        shown = [f"{pending} {waiting}"] if pending else []
        shown += [f"{failed} FAILED"] if failed else []
        tail.append(f"{sep}✉ {', '.join(shown) or 'all delivered'}", style="bold" if failed else "")
    return head, commander, name, tail
