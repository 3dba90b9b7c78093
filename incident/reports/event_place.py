"""One event named as the documents list it: its seq, T+, clock time, who and what.

`verify` says where a chain stops holding, and which events were recorded after a
head kept elsewhere, by seq. No document numbers its lines, so a seq alone left the
reader to find the line by hand; this names it as the timeline prints it
(`T+33:14 · 22:32:05 · Dana Oncall · Checked smoke-test`), after the seq.
"""

from __future__ import annotations

from datetime import datetime

from msgspec import Struct

from incident.core.events import Event, JSONValue, format_timestamp
from incident.core.payloads import Declared
from incident.core.phase_clocks import format_offset
from incident.core.state import t0_of
from incident.core.text import counted, visible
from incident.core.ticks import ProbeTick
from incident.core.timefmt import utc_time
from incident.reports.describe import describe

LONGEST_WHAT = 100
"""The most characters of an event's description a one-line naming keeps: enough to
know a note or a message again, not the whole of it."""

MOST_LISTED = 5
"""The most events after a kept head that `verify --expect-head` names; the rest are
counted ("and 3 more")."""


class NamedEvent(Struct, frozen=True):
    """An event as a reader finds it in the documents."""

    seq: int
    at: datetime
    t_plus: str | None
    """T+ as the documents print it; None when the declaration could not be read."""
    actor: str
    kind: str
    what: str
    """The description the timeline gives it (`describe`), shortened to `LONGEST_WHAT`."""

    def line(self) -> str:
        """`event 114 · T+33:14 · 22:32:05 UTC · Dana Oncall · Checked smoke-test`."""
        when = [self.t_plus] if self.t_plus else []
        parts = [f"event {self.seq}", *when, f"{utc_time(self.at)} UTC", self.actor, self.what]
        return " · ".join(parts)

    def data(self) -> JSONValue:
        """For `--json`: the same, each part a field."""
        return {
            "seq": self.seq,
            "at": format_timestamp(self.at),
            "t_plus": self.t_plus,
            "actor": self.actor,
            "kind": self.kind,
            "what": self.what,
        }


def declared_t0(first: Event | ProbeTick | None) -> datetime | None:
    """T+0 from an incident's first event, its declaration; None if it is not one."""
    if first is None or isinstance(first, ProbeTick) or not isinstance(first.data, Declared):
        return None
    return t0_of(first.data.started_at or first.at)


def named_event(item: Event | ProbeTick, t0: datetime | None) -> NamedEvent:
    """`item` named as the timeline lists it, T+ counted from `t0`."""
    if isinstance(item, ProbeTick):
        what = f"Probe readings ({counted(len(item.samples), 'reading')}; not listed)"
    else:
        what = describe(item)
    if len(what) > LONGEST_WHAT:
        what = what[: LONGEST_WHAT - 1].rstrip() + "…"
    t_plus = None if t0 is None else format_offset(item.at - t0)
    return NamedEvent(item.seq, item.at, t_plus, visible(item.actor), item.kind, what)


class Later(Struct, frozen=True):
    """What was recorded after a head kept elsewhere: the first events that are not
    probe ticks (at most `MOST_LISTED`), and how many ticks."""

    listed: list[NamedEvent]
    ticks: int


def later_lines(later: Later, total: int) -> list[str]:
    """The `total` events after a kept head: those `later` names, a line each, then the
    rest counted (`and 3 more, 2 of them probe ticks`; `4 probe ticks` alone)."""
    lines = [event.line() for event in later.listed]
    rest = total - len(lines)
    if rest <= 0:
        return lines
    if later.ticks >= rest:
        ticks = "probe tick" if rest == 1 else "probe ticks"
        return [*lines, f"and {rest} more {ticks}" if lines else f"{rest} {ticks}"]
    of_them = f", {later.ticks} of them probe ticks" if later.ticks else ""
    return [*lines, f"and {rest} more{of_them}"]
