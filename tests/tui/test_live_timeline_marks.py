"""The live timeline (attach, the coordinator's screen) says what `lastgood timeline`
and the report say of a line: ⚠ and what the record contradicts there, and what became
of a missed update ("was not sent by its due time; sent at T+07:00, 2m00s late"). It
showed neither: the record's "was not sent" stood though the update went out, and the
approval that claimed a trigger no probe met was unmarked. The marks come on new
events, an older row's included (the update sent after its miss was recorded)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from incident import commands
from incident.app import steps
from incident.app.session import IncidentSession
from incident.core.clock import ManualClock
from incident.reports.timeline import markdown_timeline
from runbooks import load_runbook, resolve_runbook
from store.sqlite_log import SqliteEventLog
from tests.conftest import T0
from tests.tui.pilot_helpers import wait_for_screen, wait_until
from tui.app.follow_app import FollowApp
from tui.app.screens.follow import FollowScreen
from tui.app.widgets.timeline import Timeline

CLAIM = "error-rate trigger met, checkout broken"
"""Says a trigger was met; none was: the report's Inconsistencies say so."""


def _rows(timeline: Timeline) -> list[str]:
    return [str(timeline.get_row_at(i)[2]) for i in range(timeline.row_count)]


async def test_attach_marks_contradictions_and_says_what_became_of_a_missed_update(
    tmp_path: Path,
) -> None:
    db = tmp_path / "marks.db"
    clock = ManualClock(T0)
    details = commands.Declaration(title="Checkout errors", severity="SEV2", commander="Ada")
    event = commands.declare(
        load_runbook(resolve_runbook("rollback")), details, actor="Ada", clock=clock
    )
    writer = SqliteEventLog.open(db)
    ada = IncidentSession.declare(writer, event, clock)
    clock.set(T0 + timedelta(minutes=6))
    ada.run_many(lambda s: commands.record_overdue_update(s, actor="lastgood", clock=clock))
    missed = "The first stakeholder update due at 09:05:00 UTC was not sent"
    with SqliteEventLog.open(db, read_only=True) as reading:
        app = FollowApp(reading, ada.state.id, clock=clock)
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_for_screen(pilot, FollowScreen)
            timeline = app.screen.query_one(Timeline)
            await wait_until(pilot, lambda: missed in _rows(timeline)[-1])
            assert _rows(timeline)[-1] == missed  # nothing became of it yet

            clock.set(T0 + timedelta(minutes=7))
            ada.run(
                lambda s: commands.send_communication(
                    s, actor="Ada", clock=clock, template="initiating"
                )
            )
            clock.set(T0 + timedelta(minutes=8))
            steps.decide(ada, "Ada", reason=CLAIM)
            await wait_until(pilot, lambda: timeline.shown_seq == ada.state.last_seq)
            rows = _rows(timeline)

    writer.close()
    late = f"{missed} by its due time; sent at T+07:00, 2m00s late"
    assert late in rows
    warned = [row for row in rows if " ⚠ " in row]
    assert len(warned) == 1, rows
    assert CLAIM in warned[0] and "but no rollback trigger was met then" in warned[0]
    # as `lastgood timeline` writes the same lines (its Markdown escapes aside)
    with SqliteEventLog.open(db, read_only=True) as log:
        said = markdown_timeline(ada.state, log.events(ada.state.id), clock.now())
    assert late in said
    assert "⚠ decide-rollback was approved by Ada as" in said
