"""The report's Impact measures a failing health check from its readings (ux_review16 #4).

A runbook made by `lastgood init --no-prometheus` has an HTTP health probe and its
trigger (3 failed checks in a row), no metric. The monitor recorded every failing
check, and the report said "No readings were recorded to measure that" while its
Timeline said the readings "are summarised under Impact". Now Impact says how many
checks failed, the first and the last failing one and the time between, read from
the tick summaries (a failed sample's time is kept there, as a metric's reading is),
the same from the events in memory, and from a file written before the summaries
kept failures (its ticks read from their rows, and `verify` content with them). The
schema's version 7 says the summaries keep them, so an older release, whose `verify`
would take them for forged, refuses the file; a PostgreSQL writer that does not
upgrade a version 6 database keeps writing that version's summaries.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import msgspec

from incident import commands
from incident.app.report_document import report_document
from incident.app.session import IncidentSession
from incident.core.clock import ManualClock
from incident.core.log import EventLog
from incident.core.samples import Outcome, Sample
from incident.core.ticks import legacy_summary_text, read_samples
from incident.reports.report import markdown_report
from runbooks.loading import load_runbook
from runbooks.model import Runbook
from runbooks.starter import RollbackMethod, StarterAnswers, starter_text
from store.backends import open_event_log
from store.derived import FAILURES_KEPT_SINCE
from store.sqlite_log import SqliteEventLog
from tests.store_backends import (  # the fixture is imported for pytest to find
    Backend,
    backend_fixture,  # noqa: F401
)
from tests.tampering import drop_triggers
from tui.demo.scenarios import ACTOR, DECLARATION, SCENARIO_T0

ID = "INC-20261128-HLTH"
T0 = SCENARIO_T0


def no_prometheus(directory: Path) -> Runbook:
    """The runbook `init --no-prometheus` writes: health and version probes, no metric."""
    answers = StarterAnswers(
        "payments",
        "http://127.0.0.1:18716/health",
        "http://127.0.0.1:18716/version",
        "",
        method=RollbackMethod.CUSTOM,
        command="curl -fsS -X POST http://127.0.0.1:18716/rollback",
    )
    path = directory / "lastgood.yaml"
    path.write_text(starter_text(answers, str(path)), encoding="utf-8")
    return load_runbook(path)


def health(at: datetime, failing: bool) -> Sample:
    if failing:
        return Sample("health", at, Outcome.HTTP_STATUS, 12.0, 503, detail="HTTP 503")
    return Sample("health", at, Outcome.OK, 11.0, 200, text="ok")


def record(db: Path, failing: set[int]) -> None:
    """Health and version every 5 s from T+00:05 to T+03:20, health failing at the
    offsets in `failing`; closed at T+03:25."""
    with SqliteEventLog.open(db) as log:
        declare(log, db.parent)
        poll(log, failing)


def declare(log: EventLog, directory: Path) -> None:
    clock = ManualClock(T0)
    declaration = commands.declare(
        no_prometheus(directory),
        msgspec.structs.replace(DECLARATION, pattern=None),
        actor=ACTOR,
        clock=clock,
        incident_id=ID,
    )
    IncidentSession.declare(log, declaration, clock)


def poll(log: EventLog, failing: set[int]) -> None:
    """The ticks and the close of `record`, on the incident declared in `log`."""
    clock = ManualClock(T0)
    session = IncidentSession(log, ID, clock)
    for offset in range(5, 201, 5):
        clock.set(T0 + timedelta(seconds=offset))
        now = clock.now()
        batch = [
            health(now, offset in failing),
            Sample("version", now, Outcome.OK, 6.0, 200, text="2.4.0"),
        ]
        session.run_many(
            lambda s, b=batch: commands.record_samples(s, b, actor="probes", clock=clock)
        )
    clock.set(T0 + timedelta(seconds=205))
    session.run(lambda s: commands.close(s, actor=ACTOR, clock=clock, force=True, reason="test"))


def report(db: Path) -> str:
    """The report as `export` reads it (summaries, in runs), and the same from the events."""
    now = T0 + timedelta(minutes=10)
    with SqliteEventLog.open(db, read_only=True) as log:
        record_read, text = report_document(log, ID, now)
        events = log.events(ID)
        assert log.verify(ID).ok
    assert markdown_report(record_read.state, events, now) == text
    return text


FAILING = set(range(60, 121, 5))
"""T+01:00 to T+02:00: 13 checks, every one failing."""


def test_impact_measures_the_failing_health_check(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    record(db, FAILING)
    text = report(db)
    assert "No readings were recorded" not in text
    assert (
        "What the readings measured: health failed every check from T+01:00 to T+02:00 (1m00s)."
    ) in text
    assert (
        "Checks of health (3 consecutive failed checks of health): 13 of the 40 checks "
        "recorded failed, from T+01:00 to T+02:00 (1m00s), the first failing check to the "
        "last, every check failing."
    ) in text
    assert "are summarised under Impact" in text
    assert "so there are no readings to report" not in text


def test_passing_checks_among_the_failing_ones_are_counted(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    record(db, FAILING - {80, 85})
    text = report(db)
    assert "health failed 11 checks from T+01:00 to T+02:00 (1m00s), 2 passing among them." in text
    assert (
        "11 of the 40 checks recorded failed, from T+01:00 to T+02:00 (1m00s), the first "
        "failing check to the last, 2 checks passing among them."
    ) in text


def test_a_health_check_that_never_failed_says_so(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    record(db, set())
    text = report(db)
    assert "Checks of health (3 consecutive failed checks of health): none of the 40" in text
    assert "No rollback trigger's probe failed a check." in text


def test_a_file_written_before_failures_were_summarised_reads_the_same(tmp_path: Path) -> None:
    """Its summaries keep a failed sample's probe alone: no reader uses them (each tick is
    read from its row) and `verify` takes them for what they are."""
    db = tmp_path / "r.db"
    record(db, FAILING)
    expected = report(db)
    with sqlite3.connect(db) as conn:
        drop_triggers(conn)
        rows = conn.execute(
            "SELECT e.seq, e.payload FROM events AS e JOIN tick_samples AS t "
            "ON e.incident_id = t.incident_id AND e.seq = t.seq"
        ).fetchall()
        for seq, payload in rows:
            samples = read_samples(payload)
            assert samples is not None
            conn.execute(
                "UPDATE tick_samples SET readings = ? WHERE seq = ?",
                [legacy_summary_text(samples), seq],
            )
    assert report(db) == expected


def test_the_version_says_what_the_summaries_keep(backend: Backend, tmp_path: Path) -> None:
    """Version 7 (a file's and PostgreSQL's): a writer that upgrades keeps the failed
    samples' times; a PostgreSQL writer on an incident, which never upgrades, keeps a
    version 6 database's summaries as that version's readers read them (a failed
    sample's probe alone), and the report reads the same from either."""
    assert FAILURES_KEPT_SINCE == 7 == backend.schema_version
    with backend.open() as log:
        declare(log, tmp_path)
    if backend.cluster is not None:
        backend.owner_sql("UPDATE meta SET value = '6' WHERE key = 'schema_version'")
    with open_event_log(backend.location, creating=False) as log:
        poll(log, FAILING)
    kept = backend.owner_sql("SELECT readings FROM tick_samples ORDER BY seq LIMIT 20")
    failed = "health\x1f2026-11-28T09:01:00.000Z\x1f\x1eversion\x1f\x1f"
    if backend.cluster is None:
        assert failed in kept
    else:
        assert failed not in kept and "health\x1eversion" in kept
    now = T0 + timedelta(minutes=10)
    with open_event_log(backend.location, read_only=True) as log:
        _, text = report_document(log, ID, now)
        assert log.verify(ID).ok
    assert "13 of the 40 checks recorded failed, from T+01:00 to T+02:00 (1m00s)" in text
