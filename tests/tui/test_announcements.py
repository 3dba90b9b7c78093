"""A missed update that was declined on purpose says so in its toast; a flapping trigger
is said once a minute.

Declining a due update ("nothing new since the last one") still counts it as missed,
by design (`tests/test_autosend.py`); but the toast that followed said "The stakeholder
update due at 06:32:10 UTC was not sent (c composes it)", beside the decline, as if
no one had decided anything (a fresh user's review).
"""

from __future__ import annotations

from datetime import timedelta

from msgspec.structs import replace

from incident import commands
from incident.app.session import IncidentSession
from incident.commands.messages import decline
from incident.core.clock import ManualClock
from incident.core.samples import Outcome
from runbooks import load_runbook, resolve_runbook
from tests.conftest import T0
from tests.memory_log import MemoryLog
from tests.test_autosend import declare, rule, runbook_with
from tests.test_health import tick
from tui.app.screens.announcements import TriggerNews, announcements


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
    [(text, title, severity, _timeout)] = announcements(overdue, session.state, TriggerNews())
    assert title == "Stakeholder update overdue" and severity == "warning"
    assert text.endswith(": declined by ada (nothing new), it counts as missed (c composes one)")
    undeclined = replace(session.state, declined=[])  # none declined: as it was
    [(plain, _, loud, _)] = announcements(overdue, undeclined, TriggerNews())
    assert plain.endswith(" was not sent (c composes it)") and loud == "error"


def test_a_flapping_trigger_is_said_once_a_minute_and_counted() -> None:
    """Health failing three in a row, then one check passing, over and over: every
    flip put a toast on the screen (a fresh user's review). The first is said; the
    flips within a minute of it are not; the next said counts the times it was met."""
    clock = ManualClock(T0)
    runbook = load_runbook(resolve_runbook("rollback"))
    details = commands.Declaration(
        title="t", severity="SEV2", commander="Ada", from_version="2.4.1", last_good_version="2.4.0"
    )
    session = IncidentSession.declare(
        MemoryLog(), commands.declare(runbook, details, actor="ada", clock=clock), clock
    )
    news = TriggerNews()

    def flap() -> list[tuple[str, str]]:
        """Three failed health checks (the trigger met), then one passing (cleared)."""
        said = []
        for reading in (Outcome.HTTP_STATUS,) * 3 + (200.0,):
            fresh = tick(session, clock, health=reading)
            said += [
                (title, text) for text, title, _, _ in announcements(fresh, session.state, news)
            ]
        return said

    assert [title for title, _ in flap()] == ["Rollback trigger met"]  # cleared 1 s later
    assert flap() == [] and flap() == []  # T+00:05 to T+00:12: within the minute
    clock.advance(60)
    [(title, text)] = flap()
    assert title == "Rollback trigger met again"
    assert text.endswith("(met 4 times since T+00:03)"), text
    clock.advance(60)
    for _ in range(3):
        tick(session, clock, health=Outcome.HTTP_STATUS)  # met again, within its minute
    [(cleared, text)] = [
        (title, text)
        for text, title, _, _ in announcements(
            tick(session, clock, health=200.0), session.state, news
        )
    ]
    assert cleared == "Trigger cleared" and text.endswith("(met 5 times since T+00:03)"), text
