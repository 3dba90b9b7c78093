"""A drill's score card shows on the coordinator's screen when the drill is closed,
here by another writer (a second terminal's `lastgood close`), with `score`'s lines."""

from __future__ import annotations

from pathlib import Path

from msgspec.structs import replace
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Static

from incident import commands
from incident.app.session import IncidentSession
from incident.core.clock import ManualClock
from incident.reports.drill_score import score_card, score_text
from store.sqlite_log import SqliteEventLog
from tests.tui.pilot_helpers import from_palette, scenario_app, wait_for_screen
from tui.app.app import LastGoodApp
from tui.app.modals.picker import IncidentPicker
from tui.app.modals.score_card import ScoreCardModal
from tui.app.modals.verb_form import VerbForm
from tui.app.screens.incident import IncidentScreen
from tui.app.screens.postmortem import PostmortemScreen
from tui.demo.scenarios import (
    ACTOR,
    DECLARATION,
    SCENARIO_ID,
    SCENARIO_T0,
    bundled_runbook,
    closing,
    declared,
)


async def test_closing_a_drill_shows_its_score_card(tmp_path: Path) -> None:
    db = tmp_path / "drill.db"
    scenario = closing(db, replace(DECLARATION, drill="irreversible-migration"))
    app = LastGoodApp(
        scenario.log,
        None,
        clock=scenario.clock,
        actor=ACTOR,
        incident_id=SCENARIO_ID,
        network=False,
    )
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        with SqliteEventLog.open(db) as other:
            elsewhere = IncidentSession(other, SCENARIO_ID, scenario.clock)
            elsewhere.run(lambda s: commands.close(s, actor="Bo", clock=scenario.clock))
            expected = score_text(score_card(elsewhere.state, scenario.clock.now()))
        await wait_for_screen(pilot, ScoreCardModal)  # the screen's tick read the close
        modal = app.screen
        head = str(modal.query_one("#score-head", Static).render())
        total = str(modal.query_one("#score-total", Static).render())
        lines = str(modal.query_one("#score-lines", Static).render()).splitlines()
        head_line, total_line, *card_lines = expected.splitlines()
        assert head == head_line
        assert head.endswith(
            "(closed): A release with an irreversible migration [irreversible-migration]"
        )
        assert total == total_line == "Score: 7 of 8 met"
        assert [line[2:] for line in lines] == card_lines
        assert lines[0] == (
            "✗ Phase 1 Decision and Communication: done at T+12:16 of its T+0-5m window "
            "(7m16s over) - late"
        )
        assert any(line.startswith("✓ Database tier: none fits the fault") for line in lines)
        await pilot.press("q")
        await wait_for_screen(pilot, IncidentScreen)


async def test_the_picker_leaves_drills_out(tmp_path: Path) -> None:
    """Two real incidents and two drills open: the picker lists the two real ones; with
    one real incident beside a drill, the app opens it without asking."""
    clock = ManualClock(SCENARIO_T0)
    log = SqliteEventLog.open(tmp_path / "mixed.db")
    runbook = bundled_runbook()
    drill = replace(DECLARATION, drill="flapping-health")
    for incident_id, details in (
        ("INC-20261128-AAAA", DECLARATION),
        ("INC-20261128-DRL1", drill),
        ("INC-20261128-BBBB", DECLARATION),
        ("INC-20261128-DRL2", drill),
    ):
        event = commands.declare(
            runbook, details, actor=ACTOR, clock=clock, incident_id=incident_id
        )
        log.append([event])
    app = LastGoodApp(log, runbook, clock=clock, actor=ACTOR, network=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, IncidentPicker)
        assert [row.id for row in app.screen.rows] == ["INC-20261128-AAAA", "INC-20261128-BBBB"]
    with log:
        session = IncidentSession(log, "INC-20261128-BBBB", clock)
        session.run(lambda s: commands.close(s, actor=ACTOR, clock=clock, force=True, reason="dup"))
    alone = LastGoodApp(
        SqliteEventLog.open(tmp_path / "mixed.db"),
        runbook,
        clock=clock,
        actor=ACTOR,
        network=False,
    )
    async with alone.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        assert alone.screen.state.id == "INC-20261128-AAAA"


