"""Random damage to a recorded incident, for the tamper trials and `bench/tamper_trials.py`.

A tamper is drawn through a `Picker`, so Hypothesis (which shrinks a failure to
its simplest case) and a seeded `random.Random` (for the bench's larger counts)
draw the same kinds of damage. Each tamper works on a plain sqlite3 connection
to a copy of the incident whose append-only triggers were dropped, as anyone
with write access to the file could.
"""

from __future__ import annotations

import json
import random
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Protocol, TypeVar

from incident.core.chain import (
    ChainReport,
    ChainWalk,
    canonical_json,
    event_hash,
    head_problem,
)
from incident.core.events import Event, JSONValue, NewEvent, format_timestamp
from incident.core.payloads import (
    ApprovalGranted,
    Declared,
    EventData,
    NoteAdded,
    ProbeSamples,
    StepChecked,
)
from incident.core.samples import Outcome as SampleOutcome
from incident.core.samples import Sample
from store import SqliteEventLog
from store.errors import StoreError

INCIDENT = "inc-tamper"
BYSTANDER = "bystander"
START = datetime(2026, 3, 14, 9, 0, tzinfo=UTC)
COLUMNS = ("incident_id", "seq", "at", "mono_ns", "actor", "kind", "payload", "prev_hash", "hash")

T = TypeVar("T")


class Picker(Protocol):
    def pick(self, options: Sequence[T]) -> T: ...

    def integer(self, low: int, high: int) -> int:
        """An int in [low, high]."""
        ...


class RandomPicker:
    """A `Picker` over a seeded generator: the bench's many trials."""

    def __init__(self, seed: int) -> None:
        self._random = random.Random(seed)

    def pick(self, options: Sequence[T]) -> T:
        return options[self._random.randrange(len(options))]

    def integer(self, low: int, high: int) -> int:
        return self._random.randint(low, high)


@dataclass(frozen=True)
class Tamper:
    kind: str
    detail: str
    apply: Callable[[sqlite3.Connection], None]
    tail: bool = False
    """Only the end moved (cut, or a valid event added): only a kept head hash can tell."""


def _events() -> list[NewEvent]:
    """Varied payloads: nested, unicode, several keys, and times on whole seconds."""
    snapshot: dict[str, JSONValue] = {"roles": {"ic": "alice"}, "tags": ["a", 1, None]}
    declared = Declared("Checkout 500s — 回滚", "SEV1", "alice", "rollback", "", snapshot)
    events = [NewEvent(INCIDENT, "alice", START, 0, declared)]
    for n in range(1, 16):
        at = START + timedelta(seconds=n * 7, milliseconds=0 if n % 4 == 0 else n * 13)
        by = "alice" if n % 2 else "bob"
        data: EventData = NoteAdded(f"observation {n} — ✓", by, pinned=n % 4 == 0)
        if n % 3 == 0:
            data = StepChecked(f"step-{n}", by, f"observation {n}", evidence="ok" * (n % 2))
        elif n % 5 == 0:
            readings = (
                Sample("error-rate", at, SampleOutcome.OK, 12.5, 200, value=n / 100),
                Sample("version", at, SampleOutcome.HTTP_STATUS, 3.0, 503, detail="HTTP 503"),
            )
            data = ProbeSamples(readings)
        events.append(NewEvent(INCIDENT, by, at, n * 7_000_000_000, data))
    return events


def record_intact(path: Path) -> list[Event]:
    """An intact incident and a bystander, in one file with no `-wal` and no triggers."""
    with SqliteEventLog.open(path) as log:
        events = [log.append([event])[0] for event in _events()]
        log.append([NewEvent(BYSTANDER, "carol", START, 1, NoteAdded("x", "carol"))])
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = DELETE")
        drop_triggers(conn)
    finally:
        conn.close()
    return events


def drop_triggers(conn: sqlite3.Connection) -> None:
    """What anyone with write access to the file can do first: lift the append-only rule."""
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
        conn.execute(f'DROP TRIGGER "{name}"')


def event_row(event: Event | NewEvent, seq: int, prev_hash: str, digest: str) -> tuple[object, ...]:
    """An `events` row as the log would have written it, with the hashes the caller chose."""
    at = format_timestamp(event.at)
    payload = canonical_json(event.payload)
    return (
        event.incident_id,
        seq,
        at,
        event.mono_ns,
        event.actor,
        event.kind,
        payload,
        prev_hash,
        digest,
    )


def _where(seq: int) -> tuple[str, tuple[object, ...]]:
    return "WHERE incident_id = ? AND seq = ?", (INCIDENT, seq)


def _set(seq: int, column: str, value: object) -> Callable[[sqlite3.Connection], None]:
    def apply(conn: sqlite3.Connection) -> None:
        where, args = _where(seq)
        conn.execute(f"UPDATE events SET {column} = ? {where}", (value, *args))

    return apply


def _flip_hex(text: str, index: int) -> str:
    index %= len(text)
    return text[:index] + ("0" if text[index] != "0" else "1") + text[index + 1 :]


