"""`d` in a Markdown runbook (no gate) once the decision is noted: refused, saying who
decided when, as a note; no second decision dialog, no second note.

It opened `Decision gate: roll back now?` again and ctrl+s recorded a second
"Decision: initiate rollback." note (ux_review8 #11). The decision here is made by
`lastgood decide` on the same SQLite file, then the screen opened on it.
"""

from __future__ import annotations

from pathlib import Path

from incident import commands
from incident.core.clock import ManualClock
from runbooks import load_runbook
from store.sqlite_log import SqliteEventLog
from tests.cli_helpers import InProcessCli
from tests.test_markdown_decision_cli import WORKER_RUNBOOK
from tests.tui.pilot_helpers import scenario_app, wait_for_screen, wait_until
from tui.app.modals.decision import DecisionModal
from tui.app.screens.incident import IncidentScreen
from tui.demo.scenarios import ACTOR, DECLARATION, SCENARIO_ID, SCENARIO_T0, Scenario


async def test_d_once_decided_as_a_note_says_so_and_records_nothing(tmp_path: Path) -> None:
    markdown = tmp_path / "worker-runbook.md"
    markdown.write_text(WORKER_RUNBOOK)
    db = tmp_path / "worker.db"
    clock = ManualClock(SCENARIO_T0)
    runbook = load_runbook(markdown)
    log = SqliteEventLog.open(db)
    declared = commands.declare(
        runbook, DECLARATION, actor=ACTOR, clock=clock, incident_id=SCENARIO_ID
    )
    log.append([declared])
    scenario = Scenario(log, clock, runbook, SCENARIO_ID)
    decided = InProcessCli(db, actor="Ada").run("decide", SCENARIO_ID, "--reason", "40% failing")
    assert decided.code == 0, decided.err
    notes = len(scenario.session.state.notes)

    app = scenario_app(scenario)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        screen = app.screen
        assert isinstance(screen, IncidentScreen)
        await pilot.press("d")
        await wait_until(
            pilot,
            lambda: any(
                n.message.startswith("The rollback was already decided (by Ada at T+")
                and n.message.endswith(", as a note: 40% failing)")
                for n in app._notifications
            ),
        )
        assert not any(isinstance(s, DecisionModal) for s in app.screen_stack)
        assert len(screen.state.notes) == notes
