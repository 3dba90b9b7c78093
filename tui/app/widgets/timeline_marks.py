"""What the report's timeline adds to an event's line, kept for the live panel.

`lastgood timeline` and the report mark an event the record contradicts with ⚠ and
what the Inconsistencies say of it (`analysis.warned`), and follow a missed update's
"was not sent" with what became of it (`cadence.missed_outcome`: "by its due time;
sent at T+17:17, 17s late", or its decline). The live panel calls the same functions,
once per batch of new events, never per frame: either can change an older row (the
update sent later, a resolution message that makes an earlier claim contradict), so
the rows whose additions changed are handed back to be drawn anew.

The coordinator's screen holds them until its first frame is on the terminal
(`Timeline.hold_marks`): the Inconsistencies' rules bring the verbs' commands with
them, which that frame does not need (`tests/test_first_frame.py`).
"""

from __future__ import annotations

from incident.core.events import Event
from incident.core.payloads import UpdateOverdue
from incident.core.state import IncidentState
from incident.reports.marks import WARN_MARK


class TimelineMarks:
    """The additions of each row, recomputed when events are appended."""

    def __init__(self) -> None:
        self._events: list[Event] = []
        """Every event the panel was given but the probe ticks, as the report reads them."""
        self._row_of: dict[int, int] = {}
        """An event's seq -> the row that shows it (flaps share one row)."""
        self._missed: dict[int, Event] = {}
        """Row -> the missed update it shows."""
        self._added: dict[int, str] = {}
        """Row -> what is added to its description now ("" not kept)."""

    def reset(self) -> None:
        self._events.clear()
        self._row_of.clear()
        self._missed.clear()
        self._added.clear()

    def shown(self, event: Event, row: int) -> None:
        """`event` (not a probe tick) is shown on `row`."""
        self._events.append(event)
        self._row_of[event.seq] = row
        if isinstance(event.data, UpdateOverdue):
            self._missed[row] = event

    def changed(self, state: IncidentState) -> dict[int, str]:
        """Row -> what its description is followed by now, for each row whose additions
        changed since the last call."""
        if not self._events:
            return {}
        from incident.reports.analysis import warned
        from incident.reports.cadence import missed_outcome

        end = self._events[-1].at
        added: dict[int, str] = {
            row: missed_outcome(state, event, end) for row, event in self._missed.items()
        }
        for seq, said in warned(state, self._events).items():
            row = self._row_of.get(seq)
            if row is not None:
                added[row] = added.get(row, "") + "".join(f" {WARN_MARK} {s}" for s in said)
        changed = {
            row: text
            for row, text in ({**dict.fromkeys(self._added, ""), **added}).items()
            if self._added.get(row, "") != text
        }
        self._added = {row: text for row, text in added.items() if text}
        return changed