def _edit_field(p: Picker, events: list[Event]) -> Tamper:
    event = p.pick(events)
    column = p.pick(COLUMNS)
    seq, last = event.seq, events[-1].seq
    value: object
    if column == "incident_id":
        value = "elsewhere"
    elif column == "seq":
        value = last + p.integer(1, 50)
    elif column == "at":
        value = format_timestamp(event.at + timedelta(milliseconds=p.pick([-1, 1, 999, 60_000])))
    elif column == "mono_ns":
        value = event.mono_ns + p.pick([-1, 1, 1_000_000])
    elif column in ("actor", "kind"):
        value = getattr(event, column) + p.pick(["x", " ", "\u200b"])
    elif column == "payload":
        key = p.pick(sorted(event.payload))
        value = canonical_json({**event.payload, key: p.pick(["forged", 0, None, [1]])})
        if value == canonical_json(event.payload):
            value = canonical_json({**event.payload, key: "forged-too"})
    else:
        value = _flip_hex(getattr(event, column), p.integer(0, 63))
    tail = column == "incident_id" and seq == last
    return Tamper("edit-field", f"{column} of event {seq}", _set(seq, column, value), tail)


def _delete(p: Picker, events: list[Event]) -> Tamper:
    seq = p.pick(events).seq

    def apply(conn: sqlite3.Connection) -> None:
        where, args = _where(seq)
        conn.execute(f"DELETE FROM events {where}", args)

    return Tamper("delete-row", f"event {seq}", apply, tail=seq == events[-1].seq)


def _swap(p: Picker, events: list[Event]) -> Tamper:
    first = p.integer(1, len(events) - 1)
    second = p.integer(first + 1, len(events))
    moved = p.pick([COLUMNS[2:], COLUMNS[2:7]])  # whole rows, or content only

    def apply(conn: sqlite3.Connection) -> None:
        listed = ", ".join(moved)
        read = f"SELECT {listed} FROM events WHERE incident_id = ? AND seq = ?"
        a = conn.execute(read, (INCIDENT, first)).fetchone()
        b = conn.execute(read, (INCIDENT, second)).fetchone()
        update = f"UPDATE events SET {', '.join(f'{c} = ?' for c in moved)} "
        conn.execute(update + "WHERE incident_id = ? AND seq = ?", (*b, INCIDENT, first))
        conn.execute(update + "WHERE incident_id = ? AND seq = ?", (*a, INCIDENT, second))

    return Tamper("swap-rows", f"events {first} and {second}, {len(moved)} columns", apply)


def _insert(p: Picker, events: list[Event]) -> Tamper:
    position = p.integer(1, len(events) + 1)
    prev = events[position - 2].hash if position > 1 else "0" * 64
    approval = ApprovalGranted("decide-rollback", "incident-commander", "cto", "")
    forged = NewEvent(INCIDENT, "mallory", START + timedelta(seconds=position), 5, approval)
    valid = p.pick([True, False])
    digest = event_hash(forged, position, prev) if valid else _flip_hex(events[0].hash, position)

    def apply(conn: sqlite3.Connection) -> None:
        conn.execute(
            "UPDATE events SET seq = -(seq + 1) WHERE incident_id = ? AND seq >= ?",
            (INCIDENT, position),
        )
        conn.execute("UPDATE events SET seq = -seq WHERE incident_id = ? AND seq < 0", (INCIDENT,))
        conn.execute(
            f"INSERT INTO events VALUES ({', '.join('?' * 9)})",
            event_row(forged, position, prev, digest),
        )

    tail = valid and position == len(events) + 1
    detail = f"at {position}, {'valid' if valid else 'junk'} hash"
    return Tamper("insert-forged", detail, apply, tail)


def _duplicate_key(p: Picker, events: list[Event]) -> Tamper:
    event = p.pick(events)
    key = p.pick(sorted(event.payload))
    forged = json.dumps(p.pick(["forged", 0, True, None]))
    text = canonical_json(event.payload)
    repeat = f'"{key}":{forged}'
    first = p.pick([True, False])  # SQLite's json_extract reads the first, Python the last
    value = "{" + repeat + "," + text[1:] if first else text[:-1] + "," + repeat + "}"
    where = "first" if first else "last"
    return Tamper(
        "duplicate-key", f"{key!r} of event {event.seq}, {where}", _set(event.seq, "payload", value)
    )


def _reorder_keys(p: Picker, events: list[Event]) -> Tamper:
    event = p.pick([e for e in events if len(e.payload) > 1])
    keys = sorted(event.payload)
    turn = p.integer(1, len(keys) - 1)
    order = keys[turn:] + keys[:turn]
    value = json.dumps(
        {k: event.payload[k] for k in order}, separators=(",", ":"), ensure_ascii=False
    )
    return Tamper("reorder-keys", f"event {event.seq} by {turn}", _set(event.seq, "payload", value))


