"""ctrl+c in a dialog or a form does what Esc does there (review11 #4).

On the coordinator's screen ctrl+c says which key quits. In a dialog it did nothing
and said nothing: Textual stops a modal's keys at the modal, so its app-level answer
never ran, and the field's own ctrl+c (copy) had nothing selected to copy. Now
ctrl+c cancels the dialog the way Esc does, asking "Discard what you typed?" first
where Esc asks; with text selected in the field it still copies it.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from pathlib import Path

import pytest
from textual.widgets import Input, TextArea

import tui.app.modals as modals
from store.sqlite_log import SqliteEventLog
from tests.scenario_copies import scenario_copy
from tests.tui.pilot_helpers import scenario_app, wait_for_screen, wait_until
from tui.app.app import LastGoodApp
from tui.app.modals import ConfirmModal, DecisionModal, HelpModal, VerbForm
from tui.app.modals.base import LastgoodModal
from tui.app.modals.declare import DeclareModal
from tui.app.refusal import NOTHING_DECLARED
from tui.app.screens.incident import IncidentScreen
from tui.demo.scenarios import bundled_runbook


def keys(text: str) -> list[str]:
    return ["space" if ch == " " else ch for ch in text]


def app_on(tmp_path: Path) -> LastGoodApp:
    return scenario_app(scenario_copy("declared", tmp_path / "ctrl-c.db"))


async def test_ctrl_c_in_the_decision_dialog_cancels_it_as_esc_does(tmp_path: Path) -> None:
    """The reviewer's keys: `d`, a reason, ctrl+c. Reason is one line: Esc closes it."""
    app = app_on(tmp_path)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        incident = app.screen
        before = incident.state.last_seq  # type: ignore[attr-defined]
        await pilot.press("d")
        await wait_for_screen(pilot, DecisionModal)
        await wait_until(pilot, lambda: not app.holding_keys)
        await pilot.press(*keys("error rate 12% on 2.4"))
        reason = app.screen.query_one("#reason", Input)
        await wait_until(pilot, lambda: reason.value.endswith("error rate 12% on 2.4"))
        await pilot.press("ctrl+c")
        await wait_until(pilot, lambda: app.screen is incident)
        assert app.return_code is None
        assert incident.state.last_seq == before  # type: ignore[attr-defined]


async def test_ctrl_c_over_a_typed_note_asks_first_and_again_keeps_it(tmp_path: Path) -> None:
    """A note is a text area: Esc asks before throwing it away, and so does ctrl+c;
    ctrl+c at the question answers it as Esc does (keep), and `y` discards."""
    app = app_on(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        incident = app.screen
        await pilot.press("n", *keys("cache warm after switch"))
        await wait_for_screen(pilot, VerbForm)
        form = app.screen
        text = form.query_one("#param-text", TextArea)
        await wait_until(pilot, lambda: text.text == "cache warm after switch")
        await pilot.press("ctrl+c")
        await wait_for_screen(pilot, ConfirmModal)
        assert str(app.screen.query_one(".title").render()) == "Discard what you typed?"
        await pilot.press("ctrl+c")
        await wait_until(pilot, lambda: app.screen is form)
        assert text.text == "cache warm after switch" and text.has_focus
        await pilot.press("ctrl+c")
        await wait_for_screen(pilot, ConfirmModal)
        await pilot.press("y")
        await wait_until(pilot, lambda: app.screen is incident)
        assert app.return_code is None


async def test_ctrl_c_with_text_selected_still_copies_it(tmp_path: Path) -> None:
    app = app_on(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        await pilot.press("d")
        await wait_for_screen(pilot, DecisionModal)
        await wait_until(pilot, lambda: not app.holding_keys)
        dialog = app.screen
        await pilot.press(*keys("error rate"), "shift+home")
        reason = dialog.query_one("#reason", Input)
        await wait_until(pilot, lambda: reason.value.endswith("error rate"))
        assert reason.selected_text == reason.value  # the whole line, a prefill with it
        await pilot.press("ctrl+c")
        await wait_until(pilot, lambda: app.clipboard == reason.value)
        assert app.screen is dialog


async def test_ctrl_c_in_the_declaration_form_leaves_it_as_esc_does(tmp_path: Path) -> None:
    with SqliteEventLog.open(tmp_path / "empty.db") as log:
        app = LastGoodApp(log, bundled_runbook(), actor="bo", network=False)
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for_screen(pilot, DeclareModal)
            await wait_until(pilot, lambda: not app.holding_keys)
            await pilot.press("ctrl+c")
        assert app.refusal == NOTHING_DECLARED
        assert app.return_code == 1
        assert log.incident_ids() == []


async def test_ctrl_c_closes_a_page_to_read(tmp_path: Path) -> None:
    app = app_on(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        incident = app.screen
        await pilot.press("question_mark")
        await wait_for_screen(pilot, HelpModal)
        await pilot.press("ctrl+c")
        await wait_until(pilot, lambda: app.screen is incident)


def dialog_classes() -> list[type[LastgoodModal[object]]]:
    """Every dialog under `tui/app/modals/`, each module of the package imported."""
    found: set[type[LastgoodModal[object]]] = set()
    for info in pkgutil.iter_modules(modals.__path__):
        module = importlib.import_module(f"{modals.__name__}.{info.name}")
        found |= {
            cls
            for cls in vars(module).values()
            if inspect.isclass(cls) and issubclass(cls, LastgoodModal)
        }
    assert len(found) > 15
    return sorted(found, key=lambda cls: cls.__qualname__)


@pytest.mark.parametrize("dialog", dialog_classes(), ids=lambda cls: cls.__qualname__)
def test_every_dialog_binds_ctrl_c_to_what_esc_does(dialog: type[LastgoodModal[object]]) -> None:
    bindings = dialog._merge_bindings().key_to_bindings
    assert [b.action for b in bindings["ctrl+c"]] == ["leave"]
    assert [b.action for b in bindings["escape"]] == ["cancel"]
