"""The Production panel says who polls production, and goes on saying it.

A second poller (a coordinator's screen, a `monitor`) finding another holding the
probes' turn said so once, in a 15-second toast; after it nothing told the coordinator
whether the readings came from this screen, a monitor on another machine, or nobody
any more. The panel's last line now says it, from the ticks in the record: written
here through the application layer (`incident.app.health.record_samples`, as every
poller records) into a real SQLite file, the screen opened on it with a manual clock.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from textual.pilot import Pilot

from incident.app.health import record_samples
from incident.app.lifecycle import Declaration, declare
from incident.app.probe_turn import poller_name
from incident.app.session import IncidentSession
from incident.core.clock import ManualClock
from incident.core.phase_clocks import t_plus
from incident.core.samples import Outcome, Sample
from incident.health.turns import turn_lapse_s
from runbooks.loading import load_runbook
from store.sqlite_log import SqliteEventLog
from tests.probe_runbooks import probe_runbook
from tests.tui.contrast import row_text, widget_cells
from tests.tui.pilot_helpers import wait_for_screen, wait_until
from tui.app.app import LastGoodApp
from tui.app.screens.incident import IncidentScreen
from tui.app.widgets.health import HealthPanel

ADA = "Ada's monitor (pid 4242 on bastion)"
"""A `monitor` on another machine, as its ticks name it."""
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def runbook_file(directory: Path, probes: int) -> Path:
    rows = [
        f"{{name: probe-{n}, kind: http, url: 'http://192.0.2.1/{n}', interval_s: 5, timeout_s: 2}}"
        for n in range(1, probes + 1)
    ]
    return probe_runbook(directory / "probes.yaml", *rows)


@dataclass
class Polled:
    """An incident in a real SQLite file, and a poller's side of it."""

    log: SqliteEventLog
    incident_id: str
    clock: ManualClock
    probes: tuple[str, ...]

    def tick(self, poller: str | None) -> datetime:
        """One tick of every probe, recorded as `poller`'s; when it was recorded."""
        now = self.clock.now()
        samples = [Sample(name, now, Outcome.OK, 12.0, 200) for name in self.probes]
        session = IncidentSession(self.log, self.incident_id, self.clock)
        assert record_samples(session, samples, poller=poller).events  # in its turn
        return now


@dataclass
class Screen:
    """The coordinator's screen on `Polled`'s incident, and its Production panel."""

    app: LastGoodApp
    pilot: Pilot[None]
    panel: HealthPanel

    def rows(self) -> list[str]:
        """The panel's rows as drawn, inside its border (the borders as blank rows)."""
        return [row_text(cells)[2:-2].strip(" ─") for cells in widget_cells(self.app, self.panel)]

    def mark(self) -> str:
        """The panel's last row, above its bottom border (and beside its scrollbar)."""
        return self.rows()[-2].rstrip(" ▁▂▃▄▅▆▇█")

    async def marked(self, words: str) -> None:
        """Once the panel's last row reads `words` (the view reads time every second)."""
        try:
            await wait_until(self.pilot, lambda: self.mark() == words)
        except AssertionError:
            raise AssertionError(f"the panel's last row reads {self.mark()!r}") from None


@asynccontextmanager
async def screen_on(
    tmp_path: Path, *, probes: int = 3, size: tuple[int, int] = (80, 24), poller: str | None = ADA
) -> AsyncIterator[tuple[Polled, Screen, datetime]]:
    """The coordinator's screen (probes off, as `--no-probes`) on an incident whose
    last tick `poller` recorded 30 s after it was declared (`T+00:30`)."""
    clock = ManualClock(START)
    with SqliteEventLog.open(tmp_path / "polled.db") as log:
        runbook = load_runbook(runbook_file(tmp_path, probes))
        session = declare(log, runbook, Declaration("t", "SEV2", "Ada"), actor="ada", clock=clock)
        polled = Polled(log, session.state.id, clock, tuple(p.name for p in runbook.probes))
        clock.advance(30)
        at = polled.tick(poller)
        app = LastGoodApp(
            log, None, clock=clock, actor="bo", incident_id=polled.incident_id, network=False
        )
        async with app.run_test(size=size) as pilot:
            await wait_for_screen(pilot, IncidentScreen)
            yield polled, Screen(app, pilot, app.screen.query_one(HealthPanel)), at


