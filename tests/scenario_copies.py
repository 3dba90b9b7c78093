"""The demo's scenarios, each recorded once per test process and copied per test.

`tui.demo.scenarios.SCENARIOS[name](db)` records a moment of a rollback through the
real domain, a tick of probe samples every 5 s with an fsync each: 0.1-0.3 s of CPU
and up to 2.5 s of disk per call, paid again by every test that opened one. Here the
first call records it into a scratch file, closes it (so the file is whole, its WAL
checkpointed) and keeps what the `Scenario` held besides its log; each call then
copies the file (`shutil.copy`, its 0600 mode too) and opens it with a clock, a
random state and a sampling schedule equal to the recorded scenario's. A scenario
is written by a frozen clock and a seeded random, so the copy is the file that
recording it again would write.
"""

from __future__ import annotations

import atexit
import random
import shutil
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from incident.core.clock import ManualClock
from runbooks.model import Runbook
from store.sqlite_log import SqliteEventLog
from tui.demo.scenarios import SCENARIOS, Scenario


@dataclass(frozen=True)
class _Recorded:
    db: Path
    runbook: Runbook
    incident_id: str
    now: datetime
    monotonic_ns: int
    rolled_back_at: datetime | None
    next_sample_at: datetime | None
    rng_state: tuple[object, ...]


_RECORDED: dict[str, _Recorded] = {}
_SCRATCH: list[Path] = []


def _record(name: str) -> _Recorded:
    if not _SCRATCH:
        _SCRATCH.append(Path(tempfile.mkdtemp(prefix="lastgood-scenarios-")))
        atexit.register(shutil.rmtree, _SCRATCH[0], True)
    db = _SCRATCH[0] / f"{name}.db"
    scenario = SCENARIOS[name](db)
    scenario.log.close()
    return _Recorded(
        db,
        scenario.runbook,
        scenario.incident_id,
        scenario.clock.now(),
        scenario.clock.monotonic_ns(),
        scenario.rolled_back_at,
        scenario.next_sample_at,
        scenario.rng.getstate(),
    )


def scenario_copy(name: str, db: Path) -> Scenario:
    """What `SCENARIOS[name](db)` returns, from a copy of the one recording of it."""
    recorded = _RECORDED.get(name)
    if recorded is None:
        recorded = _RECORDED[name] = _record(name)
    shutil.copy(recorded.db, db)
    rng = random.Random()
    rng.setstate(recorded.rng_state)
    return Scenario(
        SqliteEventLog.open(db),
        ManualClock(recorded.now, recorded.monotonic_ns),
        recorded.runbook,
        recorded.incident_id,
        recorded.rolled_back_at,
        recorded.next_sample_at,
        rng,
    )
