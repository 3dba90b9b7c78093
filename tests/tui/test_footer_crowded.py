"""The footer at 80 columns with `P`, `m` and `f` offered at once.

In the last phase, with a message due for confirmation and another that failed for
good against a webhook refusing connections on loopback, the footer offers
`P Post-mortem`, `m Send due` and `f Re-send failed` before the verbs. That row
was never looked at: it left `c Compose` and `q Quit` out (whole, as the footer does,
the last first). `f` says `Re-send` in the footer (its title, `Re-send failed`, in
help and the palette), as the close's `X` says `Close`, and every key fits.

Once the incident is closed no message falls due (`m` goes) and the verbs that change
its course go: `P` and `f` stay, beside help, note, compose and quit.

The one-phase runbook of the due-message tests makes its only phase the last, where
`P` shows; the clock is frozen, so the screen is a snapshot.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets._footer import FooterKey

from incident import commands
from incident.app.session import IncidentSession
from incident.core.clock import ManualClock
from store.sqlite_log import SqliteEventLog
from tests.tui.due_harness import (
    AUTO_ON_DECLARED,
    CONFIRM_ON_GATE,
    GATE,
    RUNBOOK,
    declare,
    delivery_statuses,
    offers_due,
    write_runbook,
)
from tests.tui.pilot_helpers import wait_for_screen, wait_until
from tests.tui.screen_text import screen_lines
from tui.app.app import LastGoodApp
from tui.app.screens.incident import IncidentScreen

T0 = datetime(2026, 11, 28, 9, 0, 0, tzinfo=UTC)
CROWDED = "? Help P Post-mortem m Send due f Re-send space Check n Note c Compose q Quit"
CLOSED = "? Help P Post-mortem f Re-send n Note c Compose q Quit"


@contextmanager
def crowded_app(
    tmp_path: Path, text: str = RUNBOOK, done: tuple[str, ...] = ()
) -> Iterator[LastGoodApp]:
    """The gate decided at T+2:10, its announcement due; the initiating message, sent
    by itself on opening at T+2:30, refused by its webhook (one try: failed for good).
    The runbook is `text` (`due_harness.RUNBOOK`), and the steps `done` are checked
    with the gate."""
    clock = ManualClock(T0)
    with socket.socket() as refusing:  # bound, not listening: connections refused
        refusing.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{refusing.getsockname()[1]}/hook"
        runbook = write_runbook(
            tmp_path, {"team": url}, AUTO_ON_DECLARED, CONFIRM_ON_GATE, text=text
        )
        db = tmp_path / "crowded.db"
        incident_id = declare(db, runbook, clock, incident_id="INC-20261128-FULL")
        with SqliteEventLog.open(db) as log:
            session = IncidentSession(log, incident_id, clock)
            clock.set(T0 + timedelta(minutes=2))
            session.run(
                lambda s: commands.approve(
                    s, GATE, by="Ada", reason="errors", actor="ada", clock=clock
                )
            )
            clock.set(T0 + timedelta(minutes=2, seconds=10))
            for step in (GATE, *done):
                session.run(
                    lambda s, step=step: commands.check_step(s, step, actor="ada", clock=clock)
                )
            clock.set(T0 + timedelta(minutes=2, seconds=30))
            app = LastGoodApp(
                log, runbook, clock=clock, actor="ada", incident_id=incident_id, poll_probes=False
            )
            app.delivery_attempts = 1
            yield app


async def crowded(pilot: Pilot[None]) -> None:
    """Until `m` and `f` are both in the footer, with no toast over the screen (the
    delivery's names the refusing port)."""
    await wait_for_screen(pilot, IncidentScreen)
    screen = pilot.app.screen
    assert isinstance(screen, IncidentScreen)
    await wait_until(pilot, lambda: delivery_statuses(screen) == ["failed"])
    await wait_until(pilot, lambda: offers_due(screen) and "f" in footer_keys(screen))
    pilot.app.clear_notifications()
    await pilot.pause()


def footer_keys(screen: IncidentScreen) -> list[str]:
    return [key.key for key in screen.query(FooterKey)]


def footer_drawn(app: LastGoodApp) -> str:
    """The footer's row as drawn, and every key it holds drawn whole in it."""
    screen = app.screen
    left_out = [key.key for key in screen.query(FooterKey) if not key.display]
    drawn = screen_lines(app)[-1].rstrip()
    assert not left_out, drawn
    return drawn


async def test_p_m_and_f_at_once_leave_every_key_whole_at_80_columns(tmp_path: Path) -> None:
    with crowded_app(tmp_path) as app:
        async with app.run_test(size=(80, 24)) as pilot:
            await crowded(pilot)
            assert footer_drawn(app) == CROWDED
            screen = app.screen
            assert isinstance(screen, IncidentScreen)
            with SqliteEventLog.open(app.event_log.path) as elsewhere:  # another terminal
                clock = ManualClock(T0 + timedelta(minutes=3))
                IncidentSession(elsewhere, screen.state.id, clock).run(
                    lambda s: commands.close(
                        s, actor="bo", clock=clock, force=True, reason="out of time"
                    )
                )
            await wait_until(pilot, lambda: screen.state.is_closed)
            await wait_until(pilot, lambda: "m" not in footer_keys(screen))
            await pilot.pause()
            assert footer_drawn(app) == CLOSED


def test_p_m_and_f_at_once_at_80x24_snapshot(snap_compare, tmp_path):
    with crowded_app(tmp_path) as app:
        assert snap_compare(app, terminal_size=(80, 24), run_before=crowded)
