"""The version row is red once the rollback should have taken, not from the start.

Before the rollback is carried out, the release being rolled back is what runs: the
version row read `✖ version FAILING 2.4.1 (want 2.4.0)` from the declaration on, in
every drill whatever the fault (a fresh user's review, finding 27), so red there said
nothing. It now reads `● version 2.4.1 (last good 2.4.0)` until every phase before the
one that confirms the version is finished; after that, anything but the last good
version is a rollback that did not take.
"""

from __future__ import annotations

from msgspec.structs import replace

from incident.app.session import IncidentSession
from incident.core.clock import ManualClock
from incident.core.samples import Outcome, Sample
from incident.core.state import IncidentState
from incident.health.readings import version_expected
from runbooks.model import Phase, StepKind
from tests.conftest import T0
from tests.drill_walk import at, drill_session, skip
from tui.app.widgets.probe_rows import is_bad, status_line

EARLIER = ("decide", "execute")
"""The bundled runbook's phases before Verification, which confirms the version."""


def finish(phases: tuple[str, ...]) -> tuple[ManualClock, IncidentSession]:
    clock = ManualClock(T0)
    session = drill_session(clock)
    for phase in session.state.runbook.phases:
        if phase.id in phases:
            for record in session.state.phase_steps(phase.id):
                at(session, clock, 1, skip(record.step.id, "a test"))
    return clock, session


def row(state: IncidentState, version: str) -> str:
    probe = state.runbook.probe("version")
    sample = Sample("version", T0, Outcome.OK, text=version)
    return " ".join(str(status_line(probe, [sample], state)).split())  # the name padded


def test_the_release_being_rolled_back_is_expected_until_the_rollback_is_carried_out() -> None:
    _, session = finish(("decide",))  # decided, not yet rolled back
    state = session.state
    assert version_expected(state, "2.4.1") and version_expected(state, "2.4.0")
    assert not version_expected(state, "2.3.9")  # neither: news at any time
    assert row(state, "2.4.1") == "● version 2.4.1 (last good 2.4.0)"
    assert row(state, "2.3.9") == "✖ version FAILING 2.3.9 (want 2.4.0)"


def test_after_the_rollback_anything_but_the_last_good_version_is_failing() -> None:
    _, session = finish(EARLIER)
    state = session.state
    assert not version_expected(state, "2.4.1")
    assert row(state, "2.4.1") == "✖ version FAILING 2.4.1 (want 2.4.0)"
    assert row(state, "2.4.0") == "● version 2.4.0"
    probe = state.runbook.probe("version")
    assert is_bad(probe, Sample("version", T0, Outcome.OK, text="2.4.1"), state)


def test_a_runbook_that_never_confirms_the_version_compares_from_the_start() -> None:
    _, session = finish(())
    state = session.state
    runbook = state.runbook
    phases = [
        replace(phase, steps=tuple(s for s in phase.steps if s.kind is not StepKind.VERIFICATION))
        for phase in runbook.phases
    ]
    unconfirmed = replace(state, runbook=replace(runbook, phases=phases))
    assert all(isinstance(p, Phase) for p in unconfirmed.runbook.phases)
    assert not version_expected(unconfirmed, "2.4.1")
    assert version_expected(state, "2.4.1")  # the bundled runbook, the same moment
