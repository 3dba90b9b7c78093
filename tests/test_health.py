"""Samples into verdicts: triggers met and cleared, baselines, verification evidence."""

from __future__ import annotations

from datetime import timedelta

import pytest

from incident import commands
from incident.app.session import IncidentSession
from incident.commands import CommandError
from incident.core.payloads import StepChecked
from incident.core.samples import Outcome, Sample
from incident.core.state import fold
from incident.health.readings import Evidence, evidence_for, format_value, trigger_verdict
from incident.health.triggers import TriggerState, read_triggers
from incident.reports.report import markdown_report
from runbooks import load_runbook, resolve_runbook
from runbooks.model import Trigger, TriggerKind
from tests.memory_log import MemoryLog


@pytest.fixture
def session(clock):
    runbook = load_runbook(resolve_runbook("rollback"))
    details = commands.Declaration(
        title="t", severity="SEV2", commander="Ada", from_version="2.4.1", last_good_version="2.4.0"
    )
    event = commands.declare(runbook, details, actor="ada", clock=clock)
    return IncidentSession.declare(MemoryLog(), event, clock)


def tick(session, clock, **readings):
    """Record one tick: probe name -> value (float), version (str) or Outcome."""
    clock.advance(1)
    samples = []
    for name, reading in readings.items():
        probe = name.replace("_", "-")
        if isinstance(reading, Outcome):
            samples.append(Sample(probe, clock.now(), reading, detail="HTTP 500 (expected 200)"))
        elif isinstance(reading, str):
            samples.append(Sample(probe, clock.now(), Outcome.OK, 3.0, 200, text=reading))
        else:
            samples.append(Sample(probe, clock.now(), Outcome.OK, 3.0, 200, value=reading))
    return session.run_many(
        lambda s: commands.record_samples(s, samples, actor="monitor", clock=clock)
    )


def trigger_states(session):
    return {r.trigger.id: r.state for r in read_triggers(session.state)}


def test_error_rate_trigger_is_met_after_three_breaching_samples_and_recorded(session, clock):
    assert [e.kind for e in tick(session, clock, error_rate=0.12)] == ["probe.samples"]
    tick(session, clock, error_rate=0.13)
    assert trigger_states(session)["error-rate"] == TriggerState.NO_DATA
    events = tick(session, clock, error_rate=0.11)
    assert [e.kind for e in events] == ["probe.samples", "trigger.changed"]
    assert events[1].payload["met"] is True
    assert events[1].payload["detail"] == "error-rate 11.0% > 5.0% for 3 samples"
    assert trigger_states(session)["error-rate"] == TriggerState.MET
    # one good sample is not enough to clear it; three are
    tick(session, clock, error_rate=0.01)
    assert trigger_states(session)["error-rate"] == TriggerState.MET
    tick(session, clock, error_rate=0.004)
    cleared = tick(session, clock, error_rate=0.004)
    assert cleared[-1].kind == "trigger.changed" and cleared[-1].payload["met"] is False
    assert [m.met for _, m in session.state.trigger_history] == [True, False]


def test_consecutive_health_failures(session, clock):
    for _ in range(2):
        tick(session, clock, health=Outcome.HTTP_STATUS)
    assert trigger_states(session)["health-failing"] == TriggerState.NO_DATA
    events = tick(session, clock, health=Outcome.HTTP_STATUS)
    assert events[-1].payload["trigger"] == "health-failing"
    # the failure by the name the panel shows it by, not the record's `http_status`
    assert events[-1].payload["detail"] == "3 failed checks in a row (HTTP 500)"
    events = tick(session, clock, health=200.0)
    assert events[-1].payload["met"] is False


def test_samples_survive_the_fold(session, clock):
    tick(session, clock, error_rate=0.12, health=Outcome.TIMEOUT, version="2.4.1")
    state = fold(session.log.events(session.state.id))
    assert state.samples == session.state.samples
    assert state.samples["health"][0].outcome == Outcome.TIMEOUT
    assert state.sample_count == 3


def test_version_evidence(session, clock):
    step = session.state.steps["confirm-version"].step
    assert evidence_for(session.state, step).holds is None
    tick(session, clock, version="2.4.1")
    evidence = evidence_for(session.state, step)
    assert (evidence.holds, evidence.detail) == (False, "version 2.4.1 running, expected 2.4.0")
    with pytest.raises(CommandError, match=r"evidence does not hold: version 2\.4\.1 running"):
        commands.check_step(session.state, "confirm-version", actor="a", clock=clock)
    tick(session, clock, version="2.4.0")
    checked = session.run(
        lambda s: commands.check_step(s, "confirm-version", actor="a", clock=clock)
    )
    assert checked.payload["evidence"] == "version 2.4.0 confirmed at T+00:02"
    assert session.state.steps["confirm-version"].evidence.startswith("version 2.4.0 confirmed")


