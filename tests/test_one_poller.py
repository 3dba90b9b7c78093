"""One poller per incident: a second `monitor` of an incident stands by, says who polls,
and takes over once the first stops.

Two `monitor`s recorded their readings side by side, so a trigger "for 3 samples" met
1.5 s after the second began (meant to take three intervals) and the report counted
each reading twice (ux_review2 finding 21). Real `monitor` processes poll a real HTTP
server on loopback into a real SQLite file; the turn is also taken by two sessions on
one file, as two processes' writes meet.
"""

from __future__ import annotations

import contextlib
import json
import signal
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

from incident.app.probe_turn import POLLER_VARIABLE, ProbeTurn
from incident.app.session import IncidentSession
from incident.commands.rules import make_event
from incident.core.clock import ManualClock, SystemClock
from incident.core.payloads import ProbeSamples
from incident.core.samples import Outcome, Sample
from incident.health.turns import UNNAMED_POLLER, turn_lapse_s
from store.sqlite_log import SqliteEventLog
from tests.cli_helpers import Cli, InProcessCli, lastgood_command
from tests.probe_runbooks import probe_runbook
from tests.test_monitor_slow_record import Builds
from tests.test_postgres_monitor_restart import Lines
from tests.waiting import poll_until

WAIT_S = 60
"""Far past what any condition here takes on a loaded machine."""
INTERVAL_S = 2
"""The probe's interval: the turn lapses after 2 of them and its timeout (5 s)."""


def runbook(directory: Path, url: str) -> Path:
    probe = f"{{name: build, kind: version, url: '{url}', interval_s: {INTERVAL_S}, timeout_s: 1}}"
    return probe_runbook(directory / "builds.yaml", probe, title="One version probe")


def declared(cli: Cli, builds: Builds, directory: Path) -> str:
    return cli.ok(
        *("declare", "--title", "t", "--severity", "SEV2", "--commander", "Ada"),
        *("--runbook", str(runbook(directory, builds.url))),
    ).strip()


