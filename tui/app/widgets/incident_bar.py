"""The top line: which incident, how bad, how long, who is in command, and on the
coordinator's screen, whose name it records under (`as Bo`).

A screen started without `--as` took git's user.name and said so nowhere: the first
sign was a timeline row under a bot's name (ux_review6 finding 8).
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from rich.text import Text
from textual.widgets import Static

from incident.core.clipping import clipped, cut_at
from incident.core.phase_clocks import elapsed, format_offset
from incident.core.state import IncidentState
from incident.core.text import visible
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
        """Fit the line to the bar (`fitted`): the title gives way first, the
        commander last."""
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
"""The room the title keeps (or its whole length, if shorter) before the other parts
give way (`fitted`)."""


class Layout(NamedTuple):
    """Which parts a try of the bar shows (`fitted`)."""

    commander: str
    """"full" (`IC Ada Lovelace`), "first" (`IC Ada`, the name's first word)."""
    name: str
    """Where the name the screen records under goes: "spaced" (a separator of its
    own), "close" (beside the commander: `IC Ada · as Bo`), or "" (gone)."""
    incident_id: bool
    all_delivered: bool
    """`✉ all delivered`: news of nothing to do, the first to go."""


LAYOUTS = (
    Layout("full", "spaced", incident_id=True, all_delivered=True),
    Layout("full", "close", incident_id=True, all_delivered=True),
    Layout("full", "close", incident_id=True, all_delivered=False),
    Layout("full", "close", incident_id=False, all_delivered=False),
    Layout("first", "close", incident_id=False, all_delivered=False),
    Layout("first", "", incident_id=False, all_delivered=False),
)
"""The bar's tries, most shown first, each with wide separators and then with tight
ones. The commander stays to the last: after a hand-off the header of the screen at
100 columns named no commander, while it kept `✉ all delivered` and the id, which
attach shows in its own bar (ux_review13 #13)."""


def fitted(
    state: IncidentState, now: datetime, width: int, retrying: str = "", recording_as: str = ""
) -> Text:
    """The bar's line in `width` cells, most important parts kept: when the title would
    shrink below TITLE_AT_LEAST, the name the screen records under moves up to the
    commander (`IC Ada · as Bo`), then `✉ all delivered` goes, then the id, then the
    commander's name keeps its first word, then the name the screen records under
    goes; then the separators tighten and the same again. T+, severity, the
    commander, CLOSED and deliveries pending or failed stay; the title has what is
    left."""
    title = Text(visible(state.title))
    least = min(TITLE_AT_LEAST, title.cell_len)
    for sep in ("  ·  ", " · "):
        bar = parts(state, now, sep, retrying, recording_as)
        for layout in LAYOUTS:
            shown = bar.laid_out(layout)
            room = width - sum(part.cell_len for part in shown)
            if room >= least:
                break
        if room >= least:
            break
    head, *rest = shown
    line = Text.assemble(head, _cut(title, max(room, 0)), *rest, no_wrap=True, overflow="ellipsis")
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


class BarParts(NamedTuple):
    """The bar's parts but the title, each with its separator before it (`parts`)."""

    head: Text
    commander: Text
    first_name: Text
    """The commander by the first word of their name (`IC Ada`)."""
    spaced: Text
    close: Text
    incident_id: Text
    state: Text
    """CLOSED, and deliveries pending or failed: what the state is, never given way."""
    all_delivered: Text

    def laid_out(self, layout: Layout) -> list[Text]:
        """The parts `layout` shows, in their order on the bar, the title's place after
        the first."""
        commander = self.commander if layout.commander == "full" else self.first_name
        name = {"spaced": self.spaced, "close": self.close}.get(layout.name, Text())
        return [
            self.head,
            commander,
            name,
            self.incident_id if layout.incident_id else Text(),
            self.state,
            self.all_delivered if layout.all_delivered else Text(),
        ]


def parts(
    state: IncidentState, now: datetime, sep: str, retrying: str = "", recording_as: str = ""
) -> BarParts:
    """T+ and severity; the commander; whose name this screen records under (`as Bo`:
    who the next key records as); the id; the state (CLOSED, deliveries: a pending
    message whose last try failed reads `retrying`, with that try's error), or
    `✉ all delivered`."""
    head = Text(no_wrap=True)
    head.append(format_offset(elapsed(state, now)), style="bold")
    head.append(f"  {state.severity}  ", style="bold")
    named = visible(state.commander) or "unassigned"
    commander = Text(f"{sep}IC {named}")
    first_name = Text(f"{sep}IC {named.split()[0] if named.split() else named}")
    name = clipped(visible(recording_as), NAME_CELLS)
    spaced = Text(f"{sep}as {name}" if recording_as else "")
    close = Text(f" · as {name}" if recording_as else "")
    incident_id = Text(f"{sep}{visible(state.id)}")
    tail = Text()
    if state.is_closed:
        tail.append(f"{sep}CLOSED", style="bold")
    all_delivered = Text()
    statuses = [d.status for d in state.deliveries.values()]
    if statuses:
        pending, failed = statuses.count("pending"), statuses.count("failed")
        waiting = "pending"
        if retrying:
            glance = visible(at_a_glance(retrying))
            waiting = f"retrying ({clipped(glance, RETRY_ERROR_CELLS)})"
        shown = [f"{pending} {waiting}"] if pending else []
        shown += [f"{failed} FAILED"] if failed else []
        if shown:
            tail.append(f"{sep}✉ {', '.join(shown)}", style="bold" if failed else "")
        else:
            all_delivered.append(f"{sep}✉ all delivered")
    return BarParts(head, commander, first_name, spaced, close, incident_id, tail, all_delivered)
