"""A manual rollback trigger still met contradicts "Check health", as a probe's does.

The bundled runbook's Check health step claims "error rate back to baseline, no
rollback trigger met". A trigger the team marked met by hand (`core-broken`, "core
functionality broken") is a rollback trigger met: while it stands, the evidence does
not hold, checking the step needs an override reason, and the reason is recorded. It
needs no sample to say so. Each case is a demo scenario recorded through the real
domain on a real SQLite file; the command line is run as a user runs it.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from incident import commands
from incident.app.next_key import next_key
from incident.commands import CommandError
from incident.health.readings import evidence_for
from store.sqlite_log import SqliteEventLog
from tests.cli_helpers import Cli
from tests.scenario_copies import scenario_copy
from tui.demo.scenarios import ACTOR, declared

STEP = "check-health"
MET = "rollback trigger still met: core-broken (marked by ada)"


def mark(recorded, met: bool) -> None:
    clock = recorded.clock
    recorded.run(
        lambda s: commands.mark_trigger(
            s, "core-broken", met, actor=ACTOR, clock=clock, note="checkout 500s for logged-in"
        )
    )


def test_a_manual_trigger_marked_met_contradicts_the_evidence_until_cleared(tmp_path):
    recorded = scenario_copy("mid-phase-2", tmp_path / "s.db")  # rolled back, errors settled
    clock = recorded.clock  # the baseline the decision gate asks for, recorded
    recorded.run(
        lambda s: commands.capture_baseline(s, "error-rate", actor=ACTOR, clock=clock, value=0.004)
    )
    step = recorded.session.state.steps[STEP].step
    assert evidence_for(recorded.session.state, step).holds is True

    mark(recorded, True)
    state = recorded.session.state
    found = evidence_for(state, step)
    assert (found.holds, found.detail) == (False, MET)
    hint = next_key(state, STEP, recorded.clock.now())
    # The way on is clearing the mark (`t`, filled in), not the override checking asks for.
    assert hint is not None and hint.key == "t"
    cleared = "mark core-broken cleared once it no longer holds (still met, marked by ada)"
    assert hint.what == cleared
    assert hint.values_for("trigger") == {"trigger": "core-broken", "verdict": "cleared"}
    with pytest.raises(CommandError, match=re.escape(f"evidence does not hold: {MET}")) as refused:
        commands.check_step(state, STEP, actor=ACTOR, clock=recorded.clock)
    assert refused.value.needs == ("override",)

    mark(recorded, False)
    assert evidence_for(recorded.session.state, step).holds is True
    recorded.log.close()


def test_with_a_probe_trigger_met_too_the_guidance_names_both_not_t(tmp_path):
    """Clearing the team's mark would not let the step pass while the error rate is still
    over its trigger: the guidance says what holds it back, and does not offer `t`."""
    recorded = scenario_copy("declared", tmp_path / "s.db")  # the error-rate trigger met
    mark(recorded, True)
    state = recorded.session.state
    hint = next_key(state, STEP, recorded.clock.now())
    assert hint is not None and hint.key == "space"
    assert hint.what.startswith("not yet: rollback trigger still met: error-rate, core-broken")
    recorded.log.close()


def test_the_version_step_is_not_judged_on_the_triggers(tmp_path):
    """Confirm version claims the last-good version runs, which a broken checkout does
    not contradict: its evidence stays the version probe's."""
    recorded = scenario_copy("mid-phase-2", tmp_path / "s.db")
    mark(recorded, True)
    state = recorded.session.state
    found = evidence_for(state, state.steps["confirm-version"].step)
    assert found.holds is True and found.detail.startswith("version 2.4.0 confirmed")
    recorded.log.close()


def test_a_manual_trigger_met_contradicts_it_before_any_sample(tmp_path):
    """No sample of the error rate yet: "no rollback trigger met" is still contradicted by
    the record itself, where before the step was checked with no question."""
    recorded = declared(tmp_path / "s.db", at=timedelta(0))
    step = recorded.session.state.steps[STEP].step
    assert evidence_for(recorded.session.state, step).holds is None
    mark(recorded, True)
    found = evidence_for(recorded.session.state, step)
    assert (found.holds, found.detail) == (False, MET)
    recorded.log.close()


def test_check_refuses_it_from_the_command_line_and_records_the_override(tmp_path):
    db = tmp_path / "s.db"
    recorded = scenario_copy("mid-phase-2", db)
    incident = recorded.incident_id
    recorded.log.close()
    cli = Cli(db, actor=ACTOR)
    assert cli.run("trigger", incident, "core-broken", "met").code == 0

    refused = cli.run("check", incident, STEP)
    assert refused.code != 0
    assert (
        f"lastgood check: the evidence does not hold: {MET}; checking it anyway needs an "
        "override reason (--override)"
    ) in refused.err
    assert "Traceback" not in refused.err
    with SqliteEventLog.open(db, read_only=True) as log:
        assert not [
            e
            for e in log.events(incident)
            if e.kind == "step.checked" and e.payload["step"] == STEP
        ]

    done = cli.run("check", incident, STEP, "--override", "customers confirm checkout works")
    assert done.code == 0, done.err
    with SqliteEventLog.open(db, read_only=True) as log:
        [checked] = [
            e
            for e in log.events(incident)
            if e.kind == "step.checked" and e.payload["step"] == STEP
        ]
    assert checked.payload["override"] == "customers confirm checkout works"
    assert checked.payload.get("evidence", "") == ""
