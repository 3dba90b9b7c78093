"""Both stores give the documents the same gaps in the probes' readings.

The report reads the ticks from the store's summaries, in runs, through the store
interface (`report_items`, `export_items`), on a SQLite file and on a real PostgreSQL
alike (tests/postgres_server.py): a stretch nobody polled is named in the report and
the JSON export from either, and nothing is named where the poller never stopped.
"""

from __future__ import annotations

import json

from incident.app.report_document import json_export_record, report_document
from tests.gap_records import GAP_ID, at, every, polled_record, regular
from tests.store_backends import (  # the fixture is imported for pytest to find
    Backend,
    backend_fixture,  # noqa: F401
    opened,
)


def _documents(backend: Backend) -> tuple[str, list[dict[str, object]]]:
    with opened(backend, read_only=True) as log:
        _, report = report_document(log, GAP_ID, at(400))
        chunks: list[str] = []
        _, head, tail = json_export_record(log, GAP_ID, at(400), chunks.append)
    gaps: list[dict[str, object]] = json.loads(head + "".join(chunks) + tail)["reading_gaps"]
    return report, gaps


def test_a_gap_is_named_from_either_store(backend: Backend) -> None:
    polled = every(5, 5, 60) + every(5, 150, 300)
    rate = every(15, 15, 60) + every(15, 150, 300)
    with opened(backend) as log:
        polled_record(log, polled, rate, close_at=301)
    report, gaps = _documents(backend)
    line = "- ⚠ no readings of `health`, `version` and `error-rate` from T+01:00 to T+02:30 (1m30s)"
    assert line in report
    assert [(g["probe"], g["seconds"]) for g in gaps] == [
        ("health", 90.0),
        ("version", 90.0),
        ("error-rate", 90.0),
    ]


def test_no_gap_nothing_named_from_either_store(backend: Backend) -> None:
    with opened(backend) as log:
        polled_record(log, *regular(300), close_at=301)
    report, gaps = _documents(backend)
    assert "no readings of" not in report
    assert gaps == []
