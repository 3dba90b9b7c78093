"""Which incidents are open: not closed, and not drills, in one query.

`lastgood status` with no ID reads the only open incident (`incident.app.incident_ids`).
Folding every incident to ask each whether it is closed read the whole record; this
asks the store once: each incident's declaration (its first event) with no close
recorded after it, found through the index of the events that are not probe ticks
(`store.derived.ENTRIES_INDEX`). A drill is a rehearsal, left out as `list` and the
coordinator's picker leave it out: its name is read from the declaration's text, the
only payload decoded, and one that does not decode is taken as no drill (listed, so
never hidden).
"""

from __future__ import annotations

from collections.abc import Iterable

import msgspec

from incident.core.events import Kind
from store.derived import TICK_KIND

_DECLARED = str(Kind.DECLARED)
_CLOSED = str(Kind.CLOSED)


def open_query(order: str, mark: str) -> str:
    """The query, with the column that orders incidents as recorded (`rowid`, or
    PostgreSQL's `recorded`) and the driver's parameter mark (`?`, `%s`). Sorted here
    by `not_drills`: ordered by `rowid`, SQLite read the whole table, ticks and all,
    where without it the query reads only the index."""
    return (
        f"SELECT e.incident_id, e.payload, e.{order} FROM events AS e "
        f"WHERE e.kind <> {mark} AND e.seq = 1 AND e.kind = {mark} "
        "AND NOT EXISTS (SELECT 1 FROM events AS c WHERE c.incident_id = e.incident_id "
        f"AND c.kind <> {mark} AND c.kind = {mark})"
    )


OPEN_PARAMETERS = (TICK_KIND, _DECLARED, TICK_KIND, _CLOSED)
"""The query's parameters, in order (`kind <> tick` lets each part use the index)."""


class _Drill(msgspec.Struct):
    drill: str = ""


_read_drill = msgspec.json.Decoder(_Drill).decode


def not_drills(rows: Iterable[tuple[object, object, int]]) -> list[str]:
    """The IDs of `rows` (ID, declaration's payload, order) whose declaration names no
    drill, in the order recorded."""
    ordered = sorted(rows, key=lambda row: row[2])
    return [str(incident_id) for incident_id, payload, _ in ordered if not _drill(payload)]


def _drill(payload: object) -> str:
    try:
        return _read_drill(str(payload)).drill
    except (msgspec.ValidationError, msgspec.DecodeError):
        return ""
