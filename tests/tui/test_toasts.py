"""Toasts are merged, stay off the steps, the guidance and the timeline, and do not
repeat it.

Recording the rollback decision on the bundled runbook makes three messages due at
once and says what was recorded: it used to raise four toasts over the whole right
column. Now the three due messages are one toast naming the key, at most two toasts
show, and every toast lies clear of the checklist's steps (it sits on the blank rows
below them), the guidance's and the timeline's regions.

A step checked from the checklist raises none: its `[x]` says it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.geometry import Region
from textual.widgets import OptionList
from textual.widgets._toast import Toast

from tests.tui.coordinator_harness import channel_named, coordinator, guide
from tests.tui.pilot_helpers import wait_for_screen, wait_until
from tui.app.app import LastGoodApp
from tui.app.modals import DecisionModal
from tui.app.plain import MAX_TOASTS
from tui.app.screens.incident import IncidentScreen
from tui.app.widgets.checklist import Checklist


def toasts(app: LastGoodApp) -> list[Toast]:
    return list(app.screen.query(Toast))


def clear_of(region: Region, *others: Region) -> bool:
    return not any(region.overlaps(other) for other in others)


def steps_drawn(checklist: Checklist) -> Region:
    """The checklist's rows that hold steps, from its top."""
    content = checklist.scrollable_content_region
    rows = min(checklist.virtual_size.height - round(checklist.scroll_y), content.height)
    return Region(content.x, content.y, content.width, rows)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=lambda s: f"{s[0]}x{s[1]}")
async def test_the_decision_raises_one_due_toast_clear_of_the_work(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    opened = coordinator(
        tmp_path / "toasts.db", size=size, notifications=True, prepare=channel_named
    )
    async with opened as (app, pilot, screen):
        for step in ("assess-severity", "create-channel"):
            await guide(pilot, screen, step)
            await pilot.press("space")
            await wait_until(pilot, lambda step=step: screen.state.steps[step].done)
        for news in ("Earlier news", "Older news"):  # live toasts the new ones displace
            screen.notify(news, title=news)
        await guide(pilot, screen, "decide-rollback")
        await pilot.press("d")
        await wait_for_screen(pilot, DecisionModal)
        triggers = app.screen.query_one("#triggers", OptionList)
        triggers.focus()
        triggers.highlighted = next(
            i
            for i in range(triggers.option_count)
            if triggers.get_option_at_index(i).id == "core-broken"
        )
        await pilot.press("space")
        await wait_until(pilot, lambda: "core-broken" in screen.state.triggers)
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, IncidentScreen)
        await wait_until(pilot, lambda: screen.state.steps["decide-rollback"].done)

        def due_toast_shown() -> bool:
            return any("Message due" in str(t.render()) for t in toasts(app))

        await wait_until(pilot, due_toast_shown)
        await pilot.pause()
        shown = toasts(app)
        texts = [str(t.render()) for t in shown]
        assert 1 <= len(shown) <= MAX_TOASTS, texts
        due = [text for text in texts if "Message due" in text]
        assert len(due) == 1, texts
        assert "3 messages due — press m" in due[0]
        steps = steps_drawn(screen.query_one(Checklist))
        guidance = screen.query_one("#guidance").region
        timeline = screen.query_one("#timeline").region
        for toast in shown:
            assert clear_of(toast.region, steps, guidance, timeline), (toast.region, texts)


async def test_a_step_checked_from_the_checklist_raises_no_toast(tmp_path: Path) -> None:
    """`space` on a plain step: the `[x]` and the highlight moving on say it was done.
    Each check used to raise "Checked <step>" over the timeline as well, and the
    toast's mount, scroll and expiry cost the loop about 25 ms of CPU per check."""
    opened = coordinator(tmp_path / "quiet.db", size=(120, 40), notifications=True)
    async with opened as (app, pilot, screen):
        await guide(pilot, screen, "assess-severity")
        before = [str(t.render()) for t in toasts(app)]  # "Probes not polled"
        await pilot.press("space")
        # The highlight moves on in the same reply that used to raise the toast.
        await wait_until(pilot, lambda: screen.view.selected_step != "assess-severity")
        await pilot.pause()
        assert screen.state.steps["assess-severity"].done
        assert [str(t.render()) for t in toasts(app)] == before

        await guide(pilot, screen, "assess-severity")
        await pilot.press("space")  # checked already: that is said
        await wait_until(pilot, lambda: len(toasts(app)) > len(before))
        assert "is already done" in str(toasts(app)[-1].render())
