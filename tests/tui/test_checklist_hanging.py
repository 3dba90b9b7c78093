"""A step's title wraps under its own first word, not under its mark.

At 60x20 the checklist wrapped "Create a dedicated communication channel" back to
the mark's column (`[ ] Create a dedicated` / `communication channel`), where the
second line read as an item of its own. Read from the terminal's text: every line of
the list starts with a mark, or as far in as the title after it; a step's lines put
together read as they did (its mark, its title, `(optional)`, `(blocked)`).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from incident.core.state import IncidentState, StepStatus
from tests.tui.coordinator_harness import coordinator
from tests.tui.pilot_helpers import wait_until
from tests.tui.screen_text import screen_lines
from tests.tui.test_checklist_scroll import ChecklistApp, declared_state
from tui.app.app import LastGoodApp
from tui.app.widgets.checklist import MARKS, Checklist

GUTTER = ("› ", "  ")
"""The highlight's mark, or the gutter where it goes."""
LEAD = 4
"""`[ ] `: a title starts this far after the gutter."""


class TallChecklistApp(ChecklistApp):
    CSS = "Checklist { height: 1fr; }"


def rows_of(app: LastGoodApp) -> list[str]:
    """The checklist's lines on the terminal, its border and trailing blanks left off."""
    box = app.screen.query_one(Checklist).content_region
    lines = screen_lines(app)[box.y : box.bottom]
    return [line[box.x : box.right].rstrip() for line in lines if line[box.x : box.right].strip()]


def steps_read(rows: list[str]) -> list[str]:
    """Each step's lines put together, as one line: (checks each line's indent)."""
    steps: list[str] = []
    for row in rows:
        assert row.startswith(GUTTER), rows
        body = row[len(GUTTER[0]) :]
        if body[:3] in MARKS.values():
            assert body[3] == " " and body[LEAD] != " ", rows
            steps.append(body)
        else:  # a wrapped line: under the title's first character, not under the mark
            assert body[:LEAD] == " " * LEAD and body[LEAD] != " ", rows
            assert steps, rows
            steps[-1] += " " + body[LEAD:]
    return steps


def expected(state: IncidentState, phase_id: str) -> list[str]:
    """The steps as they read before the hanging indent, each on one line."""
    shown = []
    for record in state.phase_steps(phase_id):
        status = state.status_of(record.step.id)
        text = f"{MARKS[status]} {record.step.title}"
        if not record.step.required:
            text += " (optional)"
        if status == StepStatus.BLOCKED:
            text += " (blocked)"
        shown.append(text)
    return shown


@pytest.mark.parametrize("size", [(60, 20), (80, 24)])
async def test_a_wrapped_title_hangs_under_itself_in_every_phase(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    async with coordinator(tmp_path / "hang.db", size=size) as (app, pilot, screen):
        phases = [phase.id for phase in screen.state.runbook.phases]
        for number, phase_id in enumerate(phases, start=1):
            if number > 1:
                await pilot.press("right")
            want = expected(screen.state, phase_id)
            await wait_until(pilot, lambda: f"Phase {number}/" in "".join(screen_lines(app)))  # noqa: B023
            rows = rows_of(app)
            assert steps_read(rows) == want, rows
        if size == (60, 20):  # the line the coordinator saw read as an item of its own
            await pilot.press(*["left"] * (len(phases) - 1))
            await wait_until(pilot, lambda: "Phase 1/" in "".join(screen_lines(app)))
            rows = rows_of(app)
            bodies = [row[len(GUTTER[0]) :] for row in rows]
            assert "[ ] Create a dedicated" in bodies, rows
            assert "    communication channel" in bodies, rows


async def test_a_step_checked_or_skipped_keeps_its_indent(tmp_path: Path) -> None:
    """A check replaces the step's prompt (`Checklist.show`): the new one hangs too, and
    a done or skipped step keeps its mark and reads as before."""
    state = declared_state(tmp_path)
    app = TallChecklistApp(state)
    async with app.run_test(size=(36, 20)) as pilot:
        checklist = app.query_one(Checklist)
        ids = [record.step.id for record in state.phase_steps("decide")]
        await wait_until(pilot, lambda: checklist.option_count == len(ids))
        state.steps[ids[1]].done = True
        state.steps[ids[4]].skipped = True
        checklist.show(state, "decide")
        await wait_until(pilot, lambda: "[-]" in "".join(screen_lines(app)))
        box = checklist.content_region
        lines = screen_lines(app)[box.y : box.bottom]
        rows = [line[box.x : box.right].rstrip() for line in lines]
        rows = [row for row in rows if row.strip()]
        assert steps_read(rows) == expected(state, "decide"), rows
        assert any(row[2:].startswith("[x]") for row in rows), rows
        assert sum(not row[2:].startswith(tuple(MARKS.values())) for row in rows) >= 3, rows
