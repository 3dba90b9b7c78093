"""One read of the record for the report, whichever face writes it.

`lastgood export` read the ticks from the store's summaries; `export --check-step`
and the TUI's `e`, through `closeout.export_report`, decoded every tick's samples
(`scan`) for the same document. Both now go through `report_document`. Shown on a
real SQLite file of some 1,100 events, nine in ten of them probe ticks.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from incident.app.closeout import export_report
from incident.app.report_document import report_document
from incident.app.session import IncidentSession
from incident.core.clock import ManualClock
from store.sqlite_log import SqliteEventLog
from tests.golden.incidents import PARIS
from tests.golden.markdown_checks import check_golden
from tests.golden.sampled import SampledRecord, sampled_record
from tests.reads_seen import ReadsSeen


@pytest.fixture(scope="module")
def sampled(tmp_path_factory: pytest.TempPathFactory) -> SampledRecord:
    return sampled_record(tmp_path_factory.mktemp("sampled") / "sampled.db")


def exported(sampled: SampledRecord, write: Callable[[str], object]) -> list[str]:
    """What `export_report` wrote of the sampled incident, unchecked, as `e` writes it;
    returns the reads it made after the session opened."""
    with SqliteEventLog.open(sampled.db, read_only=True) as log:
        seen = ReadsSeen(log)
        session = IncidentSession(seen, sampled.incident_id, ManualClock(sampled.now))  # type: ignore[arg-type]
        seen.reads.clear()  # the session's opening read
        export_report(session, "ana", "report.md", write, check_step=False, tz=PARIS)
        return seen.names()


def test_the_tuis_export_reads_the_ticks_from_their_summaries(sampled: SampledRecord) -> None:
    written: list[str] = []
    reads = exported(sampled, written.append)
    assert reads == ["report_items(runs)"]  # before: ["scan"], every tick's samples decoded
    check_golden("sampled-report.md", written[0])


def test_every_face_writes_the_same_report(sampled: SampledRecord, tmp_path: Path) -> None:
    """The CLI's `export` and the TUI's `e` give the golden report, byte for byte."""
    written: list[str] = []
    exported(sampled, written.append)
    with SqliteEventLog.open(sampled.db, read_only=True) as log:
        record, text = report_document(log, sampled.incident_id, sampled.now, tz=PARIS)
    assert text == written[0]
    assert record.event_count == len(sampled.events)
    assert record.head_hash == sampled.events[-1].hash
