"""The coordinator's screen and `attach` on a shared PostgreSQL record.

Other machines' events reach a screen on PostgreSQL through LISTEN/NOTIFY: its
once-a-second tick reads no events there (`live` is on), so an event another
process records shows only because the database said so. The writer is a real
`lastgood` process on its own connection.
"""

from __future__ import annotations

from store.postgres_log import PostgresEventLog
from tests.cli_helpers import Cli
from tests.tui.pilot_helpers import wait_for_screen, wait_until
from tui.app.app import LastGoodApp
from tui.app.follow_app import FollowApp
from tui.app.screens.follow import FollowScreen
from tui.app.screens.incident import IncidentScreen


def declared(pg_url: str) -> tuple[Cli, str]:
    cli = Cli(pg_url, actor="coordinator")  # type: ignore[arg-type]
    incident = cli.ok(
        "declare", "--title", "Checkout errors", "--severity", "SEV2", "--commander", "Ada"
    ).strip()
    return cli, incident


async def test_attach_on_postgresql_is_told_of_each_commit(pg_url: str) -> None:
    cli, incident = declared(pg_url)
    with PostgresEventLog.open(pg_url, read_only=True) as log:
        app = FollowApp(log, incident)
        async with app.run_test(size=(100, 30)) as pilot:
            await wait_for_screen(pilot, FollowScreen)
            screen = app.screen
            assert isinstance(screen, FollowScreen) and screen.live
            cli.ok("note", incident, "rolling back now")  # after the declaration and its step
            await wait_until(pilot, lambda: screen.state.last_seq == 3)
            assert screen.state.notes[-1].text == "rolling back now"


async def test_the_coordinators_screen_records_and_hears_on_postgresql(pg_url: str) -> None:
    cli, incident = declared(pg_url)
    with PostgresEventLog.open(pg_url) as log:
        app = LastGoodApp(log, None, actor="ada", incident_id=incident, network=False)
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_for_screen(pilot, IncidentScreen)
            screen = app.screen
            assert isinstance(screen, IncidentScreen) and screen.live
            cli.ok("note", incident, "from the database engineer's laptop")
            await wait_until(pilot, lambda: screen.state.last_seq == 3)
            await pilot.press("space")  # checks the highlighted step, recorded on PostgreSQL
            await wait_until(pilot, lambda: screen.state.last_seq == 4)
    with PostgresEventLog.open(pg_url, read_only=True) as reader:
        events = reader.events(incident)
        kinds = ["incident.declared", "step.checked", "note.added", "step.checked"]
        assert [e.kind for e in events] == kinds  # the first check: the commander's step
        assert reader.verify(incident).ok
