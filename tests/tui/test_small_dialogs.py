"""Dialogs at the sizes the product must work at: 80x24 (a laptop over SSH) and 60x20.

Each is the real app on a real SQLite file, measured by the regions Textual laid out:
a dialog holds what it shows and no more, keeps its buttons and key hint on the screen
whatever it is told, and leaves the clocks above it in view while the coordinator
decides (the phase strip at 80x24, the incident bar's T+ at 60x20).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.geometry import Region
from textual.pilot import Pilot
from textual.widgets import Input, Label, Static

from incident.core.limits import LINE
from tests.scenario_copies import scenario_copy
from tests.tui.coordinator_harness import coordinator
from tests.tui.pilot_helpers import scenario_app, wait_for_screen, wait_until
from tests.tui.screen_text import screen_lines
from tui.app.app import LastGoodApp
from tui.app.modals import DecisionModal
from tui.app.modals.base import LastgoodModal
from tui.app.modals.database_tier import DatabaseTierModal
from tui.app.modals.decision import MARKER_CELLS
from tui.app.screens.incident import IncidentScreen
from tui.app.widgets.incident_bar import IncidentBar
from tui.app.widgets.phase_strip import PhaseStrip
from tui.demo.scenarios import DECLARATION


async def opened(app: LastGoodApp, pilot: Pilot[None], key: str, phase: int = 1) -> LastgoodModal:
    """The dialog `key` opens with phase `phase` on show, laid out."""
    for _ in range(phase - 1):
        await pilot.press("right")
    await pilot.press(key)
    await wait_until(pilot, lambda: isinstance(app.screen, LastgoodModal))
    await pilot.pause()
    dialog = app.screen
    assert isinstance(dialog, LastgoodModal)
    return dialog


def rows_of(app: LastGoodApp, region: Region) -> list[str]:
    """The terminal's text inside `region`."""
    lines = screen_lines(app)
    return [line[region.x : region.right] for line in lines[region.y : region.bottom]]


async def test_the_tier_dialog_is_as_tall_as_what_it_holds(tmp_path: Path) -> None:
    """Phase 4 at 80x24: the box was 24 rows, four of them blank, over the header and
    footer (the main screen's `#guidance { height: 1fr }` reached the dialog's own
    guidance, of the same id)."""
    async with coordinator(tmp_path / "tier.db", decided=True) as (app, pilot, _screen):
        dialog = await opened(app, pilot, "b", phase=4)
        box = dialog.query_one(".dialog").region
        inner = [row[1:-1].strip() for row in rows_of(app, box)[1:-1]]
        blank_runs = [i for i in range(len(inner) - 1) if not inner[i] and not inner[i + 1]]
        assert blank_runs == [], "\n".join(rows_of(app, box))
        assert box.height < 24


def body_of(dialog: LastgoodModal) -> Region:
    """What the dialog shows of what it asks: its rows above the docked foot."""
    box = dialog.query_one(".dialog").scrollable_content_region
    foot = dialog.query_one(".foot").region
    return Region(box.x, box.y, box.width, foot.y - box.y)


def controls_in_view(dialog: LastgoodModal) -> None:
    """The buttons and the key hint lie whole inside the dialog and the screen."""
    box, screen = dialog.query_one(".dialog").region, dialog.region
    controls = [*dialog.query(".buttons"), *dialog.query(".hint")]
    assert controls
    for widget in controls:
        region = widget.region
        assert region.area > 0, widget
        assert box.contains_region(region), (widget, region, box)
        assert screen.contains_region(region), (widget, region, screen)


DIALOGS = {False: [("d", 1)], True: [("b", 2), ("b", 4), ("c", 1), ("i", 1)]}
"""The dialogs opened on a record before the decision (False) and after it (True): each
dialog's key and the phase on show when it is pressed."""


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
@pytest.mark.parametrize("decided", [False, True])
async def test_a_dialog_leaves_the_clocks_in_view(
    tmp_path: Path, size: tuple[int, int], decided: bool
) -> None:
    """At 80x24 the incident bar and the phase strip stay above the dialog; under 24
    rows, the incident bar's T+ at least. At 60x20 these four covered the whole screen.

    One app goes through the record's dialogs in turn, each closed by Esc with nothing
    recorded and phase 1 back on show before the next opens (an app started for each
    was 0.15 s of CPU, as much as the dialog it was started for)."""
    async with coordinator(tmp_path / "clocks.db", size=size, decided=decided) as opened_on:
        app, pilot, screen = opened_on
        before = screen.state.last_seq
        first_phase = screen.view.phase_id
        for key, phase in DIALOGS[decided]:
            dialog = await opened(app, pilot, key, phase)
            box = dialog.query_one(".dialog").region
            clocks = [screen.query_one(IncidentBar).region]
            if size[1] >= 24:
                clocks.append(screen.query_one(PhaseStrip).region)
            for region in clocks:
                assert not box.overlaps(region), (key, phase, box, region)
            assert screen_lines(app)[0].lstrip().startswith("T+"), (key, phase)
            controls_in_view(dialog)
            # The focused reason below the tiers, or (under 24 rows) below the triggers
            # when the gate opens in its empty Reason: the title scrolls away.
            if key != "b" and not (key == "d" and size[1] < 24):
                body = body_of(dialog)
                title = dialog.query_one(".title").region
                assert body.contains_region(title), (key, body, title)  # opened at its top
            await pilot.press("escape")
            await wait_for_screen(pilot, IncidentScreen)
            for _ in range(phase - 1):
                await pilot.press("left")
            await wait_until(pilot, lambda: screen.view.phase_id == first_phase)
            assert screen.state.last_seq == before, key


