"""A JSON export (`lastgood export --format json`, `lastgood-incident/1`) read back as a
record, for whoever was sent the file and not the database.

Each exported event carries what its hash covers (seq, time as stored, mono_ns,
actor, kind, payload, the hash before it) and its hash; the incident's ID, which the
hash covers too, is the export's `status.id`. The events are checked here by the
store's own code, `store.rows.checked_items`, as rows whose payload text is the
canonical encoding of the exported payload: `verify` refuses a stored payload that is
not canonical, so the text a hash covers is the one re-encoded here, and an export
edited on the way no longer hashes to what it says.
"""

from __future__ import annotations

import contextlib
import json
import re
from pathlib import Path
from typing import Any

from msgspec import Struct

from incident.core.chain import ChainReport, ChainWalk, canonical_json
from incident.core.events import Event
from incident.core.ticks import ProbeTick
from store.errors import StoreError
from store.rows import BadRow, checked_items

FORMAT = "lastgood-incident/1"
"""The one export format this lastgood reads."""

_FORMAT_FIELD = re.compile(rb'"format"\s*:\s*"lastgood-incident/')
"""How an export names its format, wherever in the file the key falls."""

_COLUMNS = ("seq", "at", "mono_ns", "actor", "kind", "payload", "prev_hash", "hash")
"""An exported event's fields, in `schema.EVENT_COLUMNS` order after the incident."""


class ExportedRecord(Struct, frozen=True):
    """An export's events, as far as they could be read, and its chain's report."""

    path: Path
    incident_id: str
    items: list[Event | ProbeTick]
    """Every event read before one that could not be (decoded as a read of the store
    gives them: a tick whose text allows as a `ProbeTick`)."""
    walk: ChainWalk
    """The walk they were verified into, as a read of the store verifies them (what
    `incident.reports.record.read_record` takes the record's damage from)."""
    said_head: object
    """The file's own `head_hash`, as it is (a string, or anything an edit left)."""
    said_count: object
    """The file's own `event_count`, likewise."""
    event_count: int
    """How many events the file lists."""

    @property
    def report(self) -> ChainReport:
        """The chain's report: where it stops holding, if it does."""
        return self.walk.report()

    def claims_problem(self) -> str:
        """Where a chain that verifies disagrees with what the file says of it; "" if
        nowhere: a tail cut, or events added, without the head and count edited too."""
        if not self.report.ok:
            return ""
        if self.said_count != self.event_count:
            return (
                f"the file says it holds {self.said_count!r} events, and lists "
                f"{self.event_count}: events were added or cut"
            )
        if self.said_head != self.report.head_hash:
            return (
                f"the file says its head is {self.said_head!r}, and its events end in "
                f"{self.report.head_hash}: events were cut from the end or rewritten"
            )
        return ""


def is_export(path: Path) -> bool:
    """Whether the file at `path` looks like a lastgood JSON export (what a database
    opening that found no database says, in place of "file is not a database")."""
    try:
        with path.open("rb") as file:
            start = file.read(1)
            if start.strip() not in (b"{", b""):
                return False
            return bool(_FORMAT_FIELD.search(start + file.read()))
    except OSError:
        return False


def read_export(path: Path) -> ExportedRecord:
    """The export at `path`, its chain recomputed; a `StoreError` naming the file for a
    file that cannot be read or is no export this lastgood reads."""
    try:
        data = json.loads(path.read_bytes())
    except OSError as error:
        raise StoreError(path, f"cannot read: {error.strerror or error}") from None
    except ValueError:
        raise StoreError(path, "not a lastgood JSON export (it is not JSON)") from None
    said = data.get("format") if isinstance(data, dict) else None
    if not isinstance(said, str) or not said.startswith("lastgood-incident/"):
        raise StoreError(path, f'not a lastgood JSON export (no "format": "{FORMAT}")')
    if said != FORMAT:
        raise StoreError(path, f"a {said} export: this lastgood reads {FORMAT}")
    status = data.get("status")
    incident_id = status.get("id") if isinstance(status, dict) else None
    events = data.get("events")
    if not isinstance(incident_id, str) or not incident_id or not isinstance(events, list):
        raise StoreError(path, "a lastgood JSON export without its incident's id or events")
    walk = ChainWalk(incident_id)
    items: list[Event | ProbeTick] = []
    with contextlib.suppress(BadRow):  # failed in `walk`, at the event that could not be read
        items.extend(checked_items((_row(incident_id, event) for event in events), walk))
    count = len(events)
    said_head, said_count = data.get("head_hash"), data.get("event_count")
    return ExportedRecord(path, incident_id, items, walk, said_head, said_count, count)


def _row(incident_id: str, event: object) -> tuple[Any, ...]:
    """An exported event as an `events` row: its payload as the canonical text its hash
    covers. What is missing or of another type stays as it is, for `checked_items` to
    name (`unreadable event: ...`)."""
    if not isinstance(event, dict):
        return (incident_id, None, None, None, None, None, None, None, None)
    values = [event.get(column) for column in _COLUMNS]
    payload = values[5]
    values[5] = canonical_json(payload) if isinstance(payload, dict) else payload
    return (incident_id, *values)
