"""Key moments are listed in the order they happened (review 6 #13).

Bo marked core-broken met 41 s after the decision, and Cy cleared it a second later.
The timeline's Key moments, the report's Time to recovery table and its Mermaid
chart, and the invitation's description listed `Rollback trigger met` (T+01:41) above
`Rollback decision` (T+01:00), as if the trigger had led to the decision; Detection
said neither that it came after the decision nor that it was cleared at once.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from incident import commands
from incident.app import lifecycle, postmortem, steps
from incident.app.session import IncidentSession
from incident.core.clock import ManualClock
from store.sqlite_log import SqliteEventLog
from tests.cli_helpers import InProcessCli
from tui.demo.scenarios import DECLARATION, SCENARIO_ID, SCENARIO_T0, bundled_runbook

DECISION = "Rollback decision"
TRIGGER = "Rollback trigger met"


def overruled_trigger(db: Path) -> str:
    """Declared at T+0, decided at T+01:00, core-broken marked met by Bo at T+01:41 and
    cleared by Cy at T+01:42, closed at T+03:35 and the post-mortem booked: on a real file."""
    clock = ManualClock(SCENARIO_T0)
    with SqliteEventLog.open(db) as log:
        declaration = commands.declare(
            bundled_runbook(), DECLARATION, actor="ada", clock=clock, incident_id=SCENARIO_ID
        )
        log.append([declaration])
        session = IncidentSession(log, SCENARIO_ID, clock)
        clock.set(SCENARIO_T0 + timedelta(minutes=1))
        steps.decide(session, "ada", reason="p99 at 8s, search unusable", by="Ada Lovelace")
        clock.set(SCENARIO_T0 + timedelta(minutes=1, seconds=41))
        steps.mark_trigger(session, "bo", "core-broken", "met", note="my order failed")
        clock.set(SCENARIO_T0 + timedelta(minutes=1, seconds=42))
        steps.mark_trigger(session, "cy", "core-broken", "cleared", note="checkout works")
        clock.set(SCENARIO_T0 + timedelta(minutes=3, seconds=35))
        lifecycle.close(session, "bo", force=True, reason="drill over")
        postmortem.schedule(session, "ada", SCENARIO_T0 + timedelta(days=1))
    return SCENARIO_ID


def _before(text: str, first: str, then: str) -> bool:
    assert first in text and then in text, text
    return text.index(first) < text.index(then)


def test_every_key_moment_list_puts_the_decision_first(tmp_path: Path) -> None:
    db = tmp_path / "incidents.db"
    incident_id = overruled_trigger(db)
    cli = InProcessCli(db)

    timeline = cli.ok("timeline", incident_id)
    key_moments = timeline[timeline.index("## Key moments") :]
    assert _before(key_moments, f"{DECISION}: T+01:00", f"{TRIGGER}: T+01:41")

    report = cli.ok("export", incident_id)
    recovery = report[report.index("### Time to recovery") :]
    assert _before(recovery, f"| {DECISION} |", f"| {TRIGGER} |")
    chart = report[report.index("section Key moments") :]
    assert _before(chart, DECISION, TRIGGER)

    ics = cli.ok("ics", incident_id).replace("\r\n ", "").replace("\n ", "")
    assert _before(ics, f"{DECISION}: T+01:00", f"{TRIGGER}: T+01:41")


def test_detection_says_it_came_after_the_decision_and_was_cleared(tmp_path: Path) -> None:
    db = tmp_path / "incidents.db"
    incident_id = overruled_trigger(db)
    report = InProcessCli(db).ok("export", incident_id)
    detection = next(line for line in report.splitlines() if "- Rollback trigger met at" in line)
    assert detection.endswith(
        ": core-broken (manual), after the decision at T+01:00; cleared by cy at T+01:42."
    ), detection
