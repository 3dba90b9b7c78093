"""The TUI asks once who is coordinating when nothing names them, as `lastgood demo` runs it.

A real SQLite file and the demo's own runbook and declaration; the shop is not needed
(probes off). "root" is refused in the prompt, and the name given is the demo's
commander and the actor of everything recorded from this terminal.
"""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from incident.core.clock import SystemClock
from incident.core.state import fold
from store.sqlite_log import SqliteEventLog
from tests.tui.pilot_helpers import fill_form, wait_for_screen, wait_until
from tui.app.app import LastGoodApp
from tui.app.modals.text_prompt import TextPrompt
from tui.app.screens.incident import IncidentScreen
from tui.demo.launch import DemoIncident, write_demo_runbook
from tui.demo.scenarios import bundled_runbook


async def test_the_demo_asks_for_a_name_once_and_makes_it_the_commander(tmp_path: Path) -> None:
    runbook = write_demo_runbook("http://127.0.0.1:9", tmp_path)
    log = SqliteEventLog.open(tmp_path / "demo.db")
    demo = DemoIncident(log, runbook, tmp_path / "demo.db")
    app = LastGoodApp(
        log, runbook, clock=SystemClock(), actor=None, prepare=demo.declare, network=False
    )
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_screen(pilot, TextPrompt)
        assert log.incident_ids() == []  # nothing is declared before the name is known
        prompt = app.screen
        answer = prompt.query_one("#answer", Input)
        answer.value = "root"
        await pilot.press("enter")
        await wait_until(pilot, lambda: "names no one in particular" in _error(prompt))
        assert app.screen is prompt and log.incident_ids() == []

        answer.value = "  Grace   Hopper "
        await pilot.press("enter")
        await wait_for_screen(pilot, IncidentScreen)
        assert app.actor == "Grace Hopper"
        assert demo.incident_id is not None and log.incident_ids() == [demo.incident_id]
        await pilot.press("n")
        await fill_form(pilot, text="the prompt came once")
        await wait_for_screen(pilot, IncidentScreen)
        # the declaration, the channel's and commander's steps it did, the note
        await wait_until(pilot, lambda: len(log.events(demo.incident_id or "")) == 4)
    recorded = log.events(demo.incident_id)
    state = fold(recorded)
    assert state.commander == "Grace Hopper"
    assert [e.actor for e in recorded] == ["Grace Hopper"] * 4
    log.close()


async def test_a_known_name_is_not_asked_for(tmp_path: Path) -> None:
    runbook = write_demo_runbook("http://127.0.0.1:9", tmp_path)
    log = SqliteEventLog.open(tmp_path / "demo.db")
    demo = DemoIncident(log, runbook, tmp_path / "demo.db")
    app = LastGoodApp(
        log, runbook, clock=SystemClock(), actor="Ada", prepare=demo.declare, network=False
    )
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        assert not any(isinstance(s, TextPrompt) for s in app.screen_stack)
    assert fold(log.events(demo.incident_id or "")).commander == "Ada"
    log.close()


def _error(screen: object) -> str:
    from textual.widgets import Label

    assert isinstance(screen, TextPrompt)
    return str(screen.query_one("#error", Label).content)


async def test_cancelling_the_name_prompt_says_nothing_was_opened(tmp_path: Path) -> None:
    """Esc at "Who is coordinating?" ended `lastgood start` silently with exit 0."""
    log = SqliteEventLog.open(tmp_path / "lastgood.db")
    app = LastGoodApp(log, bundled_runbook(), clock=SystemClock(), actor=None, network=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_screen(pilot, TextPrompt)
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.refusal is not None)
    assert app.return_code == 1
    assert app.refusal == (
        "nothing was opened: no one was named as coordinator "
        "(give the name with --as NAME or $LASTGOOD_USER)"
    )
    assert log.incident_ids() == []
    log.close()
