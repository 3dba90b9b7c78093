"""Check health: "error rates returning to baseline levels" needs a baseline.

Without one the trigger's threshold stood in: a service at 4% errors, twenty times its
usual 0.2%, was "verified" under the 5% trigger, and nothing in the flow asked for a
baseline (ux_review15 #1). Now Check health asks for what was seen then, and the
declaration and the decision gate name the baseline missing with the command that
records it; with the release time known, the value a real Prometheus had then.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from incident import commands
from incident.app.next_key import next_key
from incident.app.session import IncidentSession
from incident.commands import CommandError
from incident.core.samples import Outcome, Sample
from incident.health.readings import evidence_for
from runbooks import load_runbook, resolve_runbook
from tests.cli_helpers import Cli
from tests.init_helpers import init
from tests.memory_log import MemoryLog
from tests.prometheus_helpers import (  # the fixture is imported for pytest to find
    PrometheusStack,
    prometheus_stack_fixture,  # noqa: F401
)


@pytest.fixture
def session(clock):
    runbook = load_runbook(resolve_runbook("rollback"))
    details = commands.Declaration(title="t", severity="SEV2", commander="Ada")
    event = commands.declare(runbook, details, actor="ada", clock=clock, incident_id="INC-X")
    return IncidentSession.declare(MemoryLog(), event, clock)


def errors_at(session, clock, value: float, times: int = 5) -> None:
    for _ in range(times):
        clock.advance(15)
        sample = Sample("error-rate", clock.now(), Outcome.OK, 3.0, 200, value=value)
        session.run_many(
            lambda s, sample=sample: commands.record_samples(s, [sample], actor="p", clock=clock)
        )


def test_under_the_trigger_without_a_baseline_is_not_evidence(session, clock):
    errors_at(session, clock, 0.04)
    step = session.state.steps["check-health"].step
    found = evidence_for(session.state, step)
    assert found.holds is None
    assert found.detail == (
        "no baseline: verify by hand; error-rate at most 4.0% for 5 samples "
        "(under the trigger's 5.0%)"
    )
    hint = next_key(session.state, "check-health", clock.now())
    assert hint is not None and hint.what == f"{found.detail}; checking asks what you saw"
    with pytest.raises(CommandError, match="no baseline: verify by hand") as refused:
        commands.check_step(session.state, "check-health", actor="ada", clock=clock)
    assert refused.value.needs_one_of == ("evidence", "override")
    seen = "5xx at 0.2% on the dashboard, as before the release"
    session.run(
        lambda s: commands.check_step(s, "check-health", actor="ada", clock=clock, evidence=seen)
    )
    assert session.state.steps["check-health"].done


def test_with_a_baseline_four_percent_is_not_back(session, clock):
    from incident.app.baseline_offer import baseline_prompts
    from incident.health.baselines import unbaselined

    assert unbaselined(session.state) == ["error-rate"]
    assert baseline_prompts(session.state) == [
        "no baseline for error-rate (Check health compares with it): "
        "`lastgood baseline INC-X error-rate --value …`"
    ]
    session.run(
        lambda s: commands.capture_baseline(s, "error-rate", actor="a", clock=clock, value=0.002)
    )
    assert unbaselined(session.state) == [] and baseline_prompts(session.state) == []
    errors_at(session, clock, 0.04)
    found = evidence_for(session.state, session.state.steps["check-health"].step)
    assert found.holds is False
    assert "near its baseline 0.2%" in found.detail
    errors_at(session, clock, 0.002)
    assert evidence_for(session.state, session.state.steps["check-health"].step).holds is True


def test_the_decision_asks_for_the_baseline(tmp_path):
    cli = Cli(tmp_path / "b.db").in_process()
    declared = cli.run("declare", "--title", "t", "--severity", "SEV2", "--commander", "tester")
    incident = declared.out.strip()
    prompt = (
        f"no baseline for error-rate (Check health compares with it): "
        f"`lastgood baseline {incident} error-rate --value …`"
    )
    assert f"lastgood declare: {prompt}" in declared.err
    decided = cli.run("decide", incident, "--reason", "errors")
    assert decided.code == 0, decided.err
    assert prompt in decided.out
    cli.ok("baseline", incident, "error-rate", "--value", "0.002")
    assert "no baseline" not in cli.run("status", incident).out


def test_declare_offers_the_value_prometheus_had_at_the_release_time(
    tmp_path, prometheus_stack: PrometheusStack
):
    """The probe's own query asked of a real Prometheus at the back-dated start: its
    value then (`time()` minus a fixed moment reads the moment it was evaluated at),
    not now's, and the command offered records it."""
    started = datetime.now(UTC) - timedelta(seconds=40)
    origin = int(started.timestamp()) - 1000
    code, _, err = init(
        tmp_path,
        *("--service", "checkout", "--no-health-probe", "--no-version-probe"),
        *("--method", "custom", "--rollback-command", "true"),
        *("--error-query", f"time() - {origin}"),
        prometheus=prometheus_stack.url,
    )
    assert code == 0, err
    cli = Cli(tmp_path / "b.db").in_process()
    declared = cli.run(
        *("declare", "--runbook", str(tmp_path / "lastgood.yaml"), "--title", "t"),
        *("--severity", "SEV2", "--commander", "tester", "--started-at", started.isoformat()),
    )
    assert declared.code == 0, declared.err
    incident = declared.out.strip()
    offered = re.search(
        r"no baseline for error-rate \(Check health compares with it\): it read [0-9.]+% at "
        rf"the release time \({started:%H:%M} UTC\): `lastgood baseline {incident} "
        r"error-rate --value ([0-9.]+)`",
        declared.err,
    )
    assert offered is not None, declared.err
    value = offered.group(1)
    assert float(value) == pytest.approx(started.timestamp() - origin, abs=0.02)  # not now's
    cli.ok("baseline", incident, "error-rate", "--value", value)
