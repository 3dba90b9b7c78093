"""`lastgood status ID` says what production reads: each probe's latest reading.

With the error rate unanswered for 40 s (Prometheus down, `monitor` printing
`error-rate REFUSED connection refused` each round), `status` said the trigger met a
minute before and the poller's last tick, and nothing of the readings (a fresh user's
review). A `readings:` line now says each probe's latest reading in `monitor`'s words,
since when a failure has lasted, and a reading too old to pass for live; `--json`
says the same under `readings`. Ticks are recorded through the application layer into
a real SQLite file, and `status` runs as a process of its own.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from msgspec.structs import replace

from incident.app.health import record_samples
from incident.app.lifecycle import Declaration, declare
from incident.core.clock import ManualClock
from incident.core.samples import Outcome, Sample
from runbooks.loading import load_runbook
from store.sqlite_log import SqliteEventLog
from tests.cli_helpers import Cli
from tests.probe_runbooks import probe_runbook

PROBES = (
    "{name: health, kind: http, url: 'http://192.0.2.1/', interval_s: 5, timeout_s: 2}",
    "{name: error-rate, kind: http, url: 'http://192.0.2.1/e', interval_s: 5, timeout_s: 2,"
    " json_field: rate, unit: ratio, threshold: 0.05}",
)


def recorded(db: Path, ticks: list[list[Sample]], clock: ManualClock) -> str:
    with SqliteEventLog.open(db) as log:
        runbook = load_runbook(probe_runbook(db.parent / "probes.yaml", *PROBES, title="Two"))
        session = declare(log, runbook, Declaration("t", "SEV2", "Ada"), actor="ada", clock=clock)
        for tick in ticks:
            clock.set(tick[0].at)
            assert record_samples(session, tick, poller="Ada's monitor").events
        return session.state.id


def test_status_says_each_probes_latest_reading_and_since_when_it_fails(tmp_path: Path) -> None:
    """Declared an hour ago; the error rate read 0.5%, then its polls were refused from
    T+00:10 to T+00:20, its last tick: long enough ago that both rows are stale."""
    declared_at = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)
    clock = ManualClock(declared_at)

    def at(seconds: int, *samples: Sample) -> list[Sample]:
        return [replace(s, at=declared_at + timedelta(seconds=seconds)) for s in samples]

    ok = Sample("health", declared_at, Outcome.OK, 12.0, 200)
    rate = Sample("error-rate", declared_at, Outcome.OK, 20.0, 200, value=0.005)
    refused = Sample("error-rate", declared_at, Outcome.REFUSED, detail="connection refused")
    cli = Cli(tmp_path / "readings.db", actor="bo")
    incident_id = recorded(
        cli.db, [at(5, ok, rate), at(10, ok, refused), at(15, ok, refused), at(20, refused)], clock
    )
    out = cli.ok("status", incident_id)
    [line] = [line for line in out.splitlines() if line.startswith("readings:")]
    assert line.startswith("readings: health OK 12ms (stale 59m4")
    assert " · error-rate REFUSED connection refused since T+00:10 (stale 59m" in line, line
    data = json.loads(cli.ok("status", incident_id, "--json"))["readings"]
    assert [(r["probe"], r["ok"], r["said"]) for r in data] == [
        ("health", True, "health OK 12ms"),
        ("error-rate", False, "error-rate REFUSED connection refused"),
    ]


def test_no_readings_no_line(tmp_path: Path) -> None:
    cli = Cli(tmp_path / "none.db", actor="bo")
    incident_id = recorded(cli.db, [], ManualClock(datetime.now(UTC)))
    assert "readings:" not in cli.ok("status", incident_id)
    assert json.loads(cli.ok("status", incident_id, "--json"))["readings"] == []
