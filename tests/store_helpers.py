"""What the store tests share: events to append, and the file seen as another tool sees it."""

from __future__ import annotations

import contextlib
import hashlib
import sqlite3
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import msgspec.structs

from incident.core.events import Event, NewEvent, truncate_to_millis
from incident.core.payloads import EventData, NoteAdded
from incident.core.samples import Sample
from store import StoreError
from store.rows import Row, checked_batch, hashed_rows, recorded

REPO = Path(__file__).resolve().parent.parent
START = datetime(2026, 3, 14, 9, 26, 53, 589793, tzinfo=UTC)


def new_event(incident: str = "inc-1", n: int = 1, data: EventData | None = None) -> NewEvent:
    return NewEvent(
        incident_id=incident,
        actor="alice",
        at=START + timedelta(seconds=n, microseconds=n),
        mono_ns=n * 1_000_000_007,
        data=NoteAdded(f"note {n}", "alice") if data is None else data,
    )


def chain_rows(
    events: Sequence[NewEvent], last_seq: int, last_hash: str
) -> tuple[list[Row], list[Event]]:
    """The rows a writer would insert for `events` after (`last_seq`, `last_hash`), and
    the Events a later read returns of them: what an append does, without a store."""
    texts = checked_batch(events[0].incident_id, events) if events else []
    rows = hashed_rows(events, texts, last_seq, last_hash)
    return rows, recorded(rows)


def truncated(sample: Sample) -> Sample:
    """A sample as read back: its time to the millisecond."""
    return msgspec.structs.replace(sample, at=truncate_to_millis(sample.at))


@contextlib.contextmanager
def raw(path: Path) -> Iterator[sqlite3.Connection]:
    """A plain sqlite3 connection, as another tool (or an attacker) would have."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        yield conn
    finally:
        conn.close()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def one_line_naming(error: StoreError, path: Path) -> str:
    message = str(error)
    assert "\n" not in message
    assert message.startswith(f"{path}: ")
    return message
