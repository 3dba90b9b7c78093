"""`lastgood status --check-polled`: the liveness check a pager runs (ux_review14 #6).

The only way to ask "is the monitor alive?" was to parse `status --json`'s
`production.polling`, and `status` exited 0 either way. Here real `lastgood`
processes on a real SQLite file, a real `monitor` polling a real HTTP server on
loopback, started as a unit would start it and killed with SIGKILL: the check's line
and exit status at each turn. Waits are on the check's own answer.
"""

from __future__ import annotations

import json
import signal
import subprocess
from pathlib import Path

from tests.cli_helpers import Cli, Result, lastgood_command
from tests.probe_runbooks import probe_runbook
from tests.test_monitor_slow_record import Builds
from tests.waiting import poll_until

WAIT_S = 30


def test_check_polled_says_who_polls_and_fails_when_nobody_does(tmp_path: Path) -> None:
    cli = Cli(tmp_path / "record.db", actor="ada")
    empty = cli.run("status", "--check-polled")
    assert (empty.code, empty.out) == (
        0,
        f"no incident open: no database at {cli.db} yet; nothing to poll\n",
    )
    with Builds() as builds:
        probe = f"{{name: build, kind: version, url: '{builds.url}', interval_s: 1, timeout_s: 1}}"
        runbook = probe_runbook(tmp_path / "builds.yaml", probe)
        incident_id = cli.ok(
            *("declare", "--title", "t", "--severity", "SEV2", "--commander", "Ada"),
            *("--runbook", str(runbook)),
        ).strip()
        checked: list[Result] = []

        def check(*args: str) -> Result:
            checked.append(cli.run("status", *args, "--check-polled"))
            return checked[-1]

        # Declared, and nobody polls it once a poller's turn (3 s here) has passed.
        poll_until(lambda: check().code == 1, "the check to fail, never polled", WAIT_S)
        assert checked[-1].out.startswith(f"{incident_id}: nobody polls it: not polled yet (")
        out = (tmp_path / "out").open("w")
        monitor = subprocess.Popen(
            [*lastgood_command(), "monitor", incident_id],
            env=cli.env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            poll_until(lambda: check().code == 0, "the check to pass, polled", WAIT_S)
            assert checked[-1].out.startswith(f"{incident_id}: polled by ada's monitor (pid ")
            assert check(incident_id).code == 0  # by its ID, the same
            monitor.send_signal(signal.SIGKILL)
            monitor.wait(timeout=WAIT_S)
        finally:
            if monitor.poll() is None:
                monitor.kill()
                monitor.wait()
            out.close()
        # Its process gone from this machine: nobody polls, known at once.
        killed = check()
        assert killed.code == 1, killed
        assert killed.out.startswith(f"{incident_id}: nobody polls it: not polled since T+")
        assert killed.out.rstrip().endswith(f"(pid {monitor.pid} on {_host()}) stopped")
        assert len(killed.out.splitlines()) == 1
    cli.ok("close", incident_id, "--force", "--reason", "over")
    closed = check(incident_id)
    assert (closed.code, closed.out) == (0, f"{incident_id}: nothing to poll (closed)\n")
    none_open = check()
    assert (none_open.code, none_open.out) == (
        0,
        f"no incident open in {cli.db}: nothing to poll\n",
    )
    assert cli.run("status", "--check-polled", "--json").code == 2


def _host() -> str:
    import socket

    return socket.gethostname()


def test_status_and_brief_say_a_killed_monitor_stopped_as_the_check_does(tmp_path: Path) -> None:
    """`status --json` said `elsewhere` (and the text "polled by" it) of a `monitor` of
    this machine killed with SIGKILL, until its turn lapsed, while `--check-polled`
    already failed: the check knew the process had ended (`poller_gone`), the report
    did not. Here the turn lapses only after a minute (a 30 s interval), so what they
    say after the kill is what the process's end decides; all four say it alike."""
    cli = Cli(tmp_path / "record.db", actor="ada")
    with Builds() as builds:
        probe = f"{{name: build, kind: version, url: '{builds.url}', interval_s: 30, timeout_s: 1}}"
        runbook = probe_runbook(tmp_path / "builds.yaml", probe)
        incident_id = cli.ok(
            *("declare", "--title", "t", "--severity", "SEV2", "--commander", "Ada"),
            *("--runbook", str(runbook)),
        ).strip()
        out = (tmp_path / "out").open("w")
        monitor = subprocess.Popen(
            [*lastgood_command(), "monitor", incident_id],
            env=cli.env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        name = f"ada's monitor (pid {monitor.pid} on {_host()})"
        try:

            def polled() -> object:
                return json.loads(cli.ok("status", incident_id, "--json"))["production"]["poller"]

            poll_until(lambda: polled() is not None, "its first tick", WAIT_S)
            alive = json.loads(cli.ok("status", incident_id, "--json"))["production"]
            assert (alive["polling"], alive["poller"]) == ("elsewhere", name)
            assert cli.run("status", "--check-polled").code == 0
            monitor.send_signal(signal.SIGKILL)
            monitor.wait(timeout=WAIT_S)
        finally:
            if monitor.poll() is None:
                monitor.kill()
                monitor.wait()
            out.close()
        check = cli.run("status", "--check-polled")
        production = json.loads(cli.ok("status", incident_id, "--json"))["production"]
        text = cli.ok("status", incident_id).splitlines()
        brief = cli.ok("brief", incident_id).splitlines()
        brief_json = json.loads(cli.ok("brief", incident_id, "--json"))
    said = production["said"]
    assert said.startswith("not polled since T+") and said.endswith(f"; {name} stopped")
    assert (production["polling"], production["poller"]) == ("lapsed", name)
    assert check.code == 1 and check.out == f"{incident_id}: nobody polls it: {said}\n"
    assert f"production: {said}" in text
    assert f"Production: {said}" in brief and brief_json["production"] == said
