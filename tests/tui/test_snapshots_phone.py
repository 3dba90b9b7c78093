"""Snapshots at a phone's width, the clock frozen: the incident view in one column.

attach at 46x22 (SSH on a phone held upright) and at 40x35 (serve's page on a phone),
and the coordinator's screen at 46x22 (`tests/tui/test_phone_width.py` says why).

Regenerate on purpose with `--snapshot-update` after reading the diff's text.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from store.sqlite_log import SqliteEventLog
from tests.scenario_copies import scenario_copy
from tests.tui.test_snapshots import app_for
from tui.app.follow_app import FollowApp
from tui.demo.scenarios import SCENARIO_ID


@pytest.mark.parametrize(
    ("scenario", "size"),
    [("declared", (46, 22)), ("mid-phase-2", (46, 22)), ("mid-phase-2", (40, 35))],
    ids=["declared-46x22", "mid-phase-2-46x22", "mid-phase-2-40x35"],
)
def test_attach_at_a_phones_width(
    snap_compare, tmp_path: Path, scenario: str, size: tuple[int, int]
) -> None:
    copy = scenario_copy(scenario, tmp_path / "live.db")
    copy.log.close()
    with SqliteEventLog.open(tmp_path / "live.db", read_only=True) as log:
        app = FollowApp(log, SCENARIO_ID, clock=copy.clock)
        assert snap_compare(app, terminal_size=size)


def test_the_coordinators_screen_at_46x22(snap_compare, tmp_path: Path) -> None:
    assert snap_compare(app_for(tmp_path, "mid-phase-2"), terminal_size=(46, 22))
