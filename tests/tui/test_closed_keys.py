"""Once the incident is closed, the coordinator's keys offer only what it accepts.

Walking the guide in tmux, a closed incident's footer still showed Check, Skip,
Approve and DB tier, which the record then refused ("incident ... is closed"). The
verb table marks the verbs a closed incident refuses (`Verb.open_only`); the screen's
bindings follow it, so the footer, the keys and the palette offer only notes,
messages and the post-mortem. The real app on a real SQLite file.
"""

from __future__ import annotations

from pathlib import Path

from incident.app.verbs import BY_NAME
from tests.scenario_copies import scenario_copy
from tests.tui.pilot_helpers import (
    coordinator_on,
    fill_form,
    scenario_app,
    wait_for_screen,
    wait_for_ticks,
    wait_until,
)
from tests.tui.screen_text import screen_lines
from tui.app.screens.incident import IncidentScreen
from tui.app.screens.postmortem import PostmortemScreen

REFUSED_ONCE_CLOSED = ("Check", "Skip", "Approve", "DB tier")
"""Verbs a closed incident refuses. Of them only Check is in an open incident's footer
under 120 columns (these tests' width): Skip, Approve and DB tier are in help and the
palette there, and in the footer from 120 (`Verb.footer`)."""


def footer(app: object) -> str:
    return screen_lines(app)[-1]  # type: ignore[arg-type]


def palette_titles(app: object, screen: IncidentScreen) -> set[str]:
    return {command.title for command in app.get_system_commands(screen)}  # type: ignore[attr-defined]


async def test_a_closed_incident_offers_only_what_it_accepts(tmp_path: Path) -> None:
    scenario = scenario_copy("closed", tmp_path / "closed.db")
    async with coordinator_on(scenario) as (app, pilot, screen):
        assert screen.state.is_closed
        shown = footer(app)
        for title in REFUSED_ONCE_CLOSED:
            assert title not in shown, shown
        assert "Note" in shown and "Compose" in shown, shown

        before = screen.state.last_seq
        for key in ("space", "x", "s", "a", "b", "u", "t", "p", "r", "h", "v", "X", "d"):
            await pilot.press(key)
            await pilot.pause()
            assert app.screen is screen, key  # no form, no question, no dialog
        await wait_for_ticks(pilot, screen)
        assert screen.state.last_seq == before  # nothing recorded

        titles = palette_titles(app, screen)
        for name in ("check", "skip", "approve", "db-tier", "close", "reopen", "assign"):
            assert BY_NAME[name].title not in titles, name
        for name in ("note", "send", "rca", "lesson", "schedule-postmortem", "export"):
            assert BY_NAME[name].title in titles, name


async def test_closing_takes_the_refused_verbs_out_of_the_footer(tmp_path: Path) -> None:
    scenario = scenario_copy("close-out", tmp_path / "close-out.db")
    async with coordinator_on(scenario) as (app, pilot, screen):
        assert "space Check" in footer(app), footer(app)
        assert BY_NAME["check"].title in palette_titles(app, screen)

        await pilot.press("X")  # required steps open: the forced close's form
        await fill_form(pilot, force=True, reason="the rest is in the post-mortem")
        await wait_until(pilot, lambda: screen.state.is_closed)
        await wait_for_screen(pilot, IncidentScreen)
        await wait_until(pilot, lambda: "Check" not in footer(app))
        for title in REFUSED_ONCE_CLOSED:
            assert title not in footer(app), footer(app)
        assert "Note" in footer(app)
        assert BY_NAME["check"].title not in palette_titles(app, screen)


async def test_x_on_a_closed_incident_says_it_is_closed(tmp_path: Path) -> None:
    """`X` did nothing at all once the incident was closed, on either screen: now a
    toast says what `lastgood close` says, and nothing opens or is recorded."""
    scenario = scenario_copy("closed", tmp_path / "closed.db")
    app = scenario_app(scenario)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        screen = app.screen
        assert isinstance(screen, IncidentScreen) and screen.state.is_closed
        refusal = f"incident {screen.state.id} is closed"
        before = screen.state.last_seq
        for shown_on in (IncidentScreen, PostmortemScreen):
            app.clear_notifications()
            await pilot.press("X")
            await wait_until(pilot, lambda: any(n.message == refusal for n in app._notifications))
            assert isinstance(app.screen, shown_on)  # no form, no question
            await pilot.press("P")
            await wait_for_screen(pilot, PostmortemScreen)
        await wait_for_ticks(pilot, screen)
        assert screen.state.last_seq == before  # nothing recorded


async def test_a_reopened_closed_incident_shows_p_in_the_footer_on_any_phase(
    tmp_path: Path,
) -> None:
    """`lastgood start --incident ID` on a closed incident opened on phase 1 with no `P`
    in the footer, though the post-mortem is the only work left (`P` showed only after
    `→ → →` to the last phase). Once closed, `P` is in the footer in every phase, at 80
    columns beside `q Quit`."""
    scenario = scenario_copy("closed", tmp_path / "closed.db")
    async with coordinator_on(scenario, size=(80, 24)) as (app, pilot, screen):
        phases = screen.state.runbook.phases
        for _ in phases:
            await wait_until(pilot, lambda: "P Post-mortem" in footer(app))
            assert "q Quit" in footer(app), footer(app)
            screen.action_phase(1)
        await pilot.press("P")
        await wait_for_screen(pilot, PostmortemScreen)
