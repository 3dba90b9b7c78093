"""Stored text that is not the encoding its hash covers: each value decodes to what the
hash covers, only its spelling differs, and `verify` refuses it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from incident.core.events import Event
from incident.core.payloads import NoteAdded
from store import SqliteEventLog
from tests.tampered.helpers import INCIDENT, set_column, tamper_and_verify


@pytest.mark.parametrize(
    ("column", "value", "problem"),
    [
        pytest.param(
            "payload",
            '{"text":"nothing to see","by":"bob","pinned":false,"text":"observation 4"}',
            "payload repeats the key 'text'",
            id="duplicate-key-first",
        ),
        pytest.param(
            "payload",
            '{"by":"bob","pinned":false,"text":"observation 4","by":"bob"}',
            "payload repeats the key 'by'",
            id="duplicate-key-same-value",
        ),
        pytest.param(
            "payload",
            '{"text":"observation 4","by":"bob","pinned":false}',
            "payload is not its canonical encoding (key order, spacing or escapes)",
            id="reordered-keys",
        ),
        pytest.param(
            "payload",
            '{"by": "bob", "pinned": false, "text": "observation 4"}',
            "payload is not its canonical encoding (key order, spacing or escapes)",
            id="whitespace",
        ),
        pytest.param(
            "payload",
            '{"by":"bob","pinned":false,"text":"observation \\u0034"}',
            "payload is not its canonical encoding (key order, spacing or escapes)",
            id="escaped",
        ),
        pytest.param(
            "at",
            "2026-03-14T09:04:00.000+00:00",
            "timestamp '2026-03-14T09:04:00.000+00:00' is not stored as hashed "
            "('2026-03-14T09:04:00.000Z')",
            id="time-plus-zero",
        ),
        pytest.param(
            "at",
            "2026-03-14T09:04:00Z",
            "timestamp '2026-03-14T09:04:00Z' is not stored as hashed ('2026-03-14T09:04:00.000Z')",
            id="time-no-millis",
        ),
        pytest.param(
            "at",
            "2026-03-14T10:04:00.000+01:00",
            "timestamp '2026-03-14T10:04:00.000+01:00' is not stored as hashed "
            "('2026-03-14T09:04:00.000Z')",
            id="time-other-offset",
        ),
    ],
)
def test_stored_text_must_be_the_canonical_encoding_it_hashed(
    copy: Path, intact: tuple[Path, list[Event]], column: str, value: str, problem: str
) -> None:
    """Each value decodes to what event 4's hash covers; only its spelling differs."""
    _, events = intact
    report = tamper_and_verify(copy, events, set_column(column, value, 4))
    assert (report.ok, report.first_bad_seq, report.problem) == (False, 4, problem)
    assert (report.count, report.head_hash) == (3, events[2].hash)
    with SqliteEventLog.open(copy, read_only=True) as log:
        assert log.events(INCIDENT)[3].hash == events[3].hash  # still readable as it was


def test_a_repeated_key_is_what_sqlite_reads_and_verify_refuses(
    copy: Path, intact: tuple[Path, list[Event]]
) -> None:
    """Why the spelling matters: SQLite's JSON functions take the first of two keys."""
    _, events = intact
    forged = '{"text":"nothing to see","by":"bob","pinned":false,"text":"observation 4"}'
    report = tamper_and_verify(copy, events, set_column("payload", forged, 4))
    conn = sqlite3.connect(copy)
    try:
        seen_by_sqlite = conn.execute(
            "SELECT json_extract(payload, '$.text') FROM events WHERE incident_id = ? AND seq = 4",
            (INCIDENT,),
        ).fetchone()[0]
    finally:
        conn.close()
    assert seen_by_sqlite == "nothing to see"
    assert events[3].data == NoteAdded("observation 4", "bob")
    assert report.problem == "payload repeats the key 'text'"