async def test_the_panel_says_another_poller_polls_then_that_it_stopped(tmp_path: Path) -> None:
    async with screen_on(tmp_path) as (polled, screen, _at):
        await screen.marked("polled by Ada's monitor, T+00:30")  # at 80x24
        assert [row[:9] for row in screen.rows()[1:4]] == [f"● probe-{n}" for n in (1, 2, 3)]

        # Ada's monitor goes on: the mark follows its ticks.
        polled.clock.advance(5)
        later = polled.tick(ADA)
        await screen.marked("polled by Ada's monitor, T+00:35")

        # Its ticks stop: nothing more is recorded, and time alone lapses its turn.
        lapse = timedelta(seconds=turn_lapse_s(screen.app.screen.state.runbook))
        polled.clock.set(later + lapse)
        await screen.pilot.pause()
        assert screen.mark() == "polled by Ada's monitor, T+00:35"
        polled.clock.set(later + lapse + timedelta(seconds=1))
        await screen.marked("not polled since T+00:35 (Ada's mo…)")

        # It polls again (or another poller takes the turn): said at once.
        again = polled.tick("Cy's monitor (pid 7 on db-2)")
        await screen.marked(f"polled by Cy's monitor, {t_plus(screen.app.screen.state, again)}")


async def test_at_120_columns_it_says_whose_and_when_in_more_words(tmp_path: Path) -> None:
    async with screen_on(tmp_path, size=(120, 40)) as (polled, screen, at):
        await screen.marked("polled by Ada's monitor, last tick T+00:30")
        polled.clock.set(at + timedelta(seconds=turn_lapse_s(screen.app.screen.state.runbook) + 1))
        await screen.marked("not polled since T+00:30; Ada's monitor stopped")


async def test_polled_by_this_screen_the_panel_is_as_it_was(tmp_path: Path) -> None:
    """The screen's poller is this process, as its ticks (or its child's) name it: no
    line, and none of the guidance's rows taken at 80x24; once its ticks stop, it says
    so as of another poller."""
    async with screen_on(tmp_path, poller=poller_name("Bo", "screen")) as (polled, screen, at):
        assert len(screen.rows()) == 5, screen.rows()  # the border, three rows, the border
        assert screen.mark().startswith("● probe-3")
        polled.clock.set(at + timedelta(seconds=turn_lapse_s(screen.app.screen.state.runbook) + 1))
        await screen.marked("not polled since T+00:30")  # "; polling here stopped" at 120
        assert len(screen.rows()) == 6


async def test_ticks_that_name_no_poller_are_marked_only_once_they_stop(tmp_path: Path) -> None:
    """Ticks recorded by an earlier release, or a script (the demo's scenarios, which the
    README's screenshots show), name no poller: "polled by another poller" under every
    such screenshot read as news where there was none. No line while they come; once
    they stop, the panel says so."""
    async with screen_on(tmp_path, poller=None) as (polled, screen, at):
        assert len(screen.rows()) == 5, screen.rows()  # the border, three rows, the border
        polled.clock.set(at + timedelta(seconds=turn_lapse_s(screen.app.screen.state.runbook) + 1))
        await screen.marked("not polled since T+00:30")
        assert len(screen.rows()) == 6


async def test_a_pollers_name_is_shown_as_written_never_obeyed(tmp_path: Path) -> None:
    """It comes from another machine's record: markup is text, control bytes are shown."""
    hostile = "[b]Eve[/b]\x1b[2J\x07"
    async with screen_on(tmp_path, size=(120, 40), poller=hostile) as (_, screen, _at):
        await screen.marked("polled by [b]Eve[/b]␛[2J␇, last tick T+00:30")


async def test_the_mark_takes_no_probes_row(tmp_path: Path) -> None:
    """Seven probes at 80x24: the panel shows six rows and scrolls, as it did, and the
    mark is a line more; scrolled to the end, the seventh shows above the mark."""
    async with screen_on(tmp_path, probes=7) as (_, screen, _at):
        await screen.marked("polled by Ada's monitor, T+00:30")
        shown = screen.rows()
        assert [row[:9] for row in shown[1:7]] == [f"● probe-{n}" for n in range(1, 7)], shown
        assert len(shown) == 9, shown  # the border, six rows, the mark, the border
        screen.panel.scroll_end(animate=False, immediate=True)
        await wait_until(screen.pilot, lambda: screen.rows()[6][:9] == "● probe-7")
        assert screen.mark() == "polled by Ada's monitor, T+00:30"


async def test_the_mark_comes_without_a_scrollbar_between(tmp_path: Path) -> None:
    """The panel grows by the mark's line with the next layout; counted in its virtual
    size at once, it showed a scrollbar for a frame in between, a cell less for every
    row, which cut the probes' names (`test_stale_readings` caught one such frame
    under load)."""
    async with screen_on(tmp_path, poller=None) as (polled, screen, at):
        view_now = at + timedelta(seconds=turn_lapse_s(screen.app.screen.state.runbook) + 1)
        polled.clock.set(view_now)
        panel = screen.panel
        rows = panel.scrollable_content_region.height
        screen.app.screen.view.mark_polling()  # what the view's tick does
        assert panel.marked
        assert panel.virtual_size.height <= rows, (panel.virtual_size, rows)
        assert [row[:9] for row in screen.rows()[1:4]] == [f"● probe-{n}" for n in (1, 2, 3)]
        await screen.marked("not polled since T+00:30")
        assert panel.virtual_size.height == 4 == panel.scrollable_content_region.height
        assert not panel.show_vertical_scrollbar
