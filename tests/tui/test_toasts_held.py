"""The rollback decided at another terminal stays up for its time, and in one column
toasts sit at the foot, clear of the steps and the guidance's words.

Only two toasts were live at once (`plain.MAX_TOASTS`), the newest two, and under 38
rows only the newest showed: the decision raised the due messages' toast and two notes
from another terminal then pushed the decision's 30-second toast off within seconds.
Now a toast that `holds` (the decision) keeps its place, and is the one shown when the
rack shows one. In one column (under 60 columns) the toast, half the screen wide and
three rows high, lay over the guidance's words and cut a person's words at its last row.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.app import App
from textual.geometry import Region
from textual.pilot import Pilot
from textual.widgets._toast import Toast, ToastHolder

from incident.app import people, steps
from incident.app.session import IncidentSession
from incident.core.clock import ManualClock
from store.sqlite_log import SqliteEventLog
from tests.tui.coordinator_harness import coordinator, declared
from tests.tui.pilot_helpers import wait_for_screen, wait_until
from tui.app.app import LastGoodApp
from tui.app.follow_app import FollowApp
from tui.app.plain import UNTIL_REPLACED_S
from tui.app.screens.follow import FollowScreen
from tui.app.screens.incident import IncidentScreen
from tui.app.widgets.checklist import Checklist
from tui.app.widgets.guidance import Guidance
from tui.demo.scenarios import SCENARIO_T0

DECIDED = "Rollback decided by ada, recorded by Cass"
REASON = "checkout 12% errors since 2.4.1, trigger met; roll back now, everyone"
NOTES = [
    f"note {n} from the bridge: the quick brown fox jumps over the lazy dog" for n in (1, 2, 3)
]


def shown(app: App[None]) -> dict[str, Toast]:
    """The toasts on screen, by title: mounted, their holder displayed, with some area."""
    return {
        toast._notification.title: toast
        for toast in app.screen.query(Toast)
        if isinstance(toast.parent, ToastHolder) and toast.parent.display and toast.region.area > 0
    }


def live(app: App[None]) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def decided_then_noted(
    db: Path, app: LastGoodApp, pilot: Pilot[None], screen: IncidentScreen
) -> None:
    """Cass records the decision (ada's word) at another terminal, then ada's three
    notes, written to the record as that terminal's face would; each toast waited for."""
    with SqliteEventLog.open(db) as log:
        elsewhere = IncidentSession(log, screen.state.id, screen.view.clock)
        steps.decide(elsewhere, "Cass", by="ada", reason=REASON)
        await wait_until(pilot, lambda: REASON in live(app))
        for note in NOTES:
            people.note(elsewhere, "ada", note)
            await wait_until(pilot, lambda note=note: note in live(app))
    await pilot.pause()


@pytest.mark.parametrize(
    "size", [(46, 22), (80, 24), (100, 30), (120, 40)], ids=lambda s: f"{s[0]}x{s[1]}"
)
async def test_the_decision_stays_up_through_three_notes(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    db = tmp_path / "held.db"
    async with coordinator(db, size=size, notifications=True) as (app, pilot, screen):
        await decided_then_noted(db, app, pilot, screen)
        on_screen = shown(app)
        assert DECIDED in on_screen, (list(on_screen), live(app))
        assert REASON in str(on_screen[DECIDED].render())
        # No empty holders left in the rack by toasts taken down or put last: under 38
        # rows an empty one last in the rack hid the live toast before it.
        await wait_until(pilot, lambda: len(app.screen.query(ToastHolder)) == len(live(app)))
        if size[1] >= 38 and size[0] >= 60:  # room for two: the newest note beside it
            assert "Note from ada" in on_screen, list(on_screen)
            assert NOTES[-1] in str(on_screen["Note from ada"].render())


async def test_in_one_column_the_toast_is_at_the_foot_clear_of_the_work(tmp_path: Path) -> None:
    db = tmp_path / "narrow.db"
    async with coordinator(db, size=(46, 22), notifications=True) as (app, pilot, screen):
        await decided_then_noted(db, app, pilot, screen)
        [toast] = shown(app).values()
        checklist = screen.query_one(Checklist)
        guidance = screen.query_one(Guidance)
        work = (checklist.region, guidance.content_region)
        assert not any(toast.region.overlaps(region) for region in work), (toast.region, work)
        assert toast.region == Region(0, 20, 46, 2)  # across the foot: footer and border
        title, words = (toast.render_line(y).text.rstrip() for y in (0, 1))
        assert title.endswith(DECIDED)
        said = words.lstrip("▌ ").strip()  # the person's words, cut with an ellipsis
        assert said.endswith("…") and REASON.startswith(said.removesuffix("…")), said


async def test_the_follow_view_keeps_the_decision_at_its_foot_too(tmp_path: Path) -> None:
    """attach (and serve's view): the same news, the same rack, read-only."""
    db = tmp_path / "follow.db"
    clock = ManualClock(SCENARIO_T0)
    incident_id = declared(db, clock, decided=False)
    with SqliteEventLog.open(db, read_only=True) as log:
        app = FollowApp(log, incident_id, clock=clock)
        async with app.run_test(size=(46, 22), notifications=True) as pilot:
            await wait_for_screen(pilot, FollowScreen)
            with SqliteEventLog.open(db) as writable:
                elsewhere = IncidentSession(writable, incident_id, clock)
                steps.decide(elsewhere, "Cass", by="ada", reason=REASON)
                await wait_until(pilot, lambda: REASON in live(app))
                for note in NOTES:
                    people.note(elsewhere, "ada", note)
                    await wait_until(pilot, lambda note=note: note in live(app))
            await pilot.pause()
            on_screen = shown(app)
            assert list(on_screen) == [DECIDED], (list(on_screen), live(app))
            assert on_screen[DECIDED].region == Region(0, 20, 46, 2)


async def test_a_toast_up_until_replaced_does_not_hold_its_place(tmp_path: Path) -> None:
    """ "Lost the connection" stays up until "Reconnected" replaces it, maybe an hour:
    held, it would keep every later toast off the screen under 38 rows as long."""
    db = tmp_path / "until.db"
    async with coordinator(db, size=(80, 24), notifications=True) as (app, pilot, screen):
        screen.notify("db.example:5432", title="Lost", severity="error", timeout=UNTIL_REPLACED_S)
        await wait_until(pilot, lambda: "Lost" in shown(app))
        screen.notify(NOTES[0], title="Note from ada")
        await wait_until(pilot, lambda: "Note from ada" in shown(app))
        assert "Lost" not in shown(app)  # beneath it, in the rack, back once it goes
        assert "db.example:5432" in live(app)
