"""What another terminal records that the person typing must not miss is a toast.

ux_review13 #8: the commander, on a phone, decided the rollback ("go") while Eve typed
in the coordinator's screen; Eve's screen showed two timeline rows cut at 30
characters (`Approved decide-rollback b…`) and a toast about the messages due, and
her highlight stayed on "Assess severity". Notes (pinned or not), the database tier
and a severity change came the same way: rows only. So did the follow view.

Here three people on one real SQLite file: Eve at the coordinator's screen, Bo
following (`attach`), and Cass, the incident commander, deciding in a coordinator's
screen of her own, then from her phone (the CLI, in this process, under her name).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Input

from incident import commands
from incident.core.clock import ManualClock
from store.sqlite_log import SqliteEventLog
from tests.cli_helpers import InProcessCli
from tests.tui.pilot_helpers import wait_for_screen, wait_until
from tui.app.app import LastGoodApp
from tui.app.follow_app import FollowApp
from tui.app.modals import DecisionModal
from tui.app.screens.announcements import NEWS_CHARS
from tui.app.screens.follow import FollowScreen
from tui.app.screens.incident import IncidentScreen
from tui.demo.scenarios import bundled_runbook

CASS = "Cass Commander"
REASON = "checkout 12% errors since 2.4.1, trigger met"


def declared(db: Path) -> tuple[str, ManualClock]:
    """An incident two minutes old, Cass in command, declared by Eve."""
    clock = ManualClock(datetime.now(UTC) - timedelta(minutes=2))
    details = commands.Declaration(
        title="Checkout errors after 2.4.1", severity="SEV2", commander=CASS, issue="12% errors"
    )
    event = commands.declare(bundled_runbook(), details, actor="Eve Engineer", clock=clock)
    with SqliteEventLog.open(db) as log:
        log.append([event])
    clock.set(datetime.now(UTC))
    return event.incident_id, clock


def toasts(app: App[object], title: str) -> list[str]:
    """The messages of the live toasts titled `title`."""
    return [str(n.message) for n in app._notifications if n.title == title]


async def told(pilot: Pilot[object], title: str) -> str:
    """The live toast titled `title`, once there is one."""
    app = pilot.app
    await wait_until(pilot, lambda: bool(toasts(app, title)), timeout=60)
    [said] = toasts(app, title)
    return said


async def test_the_commanders_go_notes_tier_and_severity_reach_eve_and_bo(tmp_path: Path) -> None:
    db = tmp_path / "shared.db"
    incident_id, clock = declared(db)
    phone = InProcessCli(db, actor=CASS)
    with (
        SqliteEventLog.open(db) as eves,
        SqliteEventLog.open(db) as cass_log,
        SqliteEventLog.open(db, read_only=True) as bos,
    ):
        eve = LastGoodApp(eves, None, clock=clock, actor="Eve Engineer", incident_id=incident_id)
        cass = LastGoodApp(cass_log, None, clock=clock, actor=CASS, incident_id=incident_id)
        bo = FollowApp(bos, incident_id, clock=clock)
        async with (
            eve.run_test(size=(100, 30), notifications=True) as eve_pilot,
            cass.run_test(size=(100, 30), notifications=True) as cass_pilot,
            bo.run_test(size=(80, 24), notifications=True) as bo_pilot,
        ):
            await wait_for_screen(eve_pilot, IncidentScreen)
            await wait_for_screen(bo_pilot, FollowScreen)
            await wait_for_screen(cass_pilot, IncidentScreen)

            # Cass decides in her own screen: "go".
            await cass_pilot.press("d")
            await wait_for_screen(cass_pilot, DecisionModal)
            cass.screen.query_one("#reason", Input).value = REASON
            await cass_pilot.press("ctrl+s")
            await wait_for_screen(cass_pilot, IncidentScreen)
            cass_screen = cass.screen
            assert isinstance(cass_screen, IncidentScreen)
            await wait_until(cass_pilot, lambda: "decide-rollback" in cass_screen.state.approvals)

            title = f"Rollback decided by {CASS}"
            for pilot in (eve_pilot, bo_pilot):
                assert await told(pilot, title) == REASON
            # Still up once the messages it made due are said beside it.
            await wait_until(eve_pilot, lambda: bool(toasts(eve, "Message due")))
            assert toasts(eve, title) == [REASON]
            assert toasts(cass, title) == []  # hers: the verb's own toast said it

            news: list[tuple[Callable[[], object], str, str]] = [
                (
                    lambda: phone.ok(
                        "note", incident_id, "--pin", "No DB rollback; VP Vic told by phone 19:55"
                    ),
                    f"Pinned note from {CASS}",
                    "No DB rollback; VP Vic told by phone 19:55",
                ),
                (
                    lambda: phone.ok(
                        "note", incident_id, "Eve: hold the RCA until 09:00, go to bed after close"
                    ),
                    f"Note from {CASS}",
                    "Eve: hold the RCA until 09:00, go to bed after close",
                ),
                (
                    lambda: phone.ok(
                        "db-tier", incident_id, "none", "--reason", "expand-contract, no migration"
                    ),
                    f"Database tier chosen by {CASS}",
                    "none (no data loss): expand-contract, no migration",
                ),
                (
                    lambda: phone.ok(
                        "severity", incident_id, "SEV1", "--reason", "all checkouts failing"
                    ),
                    f"Severity changed by {CASS}",
                    "SEV2 -> SEV1: all checkouts failing",
                ),
            ]
            for record, title, said in news:
                record()
                for pilot in (eve_pilot, bo_pilot):
                    assert await told(pilot, title) == said, title

            # Long words are cut at a word, with an ellipsis; who says it is in the title.
            long = "the VP wants " + "a very long explanation " * 20 + "end"
            phone.ok("note", incident_id, long)
            for pilot in (eve_pilot, bo_pilot):
                app = pilot.app
                notes = partial(toasts, app, f"Note from {CASS}")
                await wait_until(pilot, lambda n=notes: any(t.startswith("the VP") for t in n()))
                [said] = notes()
                kept = said.removesuffix("…")
                assert long.startswith(kept) and long[len(kept)] == " ", said  # a whole word
                assert NEWS_CHARS - 12 < len(said) <= NEWS_CHARS
