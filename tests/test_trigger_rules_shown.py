"""The decision gate and `status` say how each trigger fires before it does, and which
rules are the runbook's own, not the guide's (ux_review15 #11, #13).

"Error rate > 5%" fired after three readings 15 s apart, said only as "for 3 samples"
once met; the runbook's health-failing trigger, its comms-lead and ops roles and the
commander's approval of the decision read as the guide's. `status` now has a `trigger
rules:` line; the gate writes each trigger's rule beside its title and the approval as
the runbook's rule. `status` said `runbook's own, not the guide's: roles comms-lead, ops`
of the bundled runbook that `validate` found ok; it now says `validate`'s notes, none
here (ux_review17 #12, tests/test_guide_verdict_cli.py). Real app, real file.
"""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Label, OptionList

from incident.core.clock import SystemClock
from store.sqlite_log import SqliteEventLog
from tests.cli_helpers import InProcessCli
from tests.tui.pilot_helpers import wait_for_screen, wait_until
from tui.app.app import LastGoodApp
from tui.app.modals.decision import DecisionModal
from tui.app.screens.incident import IncidentScreen

DECLARE = ("declare", "--title", "T", "--severity", "SEV2", "--commander", "Ada")


def test_status_says_each_rule_and_what_the_runbook_adds(tmp_path: Path) -> None:
    cli = InProcessCli(tmp_path / "x.db", actor="Ada")
    incident = cli.ok(*DECLARE).strip()
    lines = cli.ok("status", incident).splitlines()
    assert (
        "trigger rules: error-rate 3 readings, about 30 s · health-failing 3 failed checks "
        "in a row, about 10 s · core-broken marked by hand"
    ) in lines, lines
    # What the runbook adds is no departure: `validate` says ok with no note, and so does
    # `status` (ux_review17 #12); the gate marks the added trigger and approval in use.
    assert not [line for line in lines if "runbook's own" in line or "note:" in line], lines


async def test_the_gate_says_each_rule_and_whose_the_approval_is(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    incident = InProcessCli(db, actor="Ada").ok(*DECLARE).strip()
    with SqliteEventLog.open(db) as log:
        app = LastGoodApp(log, None, clock=SystemClock(), actor="Ada", incident_id=incident)
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_for_screen(pilot, IncidentScreen)
            await pilot.press("d")
            await wait_until(pilot, lambda: isinstance(app.screen, DecisionModal))
            options = app.screen.query_one("#triggers", OptionList)
            shown = [
                " ".join(str(options.get_option_at_index(i).prompt).split())
                for i in range(options.option_count)
            ]
            assert "? no data Error rate > 5% (3 readings, about 30 s) not polled" in shown[0]
            assert shown[1].startswith(
                "? no data Health checks failing (3 in a row) (3 failed checks in a row, "
                "about 10 s; the runbook's own, not the guide's)"
            ), shown
            labels = [" ".join(str(label.render()).split()) for label in app.screen.query(Label)]
            assert "By (runbook's rule: the incident commander approves)" in labels, labels