@contextlib.contextmanager
def monitor(
    cli: Cli, incident_id: str, who: str, *, poller: str = ""
) -> Iterator[tuple[subprocess.Popen[str], Lines]]:
    """`lastgood --as WHO monitor ID --probes-only` running; killed if left running."""
    env = dict(cli.env, **({POLLER_VARIABLE: poller} if poller else {}))
    process = subprocess.Popen(
        [*lastgood_command(), "--as", who, "monitor", incident_id, "--probes-only"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert process.stdout is not None
    try:
        yield process, Lines(process.stdout)
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()


def ticks(cli: Cli, incident_id: str) -> list[dict[str, object]]:
    record = json.loads(cli.ok("export", incident_id, "--format", "json"))
    return [event["payload"] for event in record["events"] if event["kind"] == "probe.samples"]


def pollers(cli: Cli, incident_id: str) -> list[object]:
    """Each tick's poller, in order, runs of one poller made one entry."""
    said: list[object] = []
    for tick in ticks(cli, incident_id):
        if not said or said[-1] != tick.get("poller"):
            said.append(tick.get("poller"))
    return said


def test_a_second_monitor_does_not_poll_and_says_who_does(tmp_path: Path) -> None:
    cli = Cli(tmp_path / "two.db", actor="ada")
    with Builds() as builds:
        incident_id = declared(cli, builds, tmp_path)
        with monitor(cli, incident_id, "Ada") as (ada, ada_says):
            poll_until(lambda: bool(ada_says.lines), "Ada's first batch recorded", WAIT_S)
            with monitor(cli, incident_id, "Bo") as (bo, bo_says):
                poll_until(lambda: bool(bo_says.lines), "Bo's monitor to say something", WAIT_S)
                ada_name = f"Ada's monitor (pid {ada.pid} on {socket.gethostname()})"
                assert bo_says.lines[0].endswith(
                    f"probes: standing by while {ada_name} polls; taking over if it stops"
                ), bo_says.lines
                shown = len(ada_says.lines)
                poll_until(lambda: len(ada_says.lines) >= shown + 2, "Ada polling on", WAIT_S)
                bo.send_signal(signal.SIGINT)
                assert bo.wait(WAIT_S) == 0
            assert bo_says.joined().count("\n") == 0, bo_says.lines  # said once, no samples
            ada.send_signal(signal.SIGINT)
            assert ada.wait(WAIT_S) == 0
    assert pollers(cli, incident_id) == [ada_name]  # every reading Ada's, none twice
    assert "ok," in cli.ok("verify", incident_id)


def test_the_second_takes_over_once_the_firsts_ticks_stop(tmp_path: Path) -> None:
    """Ada's monitor runs on another machine (as its ticks name it), so Bo's cannot tell
    it is gone: it polls once Ada's last tick is older than the turn's lapse."""
    cli = Cli(tmp_path / "takeover.db", actor="ada")
    elsewhere = "Ada's monitor (pid 4242 on a-laptop)"
    with Builds() as builds:
        incident_id = declared(cli, builds, tmp_path)
        with monitor(cli, incident_id, "Ada", poller=elsewhere) as (ada, ada_says):
            poll_until(lambda: bool(ada_says.lines), "Ada's first batch recorded", WAIT_S)
            with monitor(cli, incident_id, "Bo") as (bo, bo_says):
                poll_until(lambda: bo_says.has("standing by"), "Bo standing by", WAIT_S)
                ada.kill()  # the laptop's lid shut
                ada.wait()
                poll_until(lambda: bo_says.has("build-"), "Bo polling", WAIT_S)
                assert bo_says.lines[1].endswith(
                    f"probes: {elsewhere} stopped polling; polling here"
                ), bo_says.lines
                bo.send_signal(signal.SIGINT)
                assert bo.wait(WAIT_S) == 0
    bo_name = f"Bo's monitor (pid {bo.pid} on {socket.gethostname()})"
    assert pollers(cli, incident_id) == [elsewhere, bo_name]
    assert "ok," in cli.ok("verify", incident_id)


def test_a_monitor_restarted_on_this_machine_polls_at_once(tmp_path: Path) -> None:
    """Its last run's process is gone, which it can tell here: no wait for the lapse,
    nothing said."""
    cli = Cli(tmp_path / "restart.db", actor="ada")
    with Builds() as builds:
        incident_id = declared(cli, builds, tmp_path)
        with monitor(cli, incident_id, "Ada") as (first, says):
            poll_until(lambda: bool(says.lines), "a first batch recorded", WAIT_S)
            first.kill()
            first.wait()
        with monitor(cli, incident_id, "Ada") as (second, says):
            poll_until(lambda: bool(says.lines), "the restarted monitor's batch", WAIT_S)
            assert "build-" in says.lines[0], says.lines
            second.send_signal(signal.SIGINT)
            assert second.wait(WAIT_S) == 0
    assert len(pollers(cli, incident_id)) == 2


def _batch(clock: ManualClock) -> list[Sample]:
    return [Sample("build", clock.now(), Outcome.OK, 3.0, 200, text="2.4.0")]


def test_of_two_pollers_starting_together_the_first_write_holds_the_turn(
    tmp_path: Path,
) -> None:
    """Two sessions on one file, each opened before the other recorded: the second's
    batch is decided on the first's tick, read in its write, and is not recorded.
    Ticks that name no poller (an earlier release's) hold the turn too, and read and
    verify as before beside ticks that do."""
    db = tmp_path / "race.db"
    cli = InProcessCli(db, actor="ada")
    with Builds() as builds:
        incident_id = declared(cli, builds, tmp_path)
    with SqliteEventLog.open(db) as log:
        ada, bo = ProbeTurn("Ada's monitor"), ProbeTurn("Bo's monitor")
        clock = ManualClock(SystemClock().now().replace(microsecond=0))  # as stored
        ada_session = IncidentSession(log, incident_id, clock)
        bo_session = IncidentSession(log, incident_id, clock)
        assert ada.record(ada_session, _batch(clock)).events
        assert not bo.record(bo_session, _batch(clock)).events  # decided on Ada's tick
        assert bo.news(bo_session.state, clock.now()) == (
            "probes: polled by Ada's monitor; showing its readings"
        )
        lapse = turn_lapse_s(bo_session.state.runbook)
        assert bo.wait_s(bo_session.state, clock.now()) == lapse
        clock.advance(lapse + 1)
        assert bo.wait_s(bo_session.state, clock.now()) == 0
        assert bo.record(bo_session, _batch(clock)).events  # Ada's turn lapsed
        assert bo.news(bo_session.state, clock.now()) == (
            "probes: Ada's monitor stopped polling; polling here"
        )
        assert not ada.record(ada_session, _batch(clock)).events  # now Bo's

        tick = ProbeSamples(tuple(_batch(clock)))  # as an earlier release wrote it
        bo_session.run(lambda state: make_event(state.id, "probes", clock, tick))
        reopened = IncidentSession(log, incident_id, clock)  # its ticks read undecoded
        assert ada.holder(reopened.state, clock.now()) == UNNAMED_POLLER
        assert not ada.record(reopened, _batch(clock)).events
    assert "ok," in cli.ok("verify", incident_id)
    assert "poller" not in ticks(cli, incident_id)[-1]  # stored, and hashed, as before
    assert pollers(cli, incident_id) == ["Ada's monitor", "Bo's monitor", None]
