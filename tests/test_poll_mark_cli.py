"""`lastgood status ID` says who polls production, in the Production panel's words.

A second poller said once who held the probes' turn; `status` said nothing of it, so
a coordinator (or a script) could not tell whether anyone polled at all. The ticks
are written through the application layer (`incident.app.health.record_samples`, as
every poller records) into a real SQLite file; `status` runs as a user runs it, a
process of its own on the system clock. What it prints is checked against the
record's own moments, never against the time the test ran.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from incident.app.health import record_samples
from incident.app.lifecycle import Declaration, declare
from incident.app.session import IncidentSession
from incident.core.clock import Clock, ManualClock, SystemClock
from incident.core.events import parse_timestamp
from incident.core.phase_clocks import t_plus
from incident.core.samples import Outcome, Sample
from runbooks.loading import load_runbook
from store.sqlite_log import SqliteEventLog
from tests.cli_helpers import Cli
from tests.probe_runbooks import probe_runbook

ADA = "Ada's monitor (pid 4242 on bastion)"
"""A `monitor` on another machine, as its ticks name it."""


def runbook_file(directory: Path) -> Path:
    """One probe polled every minute: its poller's turn lapses 2 min 5 s after its last
    tick, far past the moment `status` takes to start on a loaded machine."""
    probe = "{name: health, kind: http, url: 'http://192.0.2.1/', interval_s: 60, timeout_s: 5}"
    return probe_runbook(directory / "probe.yaml", probe, title="One probe")


def declared(db: Path, clock: Clock, *ticks: tuple[float, str | None]) -> tuple[str, str]:
    """An incident declared at `clock`'s now, ticks recorded that many seconds later as
    those pollers'; its id and its last tick's T+."""
    with SqliteEventLog.open(db) as log:
        runbook = load_runbook(runbook_file(db.parent))
        session = declare(log, runbook, Declaration("t", "SEV2", "Ada"), actor="ada", clock=clock)
        declared_at = clock.now()
        for after_s, poller in ticks:
            at = max(clock.now(), declared_at + timedelta(seconds=after_s))
            if isinstance(clock, ManualClock):
                clock.set(at)
            sample = Sample("health", clock.now(), Outcome.OK, 12.0, 200)
            assert record_samples(session, [sample], poller=poller).events
        state = IncidentSession(log, session.state.id, clock).state
        last = state.last_poll
        return state.id, t_plus(state, last.at) if last is not None else ""


def production_line(cli: Cli, incident_id: str) -> str:
    out = cli.ok("status", incident_id)
    lines = [line for line in out.splitlines() if line.startswith("production:")]
    assert len(lines) == 1, out
    return lines[0]


def production_data(cli: Cli, incident_id: str) -> dict[str, object]:
    """`status --json`'s `production`: the line's words, and what they are made of."""
    data = json.loads(cli.ok("status", incident_id, "--json"))["production"]
    assert isinstance(data, dict), data
    return data


def test_status_names_the_poller_polling_and_its_last_tick(tmp_path: Path) -> None:
    cli = Cli(tmp_path / "polled.db", actor="bo")
    incident_id, tick = declared(cli.db, SystemClock(), (0, ADA))
    assert production_line(cli, incident_id) == (f"production: polled by {ADA}, last tick {tick}")
    data = production_data(cli, incident_id)
    assert (data["polling"], data["poller"]) == ("elsewhere", ADA)
    assert data["said"] == f"polled by {ADA}, last tick {tick}"


def test_status_says_when_the_pollers_ticks_stopped(tmp_path: Path) -> None:
    """Declared an hour before `status` runs: Cy's monitor polled first, Ada's took the
    turn once Cy's lapsed, and Ada's ticks stopped at T+02:20."""
    cli = Cli(tmp_path / "stopped.db", actor="bo")
    an_hour_ago = ManualClock(datetime.now(UTC) - timedelta(hours=1))
    cy = "Cy's monitor (pid 7 on db-2)"
    incident_id, tick = declared(cli.db, an_hour_ago, (10, cy), (140, ADA))
    assert tick == "T+02:20"
    assert production_line(cli, incident_id) == (
        f"production: not polled since T+02:20; {ADA} stopped"
    )
    data = production_data(cli, incident_id)
    declared_at = json.loads(cli.ok("status", incident_id, "--json"))["declared_at"]
    assert (data["polling"], data["poller"]) == ("lapsed", ADA)
    since_declared = parse_timestamp(str(data["last_tick_at"])) - parse_timestamp(declared_at)
    assert round(since_declared.total_seconds()) == 140  # T+02:20, as the line says


def test_status_says_nothing_polled_yet(tmp_path: Path) -> None:
    cli = Cli(tmp_path / "never.db", actor="bo")
    incident_id, _ = declared(cli.db, SystemClock())
    assert production_line(cli, incident_id) == "production: not polled yet"
    assert production_data(cli, incident_id) == {
        "polling": "never",
        "poller": None,
        "last_tick_at": None,
        "said": "not polled yet",
    }


def test_a_pollers_name_is_printed_as_data(tmp_path: Path) -> None:
    """From another machine's record: its control bytes shown, never a line of its own."""
    cli = Cli(tmp_path / "hostile.db", actor="bo")
    hostile = "Eve\x1b]0;pwned\x07\nproduction: polled here"
    incident_id, tick = declared(cli.db, SystemClock(), (0, hostile))
    assert production_line(cli, incident_id) == (
        f"production: polled by Eve␛]0;pwned␇␊production: polled here, last tick {tick}"
    )
    assert production_data(cli, incident_id)["poller"] == hostile  # JSON keeps it exact


def test_brief_says_whose_screen_stopped_polling_as_status_does(tmp_path: Path) -> None:
    """The engineer's screen killed mid-rollback: `brief` showed only `(stale 1m05s)`
    beside "Readings now", not that nobody watches production (ux_review13 #9); it
    carries `status`'s production line, in its words, and `--json` the same."""
    cli = Cli(tmp_path / "stopped.db", actor="bo")
    an_hour_ago = ManualClock(datetime.now(UTC) - timedelta(hours=1))
    eve = "Eve Engineer's screen (pid 13959 on vm)"
    incident_id, tick = declared(cli.db, an_hour_ago, (491, eve))
    said = f"not polled since {tick}; {eve} stopped"
    assert production_line(cli, incident_id) == f"production: {said}"
    lines = cli.ok("brief", incident_id).splitlines()
    assert f"Production: {said}" in lines
    assert json.loads(cli.ok("brief", incident_id, "--json"))["production"] == said
