"""`lastgood monitor --open`: one service monitors every incident (ux_review14 #1).

`monitor` took one ID: a unit started at boot, before any incident (or any record),
exited 2 and restart-looped. Here a real `monitor --open` runs as a unit would (its
own session, stdin /dev/null, output to files) on a record that does not exist yet;
incidents declared and closed by real `lastgood` processes, their probe a real HTTP
server on loopback; SIGTERM to its pid alone. Every wait is on what it wrote.
"""

from __future__ import annotations

import json
import signal
import subprocess
from pathlib import Path

from tests.cli_helpers import Cli, lastgood_command
from tests.probe_runbooks import probe_runbook
from tests.test_json_schemas import assert_valid
from tests.test_monitor_slow_record import Builds
from tests.test_one_poller import ticks
from tests.waiting import poll_until

WAIT_S = 30


def test_monitor_open_waits_picks_up_each_incident_and_stops_on_sigterm(
    tmp_path: Path,
) -> None:
    cli = Cli(tmp_path / "record.db", actor="ada")
    out, err = tmp_path / "out", tmp_path / "err"
    with Builds() as builds:
        probe = f"{{name: build, kind: version, url: '{builds.url}', interval_s: 1}}"
        runbook = probe_runbook(tmp_path / "builds.yaml", probe)
        with out.open("w") as stdout, err.open("w") as stderr:
            unit = subprocess.Popen(
                [*lastgood_command(), "monitor", "--open"],
                env=cli.env,
                stdin=subprocess.DEVNULL,
                stdout=stdout,
                stderr=stderr,
                start_new_session=True,
            )
        try:
            said = out.read_text
            poll_until(lambda: "waiting: no record at" in said(), "the wait for a record", WAIT_S)

            def declare() -> str:
                return cli.ok(
                    *("declare", "--title", "t", "--severity", "SEV2", "--commander", "Ada"),
                    *("--runbook", str(runbook)),
                ).strip()

            first = declare()
            poll_until(lambda: f"{first}  T+" in said(), "the first incident's ticks", WAIT_S)
            second = declare()
            poll_until(lambda: f"{second}  T+" in said(), "the second incident's ticks", WAIT_S)
            cli.ok("close", first, "--force", "--reason", "over")
            poll_until(lambda: f"{first}: monitor ended" in said(), "the first's end", WAIT_S)
            after = len(said())
            # The second goes on being monitored beside the first's end.
            poll_until(lambda: f"{second}  T+" in said()[after:], "the second's ticks", WAIT_S)
            cli.ok("close", second, "--force", "--reason", "over")
            poll_until(
                lambda: said().rstrip().endswith("waiting: no incident open in " + str(cli.db)),
                "the wait once none is open",
                WAIT_S,
            )
            third = declare()
            poll_until(lambda: f"{third}  T+" in said(), "the third incident's ticks", WAIT_S)
            unit.send_signal(signal.SIGTERM)
            assert unit.wait(timeout=WAIT_S) == 0
        finally:
            if unit.poll() is None:
                unit.kill()
                unit.wait()
    stopped = err.read_text()
    assert f"{first}  incident {first} closed: monitor stopped" in stopped, stopped
    # The one open at SIGTERM stopped as its own first signal would stop it.
    assert f"{third}  monitor stopped after" in stopped, stopped
    assert stopped.rstrip().endswith("monitor --open stopped; 3 incidents monitored"), stopped
    for incident_id in (first, second, third):
        assert ticks(cli, incident_id), incident_id
        assert "ok," in cli.ok("verify", incident_id)


def test_monitor_without_an_id_or_open_is_refused_in_one_line(tmp_path: Path) -> None:
    cli = Cli(tmp_path / "record.db", actor="ada")
    result = cli.run("monitor")
    assert result.code == 2
    assert result.err == (
        "lastgood monitor: give the incident's ID, or --open to monitor every open incident\n"
    )
    both = cli.run("monitor", "--open", "INC-1")
    assert both.code == 2 and "give it, or the ID 'INC-1'" in both.err, both.err


