"""A copied scenario (tests/scenario_copies.py) is the scenario recorded again.

The TUI tests open copies of one recording; they would test something else if a copy
held other events, or went on differently as its clock moves (probe samples drawn
from its random state, on its schedule).
"""

from __future__ import annotations

from pathlib import Path

from tests.scenario_copies import scenario_copy
from tui.demo.scenarios import SCENARIOS


def test_a_copy_holds_and_goes_on_with_the_same_events_as_a_new_recording(tmp_path: Path) -> None:
    recorded = SCENARIOS["closed"](tmp_path / "recorded.db")
    copies = [scenario_copy("closed", tmp_path / f"copy-{n}.db") for n in range(2)]
    try:
        for scenario in (recorded, *copies):
            scenario.advance(30)  # three more ticks of samples, on each one's own clock
        hashes = [[e.hash for e in s.log.events(s.incident_id)] for s in (recorded, *copies)]
        assert len(hashes[0]) > 400  # the whole closed rollback, samples and all
        assert hashes[1] == hashes[0] and hashes[2] == hashes[0]
        assert copies[0].session.state == recorded.session.state
        assert copies[0].clock.monotonic_ns() == recorded.clock.monotonic_ns()
        assert (tmp_path / "copy-0.db").stat().st_mode & 0o777 == 0o600
    finally:
        for scenario in (recorded, *copies):
            scenario.log.close()
