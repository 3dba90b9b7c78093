"""Typing ahead lands where it was meant: every key of a burst reaches the app before
the first is handled, as when a coordinator types "a Bo Enter reason Enter" without
looking, or a terminal multiplexer delivers a pasted line at once.

The approval used to put the reason into the approver's field: Enter moved the focus
only once the field's `Submitted` message was handled, after the next keys had gone
to the field Enter left. Keys that arrive while a dialog is being pushed must go to
the dialog, not to the screen beneath (where `s` skips and `space` checks).
"""

from __future__ import annotations

from pathlib import Path

from textual import events
from textual.app import ComposeResult
from textual.pilot import Pilot
from textual.screen import ModalScreen, Screen
from textual.widgets import Input

from tests.tui.coordinator_harness import bo_smith_in_command, coordinator, guide
from tests.tui.pilot_helpers import wait_for_screen, wait_until
from tui.app.modals import ApprovalModal, ConfirmCommand
from tui.app.type_ahead import TypeAhead

NAMED: dict[str, str | None] = {
    "enter": "\r",
    "space": " ",
    "escape": "\x1b",
    "tab": "\t",
    "shift+tab": None,
}


def burst(pilot: Pilot[None], *parts: str) -> None:
    """Queue every key of `parts` at once: named keys as they are, text char by char."""
    for part in parts:
        if part in NAMED:
            pilot.app.post_message(events.Key(part, NAMED[part]))
            continue
        for char in part:
            key = "space" if char == " " else char
            pilot.app.post_message(events.Key(key, char))


async def test_approver_then_reason_typed_in_one_burst(tmp_path: Path) -> None:
    async with coordinator(tmp_path / "burst.db", prepare=bo_smith_in_command) as (
        app,
        pilot,
        screen,
    ):
        await guide(pilot, screen, "decide-rollback")
        # `a` opens the approval with the commander's name filled in and the
        # focus on the approver; the burst clears it and types it again.
        burst(pilot, "a")
        await wait_for_screen(pilot, ApprovalModal)
        approver = app.screen.query_one("#approver")
        approver.value = ""  # type: ignore[attr-defined]
        approver.focus()
        await pilot.pause()
        burst(pilot, "Bo Smith", "enter", "error rate 12% over 5%", "enter")
        await wait_until(pilot, lambda: "decide-rollback" in screen.state.approvals)
        approval = screen.state.approvals["decide-rollback"]
        assert (approval.by, approval.reason) == ("Bo Smith", "error rate 12% over 5%")


async def test_keys_typed_right_after_tab_go_to_the_next_field(tmp_path: Path) -> None:
    """Tab moved the focus only once the field had taken the keys queued before it, and
    the keys typed after it too: "V1 Tab V0" in the declare form gave From version
    "V1V0" and an empty Last-good (a hostile review, through tmux)."""
    async with coordinator(tmp_path / "tab.db", prepare=bo_smith_in_command) as (
        app,
        pilot,
        screen,
    ):
        await guide(pilot, screen, "decide-rollback")
        burst(pilot, "a")
        await wait_for_screen(pilot, ApprovalModal)
        approver = app.screen.query_one("#approver", Input)
        approver.value = ""
        approver.focus()
        await pilot.pause()
        burst(pilot, "Bo", "tab", "shift+tab", " Smith", "tab", "error rate 12% over 5%", "enter")
        await wait_until(pilot, lambda: "decide-rollback" in screen.state.approvals)
        approval = screen.state.approvals["decide-rollback"]
        assert (approval.by, approval.reason) == ("Bo Smith", "error rate 12% over 5%")


async def test_keys_typed_while_the_dialog_opens_go_to_the_dialog(tmp_path: Path) -> None:
    async with coordinator(tmp_path / "open.db") as (_, pilot, screen):
        await guide(pilot, screen, "assess-severity")
        # `s` opens the skip form; the reason follows before the form is up.
        reason = "assessed in the deploy channel"
        burst(pilot, "s", reason, "enter")
        await wait_until(pilot, lambda: screen.state.steps["assess-severity"].skipped)
        record = screen.state.steps["assess-severity"]
        assert record.reason == reason
        assert [s for s, r in screen.state.steps.items() if r.done or r.skipped] == [
            "assess-severity"
        ]


async def test_an_answer_typed_right_after_space_on_a_command_step_answers_its_dialog(
    tmp_path: Path,
) -> None:
    """Space on a command step asks the record for the command first (a job off the UI
    loop), then opens the confirmation: the `n` typed meanwhile must answer it, not
    reach the checklist (where `n` is the note verb)."""
    async with coordinator(tmp_path / "run.db", decided=True) as (app, pilot, screen):
        await pilot.press("right")
        await guide(pilot, screen, "record-running-version")
        on_top: list[Screen[object]] = []
        app.screen_change_signal.subscribe(screen, on_top.append, immediate=True)
        burst(pilot, "space", "n")
        # Until both keys are handled: the dialog was pushed and is gone, and no key is
        # on its way. Before `space` is handled, the screen is on top with no key held.
        await wait_until(
            pilot,
            lambda: (
                any(isinstance(top, ConfirmCommand) for top in on_top)
                and app.screen is screen
                and not app.keys_on_their_way
            ),
        )
        await pilot.pause()
        assert app.screen is screen  # the dialog was answered (no), and no note form opened
        assert screen.state.commands_run == []


class TypingApp(TypeAhead):
    """Only the typing-ahead machinery: a field, and a dialog pushed when asked."""

    def compose(self) -> ComposeResult:
        yield Input(id="field")


class SlowDialog(ModalScreen[None]):
    """A dialog whose field takes keys only when the test says so."""

    takes_keys = False

    def compose(self) -> ComposeResult:
        yield Input(id="dialog-field")

    def on_mount(self) -> None:
        self.query_one(Input).focus()


async def test_held_keys_keep_their_order_when_a_hold_begins_while_they_are_handed_on() -> None:
    """Two holds ending at once (Enter in a form, a dialog taking keys) used to hand on
    two held keys before either arrived; a dialog opening in between held each again at
    the front, so they reached it swapped ("2026-..." booked as "026-...2" in CI)."""
    app = TypingApp()
    async with app.run_test() as pilot:
        app.hold_keys()
        burst(pilot, "abc")
        await pilot.pause()
        dialog = SlowDialog()

        def open_dialog() -> None:
            app.push_screen(dialog)

        app.release_keys()
        app.screen_takes_keys()
        app.call_later(open_dialog)
        await wait_until(pilot, lambda: app.screen is dialog and dialog.is_mounted)
        await pilot.pause()
        dialog.takes_keys = True
        app.screen_takes_keys()
        field = dialog.query_one(Input)
        await wait_until(pilot, lambda: len(field.value) == 3)
        assert field.value == "abc"
        assert app.query_one("#field", Input).value == ""
