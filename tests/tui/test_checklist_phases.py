"""A phase shown again is not drawn again from its text: the checklist keeps each
step's option while its step and status are the same, and the list keeps the lines it
drew of them. Drawn afresh, the options of the phase switched to were half of a phase
switch's drawing."""

from __future__ import annotations

from pathlib import Path

from tests.tui.drawn_options import drawn_ids, drawn_lines
from tests.tui.pilot_helpers import wait_until
from tests.tui.test_checklist_scroll import PHASE, ChecklistApp, check, declared_state
from tui.app.marked_list import MARK
from tui.app.widgets.checklist import Checklist


async def test_a_phase_shown_again_draws_only_the_steps_whose_status_changed(
    tmp_path: Path,
) -> None:
    state = declared_state(tmp_path)
    phase_ids = [phase.id for phase in state.runbook.phases]
    other = next(phase_id for phase_id in phase_ids if phase_id != PHASE)
    decide_ids = [record.step.id for record in state.phase_steps(PHASE)]
    app = ChecklistApp(state)
    async with app.run_test(size=(70, 14)) as pilot:
        checklist = app.query_one(Checklist)
        await wait_until(pilot, lambda: set(decide_ids[:4]) <= drawn_ids(checklist))
        options_before = list(checklist.options)
        lines_before = drawn_lines(checklist)
        checklist.show(state, other)
        other_ids = {record.step.id for record in state.phase_steps(other)}
        await wait_until(pilot, lambda: bool(other_ids & drawn_ids(checklist)))

        check(state, decide_ids[1])  # done while another phase was on show
        checklist.show(state, PHASE)
        await wait_until(pilot, lambda: decide_ids[1] in drawn_ids(checklist))
        options_after = list(checklist.options)
        assert options_after[1] is not options_before[1]  # its prompt is another
        kept = [n for n in range(len(decide_ids)) if options_after[n] is options_before[n]]
        assert kept == [n for n in range(len(decide_ids)) if n != 1]
        lines_after = drawn_lines(checklist)
        for step_id in decide_ids[2:4]:  # on show, unhighlighted, not drawn again
            assert lines_after[step_id] is lines_before[step_id]
        lines = [checklist.render_line(y).text for y in range(4)]
        assert lines[0].startswith(MARK) and "[ ]" in lines[0]
        assert "[x]" in lines[1] and not lines[1].startswith(MARK)
        assert "[ ] Assign" in lines[2]


async def test_a_reused_option_keeps_its_place_for_the_mouse(tmp_path: Path) -> None:
    """A drawn line carries its option's index for clicks: the same step at the same
    place, in the phase's order."""
    state = declared_state(tmp_path)
    phase_ids = [phase.id for phase in state.runbook.phases]
    other = next(phase_id for phase_id in phase_ids if phase_id != PHASE)
    app = ChecklistApp(state)
    async with app.run_test(size=(70, 14)) as pilot:
        checklist = app.query_one(Checklist)
        checklist.show(state, other)
        await pilot.pause()
        checklist.show(state, PHASE)
        await pilot.pause()
        for y in range(4):
            strip = checklist.render_line(y)
            options = {segment.style.meta.get("option") for segment in strip if segment.style}
            assert y in options
