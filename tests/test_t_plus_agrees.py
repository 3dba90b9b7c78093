"""One moment reads one T+ in every face: the live ones and the documents.

The live faces (`brief`, `decide`, the checklist, the timeline panel) counted T+ from
the exact impact start, rounded down; the documents (`timeline`, the report) count
from T+0's printed second to the moment's, so T+ agrees with the UTC time beside it.
A live clock's T+0 has a fraction of a second, so a skip 1:59.6 after a T+0 at
09:00:00.7 read T+01:59 in `brief` and T+02:00 at 09:02:00 in `timeline`. Every face
now counts from `IncidentState.t0`, T+0 to its printed second.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from incident import commands
from incident.app.session import IncidentSession
from incident.commands import Declaration
from incident.core.clock import ManualClock
from incident.core.phase_clocks import elapsed, format_offset, phase_clock
from incident.reports.brief import brief_lines
from incident.reports.context import ReportContext
from incident.reports.record import ReportRecord
from incident.reports.status import status_text
from store.sqlite_log import SqliteEventLog
from tests.cli_helpers import InProcessCli
from tests.memory_log import MemoryLog
from tui.demo.scenarios import bundled_runbook

T0 = datetime(2026, 12, 1, 9, 0, 0, 700_000, tzinfo=UTC)
SKIPPED_AT = datetime(2026, 12, 1, 9, 2, 0, 300_000, tzinfo=UTC)  # 1:59.6 after T+0
INCIDENT = "INC-TPLUS"


def declared(t0: datetime) -> IncidentSession:
    clock = ManualClock(t0)
    details = Declaration(title="T", severity="SEV3", commander="Ada", pattern="blue-green")
    event = commands.declare(
        bundled_runbook(), details, actor="ada", clock=clock, incident_id=INCIDENT
    )
    return IncidentSession.declare(MemoryLog(), event, clock)


@given(
    start_us=st.integers(0, 999_999),
    after=st.timedeltas(timedelta(0), timedelta(hours=3)),
)
def test_the_live_t_plus_is_the_documents_t_plus(start_us: int, after: timedelta) -> None:
    session = declared(T0.replace(microsecond=start_us))
    state = session.state
    moment = state.started_at + after
    record = ReportRecord.of(state, session.log.events(INCIDENT))
    context = ReportContext.build(record, moment, None)
    assert format_offset(elapsed(state, moment)) == context.offset(moment)


@given(start_us=st.integers(0, 999_999))
def test_each_window_closes_on_a_printed_second(start_us: int) -> None:
    """What the documents print of a window's end is the window's end: T+0 to the
    second, plus whole minutes."""
    state = declared(T0.replace(microsecond=start_us)).state
    for phase in state.runbook.phases:
        clock = phase_clock(state, phase, state.started_at)
        for moment in (clock.opens_at, clock.due_at):
            assert moment is None or moment.microsecond == 0


def test_brief_and_timeline_give_a_skip_one_t_plus(tmp_path: Path) -> None:
    """Recorded on a real file by the domain with a live clock's fractions, then read
    by `brief` and by `timeline` as a user runs them."""
    db = tmp_path / "incidents.db"
    clock = ManualClock(T0)
    details = Declaration(title="T", severity="SEV3", commander="Ada", pattern="blue-green")
    with SqliteEventLog.open(db) as log:
        event = commands.declare(
            bundled_runbook(), details, actor="ada", clock=clock, incident_id=INCIDENT
        )
        session = IncidentSession.declare(log, event, clock)
        clock.set(SKIPPED_AT)
        session.run(
            lambda s: commands.skip_step(
                s, "create-channel", reason="the channel exists", actor="ada", clock=clock
            )
        )
    cli = InProcessCli(db, actor="ada")
    (in_brief,) = [line for line in cli.ok("brief", INCIDENT).splitlines() if "skipped" in line]
    (in_timeline,) = [
        line for line in cli.ok("timeline", INCIDENT).splitlines() if "the channel exists" in line
    ]
    assert in_brief.strip().startswith("T+02:00 skipped create-channel"), in_brief
    assert "T+02:00 · 09:02:00 · ada" in in_timeline, in_timeline


def test_an_update_due_at_a_fraction_counts_down_to_its_printed_second() -> None:
    """A message at 09:07:03.4 makes the next update due 20 minutes on, at 09:27:03.4
    (T+27:03). At 09:10:00.2 (T+10:00) the countdown read 17m04s, ceil of 17m03.2s: T+
    and the countdown added up to T+27:04. Between printed seconds it is 17m03s."""
    session = declared(T0)
    clock = session.clock
    assert isinstance(clock, ManualClock)
    clock.set(datetime(2026, 12, 1, 9, 7, 3, 400_000, tzinfo=UTC))
    session.run(
        lambda s: commands.send_communication(s, actor="ada", clock=clock, text="rolling back")
    )
    now = datetime(2026, 12, 1, 9, 10, 0, 200_000, tzinfo=UTC)
    lines = brief_lines(session.state, now)
    assert "Next update due in 17m03s (T+27:03)" in lines, lines
    assert format_offset(elapsed(session.state, now)) == "T+10:00"
    shown = status_text(session.state, now).splitlines()
    assert "next stakeholder update in 17m03s" in shown, shown