def test_an_incident_with_nothing_to_watch_is_said_once_and_not_tried_again(
    tmp_path: Path,
) -> None:
    cli = Cli(tmp_path / "record.db", actor="ada")
    runbook = tmp_path / "none.yaml"
    runbook.write_text(
        "runbook: none\ntitle: Nothing to watch\nphases:\n  - id: execute\n    title: Execute\n"
        "    steps:\n      - {id: redeploy, title: Redeploy}\n"
    )
    incident_id = cli.ok(
        *("declare", "--title", "t", "--severity", "SEV2", "--commander", "Ada"),
        *("--runbook", str(runbook)),
    ).strip()
    out, err = tmp_path / "out", tmp_path / "err"
    with out.open("w") as stdout, err.open("w") as stderr:
        unit = subprocess.Popen(
            [*lastgood_command(), "monitor", "--open"],
            env=cli.env,
            stdin=subprocess.DEVNULL,
            stdout=stdout,
            stderr=stderr,
            start_new_session=True,
        )
    try:
        refused = f"waiting: no incident monitored ({incident_id} refused)"
        poll_until(lambda: refused in out.read_text(), "the refusal said", WAIT_S)
        unit.send_signal(signal.SIGTERM)
        assert unit.wait(timeout=WAIT_S) == 0
    finally:
        if unit.poll() is None:
            unit.kill()
            unit.wait()
    said = out.read_text()
    assert said.count(f"{incident_id}: open; monitoring it") == 1, said
    assert f"{incident_id}: not monitored (refused, exit 2); not tried again" in said
    assert (
        f"{incident_id}  lastgood monitor: runbook 'none' defines no probes and no messages to send"
        in err.read_text()
    )


def test_monitor_open_json_names_each_incident_on_every_line(tmp_path: Path) -> None:
    """`--open --json` was refused: a child's JSON lines named no incident, so two
    incidents' lines could not be told apart. Each now carries `incident`; stdout holds
    those lines alone (the driver's own go to stderr), every one schema-valid."""
    cli = Cli(tmp_path / "record.db", actor="ada")
    out, err = tmp_path / "out", tmp_path / "err"

    def lines() -> list[dict[str, object]]:
        whole = out.read_text().rpartition("\n")[0]  # a line still being written waits
        return [json.loads(line) for line in whole.splitlines()]

    with Builds() as builds:
        probe = f"{{name: build, kind: version, url: '{builds.url}', interval_s: 1}}"
        runbook = probe_runbook(tmp_path / "builds.yaml", probe)
        with out.open("w") as stdout, err.open("w") as stderr:
            unit = subprocess.Popen(
                [*lastgood_command(), "monitor", "--open", "--json"],
                env=cli.env,
                stdin=subprocess.DEVNULL,
                stdout=stdout,
                stderr=stderr,
                start_new_session=True,
            )
        try:
            poll_until(lambda: "waiting: no record at" in err.read_text(), "the wait", WAIT_S)

            def declare() -> str:
                return cli.ok(
                    *("declare", "--title", "t", "--severity", "SEV2", "--commander", "Ada"),
                    *("--runbook", str(runbook)),
                ).strip()

            first = declare()
            poll_until(lambda: ticked(lines(), first), "the first incident's samples", WAIT_S)
            second = declare()
            poll_until(lambda: ticked(lines(), second), "the second incident's samples", WAIT_S)
            after = len(lines())
            # The first goes on being monitored beside the second.
            poll_until(lambda: ticked(lines()[after:], first), "the first's next", WAIT_S)
            unit.send_signal(signal.SIGTERM)
            assert unit.wait(timeout=WAIT_S) == 0
        finally:
            if unit.poll() is None:
                unit.kill()
                unit.wait()
    said = lines()
    assert out.read_text().endswith("\n")
    for line in said:
        assert_valid("monitor-line", line)
    assert {line["incident"] for line in said} == {first, second}
    stderr_said = err.read_text()
    for incident_id in (first, second):
        assert f"{incident_id}: open; monitoring it" in stderr_said, stderr_said
        assert f"{incident_id}  monitor stopped after" in stderr_said, stderr_said
    assert stderr_said.rstrip().endswith("monitor --open stopped; 2 incidents monitored")


def ticked(lines: list[dict[str, object]], incident_id: str) -> bool:
    """Whether `lines` hold a samples line of `incident_id`."""
    return any(line["incident"] == incident_id and line["kind"] == "samples" for line in lines)
