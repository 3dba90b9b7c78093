"""The decision dialog's hint and its focus mark say where the focus is (ux_review17 #14).

With no trigger met, `d` opened the gate with the focus in Reason (its label marked
with `MARK`) while the trigger list's highlighted row carried the same mark, and the
hint line read "space (list) toggles manual": Down Down Down space (to the review's
manual trigger) put a space into Reason and toggled nothing. After shift+Tab to the
list, the mark showed on the list's row and on By at once. Now the gate opens on its
triggers whenever it has some (a letter typed there still goes to Reason, which takes
the focus), the list's row carries the mark only while the list has the focus, and
the hint names space only there.

The real app on a real SQLite file, the bundled runbook, at the review's 100x30.
"""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Button, Input, Label

from tests.tui.coordinator_harness import coordinator, guide
from tests.tui.pilot_helpers import wait_for_screen, wait_until
from tests.tui.screen_text import screen_lines
from tui.app.app import LastGoodApp
from tui.app.modals import DecisionModal
from tui.app.modals.decision import TriggerList
from tui.app.modals.parts import FOCUS_MARK
from tui.app.screens.incident import IncidentScreen

MARK = FOCUS_MARK.strip()


def dialog_lines(app: LastGoodApp) -> list[str]:
    """The rows of the dialog's box as the terminal shows them (not the screen beneath,
    whose checklist has a mark of its own)."""
    region = app.screen.query_one(".dialog").region
    rows = screen_lines(app)[region.y : region.bottom]
    return [row[region.x : region.right] for row in rows]


def marks(app: LastGoodApp) -> int:
    return sum(row.count(MARK) for row in dialog_lines(app))


def hint(dialog: DecisionModal) -> str:
    return str(dialog.query_one(".hint", Label).content)


def says_where_the_focus_is(app: LastGoodApp, dialog: DecisionModal) -> None:
    """One mark while a field or the list has the focus (none on a button), and the hint
    names space only where space toggles a trigger."""
    focused = dialog.focused
    on_list = isinstance(focused, TriggerList)
    shown = "\n".join(dialog_lines(app))
    assert marks(app) == (0 if isinstance(focused, Button) else 1), (focused, shown)
    assert ("space toggles" in hint(dialog)) is on_list, (focused, hint(dialog))
    if isinstance(focused, Input):
        label = f"{MARK} By" if focused.id == "by" else f"{MARK} Reason"
        assert label in shown, (focused, shown)


async def open_gate(pilot: Pilot[object], screen: IncidentScreen) -> DecisionModal:
    """`d` on the decision step: the gate, once it takes keys."""
    await guide(pilot, screen, "decide-rollback")
    await pilot.press("d")
    await wait_for_screen(pilot, DecisionModal)
    await wait_until(pilot, lambda: not pilot.app.holding_keys)  # type: ignore[attr-defined]
    dialog = pilot.app.screen
    assert isinstance(dialog, DecisionModal)
    return dialog


async def test_the_reviewers_keys_toggle_the_manual_trigger_and_type_nothing(
    tmp_path: Path,
) -> None:
    async with coordinator(tmp_path / "gate.db", size=(100, 30)) as (app, pilot, screen):
        dialog = await open_gate(pilot, screen)
        reason = dialog.query_one("#reason", Input)
        assert reason.value == ""  # no trigger met: nothing to prefill
        says_where_the_focus_is(app, dialog)

        # The review's Down Down Down space, on its runbook's fourth trigger; the bundled
        # runbook's manual one is the third (and the list wraps round).
        await pilot.press("down", "down", "space")
        await wait_until(pilot, lambda: screen.state.triggers.get("core-broken") is not None)
        await dialog.workers.wait_for_complete()
        await wait_until(pilot, lambda: reason.value.endswith("Core functionality broken"))
        assert reason.value == "Rollback triggers met: Core functionality broken"
        await pilot.pause()
        says_where_the_focus_is(app, dialog)

        for key in ("shift+tab",) * 5 + ("tab",) * 5:  # round to the list from By, and back
            before = dialog.focused
            await pilot.press(key)
            await wait_until(pilot, lambda before=before: dialog.focused is not before)
            await pilot.pause()
            says_where_the_focus_is(app, dialog)


async def test_a_letter_typed_on_the_list_moves_the_mark_with_the_focus(tmp_path: Path) -> None:
    """The gate opens on the list even with Reason empty: the reason typed there lands
    in Reason, and the mark and the hint go with the focus."""
    async with coordinator(tmp_path / "typed.db", size=(100, 30)) as (app, pilot, screen):
        dialog = await open_gate(pilot, screen)
        assert isinstance(dialog.focused, TriggerList)
        await pilot.press(*"payments", "space", *"down")
        reason = dialog.query_one("#reason", Input)
        await wait_until(pilot, lambda: reason.value == "payments down")
        assert dialog.focused is reason
        await pilot.pause()
        says_where_the_focus_is(app, dialog)
        assert screen.state.triggers.get("core-broken") is None  # nothing toggled