def drill_app(tmp_path: Path) -> LastGoodApp:
    """A drill just declared, its required steps open: closing it needs force."""
    scenario = declared(tmp_path / "forced.db", details=replace(DECLARATION, drill="bad-release"))
    return scenario_app(scenario)


async def force_close_by_keys(pilot: Pilot[None]) -> VerbForm:
    """The close form as the coordinator fills it: Force, a reason, ctrl+s."""
    await wait_for_screen(pilot, VerbForm)
    form = pilot.app.screen
    assert isinstance(form, VerbForm)
    await pilot.press("space", "tab", *"end drill", "ctrl+s")
    return form


async def the_form_closes_then_the_card_shows(
    pilot: Pilot[None], form: VerbForm, beneath: type[Screen[None]]
) -> None:
    """The card is on top, the close form gone for good, and q shows `beneath` again
    (the form used to stay, dead to every key, with the card popped from under it)."""
    app = pilot.app
    await wait_for_screen(pilot, ScoreCardModal)
    assert form not in app.screen_stack
    assert [type(s) for s in app.screen_stack].count(ScoreCardModal) == 1
    await pilot.press("q")
    await wait_for_screen(pilot, beneath)
    assert not any(isinstance(s, VerbForm | ScoreCardModal) for s in app.screen_stack)


async def test_a_forced_close_by_keys_closes_the_form_and_shows_the_card(tmp_path: Path) -> None:
    app = drill_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        incident = app.screen
        assert isinstance(incident, IncidentScreen)
        await pilot.press("X")
        form = await force_close_by_keys(pilot)
        await the_form_closes_then_the_card_shows(pilot, form, IncidentScreen)
        assert incident.state.is_closed and incident.state.forced_close


async def test_a_forced_close_from_the_palette_shows_the_card(tmp_path: Path) -> None:
    app = drill_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        await from_palette(pilot, "Close incident")
        form = await force_close_by_keys(pilot)
        await the_form_closes_then_the_card_shows(pilot, form, IncidentScreen)


async def test_a_forced_close_from_the_postmortem_screen_shows_the_card(tmp_path: Path) -> None:
    app = drill_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        await from_palette(pilot, "Post-mortem")
        await wait_for_screen(pilot, PostmortemScreen)
        await pilot.press("X")
        form = await force_close_by_keys(pilot)
        await the_form_closes_then_the_card_shows(pilot, form, PostmortemScreen)


def palette_titles(app: LastGoodApp, screen: Screen[object]) -> list[str]:
    return [command.title for command in app.get_system_commands(screen)]


async def test_the_palette_brings_the_card_back_on_a_closed_drill(tmp_path: Path) -> None:
    """Closed with Esc, the card could not be brought back in the TUI (ctrl+p `score`:
    "No matches found"). The palette offers "Score card" once the drill is closed, and
    only then: the card names the fault, which a running drill hides."""
    app = drill_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        incident = app.screen
        assert "Score card" not in palette_titles(app, incident)  # still running
        await pilot.press("X")
        form = await force_close_by_keys(pilot)
        await wait_for_screen(pilot, ScoreCardModal)
        assert form not in app.screen_stack
        shown = str(app.screen.query_one("#score-lines", Static).render())
        await pilot.press("escape")
        await wait_for_screen(pilot, IncidentScreen)
        await from_palette(pilot, "Score card")
        await wait_for_screen(pilot, ScoreCardModal)
        assert str(app.screen.query_one("#score-lines", Static).render()) == shown
        await pilot.press("escape")
        await wait_for_screen(pilot, IncidentScreen)


async def test_no_score_card_in_the_palette_of_a_real_incident(tmp_path: Path) -> None:
    from tests.scenario_copies import scenario_copy

    app = scenario_app(scenario_copy("closed", tmp_path / "closed.db"))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        assert app.screen.state.is_closed  # type: ignore[attr-defined]
        assert "Score card" not in palette_titles(app, app.screen)
