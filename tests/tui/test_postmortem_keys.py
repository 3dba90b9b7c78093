"""The post-mortem screen's keys do what its footer and its help say.

`q` closes it, as it closes every other overlay (it used to quit the app); `?` lists
this screen's keys and verbs, Enter on the list among them (it listed the
coordinator's verbs, which do nothing here); once the incident is closed, `X` leaves
the footer and does nothing (it asked to close again, then said "Not recorded"), and
the palette no longer offers the close; `P` opens the screen in any phase,
as the palette does and as help says (it did nothing outside the last phase).
"""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Static

from incident.app.verbs import BY_NAME
from incident.core.state import StepStatus
from tests.scenario_copies import scenario_copy
from tests.tui.pilot_helpers import (
    fill_form,
    scenario_app,
    wait_for_screen,
    wait_until,
)
from tui.app.app import LastGoodApp
from tui.app.modals import ConfirmModal, HelpModal, VerbForm
from tui.app.screens.incident import IncidentScreen
from tui.app.screens.postmortem import POSTMORTEM_VERBS, PostmortemScreen


def app_on(tmp_path: Path, name: str) -> LastGoodApp:
    return scenario_app(scenario_copy(name, tmp_path / f"{name}.db"))


def footer_actions(app: LastGoodApp) -> list[str]:
    return [b.action for _, b, enabled, _ in app.screen.active_bindings.values() if b.show]


def help_rows(app: LastGoodApp) -> list[tuple[str, str]]:
    keys = [str(s.render()) for s in app.screen.query(".key").results(Static)]
    descriptions = [str(s.render()) for s in app.screen.query(".desc").results(Static)]
    return list(zip(keys, descriptions, strict=True))


async def open_postmortem(pilot: Pilot[None]) -> PostmortemScreen:
    await wait_for_screen(pilot, IncidentScreen)
    await pilot.press("P")
    await wait_for_screen(pilot, PostmortemScreen)
    screen = pilot.app.screen
    assert isinstance(screen, PostmortemScreen)
    return screen


async def test_q_goes_back_to_the_incident(tmp_path: Path) -> None:
    app = app_on(tmp_path, "close-out")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_postmortem(pilot)
        await pilot.press("q")
        await wait_for_screen(pilot, IncidentScreen)
        assert app.return_code is None


async def test_help_lists_this_screens_keys_and_verbs(tmp_path: Path) -> None:
    app = app_on(tmp_path, "close-out")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_postmortem(pilot)
        await pilot.press("question_mark")
        await wait_for_screen(pilot, HelpModal)
        rows = help_rows(app)
        keys = [key for key, _ in rows]
        descriptions = " ".join(description for _, description in rows)
        assert "enter" in keys and "X" in keys and "esc / q" in keys
        for verb in POSTMORTEM_VERBS:
            assert f"{verb.title}: {verb.help}" in descriptions
        assert "space / x" not in keys and "Check" not in descriptions  # the coordinator's
        await pilot.press("q")
        await wait_until(pilot, lambda: app.screen is screen)


async def test_once_closed_x_leaves_the_footer_and_closes_nothing(tmp_path: Path) -> None:
    app = app_on(tmp_path, "close-out")
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        screen = await open_postmortem(pilot)
        incident = app.screen_stack[-2]
        assert isinstance(incident, IncidentScreen)
        assert "close_incident" not in footer_actions(app)  # required steps open
        await pilot.press("X")  # out of the footer, still the close: force and a reason
        await fill_form(pilot, force=True, reason="closed in the review")
        await wait_until(pilot, lambda: incident.state.is_closed and app.screen is screen)
        await wait_until(pilot, lambda: "close_incident" not in footer_actions(app))
        await pilot.press("X", "question_mark")  # X first: it opens nothing
        await wait_for_screen(pilot, HelpModal)
        assert not any(isinstance(s, ConfirmModal | VerbForm) for s in app.screen_stack)
        assert "X" not in [key for key, _ in help_rows(app)]
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen)

        # Nor does the palette offer it: a closed incident refuses the close
        # (`Verb.open_only`), and the palette offers what the keys do.
        titles = [command.title for command in app.get_system_commands(screen)]
        assert "Close incident" not in titles and "Lesson" in titles


async def test_p_opens_the_postmortem_in_any_phase(tmp_path: Path) -> None:
    app = app_on(tmp_path, "declared")
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        incident = app.screen
        assert isinstance(incident, IncidentScreen)
        assert incident.view.phase_id != incident.state.runbook.phases[-1].id
        assert "postmortem" not in footer_actions(app)  # the footer keeps it for phase 4
        await pilot.press("P")
        await wait_for_screen(pilot, PostmortemScreen)
        await pilot.press("escape")
        await wait_for_screen(pilot, IncidentScreen)


async def test_x_comes_into_the_footer_once_every_required_step_is_done(tmp_path: Path) -> None:
    """As on the coordinator's screen: the footer offered `X Close incident` while the
    screen's own last line said "Not ready to close: ... still open" (a fresh user's
    review). Before then `X` still opens the close form, with force and a reason."""
    app = app_on(tmp_path, "close-out")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_postmortem(pilot)
        assert screen.desk.state.open_required_steps()
        assert "close_incident" not in footer_actions(app)
        await pilot.press("X")
        await wait_for_screen(pilot, VerbForm)

    app = app_on(tmp_path, "drill-closing")  # every required step done
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_postmortem(pilot)
        assert not screen.desk.state.open_required_steps()
        assert "close_incident" in footer_actions(app)
        await pilot.press("X")
        await wait_for_screen(pilot, ConfirmModal)


async def test_e_exports_the_report_here_as_on_the_coordinators_screen(tmp_path: Path) -> None:
    """`e` did nothing on the post-mortem screen, where "Document the incident" is
    done, while the README's key table gives it for Export report (ux_review7 F15):
    it was reached only by moving down the verb list. It is in the footer and help."""
    app = app_on(tmp_path, "close-out")
    report = tmp_path / "report.md"
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_postmortem(pilot)
        assert "verb('export')" in footer_actions(app)
        await pilot.press("question_mark")
        await wait_for_screen(pilot, HelpModal)
        assert ("e / enter", "Export report: " + BY_NAME["export"].help) in help_rows(app)
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen)

        assert screen.desk.state.status_of("document-incident") == StepStatus.OPEN
        await pilot.press("e")
        await fill_form(pilot, output=str(report), check_step=True)
        await wait_until(pilot, lambda: screen.desk.state.steps["document-incident"].done)
        assert app.screen is screen
        assert report.read_text(encoding="utf-8").startswith("# ")
        evidence = screen.desk.state.steps["document-incident"].evidence
        assert str(report) in evidence
