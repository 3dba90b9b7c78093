"""Times in the report and the timeline: T+ and UTC agree, and a day is never implied.

Each incident here is recorded through the real domain with a frozen clock set where
the point shows: an impact start with a fraction of a second (a live clock's), and
one near midnight in the coordinator's zone.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from incident import commands
from incident.app.session import IncidentSession
from incident.commands import Declaration
from incident.core.clock import ManualClock
from incident.core.events import NewEvent
from incident.core.state import IncidentState
from incident.reports.report import markdown_report
from incident.reports.timeline import markdown_timeline
from runbooks.model import Runbook
from tests.memory_log import MemoryLog

TOKYO = ZoneInfo("Asia/Tokyo")
LOS_ANGELES = ZoneInfo("America/Los_Angeles")
NOTE = "paged the database on-call"


class Recorded:
    def __init__(self, runbook: Runbook, t0: datetime) -> None:
        self.clock = ManualClock(t0)
        details = Declaration(title="T", severity="SEV3", commander="Ada", pattern="blue-green")
        event = commands.declare(
            runbook, details, actor="ada", clock=self.clock, incident_id="INC-TIMES"
        )
        self.session = IncidentSession.declare(MemoryLog(), event, self.clock)

    def at(self, offset: timedelta, command: Callable[[IncidentState], NewEvent]) -> None:
        self.clock.set(self.session.state.started_at + offset)
        self.session.run(command)

    def note(self, offset: timedelta, text: str = NOTE) -> None:
        clock = self.clock
        self.at(offset, lambda s: commands.add_note(s, text, actor="ada", clock=clock, pinned=True))

    def close(self, offset: timedelta) -> None:
        clock = self.clock
        self.at(
            offset,
            lambda s: commands.close(s, actor="ada", clock=clock, force=True, reason="drill"),
        )

    def documents(self, tz: ZoneInfo) -> tuple[str, str]:
        state, events = self.session.state, self.session.log.events("INC-TIMES")
        now = self.clock.now() + timedelta(minutes=1)
        return (
            markdown_timeline(state, events, now, tz=tz),
            markdown_report(state, events, now, tz=tz),
        )


def lines_with(text: str, needle: str) -> list[str]:
    return [line for line in text.splitlines() if needle in line]


def test_a_local_time_on_the_next_day_in_tokyo_has_its_date(small_runbook):
    """T+0 at 23:50 in Tokyo: a note twenty minutes later read "00:10:00 JST", the
    28th by the only date beside it."""
    record = Recorded(small_runbook, datetime(2026, 11, 28, 14, 50, tzinfo=UTC))
    record.note(timedelta(minutes=1))
    record.note(timedelta(minutes=20), "after midnight")
    record.close(timedelta(minutes=30))
    timeline, report = record.documents(TOKYO)
    assert "T+0 is 2026-11-28 14:50:00 UTC (23:50:00 JST)" in timeline
    # the same day: the time alone
    (before,) = lines_with(timeline, f"ada: {NOTE}")
    assert "T+01:00 · 14:51:00 UTC (23:51:00 JST) · ada" in before
    # the next day in Tokyo (not in UTC): the local time has its date
    expected = "T+20:00 · 15:10:00 UTC (2026-11-29 00:10:00 JST) · ada: after midnight"
    assert lines_with(timeline, "ada: after midnight") == [f"- 📌 {expected}"]
    # the report says it the same way, in its notes as in the timeline's
    assert f"- 📌 {expected}" in report.splitlines()
    closed = lines_with(timeline, "Incident closed:")
    assert closed == ["- ★ Incident closed: T+30:00 · 15:20:00 UTC (2026-11-29 00:20:00 JST) (ada)"]
    # the time-to-recovery table's local column too
    (row,) = lines_with(report, "| Incident closed |")
    assert "| 15:20:00 | 2026-11-29 00:20:00 JST | T+30:00 |" in row
    (row,) = lines_with(report, "| Incident declared |")
    assert "| 14:50:00 | 23:50:00 JST | T+00:00 |" in row


def test_a_meeting_that_ends_after_midnight_says_which_day(small_runbook):
    record = Recorded(small_runbook, datetime(2026, 11, 28, 14, 50, tzinfo=UTC))
    record.close(timedelta(minutes=30))
    clock = record.clock
    starts = datetime(2026, 11, 29, 14, 30, tzinfo=UTC)  # 23:30 in Tokyo
    record.at(
        timedelta(minutes=40),
        lambda s: commands.schedule_postmortem(
            s, starts, actor="ada", clock=clock, duration_min=45
        ),
    )
    _, report = record.documents(TOKYO)
    when = lines_with(report, "- When: 2026-11-29")[0]
    assert when == (
        "- When: 2026-11-29 14:30:00 UTC (23:30:00 JST), 45 minutes, "
        "until 15:15:00 UTC (2026-11-30 00:15:00 JST)."
    )


def test_a_local_time_on_the_next_day_in_los_angeles_has_its_date(small_runbook):
    """T+0 at 23:50 on the 27th in Los Angeles, the 28th in UTC: 00:10 there is the
    28th, UTC's own day, and said so."""
    record = Recorded(small_runbook, datetime(2026, 11, 28, 7, 50, tzinfo=UTC))
    record.note(timedelta(minutes=20))
    timeline, report = record.documents(LOS_ANGELES)
    assert "T+0 is 2026-11-28 07:50:00 UTC (2026-11-27 23:50:00 PST)" in timeline
    expected = f"- 📌 T+20:00 · 08:10:00 UTC (2026-11-28 00:10:00 PST) · ada: {NOTE}"
    assert lines_with(timeline, f"ada: {NOTE}")[0] == expected
    assert expected in report.splitlines()