def _whitespace(p: Picker, events: list[Event]) -> Tamper:
    event = p.pick(events)
    text = canonical_json(event.payload)
    spaced = {
        "leading": " " + text,
        "trailing": text + p.pick([" ", "\n", "\t"]),
        "separators": json.dumps(event.payload, sort_keys=True, ensure_ascii=False),
        "indent": json.dumps(event.payload, sort_keys=True, ensure_ascii=False, indent=1),
        "after-brace": "{ " + text[1:],
    }
    how = p.pick(sorted(spaced))
    return Tamper(
        "whitespace", f"{how} in event {event.seq}", _set(event.seq, "payload", spaced[how])
    )


def _timestamp_spelling(p: Picker, events: list[Event]) -> Tamper:
    event = p.pick(events)
    stored = format_timestamp(event.at)
    hours = p.integer(1, 14)
    spellings = {
        "+00:00": stored.replace("Z", "+00:00"),
        "microseconds": event.at.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "space": stored.replace("T", " "),
        "offset": event.at.astimezone(timezone(timedelta(hours=hours))).isoformat(
            timespec="milliseconds"
        ),
    }
    if event.at.microsecond == 0:
        spellings["no-millis"] = event.at.strftime("%Y-%m-%dT%H:%M:%SZ")
    how = p.pick(sorted(spellings))
    detail = f"{how} for event {event.seq}"
    return Tamper("timestamp-spelling", detail, _set(event.seq, "at", spellings[how]))


def _truncate(p: Picker, events: list[Event]) -> Tamper:
    keep = p.integer(1, len(events) - 1)

    def apply(conn: sqlite3.Connection) -> None:
        conn.execute("DELETE FROM events WHERE incident_id = ? AND seq > ?", (INCIDENT, keep))

    return Tamper("truncate-tail", f"keep {keep} of {len(events)}", apply, tail=True)


TAMPERS: dict[str, Callable[[Picker, list[Event]], Tamper]] = {
    "edit-field": _edit_field,
    "delete-row": _delete,
    "swap-rows": _swap,
    "insert-forged": _insert,
    "duplicate-key": _duplicate_key,
    "reorder-keys": _reorder_keys,
    "whitespace": _whitespace,
    "timestamp-spelling": _timestamp_spelling,
    "truncate-tail": _truncate,
}


def draw(p: Picker, events: list[Event]) -> Tamper:
    return TAMPERS[p.pick(sorted(TAMPERS))](p, events)


@dataclass(frozen=True)
class Outcome:
    by_verify: bool
    """`verify` reported the chain broken."""
    by_head: bool
    """`verify --expect-head` with the head kept elsewhere shows the end moved: that
    head is in no event (exit 1), or events follow it (counted, exit 0: a valid event
    added at the end is what anyone who can write the file could record with lastgood)."""
    bystander_ok: bool
    export_agrees: bool
    """The JSON export's read found the chain as `verify` did: where it breaks, or
    refused an unreadable row with an error, or intact."""


def _export_breaks(log: SqliteEventLog) -> int | str | None:
    """Where the JSON export's read found the chain broken (its walk's first bad seq),
    "unreadable" if it refused a row, None if it read it whole."""
    walk = ChainWalk(INCIDENT)
    try:
        for _ in log.export_items(INCIDENT, walk):
            pass
    except StoreError:
        return "unreadable"
    return walk.report().first_bad_seq


def trial(intact: bytes, scratch: Path, tamper: Tamper, head: str) -> Outcome:
    """Tamper with a fresh copy of `intact` at `scratch`, then verify it as the CLI does."""
    scratch.write_bytes(intact)
    conn = sqlite3.connect(scratch, isolation_level=None)
    try:
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute("BEGIN")
        tamper.apply(conn)
        conn.execute("COMMIT")
    finally:
        conn.close()
    with SqliteEventLog.open(scratch, read_only=True) as log:
        report = log.verify(INCIDENT)
        bystander_ok = log.verify(BYSTANDER).ok
        found_at = log.seq_of_hash(INCIDENT, head)
        export_breaks = _export_breaks(log)
    moved = bool(head_problem(report, head, found_at)) or found_at != report.count
    by_head = moved if report.ok else True
    return Outcome(not report.ok, by_head, bystander_ok, _agrees(report, export_breaks))


def _agrees(report: ChainReport, export_breaks: int | str | None) -> bool:
    """Whether the JSON export's read found the chain as `verify` reports it: broken at
    the same event, or an unreadable row refused, or intact. `verify` also checks what
    is derived from the events (tick summaries, state snapshots), which the export takes
    as written: past such a problem, the export may find the events intact, or broken
    further on."""
    if report.problem.startswith("unreadable event"):
        return export_breaks == "unreadable"
    if export_breaks == report.first_bad_seq:
        return True
    derived = "summary" in report.problem or "snapshot" in report.problem
    after = report.first_bad_seq or 0
    return derived and (
        export_breaks is None or (type(export_breaks) is int and export_breaks > after)
    )
