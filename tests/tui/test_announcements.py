"""A missed update that was declined on purpose says so in its toast.

Declining a due update ("nothing new since the last one") still counts it as missed,
by design (`tests/test_autosend.py`); but the toast that followed said "The stakeholder
update due at 06:32:10 UTC was not sent (c composes it)", beside the decline, as if
no one had decided anything (a fresh user's review).
"""

from __future__ import annotations

from datetime import timedelta

from incident import commands
from incident.commands.messages import decline
from incident.core.clock import ManualClock
from tests.conftest import T0
from tests.test_autosend import declare, rule, runbook_with
from tui.app.screens.announcements import announcements


def test_a_declined_update_missed_says_who_declined_it_and_why() -> None:
    clock = ManualClock(T0)
    session = declare(runbook_with(rule("update", "update-due")), clock)
    first_due = T0 + timedelta(minutes=5)
    clock.set(first_due - timedelta(minutes=1))
    session.run(lambda s: decline(s, "update", "nothing new", actor="ada", clock=clock))
    clock.set(first_due + timedelta(seconds=1))
    overdue = session.run_many(
        lambda s: commands.record_overdue_update(s, actor="lastgood", clock=clock)
    )
    [(text, title, severity, _timeout)] = announcements(overdue, session.state.declined)
    assert title == "Stakeholder update overdue" and severity == "warning"
    assert text.endswith(": declined by ada (nothing new), it counts as missed (c composes one)")
    [(plain, _, loud, _)] = announcements(overdue)  # none declined: as it was
    assert plain.endswith(" was not sent (c composes it)") and loud == "error"
