"""The demo's scenarios record what today's product records, not what an older
release did: what the snapshots, screenshots and golden documents show is what a
coordinator would see.

`mid-phase-2` chose database tier `none` and left the database step open, as `db-tier
none` once did; today the tier with nothing to carry out checks that step with it
(`incident.app.database_tiers`), in every face. The scenario's screens showed an open
step no coordinator sees after that choice.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from incident.core.events import Kind
from incident.core.payloads.steps import DatabaseTierChosen, StepChecked
from runbooks.model import DataLoss, StepKind
from tests.scenario_copies import scenario_copy
from tui.demo.scenarios import SCENARIOS


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_a_tier_with_nothing_to_carry_out_checks_the_database_step_with_it(
    name: str, tmp_path: Path
) -> None:
    scenario = scenario_copy(name, tmp_path / "scenario.db")
    events = list(scenario.log.events(scenario.incident_id))
    database_steps = {
        step.id
        for phase in scenario.runbook.phases
        for step in phase.steps
        if step.kind == StepKind.DATABASE
    }
    chosen = [e for e in events if e.kind == Kind.DATABASE_TIER_CHOSEN]
    assert chosen or name == "declared"  # every later moment has chosen its tier
    checked = {
        e.data.step: e
        for e in events
        if e.kind == Kind.STEP_CHECKED
        and isinstance(e.data, StepChecked)
        and e.data.step in database_steps
    }
    for tier_event in chosen:
        tier = tier_event.data
        assert isinstance(tier, DatabaseTierChosen)
        if tier.data_loss != DataLoss.NONE:
            continue
        for step in database_steps:
            check = checked.get(step)
            assert check is not None, f"{name}: {step} left open after tier {tier.tier}"
            assert check.data.tier == tier.tier, check.data  # type: ignore[union-attr]
            assert check.seq > tier_event.seq and check.at == tier_event.at, (
                f"{name}: {step} checked at {check.at}, not with the tier at {tier_event.at}"
            )