def test_a_bare_tick_needs_what_was_seen_while_the_probe_shows_nothing(session, clock):
    """No samples, or too few to judge: the samples prove nothing, so neither does a
    tick. What someone saw, typed as the evidence, is enough; so is an override reason."""
    with pytest.raises(CommandError) as none:
        commands.check_step(session.state, "check-health", actor="a", clock=clock)
    assert str(none.value) == (
        "probe 'error-rate' has no samples yet: checking 'check-health' needs evidence "
        "typed by hand (what you saw) or an override reason"
    )
    assert (none.value.needs, none.value.needs_one_of) == ((), ("evidence", "override"))
    tick(session, clock, error_rate=0.003, health=200.0)  # 1 of 5 samples: not judged yet
    assert evidence_for(session.state, session.state.steps["check-health"].step).holds is None
    unshown = r"^probe 'error-rate' does not show it yet \(1 of 5 samples so far\): checking"
    with pytest.raises(CommandError, match=unshown):
        commands.check_step(session.state, "check-health", actor="a", clock=clock, evidence=" ")
    seen = "5xx at 0.3% on the dashboard"
    checked = session.run(
        lambda s: commands.check_step(s, "check-health", actor="a", clock=clock, evidence=seen)
    )
    assert checked.data == StepChecked("check-health", "a", evidence=seen)
    overridden = session.run(
        lambda s: commands.check_step(
            s, "confirm-version", actor="a", clock=clock, override="probe unreachable from here"
        )
    )
    assert overridden.data == StepChecked(
        "confirm-version", "a", override="probe unreachable from here"
    )


def test_override_is_recorded_when_evidence_is_contradicted(session, clock):
    tick(session, clock, version="2.4.1")
    event = session.run(
        lambda s: commands.check_step(
            s, "confirm-version", actor="a", clock=clock, override="canary pods still draining"
        )
    )
    assert event.data == StepChecked("confirm-version", "a", override="canary pods still draining")
    events = session.log.events(session.state.id)
    state = fold(events)
    assert state.steps["confirm-version"].override == "canary pods still draining"
    row = _evidence_row(markdown_report(state, events, clock.now()), "confirm-version")
    assert row.endswith("| canary pods still draining |")

    session.run(
        lambda s: commands.reopen_step(
            s, "confirm-version", reason="recheck", actor="a", clock=clock
        )
    )
    reopened = session.state.steps["confirm-version"]
    assert (reopened.override, reopened.seq) == ("", None)
    tick(session, clock, version="2.4.0")
    session.run(lambda s: commands.check_step(s, "confirm-version", actor="a", clock=clock))
    events = session.log.events(session.state.id)
    state = fold(events)
    assert state.steps["confirm-version"].override == ""
    row = _evidence_row(markdown_report(state, events, clock.now()), "confirm-version")
    assert "version 2.4.0 confirmed" in row and "canary" not in row


def _evidence_row(report: str, step: str) -> str:
    """The step's row in the report's "Verification evidence" table."""
    table = report.split("### Verification evidence", 1)[1]
    return next(line for line in table.splitlines() if line.startswith(f"| {step} |"))


def test_back_to_baseline_evidence(session, clock):
    step = session.state.steps["check-health"].step
    probe = step.probe
    assert probe is not None
    for value in (0.004, 0.005, 0.003, 0.004, 0.004):
        tick(session, clock, **{probe.replace("-", "_"): value})
    session.run(lambda s: commands.capture_baseline(s, probe, actor="a", clock=clock))
    assert session.state.baselines[probe].value == pytest.approx(0.004)
    for value in (0.12, 0.03, 0.006, 0.005, 0.004):
        tick(session, clock, **{probe.replace("-", "_"): value})
    evidence = evidence_for(session.state, step)
    assert evidence.holds is False
    # the rule and where it stands, not the oldest of the five as if it were current
    assert evidence.detail == (
        "error-rate needs 5 readings in a row at most 0.9%, near its baseline 0.4%; "
        "3 so far, latest 0.4%"
    )
    for value in (0.004, 0.004, 0.003, 0.005, 0.004):
        tick(session, clock, **{probe.replace("-", "_"): value})
    evidence = evidence_for(session.state, step)
    assert evidence.holds is True
    assert "for 5 consecutive samples (baseline 0.4%)" in evidence.detail


