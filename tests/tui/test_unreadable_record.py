"""A record the apps cannot read closes them with one line and exit 2, not a traceback.

A payload edited to junk used to end `lastgood start` and `attach` in Textual's
traceback (local variables, whole event rows) with exit 0, while `status` said one
line with exit 2 for the same file.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from store.sqlite_log import SqliteEventLog
from tests.scenario_copies import scenario_copy
from tests.tampering import drop_triggers
from tui.app.app import LastGoodApp
from tui.app.follow_app import FollowApp


def damaged(tmp_path: Path) -> tuple[Path, str]:
    """mid-phase-2's record, its second event's payload edited to junk."""
    db = tmp_path / "damaged.db"
    scenario = scenario_copy("mid-phase-2", db)
    incident_id = scenario.incident_id
    scenario.log.close()
    with sqlite3.connect(db) as raw:
        drop_triggers(raw)
        raw.execute("UPDATE events SET payload = 'not json{' WHERE seq = 2")
    raw.close()
    return db, incident_id


@pytest.mark.parametrize("asked", [True, False], ids=["start --incident", "start (picker)"])
async def test_the_coordinator_app_closes_with_the_store_s_line(tmp_path, asked):
    db, incident_id = damaged(tmp_path)
    with SqliteEventLog.open(db) as log:
        app = LastGoodApp(
            log, None, actor="ada", incident_id=incident_id if asked else None, network=False
        )
        async with app.run_test() as pilot:
            await pilot.pause()
        assert app.refusal == (
            f"{db}: incident {incident_id}: event 2: payload is not JSON; run verify for details"
        )
        assert app.return_code == app.refusal_code == 2


async def test_attach_closes_with_the_store_s_line(tmp_path):
    db, incident_id = damaged(tmp_path)
    with SqliteEventLog.open(db, read_only=True) as log:
        app = FollowApp(log, incident_id)
        async with app.run_test() as pilot:
            await pilot.pause()
        assert app.refusal is not None and app.refusal.endswith(
            "event 2: payload is not JSON; run verify for details"
        )
        assert app.return_code == 2
