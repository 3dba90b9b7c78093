"""The one rule for why a probe has no reading (`incident.health.no_reading`), as each
face asks it: what the face does about the probes, then the record."""

from __future__ import annotations

from pathlib import Path

from incident import commands
from incident.app.session import IncidentSession
from incident.core.clock import ManualClock
from incident.core.samples import Outcome, Sample
from incident.core.state import IncidentState
from incident.health.no_reading import NoReading, Polls, no_reading, not_polled, unread_words
from runbooks import load_runbook, resolve_runbook
from store.sqlite_log import SqliteEventLog
from tests.conftest import T0
from tests.probe_runbooks import pointed_rollback


def session_of(db: Path, runbook_path: Path) -> IncidentSession:
    clock = ManualClock(T0)
    details = commands.Declaration(title="t", severity="SEV2", commander="Ada")
    declared = commands.declare(load_runbook(runbook_path), details, actor="ada", clock=clock)
    return IncidentSession.declare(SqliteEventLog.open(db), declared, clock)


def state_of(db: Path, runbook_path: Path) -> IncidentState:
    session = session_of(db, runbook_path)
    session.log.close()
    return session.state


def words(state: IncidentState, polls: Polls) -> dict[str, str]:
    return {p.name: str(no_reading(state, p, polls)) for p in state.runbook.probes}


def test_a_probe_at_its_bundled_default_reads_so_in_every_face(tmp_path: Path) -> None:
    state = state_of(tmp_path / "defaults.db", resolve_runbook("rollback"))
    for polls in Polls:
        assert set(words(state, polls).values()) == {NoReading.DEFAULT_URL}, polls
    assert unread_words(state) == "not polled: default URL"


def test_a_pointed_probe_reads_as_the_face_asking_polls_it(tmp_path: Path) -> None:
    state = state_of(tmp_path / "mixed.db", pointed_rollback(tmp_path / "mixed.yaml", "version"))
    said = {polls: words(state, polls) for polls in Polls}
    assert said[Polls.NOTHING] == {
        "health": "not polled yet",
        "version": "not polled: default URL",
        "error-rate": "not polled yet",
    }
    assert said[Polls.HERE]["health"] == "waiting for first poll"
    assert said[Polls.OFF]["health"] == "not polled (probes off)"
    assert said[Polls.STOPPED]["health"] == "not polled: stopped"
    assert said[Polls.OFF]["version"] == "not polled: default URL"
    # What the guidance and the decision's triggers are told: not the wait for a poll.
    assert set(not_polled(state, Polls.HERE)) == {"version"}
    assert not_polled(state, Polls.OFF)["health"] == "not polled (probes off)"


def test_a_reading_ends_it_and_the_close_makes_it_never(tmp_path: Path) -> None:
    session = session_of(tmp_path / "closed.db", pointed_rollback(tmp_path / "pointed.yaml"))
    clock = session.clock
    assert isinstance(clock, ManualClock)
    health = session.state.runbook.probes[0]
    clock.advance(5)
    sample = Sample("health", clock.now(), Outcome.OK, 12.0, 200)
    session.run_many(lambda s: commands.record_samples(s, [sample], actor="probes", clock=clock))
    assert no_reading(session.state, health) is None
    clock.advance(5)
    session.run(lambda s: commands.close(s, actor="ada", clock=clock, force=True, reason="drill"))
    state = session.state
    session.log.close()
    assert no_reading(state, health) is None
    for polls in Polls:
        assert words(state, polls) == {
            "health": "None",
            "version": NoReading.NEVER,
            "error-rate": NoReading.NEVER,
        }
