"""What `verify` finds wrong with the stored states (`store.snapshots`).

It folds the record again as the events are verified and compares each stored row
with the state after its event: the row's hash, its base, its time and `ordered`
flag, the lists it rebuilds and the rest of the state, encoded as the writer
encodes them. A row that differs is forged or stale; `verify` reports it at its event.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from incident.core.events import Event, format_timestamp
from incident.core.folding import Fold
from incident.core.state import IncidentState
from incident.core.state_codec import (
    encode_fields,
    encode_items,
    layout,
    list_fields,
    stored_fields,
)
from store.snapshots import ALL_ROWS, Lists, Query, as_text


class SnapshotCheck:
    """What `verify` finds wrong with the stored states: fed every verified event in
    order, it folds them (only while a row is still to be checked) and compares each
    row of this code's layout with the state after its event. Rows of another layout
    are read by no one, and left alone."""

    def __init__(self, query: Query, incident_id: str) -> None:
        ours = layout()
        self._rows = iter([row for row in query(ALL_ROWS, (incident_id,)) if row[3] == ours])
        self._pending = next(self._rows, None)
        self._fold: Fold | None = None
        self._ordered = True
        self._at: datetime | None = None
        self._objects: dict[str, list[Any]] = {}
        """Each list of the state at the last row checked (the same objects)."""
        self._encoded: Lists = {}
        """The same lists encoded: what the rows rebuilt, once checked."""
        self._last_row = 0

    def add(self, item: Event | Any) -> str:
        """Fold `item` (a verified event); the problem with its row, if it has one."""
        if self._pending is None:
            return ""
        try:  # a record that verifies folds; whatever else, it is one line here
            if self._fold is None:
                if not isinstance(item, Event):
                    return self._unfoldable()
                self._fold = Fold(item)
            else:
                self._fold.add(item)
        except Exception:
            return self._unfoldable()
        self._ordered = self._ordered and (self._at is None or item.at >= self._at)
        self._at = item.at
        if item.seq != self._pending[0]:
            return ""
        row, self._pending = self._pending, next(self._rows, None)
        return self._check(row, item)

    def _unfoldable(self, seq: object = None) -> str:
        if seq is None:
            assert self._pending is not None
            seq = self._pending[0]
        self._pending = None  # nothing after it can be checked
        return f"a state snapshot is stored for event {seq}, but the record does not fold"

    def _check(self, row: tuple[Any, ...], item: Event | Any) -> str:
        assert self._fold is not None
        seq, digest, base, _, at, ordered, lists, rest = row
        try:
            state = self._fold.settled()
        except Exception:
            return self._unfoldable(seq)
        expected = self._expected_lists(state)
        wrong = (
            f"the state snapshot at event {seq} is not the fold of the events up to it "
            "(forged or stale)"
        )
        if digest != item.hash or base not in (0, self._last_row):
            return wrong
        if at != format_timestamp(item.at) or ordered != int(self._ordered):
            return wrong
        try:
            changes = json.loads(lists) if type(lists) is str else None
            rebuilt = self._rebuild(changes, base)
        except ValueError:
            return wrong
        if rebuilt != expected:
            return wrong
        rest_names = [name for name in stored_fields() if name not in expected]
        if rest != as_text(encode_fields(state, rest_names)):
            return wrong
        self._encoded, self._last_row = expected, seq
        return ""

    def _expected_lists(self, state: IncidentState) -> Lists:
        """The state's lists encoded, only the items new since the last row encoded again."""
        found: Lists = {}
        for name in list_fields():
            now: list[Any] = getattr(state, name)
            before = self._objects.get(name, [])
            keep = 0
            limit = min(len(before), len(now))
            while keep < limit and now[keep] is before[keep]:
                keep += 1
            found[name] = self._encoded.get(name, [])[:keep] + encode_items(name, now[keep:])
            self._objects[name] = list(now)
        return found

    def _rebuild(self, changes: object, base: int) -> Lists:
        if type(changes) is not dict or set(changes) != set(list_fields()):
            raise ValueError("not the lists of a state")
        rebuilt: Lists = {}
        for name, change in changes.items():
            held = [] if base == 0 else list(self._encoded[name])
            if type(change) is not list or len(change) != 2:
                raise ValueError(name)
            keep, added = change
            if type(keep) is not int or not 0 <= keep <= len(held) or type(added) is not list:
                raise ValueError(name)
            rebuilt[name] = held[:keep] + added
        return rebuilt

    def left_over(self) -> tuple[int, str] | None:
        """A row for an event past the last one verified: (its seq, the problem)."""
        if self._pending is None:
            return None
        seq = int(self._pending[0])
        return seq, f"a state snapshot stands for event {seq}, not recorded"