async def test_a_refusal_keeps_the_decision_dialogs_controls_on_screen(tmp_path: Path) -> None:
    """At 60x20 the refusal's two lines took the place of `Initiate rollback`, `Cancel`
    and the key hint. The reason it is about stays in view too."""
    # The incident commander at the screen: the gate takes no one else's word.
    scenario = scenario_copy("declared", tmp_path / "declared.db")
    app = scenario_app(scenario, actor=DECLARATION.commander)
    async with app.run_test(size=(60, 20)) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        await pilot.press("d")
        await wait_for_screen(pilot, DecisionModal)
        dialog = app.screen
        assert isinstance(dialog, DecisionModal)
        reason = dialog.query_one("#reason", Input)
        reason.value = "x" * (LINE.max_chars + 1)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "limit" in dialog.error_message)
        await pilot.pause()
        controls_in_view(dialog)
        box = dialog.query_one(".dialog")
        error = dialog.query_one("#error", Label).region
        assert error.area > 0 and box.region.contains_region(error)
        assert reason.has_focus and body_of(dialog).contains_region(reason.region)
        shown = "\n".join(rows_of(app, box.region))
        assert "Initiate rollback" in shown and "the limit for a" in shown, shown


async def test_the_highlighted_tiers_data_loss_is_shown_whole(tmp_path: Path) -> None:
    """At 60x20 the last resort's description ended "…cause data loss for any
    transactions that occurred after", cut at three rows with nothing to say so."""
    async with coordinator(tmp_path / "tier.db", size=(60, 20), decided=True) as opened_on:
        app, pilot, _screen = opened_on
        dialog = await opened(app, pilot, "b", phase=2)
        assert isinstance(dialog, DatabaseTierModal)
        await pilot.press("down", "down")  # from the reason, as the coordinator does
        await wait_until(pilot, lambda: dialog.highlighted_tier is not None)
        tier = dialog.highlighted_tier
        assert tier is not None and tier.id == "restore-backup"
        await pilot.pause()
        body = body_of(dialog)
        guidance = dialog.query_one("#guidance", Static)
        assert "occurred after the backup was taken" in str(guidance.render())
        box = dialog.query_one("#guidance-box").region
        assert box.contains_region(guidance.region), (box, guidance.region)
        assert body.contains_region(box), (body, box)
        reason = dialog.query_one("#reason", Input)  # still in view, to be typed in
        assert reason.has_focus and body.contains_region(reason.region), (body, reason.region)


@pytest.mark.parametrize(
    ("size", "hint"), [((60, 20), "(manual)"), ((80, 24), "(manual: space toggles)")]
)
async def test_a_manual_triggers_line_wraps_under_its_own_text(
    tmp_path: Path, size: tuple[int, int], hint: str
) -> None:
    """At 60x20 "(manual: space toggles)" wrapped to a line starting under the checkbox's
    marker (`   toggles)`), where it read as another trigger. Every line of the list now
    starts with a state marker, or as far in as the title after it."""
    async with coordinator(tmp_path / "gate.db", size=size) as (app, pilot, _screen):
        dialog = await opened(app, pilot, "d")
        triggers = dialog.query_one("#triggers").content_region
        rows = [row.rstrip() for row in rows_of(app, triggers) if row.strip()]
        markers = ("› ", "  ")  # the highlight's mark, or its gutter
        titles = [row for row in rows if row[2:].startswith(("●", "○", "?"))]
        assert len(titles) == 3, rows
        indent = 2 + MARKER_CELLS + 2
        for row in rows:
            assert row.startswith(markers), rows
            if row not in titles:
                assert row[:indent].strip() in ("", "›") and row[indent] != " ", rows
        [manual] = [row for row in titles if "Core functionality broken" in row]
        assert manual.endswith(f"broken  {hint}"), rows


def test_a_title_too_long_for_any_form_wraps_under_itself() -> None:
    from textual.content import Content

    from tui.app.hanging import Hanging, Row

    title = Content("Checkout and payments return errors for most shoppers")
    laid = Hanging([Row(Content("○ not met"), (title,)), Row(Content(""), (Content("x"),))], 11)
    lines = laid.laid_out(30).plain.split("\n")
    assert lines[0] == "○ not met  Checkout and"
    assert all(line.startswith(" " * 11) and line[11] != " " for line in lines[1:]), lines
