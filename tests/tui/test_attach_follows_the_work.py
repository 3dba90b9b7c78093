"""attach (and serve, which runs it) follows the work as the record moves: its
highlight on the step `brief` calls "Next step", and the messages due as `status`
lists them. It stayed on `[x] Assess severity` all incident long and said nothing of
three messages due, while the coordinator's footer said `m Send due` (ux_review6
finding 10). It still records nothing."""

from __future__ import annotations

from pathlib import Path

from incident import commands
from incident.app import messages, steps
from incident.app.session import IncidentSession
from incident.core.clock import SystemClock
from incident.reports.brief import brief_text
from incident.reports.status import status_text
from runbooks import load_runbook, resolve_runbook
from store.sqlite_log import SqliteEventLog
from tests.tui.pilot_helpers import wait_for_screen, wait_until
from tests.tui.screen_text import screen_lines
from tui.app.follow_app import FollowApp
from tui.app.screens.follow import FollowScreen
from tui.app.widgets.checklist import Checklist


def declared(db: Path) -> str:
    details = commands.Declaration(
        title="Search timeouts", severity="SEV3", commander="Ada", channel="#inc-search"
    )
    clock = SystemClock()
    runbook = load_runbook(resolve_runbook("rollback"))
    event = commands.declare(runbook, details, actor="Ada", clock=clock)
    with SqliteEventLog.open(db) as log:
        return IncidentSession.declare(log, event, clock).state.id


def brief_next_step(db: Path, incident_id: str) -> str:
    """The step id `brief` names on its "Next step:" line."""
    with SqliteEventLog.open(db, read_only=True) as log:
        state = IncidentSession(log, incident_id, SystemClock()).state
    said = brief_text(state, SystemClock().now()).splitlines()
    line = next(x for x in said if x.startswith("Next step: "))
    return line.removeprefix("Next step: ").split(":", 1)[0]


def status_due(db: Path, incident_id: str) -> list[str]:
    """The templates `status` lists as due."""
    with SqliteEventLog.open(db, read_only=True) as log:
        state = IncidentSession(log, incident_id, SystemClock()).state
    said = status_text(state, SystemClock().now()).splitlines()
    return [x.removeprefix("message due: ").split(" ", 1)[0] for x in said if "message due" in x]


async def test_attach_follows_the_next_step_and_shows_the_messages_due(tmp_path: Path) -> None:
    db = tmp_path / "shared.db"
    incident_id = declared(db)
    writer = SqliteEventLog.open(db)
    ada = IncidentSession(writer, incident_id, SystemClock())
    with SqliteEventLog.open(db, read_only=True) as reading:
        app = FollowApp(reading, incident_id)
        async with app.run_test(size=(80, 24), notifications=True) as pilot:
            await wait_for_screen(pilot, FollowScreen)
            screen = app.screen
            assert isinstance(screen, FollowScreen)
            checklist = screen.query_one(Checklist)

            def highlighted() -> str | None:
                return checklist.highlighted_step

            assert highlighted() == "assess-severity" == brief_next_step(db, incident_id)
            for step in ("assess-severity", "create-channel"):
                steps.check(ada, "Ada", step)
                following = brief_next_step(db, incident_id)
                await wait_until(pilot, lambda f=following: highlighted() == f)
            assert highlighted() == "assign-commander"

            # The watcher moves to read another step: it stays while the work does not
            # move on (a note), and the next step is highlighted again once it does.
            await pilot.press("down", "down")
            assert highlighted() == "announce-rollback"
            ada.run(
                lambda s: commands.add_note(
                    s, "paging the search team", actor="Ada", clock=ada.clock
                )
            )
            await wait_until(pilot, lambda: screen.state.notes != [])
            assert highlighted() == "announce-rollback"
            steps.check(ada, "Ada", "assign-commander")
            assert brief_next_step(db, incident_id) == "decide-rollback"
            await wait_until(pilot, lambda: highlighted() == "decide-rollback")
            steps.decide(ada, "Ada", reason="p99 at 8s, search unusable")
            due = status_due(db, incident_id)
            assert due == ["announce", "initiating", "paging"]
            following = brief_next_step(db, incident_id)
            assert following == "announce-rollback"
            await wait_until(pilot, lambda: highlighted() == following)

            # The messages due, as the coordinator's toast names them, without its key.
            said = "3 messages due: announce, initiating, paging"
            await wait_until(
                pilot,
                lambda: said in [str(n.message) for n in app._notifications],
            )
            bar = screen_lines(app)[0].strip()  # at 80 columns, the toast names them
            assert bar.endswith("  3 messages due  read-only"), bar
            await pilot.resize_terminal(120, 40)
            await wait_until(pilot, lambda: said in screen_lines(app)[0])
            before = ada.state.last_seq

            # One declined: the bar says what is left.
            messages.decline(ada, "Ada", "paging", reason="team already paged")
            await wait_until(
                pilot,
                lambda: "2 messages due: announce, initiating" in screen_lines(app)[0],
            )
            assert screen.state.last_seq == before + 1
    writer.close()
    # Read-only: every event in the record is Ada's.
    with SqliteEventLog.open(db, read_only=True) as log:
        assert {event.actor for event in log.events(incident_id)} == {"Ada"}