def test_without_a_baseline_a_refusal_says_the_rule_and_where_it_stands(session, clock):
    """After the rollback, the trigger cleared on three readings of 0.5%, `check
    check-health` said `error-rate 12.2%; no baseline to compare with`: the oldest of
    the five it judges on, 75 s old (review 4, finding 8). The CLI and the TUI say it."""
    for value in (0.122, 0.08, 0.005, 0.005, 0.005):
        tick(session, clock, error_rate=value)
    detail = "error-rate needs 5 readings in a row at most 5.0%; 3 so far, latest 0.5%"
    assert evidence_for(session.state, session.state.steps["check-health"].step) == Evidence(
        None, detail
    )
    with pytest.raises(CommandError) as refused:
        commands.check_step(session.state, "check-health", actor="a", clock=clock)
    assert str(refused.value).startswith(f"probe 'error-rate' does not show it yet ({detail}): ")
    tick(session, clock, error_rate=0.004)
    tick(session, clock, error_rate=0.004)
    # Five under the trigger, and no baseline to be back to: what was seen is asked for.
    found = evidence_for(session.state, session.state.steps["check-health"].step)
    assert (found.holds, found.detail.split(";")[0]) == (None, "no baseline: verify by hand")


def test_baseline_needs_readings_or_a_value(session, clock):
    with pytest.raises(CommandError, match="no readings from 'error-rate'"):
        commands.capture_baseline(session.state, "error-rate", actor="a", clock=clock)
    with pytest.raises(CommandError, match="unknown probe 'eror-rate'"):
        commands.capture_baseline(session.state, "eror-rate", actor="a", clock=clock)
    session.run(
        lambda s: commands.capture_baseline(s, "error-rate", actor="a", clock=clock, value=0.002)
    )
    assert session.state.baselines["error-rate"].source == "given"


def test_metric_verdict_ignores_failed_and_empty_samples(clock):
    trigger = Trigger("t", "T", TriggerKind.METRIC, probe="p", op=">", threshold=0.05)
    now = clock.now()
    samples = [
        Sample("p", now, Outcome.NO_DATA, detail="query returned NaN"),
        Sample("p", now + timedelta(seconds=1), Outcome.TIMEOUT),
    ]
    assert trigger_verdict(trigger, samples).met is None
    samples.append(Sample("p", now, Outcome.OK, value=0.2))
    assert trigger_verdict(trigger, samples).met is True


def test_value_formatting():
    assert format_value(0.123, "ratio") == "12.3%"
    assert format_value(None) == "—"
    assert format_value(41.7, "ms") == "41.7 ms"


def test_the_next_key_hint_says_what_space_will_do_with_the_evidence(session, clock):
    """ "checking now asks why" showed with no samples at all (a parity review): it asks
    why only when readings say no; with nothing to read, what was seen (a tick alone is
    not evidence)."""
    from incident.app.next_key import next_key

    def hint() -> str:
        found = next_key(session.state, "confirm-version", clock.now())
        assert found is not None
        return found.what

    assert hint() == "no evidence yet (no samples from version yet); checking asks what you saw"
    tick(session, clock, version="2.4.1")
    assert hint() == "not yet: version 2.4.1 running, expected 2.4.0; checking now asks why"
    tick(session, clock, version="2.4.0")
    assert hint().startswith("check it, the evidence holds (version 2.4.0 confirmed")


def test_check_health_needs_the_health_checks_passing(session, clock):
    """The guide's Check Health: "Verify that health checks are passing and error rates
    are returning to baseline levels". Error rates back under the threshold do not make
    the evidence hold while the health check's latest reading fails (two failures in a
    row: not yet the three of the health-failing trigger)."""
    step = session.state.steps["check-health"].step
    session.run(
        lambda s: commands.capture_baseline(s, "error-rate", actor="a", clock=clock, value=0.003)
    )
    for _ in range(5):
        tick(session, clock, error_rate=0.003, health=200.0)
    assert evidence_for(session.state, step).holds is True
    tick(session, clock, error_rate=0.003, health=Outcome.HTTP_STATUS)
    tick(session, clock, error_rate=0.003, health=Outcome.HTTP_STATUS)
    assert trigger_states(session)["health-failing"] == TriggerState.NO_DATA
    evidence = evidence_for(session.state, step)
    assert (evidence.holds, evidence.detail) == (
        False,
        "health check health failing: HTTP 500 (expected 200)",
    )
    with pytest.raises(CommandError, match="evidence does not hold: health check health failing"):
        commands.check_step(session.state, "check-health", actor="a", clock=clock)
    tick(session, clock, error_rate=0.003, health=200.0)
    assert evidence_for(session.state, step).holds is True