def test_a_utc_time_on_the_next_day_has_its_date_beside_a_local_one(small_runbook):
    """A moment whose UTC day is not T+0's, its local one still T+0's (Los Angeles):
    each clock says its own day."""
    record = Recorded(small_runbook, datetime(2026, 11, 28, 23, 50, tzinfo=UTC))
    record.note(timedelta(minutes=20))
    timeline, _ = record.documents(LOS_ANGELES)
    expected = f"- 📌 T+20:00 · 2026-11-29 00:10:00 UTC (16:10:00 PST) · ada: {NOTE}"
    assert lines_with(timeline, f"ada: {NOTE}")[0] == expected


LINE = re.compile(r"^- (?:\S+ )?T\+(\d+):(\d\d)(?::(\d\d))? · (\d\d):(\d\d):(\d\d)[ ·]")


def printed_offsets(text: str) -> list[tuple[timedelta, timedelta]]:
    """(T+, UTC time of day) of each timeline line that has both."""
    found = []
    for line in text.splitlines():
        match = LINE.match(line)
        if match is None:
            continue
        a, b, c, hours, minutes, seconds = match.groups()
        offset = (
            timedelta(hours=int(a), minutes=int(b), seconds=int(c))
            if c is not None
            else timedelta(minutes=int(a), seconds=int(b))
        )
        clock = timedelta(hours=int(hours), minutes=int(minutes), seconds=int(seconds))
        found.append((offset, clock))
    return found


def test_t_plus_and_utc_agree_on_a_start_with_a_fraction_of_a_second(small_runbook):
    """T+0 at 09:00:00.7 (as printed, 09:00:00) and an event 1:59.6 later, at
    09:02:00.3: the line read "T+01:59 · 09:02:00", a second apart."""
    t0 = datetime(2026, 11, 28, 9, 0, 0, 700_000, tzinfo=UTC)
    record = Recorded(small_runbook, t0)
    record.note(timedelta(seconds=119.6))
    record.note(timedelta(seconds=300.2), "another")
    record.close(timedelta(seconds=1799.5))
    timeline, report = record.documents(UTC)
    assert "T+0 is 2026-11-28 09:00:00 UTC" in timeline
    assert f"- 📌 T+02:00 · 09:02:00 UTC · ada: {NOTE}" in timeline.splitlines()
    assert lines_with(timeline, f"· ada · 📌 Pinned note: {NOTE}")[0].startswith(
        "- T+02:00 · 09:02:00 · ada"
    )
    (row,) = lines_with(report, "| Incident closed |")
    # closed 29:59.5 after 09:00:00.7, at 09:30:00.2: to the printed seconds, 30 minutes
    assert "| 09:30:00 | T+30:00 | 30m00s |" in row
    nine = timedelta(hours=9)
    for document in (timeline, report):
        pairs = printed_offsets(document)
        assert len(pairs) >= 5
        assert all(clock - offset == nine for offset, clock in pairs), pairs
