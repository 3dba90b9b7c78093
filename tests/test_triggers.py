"""Rollback triggers: manual marks are recorded; probe triggers say "no data" until read."""

from __future__ import annotations

import pytest

from incident import commands
from incident.app.session import IncidentSession
from incident.commands import CommandError
from incident.health.triggers import TriggerState, describe_condition, read_triggers
from runbooks import load_runbook, resolve_runbook
from tests.memory_log import MemoryLog


@pytest.fixture
def session(clock):
    runbook = load_runbook(resolve_runbook("rollback"))
    details = commands.Declaration(title="t", severity="SEV2", commander="Ada")
    event = commands.declare(runbook, details, actor="ada", clock=clock)
    return IncidentSession.declare(MemoryLog(), event, clock)


def states(session):
    return {r.trigger.id: r.state for r in read_triggers(session.state)}


def test_bundled_triggers_start_without_data_or_unmarked(session):
    assert states(session) == {
        "error-rate": TriggerState.NO_DATA,
        "health-failing": TriggerState.NO_DATA,
        "core-broken": TriggerState.NOT_MET,
    }
    error_rate = next(t for t in session.state.runbook.triggers if t.id == "error-rate")
    assert describe_condition(error_rate) == "error-rate > 0.05 for 3 samples"


def test_manual_trigger_marked_and_cleared_is_recorded(session, clock):
    session.run(
        lambda s: commands.mark_trigger(
            s, "core-broken", True, actor="ada", clock=clock, note="checkout button 500s"
        )
    )
    assert states(session)["core-broken"] == TriggerState.MET
    assert [t for t, mark in session.state.triggers.items() if mark.met] == ["core-broken"]
    clock.advance(60)
    session.run(lambda s: commands.mark_trigger(s, "core-broken", False, actor="ada", clock=clock))
    assert states(session)["core-broken"] == TriggerState.NOT_MET
    history = [(trigger, mark.met) for trigger, mark in session.state.trigger_history]
    assert history == [("core-broken", True), ("core-broken", False)]


@pytest.mark.parametrize(
    ("trigger", "met", "message"),
    [
        ("error-rate", True, "decided by its probe"),
        ("core-brokn", True, "did you mean 'core-broken'"),
        ("core-broken", False, "already not met"),
    ],
)
def test_mark_trigger_refusals(session, clock, trigger, met, message):
    with pytest.raises(CommandError, match=message):
        commands.mark_trigger(session.state, trigger, met, actor="a", clock=clock)
