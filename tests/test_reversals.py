"""The one rule for a reversal: someone else's opposite mark within 60 s.

`incident.core.reversals` on a recorded incident (a real SQLite file, a frozen clock):
a clear 59 s after another person's mark is a reversal, 61 s after is a change of
mind the timeline shows plainly; the same person's own correction is none.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from incident.app import people, steps
from incident.core.reversals import REVERSAL_WINDOW, reversals
from tui.demo.scenarios import declared


@pytest.mark.parametrize(
    ("seconds", "clearer", "reversed_"),
    [(59, "Cy", True), (61, "Cy", False), (1, "Bo", False)],
)
def test_a_reversal_is_someone_elses_opposite_mark_within_the_window(
    tmp_path: Path, seconds: int, clearer: str, reversed_: bool
) -> None:
    assert REVERSAL_WINDOW.total_seconds() == 60
    scenario = declared(tmp_path / "rule.db")
    session = scenario.session
    steps.mark_trigger(session, "Bo", "core-broken", "met")
    scenario.clock.advance(seconds)
    done = steps.mark_trigger(session, clearer, "core-broken", "cleared")
    assert done.said.endswith(f"(marked met by Bo {seconds}s ago)") is reversed_, done.said
    assert [r.subject for r in reversals(session.state)] == (["core-broken"] if reversed_ else [])


def test_a_role_given_to_the_same_person_again_is_no_reversal(tmp_path: Path) -> None:
    scenario = declared(tmp_path / "roles.db")
    session = scenario.session
    people.assign(session, "Ada", "ops", "Bo")
    assert people.assign(session, "Cy", "ops", "Bo").said == "Bo is ops"
    scenario.clock.advance(1)
    assert (
        people.assign(session, "Ada", "ops", "Dee").said == "Dee is ops (given to Bo by Cy 1s ago)"
    )
    assert [(r.subject, r.before, r.now) for r in reversals(session.state)] == [
        ("ops", "Bo", "Dee")
    ]
