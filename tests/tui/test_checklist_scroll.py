"""After a check, a next step past the list's end is brought up near the top, with
the steps after it in view: scrolled a line per check, a long phase redrew every
visible line of the checklist on every check. The arrow keys still move a line. The
page a check brings up was rendered after an earlier frame, not in that check's."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import NamedTuple

import pytest
from textual.app import App, ComposeResult
from textual.pilot import Pilot

from incident.core.state import IncidentState, fold
from tests.scenario_copies import scenario_copy
from tests.tui.coordinator_harness import coordinator, guide
from tests.tui.drawn_options import drawn_ids
from tests.tui.pilot_helpers import wait_until
from tui.app.widgets.checklist import CONTEXT_LINES, Checklist

PHASE = "decide"
"""Seven one-line steps, all open at declaration."""
VIEW = 4
"""Lines the list shows: its height less its border."""


class ChecklistApp(App[None]):
    CSS = f"Checklist {{ height: {VIEW + 2}; }}"

    def __init__(self, state: IncidentState) -> None:
        super().__init__()
        self.state = state

    def compose(self) -> ComposeResult:
        yield Checklist()

    def on_mount(self) -> None:
        self.query_one(Checklist).show(self.state, PHASE)


def declared_state(tmp_path: Path) -> IncidentState:
    """The declared scenario with its first phase all open: the declaration did two of its
    steps (the channel's, the commander's), and these tests walk seven open steps."""
    scenario = scenario_copy("declared", tmp_path / "declared.db")
    state = fold(scenario.log.events(scenario.incident_id))
    for record in state.phase_steps(PHASE):
        record.done = False
    return state


def check(state: IncidentState, step_id: str) -> None:
    state.steps[step_id].done = True


class Opened(NamedTuple):
    pilot: Pilot[None]
    checklist: Checklist
    state: IncidentState
    step_ids: list[str]


@asynccontextmanager
async def opened(tmp_path: Path) -> AsyncIterator[Opened]:
    """The declared incident's PHASE in a checklist of VIEW lines, every step listed."""
    state = declared_state(tmp_path)
    step_ids = [record.step.id for record in state.phase_steps(PHASE)]
    app = ChecklistApp(state)
    async with app.run_test(size=(70, 12)) as pilot:
        checklist = app.query_one(Checklist)
        await wait_until(pilot, lambda: checklist.option_count == len(step_ids))
        yield Opened(pilot, checklist, state, step_ids)


def in_view(checklist: Checklist, index: int) -> bool:
    top = checklist.scroll_offset.y
    return top <= checklist._index_to_line[index] < top + VIEW


async def test_checks_past_the_end_bring_the_next_step_up_with_what_follows(
    tmp_path: Path,
) -> None:
    async with opened(tmp_path) as (pilot, checklist, state, step_ids):
        assert len(step_ids) == 7
        assert checklist.highlighted == 0
        tops: list[int] = []
        for index, step_id in enumerate(step_ids[:-1]):
            check(state, step_id)
            checklist.show(state, PHASE)
            checklist.highlight_next_open(state)
            await pilot.pause()
            assert checklist.highlighted == index + 1
            assert in_view(checklist, index + 1)
            tops.append(checklist.scroll_offset.y)
        # Steps 1-4 are in view from the start; step 5 comes up under two done steps,
        # and step 7 under as many as the end of the list leaves room for.
        first_jump = VIEW - CONTEXT_LINES
        assert tops == [0, 0, 0, first_jump, first_jump, len(step_ids) - VIEW]


async def test_the_arrow_keys_still_scroll_a_line_at_a_time(tmp_path: Path) -> None:
    state = declared_state(tmp_path)
    app = ChecklistApp(state)
    async with app.run_test(size=(70, 12)) as pilot:
        checklist = app.query_one(Checklist)
        await wait_until(pilot, lambda: checklist.option_count == 7)
        checklist.focus()
        tops = []
        for _ in range(6):
            await pilot.press("down")
            tops.append(checklist.scroll_offset.y)
        assert tops == [0, 0, 0, 1, 2, 3]


async def test_the_page_a_check_brings_up_was_rendered_before_the_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check that scrolls draws only the step it checked and the one it highlights
    afresh: the rest of the new page was rendered after an earlier frame
    (`render_next_page`, which `IncidentView.advance` schedules after each check).
    Drawn in the scrolling check's own frame, the page made that check the slowest."""
    async with opened(tmp_path) as (pilot, checklist, state, step_ids):
        for step_id in step_ids[:3]:  # the first page: no scroll yet
            check(state, step_id)
            checklist.show(state, PHASE)
            checklist.highlight_next_open(state)
            await pilot.pause()
        assert checklist.scroll_offset.y == 0
        assert drawn_ids(checklist).isdisjoint(step_ids[VIEW:])

        checklist.render_next_page()
        assert set(step_ids[VIEW : 2 * VIEW]) <= drawn_ids(checklist)

        drawn: list[str | None] = []  # a visual is made for an option not rendered yet
        made = checklist._get_visual
        monkeypatch.setattr(checklist, "_get_visual", lambda o: drawn.append(o.id) or made(o))
        check(state, step_ids[3])
        checklist.show(state, PHASE)
        checklist.highlight_next_open(state)
        await pilot.pause()
        assert checklist.scroll_offset.y == VIEW - CONTEXT_LINES  # it scrolled
        assert set(drawn) == {step_ids[3], step_ids[4]}  # checked, and now highlighted


async def test_each_check_renders_the_next_page_after_its_frame(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On the coordinator's screen: a step checked, the list renders the page below
    once the check's frame is up (`IncidentView.advance`)."""
    rendered: list[str | None] = []
    render_next_page = Checklist.render_next_page

    def spy(checklist: Checklist) -> None:
        rendered.append(checklist.highlighted_step)
        render_next_page(checklist)

    monkeypatch.setattr(Checklist, "render_next_page", spy)
    async with coordinator(tmp_path / "pages.db", size=(120, 40)) as (_, pilot, screen):
        await guide(pilot, screen, "assess-severity")
        assert rendered == []
        await pilot.press("space")
        await wait_until(pilot, lambda: rendered != [])
        assert rendered == [screen.view.selected_step] != ["assess-severity"]


async def test_the_step_before_the_end_is_brought_up_before_the_check_that_would_scroll(
    tmp_path: Path,
) -> None:
    """`scroll_ahead`, after the frame of the check that highlighted the last visible
    step: the list comes up then, so the next check's frame scrolls nothing."""
    async with opened(tmp_path) as (pilot, checklist, state, step_ids):
        tops_before_key: list[int] = []
        tops_after_key: list[int] = []
        for index, step_id in enumerate(step_ids[:-1]):
            tops_before_key.append(checklist.scroll_offset.y)
            check(state, step_id)
            checklist.show(state, PHASE)
            checklist.highlight_next_open(state)
            await pilot.pause()
            tops_after_key.append(checklist.scroll_offset.y)
            assert in_view(checklist, index + 1)
            checklist.get_ready_for_next_check()
            await pilot.pause()
            assert in_view(checklist, index + 1)
        # Step 4 (index 3) is highlighted on the last line after the third check and
        # brought up under CONTEXT_LINES lines before the fourth; in a list of four
        # lines each step after it is again on the last line, brought up a line at a
        # time, until the step after it is the list's last.
        assert tops_before_key == [0, 0, 0, 1, 2, 3]
        assert tops_after_key == tops_before_key  # no check scrolled in its own frame
        assert checklist.scroll_offset.y == len(step_ids) - VIEW
