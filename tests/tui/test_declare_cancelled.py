"""Leaving the declaration form before declaring opens nothing, and says so, as
leaving the picker and the name prompt do: `lastgood start` on a record with no open
incident (or `n` in the picker, then Esc) dropped back to the shell with no word and
exit 0 (a review of the picker's fix)."""

from __future__ import annotations

from pathlib import Path

import pytest

from store.sqlite_log import SqliteEventLog
from tests.tui.pilot_helpers import wait_for_screen
from tui.app.app import LastGoodApp
from tui.app.modals.confirm import ConfirmModal
from tui.app.modals.declare import DeclareModal
from tui.app.refusal import NOTHING_DECLARED
from tui.demo.scenarios import bundled_runbook


@pytest.mark.parametrize("key", ["escape", "ctrl+q"])
async def test_leaving_the_declaration_form_opens_nothing_and_says_so(
    tmp_path: Path, key: str
) -> None:
    with SqliteEventLog.open(tmp_path / "empty.db") as log:
        app = LastGoodApp(log, bundled_runbook(), actor="bo", network=False)
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for_screen(pilot, DeclareModal)
            await pilot.press(key)
        assert app.refusal == NOTHING_DECLARED
        assert app.return_code == 1
        assert log.incident_ids() == []


async def test_quitting_a_typed_declaration_asks_then_says_nothing_was_opened(
    tmp_path: Path,
) -> None:
    with SqliteEventLog.open(tmp_path / "empty.db") as log:
        app = LastGoodApp(log, bundled_runbook(), actor="bo", network=False)
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for_screen(pilot, DeclareModal)
            await pilot.press(*"checkout 500s")
            await pilot.press("ctrl+q")
            await wait_for_screen(pilot, ConfirmModal)  # what was typed would be lost
            await pilot.press("ctrl+q")
        assert app.refusal == NOTHING_DECLARED
        assert app.return_code == 1
