"""From 120 columns the coordinator's footer shows Skip, Approve and DB tier again.

To keep `c Compose` and `q Quit` in the footer at 80x24 (`test_footer_80_columns.py`),
`s Skip`, `a Approve` and `b DB tier` left it at every width, though at 120 columns
there is room for them beside every key that comes and goes (`P`, `X`, a due
message's `m`, `d` until decided). They are back there, in the place they had
(after Check, around Decide), and narrower the footer is as it was without them:
not there at all, rather than hidden, so the 80x24 footer draws what it drew.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

import pytest
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets._footer import FooterKey

from tests.tui.contrast import incident_at
from tests.tui.pilot_helpers import wait_until
from tests.tui.screen_text import screen_lines
from tui.app.app import LastGoodApp
from tui.app.screens.incident import IncidentScreen
from tui.app.steady_footer import SteadyFooter

ROOM_PERMITTING = ["s Skip", "a Approve", "b DB tier"]

VERBS_IN_ORDER = [
    "space Check",
    "s Skip",
    "a Approve",
    "d Decide",
    "b DB tier",
    "n Note",
    "c Compose",
]
"""The verbs' keys in the footer's order: the verb table's, as before they left it."""


def footer_keys(app: LastGoodApp) -> list[FooterKey]:
    return list(app.screen.query_one(SteadyFooter).query(FooterKey))


def hints(keys: list[FooterKey]) -> list[str]:
    return [f"{key.key_display} {key.description}" for key in keys]


def drawn(app: LastGoodApp) -> str:
    return screen_lines(app)[-1].rstrip()


def footer_drawn(app: LastGoodApp) -> bool:
    """The footer's keys are mounted, and those it shows are drawn: the footer's line is
    redrawn after its keys are mounted (or go), so a test reads it once this holds."""
    shown = hints([key for key in footer_keys(app) if key.display])
    line = drawn(app)
    return bool(shown) and all(hint in line for hint in shown)


@pytest.mark.parametrize(
    ("scenario", "minutes", "contextual"),
    [
        ("declared", 0, ["d Decide"]),
        ("declared", 7, ["m Send due", "d Decide"]),  # the first messages fall due
        ("mid-phase-2", 0, ["m Send due"]),
        ("resolved", 0, []),
        ("drill-closing", 0, ["X Close"]),  # every required step done
    ],
)
async def test_every_phase_shows_skip_approve_and_db_tier_at_120x40(
    tmp_path: Path, scenario: str, minutes: float, contextual: list[str]
) -> None:
    async with incident_at(tmp_path, scenario, minutes, size=(120, 40)) as (app, pilot):
        screen = app.screen
        assert isinstance(screen, IncidentScreen)
        phases = [phase.id for phase in screen.state.runbook.phases]
        for _ in phases:  # `→` wraps: from the phase it opens on, round to it again
            await pilot.pause()
            phase = screen.view.phase_id
            keys = footer_keys(app)
            row = drawn(app)
            assert all(key.display for key in keys), (phase, row)
            assert row.startswith("? Help"), (phase, row)
            assert row.endswith("n Note c Compose q Quit"), (phase, row)
            verbs = [hint for hint in hints(keys) if hint in VERBS_IN_ORDER]
            expected = [h for h in VERBS_IN_ORDER if h != "d Decide" or h in contextual]
            assert verbs == expected, (phase, row)
            assert row.endswith(" ".join([*expected, "q Quit"])), (phase, row)
            for hint in contextual:
                assert hint in hints(keys), (phase, hint, row)
            await screen.run_action("phase(1)")


async def test_they_leave_below_120_columns_and_come_back(tmp_path: Path) -> None:
    """Resized across 120 columns, the three keys go and come back; the rest stay put."""
    async with incident_at(tmp_path, "declared", 7, size=(80, 24)) as (app, pilot):
        await wait_until(pilot, lambda: footer_drawn(app))
        narrow = drawn(app)
        assert not set(ROOM_PERMITTING) & set(hints(footer_keys(app))), narrow
        kept = {key.action: key for key in footer_keys(app)}

        await pilot.resize_terminal(120, 40)
        await wait_until(pilot, lambda: "s Skip" in hints(footer_keys(app)) and footer_drawn(app))
        assert "s Skip a Approve d Decide b DB tier" in drawn(app), drawn(app)
        for key in footer_keys(app):  # only the three were mounted
            assert key.action in kept or f"{key.key_display} {key.description}" in ROOM_PERMITTING
            assert kept.get(key.action, key) is key

        await pilot.resize_terminal(119, 40)
        await wait_until(pilot, lambda: "s Skip" not in hints(footer_keys(app)))
        await pilot.resize_terminal(80, 24)
        await wait_until(pilot, lambda: drawn(app) == narrow)
        assert list(kept.values()) == footer_keys(app)


async def test_a_closed_incident_shows_none_of_them_however_wide(tmp_path: Path) -> None:
    """They change the rollback's course, which the close ended (`Verb.open_only`)."""
    async with incident_at(tmp_path, "closed", 0, size=(160, 40)) as (app, pilot):
        await pilot.pause()
        assert not set(ROOM_PERMITTING) & set(hints(footer_keys(app))), drawn(app)


class SpareApp(App[None]):
    """Nine keys, three of them shown only with room (the middle ones)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(key, f"press({key!r})", f"Key {key} " + "x" * 6) for key in "abcdefghi"
    ]

    def compose(self) -> ComposeResult:
        yield SteadyFooter(
            compact=True,
            show_command_palette=False,
            if_room={"press('c')", "press('d')", "press('e')"},
            room_from=60,
        )

    def action_press(self, key: str) -> None:
        pass


@pytest.mark.parametrize(
    ("width", "shown"),
    [
        (134, "abcdefghi"),  # 9 keys of 14 cells, a cell between each
        (133, "abcdfghi"),  # the last of the three goes first
        (110, "abcfghi"),
        (103, "abfghi"),  # all three gone before any other
        (88, "abfgh"),  # then the others, the last first
        (59, "abfg"),  # under `room_from`: not even mounted
    ],
)
async def test_keys_shown_if_room_are_left_out_first(width: int, shown: str) -> None:
    app = SpareApp()
    async with app.run_test(size=(width, 10)) as pilot:
        footer = app.query_one(SteadyFooter)
        await wait_until(pilot, lambda: bool(footer.query(FooterKey)))
        await pilot.pause()
        keys = list(footer.query(FooterKey))
        assert "".join(key.key for key in keys if key.display) == shown
        mounted = "".join(key.key for key in keys)
        assert mounted == ("abcdefghi" if width >= 60 else "abfghi")
